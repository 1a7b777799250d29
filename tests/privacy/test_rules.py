"""BSN and IBAN detection: as people type them, and never on numbers that only look alike."""

from __future__ import annotations

import itertools
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answers import normalise_text
from bot.privacy.rules import (
    Sensitive,
    contains_bsn,
    contains_iban,
    find_sensitive,
    is_valid_bsn,
    is_valid_iban,
)

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def complete_bsn(first8: str) -> str | None:
    """The nine-digit BSN starting with ``first8``, or None when no last digit makes it valid."""
    last = sum(w * int(d) for w, d in zip(WEIGHTS, first8, strict=True)) % 11
    if last == 10:
        return None
    return first8 + str(last)


def valid_bsn_from(n: int) -> str:
    """A valid BSN derived from any integer: the first one at or after ``n``'s eight digits."""
    n %= 100_000_000
    while True:
        bsn = complete_bsn(f"{n:08d}")
        if bsn is not None and bsn != "000000000":
            return bsn
        n = (n + 1) % 100_000_000


def invalid_nine_digits_from(n: int) -> str:
    """A nine-digit string failing the elfproef, derived from any integer."""
    n %= 1_000_000_000
    while is_valid_bsn(f"{n:09d}"):
        n = (n + 1) % 1_000_000_000
    return f"{n:09d}"


SEPARATORS = [" ", ".", "-", "\u00a0", " - ", "  ", "\u2013", "\u202f"]
PREFIXES = ["", "BSN ", "bsn: ", "klant ", "(", "nr. ", "Graag even kijken naar ", "C-10234: "]
SUFFIXES = ["", " heeft werk", "!", ")", ".", "\n", " per 1-3", ", dank je"]
STYLES = ["plain", "3-3-3", "4-2-3", "2-2-2-3", "random"]


def typed(digits: str, style: int, cuts: int, separators: int, mixed: bool) -> str:
    """``digits`` as a person might type them: grouped or not, with varied separators.

    ``cuts`` is a bit mask of the gaps to split at (style "random"); ``separators`` picks the
    separator of each gap three bits at a time.
    """
    name = STYLES[style % len(STYLES)]
    if name == "plain":
        groups = [digits]
    elif name == "3-3-3":
        groups = [digits[:3], digits[3:6], digits[6:]]
    elif name == "4-2-3":
        groups = [digits[:4], digits[4:6], digits[6:]]
    elif name == "2-2-2-3":
        groups = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    else:
        bounds = [0, *(i + 1 for i in range(8) if cuts >> i & 1), 9]
        groups = [digits[a:b] for a, b in itertools.pairwise(bounds)]
    out = groups[0]
    for i, group in enumerate(groups[1:]):
        pick = separators >> (3 * i) & 7 if mixed else separators & 7
        out += SEPARATORS[pick] + group
    return out


#: One typed number: (number seed, style, cut mask, separators, mixed?, prefix, suffix).
cases = st.tuples(
    st.integers(min_value=0, max_value=999_999_999),
    st.integers(min_value=0, max_value=len(STYLES) - 1),
    st.integers(min_value=0, max_value=255),
    st.integers(min_value=0, max_value=2**24 - 1),
    st.booleans(),
    st.integers(min_value=0, max_value=len(PREFIXES) - 1),
    st.integers(min_value=0, max_value=len(SUFFIXES) - 1),
)
Case = tuple[int, int, int, int, bool, int, int]
#: Hypothesis pays per example, so each example checks a batch: 100 x 100 = 10,000 numbers.
BATCH = 100


def sentence(number: str, case: Case) -> str:
    _, style, cuts, separators, mixed, prefix, suffix = case
    return PREFIXES[prefix] + typed(number, style, cuts, separators, mixed) + SUFFIXES[suffix]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases, min_size=BATCH, max_size=BATCH))
def test_10000_valid_bsns_typed_by_people_are_found(batch: list[Case]) -> None:
    for case in batch:
        text = sentence(valid_bsn_from(case[0]), case)
        assert contains_bsn(text), text
        assert Sensitive.BSN in find_sensitive(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases, min_size=BATCH, max_size=BATCH))
