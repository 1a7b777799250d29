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

import functools
import re
from datetime import date
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


# --- personal details and special categories: warned, not refused -------------------------------
#
# A phone number, an e-mail address, a date of birth or a word of a special category (AVG art. 9
# and 10: health, addiction, religion, criminal records; and debts, which the FG treats alike)
# is not refused outright like a BSN: it may be harmless (an employer's switchboard, "alcohol"
# in a vacancy for a liquor store). The text is held back and the sender asked to rephrase it or
# to confirm it holds no personal data of a client. These rules only say *what kind* was found.


class Personal(StrEnum):
    """A kind of personal detail the bot asks about before it stores a text."""

    PHONE = "phone"
    EMAIL = "email"
    BIRTH_DATE = "birth_date"
    SPECIAL = "special_category"


#: The special-category words warned about when the configuration names none of its own
#: (``[privacy] special_category_words``). Whole words, case-insensitive; a trailing ``*`` in a
#: configured word matches every word that starts with it (``verslaaf*``). Words that are this
#: product's own vocabulary (the tags "statushouder", "beschut werk", …) are deliberately absent.
DEFAULT_SPECIAL_CATEGORY_WORDS: tuple[str, ...] = (
    # health
    "diagnose", "gediagnosticeerd", "depressie", "depressief", "burn-out", "burnout",
    "psychose", "psychotisch", "schizofrenie", "bipolair", "borderline", "ptss", "autisme",
    "autistisch", "adhd", "add", "ggz", "psychiater", "psychiatrisch", "medicatie",
    "suïcidaal", "zelfmoord", "hiv", "aids", "kanker", "chemo", "chemotherapie", "zwanger",
    "zwangerschap", "epilepsie", "dementie", "hernia",
    # addiction
    "verslaving", "verslaafd", "alcohol", "alcoholist", "drugs", "cocaïne", "heroïne",
    "cannabis", "gokverslaving",
    # religion and belief
    "religie", "moslim", "islam", "islamitisch", "christen", "christelijk", "joods", "jood",
    "hindoe", "boeddhist", "moskee", "synagoge",
    # sexual life and orientation, trade union membership
    "homo", "homoseksueel", "lesbisch", "transgender", "vakbond",
    # criminal records (AVG art. 10)
    "strafblad", "detentie", "gedetineerd", "gevangenis", "veroordeeld", "veroordeling",
    "reclassering", "tbs", "enkelband",
    # debts and financial distress (not art. 9, but kept out of the log just the same)
    "schulden", "schuldsanering", "wsnp", "beslaglegging",
)  # fmt: skip

#: Between the digits of a phone number: up to two of space, dot, slash, the dash family and
#: parentheses ("06-12 34 56 78", "(020) 123 4567", "+31 (0)6 1234 5678").
_PHONE_SEP = r"[ ./()\-\u2010-\u2015\u2212]{0,2}"
#: Not glued to a word, a number or joining punctuation, so "Z-0612345678" (a case number) and
#: the digits inside a longer run are not a phone number.
_PHONE_BEFORE = r"(?<![\w+\-./,(])"
#: Not continued by more digits (a space before them is allowed: "bel 0612345678 10 uur").
_PHONE_AFTER = r"(?![./\-\u2010-\u2015\u2212]?[0-9])(?![0-9])"
#: A Dutch number: 0 or +31/0031 (optionally "(0)") and nine more digits, mobile (06) or fixed.
_NL_PHONE = re.compile(
    rf"{_PHONE_BEFORE}(?:(?:\+|00){_PHONE_SEP}31{_PHONE_SEP}(?:\(0\){_PHONE_SEP})?|\(?0)"
    rf"(?P<first>[1-9])(?:{_PHONE_SEP}[0-9]){{8}}{_PHONE_AFTER}"
)
#: Any other country's number, written with its "+": eight to fifteen digits.
_INTL_PHONE = re.compile(rf"{_PHONE_BEFORE}\+[1-9](?:{_PHONE_SEP}[0-9]){{7,14}}{_PHONE_AFTER}")
#: A date at the start of a phone candidate ("01-03-2026 10 uur" is a date and a time).
_DATE_START = re.compile(r"\(?[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{2,4}")

_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+(?:@|\s?[\[(]at[\])]\s?)[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?!\w)",
    re.IGNORECASE,
)

_MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "febr": 2, "februari": 2, "mrt": 3, "maart": 3,
    "apr": 4, "april": 4, "mei": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8,
    "augustus": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: A date as people write one: 12-03-1985, 12/3/85, 12.03.1985, 1985-03-12, 12 maart 1985;
