"""Showing the route: the overview, lists of clients and search results (templates in
``bot/templates/route``); their buttons."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from bot.caselog.catalog import CLIENT_STATUSES, CaselogConfig, label_of
from bot.core.callbacks import Offset, family
from bot.core.paging import page_row
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.deadlines.views import code_label
from bot.route.exit_rules import WORK_KINDS
from bot.route.service import (
    HISTORY_PAGE,
    Candidates,
    ClientList,
    HistoryPage,
    Overview,
    RouteCard,
)
from bot.weekdate.rules.agenda import DEADLINE_KIND_LABELS
from storage.clients import HistoryEntry
from storage.route import Gap, ListedClient

#: The overview's list buttons: ``ovz:list:<gap>:<offset>`` (private only, re-authorised).
OVERVIEW_BUTTONS = family("ovz", "overzicht: lijsten", {"list": (str, Offset)})
#: Search result pages: ``zoek:page:<offset>:<key>`` (the key is letters and digits only).
SEARCH_BUTTONS = family("zoek", "zoekresultaten", {"page": (Offset, str)})


def _rows(rows: list[ListedClient], conf: CaselogConfig) -> list[dict[str, str | None]]:
    return [
        {
            "ref": r.ref,
            "status": label_of(CLIENT_STATUSES, r.status),
            "category": label_of(conf.categories, r.category) if r.category else None,
            "subcategory": label_of(conf.subcategories, r.subcategory) if r.subcategory else None,
            "owner": r.owner,
        }
        for r in rows
    ]


def overview_reply(overview: Overview, conf: CaselogConfig) -> Reply:
    """``/overzicht`` with a button per gap that has clients in it."""
    categories = [
        {
            "category": label_of(conf.categories, c.category) if c.category else None,
            "subcategory": label_of(conf.subcategories, c.subcategory) if c.subcategory else None,
            "count": c.count,
        }
        for c in overview.categories
    ]
    keyboard = [
        [
            Button(
                render("route/button_gap", gap=gap.value, count=count),
                OVERVIEW_BUTTONS.encode("list", gap.value, 0),
            )
        ]
        for gap, count in overview.gaps.items()
        if count
    ]
    text = render(
        "route/overview",
        total=overview.total,
        categories=categories,
        owners=overview.owners,
        gaps={gap.value: count for gap, count in overview.gaps.items()},
    )
    return Reply(text, keyboard)


def gap_reply(gap: Gap, listed: ClientList, conf: CaselogConfig) -> Reply:
    """One page of the clients in ``gap``."""
    text = render(
        "route/client_list", gap=gap.value, page=listed.page, rows=_rows(listed.rows, conf)
    )
    row = page_row(listed.page, lambda offset: OVERVIEW_BUTTONS.encode("list", gap.value, offset))
    return Reply(text, [row] if row else [])


def search_reply(key: str, listed: ClientList, conf: CaselogConfig) -> Reply:
    """One page of ``/zoek`` results."""
    text = render("route/search", key=key, page=listed.page, rows=_rows(listed.rows, conf))
    row = page_row(listed.page, lambda offset: SEARCH_BUTTONS.encode("page", offset, key))
    return Reply(text, [row] if row else [])


# --- the client card's route sections -------------------------------------------------------

#: The card's buttons: more history, and the client's wishes (private only, re-authorised).
CARD_BUTTONS = family("kaart", "cliëntkaart", {"hist": (int, Offset), "wish": (int,)})


def _history_rows(entries: list[HistoryEntry], conf: CaselogConfig) -> list[dict[str, Any]]:
    labels = {
        "category": conf.categories,
        "subcategory": conf.subcategories,
        "status": CLIENT_STATUSES,
    }

    def shown(field: str, value: str | None) -> str | None:
        return label_of(labels[field], value) if field in labels and value else value

    return [
        {
            "at": h.at,
            "field": h.field,
            "old": shown(h.field, h.old_value),
            "new": shown(h.field, h.new_value),
            "actor": h.actor_name,
            "reason": h.reason,
        }
        for h in entries
    ]


def route_view(route: RouteCard, conf: CaselogConfig) -> dict[str, Any]:
    """Template variables of the card's route sections (``route/card_*.j2``)."""
    wishes = route.wishes
    return {
        "since": route.since,
        "deadlines_total": route.deadlines_total,
        "deadlines": [
            {
                "what": d.title or DEADLINE_KIND_LABELS.get(d.kind, d.kind),
                "due": d.due_date,
                "owner": d.owner,
            }
            for d in route.deadlines
        ],
        "exemptions": [
            {
                "scope": code_label("scope", e.scope),
                "reason": code_label("reason", e.reason),
                "start": e.start_date,
                "review": e.review_date,
                "end": e.end_date,
            }
            for e in route.exemptions
        ],
        "last_face_to_face": route.last_face_to_face,
        "next_contact_due": route.next_contact_due,
        "placements": [
            {
                "employer": p.employer,
                "function": p.function,
                "place": label_of(conf.place_kinds, p.place_kind) if p.place_kind else None,
                "kind": label_of(WORK_KINDS, p.kind) if p.kind else None,
                "hours": p.hours_per_week,
                "start": p.start,
                "lks": p.with_lks,
            }
            for p in route.placements
        ],
        "wishes": {
            "branches": [label_of(conf.branches, b) for b in wishes.branches],
            "hours": wishes.hours_per_week,
            "places": [label_of(conf.place_kinds, k) for k in wishes.place_kinds],
        },
        "history_total": route.history_total,
    }


