"""BSNs and IBANs are refused at every free-text entry point; no handler raises on any text."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.roles import Role
from bot.transport import LocalDriver, LocalUser
from tests.privacy.test_rules import Case, cases, sentence, valid_bsn_from
from tests.support.caselog import (
    audit_actions,
    form_state,
    intake,
    stored_rows,
    tap,
    watch_errors,
)
from tests.support.harness import BotHarness, only_text, texts

REFUSED = "lijkt een BSN te bevatten"


async def _open(bot: BotHarness, user: LocalUser, entry: str) -> None:
    """Bring ``user`` to the free-text entry point ``entry``."""
    if entry == "aanmelding-ref":
        await bot.driver.text(user, "/aanmelding")
    elif entry == "aanmelding-note":
        calls = await bot.driver.text(user, "/aanmelding C-700")
        calls = await tap(bot, user, calls, "Vandaag")
        calls = await tap(bot, user, calls, "nee")
        calls = await tap(bot, user, calls, "Klaar")
        await tap(bot, user, calls, "Zorg")
    elif entry == "vacature-werkgever":
        await bot.driver.text(user, "/vacature")
    elif entry == "vacature-contact":
        calls = await bot.driver.text(user, "/vacature")
        await bot.driver.text(user, "Bakker")
        calls = await bot.driver.text(user, "Hulp")
        calls = await tap(bot, user, calls, "groen")
        calls = await bot.driver.text(user, "20")
        calls = await tap(bot, user, calls, "werkstage")
        calls = await tap(bot, user, calls, "3")
        calls = await tap(bot, user, calls, "Geen sluitingsdatum")
        await tap(bot, user, calls, "WSP")
    elif entry == "succes-tekst":
        await bot.driver.text(user, "/succes C-1")
    elif entry == "knelpunt-ref":
        await bot.driver.text(user, "/knelpunt")
    elif entry == "categorie-reden":
        calls = await bot.driver.text(user, "/categorie C-1")
        calls = await tap(bot, user, calls, "Werkfit")
        await tap(bot, user, calls, "ontwikkeling verwacht")
    elif entry == "wijzig-tekst":
        calls = await bot.driver.text(user, "/wijzig")
        await tap(bot, user, calls, "C-1")
    # "chat" and "commands": no form open


ENTRIES = [
    "chat",
    "commands",
    "aanmelding-ref",
    "aanmelding-note",
    "vacature-werkgever",
    "vacature-contact",
    "succes-tekst",
    "knelpunt-ref",
    "categorie-reden",
    "wijzig-tekst",
]


def _message(entry: str, number: str) -> str:
    if entry == "chat":
        return f"C-1 heeft BSN {number} gegeven"
    if entry == "commands":
        return f"/succes C-1 {number}"
    return number


async def test_bsn_refused_at_every_free_text_entry_point(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    numbers = ["123456782", "1234.56.782", "12 34 56 782", "123-456-782"]
    for entry in ENTRIES:
        await bot.driver.text(consulent, "/annuleer")
        await _open(bot, consulent, entry)
        state = await form_state(bot, consulent)
        before = await stored_rows(bot)
        for number in numbers:
            calls = await bot.driver.text(consulent, _message(entry, number))
            assert REFUSED in only_text(calls), (entry, number)
            assert "deleteMessage" in [c.method for c in calls]
            assert number not in only_text(calls)
        assert await form_state(bot, consulent) == state, entry
        assert await stored_rows(bot) == before, entry
    rows = [a for a in await audit_actions(bot) if a[0] == "privacy_refused"]
    assert len(rows) == len(ENTRIES) * len(numbers)
    assert {a[1] for a in rows} == {"bsn"}


async def test_bsn_in_a_photo_caption_and_in_a_group(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.photo(leader, caption="zie 111 222 333")
    assert REFUSED in only_text(calls) and "deleteMessage" in [c.method for c in calls]
    group = LocalDriver.group_chat(-100999)
    await bot.driver.bot_added(leader, group)
    await bot.driver.text(leader, "/koppel", chat=group)
    # Telegram refuses the delete here (no admin rights): the reply says to remove it oneself.
    bot.transport.fail("deleteMessage", status=400, description="Bad Request: can't delete")
    calls = await bot.driver.text(leader, "/help 111222333", chat=group)
    assert REFUSED in only_text(calls) and "Verwijder het bericht zelf" in only_text(calls)


async def test_iban_refused_in_notes(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    await _open(bot, consulent, "succes-tekst")
    calls = await bot.driver.text(consulent, "Schuld op nl91 abna 0417 1643 00 afgelost")
    assert "IBAN" in only_text(calls) and "0417" not in only_text(calls)
    assert ("privacy_refused", "iban", "refused") in await audit_actions(bot)
    state = await form_state(bot, consulent)
    assert state is not None and state[1] == "text"


async def test_numbers_that_fail_the_elfproef_pass(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    saved = only_text(await bot.driver.text(consulent, "/succes C-1 belt om 10 uur, 123456783"))
    assert "Succes opgeslagen" in saved
    # A phone number (ten digits, no BSN) is no refusal either: the sender is asked about it
    # and may confirm (tests/privacy/test_personal_flow.py walks that path).
    calls = await bot.driver.text(consulent, "/succes C-1 belt 06-12345678 of 123456783")
    assert "telefoonnummer" in only_text(calls) and "BSN" not in only_text(calls)
    assert "Succes opgeslagen" in only_text(await tap(bot, consulent, calls, "geen persoons"))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=cases, entry=st.sampled_from(ENTRIES))
async def test_generated_bsns_refused_through_the_bot(
    sqlite_bot: BotHarness, case: Case, entry: str
) -> None:
    bot = sqlite_bot
    user = await _prepared(bot)
    await bot.driver.text(user, "/annuleer")
    await _open(bot, user, entry)
    text = sentence(valid_bsn_from(case[0]), case)
    calls = await bot.driver.text(user, _message(entry, text) if entry in ("chat",) else text)
    assert REFUSED in " ".join(texts(calls)), (entry, text)


_PREPARED: dict[int, LocalUser] = {}


async def _prepared(bot: BotHarness) -> LocalUser:
    """One consulent with client C-1 per harness (hypothesis reuses the fixture)."""
    key = id(bot)
    if key not in _PREPARED:
        user = await bot.staff(Role.CONSULENT)
        await intake(bot, user, "C-1")
        _PREPARED[key] = user
    return _PREPARED[key]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    # Unknown /commands get no answer from anyone (not this feature's text entry points).
    text=st.text(min_size=1, max_size=300).filter(
        lambda t: t.strip() != "" and not t.startswith("/")
    ),
    entry=st.sampled_from([*ENTRIES, "aanmelding-date", "vacature-uren"]),
)
async def test_no_handler_raises_on_arbitrary_text(
    sqlite_bot: BotHarness, text: str, entry: str
) -> None:
    bot = sqlite_bot
    errors = _errors(bot)
    user = await _prepared(bot)
    await bot.driver.text(user, "/annuleer")
    if entry == "aanmelding-date":
        await bot.driver.text(user, "/aanmelding C-800")
    elif entry == "vacature-uren":
        calls = await bot.driver.text(user, "/vacature")
        await bot.driver.text(user, "Bakker")
        calls = await bot.driver.text(user, "Hulp")
        await tap(bot, user, calls, "groen")
    else:
        await _open(bot, user, entry)
    calls = await bot.driver.text(user, text)
    assert errors.seen == [], errors.seen
    assert texts(calls), "every message gets an answer"


_ERRORS: dict[int, Any] = {}


def _errors(bot: BotHarness) -> Any:
    key = id(bot)
    if key not in _ERRORS:
        _ERRORS[key] = watch_errors(bot)
    return _ERRORS[key]


async def test_bsn_added_by_editing_a_message_is_refused(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    calls = await bot.driver._process(
        {
            "edited_message": {
                "message_id": 77,
                "date": 1,
                "edit_date": 2,
                "chat": LocalDriver.private_chat(consulent),
                "from": consulent.as_dict(),
                "text": "C-1 heeft BSN 111 222 333",
            }
        }
    )
    assert REFUSED in only_text(calls)
    assert [c.params.get("message_id") for c in calls if c.method == "deleteMessage"] == [77]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.one_of(
        st.text(max_size=20).map(lambda t: f"f:aanm:{t}"),
        st.text(max_size=20).map(lambda t: f"vac:fill:{t}"),
        st.text(max_size=20).map(lambda t: f"f:chat:kind:{t}"),
        st.text(max_size=40),
    ).filter(lambda d: 0 < len(d.encode()) <= 64)
)
async def test_no_handler_raises_on_forged_button_data(sqlite_bot: BotHarness, data: str) -> None:
    bot = sqlite_bot
    errors = _errors(bot)
    user = await _prepared(bot)
    await bot.driver.text(user, "/aanmelding C-900")
    await bot.driver.tap(user, data)
    assert errors.seen == [], errors.seen
