"""Rendering the weekdate agenda and minutes: Telegram HTML messages, an A4 PDF and an ``.ics``
invitation.

The agenda and minutes templates mark item boundaries with :data:`bot.core.render.SEP`, so the
one splitter (:func:`bot.core.render.split_message`) packs whole items into messages.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

from icalendar import Calendar, Event

from bot.core.dates import format_clock
from bot.core.render import MESSAGE_LIMIT, SEP, environment, split_message
from bot.weekdate.rules.agenda import Agenda
from bot.weekdate.rules.meeting import Minutes
from bot.weekdate.rules.schedule import WEEKDAYS_NL, Occurrence


def render_agenda_text(agenda: Agenda, start: time, *, private: bool) -> str:
    """The agenda as one Telegram HTML string with :data:`SEP` between items."""
    template = environment().get_template("weekdate/agenda.j2")
    return template.render(
        agenda=agenda,
        private=private,
        start=format_clock(start),
        weekday=WEEKDAYS_NL[agenda.meeting_date.weekday()],
        SEP=SEP,
    )


def render_agenda_messages(
    agenda: Agenda, start: time, *, private: bool, limit: int = MESSAGE_LIMIT
) -> list[str]:
    """The agenda as Telegram messages of at most ``limit`` characters, split between items."""
    return split_message(render_agenda_text(agenda, start, private=private), limit)


def render_agenda_pdf(agenda: Agenda, start: time) -> bytes:
    """A printable A4 PDF of the teamleider's copy, with team and date."""
    from weasyprint import HTML  # imported lazily: loading Pango takes a moment

    html = (
        environment()
        .get_template("weekdate/agenda_pdf.html.j2")
        .render(
            agenda=agenda,
            start=format_clock(start),
            weekday=WEEKDAYS_NL[agenda.meeting_date.weekday()],
        )
    )
    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


def agenda_ics(
    *,
    team_id: int,
    team_name: str,
    occ: Occurrence,
    duration_minutes: int,
    zone: tzinfo,
    stamp: datetime,
) -> bytes:
    """An iCalendar invitation for one weekdate; ``stamp`` is the creation time (aware)."""
    start = occ.starts_at(zone)
    end = (start.astimezone(UTC) + timedelta(minutes=duration_minutes)).astimezone(zone)
    calendar = Calendar()
    calendar.add("prodid", "-//weekdate-bot//NL")
    calendar.add("version", "2.0")
    event = Event()
    # The UID follows the regular date, so a moved occurrence updates the same calendar entry.
    event.add("uid", f"weekdate-{team_id}-{occ.regular_date.isoformat()}@weekdate-bot")
    event.add("summary", f"Weekdate {team_name}")
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("description", "Wekelijks teamoverleg. De agenda komt via de bot.")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def render_minutes_text(minutes: Minutes) -> str:
    """The minutes as Telegram HTML with :data:`SEP` between lines (as archived)."""
    return (
        environment()
        .get_template("weekdate/minutes.j2")
        .render(minutes=minutes, weekday=WEEKDAYS_NL[minutes.meeting_date.weekday()], SEP=SEP)
    )


def render_minutes_messages(minutes: Minutes, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The minutes as Telegram messages, split between lines."""
    return split_message(render_minutes_text(minutes), limit)
