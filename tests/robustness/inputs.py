"""Hostile input for the robustness suite: text, dates, BSNs in many spellings, callback data.

Strategies only; what is done with them is in :mod:`tests.robustness.world`.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: Characters that look like nothing, or turn text around.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e"]
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2009", "\u202f", "\u3000", "\u2028"]
#: What people (or a copy-paste) put between the digit groups of a number.
SEPARATORS = [*SPACES, *INVISIBLE, ".", "-", "/", ",", "_", "(", ")", " - ", "\n\n", "\u2011"]
#: Ten digits of other scripts (fullwidth, Arabic-Indic, Devanagari, Bengali, Thai, math bold).
DIGIT_SCRIPTS = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1D7CE]

FRAGMENTS = [
    "",
    " ",
    "<b>",
    "</b>",
    "<i>vet</b>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<tg-spoiler>",
    "&amp;",
    "&lt;",
    "&",
    "&nbsp;",
    "&#0;",
    "<",
    ">",
    "*vet*",
    "_schuin_",
    "`code`",
    "```\npre\n```",
    "[link](http://x)",
    "||spoiler||",
    "\\",
    "{0}",
    "{}",
    "%s",
    "%(x)s",
    "{{x}}",
    "{% if %}",
    "{#",
    "${x}",
    "\x00",
    "\x1b[31m",
    "'; DROP TABLE clients; --",
    "😀",
    "👩‍👩‍👧‍👦",
    "🇳🇱",
    "é",
    "ǅ",
    "K",  # Kelvin sign
    "İ",
    "ﬃ",
    "C-7001",
    "c‐7001",
    "/annuleer",
    "/start",
    "@weekdate_bot",
    ":",
    "f:x:y:z",
    "ja",
    "nee",
    "1",
    "0",
    "-1",
    "99999999999999999999",
    "2147483648",
]

DATES = [
    "31-02-2026",
    "30-02-2026",
    "29-02-2027",
    "31-12-9999",
    "01-01-0001",
    "00-00-0000",
    "32-01-2026",
    "15-13-2026",
    "1-1-1",
    "15-04-2026",
    "15/04/2026",
    "15.04.2026",
    "2026-04-15",
    "15 april 2026",
    "morgen",
    "gisteren",
    "vandaag",
    "over 5000 jaar",
    "99-99-99",
    "31-12-2099",
    "01-01-1900",
    "15-04-20266",
    "٣١-١٢-٢٠٢٦",
    "３１-１２-２０２６",
    "25-12-2026",
    "10:00",
    "25:61",
]


def elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN eleven test (and are not all zero)."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


@st.composite
def bsn_numbers(draw: st.DrawFn) -> str:
    """Nine ASCII digits that pass the eleven test."""
    while True:
        head = draw(st.text("0123456789", min_size=8, max_size=8))
        total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10 and elfproef(head + str(check)):
            return head + str(check)


def in_script(digits: str, zero: int) -> str:
    """``digits`` written with the digits of another script (``zero`` is its code point)."""
    return "".join(chr(zero + int(d)) for d in digits)


@st.composite
def bsn_spellings(draw: st.DrawFn) -> str:
    """A BSN as people (or a hostile paste) might write it."""
    number = draw(bsn_numbers())
    if draw(st.booleans()):
        number = in_script(number, draw(st.sampled_from(DIGIT_SCRIPTS)))
    groups = draw(
        st.sampled_from([[number], [number[:3], number[3:6], number[6:]], [number[:4], number[4:]]])
    )
    if len(groups) == 1 and draw(st.booleans()):
        groups = list(number)  # one separator between every digit
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(groups), max_size=len(groups)))
    spelled = "".join(g + s for g, s in zip(groups, seps, strict=True)).rstrip()
    prefix = draw(st.sampled_from(["", "bsn ", "BSN: ", "burgerservicenummer ", "nr ", "C-7001 "]))
    return prefix + spelled


def _long_text(draw: st.DrawFn) -> str:
    unit = draw(st.sampled_from(["a", "é", "😀", "<b>", "&", "{0}", "\u200b", "ab cd "]))
    return (unit * 5000)[: draw(st.sampled_from([4096, 4097, 5000]))]


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """One piece of text someone might send: short pieces of everything above, mixed."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return _long_text(draw)
    if kind == 1:
        return draw(bsn_spellings())
    if kind == 2:
        return draw(st.sampled_from(DATES))
    if kind == 3:
        return draw(st.text(max_size=40))
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(FRAGMENTS),
                st.sampled_from(DATES),
                st.sampled_from(INVISIBLE + BIDI + SPACES),
                bsn_spellings(),
                st.text(max_size=12),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return "".join(pieces)
