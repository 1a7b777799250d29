"""The ``[deadlines]`` configuration section: digest time, stage offsets, review months, categories.

Parsed from a TOML table into a frozen dataclass and validated; unknown keys are errors. The
``parse_deadlines`` function raises ``ValueError`` with a Dutch message naming the key, which
``bot.config`` wraps in its ``ConfigError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from bot import profiles
from bot.core.vocabulary import DeadlineKind, ExemptionReason
from bot.deadlines.rules import (
    DEFAULT_CATALOGUE,
    DEFAULT_REVIEW_MONTHS,
    DutyOwner,
    KindRule,
    StagePolicy,
)
from bot.profiles import meaning


@dataclass(frozen=True)
class DeadlinesConfig:
    """Settings of the reminder engine (see ``config.example.toml``)."""

    #: Local time of the morning digest on working days.
    digest_time: time = time(8, 30)
    #: Default days before the due date for the vooraankondiging.
    pre_days: int = 30
    #: Days overdue before a deadline escalates to the teamleider.
    escalation_days: int = 14
    #: Items due within this many days are listed under "binnenkort".
    soon_days: int = 7
    #: Postponements allowed before a further request escalates.
    max_postponements: int = 2
    #: Review months per exemption reason (art. 9a asks the date the youngest child turns 5).
    review_months: Mapping[ExemptionReason, int] = field(
        default_factory=lambda: dict(DEFAULT_REVIEW_MONTHS)
    )
    #: Client categories that get participation contacts. Default: the default profile's
    #: (``bot/profiles``); ``bot.config`` fills it from the teams' profiles.
    participation_categories: frozenset[str] = field(
        default_factory=lambda: meaning.participation_categories(profiles.default())
    )
    participation_interval_months: int = 12
    participation_first_months: int = 12
    #: Per category: (months to the first contact, months between contacts), from the profiles
    #: (Steenwijkerland: Leren & ontwikkelen every two years, 002:L766). A category not in it
    #: uses the two settings above.
    contact_rhythm: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: Working days after a weekdate decision for the loopbaanbegeleider appointment.
    lb_appointment_working_days: int = 10
    #: Months after entering for the statushouder category check.
    status_holder_review_months: int = 6
    #: Per-kind vooraankondiging overrides (days); the catalogue's own defaults otherwise.
    pre_days_by_kind: Mapping[DeadlineKind, int] = field(default_factory=dict)
    #: Seconds between sweeps (the sweep is cheap; a missed tick is caught up by the next).
    sweep_interval_seconds: int = 60
    #: A claim older than this is from a dead worker: marked unknown, never resent.
    claim_lease_seconds: int = 300
    #: Name of the welfare organisation a participation contact refers to (004:L298), shown in
    #: the offered actiepunt "doorverwijzen naar <welfare_partner>".
    welfare_partner: str = "de welzijnspartner"
    #: Whether clients with an active full ("volledig") ontheffing get participation contacts
    #: (004:L302 says no: "tenzij een cliënt een ontheffing heeft").
    participation_with_full_exemption: bool = True
    #: A yearly contact for every ontheffing, separate from its review (003:L367, Actie 38).
    exemption_yearly_contact: bool = False
    #: Years between loonwaardemetingen after the first (which comes 12 months after a placement
    #: with loonkostensubsidie): "eens per jaar tot eens per 3 jaren" (001:L112).
    wage_value_assessment_years: int = 1

    #: Per team name, per duty (``participation_contact``, ``exemption_contact``): who owns it,
    #: from the team's profile (``bot.profiles.meaning.owner_role_for``) and its role holders.
    #: A team not in it keeps the old choice (the client's owner, the one who recorded it).
    duty_owners: Mapping[str, Mapping[str, DutyOwner]] = field(default_factory=dict)

    def duty_owner(self, team_name: str, duty: str) -> DutyOwner | None:
        """Who owns ``duty`` in the team called ``team_name`` (``None``: no profile says)."""
        return self.duty_owners.get(team_name.casefold(), {}).get(duty)

    def contact_months(self, category: str | None) -> tuple[int, int]:
        """(first contact, interval) in months for a client in ``category``."""
        return self.contact_rhythm.get(
            category or "", (self.participation_first_months, self.participation_interval_months)
        )

    @property
    def stage_policy(self) -> StagePolicy:
        """The default stage offsets."""
        return StagePolicy(self.pre_days, self.escalation_days)

    def rule(self, kind: DeadlineKind | str) -> KindRule:
        """The catalogue entry for ``kind`` (unknown kinds behave like action items)."""
        try:
            return DEFAULT_CATALOGUE[DeadlineKind(kind)]
        except ValueError:
            return DEFAULT_CATALOGUE[DeadlineKind.ACTION_ITEM]

    def pre_days_for(self, kind: DeadlineKind | str) -> int:
        """Vooraankondiging days for ``kind``: config override, catalogue, then the default."""
        rule = self.rule(kind)
        if rule.kind in self.pre_days_by_kind:
            return self.pre_days_by_kind[rule.kind]
        return self.pre_days if rule.pre_days is None else rule.pre_days


_KEYS = {
    "digest_time",
    "pre_days",
    "escalation_days",
    "soon_days",
    "max_postponements",
    "review_months",
    "participation_categories",
    "participation_interval_months",
    "participation_first_months",
    "lb_appointment_working_days",
    "status_holder_review_months",
    "pre_days_by_kind",
    "sweep_interval_seconds",
    "claim_lease_seconds",
    "participation_with_full_exemption",
    "exemption_yearly_contact",
    "welfare_partner",
    "wage_value_assessment_years",
}


def _int(
    raw: Mapping[str, Any], key: str, default: int, low: int, high: int, prefix: str = "deadlines"
) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{prefix}.{key}: verwacht een geheel getal, kreeg {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{prefix}.{key}: moet tussen {low} en {high} liggen, kreeg {value}")
    return value


def _bool(raw: Mapping[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"deadlines.{key}: verwacht true of false, kreeg {value!r}")
    return value


#: At most this many characters: it is part of a button text and a deadline title.
MAX_PARTNER = 40


def _partner(raw: Mapping[str, Any]) -> str:
    value = raw.get("welfare_partner", "de welzijnspartner")
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_PARTNER:
        raise ValueError(
            f"deadlines.welfare_partner: verwacht een naam van 1 tot {MAX_PARTNER} tekens, "
            f"kreeg {value!r}"
        )
    return value.strip()


def _time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        raise ValueError('deadlines.digest_time: verwacht een tijd als UU:MM, zoals "08:30"')
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ValueError(
            'deadlines.digest_time: verwacht een tijd als UU:MM, zoals "08:30"'
        ) from exc


def parse_deadlines(raw: Mapping[str, Any] | None) -> DeadlinesConfig:
    """Validate the ``[deadlines]`` table (``None`` or empty: all defaults)."""
    raw = raw or {}
    unknown = set(raw) - _KEYS
    if unknown:
        raise ValueError(f"deadlines.{sorted(unknown)[0]}: onbekende instelling")
    review_raw = raw.get("review_months", {})
    if not isinstance(review_raw, Mapping):
        raise ValueError("deadlines.review_months: verwacht een tabel reden = maanden")
    review = dict(DEFAULT_REVIEW_MONTHS)
    for reason in review_raw:
        try:
            parsed = ExemptionReason(reason)
        except ValueError as exc:
            raise ValueError(f"deadlines.review_months: onbekende reden {reason!r}") from exc
        if parsed is ExemptionReason.CHILD_UNDER_5:
            raise ValueError(
                "deadlines.review_months.zorg_kind: niet instelbaar, een ontheffing art. 9a "
                "eindigt van rechtswege als het jongste kind 5 wordt"
            )
        review[parsed] = _int(review_raw, reason, 12, 1, 60, "deadlines.review_months")
    categories = raw.get(
        "participation_categories",
        sorted(meaning.participation_categories(profiles.default())),
    )
    if not isinstance(categories, list) or not all(isinstance(c, str) and c for c in categories):
        raise ValueError("deadlines.participation_categories: verwacht een lijst met categorieën")
    pre_raw = raw.get("pre_days_by_kind", {})
    if not isinstance(pre_raw, Mapping):
        raise ValueError("deadlines.pre_days_by_kind: verwacht een tabel soort = dagen")
    pre_by_kind: dict[DeadlineKind, int] = {}
    for kind in pre_raw:
        try:
            parsed_kind = DeadlineKind(kind)
        except ValueError as exc:
            raise ValueError(f"deadlines.pre_days_by_kind: onbekende soort {kind!r}") from exc
        pre_by_kind[parsed_kind] = _int(pre_raw, kind, 0, 0, 365, "deadlines.pre_days_by_kind")
    return DeadlinesConfig(
        digest_time=_time(raw.get("digest_time", "08:30")),
        pre_days=_int(raw, "pre_days", 30, 0, 365),
        escalation_days=_int(raw, "escalation_days", 14, 1, 365),
        soon_days=_int(raw, "soon_days", 7, 0, 90),
        max_postponements=_int(raw, "max_postponements", 2, 0, 10),
        review_months=review,
        participation_categories=frozenset(c.strip().lower() for c in categories),
        participation_interval_months=_int(raw, "participation_interval_months", 12, 1, 36),
        participation_first_months=_int(raw, "participation_first_months", 12, 1, 36),
        lb_appointment_working_days=_int(raw, "lb_appointment_working_days", 10, 1, 60),
        status_holder_review_months=_int(raw, "status_holder_review_months", 6, 1, 36),
        pre_days_by_kind=pre_by_kind,
        sweep_interval_seconds=_int(raw, "sweep_interval_seconds", 60, 5, 3600),
        claim_lease_seconds=_int(raw, "claim_lease_seconds", 300, 30, 86400),
        welfare_partner=_partner(raw),
        participation_with_full_exemption=_bool(raw, "participation_with_full_exemption", True),
        exemption_yearly_contact=_bool(raw, "exemption_yearly_contact", False),
        wage_value_assessment_years=_int(raw, "wage_value_assessment_years", 1, 1, 3),
    )
