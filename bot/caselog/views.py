"""Showing the case log: pure functions that turn what the service returns (stored codes) into
the Dutch labels of the configuration for the templates, and the button labels (templates too).
"""

from __future__ import annotations

from typing import Any

from bot.caselog.catalog import (
    CLIENT_STATUSES,
    LADDER_STEPS,
    VACANCY_SOURCES,
    CaselogConfig,
    label_of,
)
from bot.caselog.rules import kind_label
from bot.caselog.service import (
    ClientCard,
    MyClientsPage,
    OwnedClient,
    VacancyInfo,
    VacancyPage,
)
from bot.core.callbacks import Offset, family
from bot.core.paging import page_row
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.route.views import candidate_rows, route_view


def button_label(name: str, **values: Any) -> str:
    """The label of the case log button called ``name`` (``caselog/button.j2``)."""
    return render("caselog/button", name=name, **values)


def card_view(card: ClientCard, conf: CaselogConfig) -> dict[str, Any]:
    """Template variables for ``caselog/client_card.j2``."""
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
        "category": label_of(conf.categories, client.category) if client.category else None,
        "subcategory": label_of(conf.subcategories, client.subcategory)
        if client.subcategory
        else None,
        "owner": card.owner_name,
        "tags": [label_of(conf.tags, tag) for tag in client.tags],
        "trajecten": card.trajectories,
        "recent": card.recent,
        "kind_label": kind_label,
        "route": route_view(card.route, conf) if card.route is not None else None,
        "history": [
            {
                "at": h.at,
                "field": h.field,
                "old": shown(h.field, h.old_value),
                "new": shown(h.field, h.new_value),
                "actor": h.actor_name,
                "reason": h.reason,
            }
            for h in card.history
        ],
    }


#: The "Vorige"/"Meer" buttons under ``/mijn``: ``mijn:page:<offset>``.
MY_CLIENTS_BUTTONS = family("mijn", "mijn cliënten bladeren", {"page": (Offset,)})


def my_clients_reply(listed: MyClientsPage, conf: CaselogConfig) -> Reply:
    """One page of ``/mijn``, with "Vorige"/"Meer" when there are more."""
    page = listed.page
    text = render("caselog/mijn", clients=my_clients_view(listed.clients, conf), page=page)
    nav = page_row(page, lambda offset: MY_CLIENTS_BUTTONS.encode("page", offset))
    return Reply(text, [nav] if nav else [])


def my_clients_view(owned: list[OwnedClient], conf: CaselogConfig) -> list[dict[str, Any]]:
    """Template rows for ``caselog/mijn.j2``."""
    return [
        {
            "ref": o.client.ref,
            "category": label_of(conf.categories, o.client.category) if o.client.category else None,
            "status": label_of(CLIENT_STATUSES, o.client.status),
            "pending": o.pending_items,
            "trajectories": o.open_trajectories,
        }
        for o in owned
    ]


def vacancy_view(vacancy: VacancyInfo, conf: CaselogConfig) -> dict[str, Any]:
    """Template variables for one vacature in ``caselog/vacancies_list.j2``."""
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


#: The Vervuld buttons of ``/vacatures``: ``vac:fill:<vacancy id>``.
VACANCY_BUTTONS = family(
    "vac", "vacature vervuld", {"fill": (int,), "page": (Offset,), "edit": (int,)}
)


def vacancies_reply(listed: VacancyPage, settings: CaselogConfig) -> Reply:
    """One page of the team's open vacatures, each with a numbered Vervuld button, and
    "Vorige"/"Meer" when there are more."""
    page = listed.page
    shown = [vacancy_view(v, settings) for v in listed.vacancies]
    buttons = [
        Button(button_label("filled", index=index), VACANCY_BUTTONS.encode("fill", v.id))
        for index, v in enumerate(listed.vacancies, start=page.first_number)
    ]
    # Its author or a teamleider may also change a vacature ("Wijzig n").
    edits = [
        Button(
            render("route/people_button", name="edit_vacancy", index=index),
            VACANCY_BUTTONS.encode("edit", v.id),
        )
        for index, v in enumerate(listed.vacancies, start=page.first_number)
        if v.id in listed.editable
    ]
    text = render("caselog/vacancies_list", vacancies=shown, ladder=LADDER_STEPS, page=page)
    nav = page_row(page, lambda offset: VACANCY_BUTTONS.encode("page", offset))
    ranked = candidate_rows([v.id for v in listed.vacancies], page.first_number)
    rows = [*keyboard_rows(buttons, 3), *keyboard_rows(edits, 3), *ranked]
    return Reply(text, [*rows, *([nav] if nav else [])])
