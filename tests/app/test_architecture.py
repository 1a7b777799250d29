"""The floors as allow-lists, next to the import contracts of ``make lint``.

import-linter's contracts say what a layer must not import; these say what it may, so a new
module cannot slip past a list of forbidden names: storage reaches only ``bot.core`` and the pure
rules of a feature (``bot.<feature>.rules``), and pure rules reach only ``bot.core`` and other
rules.
"""

from __future__ import annotations

import re

import grimp
import pytest

RULES = re.compile(r"^bot\.[a-z_]+\.rules(\.[a-z_]+)?$")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("bot", "handlers", "jobs", "storage")


def _project_imports(graph: grimp.ImportGraph, module: str) -> set[str]:
    return {
        imported
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] in {"bot", "handlers", "jobs", "storage"}
    }


def _allowed_for_pure_code(imported: str) -> bool:
    return imported.startswith("bot.core") or bool(RULES.match(imported))


def test_storage_imports_only_core_and_pure_rules(graph: grimp.ImportGraph) -> None:
    wrong = {
        (module, imported)
        for module in graph.find_descendants("storage") | {"storage"}
        for imported in _project_imports(graph, module)
        if not imported.startswith("storage") and not _allowed_for_pure_code(imported)
    }
    assert not wrong, sorted(wrong)


def test_pure_rules_import_only_core_and_other_rules(graph: grimp.ImportGraph) -> None:
    rule_modules = {m for m in graph.modules if RULES.match(m)}
    assert {"bot.caselog.rules", "bot.deadlines.rules", "bot.weekdate.rules.agenda"} <= rule_modules
    wrong = {
        (module, imported)
        for module in rule_modules
        for imported in _project_imports(graph, module)
        if not _allowed_for_pure_code(imported) and imported != "bot.weekdate.rules"
    }
    assert not wrong, sorted(wrong)


def test_every_feature_has_its_rules_and_its_service(graph: grimp.ImportGraph) -> None:
    for feature in ("access", "privacy", "caselog", "deadlines", "weekdate"):
        assert {f"bot.{feature}.service"} <= graph.modules, feature
        assert any(RULES.match(m) for m in graph.find_descendants(f"bot.{feature}")), feature
