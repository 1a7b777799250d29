"""Rendering the agenda: Telegram HTML split safely, the group copy, the PDF and the .ics."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pypdf import PdfReader

from bot.core.clock import AMSTERDAM
from bot.core.render import SEP, split_blocks, telegram_length
from bot.weekdate.rules.agenda import (
    AgendaInput,
    CandidateIn,
    CaseItemIn,
    Section,
    VacancyIn,
    compile_agenda,
)
from bot.weekdate.rules.schedule import Occurrence
from bot.weekdate.views import agenda_ics, render_agenda_messages, render_agenda_pdf
from tests.support.weekdate_fixtures import MEETING, demo_input

TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler", "span"}


class _TelegramHtmlChecker(HTMLParser):
    """Fails on unknown tags, unbalanced tags and bare '<' (what Telegram would refuse)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, f"tag {tag} not allowed"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> in {self.stack}"
        self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, name


def assert_valid_telegram_html(text: str) -> None:
    checker = _TelegramHtmlChecker()
    checker.feed(text)
    checker.close()
    assert checker.stack == [], f"unclosed {checker.stack}"
    assert checker.rawdata == "", "dangling markup at the end"


def big_input(count: int, duration: int = 30) -> AgendaInput:
    hostile = "<b>vet</b> & </a> *ster* " + "x" * 250
    items = [
        CaseItemIn(
            n,
            ["intake", "bottleneck", "success", "note"][n % 4],
            f"C-{n:05d}",
            "Anna",
            MEETING,
            text=hostile,
            tags=("statushouder", "jongere"),
        )
        for n in range(count)
    ]
    return AgendaInput("Dalfsen", MEETING, duration, case_items=items)


@pytest.mark.parametrize("duration", [30, 1000])
def test_three_hundred_items_split_into_valid_messages(duration: int) -> None:
    # 30 minutes: most items are "ter info" and compact; 1000: every item in full.
    agenda = compile_agenda(big_input(300, duration))
    for private in (True, False):
        parts = render_agenda_messages(agenda, time(10, 0), private=private)
        assert len(parts) > (20 if private and duration == 1000 else 1)
        for part in parts:
            assert telegram_length(part) <= 4096
            assert SEP not in part
            assert_valid_telegram_html(part)
        joined = "\n".join(parts)
        # Every item is there exactly once, none cut in half.
        for n in range(300):
            assert len(re.findall(rf"C-{n:05d}(?!\d)", joined)) == 1
    private_parts = render_agenda_messages(agenda, time(10, 0), private=True)
    assert ("Ter info" in private_parts[0]) == (duration == 30)
    # User text is escaped, never interpreted.
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; &lt;/a&gt;" in private_parts[0]


def test_group_copy_has_references_and_item_types_only() -> None:
    agenda = compile_agenda(demo_input())
    group = "\n".join(render_agenda_messages(agenda, time(10, 0), private=False))
    private = "\n".join(render_agenda_messages(agenda, time(10, 0), private=True))
    for secret in ("vervoer", "contract", "Kandidaten", "C-0900", "werkfit", "jongere", "Anna"):
        assert secret not in group
        assert secret in private
    assert "C-1001 aanmelding" in group and "V7 vacature" in group


def test_sections_appear_in_order_in_the_text() -> None:
    text = "\n".join(
        render_agenda_messages(compile_agenda(demo_input()), time(10, 0), private=True)
    )
    positions = [text.index(f"{n}. {s.heading}") for n, s in enumerate(Section, start=1)]
    assert positions == sorted(positions)
    assert "min" in text and "dinsdag 24-11-2026 om 10:00" in text


@settings(max_examples=200)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab \n<>&é😀")), max_size=3000),
    limit=st.integers(64, 400),
)
def test_split_never_cuts_a_tag(text: str, limit: int) -> None:
    from html import escape

    block = "<b>" + escape(text) + "</b><i>" + escape(text[::-1]) + "</i>"
    parts = split_blocks([block, "<code>kort</code>"], limit)
    for part in parts:
        assert telegram_length(part) <= limit
        assert_valid_telegram_html(part)


def test_split_refuses_silly_limit() -> None:
    with pytest.raises(ValueError):
        split_blocks(["x"], 10)


def test_pdf_contains_team_date_and_every_section() -> None:
    agenda = compile_agenda(demo_input())
    pdf = render_agenda_pdf(agenda, time(10, 0))
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Dalfsen" in text and "24-11-2026" in text
    for section in Section:
        assert section.heading in text
    assert "C-1001" in text and "C-0900" in text


def test_ics_for_a_weekdate_in_local_time() -> None:
    occ = Occurrence(date(2026, 3, 31), date(2026, 3, 31), time(10, 0))
    data = agenda_ics(
        team_id=1,
        team_name="Dalfsen",
        occ=occ,
        duration_minutes=30,
        zone=AMSTERDAM,
        stamp=datetime(2026, 3, 20, tzinfo=UTC),
    )
    calendar = Calendar.from_ical(data)
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.astimezone(UTC) == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)  # CEST = UTC+2
    assert event.decoded("dtend").astimezone(UTC) == datetime(2026, 3, 31, 8, 30, tzinfo=UTC)
    assert str(event["summary"]) == "Weekdate Dalfsen"
    assert calendar.walk("VTIMEZONE"), "the timezone is included for calendar apps"
    assert b"TZID=Europe/Amsterdam" in data


def test_vacancy_without_candidates_says_so() -> None:
    data = AgendaInput(
        "T",
        MEETING,
        30,
        vacancies=[VacancyIn(1, "E", "f", "vrijwilligerswerk", MEETING)],
        candidates=[CandidateIn(1, "W", "werkfit")],
    )
    text = "\n".join(render_agenda_messages(compile_agenda(data), time(9, 0), private=True))
    assert "geen passende cliënten" in text
