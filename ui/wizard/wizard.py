"""The plan wizard: eight pages that fill one :class:`PlanRequest`.

As in Picard's setup wizard, :data:`PAGES` lists the pages and each page saves its part;
:meth:`PlanWizard.accept` calls every page's ``save`` once more. The wizard itself writes
nothing: :func:`run_wizard` hands the request to ``create_plan`` after «Готово», so Cancel
leaves the database as it was.
"""

from __future__ import annotations

import copy
from typing import cast

from PySide6.QtWidgets import QDialog, QWidget, QWizard

from cxdesk.domain.building import PlanRequest, node_included, with_defaults
from cxdesk.domain.templates import get_template
from cxdesk.errors import UserError
from cxdesk.services.plans import create_plan
from cxdesk.services.views import list_plans
from cxdesk.storage.db import Store

from ui import msgbox
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


def known_orgs(store: Store | None) -> list[str]:
    """Organisations of the plans already in the store, offered as the user types."""
    if store is None:
        return []
    return [p.org for p in list_plans(store) if p.org]


class PlanWizard(QWizard):
    """«Новый план»: template, organisation, questions, completed and excluded items,
    defaults, the approval block and a summary. ``request()`` gives the result."""

    def __init__(self, parent: QWidget | None = None, store: Store | None = None) -> None:
        super().__init__(parent)
        install_qt_translations()
        self.setObjectName("plan_wizard")
        self.store = store
        self.draft = PlanRequest(template_id="", org="")
        #: Ask before Cancel throws away what was entered (tests may switch it off).
        self.confirm_cancel = True
        self.pages: dict[PageId, PlanPage] = {}
        for page_class in PAGES:
            page = page_class(known_orgs(store)) if page_class is OrgPage else page_class()
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


def run_wizard(parent: QWidget | None, store: Store) -> int | None:
    """Opens the wizard; after «Готово» makes the plan and returns its id, else None.

    When the plan cannot be made (say, the database is locked), the message says why and the
    wizard opens again on the page it was on, with everything that was entered.
    """
    wizard = PlanWizard(parent, store)
    try:
        while wizard.exec() == QDialog.DialogCode.Accepted:
            try:
                return create_plan(store, wizard.request())
            except UserError as exc:
                msgbox.user_error(wizard, exc, title="План не создан")
        return None
    finally:
        wizard.deleteLater()
