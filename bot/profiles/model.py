"""A municipality profile as typed, frozen data.

A profile says what each category MEANS (what it counts as, what entering it sets in motion), so
no code outside ``bot/profiles`` needs to know a category's code. The TOML files next to this
module carry the data with a seed cite per rule; :mod:`bot.profiles.loader` reads and validates
them; :mod:`bot.profiles.meaning` is the API the features ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Towards(StrEnum):
    """What a category counts as (figures, matching and contact rules read this)."""

    WORK = "work"
    PARTICIPATION = "participation"
    CARE = "care"
    SHELTERED = "sheltered"
    PLACED = "placed"


class Cadence(StrEnum):
    """How often the team's own meeting (the weekdate) is held."""

    WEEKLY = "weekly"
    TWO_WEEKLY = "two_weekly"


@dataclass(frozen=True)
class Option:
    """A code people never see and the Dutch label they do."""

    code: str
    label: str


@dataclass(frozen=True)
class RoleVariant:
    """A profile's role: a variant (own label) of one of the product's roles."""

    code: str
    label: str
    #: The product role (``bot.core.roles.Role`` value) a staff member holds for this variant.
    base: str


@dataclass(frozen=True)
class Category:
    """One category and its meaning."""

    code: str
    label: str
    counts_as: Towards
    #: The profile role that normally guides clients in this category.
    owner_role: str
    #: Subcategory codes allowed in this category (empty: none asked).
    subcategories: tuple[str, ...] = ()
    #: Entering it at the weekdate plans a conversation with a loopbaanbegeleider.
    lb_appointment: bool = False
    #: Entering it hands the client to this profile role (``None``: no handover).
    handover_to: str | None = None
    #: Clients in it get participation contacts (first one, then a rhythm).
    participation_contact: bool = False
    #: Months after entering the category for the first contact.
    first_contact_months: int = 12
    #: Months between two contacts / reviews of this category.
    review_months: int = 12
    #: What the team calls that recurring contact or review.
    review_kind: str = "participatiecontact"


@dataclass(frozen=True)
class PlaceKind:
    """A kind of place (vacature) and which categories it suits."""

    code: str
    label: str
    suits: Towards


@dataclass(frozen=True)
class Instrument:
    """An instrument (traject kind) and its limits; the traject slice's engine reads these."""

    code: str
    label: str
    step_months: int | None = None
    max_extensions: int | None = None
    max_months: int | None = None
    extension_requires: tuple[str, ...] = ()
    #: At the hard stop, the client moves to this category (``None``: a decision at the weekdate).
    on_max_handover_to: str | None = None
    #: Categories the hard stop's handover does not apply to (004's 2B).
    on_max_exempt: tuple[str, ...] = ()
    owner_role: str | None = None
    #: What happens when the limit is reached (Dutch, data), shown with a refused extension.
    at_max: str = ""
    #: The seed line the limits come from (``003:L411``), shown with a refusal.
    seed: str = ""


@dataclass(frozen=True)
class ExemptionScopeMeaning:
    """What an ontheffing scope means in this municipality."""

    code: str
    duties: tuple[str, ...]
    #: Whether an active ontheffing of this scope counts in the ontheffing share.
    counts_in_share: bool


@dataclass(frozen=True)
class Figure:
    """A figure the municipality reports (keys of seeds_requirements.md section 4)."""

    key: str
    label: str
    target: str = ""


@dataclass(frozen=True)
class AgendaSection:
    """An agenda section's name and weight (relative share of the meeting's minutes)."""

    key: str
    label: str
    weight: int


@dataclass(frozen=True)
class ExtraMeeting:
    """A meeting besides the weekdate (a casuïstiek meeting, a Netwerkcafé)."""

    name: str
    every_weeks: int
    owner_role: str | None = None


@dataclass(frozen=True)
class Meeting:
    """The meeting rhythm."""

    cadence: Cadence = Cadence.WEEKLY
    minutes: int = 30
    sections: tuple[AgendaSection, ...] = ()
    extra: tuple[ExtraMeeting, ...] = ()


@dataclass(frozen=True)
class Profile:
    """Everything one municipality's way of working decides."""

    name: str
    label: str
    seeds: tuple[str, ...]
    summary: str
    roles: tuple[RoleVariant, ...]
    categories: tuple[Category, ...]
    subcategories: tuple[Option, ...] = ()
    place_kinds: tuple[PlaceKind, ...] = ()
    branches: tuple[str, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    exemption_scopes: tuple[ExemptionScopeMeaning, ...] = ()
    #: Who owns the yearly ontheffing contact (003:L367) and the participation contact (004:L338).
    exemption_contact_owner: str = ""
    participation_contact_owner: str = ""
    exit_reasons: tuple[Option, ...] = ()
    figures: tuple[Figure, ...] = ()
    meeting: Meeting = field(default_factory=Meeting)
    #: The teams of one deployment with this profile share one vacancy list (004).
    shared_vacancies: bool = False

    def category(self, code: str | None) -> Category | None:
        """The category ``code`` (``None`` when the profile has no such category)."""
        return next((c for c in self.categories if c.code == code), None)

    def role(self, code: str) -> RoleVariant | None:
        """The profile role ``code``."""
        return next((r for r in self.roles if r.code == code), None)

    def instrument(self, code: str) -> Instrument | None:
        """The instrument ``code``."""
        return next((i for i in self.instruments if i.code == code), None)