def card_keyboard(ref: str, client_id: int, route: RouteCard | None) -> list[list[Button]]:
    """The card's buttons: set the wishes; more history when it does not fit on the card."""
    row = [
        Button(render("route/button_card", name="wishes"), CARD_BUTTONS.encode("wish", client_id))
    ]
    if route is not None and route.history_total > HISTORY_PAGE:
        row.append(
            Button(
                render("route/button_card", name="history"),
                CARD_BUTTONS.encode("hist", client_id, HISTORY_PAGE),
            )
        )
    return [row]


def history_reply(shown: HistoryPage, conf: CaselogConfig, tz: tzinfo) -> Reply:
    """One page of a client's history."""
    text = render(
        "route/history_page",
        ref=shown.ref,
        page=shown.page,
        history=_history_rows(shown.entries, conf),
        tz=tz,
    )
    row = page_row(shown.page, lambda offset: CARD_BUTTONS.encode("hist", shown.client_id, offset))
    return Reply(text, [row] if row else [])


# --- candidates for a vacature --------------------------------------------------------------

#: "Kandidaten" under ``/vacatures``: ``kand:show:<vacancy id>`` (private only, re-checked).
CANDIDATE_BUTTONS = family("kand", "kandidaten voor een vacature", {"show": (int,)})


def candidate_rows(vacancy_ids: list[int], first_number: int) -> list[list[Button]]:
    """A "Kandidaten N" button per listed vacature (N: its number in the list)."""
    buttons = [
        Button(
            render("route/button_card", name="candidates", index=index),
            CANDIDATE_BUTTONS.encode("show", vacancy_id),
        )
        for index, vacancy_id in enumerate(vacancy_ids, start=first_number)
    ]
    return keyboard_rows(buttons, 3)


def candidates_reply(found: Candidates | None, conf: CaselogConfig) -> Reply:
    """The ranked candidates for one vacature (or that it is no longer open)."""
    if found is None:
        return Reply(render("route/candidates", vacancy=None, ranked=[]))
    return Reply(
        render(
            "route/candidates",
            vacancy=found.vacancy,
            place=label_of(conf.place_kinds, found.vacancy.opening.place_kind),
            ranked=found.ranked,
        )
    )
