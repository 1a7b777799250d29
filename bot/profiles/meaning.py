"""What a category means: the one API the features ask instead of naming category codes.

Every function takes the team's :class:`~bot.profiles.model.Profile` (``TeamSettings.profile``)
and a stored category code. A code the profile does not know means nothing: no LB appointment,
no handover, no contacts, no candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.profiles.model import Profile, Towards


@dataclass(frozen=True)
class SetsInMotion:
    """What entering a category sets in motion."""

    lb_appointment: bool
    #: Profile role code the client is handed to (``None``: stays with the current owner).
    handover_to: str | None
    participation_contact: bool
    first_contact_months: int
    review_months: int


def counts_as(profile: Profile, category: str | None) -> Towards | None:
    """What ``category`` counts as (``None`` for no or an unknown category)."""
    found = profile.category(category)
    return found.counts_as if found else None


def sets_in_motion(profile: Profile, category: str | None) -> SetsInMotion:
    """What entering ``category`` sets in motion."""
    found = profile.category(category)
    if found is None:
        return SetsInMotion(False, None, False, 12, 12)
    return SetsInMotion(
        found.lb_appointment,
        found.handover_to,
        found.participation_contact,
        found.first_contact_months,
        found.review_months,
    )


def needs_lb_appointment(profile: Profile, category: str | None) -> bool:
    """Does deciding ``category`` at the weekdate plan a conversation with a loopbaanbegeleider?"""
    return sets_in_motion(profile, category).lb_appointment


def hands_over(profile: Profile, category: str | None) -> bool:
    """Does entering ``category`` hand the client to the person chosen for the LB conversation?"""
    return sets_in_motion(profile, category).handover_to is not None


def lb_categories(profile: Profile) -> frozenset[str]:
    """Codes whose weekdate decision plans an LB conversation."""
    return frozenset(c.code for c in profile.categories if c.lb_appointment)


def handover_categories(profile: Profile) -> frozenset[str]:
    """Codes whose weekdate decision hands the client over."""
    return frozenset(c.code for c in profile.categories if c.handover_to is not None)


def participation_categories(profile: Profile) -> frozenset[str]:
    """Codes whose clients get participation contacts (or the profile's yearly review)."""
    return frozenset(c.code for c in profile.categories if c.participation_contact)


def contact_rhythm(profile: Profile) -> dict[str, tuple[int, int]]:
    """Per participation category: (months to the first contact, months between contacts)."""
    return {
        c.code: (c.first_contact_months, c.review_months)
        for c in profile.categories
        if c.participation_contact
    }


def categories_counting_as(profile: Profile, *towards: Towards) -> frozenset[str]:
    """Codes that count as any of ``towards``."""
    return frozenset(c.code for c in profile.categories if c.counts_as in towards)


def direct_work_categories(profile: Profile) -> frozenset[str]:
    """Codes of clients ready for work now: counting as towards work, without a contact rhythm
    (002's direct werk, 002:L497-501; its S9 figure follows them for 6 months)."""
    return frozenset(
        c.code
        for c in profile.categories
        if c.counts_as == Towards.WORK and not c.participation_contact
    )


def capped_routes(profile: Profile) -> tuple[tuple[str, int, str, frozenset[str]], ...]:
    """Instruments with a maximum length whose hard stop hands the client over (004:L81):
    (instrument, max months, handover category, categories the handover does not apply to)."""
    return tuple(
        (i.code, i.max_months, i.on_max_handover_to, frozenset(i.on_max_exempt))
        for i in profile.instruments
        if i.max_months and i.on_max_handover_to
    )


def candidate_categories(profile: Profile, place_kind: str) -> frozenset[str]:
    """Categories whose clients are candidates for a place of ``place_kind``: a paid place suits
    clients counting as towards work, any other place clients counting as participation."""
    kind = next((k for k in profile.place_kinds if k.code == place_kind), None)
    suits = kind.suits if kind else Towards.PARTICIPATION
    return categories_counting_as(profile, suits)


def matching(profile: Profile) -> dict[str, frozenset[str]]:
    """Place kind code -> candidate categories, for every place kind of the profile."""
    return {kind.code: candidate_categories(profile, kind.code) for kind in profile.place_kinds}


def all_candidate_categories(profile: Profile) -> frozenset[str]:
    """Every category that may be suggested for some vacature (the query's filter)."""
    return frozenset(code for codes in matching(profile).values() for code in codes)


def subcategories_of(profile: Profile, category: str | None) -> tuple[str, ...]:
    """Subcategory codes allowed in ``category``."""
    found = profile.category(category)
    return found.subcategories if found else ()


def owner_role_for(profile: Profile, duty: str) -> str:
    """The profile role owning ``duty``: ``"participation_contact"`` (004:L338) or
    ``"exemption_contact"`` (003:L367)."""
    if duty == "participation_contact":
        return profile.participation_contact_owner
    if duty == "exemption_contact":
        return profile.exemption_contact_owner
    raise ValueError(f"unknown duty {duty!r}")


def base_role(profile: Profile, role_code: str) -> str | None:
    """The product role (``Role`` value) a staff member holds for the profile role."""
    found = profile.role(role_code)
    return found.base if found else None


def scopes_in_share(profile: Profile) -> frozenset[str]:
    """Ontheffing scopes that count in the ontheffing share."""
    return frozenset(s.code for s in profile.exemption_scopes if s.counts_in_share)
