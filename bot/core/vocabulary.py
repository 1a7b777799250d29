"""Every stored code, as an enum: the values are what the database holds.

StrEnum members compare equal to their string values, so rows written before this module existed
read back unchanged. Proper names stay Dutch (``vervuld``, ``zorg_kind``), as the design says.
This module imports nothing of the project, so storage may use it.
"""

from __future__ import annotations

from enum import StrEnum


class ClientStatus(StrEnum):
    """Where a client is in the route (``clients.status``)."""

    REGISTERED = "aangemeld"
    ACTIVE = "actief"
    EXITED = "uitgestroomd"
    TRANSFERRED = "overgedragen"
    #: Left the benefit for work with loonkostensubsidie: out of the active caseload, but the LB
    #: stays involved (loonwaardemeting), so the client stays in view.
    PLACED = "geplaatst"


#: Statuses of a client who left; a new aanmelding for them is a herinstroom.
LEFT_STATUSES = frozenset({ClientStatus.EXITED, ClientStatus.TRANSFERRED, ClientStatus.PLACED})


class HistoryField(StrEnum):
    """What changed in a client's history (``client_events.field``)."""

    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    OWNER = "owner"
    STATUS = "status"
    #: The client came back after leaving.
    RETURN = "herinstroom"
    #: An ontheffing ended by itself (art. 9a at its legal end, or the client left).
    EXEMPTION = "ontheffing"


class CaseItemKind(StrEnum):
    """What a case log entry is (``case_items.kind``)."""

    INTAKE = "intake"
    TRAJECTORY = "trajectory"
    SUCCESS = "success"
    BOTTLENECK = "bottleneck"
    NOTE = "note"


class AgendaStatus(StrEnum):
    """Where a case item or vacancy is on the weekdate agenda (``agenda_status``)."""

    PENDING = "pending"
    DISCUSSED = "discussed"
    CARRIED = "carried"
    INFO = "info"


class VacancyStatus(StrEnum):
    """``vacancies.status``."""

    OPEN = "open"
    FILLED = "vervuld"
    EXPIRED = "vervallen"


class DeadlineStatus(StrEnum):
    """``deadlines.status``."""

    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class DeadlineSource(StrEnum):
    """What created a deadline (``deadlines.source_type``)."""

    EXEMPTION = "exemption"
    CLIENT = "client"
    CASE_ITEM = "case_item"
    WEEKDATE_MEETING = "weekdate_meeting"
    IMPORT = "import"
    #: A participation contact whose outcome leads to a task (issue 11 item 6).
    CONTACT = "contact"
    #: A placement (work with loonkostensubsidie): its loonwaardemeting, its nazorg.
    PLACEMENT = "placement"


class DeliveryStatus(StrEnum):
    """A notification's or digest's way out: pending → sending (claimed, committed before the
    send) → sent | retry | failed | unknown; superseded and empty for digests that need not go."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"
    SUPERSEDED = "superseded"
    #: Nothing to say after all (the only item was resolved in between): nothing sent.
    EMPTY = "empty"


class MeetingStatus(StrEnum):
    """``weekdate_meetings.status``: planned → in_progress → closed."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class MeetingOutcome(StrEnum):
    """The outcome of one item walked in meeting mode (``weekdate_decisions.outcome``)."""

    CATEGORISED = "categorised"
    DISCUSSED = "discussed"
    ACTION = "action"
    CARRIED = "carried"
    #: A succes the meeting decides is an uitstroom: the owner records it with /uitstroom.
    EXIT = "exit"


class OverrideAction(StrEnum):
    """What happened to one weekdate occurrence (``weekdate_overrides.action``)."""

    MOVED = "moved"
    SKIPPED = "skipped"
    KEPT = "kept"


class HolidayQuestion(StrEnum):
    """A weekdate on a public holiday that the teamleider was asked about but has not answered
    (``weekdate_overrides.action`` next to :class:`OverrideAction`)."""

    ASKED = "asked"


class ExemptionStatus(StrEnum):
    """``exemptions.status``."""

    ACTIVE = "active"
    ENDED = "ended"