def test_10000_nine_digit_numbers_failing_the_elfproef_are_not_bsns(batch: list[Case]) -> None:
    for case in batch:
        text = sentence(invalid_nine_digits_from(case[0]), case)
        assert not contains_bsn(text), text


#: Text with no digit in it as it will be stored: "¼" is no digit, but NFKC makes it "1⁄4", and a
#: digit right before the number makes it part of a longer run (then it is no BSN, as stored).
digit_free = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs"))).filter(
    lambda text: not any(ch.isdigit() for ch in normalise_text(text))
)


@given(prefix=digit_free, case=cases)
def test_bsn_found_after_any_text_without_digits(prefix: str, case: Case) -> None:
    assert contains_bsn(prefix + sentence(valid_bsn_from(case[0]), case))


@pytest.mark.parametrize(
    "text",
    [
        "123456782",
        "1234.56.782",
        "12 34 56 782",
        "123-456-782",
        "123 - 456 - 782",
        "BSN:123456782.",
        "C-123456782",
        "zie 123456782 en 10",
        "een BSN 111222333 hier",
        "2 123456782",
        "123456782 12",
        "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12",  # full-width digits
    ],
)
def test_bsn_found(text: str) -> None:
    assert contains_bsn(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "C-10234 heeft een contract",
        "06-12345678",
        "06 12345678",
        "06 12 34 56 78",
        "+31 6 1234 5678",
        "0612345678",
        "1234567820",  # a valid BSN inside a longer run
        "x1234567821",
        "000000000",
        "000 000 000",
        "123456783",  # fails the elfproef by one
        "12345678",  # eight digits
        "12-03-2026 om 14.30 uur",
    ],
)
def test_not_a_bsn(text: str) -> None:
    assert not contains_bsn(text)


def test_elfproef_edges() -> None:
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("11122233")
    assert not is_valid_bsn("1112223330")
    assert not is_valid_bsn("11122233a")


# --- IBAN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "nl91abna0417164300",
        "rek nl91 abna 0417 1643 00 is van de klant",
        "NL 91 ABNA 0417 1643 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "BE68 5390 0754 7034",
        "FR14 2004 1010 0505 0001 3M02 606",
        "(NL91ABNA0417164300)",
    ],
)
def test_iban_found(text: str) -> None:
    assert contains_iban(text)
    assert Sensitive.IBAN in find_sensitive(text)
    assert Sensitive.IBAN not in find_sensitive(text, iban=False)


@pytest.mark.parametrize(
    "text",
    [
        "NL91ABNA0417164301",  # wrong check
        "NL92ABNA0417164300",
        "NL91ABNA04171643001",  # glued to a longer run
        "XNL91ABNA0417164300",
        "NL12 en de klant heeft veel",
        "NL12 ABNA 0417",
        "XX91ABNA0417164300",  # no such country
        "C-10234 had een goed gesprek",
    ],
)
def test_not_an_iban(text: str) -> None:
    assert not contains_iban(text)


def nl_iban(bank: str, account: str) -> str:
    """A valid Dutch IBAN for ``bank`` (4 letters) and ``account`` (10 digits)."""
    bban = bank + account
    numeric = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    check = 98 - int(numeric) % 97
    return f"NL{check:02d}{bban}"


@settings(max_examples=500)
@given(
    bank=st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4),
    account=st.text(alphabet=string.digits, min_size=10, max_size=10),
    grouped=st.booleans(),
    lower=st.booleans(),
    position=st.integers(min_value=4, max_value=17),
)
def test_generated_nl_ibans(
    bank: str, account: str, grouped: bool, lower: bool, position: int
) -> None:
    iban = nl_iban(bank, account)
    assert is_valid_iban(iban)
    shown = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if grouped else iban
    shown = shown.lower() if lower else shown
    assert contains_iban(f"notitie: {shown} graag"), shown
    # Any single changed digit breaks mod-97.
    digit = iban[position]
    if digit.isdigit():
        changed = iban[:position] + str((int(digit) + 1) % 10) + iban[position + 1 :]
        assert not contains_iban(changed)
