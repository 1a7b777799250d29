"""Showing the route: the overview, lists of clients and search results (templates in
``bot/templates/route``); their buttons."""

from __future__ import annotations

from bot.caselog.catalog import CLIENT_STATUSES, CaselogConfig, label_of
from bot.core.callbacks import Offset, family
from bot.core.paging import page_row
from bot.core.render import render
from bot.core.ui import Button, Reply
from bot.route.service import ClientList, Overview
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
