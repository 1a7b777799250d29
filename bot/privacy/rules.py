"""Finding BSNs and IBANs in free text, as people type them.

The bot refuses any text that holds a burgerservicenummer (BSN) and any note that holds a bank
account number (IBAN): the case log only knows clients by a pseudonymous reference. These checks
run on every text and caption the bot receives, so they are pure and linear in the text length.

Every check judges the text as it will be stored: :func:`bot.core.answers.normalise_text` first
(NFKC, invisible format characters removed, every kind of whitespace a plain space or line break,
digits of every script ASCII). So ``128<zero-width space>184<zero-width space>425``, fullwidth
or Arabic-Indic digits are seen exactly as the stored text would hold them.

What counts as a BSN: nine digits that pass the elfproef, typed as one run (``123456782``) or in
groups separated by up to five separator characters: spaces and line breaks, dots, commas,
slashes, underscores, parentheses and the dash family (``1234.56.782``, ``12 34 56 782``,
``123-456-782``, ``(123) 456/782``, ``123_456_782``, ``123,\n456,\n782``). After the word
``bsn``, ``burgerservicenummer`` or ``sofinummer``, eight digits that pass the elfproef with a
leading zero are a BSN too (``bsn 12345672``: the zero dropped, as spreadsheets do).
Digits that are part of a longer run (``1234567820``) are not a BSN: the run is something else,
for example a phone number (``0612345678``) or an account number. Groups are combined greedily in
every contiguous window, so a BSN next to another number (``123456782 12``) is still found. The
price: neighbouring numbers joined only by spaces may together pass the elfproef
(``C-10234 0067 66 211``) and be refused. We prefer refusing a harmless message now and then (the
reply says how to rephrase) to storing a BSN.

What counts as an IBAN: a country code with its registered length and BBAN structure, two check
digits and mod-97 = 1, with or without spaces, in any letter case.

Callers get back only the *kind* of what was found; the number itself is never returned, so it
cannot end up in a log line, an audit row or a reply.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.core.answers import normalise_text


class Sensitive(StrEnum):
    """A kind of number the bot refuses to store."""

    BSN = "bsn"
    IBAN = "iban"


# --- BSN ----------------------------------------------------------------------------------------

#: Characters people put between digit groups, after normalisation (which has turned every kind
#: of space into a plain one): spaces and line breaks, dots, commas, slashes, underscores,
#: parentheses and the dash family (hyphen, non-breaking hyphen, figure, en and em dash, minus).
_SEPARATORS = " \n.,/_()\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
#: A number-like span: digit groups joined by short separator runs ("123 - 456 - 782",
#: "(123)\n456" included). Digits and separators are disjoint classes, so this cannot backtrack
#: catastrophically.
_SPAN = re.compile(rf"[0-9]+(?:[{_SEPARATORS}]{{1,5}}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
#: The words that announce a BSN; eight digits after them are a BSN without its leading zero.
_BSN_WORD = re.compile(
    r"(?<![^\W\d_])(?:bsn|burgerservicenummer|sofi-?nummer|sofi)(?:[-. ]?(?:nummer|nr))?"
    r"[^\w]{0,5}(?:(?:is|was|nr|nummer)[^\w]{1,5})?(?=[0-9])",
    re.IGNORECASE,
)

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(digits: str) -> bool:
    """True when ``digits`` is exactly nine decimal digits that pass the elfproef.

    The elfproef: weights 9..2 for the first eight digits and -1 for the last; the weighted sum
    must be divisible by 11. All zeros passes the arithmetic but is no number anyone has.
    """
    if len(digits) != 9 or not digits.isdecimal():
        return False
    values = [int(ch) for ch in digits]
    if not any(values):
        return False
    return sum(w * v for w, v in zip(_BSN_WEIGHTS, values, strict=True)) % 11 == 0


def _bsn_candidates(text: str) -> list[str]:
    """Every nine-digit string formed by contiguous whole digit groups of a number-like span."""
    candidates: list[str] = []
    for span in _SPAN.finditer(text):
        groups = _GROUP.findall(span.group())
        for start in range(len(groups)):
            total = ""
            for group in groups[start:]:
                total += group
                if len(total) >= 9:
                    break
            if len(total) == 9:
                candidates.append(total)
    return candidates


def _announced_without_zero(text: str) -> bool:
    """Eight digits right after "bsn" (or a word like it), valid with a leading zero."""
    for word in _BSN_WORD.finditer(text):
        span = _SPAN.match(text, word.end())
        if span is None:
            continue
        digits = "".join(_GROUP.findall(span.group()))
        if len(digits) == 8 and is_valid_bsn("0" + digits):
            return True
    return False


def contains_bsn(text: str) -> bool:
    """True when ``text``, read as it will be stored (:func:`normalise_text`), holds a nine-digit
    number as people type it that passes the elfproef, or an announced BSN without its zero."""
    normal = normalise_text(text)
    return any(is_valid_bsn(c) for c in _bsn_candidates(normal)) or _announced_without_zero(normal)


# --- IBAN ---------------------------------------------------------------------------------------

#: IBAN length and BBAN structure per country (SWIFT IBAN registry notation: n digits,
#: a upper-case letters, c letters or digits). The structure check keeps ordinary sentences that
#: happen to start like an IBAN ("NL12 en de klant …") from being refused one time in 97.
_BBAN_FORMATS: dict[str, str] = {
    "AD": "4n4n12c",
    "AE": "3n16n",
    "AL": "8n16c",
    "AT": "5n11n",
    "AZ": "4a20c",
    "BA": "3n3n8n2n",
    "BE": "3n7n2n",
    "BG": "4a4n2n8c",
    "BH": "4a14c",
    "BR": "8n5n10n1a1c",
    "CH": "5n12c",
    "CR": "4n14n",
    "CY": "3n5n16c",
    "CZ": "4n6n10n",
    "DE": "8n10n",
    "DK": "4n9n1n",
    "DO": "4c20n",
    "EE": "2n2n11n1n",
    "EG": "4n4n17n",
    "ES": "4n4n1n1n10n",
    "FI": "3n11n",
    "FO": "4n9n1n",
    "FR": "5n5n11c2n",
    "GB": "4a6n8n",
    "GE": "2a16n",
    "GI": "4a15c",
    "GL": "4n9n1n",
    "GR": "3n4n16c",
    "GT": "4c20c",
    "HR": "7n10n",
    "HU": "3n4n1n15n1n",
    "IE": "4a6n8n",
    "IL": "3n3n13n",
    "IQ": "4a3n12n",
    "IS": "4n2n6n10n",
    "IT": "1a5n5n12c",
    "JO": "4a4n18c",
    "KW": "4a22c",
    "KZ": "3n13c",
    "LB": "4n20c",
    "LC": "4a24c",
    "LI": "5n12c",
    "LT": "5n11n",
    "LU": "3n13c",
    "LV": "4a13c",
    "MC": "5n5n11c2n",
    "MD": "2c18c",
    "ME": "3n13n2n",
    "MK": "3n10c2n",
    "MR": "5n5n11n2n",
    "MT": "4a5n18c",
    "MU": "4a2n2n12n3n3a",
    "NL": "4a10n",
    "NO": "4n6n1n",
    "PK": "4a16c",
    "PL": "8n16n",
    "PS": "4a21c",
    "PT": "4n4n11n2n",
    "QA": "4a21c",
    "RO": "4a16c",
    "RS": "3n13n2n",
    "SA": "2n18c",
    "SE": "3n16n1n",
    "SI": "5n8n2n",
    "SK": "4n6n10n",
    "SM": "1a5n5n12c",
    "TN": "2n3n13n2n",
    "TR": "5n1n16c",
    "UA": "6n19c",
    "VG": "4a16n",
    "XK": "4n10n2n",
}

_CLASS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}


def _compile_bban(spec: str) -> tuple[re.Pattern[str], int]:
    parts = re.findall(r"(\d+)([nac])", spec)
    pattern = "".join(f"{_CLASS[kind]}{{{count}}}" for count, kind in parts)
    length = sum(int(count) for count, _ in parts)
    return re.compile(pattern), length


_BBAN: dict[str, tuple[re.Pattern[str], int]] = {
    country: _compile_bban(spec) for country, spec in _BBAN_FORMATS.items()
}
#: Where an IBAN may start: two letters and two digits (a space between them tolerated), not glued
#: to a preceding letter or digit.
_IBAN_START = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2} ?[0-9]{2}")
_IBAN_SPACES = " \u00a0\u2009\u202f"
_MAX_IBAN = 34


def _mod97(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97


def is_valid_iban(text: str) -> bool:
    """True when ``text`` (spaces allowed, any case) is one IBAN: structure and mod-97 valid."""
    compact = "".join(ch for ch in text if ch not in _IBAN_SPACES).upper()
    return _check_iban(compact)


def _check_iban(compact: str) -> bool:
    rule = _BBAN.get(compact[:2])
    if rule is None:
        return False
    bban, length = rule
    if len(compact) != length + 4 or not compact[2:4].isdigit():
        return False
    if not compact.isascii() or bban.fullmatch(compact[4:]) is None:
        return False
    return _mod97(compact) == 1


def contains_iban(text: str) -> bool:
    """True when ``text`` (read as stored) holds an IBAN, with or without spaces, any case."""
    text = normalise_text(text)
    for start in _IBAN_START.finditer(text):
        # Collect up to 34 letters and digits from here, allowing one space between any two.
        compact: list[str] = []
        ends: list[int] = []  # index in ``text`` just after each collected character
        i = start.start()
        while i < len(text) and len(compact) < _MAX_IBAN:
            ch = text[i]
            if ch.isascii() and ch.isalnum():
                compact.append(ch.upper())
                ends.append(i + 1)
                i += 1
            elif ch in _IBAN_SPACES and i + 1 < len(text) and text[i + 1].isalnum() and compact:
                i += 1
            else:
                break
        rule = _BBAN.get("".join(compact[:2]))
        if rule is None:
            continue
        length = rule[1] + 4
        if len(compact) < length:
            continue
        end = ends[length - 1]
        # An IBAN glued to more letters or digits is part of something longer.
        if end < len(text) and text[end].isalnum():
            continue
        if _check_iban("".join(compact[:length])):
            return True
    return False


# --- together -----------------------------------------------------------------------------------


def find_sensitive(text: str, *, iban: bool = True) -> frozenset[Sensitive]:
    """The kinds of refused numbers in ``text``; IBANs only when ``iban`` (notes)."""
    found: set[Sensitive] = set()
    if contains_bsn(text):
        found.add(Sensitive.BSN)
    if iban and contains_iban(text):
        found.add(Sensitive.IBAN)
    return frozenset(found)
