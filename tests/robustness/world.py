"""One bot, seeded like a team in its first week, and the checks every reply must pass.

:class:`World` runs inputs one at a time against a :class:`~tests.support.harness.BotHarness`
on SQLite and checks each update's outcome as it happens; every violation is recorded with the
one input that caused it (the run goes on, so one run gives every figure).
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from bot.core.callbacks import MAX_BYTES
from bot.core.render import environment
from bot.core.roles import Role
from bot.core.vocabulary import LEFT_STATUSES, DeadlineKind, ExemptionReason, ExemptionScope
from bot.deadlines import service as deadline_service
from bot.forms.engine import FORMS
from bot.forms.steps import StepForm
from bot.route.traject_rules import TrajectSettings
from bot.route.traject_service import start_trajectory
from bot.transport import BotCall, LocalDriver, LocalUser
from storage.models import CaseItem, Client, Deadline, Exemption, Staff, Team, Vacancy
from tests.robustness.inputs import elfproef
from tests.support.harness import BotHarness

LINKED_GROUP = -1009000000001
UNLINKED_GROUP = -1009000000002

#: Seeded clients whose details no group and no outsider may ever see.
SECRET_REFS = ("C-7001", "C-7002", "LB-7003")
FOLLOW_UPS = (
    DeadlineKind.WAGE_VALUE_ASSESSMENT,
    DeadlineKind.WORK_INTERNSHIP,
    DeadlineKind.LANGUAGE_INTERNSHIP,
)
SECRET_NOTE = "Schuldhulptraject vertrouwelijk"
SECRET_TITLE = "Budgetcoach bellen"
SEEDED_KINDS = (
    DeadlineKind.EXEMPTION_REVIEW,
    DeadlineKind.PARTICIPATION_CONTACT,
    DeadlineKind.LB_APPOINTMENT,
)

#: Telegram's HTML: the tags it accepts and the entities it knows.
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
ENTITIES = {"lt", "gt", "amp", "quot"}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTONS = 100


def kind_labels() -> dict[str, str]:
    """The Dutch label the bot shows for each deadline kind (from its own template macro)."""
    module = environment().get_template("deadlines/macros.j2").module
    return {kind.value: str(module.kind_label(kind.value)).strip() for kind in DeadlineKind}


class TelegramHtml(HTMLParser):
    """Parses a message as Telegram would; collects what Telegram would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.problems.append("<span> without class=tg-spoiler")
        if tag == "a" and not dict(attrs).get("href"):
            self.problems.append("<a> without href")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack})")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for raw in "<>&":
            if raw in data:
                self.problems.append(f"unescaped {raw!r}")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            self.problems.append(f"unknown entity &{name};")
        self.visible.append("x")

    def handle_charref(self, name: str) -> None:
        self.visible.append("x")

    def handle_comment(self, data: str) -> None:
        self.problems.append("HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")


def html_problems(text: str, limit: int) -> list[str]:
    """What Telegram would refuse in ``text`` sent with parse_mode HTML."""
    parser = TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.rawdata:  # an unfinished tag such as "<b" at the end
        parser.problems.append(f"unfinished markup {parser.rawdata[:20]!r}")
    problems = list(parser.problems)
    if parser.stack:
        problems.append(f"unclosed {parser.stack}")
    visible = "".join(parser.visible)
    if not visible.strip():
        problems.append("empty text")
    if len(visible) > limit:
        problems.append(f"{len(visible)} characters (limit {limit})")
    return problems


def call_problems(call: BotCall) -> list[str]:
    """Everything about one Bot API call that Telegram would refuse."""
    problems: list[str] = []
    if call.method in ("sendMessage", "editMessageText"):
        problems += html_problems(call.text, MAX_TEXT)
    elif call.method in ("sendDocument", "sendPhoto") and call.params.get("caption"):
        problems += html_problems(call.text, MAX_CAPTION)
    elif call.method == "answerCallbackQuery" and len(str(call.params.get("text") or "")) > 200:
        problems.append("callback answer over 200 characters")
    buttons = call.buttons
    if len(buttons) > MAX_BUTTONS:
        problems.append(f"{len(buttons)} buttons (limit {MAX_BUTTONS})")
    for label, data in buttons:
        if not label.strip():
            problems.append("button without a label")
        if len(data.encode()) > MAX_BYTES or not data:
            problems.append(f"callback data of {len(data.encode())} bytes: {data[:70]!r}")
    return problems


