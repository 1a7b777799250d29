"""Defect 9.4: the filter judges text exactly as it will be stored, in every spelling.

One normaliser (:func:`bot.core.answers.normalise_text`) is used by the filter and by the path
that stores text, so the two cannot disagree; these tables name every spelling we know of.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.answers import clean_text, normalise_text
from bot.core.render import render
from bot.core.roles import Role
from bot.privacy.rules import contains_bsn, is_valid_bsn
from storage.models import CaseItem
from tests.support.caselog import intake, stored_rows
from tests.support.harness import BotHarness, only_text

BSN = "128184425"  # passes the elfproef
assert is_valid_bsn(BSN)

ZW = "\u200b"  # zero-width space


def _arabic(digits: str) -> str:
    return "".join(chr(0x0660 + int(d)) for d in digits)


def _fullwidth(digits: str) -> str:
    return "".join(chr(0xFF10 + int(d)) for d in digits)


#: (spelling, why) — each holds the BSN 128184425.
SPELLINGS = [
    (f"128{ZW}184{ZW}425", "zero-width spaces between the groups"),
    (f"1{ZW}2{ZW}8{ZW}1{ZW}8{ZW}4{ZW}4{ZW}2{ZW}5", "a zero-width space between every digit"),
    ("128\u200c184\u200d425", "zero-width non-joiner and joiner"),
    ("128\u2060184\ufeff425", "word joiner and byte-order mark"),
    ("128\u200e184\u200f425", "bidi marks"),
    ("\u2066128184425\u2069", "bidi isolates around it"),
    ("128\u00ad184\u00ad425", "soft hyphens"),
    ("128\t184\t425", "tabs"),
    ("128\u3000184\u2003425", "ideographic and em spaces"),
    ("128\u00a0184\u202f425", "no-break and narrow no-break spaces"),
    ("128/184/425", "slashes"),
    ("128,184,425", "commas"),
    ("128_184_425", "underscores"),
    ("(128) 184 425", "parentheses"),
    ("128   184     425", "several spaces"),
    ("128\n184\n425", "line breaks"),
    ("128\r\n184\r\n425", "Windows line breaks"),
    ("128\u2028184\u2029425", "Unicode line and paragraph separators"),
    ("128.184.425", "dots"),
    ("128 - 184 - 425", "dashes with spaces"),
    ("128\u2013184\u2014425", "en and em dash"),
    ("128\u2212184\u2011425", "minus sign and non-breaking hyphen"),
    ("128, 184, 425", "comma and space"),
    ("128 /\n184 /\n425", "slash and line break"),
    (_fullwidth(BSN), "fullwidth digits"),
    (_arabic(BSN), "Arabic-Indic digits"),
    ("".join(chr(0x06F0 + int(d)) for d in BSN), "Extended Arabic-Indic (Persian) digits"),
    ("".join(chr(0x0966 + int(d)) for d in BSN), "Devanagari digits"),
    ("128" + _arabic("184") + _fullwidth("425"), "mixed scripts"),
    ("\U0001d7cf\U0001d7d0\U0001d7d6184425", "mathematical bold digits"),
]


@pytest.mark.parametrize(("text", "why"), SPELLINGS, ids=[why for _, why in SPELLINGS])
def test_every_spelling_is_a_bsn(text: str, why: str) -> None:
    assert contains_bsn(text), why
    assert contains_bsn(f"/succes C-2001 {text}"), why
    assert contains_bsn(f"Klant C-2001 heeft {text} gegeven."), why


#: After the word bsn: eight digits that pass the elfproef with the leading zero put back.
WITHOUT_ZERO = [
    "bsn 12345672",
    "BSN: 12345672",
    "bsn12345672",
    "Burgerservicenummer 1234 5672",
    "bsn-nr 12.34.56.72",
    "sofinummer 12345672",
    "mijn BSN is\n12345672",
]


@pytest.mark.parametrize("text", WITHOUT_ZERO)
def test_bsn_with_its_leading_zero_dropped(text: str) -> None:
    assert is_valid_bsn("012345672")
    assert contains_bsn(text)


@pytest.mark.parametrize(
    "text",
    [
        "12345672",  # eight digits without the word: a phone number, an order number, …
        "bsn 12345673",  # eight digits that fail the elfproef with a zero
        "bsn 1234567",  # seven
        "bsnummer 12345672",  # not the word
        "obsn 12345672",  # glued to a letter: not the word
        "zie bsn en 12345672",  # the number does not follow the word
    ],
)
def test_not_a_bsn_without_its_zero(text: str) -> None:
    assert not contains_bsn(text)


@given(st.text(max_size=80))
def test_the_filter_and_the_store_see_the_same_text(text: str) -> None:
    stored = clean_text(text)
    assert stored == normalise_text(text)
    assert normalise_text(stored) == stored  # idempotent: storing again changes nothing
    # Whatever the filter lets through is stored without a BSN, in the stored spelling too.
    if not contains_bsn(text):
        assert not contains_bsn(stored)


def test_the_refusal_does_not_teach_hiding_a_number() -> None:
    text = render("privacy/privacy_refused", kinds=["bsn"], deleted=True)
    assert "woord ertussen" not in text and "anders opschrijven" not in text
    assert "referentie" in text


@pytest.mark.parametrize(("text", "why"), SPELLINGS[:6] + SPELLINGS[10:16] + SPELLINGS[24:26])
async def test_nothing_is_stored_on_the_handler_path(bot: BotHarness, text: str, why: str) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-2001")
    before = await stored_rows(bot)
    calls = await bot.driver.text(consulent, f"/succes C-2001 {text}")
    reply = only_text(calls)
    assert "lijkt een BSN te bevatten" in reply, why
    assert await stored_rows(bot) == before, why
    async with bot.runtime.db.transaction() as session:
        notes = list((await session.scalars(select(CaseItem.text))).all())
    assert not any(note and contains_bsn(note) for note in notes), why


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60))
def test_the_ascii_fast_path_reads_text_as_the_full_normalisation(text):
    # normalise_text skips the per-character work for printable ASCII; it must be an
    # optimisation only, never a different reading (the privacy filter relies on it).
    from bot.core.answers import _normalise_any

    assert normalise_text(text) == _normalise_any(text)
    assert normalise_text(" \u200b" + text) == _normalise_any(" \u200b" + text)