#: the year optional (12-03, 12 maart).
_DATE = re.compile(
    rf"(?<![0-9])(?:"
    rf"(?P<d>[0-9]{{1,2}})[-./](?P<m>[0-9]{{1,2}})(?:[-./](?P<y>[0-9]{{4}}|[0-9]{{2}}))?"
    rf"|(?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{1,2}})-(?P<id>[0-9]{{1,2}})"
    rf"|(?P<td>[0-9]{{1,2}})\s+(?P<tm>{_MONTH_NAMES})\.?(?:\s+(?P<ty>[0-9]{{4}}))?"
    rf")(?![0-9])",
    re.IGNORECASE,
)
#: Words that announce a date of birth, with up to 20 characters (no digits, no line break)
#: before the date or year: "geboren op 12-03-1985", "geb. 12/3/85", "geboortedatum: …",
#: "gebdat 12 maart 1985", "geboren in 1985".
_BIRTH_CUE = re.compile(
    r"(?<![^\W\d_])(?:geboren|geb\.?\s?datum|geb\.?\s?dat\.?|gebdat|geb\.?|geboortedatum"
    r"|geboortedag|geboortejaar|verjaardag|jarig|dob|d\.o\.b\.?)(?![^\W\d_])[^0-9\n]{0,20}",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?![0-9])")
#: Ages (in years, by the year alone) for which a full date is taken to be a date of birth.
BIRTH_AGES = range(15, 101)


def _date_parts(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of a date match, or None when it is no calendar date."""
    if match.group("d"):
        day, month, year = match.group("d"), match.group("m"), match.group("y")
    elif match.group("iy"):
        day, month, year = match.group("id"), match.group("im"), match.group("iy")
    else:
        day, month, year = match.group("td"), None, match.group("ty")
    month_number = _MONTHS[match.group("tm").lower()] if month is None else int(month)
    if not (1 <= int(day) <= 31 and 1 <= month_number <= 12):
        return None
    return int(day), month_number, int(year) if year else None


def _has_phone(text: str) -> bool:
    for pattern in (_NL_PHONE, _INTL_PHONE):
        pos = 0
        while (match := pattern.search(text, pos)) is not None:
            if _DATE_START.match(match.group()) is None:
                return True
            pos = match.start() + 1
    return False


def _has_birth_date(text: str, today: date) -> bool:
    # 1. Any date or year right after a word that announces a date of birth.
    for cue in _BIRTH_CUE.finditer(text):
        date_match = _DATE.match(text, cue.end())
        if date_match is not None and _date_parts(date_match) is not None:
            return True
        year = _YEAR.match(text, cue.end())
        if year is not None and int(year.group("y")) <= today.year:
            return True
    # 2. A full date (day, month, four-digit year) that would make its subject 15 to 100 years
    # old, within other text: appointments, deadlines and benefit dates lie in recent years and
    # never match. A message that is nothing but a date answers a date question; every date
    # question refuses dates that far back with its own message, so it stores nothing.
    for date_match in _DATE.finditer(text):
        if date_match.start() == 0 and date_match.end() == len(text):
            continue
        parts = _date_parts(date_match)
        if parts is None or parts[2] is None or parts[2] < 1000:
            continue
        if today.year - parts[2] in BIRTH_AGES:
            return True
    return False


@functools.lru_cache(maxsize=64)
def special_words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for ``words``: whole words (a trailing ``*``: any word starting so), any
    case, after normalisation; several words in an entry match with any spacing. ``None`` for
    an empty list."""
    parts: list[str] = []
    for word in words:
        word = normalise_text(word).casefold()
        prefix = word.endswith("*")
        pieces = word.rstrip("*").split()
        if not pieces:
            continue
        body = r"\s+".join(re.escape(piece) for piece in pieces)
        parts.append(body + (r"[^\W\d_]*" if prefix else ""))
    if not parts:
        return None
    alternatives = "|".join(sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])")


def find_personal(
    text: str, *, today: date, special_words: tuple[str, ...] = DEFAULT_SPECIAL_CATEGORY_WORDS
) -> frozenset[Personal]:
    """The kinds of personal detail in ``text`` (read as stored), never the detail itself.

    Phone: a Dutch number (0 or +31/0031, "(0)" allowed, then nine digits; mobile or fixed,
    separators and parentheses as people type them) or any number written with "+" and 8-15
    digits; a span that starts as a date ("01-03-2026 10 uur") is not a phone number.
    E-mail: ``naam@domein.nl``, also ``naam [at] domein.nl``. Date of birth: see
    :func:`_has_birth_date`. Special category: a word of ``special_words``.
    """
    normal = normalise_text(text)
    found: set[Personal] = set()
    if _has_phone(normal):
        found.add(Personal.PHONE)
    if _EMAIL.search(normal):
        found.add(Personal.EMAIL)
    if _has_birth_date(normal, today):
        found.add(Personal.BIRTH_DATE)
    pattern = special_words_pattern(tuple(special_words))
    if pattern is not None and pattern.search(normal.casefold()):
        found.add(Personal.SPECIAL)
    return frozenset(found)
