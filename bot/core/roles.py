"""Roles a staff member can hold; the codes are the Dutch proper names."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A staff role. A person may hold several roles, in one team."""

    CONSULENT = "consulent"
    LOOPBAANBEGELEIDER = "loopbaanbegeleider"
    NETWERKER = "netwerker"
    TEAMLEIDER = "teamleider"
    BELEID = "beleid"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """How the role is shown to users."""
        return _LABELS[self]


_LABELS = {
    Role.CONSULENT: "consulent",
    Role.LOOPBAANBEGELEIDER: "loopbaanbegeleider",
    Role.NETWERKER: "netwerker",
    Role.TEAMLEIDER: "teamleider",
    Role.BELEID: "beleidsmedewerker",
    Role.ADMIN: "beheerder",
}

#: Roles that manage the team: invite, deactivate, link the group.
MANAGERS = frozenset({Role.TEAMLEIDER, Role.ADMIN})


def parse_role(text: str) -> Role:
    """The role named by ``text`` (case-insensitive); ``ValueError`` otherwise."""
    return Role(text.strip().lower())
