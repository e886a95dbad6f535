"""The plan wizard («Новый план…») and the «Изменить ответы…» dialog.

The main window calls :func:`run_wizard` (its ``then`` gets the ``Created`` plan, or None when the
user cancelled) and :func:`run_answers_dialog` (its ``then`` gets the applied ``AnswerChange``, or
None); both run their service calls on the window's runner, as continuations.
:class:`PlanWizard` itself writes nothing: ``PlanWizard.request()`` is the ``PlanRequest`` that
``create_plan`` turns into a plan, exactly as ``cxdesk new`` does.
"""

from ui.wizard.answers_dialog import AnswersDialog, run_answers_dialog
from ui.wizard.common import PageId
from ui.wizard.wizard import PAGES, PlanWizard, run_wizard

__all__ = [
    "PAGES",
    "AnswersDialog",
    "PageId",
    "PlanWizard",
    "run_answers_dialog",
    "run_wizard",
]
