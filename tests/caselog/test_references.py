"""Client references: format per team, normalisation, recognition in free text, never a BSN."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.caselog.references import (
    BadReference,
    ReferenceRule,
    RefProblem,
    find_reference,
    normalise,
    validate,
)

DEFAULT = ReferenceRule()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("C-10234", "C-10234"), ("  c-10234 ", "C-10234"), ("abc1", "ABC1"), ("10234", "10234")],
)
def test_valid_references_are_normalised(text: str, expected: str) -> None:
    assert validate(text, DEFAULT) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", RefProblem.EMPTY),
        ("   ", RefProblem.EMPTY),
        ("C1", RefProblem.FORMAT),
        ("abc", RefProblem.FORMAT),  # no digit: a word, not a reference
        ("Jansen", RefProblem.FORMAT),  # a surname
        ("C" * 17, RefProblem.FORMAT),
        ("C 10234", RefProblem.FORMAT),
        ("<b>", RefProblem.FORMAT),
        ("C_10234", RefProblem.FORMAT),
        ("😀😀😀", RefProblem.FORMAT),
        ("123456782", RefProblem.BSN),
        ("C-123456782", RefProblem.BSN),
        ("123-456-782", RefProblem.BSN),
    ],
)
def test_invalid_references(text: str, problem: RefProblem) -> None:
    with pytest.raises(BadReference) as caught:
        validate(text, DEFAULT)
    assert caught.value.problem is problem


def test_bsn_never_a_reference_even_under_a_permissive_pattern() -> None:
    digits_only = ReferenceRule(r"\d{9}")
    assert validate("123456783", digits_only) == "123456783"  # fails the elfproef: fine
    with pytest.raises(BadReference):
        validate("123456782", digits_only)


def test_team_pattern() -> None:
    rule = ReferenceRule(r"Z\d{4,8}")
    assert validate("z12345", rule) == "Z12345"
    with pytest.raises(BadReference):
        validate("C-10234", rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C-10234 heeft een contract bij de bakker!", "C-10234"),
        ("Goed nieuws: c-10234 begint maandag.", "C-10234"),
        ("Op 12-03 begint C-555 met een werkstage", "C-555"),
        ("Klant 10234 heeft werk", "10234"),
        ("(C-77) is gestart", "C-77"),
        ("heeft werk", None),
        ("om 9.30 op 12-03-2026", None),
        ("", None),
    ],
)
def test_find_reference_in_free_text(text: str, expected: str | None) -> None:
    assert find_reference(text, DEFAULT) == expected


def test_known_reference_wins_even_without_digits() -> None:
    # A team pattern without the default's digit rule: a known code of letters still wins.
    letters = ReferenceRule(r"[A-Z0-9-]{3,16}")
    assert find_reference("Nieuws over ABC en C-1", letters, known={"abc"}) == "ABC"


def test_known_reference_found_in_another_spelling() -> None:
    # Compared on the canonical key; the team's own spelling comes back.
    assert find_reference("Nieuws over c10234", DEFAULT, known={"C-10234"}) == "C-10234"


@given(st.text())
def test_find_reference_never_raises_and_returns_a_valid_reference(text: str) -> None:
    found = find_reference(text, DEFAULT)
    assert found is None or validate(found, DEFAULT) == found
    assert normalise(normalise(text)) == normalise(text)
