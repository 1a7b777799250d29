"""No module outside ``bot/profiles`` names a category code of any profile.

What a category means (LB appointment, handover, contacts, matching) is the profile's data, read
through ``bot.profiles.meaning``; a code hard-wired anywhere else is the defect issue 13 removes
(a scheme without that code silently loses the behaviour). Scanned: every .py, .j2 and .toml
file of the product (bot, handlers, jobs, storage, benchmarks, config.example.toml), comments
included, case-insensitive, whole words (``zorg_kind`` is another word than ``zorg``).
"""

from __future__ import annotations

import re
from pathlib import Path

from bot import profiles

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "handlers", "jobs", "storage", "benchmarks")
SUFFIXES = {".py", ".j2", ".toml"}

#: (file, code): each one justified. Only Dutch prose in user texts, where the word is not the
#: category: the exemption reason "zorg voor kind(eren)" (art. 9 lid 2) and the verb
#: "geplaatst" / the activity "participatie" in sentences about one vacature or traject.
ALLOWED = {
    ("bot/templates/deadlines/msg.j2", "zorg"): "art. 9a/9 lid 2 wording: zorg voor een kind",
    ("bot/templates/deadlines/label.j2", "zorg"): "exemption reason label zorg voor kind(eren)",
    ("bot/templates/caselog/vacancy_filled.j2", "geplaatst"): "verb: a client was placed",
    ("bot/templates/caselog/vacancy_fill_prompt.j2", "geplaatst"): "verb: was a client placed?",
    ("bot/caselog/rules.py", "geplaatst"): "verb in the success note 'Geplaatst: functie bij …'",
    ("bot/templates/caselog/trajectory_prompt.j2", "participatie"): "activity, not a category",
    ("bot/caselog/rules.py", "participatie"): "quote of 003:L365 'gericht op participatie'",
    # The client status ``geplaatst`` (ClientStatus.PLACED: placed with loonkostensubsidie, out of
    # the active caseload, issue 10) shares its word with Steenwijkerland's category code; these
    # files name the status, never the category.
    ("bot/core/vocabulary.py", "geplaatst"): "ClientStatus.PLACED, the status code",
    ("bot/caselog/catalog.py", "geplaatst"): "label of ClientStatus.PLACED",
    ("bot/route/exit_forms.py", "geplaatst"): "docstring: the status after an LKS placement",
    ("bot/route/exit_rules.py", "geplaatst"): "docstring: the status after an LKS placement",
    ("bot/templates/route/exit_assessor.j2", "geplaatst"): "verb: placed with LKS",
    ("bot/templates/route/exit_saved.j2", "geplaatst"): "the status after an LKS placement",
    ("bot/templates/route/exit_summary.j2", "geplaatst"): "the status after an LKS placement",
    (
        "bot/route/traject_rules.py",
        "participatie",
    ): "004:L81 wording: handover to the participatie route",
    ("config.example.toml", "participatie"): "004:L81 wording of the ontwikkelroute's at_max",
    ("bot/weekdate/rules/agenda.py", "geplaatst"): "agenda note: the client's status is geplaatst",
    ("bot/templates/figures/label.j2", "participatie"): "figure labels, the activity",
}


def category_codes() -> set[str]:
    """Every category code of every shipped profile."""
    return {c.code for name in profiles.names() for c in profiles.load(name).categories}


def product_files() -> list[Path]:
    files = [ROOT / "config.example.toml"]
    for folder in SCANNED:
        files.extend(p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES)
    profiles_dir = ROOT / "bot" / "profiles"
    return sorted(p for p in files if profiles_dir not in p.parents)


def offenders(codes: set[str]) -> list[str]:
    found = []
    for path in product_files():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        for code in sorted(codes):
            if (rel, code) in ALLOWED:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if re.search(rf"(?<![\w]){re.escape(code)}(?![\w])", line, re.IGNORECASE):
                    found.append(f"{rel}:{number}: {code}: {line.strip()}")
    return found


def test_no_module_outside_the_profiles_names_a_category_code() -> None:
    codes = category_codes()
    # The scan must know the codes it looks for (a broken loader would make it pass vacuously).
    assert {"meedoen", "werkfit", "leren_ontwikkelen", "categorie_2b"} <= codes
    assert offenders(codes) == []


def test_every_allowed_entry_is_still_needed() -> None:
    """An allow-list entry that no longer matches is removed, so the list cannot grow stale."""
    for rel, code in ALLOWED:
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert re.search(rf"(?<![\w]){code}(?![\w])", text, re.IGNORECASE), (rel, code)


def test_the_scan_catches_a_hard_wired_code(tmp_path: Path) -> None:
    """The matcher itself: a code in a comparison is found, a longer word is not."""
    pattern = re.compile(r"(?<![\w])werkfit(?![\w])", re.IGNORECASE)
    assert pattern.search('if category == "werkfit":')
    assert pattern.search("# Werkfit clients")
    assert not pattern.search("werkfit_recheck")