def normalised_for_scan(text: str) -> str:
    """``text`` NFKC-normalised, every decimal digit ASCII, separators between digits gone."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )
    # Anything that is neither a letter nor a digit, between two digits, is a separator.
    return re.sub(r"(?<=\d)[^\w]+(?=\d)|(?<=\d)_+(?=\d)", "", text)


def bsns_in(text: str) -> list[str]:
    """Every 9-digit run passing the eleven test in ``text``, however it was spelled."""
    return [m for m in re.findall(r"(?<!\d)\d{9}(?!\d)", normalised_for_scan(text)) if elfproef(m)]


def bsns_in_database(path: Path) -> list[tuple[str, str, str]]:
    """(table, value excerpt, number) for every BSN in any text value of any table."""
    found = []
    with closing(sqlite3.connect(path)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            # The audit chain's hex digests are no text anyone typed (a digit run in a hash
            # can pass the elfproef by chance); every other column is scanned.
            hashes = {
                i for i, column in enumerate(cursor.description) if column[0].endswith("hash")
            }
            for row in cursor:
                for index, value in enumerate(row):
                    if index in hashes:
                        continue
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str):
                        found += [(table, value[:80], n) for n in bsns_in(value)]
    return found


@dataclass
class Violation:
    """One broken promise and the input that broke it."""

    kind: str
    detail: str
    input: str


@dataclass
class Tally:
    """The figures of a run."""

    inputs: int = 0
    taps: int = 0
    seconds: float = 0.0
    violations: list[Violation] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    steps_seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, detail: str, given: str) -> None:
        self.counts[kind] += 1
        # Keep the shortest inputs per kind and detail: they are the minimal repros.
        same = [v for v in self.violations if v.kind == kind and v.detail == detail]
        if not same:
            self.violations.append(Violation(kind, detail, given))
        elif len(given) < len(same[0].input):
            same[0].input = given

    def figures(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "taps": self.taps,
            "seconds": round(self.seconds, 2),
            "inputs_per_second": round(self.inputs / self.seconds, 1) if self.seconds else 0,
            "exceptions": self.counts["exception"],
            "invalid_replies": self.counts["invalid reply"],
            "group_leaks": self.counts["group leak"],
            "outsider_leaks": self.counts["outsider leak"],
            "unanswered_taps": self.counts["unanswered tap"],
            "bsns_in_database": self.counts["bsn in database"],
        }

    def report(self) -> str:
        lines = [f"figures: {self.figures()}"]
        for v in sorted(self.violations, key=lambda v: (v.kind, v.detail))[:60]:
            what = "stored as" if v.kind == "bsn in database" else "minimal input"
            lines.append(f"- {v.kind}: {v.detail}\n    {what}: {v.input[:300]!r}")
        return "\n".join(lines)


class ErrorRecorder:
    """An extra error handler: every exception that reaches the error handlers."""

    def __init__(self) -> None:
        self.seen: list[BaseException] = []

    async def __call__(self, update: object, context: Any) -> None:
        if context.error is not None:
            self.seen.append(context.error)


@dataclass
class World:
    """The seeded bot, its people and chats, and what it has sent so far."""

    bot: BotHarness
    tally: Tally
    errors: ErrorRecorder
    people: dict[str, LocalUser]
    #: Every callback data the bot has sent, oldest first (for replays).
    sent_buttons: list[str] = field(default_factory=list)
    #: The buttons of the last message with buttons each person got (for walking forms).
    last_buttons: dict[int, list[str]] = field(default_factory=dict)
    #: Every (person, kind of button) tapped so far: a walk prefers kinds that person has not
    #: tried yet, so the
    #: forms behind two taps (a list, a card, then Gedaan) are all reached, whatever the seed.
    tapped: set[tuple[int, str]] = field(default_factory=set)
    #: Every exact callback data tapped so far (by anyone): a walk prefers a button nobody has
    #: tapped yet, so each branch of a form (each reason of an ontheffing, each deadline's
    #: Gedaan) is taken once before any is taken twice.
    tapped_data: set[str] = field(default_factory=set)
    #: The good answer each typed step took last time: tried first when the step comes back,
    #: so the input budget goes to reaching steps (and hostile answers), not to guessing again.
    accepted: dict[tuple[str, str], str] = field(default_factory=dict)
    #: The markers each person has typed themselves (a reference an outsider typed is theirs).
    typed_by: dict[str, set[str]] = field(default_factory=dict)
    markers: tuple[str, ...] = ()
    #: Team Werk's linked group as the database has it: a /koppel in the other group by a
    #: teamleider moves the link there, and then that group is the team group.
    team_group: int = LINKED_GROUP
    #: The SQLite file, read directly to see which form steps are open (for coverage).
    database: Path | None = None

    @classmethod
    async def create(cls, tmp_path: Path) -> World:
        bot = await BotHarness.start(tmp_path)
        errors = ErrorRecorder()
        bot.application.add_error_handler(errors)
        people = {role.value: await bot.staff(role, name=f"Mdw {role.value}") for role in Role}
        people["allround"] = await bot.staff(*Role, name="Mdw alles")
        people["outsider"] = await bot.staff(
            Role.CONSULENT, Role.TEAMLEIDER, team="Team Zorg", name="Mdw zorg"
        )
        people["stranger"] = bot.stranger()
        world = cls(bot, Tally(), errors, people)
        await world._seed()
        leader = people[Role.TEAMLEIDER.value]
        await bot.driver.bot_added(leader, world.chat("linked", leader))
        linked = await bot.driver.text(leader, "/koppel", chat=world.chat("linked", leader))
        assert "Team Werk" in " ".join(c.text for c in linked), linked
        labels = [kind_labels()[k.value] for k in SEEDED_KINDS]
        world.markers = (*SECRET_REFS, SECRET_NOTE, SECRET_TITLE, *labels)
        return world

    async def _seed(self) -> None:
        """Clients with deadlines, a note and an actiepunt, owned by the team's staff."""
        now = self.bot.clock.now()
        today = now.date()
        async with self.bot.runtime.db.transaction() as session:
            team_id = await session.scalar(select(Team.id).where(Team.name == "Team Werk"))
            assert team_id is not None
            owners = {}
            for who in ("consulent", "loopbaanbegeleider", "allround"):
                owners[who] = await session.scalar(
                    select(Staff.id).where(Staff.telegram_user_id == self.people[who].id)
                )
            # The all-round member owns some, so walking /termijnen reaches every deadline form.
            by_ref = dict(
                zip(SECRET_REFS, ("allround", "consulent", "loopbaanbegeleider"), strict=True)
            )
            for index, (ref, kind) in enumerate(zip(SECRET_REFS, SEEDED_KINDS, strict=True)):
                owner = owners[by_ref[ref]]
                client = Client(
                    team_id=team_id, ref=ref, owner_staff_id=owner, category="zorg",
                    subcategory=None, tags=[], status="actief", entered_on=date(2025, 6, 2),
                    created_at=now, updated_at=now,
                )  # fmt: skip
                session.add(client)
                await session.flush()
                due = today + timedelta(days=index * 3 - 2)
                if kind is DeadlineKind.EXEMPTION_REVIEW:
                    # A real ontheffing behind the review, so its Gedaan opens the review form.
                    await deadline_service.create_exemption(
                        session,
                        team_id=team_id,
                        client_id=client.id,
                        scope=ExemptionScope.WORK,
                        reason=ExemptionReason.MEDICAL,
                        start=date(2025, 6, 2),
                        end=None,
                        review_date=due,
                        youngest_turns_five=None,
                        owner_staff_id=owner,
                        now=now,
                    )
                    # And a medical, full one, so a traject aimed at work for this client asks
                    # its confirmation (issue 11 item 7) and that step is walked too.
                    session.add(
                        Exemption(
                            team_id=team_id, client_id=client.id, scope=ExemptionScope.FULL,
                            reason=ExemptionReason.MEDICAL, start_date=date(2025, 6, 2),
                            end_date=None, review_date=date(2027, 6, 1), status="active",
                            created_at=now,
                        )
                    )  # fmt: skip
                else:
                    session.add(
                        Deadline(
                            team_id=team_id,
                            client_id=client.id,
                            kind=kind.value,
                            title=None,
                            due_date=due,
                            owner_staff_id=owner,
                            status="open",
                            created_at=now,
                        )
                    )
                session.add(
                    Deadline(
                        team_id=team_id,
                        client_id=client.id,
                        # Kinds whose Gedaan asks more (interval, extension).
                        kind=FOLLOW_UPS[index].value,
                        title=None,
                        due_date=today + timedelta(days=index + 1),
                        owner_staff_id=owners["allround"],
                        status="open",
                        created_at=now,
                    )
                )
                session.add(
                    Deadline(
                        team_id=team_id,
                        client_id=client.id,
                        kind=DeadlineKind.ACTION_ITEM.value,
                        title=SECRET_TITLE,
                        due_date=today + timedelta(days=7),
                        owner_staff_id=owners["allround"],
                        status="open",
                        created_at=now,
                    )
                )
                session.add(
                    CaseItem(
                        team_id=team_id,
                        client_id=client.id,
                        author_staff_id=owner,
                        kind="knelpunt",
                        text=SECRET_NOTE,
                        data={},
                        created_at=now,
                        agenda_status="done",
                    )
                )
                # A taalstage ending soon, so its Gedaan opens the traject outcome form.
                announced = CaseItem(
                    team_id=team_id, client_id=client.id, author_staff_id=owner,
                    kind="trajectory", text=None, created_at=now, agenda_status="done",
                    data={"instrument": "taalstage", "start": str(today - timedelta(days=80)),
                          "end": str(today + timedelta(days=index + 2))},
                )  # fmt: skip
                session.add(announced)
                await session.flush()
                await start_trajectory(
                    session,
                    team_id=team_id,
                    client_id=client.id,
                    case_item_id=announced.id,
                    instrument="taalstage",
                    instrument_label="taalstage",
                    start=today - timedelta(days=80),
                    end=today + timedelta(days=index + 2),
                    owner_staff_id=owners["allround"],
                    settings=TrajectSettings(),
                    now=now,
                )
            # Open vacatures (one of the all-round member's own), so /vacatures leads to
            # Vervuld, Kandidaten and Wijzigen (the edit form) in every run.
            for author, function in (
                (owners["allround"], "Kok"),
                (owners["consulent"], "Chauffeur"),
            ):
                session.add(
                    Vacancy(
                        team_id=team_id, author_staff_id=author, employer="De Bakker",
                        function=function, branche=None, hours_per_week=24,
                        place_kind="betaald_werk", closing_date=None, status="open",
                        created_at=now, agenda_status="pending",
                    )
                )  # fmt: skip
            # Aanmeldingen waiting for the weekdate, so the meeting's category decision (with its
            # subcategory and loopbaanbegeleider steps) is there from the first walk.
            for client_id in await session.scalars(
                select(Client.id).where(Client.ref.in_(SECRET_REFS))
            ):
                session.add(
                    CaseItem(
                        team_id=team_id, client_id=client_id, author_staff_id=owners["consulent"],
                        kind="intake", text=None, data={}, created_at=now,
                        agenda_status="pending",
                    )
                )  # fmt: skip

    # --- chats ---------------------------------------------------------------------------

    def chat(self, where: str, user: LocalUser) -> dict[str, Any]:
        if where == "linked":
            return LocalDriver.group_chat(LINKED_GROUP, "Team Werk")
        if where == "unlinked":
            return LocalDriver.group_chat(UNLINKED_GROUP, "Borrel")
        return LocalDriver.private_chat(user)

    # --- running one input ---------------------------------------------------------------

    async def send(self, who: str, where: str, kind: str, payload: str) -> None:
        """Deliver one input and check everything the bot did in answer to it."""
        user = self.people[who]
        chat = self.chat(where, user)
        if kind in ("recent", "replay"):
            # A button the bot really sent: from this person's last message, or any earlier one.
            pool = self.last_buttons.get(user.id, []) if kind == "recent" else self.sent_buttons
            if not pool:
                return
            index = int(payload)
            if kind == "recent":
                forward = [d for d in pool if not d.endswith(":stop")] or pool
                pool = forward if index % 5 else pool  # Annuleren now and then, not always
                fresh = [d for d in pool if (user.id, button_kind(d)) not in self.tapped]
                # Systematic where there is something new (the first kind of button this person
                # has not tried: Gedaan, then Uitstellen, ... on cards of any deadline), random
                # among all once every kind was tried.
                untried = [d for d in pool if d not in self.tapped_data]
                pool = fresh[:1] or untried[:1] or pool
            payload = pool[index % len(pool)]
            kind = "tap"
        given = f"{who}@{where} {kind}: {payload}"
        typed = {m for m in self.markers if m.casefold() in payload.casefold()}
        self.typed_by.setdefault(who, set()).update(typed)
        errors_before = len(self.errors.seen)
        started = time.perf_counter()
        if kind == "tap":
            self.tapped.add((user.id, button_kind(payload)))
            self.tapped_data.add(payload)
            calls = await self.bot.driver.tap(user, payload, chat=chat)
            self.tally.taps += 1
        else:
            calls = await self.bot.driver.text(user, payload, chat=chat)
        self.tally.seconds += time.perf_counter() - started
        self.tally.inputs += 1
        if "koppel" in payload.casefold():
            await self._read_team_group()
        if self.database is not None:
            self._forms_open()
        for error in self.errors.seen[errors_before:]:
            self.tally.add("exception", f"{type(error).__name__}: {str(error)[:120]}", given)
        if kind == "tap" and not any(c.method == "answerCallbackQuery" for c in calls):
            self.tally.add("unanswered tap", payload.split(":")[0] + ":…", given)
        outsider = who in ("stranger", "outsider")
        for call in calls:
            for problem in call_problems(call):
                self.tally.add("invalid reply", f"{call.method}: {problem}", given)
            if call.buttons and (call.chat_id or 0) > 0:
                self.last_buttons[call.chat_id or 0] = [data for _label, data in call.buttons]
            for _label, data in call.buttons:
                self.sent_buttons.append(data)
                parts = data.split(":")
                if parts[0] == "f" and len(parts) >= 3:
                    self.tally.steps_seen.add((parts[1], parts[2]))
            if len(self.sent_buttons) > 4000:
                del self.sent_buttons[:2000]
            text = call.text.casefold()
            if not text:
                continue
            shown = [m for m in self.markers if m.casefold() in text]
            if outsider:
                # A reference they typed themselves tells them nothing: echoed as unknown ("C-7001
                # ken ik niet in jouw team"), or their own team's client of that name once they
                # registered it (references are per team). Every other detail still counts.
                shown = [m for m in shown if m not in self.typed_by.get(who, set())]
            if (call.chat_id or 0) == self.team_group and agenda_command(payload):
                # domain.md: the team group sees references and item types of the weekdate
                # agenda, nothing more; every other detail is still a leak there.
                shown = [m for m in shown if m not in SECRET_REFS]
            if shown and (call.chat_id or 0) < 0:
                self.tally.add("group leak", f"{call.method} shows {shown[0]!r}", given)
            elif shown and outsider:
                self.tally.add("outsider leak", f"{call.method} shows {shown[0]!r}", given)

    async def _read_team_group(self) -> None:
        async with self.bot.runtime.db.transaction() as session:
            linked = await session.scalar(
                select(Team.group_chat_id).where(Team.name == "Team Werk")
            )
        self.team_group = linked if linked is not None else 0

    def form_step(self, who: str) -> tuple[str, str] | None:
        """(form, step) ``who`` is at, read from the database."""
        assert self.database is not None
        with closing(sqlite3.connect(self.database)) as db:
            row = db.execute(
                "SELECT form, step FROM form_sessions WHERE telegram_user_id = ?",
                (self.people[who].id,),
            ).fetchone()
        return (row[0], row[1]) if row else None

    async def explore(
        self, who: str, command: str, rng: random.Random, hostile: list[str], answers: list[str]
    ) -> bool:
        """Walk a form from ``command`` to its end, with hostile answers at every step; whether
        a form was opened at all (someone refused opens none).

        At each step: first one or two hostile answers (which must be refused or taken without
        harm), then onwards: one of the step's buttons, or good answers until one is taken.
        """
        await self.send(who, "private", "text", command)
        user = self.people[who]
        browsed = 0
        opened = False
        for _move in range(25):
            if self.form_step(who) is None:
                if not self.last_buttons.get(user.id) or browsed == 3:
                    return opened
                browsed += 1
                # A list or card: its buttons lead into the forms of buttons (Gedaan, Vervuld).
                await self.send(who, "private", "recent", str(rng.randrange(10_000)))
                continue
            for _ in range(rng.choice([1, 1, 2])):
                if hostile:
                    await self.send(who, "private", "text", hostile.pop())
            here = self.form_step(who)
            if here is None:
                continue
            opened = True
            onwards = [d for d in self.last_buttons.get(user.id, []) if not d.endswith(":stop")]
            if onwards and rng.random() < 0.8:
                untried = [d for d in onwards if d not in self.tapped_data]
                await self.send(who, "private", "tap", rng.choice(untried or onwards))
                continue
            known = self.accepted.get(here)
            ordered = rng.sample(answers, len(answers))
            if known is not None:
                ordered = [known, *(a for a in ordered if a != known)]
            for answer in ordered:
                await self.send(who, "private", "text", answer)
                if self.form_step(who) != here:
                    self.accepted[here] = answer
                    break
        return opened

    async def keep_seeded_in_caseload(self) -> None:
        """Undo a walk's uitstroom of a seeded client: the walks after it still need that
        client's deadlines and ontheffingen (closed and ended by the uitstroom) to reach every
        deadline form, as they did before /uitstroom existed."""
        left = [s.value for s in LEFT_STATUSES]
        async with self.bot.runtime.db.transaction() as session:
            ids = list(
                await session.scalars(
                    select(Client.id).where(Client.ref.in_(SECRET_REFS), Client.status.in_(left))
                )
            )
            if not ids:
                return
            await session.execute(
                update(Client).where(Client.id.in_(ids)).values(status="actief", exit_reason=None)
            )
            await session.execute(
                update(Deadline)
                .where(Deadline.client_id.in_(ids), Deadline.resolution_note == "uitstroom")
                .values(status="open", resolved_at=None, resolution_note=None)
            )
            await session.execute(
                update(Exemption)
                .where(Exemption.client_id.in_(ids), Exemption.status == "ended")
                .values(status="active", ended_on=None)
            )

    def _forms_open(self) -> None:
        assert self.database is not None
        with closing(sqlite3.connect(self.database)) as db:
            self.tally.steps_seen.update(db.execute("SELECT form, step FROM form_sessions"))

    def scan_database(self, path: Path) -> None:
        """After the run: no BSN in any spelling anywhere in the database."""
        for table, excerpt, number in bsns_in_database(path):
            self.tally.add("bsn in database", f"{table}: {number}", excerpt)