class DeadlineKind(StrEnum):
    """Catalogue keys, stored in ``deadlines.kind``."""

    EXEMPTION_REVIEW = "exemption_review"
    PARTICIPATION_CONTACT = "participation_contact"
    WAGE_VALUE_ASSESSMENT = "wage_value_assessment"
    LANGUAGE_INTERNSHIP = "language_internship"
    WORK_INTERNSHIP = "work_internship"
    DEVELOPMENT_ROUTE = "development_route"
    STATUS_HOLDER_REVIEW = "status_holder_review"
    LB_APPOINTMENT = "lb_appointment"
    ACTION_ITEM = "action_item"
    TRAJECTORY_END = "trajectory_end"
    #: The yearly contact of every ontheffing, separate from its review (003:L367).
    EXEMPTION_CONTACT = "exemption_contact"
    #: A traject reaches its instrument's maximum total length (i10-traject; 004:L81, 003:L419).
    TRAJECTORY_LIMIT = "trajectory_limit"


class Stage(StrEnum):
    """The three reminder stages of one round."""

    PRE = "pre"
    DUE = "due"
    ESCALATION = "escalation"


class ExemptionReason(StrEnum):
    """Why a client has an ontheffing (001:L300-305)."""

    #: Art. 9a Participatiewet: a single parent of a child under five, on request.
    CHILD_UNDER_5 = "zorg_kind"
    #: Dalfsen's reason "care for children" without an age limit, an art. 9 lid 2 reason (001:L302).
    CHILDCARE = "zorg_kinderen"
    INFORMAL_CARE = "mantelzorg"
    MEDICAL = "medisch"
    SCHOOLING = "scholing"
    OTHER = "overig"


class ExemptionScope(StrEnum):
    """Full, or one of the partial scopes (001:L307)."""

    FULL = "volledig"
    WORK = "arbeidsplicht"
    REINTEGRATION = "reintegratieplicht"
    APPLICATION = "sollicitatieplicht"


class ExemptionOutcome(StrEnum):
    """The result of a review."""

    EXTENDED = "verlengd"
    CHANGED = "gewijzigd"
    ENDED = "beeindigd"


class ContactKind(StrEnum):
    """How a participation contact took place."""

    FACE_TO_FACE = "face_to_face"
    PHONE = "telefonisch"
    HOME_VISIT = "huisbezoek"


class ContactOutcome(StrEnum):
    """The five outcomes of a participation contact (004:L289-L296)."""

    VOLUNTEERING = "vrijwilligerswerk"
    INFORMAL_CARE = "mantelzorg"
    SOCIAL_ACTIVITY = "maatschappelijke_activiteit"
    TEMPORARILY_IMPOSSIBLE = "tijdelijk_niet_mogelijk"
    TO_REINTEGRATION = "doorstroom_reintegratie"


# --- the audit log (``audit_log.action`` and ``audit_log.result``) ---


