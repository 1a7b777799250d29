"""Demo data for ``python -m bot console --profile NAME``: a quarter of one team's work under
that municipality's profile, so anyone can see how the bot behaves there.

Colleagues for each role of the profile, clients in every category of the profile (active for
up to a quarter, so contacts and reviews follow the profile's rhythms), two aanmeldingen for
the next weekdate, a vacature per kind of place, an open actiepunt, and this month's uitstroom:
a client for each exit reason of the team (two for werk, one with loonkostensubsidie) through
the /uitstroom flow, so ``/cijfers`` and its charts show exits by reason and placements.
Seeded once: a team that already has clients is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import local_today
from bot.core.roles import Role
from bot.core.vocabulary import ClientStatus
from bot.route import exit_service
from bot.route.exit_rules import WITH_LKS, is_work
from bot.runtime import Runtime
from storage import clients, deadlines, staff, teams, vacancies

#: Telegram ids of the demo colleagues (far from the console identities at 100+).
FIRST_DEMO_USER = 9000
CLIENTS_PER_CATEGORY = 3


async def seed_demo(runtime: Runtime) -> int:
    """Seed the first team's demo quarter; returns the number of clients made (0: seeded)."""
    team_config = runtime.config.teams[0]
    profile = team_config.profile
    now = runtime.clock.now()
    today = local_today(runtime.clock)
    async with runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, team_config.name)
        assert team is not None  # prepare_database created it
        if await clients.team_has_clients(session, team.id):
            return 0
        by_role: dict[str, int] = {}
        for number, role in enumerate(profile.roles):
            member = await staff.upsert_staff(
                session,
                telegram_user_id=FIRST_DEMO_USER + number,
                display_name=f"Demo {role.label}"[:60],
                team_id=team.id,
                roles=[Role(role.base)],
                now=now,
            )
            by_role.setdefault(role.code, member.staff_id)
        made = 0
        for index, category in enumerate(profile.categories):
            owner = by_role[category.owner_role]
            for n in range(CLIENTS_PER_CATEGORY):
                entered = today - timedelta(days=30 * n + 7 * index)
                saved = await clients.register_intake(
                    session,
                    team_id=team.id,
                    ref=f"D-{100 * (index + 1) + n}",
                    author_staff_id=owner,
                    first_conversation=entered,
                    entitlement="ja",
                    tags=[],
                    proposed_category=category.code,
                    benefit_start=entered,
                    note=None,
                    now=now - timedelta(days=30 * n + 7 * index),
                )
                made += 1
                if n == 0 and index < 2:
                    continue  # two aanmeldingen wait for the weekdate's decision
                subs = category.subcategories
                await clients.change_category(
                    session,
                    saved.client.id,
                    category=category.code,
                    subcategory=subs[0] if subs else None,
                    actor_staff_id=owner,
                    reason="demo",
                    now=now,
                )
                await clients.change_status(
                    session,
                    saved.client.id,
                    status=ClientStatus.ACTIVE,
                    exit_reason=None,
                    actor_staff_id=owner,
                    reason="demo",
                    now=now,
                )
        made += await _exits(runtime, session, team.id, by_role, today, now)
        any_owner = next(iter(by_role.values()))
        for kind in profile.place_kinds:
            await vacancies.add_vacancy(
                session,
                team_id=team.id,
                author_staff_id=any_owner,
                employer="Demo werkgever",
                function=f"demo: {kind.label}",
                branche=profile.branches[0] if profile.branches else None,
                hours_per_week=24,
                place_kind=kind.code,
                ladder_step=None,
                closing_date=today + timedelta(days=21),
                source=None,
                contact_note=None,
                now=now,
            )
        await deadlines.create_deadline(
            session,
            team_id=team.id,
            kind="action_item",
            due_date=today + timedelta(days=5),
            owner_staff_id=any_owner,
            now=now,
            title="demo: werkgever terugbellen",
        )
    return made


async def _exits(
    runtime: Runtime,
    session: AsyncSession,
    team_id: int,
    by_role: dict[str, int],
    today: date,
    now: datetime,
) -> int:
    """A client left for each of the team's exit reasons this month (werk twice: once parttime,
    once with loonkostensubsidie), recorded by the uitstroom flow. Returns how many clients."""
    team_name = runtime.config.teams[0].name
    reasons = runtime.settings_for(team_name).caselog.exit_reasons
    exits = [(r.code, "parttime" if is_work(r.code) else None) for r in reasons]
    exits.append((next(r.code for r in reasons if is_work(r.code)), WITH_LKS))
    owner = next(iter(by_role.values()))
    actor = await staff.get_staff(session, owner)
    assert actor is not None
    for n, (reason, kind) in enumerate(exits):
        saved = await clients.register_intake(
            session,
            team_id=team_id,
            ref=f"D-{900 + n}",
            author_staff_id=owner,
            first_conversation=today - timedelta(days=120 + 30 * n),
            entitlement="ja",
            tags=[],
            proposed_category=None,
            benefit_start=today - timedelta(days=120 + 30 * n),
            note=None,
            now=now - timedelta(days=120 + 30 * n),
        )
        # Classified a fortnight after the intake, so the exits fill the matrix's "uit" column.
        categories = runtime.config.teams[0].profile.categories
        await clients.change_category(
            session,
            saved.client.id,
            category=categories[n % len(categories)].code,
            subcategory=None,
            actor_staff_id=owner,
            reason="demo",
            now=now - timedelta(days=106 + 30 * n),
        )
        await exit_service.save_exit(
            session,
            actor,
            client_id=saved.client.id,
            reason=reason,
            on=today,
            work_kind=kind,
            hours=24 if kind else None,
            note=None,
            vacancy_id=None,
            now=now,
        )
    return len(exits)
