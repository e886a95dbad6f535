"""The plan wizard: eight pages that fill one :class:`PlanRequest`.

As in Picard's setup wizard, :data:`PAGES` lists the pages and each page saves its part;
:meth:`PlanWizard.accept` calls every page's ``save`` once more. The wizard itself writes
nothing and reads nothing: :func:`run_wizard` reads the known organisations on the window's
runner, opens the wizard with them, and hands the request to ``create_plan`` on the runner after
«Готово», so Cancel leaves the database as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtWidgets import QDialog, QWidget, QWizard

from cxdesk.domain.building import PlanRequest, node_included, with_defaults
from cxdesk.domain.templates import get_template
from cxdesk.errors import UserError
from cxdesk.services.plans import Created, create_plan
from cxdesk.services.views import list_plans
from cxdesk.storage.db import Store

from ui import msgbox
from ui.tasks import tasks_of
from ui.wizard.common import PageId, PlanPage, install_qt_translations, set_buttons_russian
from ui.wizard.page_approval import ApprovalPage
from ui.wizard.page_defaults import DefaultsPage
from ui.wizard.page_done import DonePage
from ui.wizard.page_exclude import ExcludePage
from ui.wizard.page_org import OrgPage
from ui.wizard.page_questions import QuestionsPage
from ui.wizard.page_summary import SummaryPage
from ui.wizard.page_template import TemplatePage

PAGES: tuple[type[PlanPage], ...] = (
    TemplatePage,
    OrgPage,
    QuestionsPage,
    DonePage,
    ExcludePage,
    DefaultsPage,
    ApprovalPage,
    SummaryPage,
)


#: What a flow calls once at its end: the new plan's id, or None.
Then = Callable[[Created | None], object]


def known_orgs(store: Store) -> list[str]:
    """Organisations of the plans already in the store, offered as the user types."""
    return [p.org for p in list_plans(store) if p.org]


class PlanWizard(QWizard):
    """«Новый план»: template, organisation, questions, completed and excluded items,
    defaults, the approval block and a summary. ``request()`` gives the result.

    ``orgs`` are the organisations offered as the user types (those of the plans already made).
    """

    def __init__(self, parent: QWidget | None = None, orgs: Sequence[str] = ()) -> None:
        super().__init__(parent)
        install_qt_translations()
        self.setObjectName("plan_wizard")
        self.draft = PlanRequest(template_id="", org="")
        #: Ask before Cancel throws away what was entered (tests may switch it off).
        self.confirm_cancel = True
        self.pages: dict[PageId, PlanPage] = {}
        for page_class in PAGES:
            page = page_class(list(orgs)) if page_class is OrgPage else page_class()
            self.pages[page.page_id] = page
            self.setPage(int(page.page_id), page)
        # The pages by name, typed (tests and the screenshot tool reach widgets through them).
        self.template_page = cast(TemplatePage, self.pages[PageId.TEMPLATE])
        self.org_page = cast(OrgPage, self.pages[PageId.ORG])
        self.questions_page = cast(QuestionsPage, self.pages[PageId.QUESTIONS])
        self.done_page = cast(DonePage, self.pages[PageId.DONE])
        self.exclude_page = cast(ExcludePage, self.pages[PageId.EXCLUDE])
        self.defaults_page = cast(DefaultsPage, self.pages[PageId.DEFAULTS])
        self.approval_page = cast(ApprovalPage, self.pages[PageId.APPROVAL])
        self.summary_page = cast(SummaryPage, self.pages[PageId.SUMMARY])
        self.setStartId(int(PageId.TEMPLATE))
        self.setWindowTitle("Новый план мероприятий")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        set_buttons_russian(self)
        self.setMinimumSize(760, 560)
        self.resize(900, 650)

    def page_of(self, page_id: PageId) -> PlanPage:
        return self.pages[page_id]

    def accept(self) -> None:
        for page in self.pages.values():
            page.save(self.draft)
        super().accept()

    def reject(self) -> None:
        """Cancel (Esc, the window's cross): past the first page, asks before dropping."""
        if (
            self.confirm_cancel
            and self.currentId() > int(PageId.TEMPLATE)
            and not msgbox.question(
                self,
                "Прервать создание плана?",
                title="Новый план",
                yes="Прервать",
                no="Продолжить заполнение",
                detail="План не будет создан, введённые в мастере ответы не сохранятся.",
                dangerous=True,
            )
        ):
            return
        super().reject()

    def request(self) -> PlanRequest:
        """The plan request as the pages filled it: only refs that the answers include."""
        out = copy.deepcopy(self.draft)
        if not out.template_id:
            return out
        template = get_template(out.template_id)
        answers = with_defaults(template, out.answers)
        included = {n.ref for n in template.items() if node_included(n, answers)}
        out.done = out.done & included
        out.exclusions = {
            ref: basis
            for ref, basis in out.exclusions.items()
            if ref in included and ref not in out.done
        }
        out.org = out.org.strip()
        out.title = out.title.strip()
        return out


def run_wizard(window: QWidget, then: Then | None = None) -> None:
    """Opens the wizard; after «Готово» makes the plan, then ``then(plan_id)`` (None when the
    user cancelled or the plan was not made).

    The organisations offered and the plan itself are read and written on the window's runner.
    When the plan cannot be made (say, the database is locked), the message says why and the
    wizard opens again on the page it was on, with everything that was entered.
    """
    done: Then = then or _nothing

    def failed(_exc: BaseException) -> bool:
        done(None)
        return False  # the error dialog says what went wrong

    tasks_of(window).run(
        known_orgs, parent=window, success=lambda orgs: _ask(window, orgs, done), failure=failed
    )


def _ask(window: QWidget, orgs: list[str], done: Then, wizard: PlanWizard | None = None) -> None:
    """Shows the wizard (again, as it was left, when ``wizard`` is given); «Готово» makes the
    plan on the runner."""
    if wizard is None:
        wizard = PlanWizard(window, orgs)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        wizard.deleteLater()
        done(None)
        return
    request = wizard.request()
    shown = wizard

    def made(created: Created) -> None:
        shown.deleteLater()
        done(created)

    def failed(exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            msgbox.user_error(shown, exc, title="План не создан")
            _ask(window, orgs, done, shown)
            return True
        shown.deleteLater()
        done(None)
        return False  # the error dialog says what went wrong

    tasks_of(window).run(
        lambda st: create_plan(st, request),
        parent=window,
        success=made,
        failure=failed,
        label="Создание плана…",
    )


def _nothing(_result: object) -> None:
    """The end of a flow whose caller wants no result."""