class AuditAction(StrEnum):
    """Every audit action (stored in ``audit_log.action``): a closed set of codes.

    Never built from user text: the helpers below map an already-typed value onto a member and
    raise ``ValueError`` for anything else, and storage refuses a non-member (issue 9, defect 6).
    """

    INVITATION_CREATE = "invitation:create"
    INVITATION_REDEEM = "invitation:redeem"
    STAFF_DEACTIVATE = "staff:deactivate"
    GROUP_LINK = "group:link"
    #: The bot was removed from (or left) the team's linked group: the link is cleared.
    GROUP_UNLINK = "group:unlink"
    #: Telegram made the linked group a supergroup (a new chat id): the link follows it.
    GROUP_MIGRATE = "group:migrate"
    #: A teamleider took the chair of a running weekdate over explicitly (Overnemen).
    MEETING_CHAIR_TAKEN = "weekdate.chair_taken"
    PRIVACY_REFUSED = "privacy_refused"
    CLIENT_VIEW = "client_view"
    MINUTES_VIEW = "minutes.view"
    STAFF_ADD_CLI = "staff:add-cli"
    AGENDA_CONCEPT = "agenda.concept"
    AGENDA_VORIGE = "agenda.vorige"
    AGENDA_PDF = "agenda.pdf"
    AGENDA_ICS = "agenda.ics"
    MEETING_CATEGORISED = "weekdate.categorised"
    MEETING_DISCUSSED = "weekdate.discussed"
    MEETING_ACTION = "weekdate.action"
    MEETING_CARRIED = "weekdate.carried"
    STRANGER_BUTTON = "stranger:button"
    STRANGER_COMMAND = "stranger:command"
    STRANGER_TEXT = "stranger:text"
    STRANGER_MEDIA = "stranger:media"
    STRANGER_OTHER = "stranger:other"
    STRANGER_GROUP = "stranger:group"
    #: ``python -m bot audit show`` (an export of audit rows).
    AUDIT_SHOW = "audit:show"
    #: The daily retention purge (one row per run; the counts in ``object``).
    RETENTION_PURGE = "retention:purge"
    #: ``python -m bot inzage`` and ``python -m bot wis``.
    CLIENT_INZAGE = "client:inzage"
    CLIENT_WIS = "client:wis"
    #: ``python -m bot backup`` and the daily backup (an export of everything), and a restore.
    BACKUP_MAKE = "backup:make"
    BACKUP_RESTORE = "backup:restore"
    #: Every write to a record table, audited by storage itself (``object`` = ``table:id``, or
    #: the table for a statement over several rows).
    RECORD_CREATE = "record:create"
    RECORD_CHANGE = "record:change"
    RECORD_DELETE = "record:delete"

    @staticmethod
    def agenda(view: AgendaView) -> AuditAction:
        """A look at the agenda (``agenda.concept``, ``agenda.vorige``, ``agenda.pdf``, …)."""
        return AuditAction(f"agenda.{AgendaView(view).value}")

    @staticmethod
    def meeting(outcome: MeetingOutcome) -> AuditAction:
        """A decision in meeting mode (``weekdate.<outcome>``)."""
        return AuditAction(f"weekdate.{MeetingOutcome(outcome).value}")

    @staticmethod
    def stranger(kind: UpdateKind) -> AuditAction:
        """The action of a stranger's attempt (``stranger:<kind>``)."""
        return AuditAction(f"stranger:{UpdateKind(kind).value}")

    # The privacy filter's warnings (phone, e-mail, date of birth, special category).
    #: A text was held back with a request to rephrase (``object``: the kinds found, no text).
    PRIVACY_WARNED = "privacy:warned"
    #: Its sender confirmed it holds no personal data; it went on to its destination.
    PRIVACY_CONFIRMED = "privacy:confirmed"
    #: Its sender chose to rephrase; the held text was dropped.
    PRIVACY_WITHDRAWN = "privacy:withdrawn"

    # Uitstroom and placements (the client's route).
    #: The meeting decided a succes is an uitstroom (``weekdate.<outcome>``).
    MEETING_EXIT = "weekdate.exit"
    #: ``/uitstroom``: the client left (``object`` = ``client:<id>``, result the reason code).
    CLIENT_EXIT = "client:exit"

    # i10-work: the caseload overview, the reference search, wishes and candidates.
    #: ``/overzicht`` (counts only) and one of its lists (``object``: ``gap:<code>``).
    OVERVIEW_VIEW = "overview:view"
    OVERVIEW_LIST = "overview:list"
    #: ``/zoek`` (the search text is never logged).
    CLIENT_SEARCH = "client:search"
    #: A client's wishes for work were set from the card.
    CLIENT_WISHES = "client:wishes"
    #: The candidates for a vacature were shown.
    VACANCY_CANDIDATES = "vacancy:candidates"
    # --- i10-people: overdracht, work of a deactivated colleague, doelgroepen, undo ---
    #: /overdracht: a client (and its open deadlines) handed to a colleague.
    CLIENT_HANDOVER = "client:overdracht"
    #: A deactivated colleague's clients and open deadlines handed to one colleague.
    STAFF_WORK_HANDOVER = "staff:handover"
    #: /doelgroep: the client's doelgroep tags changed (with a date).
    CLIENT_TAGS = "client:doelgroep"
    #: /wijzig → Verwijderen: one's own recent item deleted.
    ITEM_DELETE = "item:delete"
    #: A vacature edited from /vacatures.
    VACANCY_EDIT = "vacancy:edit"
    # i12-figures: steering figures.
    #: ``/export`` or ``python -m bot export`` (figures and pseudonymous rows leave the bot).
    FIGURES_EXPORT = "figures:export"
    # The caseload import (i12-import).
    #: ``python -m bot import`` or a file sent to the bot: ``object`` holds the counts only.
    CASELOAD_IMPORT = "caseload:import"


