"""A client with a row in every table that can hold something about it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from storage.models import (
    CaseItem,
    Client,
    ClientEvent,
    ClientTagPeriod,
    Deadline,
    DeadlinePostponement,
    Digest,
    DigestNotification,
    Exemption,
    ExemptionReview,
    FormSession,
    Notification,
    ParticipationContact,
    Placement,
    Staff,
    Team,
    Vacancy,
    WeekdateDecision,
    WeekdateMeeting,
)
from tests.support.harness import BotHarness


async def full_client(
    bot: BotHarness, ref: str, staff_telegram_id: int, *, form_user: int, shift: int = 0
) -> int:
    """``ref`` with rows everywhere, dated ``bot.clock.now()``; returns the client id.

    ``shift`` moves the digest and the meeting by days (one of each per person or team a day).
    """
    now: datetime = bot.clock.now()
    today: date = now.date()
    day = today + timedelta(days=shift)
    async with bot.runtime.db.transaction() as session:
        team_id = await session.scalar(select(Team.id).where(Team.name == "Team Werk"))
        staff_id = await session.scalar(
            select(Staff.id).where(Staff.telegram_user_id == staff_telegram_id)
        )
        assert team_id is not None and staff_id is not None
        client = Client(
            team_id=team_id,
            ref=ref,
            owner_staff_id=staff_id,
            category="werkfit",
            subcategory=None,
            tags=[],
            status="actief",
            entered_on=today,
            created_at=now,
            updated_at=now,
        )
        session.add(client)
        await session.flush()
        session.add(
            ClientEvent(
                client_id=client.id,
                at=now,
                actor_staff_id=staff_id,
                field="category",
                old_value=None,
                new_value="werkfit",
            )
        )
        session.add(
            CaseItem(
                team_id=team_id,
                client_id=client.id,
                author_staff_id=staff_id,
                kind="note",
                text=f"notitie over {ref}",
                data={},
                created_at=now,
                agenda_status="discussed",
            )
        )
        session.add(
            Vacancy(
                team_id=team_id,
                author_staff_id=staff_id,
                employer="Bakkerij",
                function="verkoper",
                place_kind="betaald_werk",
                status="vervuld",
                filled_client_id=client.id,
                created_at=now,
                closed_at=now,
                agenda_status="discussed",
            )
        )
        deadline = Deadline(
            team_id=team_id,
            client_id=client.id,
            kind="exemption_review",
            due_date=today + timedelta(days=30),
            owner_staff_id=staff_id,
            status="open",
            created_at=now,
        )
        titled = Deadline(
            team_id=team_id,
            client_id=None,
            kind="action_item",
            title=f"offerte voor {ref}",
            due_date=today,
            owner_staff_id=staff_id,
            status="open",
            created_at=now,
        )
        session.add_all([deadline, titled])
        await session.flush()
        notification = Notification(
            deadline_id=deadline.id,
            stage="pre",
            recipient_staff_id=staff_id,
            status="sent",
            created_at=now,
        )
        session.add(notification)
        session.add(
            DeadlinePostponement(
                deadline_id=deadline.id,
                old_due=today,
                new_due=today,
                reason="ziek",
                staff_id=staff_id,
                created_at=now,
            )
        )
        digest = Digest(
            team_id=team_id,
            staff_id=staff_id,
            digest_date=day,
            status="sent",
            created_at=now,
            text=f"Termijnen\n{ref} ontheffing\nC-OTHER contact",
        )
        session.add(digest)
        await session.flush()
        session.add(DigestNotification(notification_id=notification.id, digest_id=digest.id))
        exemption = Exemption(
            team_id=team_id,
            client_id=client.id,
            scope="volledig",
            reason="medisch",
            start_date=today,
            review_date=today,
            created_at=now,
        )
        session.add(exemption)
        await session.flush()
        session.add(
            ExemptionReview(
                exemption_id=exemption.id,
                reviewed_on=today,
                outcome="verlengd",
                staff_id=staff_id,
                created_at=now,
            )
        )
        session.add(
            Placement(
                team_id=team_id,
                client_id=client.id,
                vacancy_id=None,
                kind="lks",
                hours_per_week=24,
                start_date=today,
                with_lks=True,
                author_staff_id=staff_id,
                created_at=now,
            )
        )
        session.add(
            ParticipationContact(
                team_id=team_id,
                client_id=client.id,
                kind="gesprek",
                contact_date=today,
                outcome="gesproken",
                note="goed gesprek",
                staff_id=staff_id,
                created_at=now,
            )
        )
        session.add(ClientTagPeriod(client_id=client.id, tag="nug", set_on=today, removed_on=None))
        meeting = WeekdateMeeting(
            team_id=team_id,
            regular_date=day,
            held_on=day,
            status="closed",
            agenda_private=f"Aanmeldingen\n{ref} aanmelding: nieuw\nC-OTHER succes",
            agenda_group=f"{ref} aanmelding\nC-OTHER succes",
            walk=[
                {"key": "case_item:1", "ref": ref, "client_id": client.id},
                {"key": "case_item:2", "ref": "C-OTHER", "client_id": None},
            ],
            attendee_staff_ids=[],
            minutes=f"Notulen\n{ref}: besproken\nC-OTHER: besproken",
            created_at=now,
        )
        session.add(meeting)
        await session.flush()
        session.add(
            WeekdateDecision(
                meeting_id=meeting.id,
                item_key="case_item:1",
                kind="intake",
                client_ref=ref,
                outcome="discussed",
                summary="besproken",
                decided_at=now,
            )
        )
        session.add(
            FormSession(
                telegram_user_id=form_user,
                chat_id=form_user,
                form="succes",
                step="text",
                data={"ref": ref},
                started_at=now,
                updated_at=now,
            )
        )
        return client.id