def button_kind(data: str) -> str:
    """What a button does, without the ids it carries (``ddl:done:7`` -> ``ddl:done``)."""
    return ":".join(part for part in data.split(":") if not part.isdigit())


def agenda_command(text: str) -> bool:
    """Whether ``text`` asks for the weekdate agenda or meeting (references allowed in group)."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return first.split("@")[0] in ("/agenda", "/weekdate", "/notulen")


def shared_steps() -> dict[tuple[str, str], tuple[str, str]]:
    """(form, step) -> (base form, step) where a registered form runs another registered form's
    very steps (the vacature edit form inherits the vacature form's ``step_list``): the same
    parsers and prompts, so a walk of either exercises that code. Its own summary is not shared.
    """
    forms = [(name, form) for name, form in FORMS.items() if getattr(form, "step_list", ())]
    shared = {}
    for name, form in forms:
        for base, other in forms:
            # ``form`` is the subclass running ``other``'s very steps; ``other`` the base.
            inherits = type(form) is not type(other) and isinstance(form, type(other))
            if base != name and inherits and other.step_list is form.step_list:
                for step in form.steps:
                    shared[(name, step)] = (base, step)
    return shared


def declared_steps() -> set[tuple[str, str]]:
    """(form, step) for every step of every registered form."""
    steps = set()
    for name, form in FORMS.items():
        for step in getattr(form, "steps", ()):
            steps.add((name, step))
        if isinstance(form, StepForm) and form.has_summary:
            steps.add((name, "sum"))
    return steps
