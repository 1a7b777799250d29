"""Retention as pure rules: from the configured periods and the moment, the cutoffs per kind."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Retention:
    """How long each kind is kept (``[retention]``)."""

    #: Case items (notes, aanmeldingen, …), closed vacatures, meetings and team actiepunten:
    #: months after their weekdate.
    items_months: int = 12
    #: Client records: years after uitstroom (status uitgestroomd or overgedragen).
    clients_years: int = 2
    #: Unfinished form sessions: days after the last answer.
    forms_days: int = 2
    #: Stranger records (when the fixed refusal was last sent): days.
    strangers_days: int = 30
    #: Audit rows: years.
    audit_years: int = 5


def months_before(day: date, months: int) -> date:
    """``day`` moved back ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Cutoffs:
    """Everything older than these goes (local days for items, aware moments otherwise)."""

    items_day: date
    items: datetime
    clients: datetime
    forms: datetime
    strangers: datetime
    audit: datetime


def cutoffs(now: datetime, zone: tzinfo, keep: Retention) -> Cutoffs:
    """The cutoffs at ``now``: each kind is kept for its period, counted in local days."""
    today = now.astimezone(zone).date()

    def start_of(day: date) -> datetime:
        return datetime.combine(day, time(0, 0), tzinfo=zone)

    items_day = months_before(today, keep.items_months)
    return Cutoffs(
        items_day=items_day,
        items=start_of(items_day),
        clients=start_of(months_before(today, 12 * keep.clients_years)),
        forms=now - timedelta(days=keep.forms_days),
        strangers=now - timedelta(days=keep.strangers_days),
        audit=start_of(months_before(today, 12 * keep.audit_years)),
    )
