"""Demo data for ``python -m bot console --profile NAME``: a quarter of one team's work under
that municipality's profile, so anyone can see how the bot behaves there.

Colleagues for each role of the profile, clients in every category of the profile (active for
up to a quarter, so contacts and reviews follow the profile's rhythms), two aanmeldingen for
the next weekdate, a vacature per kind of place and an open actiepunt. Seeded once: a team that
already has clients is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import local_today
from bot.core.roles import Role
from bot.core.vocabulary import ClientStatus
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
