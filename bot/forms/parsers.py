"""The shared answer parsers of every form: free text, a pick from a list, a date, a client
reference. Each returns the clean value or raises :class:`~bot.core.answers.InputProblem`, which
the step machinery shows as a Dutch sentence above the same question.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from bot.caselog.catalog import Choice
from bot.caselog.references import BadReference, validate
from bot.core.answers import InputProblem, date_text
from bot.core.clock import local_today
from bot.core.render import render
from bot.forms.engine import FormEnv, FormInput


def today(env: FormEnv) -> date:
    """The local date of the clock."""
    return local_today(env.clock)


def problem_text(problem: InputProblem) -> str:
    """The Dutch message for ``problem``."""
    return render("forms/problem", code=problem.code, v=problem.values)


def typed_text(given: FormInput) -> str:
    """The typed answer; refuses photos, stickers and buttons of another kind."""
    if given.other:
        raise InputProblem("not_text")
    if given.text is None:
        raise InputProblem("type_it")
    return given.text


def pick(given: FormInput, options: tuple[Choice, ...]) -> str:
    """The code of the chosen option: a tapped button, or the label or code typed out."""
    if given.other:
        raise InputProblem("use_buttons")
    codes = {option.code for option in options}
    if given.choice is not None:
        if given.choice in codes:
            return given.choice
        raise InputProblem("use_buttons")
    typed = (given.text or "").strip().casefold()
    for option in options:
        if typed in (option.code.casefold(), option.label.casefold()):
            return option.code
    raise InputProblem("use_buttons")


def date_answer(
    given: FormInput,
    today: date,
    *,
    prefer: Literal["past", "future"] = "past",
    earliest: date | None = None,
    latest: date | None = None,
    today_choice: str | None = None,
) -> date:
    """A typed date (``12-03-2026``, ``12 maart``, ``vandaag``, ``gisteren``, ``morgen``),
    refused outside ``earliest``..``latest`` when given.

    With ``today_choice``, the question has a Vandaag button whose value that is: tapping it
    answers ``today``, and anything that is not typed text is told to type a date or use it.
    """
    if today_choice is None:
        text = typed_text(given)
    elif given.choice == today_choice:
        return today
    elif given.text is None:
        raise InputProblem("date_or_button")
    else:
        text = given.text
    return date_text(text, today, prefer=prefer, earliest=earliest, latest=latest)


def check_ref(env: FormEnv, text: str) -> str:
    """A normalised reference in the format of the actor's team."""
    try:
        return validate(text, env.team.reference_rule)
    except BadReference as error:
        raise InputProblem(f"ref_{error.problem.value}") from None
