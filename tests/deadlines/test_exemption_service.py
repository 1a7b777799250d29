"""Issue 11 through the service and the sweep's reconcile steps (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.core.roles import Role
from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    ExemptionBasis,
    ExemptionReason,
    ExemptionScope,
    HistoryField,
)
from bot.deadlines import service
from bot.deadlines.settings import DeadlinesConfig
from storage.deadlines import DeadlineError, Decision
from storage.models import Client, ClientEvent, Deadline, Exemption
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # Monday 5 January 2026
DECISION = Decision(date(2026, 1, 5), ExemptionBasis.REQUEST_9A, case_number="Z-2026-1")


async def _setup(bot: BotHarness, tags: list[str]) -> tuple[int, int, int]:
    consulent = await bot.staff(Role.CONSULENT, name="Anna")
    async with bot.runtime.db.transaction() as session:
        owner, team = await staff_id(session, consulent.id)
        client = await make_client(
            session,
            team_id=team,
            ref="C-9001",
            owner_staff_id=owner,
            now=NOW,
            category="meedoen",
            entered_on=date(2024, 1, 8),
        )
        (await session.get_one(Client, client)).tags = tags
    return owner, team, client


async def _art9a(
    bot: BotHarness, owner: int, team: int, client: int, confirm: bool = False
) -> service.Art9aSaved:
    async with bot.runtime.db.transaction() as session:
        return await service.create_art9a(
            session,
            team_id=team,
            client_id=client,
            request_date=date(2026, 1, 5),
            youngest_born=date(2025, 6, 14),
            months_used_before=0,
            decision=DECISION,
            owner_staff_id=owner,
            config=DeadlinesConfig(exemption_yearly_contact=True),
            now=NOW,
            confirm_single_parent=confirm,
        )


async def test_art9a_only_for_a_single_parent_once_and_ends_by_law(bot: BotHarness) -> None:
    owner, team, client = await _setup(bot, [])
    # Not tagged alleenstaande ouder: refused unless confirmed (003:L339).
    with pytest.raises(DeadlineError) as refused:
        await _art9a(bot, owner, team, client)
    assert refused.value.code == "not_single_parent"
    saved = await _art9a(bot, owner, team, client, confirm=True)
    assert saved.end == date(2030, 6, 14)  # the fifth birthday (art. 9a)
    assert saved.followup_due == date(2030, 5, 14) and saved.plan_due == date(2026, 7, 3)
    assert saved.contact_due == date(2027, 1, 5)  # yearly contact (003:L367)
    # Granted once (art. 9a).
    with pytest.raises(DeadlineError) as again:
        await _art9a(bot, owner, team, client)
    assert again.value.code == "art9a_again"
    async with bot.runtime.db.transaction() as session:
        row = await session.get_one(Exemption, saved.exemption_id)
        assert (row.scope, row.basis, row.case_number) == (
            "arbeidsplicht",
            "verzoek_9a",
            "Z-2026-1",
        )
        assert "alleenstaande_ouder" in (await session.get_one(Client, client)).tags
        kinds = {d.kind for d in await session.scalars(select(Deadline))}
        assert "exemption_review" not in kinds  # nothing to "verlengen"
    # The day before the end nothing happens; on the end date it ends by itself.
    async with bot.runtime.db.transaction() as session:
        assert await service.reconcile_exemptions(session, today=date(2030, 6, 13), now=NOW) == 0
        assert await service.reconcile_exemptions(session, today=date(2030, 6, 14), now=NOW) == 1
    async with bot.runtime.db.transaction() as session:
        row = await session.get_one(Exemption, saved.exemption_id)
        assert (row.status, row.ended_on) == ("ended", date(2030, 6, 14))
        events = [e.field for e in await session.scalars(select(ClientEvent))]
        assert HistoryField.EXEMPTION in events


async def test_an_uitstroom_ends_the_exemption(bot: BotHarness) -> None:
    # Art. 9a: suspended by law when the right to bijstand ends.
    owner, team, client = await _setup(bot, ["alleenstaande_ouder"])
    saved = await _art9a(bot, owner, team, client)
    async with bot.runtime.db.transaction() as session:
        (await session.get_one(Client, client)).status = "uitgestroomd"
    async with bot.runtime.db.transaction() as session:
        assert await service.reconcile_exemptions(session, today=date(2026, 9, 1), now=NOW) == 1
    async with bot.runtime.db.transaction() as session:
        row = await session.get_one(Exemption, saved.exemption_id)
        assert (row.status, row.ended_on) == ("ended", date(2026, 9, 1))
        still_open = await session.scalars(
            select(Deadline).where(Deadline.status == "open", Deadline.source_type == "exemption")
        )
        assert list(still_open) == []


@pytest.mark.parametrize(("with_full", "expected"), [(True, 1), (False, 0)])
async def test_participation_with_full_exemption_setting(
    bot: BotHarness, with_full: bool, expected: int
) -> None:
    # 004:L302: "tenzij een cliënt een ontheffing heeft".
    owner, team, client = await _setup(bot, [])
    config = replace(DeadlinesConfig(), participation_with_full_exemption=with_full)
    async with bot.runtime.db.transaction() as session:
        await service.create_exemption(
            session,
            team_id=team,
            client_id=client,
            scope=ExemptionScope.FULL,
            reason=ExemptionReason.MEDICAL,
            start=date(2026, 1, 5),
            end=None,
            review_date=date(2027, 1, 5),
            youngest_turns_five=None,
            owner_staff_id=owner,
            now=NOW,
        )
        await service.reconcile_participation(session, config=config, now=NOW)
        found = await session.scalars(
            select(Deadline).where(
                Deadline.kind == "participation_contact", Deadline.status == "open"
            )
        )
        assert len(list(found)) == expected


async def test_first_participation_contact_counts_from_the_category_change(bot: BotHarness) -> None:
    # 004:L287: entered January 2024 in Werkfit, Meedoen from 12 January 2026.
    _owner, _team, client = await _setup(bot, [])
    async with bot.runtime.db.transaction() as session:
        session.add(
            ClientEvent(
                client_id=client,
                at=datetime(2026, 1, 12, 9, tzinfo=UTC),
                field="category",
                old_value="werkfit",
                new_value="meedoen",
            )
        )
        await session.flush()
        await service.reconcile_participation(session, config=DeadlinesConfig(), now=NOW)
        due = await session.scalar(
            select(Deadline.due_date).where(Deadline.kind == "participation_contact")
        )
    assert due == date(2027, 1, 12)


@pytest.mark.parametrize(("months", "due"), [(6, date(2026, 7, 3)), (3, date(2026, 4, 2))])
async def test_status_holder_review_months_setting(bot: BotHarness, months: int, due: date) -> None:
    # 001:L156; deadlines.status_holder_review_months used to feed nothing.
    _owner, _team, client = await _setup(bot, ["statushouder"])
    async with bot.runtime.db.transaction() as session:
        (await session.get_one(Client, client)).entered_on = date(2026, 1, 5)
        config = replace(DeadlinesConfig(), status_holder_review_months=months)
        made = await service.reconcile_status_holders(
            session, config=config, today=date(2026, 1, 5), now=NOW
        )
        again = await service.reconcile_status_holders(
            session, config=config, today=date(2026, 1, 5), now=NOW
        )
        found = await session.scalar(
            select(Deadline.due_date).where(Deadline.kind == "status_holder_review")
        )
    assert (made, again, found) == (1, 0, due)


@pytest.mark.parametrize("scope", list(ExemptionScope))
async def test_art9a_never_through_the_plain_exemption_path(
    bot: BotHarness, scope: ExemptionScope
) -> None:
    """Art. 9a has its own conditions (single parent, once, fixed scope, legal end): the plain
    path refuses it with any scope, even for a tagged single parent, and stores nothing."""
    owner, team, client = await _setup(bot, ["alleenstaande_ouder"])
    with pytest.raises(DeadlineError) as refused:
        async with bot.runtime.db.transaction() as session:
            await service.create_exemption(
                session,
                team_id=team,
                client_id=client,
                scope=scope,
                reason=ExemptionReason.CHILD_UNDER_5,
                start=date(2026, 1, 5),
                end=None,
                review_date=date(2027, 1, 5),
                youngest_turns_five=date(2028, 1, 5),
                owner_staff_id=owner,
                now=NOW,
            )
    assert refused.value.code == "art9a_own_form"
    async with bot.runtime.db.transaction() as session:
        assert (await session.scalars(select(Exemption))).all() == []


@pytest.mark.parametrize(
    ("months", "due"),
    [
        # Entered Meedoen on Monday 8 January 2024 (004:L287: within 12 months of entering).
        (12, date(2025, 1, 8)),
        (6, date(2024, 7, 8)),
    ],
)
async def test_participation_first_months_setting(bot: BotHarness, months: int, due: date) -> None:
    _owner, _team, client = await _setup(bot, [])
    config = DeadlinesConfig(participation_first_months=months)
    async with bot.runtime.db.transaction() as session:
        await service.ensure_participation_deadline(session, client, config=config, now=NOW)
        found = await session.scalar(
            select(Deadline.due_date).where(Deadline.kind == "participation_contact")
        )
    assert found == due


@pytest.mark.parametrize(
    ("months", "due"),
    [
        # A face-to-face contact on Monday 5 January 2026: the next one 12 months later ...
        (12, date(2027, 1, 5)),
        # ... or 6 (Sunday 5 July 2026 moves back to Friday 3 July).
        (6, date(2026, 7, 3)),
    ],
)
async def test_participation_interval_months_setting(
    bot: BotHarness, months: int, due: date
) -> None:
    owner, _team, client = await _setup(bot, [])
    config = DeadlinesConfig(participation_interval_months=months)
    async with bot.runtime.db.transaction() as session:
        await service.ensure_participation_deadline(session, client, config=config, now=NOW)
        saved = await service.record_participation_contact(
            session,
            client_id=client,
            kind=ContactKind.FACE_TO_FACE,
            contact_date=date(2026, 1, 5),
            outcome=ContactOutcome.VOLUNTEERING,
            note=None,
            staff_id=owner,
            config=config,
            now=NOW,
        )
    assert saved.next_due == due


@pytest.mark.parametrize(("yearly", "contacts"), [(True, [date(2027, 1, 5)]), (False, [])])
async def test_exemption_yearly_contact_setting(
    bot: BotHarness, yearly: bool, contacts: list[date]
) -> None:
    # 003:L367: a yearly contact for every (partial) ontheffing, only where the team asks it.
    owner, team, client = await _setup(bot, [])
    async with bot.runtime.db.transaction() as session:
        await service.create_exemption(
            session,
            team_id=team,
            client_id=client,
            scope=ExemptionScope.WORK,
            reason=ExemptionReason.INFORMAL_CARE,
            start=date(2026, 1, 5),
            end=None,
            review_date=date(2027, 3, 5),
            youngest_turns_five=None,
            owner_staff_id=owner,
            now=NOW,
            config=DeadlinesConfig(exemption_yearly_contact=yearly),
        )
        found = await session.scalars(
            select(Deadline.due_date).where(Deadline.kind == "exemption_contact")
        )
        assert list(found) == contacts
