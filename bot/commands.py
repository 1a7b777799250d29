"""The command catalogue: which commands exist, what they do (Dutch) and who may use them.

`/help` and Telegram's command menu are both built from this one list.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.roles import Role

ALL_ROLES = frozenset(Role)
STAFF = ALL_ROLES


@dataclass(frozen=True)
class Command:
    """One bot command."""

    name: str
    description: str
    roles: frozenset[Role]
    #: Answered only in a private chat; in a group the access middleware redirects instead, so
    #: no client detail can reach a group whatever the handler does. Private unless a command
    #: says otherwise: a new command cannot leak into the group by being forgotten here.
    private_only: bool = True


#: Who records and handles deadlines (ontheffingen, contacts, the digest's buttons).
DEADLINE_ROLES = frozenset({Role.CONSULENT, Role.LOOPBAANBEGELEIDER, Role.TEAMLEIDER, Role.ADMIN})

COMMANDS: tuple[Command, ...] = (
    Command("start", "Begroeting en je rollen", STAFF, private_only=False),
    Command("help", "Wat je met de bot kunt", STAFF, private_only=False),
    Command("annuleer", "Stop het formulier waar je mee bezig bent", STAFF, private_only=False),
    Command("team", "Je team en de rollen", STAFF, private_only=False),
    Command("aanmelding", "Nieuwe cliënt na het eerste gesprek", STAFF),
    Command("vacature", "Nieuwe vacature vastleggen", STAFF),
    Command("vacatures", "Open vacatures; vervuld melden", STAFF),
    Command("traject", "Traject dat gaat beginnen (REF)", STAFF),
    Command("succes", "Succes delen: /succes REF tekst", STAFF),
    Command("knelpunt", "Knelpunt melden: /knelpunt REF tekst", STAFF),
    Command("client", "Kaart van een cliënt: /client REF", STAFF),
    Command("mijn", "Mijn cliënten en wat openstaat", STAFF),
    Command("categorie", "Categorie van een cliënt wijzigen", STAFF),
    Command("wijzig", "Een recent item van jezelf aanpassen", STAFF),
    Command(
        "uitnodigen",
        "Nodig een collega uit met een eenmalige code",
        frozenset({Role.TEAMLEIDER, Role.ADMIN}),
    ),
    Command("agenda", "De agenda van de weekdate (vorige, pdf, ics)", STAFF, private_only=False),
    Command(
        "weekdate",
        "Weekdate leiden: start, stop, verzet",
        frozenset({Role.TEAMLEIDER, Role.ADMIN}),
    ),
    Command("notulen", "De laatste notulen van de weekdate", STAFF),
    Command(
        "koppel",
        "Koppel deze groep aan je team (in de groep)",
        frozenset({Role.TEAMLEIDER, Role.ADMIN}),
        private_only=False,
    ),
    Command("ontheffing", "Leg een ontheffing vast: /ontheffing REF", DEADLINE_ROLES),
    Command("contact", "Leg een participatiecontact vast: /contact REF", DEADLINE_ROLES),
    Command("termijnen", "Je open termijnen (teamleider: van het team)", DEADLINE_ROLES),
    Command("uitstroom", "Uitstroom vastleggen: /uitstroom REF", STAFF),
    Command(
        "overzicht",
        "Overzicht van het team: categorieën, eigenaren, registratie",
        frozenset({Role.TEAMLEIDER, Role.ADMIN}),
    ),
    Command("zoek", "Zoek een referentie in je team: /zoek 1023", STAFF),
    Command("wensen", "Wensen voor werk van een cliënt: /wensen REF", STAFF),
    Command("overdracht", "Cliënt overdragen aan een collega: /overdracht REF", DEADLINE_ROLES),
    Command("doelgroep", "Doelgroepen van een cliënt wijzigen: /doelgroep REF", STAFF),
    Command(
        "cijfers",
        "Stuurcijfers en grafieken: /cijfers 2026Q3",
        frozenset(
            {Role.TEAMLEIDER, Role.BELEID, Role.ADMIN, Role.CONSULENT, Role.LOOPBAANBEGELEIDER}
        ),
        # In a group only a teamleider's question is answered, with totals only (the service).
        private_only=False,
    ),
    Command(
        "export",
        "Cijfers als Excel en CSV, of pdf voor de raad: /export 2026H1 pdf",
        frozenset({Role.TEAMLEIDER, Role.BELEID, Role.ADMIN}),
    ),
)


def commands_for(roles: frozenset[Role]) -> list[Command]:
    """The commands someone with ``roles`` may use, in catalogue order."""
    return [command for command in COMMANDS if command.roles & roles]


def is_private_only(name: str) -> bool:
    """Whether ``/name`` is answered only in a private chat (unknown names are not)."""
    return any(command.private_only for command in COMMANDS if command.name == name)


def is_known(name: str) -> bool:
    """Whether ``/name`` is a command of the catalogue."""
    return name in {command.name for command in COMMANDS}
