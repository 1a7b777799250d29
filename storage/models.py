"""Typed SQLAlchemy 2 models: the system of record.

Times are stored as aware UTC datetimes; dates (due dates, first conversations) as plain dates in
the team's local calendar. Client identity is a pseudonymous reference only: never a BSN or name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from bot.caselog.rules import reference_key
from bot.core.vocabulary import AuditAction


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; SQLite has no timezone type, so we normalise here."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for every model."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


# --- team and staff --------------------------------------------------------------------------


class Team(Base):
    """A re-integration team. Settings come from config and are synced at start."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: The team's linked group chat (set with /koppel); the bot leaves every other group.
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime]


class Staff(Base):
    """A staff member, known by Telegram user id. Deactivated staff are strangers again."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    deactivated_at: Mapped[datetime | None]

    roles: Mapped[list[StaffRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class StaffRole(Base):
    """One role held by one staff member."""

    __tablename__ = "staff_roles"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class Invitation(Base):
    """A one-time code that makes the person who sends ``/start <code>`` staff."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    roles: Mapped[list[str]]
    created_by_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)


class AuditEntry(Base):
    """Who did what to which object, with what result. Never holds a BSN or free text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(64))
    object: Mapped[str | None] = mapped_column(String(128))
    result: Mapped[str] = mapped_column(String(32))
    #: The client's pseudonymous reference when the action concerns one (for ``audit show
    #: --ref`` and inzage); never content.
    reference: Mapped[str | None] = mapped_column(String(32), index=True)
    #: private, group, other (Telegram), cli or job.
    chat_type: Mapped[str | None] = mapped_column(String(16))
    #: The chain (storage.audit): the previous row's hash and this row's.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    @validates("action")
    def _known_action(self, _key: str, value: str) -> str:
        # A closed set of codes, never user text (issue 9, defect 6): refuse anything else here
        # too, so no path around storage.audit.record can store it.
        return AuditAction(value).value


class AuditChain(Base):
    """The audit chain's one row (id 1): its head, and the anchor left by retention.

    Every append writes this row first (the lock that serialises appends). ``anchor_id`` and
    ``anchor_hash``: the last purged row and its hash, where ``audit verify`` starts.
    """

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    head_hash: Mapped[str] = mapped_column(String(64))
    #: The id of the newest row: the next row gets the next id, also after a purge removed
    #: every row (SQLite would otherwise hand out an id again).
    head_id: Mapped[int] = mapped_column(BigInteger, default=0)
    appends: Mapped[int] = mapped_column(BigInteger, default=0)
    anchor_id: Mapped[int] = mapped_column(BigInteger, default=0)
    anchor_hash: Mapped[str] = mapped_column(String(64))
    purged_rows: Mapped[int] = mapped_column(BigInteger, default=0)


class StrangerReply(Base):
    """When a non-staff person last got the fixed refusal (at most one an hour)."""

    __tablename__ = "stranger_replies"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    last_reply_at: Mapped[datetime]


class FormSession(Base):
    """A multi-step form in progress; lives here so a restart mid-form resumes.

    One active form per person. ``data`` holds the answers so far (JSON-safe values only).
    """

    __tablename__ = "form_sessions"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    form: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)


# --- clients and the case log ----------------------------------------------------------------


def _ref_key_default(context: Any) -> str:
    return reference_key(str(context.get_current_parameters()["ref"]))


class Client(Base):
    """A client, known only by the team's pseudonymous reference."""

    __tablename__ = "clients"
    __table_args__ = (
        UniqueConstraint("team_id", "ref"),
        UniqueConstraint("team_id", "ref_key", name="uq_clients_team_ref_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    #: The reference as the team typed it (normalised, upper-case): what people see.
    ref: Mapped[str] = mapped_column(String(32))
    #: The reference in its one canonical form (``bot.caselog.rules.reference_key``), derived
    #: from ``ref`` on insert: what references are compared on.
    ref_key: Mapped[str] = mapped_column(String(32), default=_ref_key_default)
    owner_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: Category code from the team's profile (``bot/profiles``); None until decided.
    category: Mapped[str | None] = mapped_column(String(32))
    subcategory: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[list[str]]
    #: aangemeld, actief, uitgestroomd, overgedragen
    status: Mapped[str] = mapped_column(String(16))
    exit_reason: Mapped[str | None] = mapped_column(String(32))
    #: ja, nee, in_onderzoek, nug
    entitlement: Mapped[str | None] = mapped_column(String(16))
    benefit_start: Mapped[date | None] = mapped_column(Date)
    #: When the client entered the current spell (aanmelding or herinstroom).
    entered_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClientEvent(Base):
    """One change in a client's history: category, subcategory, owner or status."""

    __tablename__ = "client_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: category, subcategory, owner, status, herinstroom
    field: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(String(64))
    new_value: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(300))


class ClientTagPeriod(Base):
    """One doelgroep tag of a client from ``set_on`` until ``removed_on`` (open: still set).

    The tags on ``clients.tags`` are the present; these rows are the past too, so a count at a
    peildatum sees the tags as they were that day (a tag is not frozen at intake).
    """

    __tablename__ = "client_tag_periods"
    __table_args__ = (Index("ix_client_tag_periods_tag_set_on", "tag", "set_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    tag: Mapped[str] = mapped_column(String(32))
    set_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)


class CaseItem(Base):
    """Something logged for the weekdate: an aanmelding, succes, knelpunt, traject or notitie.

    Every item goes on the next weekdate agenda until the meeting handles it
    (``agenda_status``: pending → discussed | carried | info).
    """

    __tablename__ = "case_items"
    __table_args__ = (Index("ix_case_items_team_agenda", "team_id", "agenda_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    author_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    #: intake, success, bottleneck, trajectory, note
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(String(300))
    #: Kind-specific fields, e.g. intake: first_conversation, proposed_category;
    #: trajectory: instrument, start, end (ISO dates).
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(index=True)
    agenda_status: Mapped[str] = mapped_column(String(16), default="pending")


class Vacancy(Base):
    """A vacature, logged mostly by the netwerker."""

    __tablename__ = "vacancies"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    author_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    employer: Mapped[str] = mapped_column(String(100))
    function: Mapped[str] = mapped_column(String(100))
    branche: Mapped[str | None] = mapped_column(String(64))
    hours_per_week: Mapped[int | None]
    #: betaald_werk, leerwerkplek, werkstage, proefplaatsing, vrijwilligerswerk
    place_kind: Mapped[str] = mapped_column(String(32))
    ladder_step: Mapped[int | None]
    closing_date: Mapped[date | None] = mapped_column(Date)
    #: wsp, eigen_netwerk, anders
    source: Mapped[str | None] = mapped_column(String(32))
    contact_note: Mapped[str | None] = mapped_column(String(300))
    #: open, vervuld, vervallen
    status: Mapped[str] = mapped_column(String(16), default="open")
    filled_client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    agenda_status: Mapped[str] = mapped_column(String(16), default="pending")


class Placement(Base):
    """A client placed in work: by a vacature vervuld with the client, or by an uitstroom to werk.

    ``with_lks`` (loonkostensubsidie) brings the loonwaardemeting for the loopbaanbegeleider
    (001:L112). A vacature's placement is one row, completed by the uitstroom that follows it.
    """

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id"), index=True)
    #: fulltime, parttime, detachering, garantiebaan, lks (``bot.route.exit_rules.WORK_KINDS``);
    #: ``None`` while a vacature's placement is not yet described by an uitstroom.
    kind: Mapped[str | None] = mapped_column(String(32))
    hours_per_week: Mapped[int | None]
    start_date: Mapped[date] = mapped_column(Date)
    with_lks: Mapped[bool] = mapped_column(Boolean, default=False)
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


# --- deadlines and the notification ledger ---------------------------------------------------


class Deadline(Base):
    """An obligation with a due date and an owner: the reminder engine's unit of work.

    ``kind`` is a catalogue key (exemption_review, participation_contact, lb_appointment,
    action_item, …). ``source_type``/``source_id`` point at what created it.
    """

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_open_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: Short Dutch description for action items ("offerte opvragen"); no client details.
    title: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    owner_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    #: open, done, not_applicable
    status: Mapped[str] = mapped_column(String(16), default="open")
    source_type: Mapped[str | None] = mapped_column(String(32))
    source_id: Mapped[int | None]
    postponements: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(String(300))


class Notification(Base):
    """The ledger: one row per (deadline, stage), so a stage is notified at most once.

    status: pending → sending (claimed) → sent | retry | failed | unknown.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("deadline_id", "stage"),
        Index("ix_notifications_status", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"))
    #: pre (vooraankondiging), due, escalation
    stage: Mapped[str] = mapped_column(String(16))
    recipient_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


# --- the weekdate (issue 4) ------------------------------------------------------------------


class WeekdateMeeting(Base):
    """One weekdate occurrence, from agenda dispatch to archived minutes.

    Identified by the team and its *regular* date, so a moved occurrence is still the same
    meeting. ``agenda_sent_at`` is claimed with a compare-and-set, so an agenda goes out once.
    status: planned → in_progress → closed.
    """

    __tablename__ = "weekdate_meetings"
    __table_args__ = (UniqueConstraint("team_id", "regular_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    regular_date: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    agenda_sent_at: Mapped[datetime | None]
    #: The agenda as sent (Telegram HTML with item separators): the snapshot /agenda vorige shows.
    agenda_private: Mapped[str | None] = mapped_column(Text)
    agenda_group: Mapped[str | None] = mapped_column(Text)
    chair_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    #: The items walked in meeting mode (key, kind, ref, section, client_id) and where we are.
    walk: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    attendee_staff_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    minutes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class WeekdateDecision(Base):
    """What the meeting decided about one agenda item (one per item per meeting)."""

    __tablename__ = "weekdate_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("weekdate_meetings.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    client_ref: Mapped[str | None] = mapped_column(String(32))
    #: categorised, discussed, action, carried
    outcome: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(300))
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    decided_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime]


class WeekdateOverride(Base):
    """A decision about one regular occurrence: moved, skipped or kept; or ``asked`` while the
    holiday question waits for an answer."""

    __tablename__ = "weekdate_overrides"
    __table_args__ = (UniqueConstraint("team_id", "regular_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    regular_date: Mapped[date] = mapped_column(Date)
    #: asked, moved, skipped, kept
    action: Mapped[str] = mapped_column(String(16))
    new_date: Mapped[date | None] = mapped_column(Date)
    #: HH:MM local
    new_time: Mapped[str | None] = mapped_column(String(5))
    asked_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


# --- deadlines: exemptions, participation contacts, postponements, digests (issue 5) ----------


class Exemption(Base):
    """An ontheffing of the work / re-integration obligation; reviewed periodically (001:L307).

    For reason ``zorg_kind`` only the date the youngest child turns 5 is kept, nothing else about
    the child.
    """

    __tablename__ = "exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    #: volledig, arbeidsplicht, reintegratieplicht, sollicitatieplicht
    scope: Mapped[str] = mapped_column(String(32))
    #: zorg_kind, mantelzorg, medisch, scholing, overig
    reason: Mapped[str] = mapped_column(String(32))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    youngest_turns_five: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date)
    #: active, ended
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: The decision the bot records (it never decides): date, grondslag, optional zaaknummer.
    decision_date: Mapped[date | None] = mapped_column(Date)
    #: verzoek_9a, verzekeringsarts, anders (``ExemptionBasis``)
    basis: Mapped[str | None] = mapped_column(String(32))
    basis_note: Mapped[str | None] = mapped_column(String(200))
    case_number: Mapped[str | None] = mapped_column(String(40))
    #: Art. 9a: the day of the request and the months used in an earlier municipality.
    request_date: Mapped[date | None] = mapped_column(Date)
    months_used_before: Mapped[int | None]


class ExemptionReview(Base):
    """One review of an exemption: verlengd, gewijzigd or beeindigd."""

    __tablename__ = "exemption_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    exemption_id: Mapped[int] = mapped_column(ForeignKey("exemptions.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    next_review: Mapped[date | None] = mapped_column(Date)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    #: The decision behind an ended or changed ontheffing (none for verlengd without a change).
    decision_date: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(String(32))
    basis_note: Mapped[str | None] = mapped_column(String(200))
    case_number: Mapped[str | None] = mapped_column(String(40))


class ParticipationContact(Base):
    """A participation contact (face_to_face, telefonisch, huisbezoek) with its outcome."""

    __tablename__ = "participation_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    contact_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(32))
    #: Short, warned free text; never a diagnosis or a name.
    note: Mapped[str | None] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class DeadlinePostponement(Base):
    """One Uitstellen: from which date to which, why and by whom."""

    __tablename__ = "deadline_postponements"

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), index=True)
    old_due: Mapped[date] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class Digest(Base):
    """One person's morning digest on one working day: the unit that is claimed and sent.

    status: pending → sending (claimed, committed before the send) → sent | retry | failed |
    unknown; ``superseded`` when a later day's digest took over an unsent one. Unique per
    (staff, day), so nobody gets two digests a day.
    """

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("staff_id", "digest_date"),
        Index("ix_digests_status", "status", "digest_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    digest_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    #: Deadline ids shown, in order (the buttons point at them).
    deadline_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: Failed/unknown digests of colleagues this (teamleider) digest reports.
    reported_digest_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: When a teamleider's digest told about this one failing (failed/unknown only).
    reported_at: Mapped[datetime | None]
    text: Mapped[str | None] = mapped_column(Text)


class DigestNotification(Base):
    """Which digest carried which ledger row (a stage is carried by exactly one digest)."""

    __tablename__ = "digest_notifications"

    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id"), index=True)


class AgendaDelivery(Base):
    """How a weekdate agenda reached one recipient (a teamleider, or the team group).

    status: sent | retry (Telegram said "too many requests": sent again on the next tick) |
    failed (blocked, chat gone) | unknown (a timeout: maybe delivered, never resent). A failed or
    unknown row is reported once (``reported_at``) to a teamleider, or to an admin when the
    teamleider was the one unreachable.
    """

    __tablename__ = "agenda_deliveries"
    __table_args__ = (UniqueConstraint("meeting_id", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("weekdate_meetings.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    #: The teamleider it was for (``None``: the team group).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(16), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]


# --- Several workers: update dedupe, the job leader's lease, cross-worker cache generations ---


class ProcessedUpdate(Base):
    """A Telegram update one worker took: its ``update_id`` can never be taken twice.

    Inserted before the update is handled (in the transaction that holds the chat's lock), so a
    redelivery, or the same update reaching two workers, is skipped. Pruned by age.
    """

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class JobLeader(Base):
    """The lease of the one process that runs the scheduled jobs (one row per lease name)."""

    __tablename__ = "job_leader"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class CacheGeneration(Base):
    """A counter per in-memory cache; bumped on every change, so other workers notice cheaply."""

    __tablename__ = "cache_generations"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime]


# --- trajecten with limits and outcomes (i10-traject) ---


class Trajectory(Base):
    """A traject (instrument, start, end) with its status and outcome.

    Its own table rather than the case item's JSON: outcomes, stop reasons and extensions are
    counted by the figures (slagingspercentage, 000:L56) and checked against the instrument's
    limits, so they need typed, queryable columns and a history. The case item that announced it
    stays the agenda's "komend traject" (``case_item_id``, one traject per item).
    """

    __tablename__ = "trajectories"
    __table_args__ = (Index("ix_trajectories_team_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    case_item_id: Mapped[int] = mapped_column(ForeignKey("case_items.id"), unique=True)
    #: The instrument's code from ``[caselog] instruments``.
    instrument: Mapped[str] = mapped_column(String(32))
    start: Mapped[date] = mapped_column(Date)
    #: The end as first planned; ``end`` moves with each extension.
    planned_end: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    #: lopend, verlengd, afgerond, gestopt (``TrajectoryStatus``)
    status: Mapped[str] = mapped_column(String(16))
    stop_reason: Mapped[str | None] = mapped_column(String(300))
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: The weekdate item made when an extension past the maximum was refused (not made twice
    #: while it still waits for the meeting).
    refused_item_id: Mapped[int | None] = mapped_column(ForeignKey("case_items.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TrajectoryExtension(Base):
    """One accepted extension of a traject: from which end to which."""

    __tablename__ = "trajectory_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectories.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    previous_end: Mapped[date | None] = mapped_column(Date)
    new_end: Mapped[date] = mapped_column(Date)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


# --- the work the route hands out (issue 10, items 7 and 11) ----------------------------------


class WorkNotice(Base):
    """One person's one private message about the work a decision gave them.

    ``source`` names what gave the work (``meeting:12`` for a weekdate, ``categorie:…`` for a
    category change); unique per (source, person), so each person gets ONE message per source.
    Items are added while the row is ``draft``; the text is fixed when it turns ``pending``, so a
    retry sends exactly what the first attempt did. Sending follows the agenda deliveries:
    claimed with a compare-and-set, ``retry`` sent again by the job, ``unknown`` never resent.
    """

    __tablename__ = "work_notices"
    __table_args__ = (
        UniqueConstraint("source", "staff_id"),
        Index("ix_work_notices_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    source: Mapped[str] = mapped_column(String(64))
    #: JSON-safe work items: kind, ref, due (ISO), title, other (a colleague's name).
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClientWishes(Base):
    """What a client wishes for work: branches, hours a week, kinds of place (for matching)."""

    __tablename__ = "client_wishes"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    branches: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[int | None]
    place_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime]
