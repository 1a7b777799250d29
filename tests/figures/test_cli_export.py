"""``python -m bot export``: the same figures as a file, audited; mistakes are one Dutch line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).parents[2]


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", **env},
    )  # fmt: skip


def test_export_xlsx_csv_and_a_bad_period(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite'}"}
    out = tmp_path / "r.xlsx"
    made = cli("export", "--period", "2026Q3", "--out", str(out), env=env)
    assert made.returncode == 0, made.stderr
    assert f"Cijfers geschreven: {out}" in made.stdout
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert "Definities en bronnen" in book.sheetnames
    bestand = book["D1 Bestand (personen met uitker"]
    # An empty team: nobody at the start or the end of the quarter.
    assert ["personen", 0, 0] in [[c.value for c in row] for row in bestand.iter_rows()]

    out_csv = tmp_path / "r.csv"
    assert cli("export", "--period", "2026", "--out", str(out_csv), env=env).returncode == 0
    lines = list(csv.reader(io.StringIO(out_csv.read_text("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["code", "cijfer", "rij", "kolom", "waarde"]

    wrong = cli("export", "--period", "2026Q9", "--out", str(tmp_path / "x.xlsx"), env=env)
    assert wrong.returncode == 2
    assert "Die periode ken ik niet" in wrong.stderr and "<code>" not in wrong.stderr
    unknown = cli("export", "--team", "Team Nergens", "--out", str(tmp_path / "y.xlsx"), env=env)
    assert unknown.returncode == 2 and "Team Nergens" in unknown.stderr
