"""The case log's forms: /aanmelding, /vacature, /traject, /succes, /knelpunt, /categorie,
/wijzig, a vacature marked vervuld, and the chat-style "what is this message?" question.

All of them run on the form engine (``bot/forms``), so their state is a database row and a
restart mid-form resumes. Each is a list of declarative :class:`~bot.forms.steps.Step`s (with an
override only where a step reads the database); a bad answer shows the prompt again with a Dutch
reason. Saving is one call into :mod:`bot.caselog.service` inside the update's transaction, so a
form is saved completely or not at all.
"""

from __future__ import annotations

from bot.caselog.forms.common import find_client
from bot.caselog.forms.edit import EditItemForm
from bot.caselog.forms.intake import IntakeForm
from bot.caselog.forms.updates import CategoryForm, ChatStyleForm, QuickUpdateForm, TrajectoryForm
from bot.caselog.forms.vacancy import FillVacancyForm, VacancyForm
from bot.core.vocabulary import CaseItemKind
from bot.forms.steps import StepForm

INTAKE_FORM = IntakeForm()
VACANCY_FORM = VacancyForm()
TRAJECTORY_FORM = TrajectoryForm()
SUCCESS_FORM = QuickUpdateForm("succ", "succes", CaseItemKind.SUCCESS)
BOTTLENECK_FORM = QuickUpdateForm("knel", "knelpunt", CaseItemKind.BOTTLENECK)
CATEGORY_FORM = CategoryForm()
EDIT_FORM = EditItemForm()
FILL_FORM = FillVacancyForm()
CHAT_FORM = ChatStyleForm()

#: Every case log form, registered with the form engine.
ALL_FORMS: tuple[StepForm, ...] = (
    INTAKE_FORM,
    VACANCY_FORM,
    TRAJECTORY_FORM,
    SUCCESS_FORM,
    BOTTLENECK_FORM,
    CATEGORY_FORM,
    EDIT_FORM,
    FILL_FORM,
    CHAT_FORM,
)

__all__ = [
    "ALL_FORMS",
    "BOTTLENECK_FORM",
    "CATEGORY_FORM",
    "CHAT_FORM",
    "EDIT_FORM",
    "FILL_FORM",
    "INTAKE_FORM",
    "SUCCESS_FORM",
    "TRAJECTORY_FORM",
    "VACANCY_FORM",
    "CategoryForm",
    "ChatStyleForm",
    "EditItemForm",
    "FillVacancyForm",
    "IntakeForm",
    "QuickUpdateForm",
    "TrajectoryForm",
    "VacancyForm",
    "find_client",
]
