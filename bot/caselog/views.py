"""Reading the case log: the client card (audit-logged), my clients, open vacatures.

``view_client`` is the one service call behind ``/client``; the ``*_view`` functions are pure and
turn stored codes into the Dutch labels of the configuration for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.caselog.catalog import CLIENT_STATUSES, VACANCY_SOURCES, CaselogConfig, label_of
from storage import audit, clients, staff
from storage import caselog as items
from storage.staff import StaffMember
from storage.vacancies import VacancyInfo

#: How a history entry's field is called on the card.
HISTORY_LABELS = {
    "category": "categorie",
    "subcategory": "subcategorie",
    "owner": "eigenaar",
    "status": "status",
    "herinstroom": "herinstroom",
}


@dataclass(frozen=True)
class ClientCard:
    """Everything ``/client`` shows, as stored codes."""

    client: clients.ClientInfo
    owner_name: str | None
    recent: list[items.ItemInfo]
    trajectories: list[items.ItemInfo]
    history: list[clients.HistoryEntry]


async def view_client(
    session: AsyncSession, actor: StaffMember, ref: str, *, now: datetime, today: date
) -> ClientCard | None:
    """The card of ``ref`` in the actor's own team (``None`` if unknown); always audit-logged."""
    client = await clients.get_client_by_ref(session, actor.team_id, ref)
    await audit.record(
        session,
        at=now,
        action="client_view",
        result="shown" if client else "unknown",
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"client:{client.id}" if client else None,
    )
    if client is None:
        return None
    owner = await staff.get_staff(session, client.owner_staff_id) if client.owner_staff_id else None
    return ClientCard(
        client=client,
        owner_name=owner.display_name if owner else None,
        recent=await items.items_for_client(session, client.id, limit=5),
        trajectories=await items.open_trajectories(session, client.id, today),
        history=await clients.history(session, client.id, limit=10),
    )


def _iso(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def card_view(card: ClientCard, conf: CaselogConfig) -> dict[str, Any]:
    """Template variables for ``client_card.j2``."""
    client = card.client
    labels = {
        "category": conf.categories,
        "subcategory": conf.subcategories,
        "status": CLIENT_STATUSES,
    }

    def shown(field: str, value: str | None) -> str | None:
        return label_of(labels[field], value) if field in labels and value else value

    return {
        "client": client,
        "status": label_of(CLIENT_STATUSES, client.status),
        "category": label_of(conf.categories, client.category)
        if client.category
        else "nog niet besloten",
        "subcategory": label_of(conf.subcategories, client.subcategory)
        if client.subcategory
        else None,
        "owner": card.owner_name,
        "tags": [label_of(conf.tags, tag) for tag in client.tags],
        "trajectories": [
            {
                "instrument": label_of(conf.instruments, t.data.get("instrument")),
                "start": _iso(t.data.get("start")),
                "end": _iso(t.data.get("end")),
            }
            for t in card.trajectories
        ],
        "recent": card.recent,
        "history": [
            {
                "at": h.at,
                "label": HISTORY_LABELS.get(h.field, h.field),
                "old": shown(h.field, h.old_value),
                "new": shown(h.field, h.new_value),
                "actor": h.actor_name,
                "reason": h.reason,
            }
            for h in card.history
        ],
    }


def my_clients_view(owned: list[clients.OwnedClient], conf: CaselogConfig) -> list[dict[str, Any]]:
    """Template rows for ``mijn.j2``."""
    return [
        {
            "ref": o.client.ref,
            "category": label_of(conf.categories, o.client.category)
            if o.client.category
            else "categorie nog open",
            "status": label_of(CLIENT_STATUSES, o.client.status),
            "pending": o.pending_items,
            "trajectories": o.open_trajectories,
        }
        for o in owned
    ]


def vacancy_view(vacancy: VacancyInfo, conf: CaselogConfig) -> dict[str, Any]:
    """Template variables for one vacature in ``vacancies_list.j2``."""
    return {
        "function": vacancy.function,
        "employer": vacancy.employer,
        "hours": vacancy.hours_per_week,
        "place": label_of(conf.place_kinds, vacancy.place_kind),
        "ladder": vacancy.ladder_step,
        "branche": label_of(conf.branches, vacancy.branche),
        "closing": vacancy.closing_date,
        "source": label_of(VACANCY_SOURCES, vacancy.source),
    }
