"""docs/privacy.md names the test behind each measure: every named test exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "privacy.md"
#: Built in parallel (issue 14, audit chain, retention, rights); checked once merged.
PENDING = {
    "tests/privacy/test_audit_chain.py",
    "tests/privacy/test_retention.py",
    "tests/privacy/test_rights.py",
}


def referenced() -> list[tuple[str, str | None]]:
    """(file, test name or None) for every `tests/...` and `::name` reference in the document."""
    found: list[tuple[str, str | None]] = []
    current = ""
    for match in re.finditer(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", DOC.read_text("utf-8")):
        path, name = match.groups()
        current = path or current
        if path or name:
            found.append((current, name))
    return found


def test_every_test_named_in_the_privacy_document_exists() -> None:
    refs = referenced()
    assert len(refs) > 30
    for path, name in refs:
        if path in PENDING:
            continue
        source = ROOT / path
        assert source.is_file(), path
        if name is not None:
            assert re.search(rf"^(async )?def {name}\(", source.read_text("utf-8"), re.M), (
                f"{path}::{name}"
            )


def test_readme_links_the_privacy_document() -> None:
    assert "(docs/privacy.md)" in (ROOT / "README.md").read_text("utf-8")
