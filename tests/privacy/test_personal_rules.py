"""Phone numbers, e-mail addresses, dates of birth and special-category words: the pure rules,
table-driven, and the held-text store."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.config import ConfigError, PrivacyConfig, parse_config
from bot.privacy.held import HeldTexts
from bot.privacy.rules import DEFAULT_SPECIAL_CATEGORY_WORDS, Personal, find_personal

TODAY = date(2026, 3, 2)
PHONE, EMAIL, BIRTH, SPECIAL = (
    Personal.PHONE,
    Personal.EMAIL,
    Personal.BIRTH_DATE,
    Personal.SPECIAL,
)

POSITIVES = [
    ("bel 0612345678", PHONE),
    ("06-12345678", PHONE),
    ("06 1234 5678", PHONE),
    ("06 12 34 56 78", PHONE),
    ("(06) 12345678", PHONE),
    ("+31 6 12345678", PHONE),
    ("+316-12345678", PHONE),
    ("0031 6 1234 5678", PHONE),
    ("+31 (0)20 123 4567", PHONE),
    ("010-1234567", PHONE),
    ("(020) 123 4567", PHONE),
    ("0513.123456", PHONE),
    ("tel:0612345678", PHONE),
    ("+32 470 12 34 56", PHONE),
    ("bel 0612345678 om 10 uur", PHONE),
    ("\uff10\uff16\u200b12345678", PHONE),  # fullwidth digits and a zero-width space
    ("mail jan.jansen@example.nl", EMAIL),
    ("J.Jansen+werk@gemeente-x.nl", EMAIL),
    ("jan [at] gmail.com", EMAIL),
    ("jan(at)gmail.com", EMAIL),
    ("geboren 12-03-1985", BIRTH),
    ("geb. 12/3/85", BIRTH),
    ("Geboortedatum: 1985-03-12", BIRTH),
    ("gebdat 12 maart", BIRTH),
    ("geboren op 3 jan. 1990", BIRTH),
    ("geboren in 1985", BIRTH),
    ("C-10234 is van 12-03-1985 en zoekt werk", BIRTH),
    ("sinds 01-01-1926 hier", BIRTH),  # 100 years
    ("sinds 01-01-2011 hier", BIRTH),  # 15 years
    ("heeft depressie", SPECIAL),
    ("DEPRESSIEF en moe", SPECIAL),
    ("is verslaafd aan drugs", SPECIAL),
    ("heeft een strafblad", SPECIAL),
    ("gaat naar de moskee", SPECIAL),
    ("ADHD", SPECIAL),
    ("zit in de gevangenis.", SPECIAL),
    ("zwanger (week 20)", SPECIAL),
    ("sch\u00adizofrenie", SPECIAL),  # a soft hyphen does not hide the word
]

NEGATIVES = [
    "gesprek op 12-03-2026",
    "termijn 1 april 2026",
    "uitkering sinds 01-09-2025",
    "12-03-2026 14.00 gesprek",
    "01-03-2026 10 uur",
    "1-1-1990",  # a bare date answers a date question (its window refuses it)
    "sinds 01-01-2012 hier",  # 14 years: not a birth date by rule 2
    "sinds 01-01-1925 hier",  # 101 years
    "om 10:30 of 14.00",
    "€ 1.250,00 per maand",
    "bedrag 0,50 per km",
    "C-10234",
    "Z-0612345678",
    "referentie 2024-00123",
    "1234 AB Utrecht",
    "week 12",
    "sinds 2019",
    "bel 0800-1234",
    "0900 1234567",
    "0612345",
    "alcoholvrij bier",  # whole words only
    "archiveren",  # hiv inside a word
    "ze heeft een vast contract bij de bakker",
    "jan at gmail",
]


@pytest.mark.parametrize(("text", "kind"), POSITIVES)
def test_personal_detail_found(text: str, kind: Personal) -> None:
    assert kind in find_personal(text, today=TODAY), text


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_text_passes(text: str) -> None:
    assert find_personal(text, today=TODAY) == frozenset(), text


def test_several_kinds_at_once() -> None:
    found = find_personal("geb. 1-2-1980, 0612345678, a@b.nl, kanker", today=TODAY)
    assert found == {PHONE, EMAIL, BIRTH, SPECIAL}


def test_word_list_is_the_configured_one() -> None:
    assert find_personal("houdt van wandelen", today=TODAY) == frozenset()
    words = ("wandelen", "verslav*", "psychische klachten")
    assert find_personal("houdt van Wandelen", today=TODAY, special_words=words) == {SPECIAL}
    assert find_personal("verslavingszorg", today=TODAY, special_words=words) == {SPECIAL}
    assert find_personal("psychische  klachten", today=TODAY, special_words=words) == {SPECIAL}
    assert find_personal("heeft depressie", today=TODAY, special_words=words) == frozenset()
    assert find_personal("heeft depressie", today=TODAY, special_words=()) == frozenset()


def test_config_privacy_section() -> None:
    default = parse_config({}, {})
    assert default.privacy.special_category_words == DEFAULT_SPECIAL_CATEGORY_WORDS
    config = parse_config(
        {
            "teams": [{"name": "Team Werk"}, {"name": "Team Zorg"}],
            "privacy": {
                "special_category_words": ["wandelen"],
                "team_special_category_words": {"Team Zorg": ["fietsen"]},
            },
        },
        {},
    )
    assert config.privacy.words_for("Team Werk") == ("wandelen",)
    assert config.privacy.words_for("team zorg") == ("fietsen",)
    for bad in (
        {"privacy": {"special_category_words": "depressie"}},
        {"privacy": {"special_category_words": [""]}},
        {"privacy": {"team_special_category_words": {"Team X": ["a"]}}},
        {"privacy": {"woorden": []}},
    ):
        with pytest.raises(ConfigError):
            parse_config(bad, {})
    assert PrivacyConfig().words_for("wie dan ook") == DEFAULT_SPECIAL_CATEGORY_WORDS


def test_held_texts_once_per_sender_and_expiring() -> None:
    now = datetime(2026, 3, 2, 9, 0)
    held: HeldTexts[str] = HeldTexts(limit=3)
    ttl = timedelta(minutes=30)

    def hold(user_id: int, message_id: int, payload: str) -> str:
        return held.hold(
            user_id=user_id,
            chat_id=1,
            message_id=message_id,
            kinds=("phone",),
            payload=payload,
            now=now,
            ttl=ttl,
        )

    token = hold(1, 10, "a")
    assert held.take(token, user_id=2, now=now) is None  # someone else's token: left alone
    entry = held.take(token, user_id=1, now=now)
    assert entry is not None and entry.payload == "a"
    assert held.take(token, user_id=1, now=now) is None  # a second tap finds nothing
    # A new message from the same sender supersedes the old one.
    old = hold(1, 11, "b")
    new = hold(1, 12, "c")
    assert held.take(old, user_id=1, now=now) is None and len(held) == 1
    # Expired with an idle form.
    assert held.take(new, user_id=1, now=now + ttl) is None
    # Bounded: the oldest goes first.
    tokens = [hold(u, u, "x") for u in range(5)]
    assert len(held) == 3 and held.take(tokens[0], user_id=0, now=now) is None
    held.release(1, 10)
    assert held.take_release(1, 10) and not held.take_release(1, 10)
