"""A realistic caseload with years of history, written straight into the tables (bulk inserts):
for the figures' storage tests, the demo report and ``benchmarks/figures.py``.

Deterministic for a seed. Every client gets an intake item and a status event; a first
classification a few weeks later; some category and subcategory moves; some leave (status
uitgestroomd, or geplaatst with LKS) with a reason, and some of those come back (a herinstroom
intake). Ontheffingen, participation contacts, deadlines, vacatures, trajecten with outcomes,
placements for the exits to werk, and doelgroep tag periods on top.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.roles import Role
from storage import staff as staff_store
from storage import teams
from storage.models import (
    CaseItem,
    Client,
    ClientEvent,
    ClientTagPeriod,
    Deadline,
    Exemption,
    ParticipationContact,
    Placement,
    Trajectory,
    Vacancy,
)

CATEGORIES = ("zorg", "meedoen", "werkfit")
SUBS = ("ontwikkeling", "maximaal")
INSTRUMENTS = ("werkstage", "taalstage", "proefplaatsing", "workshop", "jobcoaching")
REASONS = ("medisch", "mantelzorg", "zorg_kinderen", "scholing")
SCOPES = ("volledig", "arbeidsplicht", "sollicitatieplicht")
#: Exit reasons (the default list) and their weights; werk is a placement, a third with LKS.
EXIT_REASONS = ("werk", "andere_inkomsten", "onderwijs", "verhuizing", "handhaving", "overig")
EXIT_WEIGHTS = (40, 20, 10, 15, 5, 10)
WORK_KINDS = ("fulltime", "parttime", "detachering", "garantiebaan")


@dataclass(frozen=True)
class Seeded:
    team_id: int
    staff_ids: list[int]
    clients: int
    events: int


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


async def seed_caseload(
    session: AsyncSession,
    *,
    team_name: str,
    clients: int,
    today: date,
    years: int = 5,
    seed: int = 12,
    staff_count: int = 8,
) -> Seeded:
    """Write ``clients`` clients with ``years`` of history up to ``today`` into ``team_name``."""
    rng = random.Random(seed)
    team = await teams.get_team_by_name(session, team_name)
    assert team is not None
    staff_ids: list[int] = []
    for n in range(staff_count):
        role = Role.CONSULENT if n % 2 == 0 else Role.LOOPBAANBEGELEIDER
        member = await staff_store.upsert_staff(
            session,
            telegram_user_id=900_000 + seed * 1000 + n,
            display_name=f"Medewerker {n + 1}",
            team_id=team.id,
            roles=[role],
            now=_at(today),
        )
        staff_ids.append(member.staff_id)
    author = staff_ids[0]
    first_day = today - timedelta(days=365 * years)
    span = (today - first_day).days
    client_rows: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    for n in range(clients):
        start = first_day + timedelta(days=rng.randrange(span))
        entitlement = rng.choices(["ja", "nug", "nee"], [88, 6, 6])[0]
        benefit = None
        if entitlement == "ja":
            back = rng.randrange(30) if rng.random() < 0.7 else rng.randrange(365 * 8)
            benefit = start - timedelta(days=back)
        tags = ["statushouder"] if rng.random() < 0.3 else []
        plans.append({"start": start, "entitlement": entitlement, "benefit": benefit, "tags": tags})
        client_rows.append(
            {
                "team_id": team.id,
                "ref": f"C-{n:05d}",
                "ref_key": f"C{n:05d}",
                "owner_staff_id": rng.choice(staff_ids),
                "category": None,
                "subcategory": None,
                "tags": tags,
                "status": "aangemeld",
                "entitlement": entitlement,
                "benefit_start": benefit,
                "entered_on": start,
                "created_at": _at(start),
                "updated_at": _at(start),
            }
        )
    await session.execute(insert(Client), client_rows)
    ids = list(
        (
            await session.execute(
                select(Client.id).where(Client.team_id == team.id).order_by(Client.id)
            )
        ).scalars()
    )
    events: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    exemptions: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    deadlines: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []

    placements: list[dict[str, Any]] = []
    tag_periods: list[dict[str, Any]] = []

    def event(
        cid: int, day: date, field: str, old: str | None, new: str | None, why: str | None = None
    ) -> None:
        events.append(
            {
                "client_id": cid,
                "at": _at(day),
                "actor_staff_id": author,
                "field": field,
                "old_value": old,
                "new_value": new,
                "reason": why,
            }
        )

    for cid, plan in zip(ids, plans, strict=True):
        day: date = plan["start"]
        for tag in plan["tags"]:
            # Some doelgroepen end (a statushouder after inburgering), most stay.
            removed = day + timedelta(days=rng.randint(200, 1500)) if rng.random() < 0.3 else None
            tag_periods.append(
                {
                    "client_id": cid,
                    "tag": tag,
                    "set_on": day,
                    "removed_on": removed if removed and removed <= today else None,
                }
            )
        category: str | None = None
        sub: str | None = None
        status = "aangemeld"
        herinstroom = False
        while day <= today:
            items.append(
                {
                    "team_id": team.id,
                    "client_id": cid,
                    "author_staff_id": author,
                    "kind": "intake",
                    "text": None,
                    "data": {
                        "first_conversation": day.isoformat(),
                        "entitlement": plan["entitlement"],
                        "tags": plan["tags"],
                        "proposed_category": None,
                        "herinstroom": herinstroom,
                    },
                    "created_at": _at(day),
                    "agenda_status": "discussed",
                }
            )
            if herinstroom:
                event(cid, day, "herinstroom", status, "aangemeld")
            event(cid, day, "status", None if not herinstroom else status, "aangemeld")
            status = "aangemeld"
            classified = day + timedelta(days=rng.randint(7, 45))
            if classified > today:
                break
            new_cat = rng.choices(CATEGORIES, [45, 38, 17])[0]
            if new_cat != category:
                event(cid, classified, "category", category, new_cat)
            new_sub = rng.choice(SUBS)
            if new_sub != sub:
                event(cid, classified, "subcategory", sub, new_sub)
            category, sub = new_cat, new_sub
            event(cid, classified, "status", status, "actief")
            status = "actief"
            moment = classified
            # Moves between categories and subcategories over the years.
            while rng.random() < 0.45:
                moment = moment + timedelta(days=rng.randint(60, 500))
                if moment > today:
                    break
                if rng.random() < 0.6:
                    other = rng.choice([c for c in CATEGORIES if c != category])
                    event(cid, moment, "category", category, other)
                    category = other
                else:
                    other_sub = "maximaal" if sub == "ontwikkeling" else "ontwikkeling"
                    event(cid, moment, "subcategory", sub, other_sub)
                    sub = other_sub
            if category in ("zorg", "meedoen") and rng.random() < 0.35:
                ex_start = classified + timedelta(days=rng.randint(0, 90))
                if ex_start <= today:
                    ex_end = ex_start + timedelta(days=rng.choice([180, 365, 730]))
                    exemptions.append(
                        {
                            "team_id": team.id,
                            "client_id": cid,
                            "scope": rng.choice(SCOPES),
                            "reason": rng.choice(REASONS),
                            "start_date": ex_start,
                            "end_date": ex_end,
                            "review_date": ex_start + timedelta(days=180),
                            "status": "active" if ex_end >= today else "ended",
                            "created_at": _at(ex_start),
                        }
                    )
                    review = ex_start + timedelta(days=180)
                    if review <= today + timedelta(days=60):
                        lateness = rng.choice([-5, 0, 0, 3, 20, None])
                        done = None if lateness is None else review + timedelta(days=lateness)
                        if done is not None and done > today:
                            done = None
                        deadlines.append(
                            {
                                "team_id": team.id,
                                "client_id": cid,
                                "kind": "exemption_review",
                                "title": None,
                                "due_date": review,
                                "owner_staff_id": author,
                                "status": "done" if done else "open",
                                "postponements": rng.choice([0, 0, 0, 1]),
                                "created_at": _at(ex_start),
                                "resolved_at": _at(done) if done else None,
                            }
                        )
            if category in ("zorg", "meedoen"):
                contact_day = classified + timedelta(days=rng.randint(150, 400))
                while contact_day <= today and rng.random() < 0.8:
                    contacts.append(
                        {
                            "team_id": team.id,
                            "client_id": cid,
                            "kind": rng.choice(["face_to_face", "face_to_face", "telefonisch"]),
                            "contact_date": contact_day,
                            "outcome": "vrijwilligerswerk",
                            "created_at": _at(contact_day),
                        }
                    )
                    contact_day += timedelta(days=rng.randint(200, 420))
            if rng.random() < 0.3:
                t_start = classified + timedelta(days=rng.randint(10, 200))
                if t_start <= today:
                    items.append(
                        {
                            "team_id": team.id,
                            "client_id": cid,
                            "author_staff_id": author,
                            "kind": "trajectory",
                            "text": None,
                            "data": {
                                "instrument": rng.choice(INSTRUMENTS),
                                "start": t_start.isoformat(),
                                "end": (
                                    t_start + timedelta(days=rng.choice([90, 180]))
                                ).isoformat(),
                            },
                            "created_at": _at(t_start),
                            "agenda_status": "discussed",
                        }
                    )
            if rng.random() < 0.45:
                left = max(moment, classified) + timedelta(days=rng.randint(30, 900))
                if left <= today:
                    reason = rng.choices(EXIT_REASONS, EXIT_WEIGHTS)[0]
                    lks = reason == "werk" and rng.random() < 0.3
                    left_as = "geplaatst" if lks else "uitgestroomd"
                    event(cid, left, "status", status, left_as, reason)
                    status = left_as
                    if reason == "werk":
                        placements.append(
                            {
                                "team_id": team.id,
                                "client_id": cid,
                                "kind": "lks" if lks else rng.choice(WORK_KINDS),
                                "hours_per_week": rng.choice([16, 24, 32, 36]),
                                "start_date": left,
                                "with_lks": lks,
                                "author_staff_id": author,
                                "created_at": _at(left),
                            }
                        )
                    if rng.random() < 0.2:
                        day = left + timedelta(days=rng.randint(30, 500))
                        herinstroom = True
                        continue
            break
        updates.append({"id": cid, "category": category, "subcategory": sub, "status": status})
    await session.execute(insert(ClientEvent), events)
    await session.execute(insert(CaseItem), items)
    if placements:
        await session.execute(insert(Placement), placements)
    if tag_periods:
        await session.execute(insert(ClientTagPeriod), tag_periods)
    trajects = []
    for item_id, cid, data in await session.execute(
        select(CaseItem.id, CaseItem.client_id, CaseItem.data).where(
            CaseItem.team_id == team.id, CaseItem.kind == "trajectory"
        )
    ):
        start_day, end_day = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
        closed = end_day <= today
        outcome = rng.choices(["afgerond", "gestopt", None], [60, 25, 15])[0] if closed else None
        trajects.append(
            {
                "team_id": team.id,
                "client_id": cid,
                "case_item_id": item_id,
                "instrument": data["instrument"],
                "start": start_day,
                "planned_end": end_day,
                "end": end_day,
                "status": outcome or "lopend",
                "closed_on": end_day if outcome else None,
                "created_at": _at(start_day),
                "updated_at": _at(end_day if closed else start_day),
            }
        )
    if trajects:
        await session.execute(insert(Trajectory), trajects)
    if exemptions:
        await session.execute(insert(Exemption), exemptions)
    if contacts:
        await session.execute(insert(ParticipationContact), contacts)
    if deadlines:
        await session.execute(insert(Deadline), deadlines)
    vacancies = []
    for n in range(40 * years):
        opened = first_day + timedelta(days=rng.randrange(span))
        closes = opened + timedelta(days=rng.randint(10, 120))
        state = "open" if closes > today else rng.choice(["vervuld", "vervallen"])
        vacancies.append(
            {
                "team_id": team.id,
                "author_staff_id": author,
                "employer": f"Werkgever {n}",
                "function": "medewerker",
                "place_kind": rng.choice(["betaald_werk", "werkstage", "proefplaatsing"]),
                "status": state,
                "created_at": _at(opened),
                "closed_at": None if state == "open" else _at(closes),
            }
        )
    await session.execute(insert(Vacancy), vacancies)
    from sqlalchemy import update

    await session.execute(update(Client), updates)
    return Seeded(team.id, staff_ids, clients, len(events))