class AuditResult(StrEnum):
    """Fixed audit results besides the outcome enums below."""

    OK = "ok"
    REFUSED = "refused"
    SHOWN = "shown"
    UNKNOWN = "unknown"
    #: The group's copy: references and item types only.
    REFERENCES_ONLY = "references_only"
    #: There was nothing to show.
    NONE = "none"


class UpdateKind(StrEnum):
    """A short, data-free description of an update for the audit log."""

    BUTTON = "button"
    COMMAND = "command"
    TEXT = "text"
    MEDIA = "media"
    OTHER = "other"
    GROUP = "group"


class Redemption(StrEnum):
    """What happened to a ``/start <code>`` (stored as the audit result)."""

    JOINED = "joined"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_STAFF = "already_staff"


class Deactivation(StrEnum):
    """What happened to a deactivation request (stored as the audit result)."""

    DONE = "done"
    NOT_ALLOWED = "not_allowed"
    SELF = "self"
    GONE = "gone"


class GroupLink(StrEnum):
    """What happened to ``/koppel`` (stored as the audit result)."""

    LINKED = "linked"
    ALREADY = "already"
    OTHER_TEAM = "other_team"
    NOT_ALLOWED = "not_allowed"


# --- issue 9 defect 6 / issue 14 (audit, retention, rights of the client) --------------------


class AgendaView(StrEnum):
    """What ``/agenda`` shows; anything else typed after it shows the draft."""

    CONCEPT = "concept"
    VORIGE = "vorige"
    PDF = "pdf"
    ICS = "ics"

    @staticmethod
    def of(arg: str) -> AgendaView:
        """The view an argument asks for; unknown text is the draft (never stored as typed)."""
        try:
            return AgendaView(arg.strip().lower())
        except ValueError:
            return AgendaView.CONCEPT


class AuditChannel(StrEnum):
    """Where an audited action came from (``audit_log.chat_type``)."""

    PRIVATE = "private"
    GROUP = "group"
    OTHER = "other"
    CLI = "cli"
    JOB = "job"


# --- ontheffingen as decisions (issue 11) ---


class ExemptionBasis(StrEnum):
    """The grondslag of a recorded ontheffing decision (``exemptions.basis``); the bot records
    the college's decision, it does not make it (000:L151, L161; 003:L363)."""

    REQUEST_9A = "verzoek_9a"
    INSURANCE_DOCTOR = "verzekeringsarts"
    OTHER = "anders"


# --- trajecten with limits and outcomes (i10-traject) ---


class TrajectoryStatus(StrEnum):
    """Where a traject stands (``trajectories.status``); verlengd is still running."""

    RUNNING = "lopend"
    EXTENDED = "verlengd"
    COMPLETED = "afgerond"
    STOPPED = "gestopt"


class TrajectoryOutcome(StrEnum):
    """What Gedaan on a traject's end asks: the answer people give."""

    COMPLETED = "afgerond"
    STOPPED = "gestopt"
    EXTENDED = "verlengd"


# --- the work the route hands out (issue 10, items 7 and 11) ---


class WorkNoticeStatus(StrEnum):
    """A person's message about work they got (``work_notices.status``).

    draft (items still being added during the weekdate) → pending (text fixed, waiting to be
    claimed) → sending (claimed with a compare-and-set) → sent | retry (sent again on the next
    tick) | failed | unknown (a timeout: maybe delivered, never resent).
    """

    DRAFT = "draft"
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"


class WorkKind(StrEnum):
    """One piece of work in a work notice."""

    #: A loopbaanbegeleider got a client and plans the conversation.
    LB_CLIENT = "lb_client"
    #: Someone owns an actiepunt.
    ACTION = "action"
    #: The consulent whose client moved to a loopbaanbegeleider.
    HANDED_OVER = "handed_over"


# --- the caseload import (i12-import) ---


class ImportedContact(StrEnum):
    """The outcome stored with a last face-to-face contact read from an imported caseload: the
    file says when it was, not what came of it (``participation_contacts.outcome``)."""

    UNKNOWN = "onbekend_import"
