"""The agenda shows the configured scheme's Dutch labels, never stored codes."""

from __future__ import annotations

from datetime import date

from bot.caselog.catalog import CaselogConfig, choices
from bot.weekdate.rules.agenda import AgendaInput, CaseItemIn, TransitionIn, compile_agenda
from bot.weekdate.service import with_labels

DAY = date(2026, 3, 10)


def _input() -> AgendaInput:
    return AgendaInput(
        "Team Werk",
        DAY,
        30,
        case_items=[
            CaseItemIn(
                1,
                "intake",
                "C-1",
                "Anna",
                DAY,
                proposed_category="werkfit",
                tags=("jongere_27", "statushouder"),
                client_id=1,
            ),
        ],
        transitions=[TransitionIn("C-2", "category", "zorg", "meedoen", DAY)],
    )


def _lines(data: AgendaInput) -> str:
    agenda = compile_agenda(data)
    return "\n".join(f"{i.summary} {' '.join(i.details)}" for s in agenda.sections for i in s.items)


def test_default_scheme_labels() -> None:
    text = _lines(with_labels(_input(), CaselogConfig()))
    assert "voorstel Werkfit" in text
    assert "jongere <27, statushouder" in text
    assert "Zorg → Meedoen" in text
    assert "werkfit" not in text and "jongere_27" not in text


def test_other_municipality_scheme() -> None:
    scheme = CaselogConfig(categories=choices(["Direct werk", "Werken & ervaren", "Zorg"]))
    data = AgendaInput(
        "Team Steenwijk",
        DAY,
        30,
        case_items=[CaseItemIn(1, "intake", "S-1", "Bo", DAY, proposed_category="direct_werk")],
    )
    assert "voorstel Direct werk" in _lines(with_labels(data, scheme))


def test_unknown_codes_stay_visible() -> None:
    data = AgendaInput(
        "T", DAY, 30, case_items=[CaseItemIn(1, "intake", "C-1", "A", DAY, proposed_category="oud")]
    )
    assert "voorstel oud" in _lines(with_labels(data, CaselogConfig()))
