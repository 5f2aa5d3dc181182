from django.urls import path

from exemplar.backoffice.views import accounts, audit, coordinator, dashboard, directory, nominate, nominations, org
from exemplar.backoffice.views import office as office_views
from exemplar.backoffice.views import vetting as vetting_views
from exemplar.backoffice.views.programmes import overview as programme_pages
from exemplar.backoffice.views.programmes import setup as programme_setup
from exemplar.backoffice.views.quotas import (
    ApportionView,
    QuotaEditView,
    QuotaExportView,
    QuotaTableView,
    QuotaUnpinView,
)

app_name = "backoffice"
urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="home"),
    path("org/", org.TreeView.as_view(), name="tree"),
    path("org/units/<int:unit>/", org.UnitView.as_view(), name="unit"),
    path("org/units/<int:unit>/children/", org.UnitChildrenView.as_view(), name="unit_children"),
    path("org/people/", org.PeopleSearchView.as_view(), name="people_search"),
    path("org/people/<int:person>/", org.PersonView.as_view(), name="person"),
    path("org/teams/<int:team>/", org.TeamView.as_view(), name="team"),
    path("org/import/", directory.ImportListView.as_view(), name="import_list"),
    path("org/import/<int:import_id>/", directory.ImportDetailView.as_view(), name="import_detail"),
    path("org/import/<int:import_id>/progress/", directory.ImportProgressView.as_view(), name="import_progress"),
    path("org/import/templates/<str:filename>", directory.ImportTemplateView.as_view(), name="import_template"),
    path("accounts/", accounts.AccountListView.as_view(), name="accounts"),
    path("accounts/<int:user>/grants/", accounts.GrantRoleView.as_view(), name="grant_role"),
    path("accounts/<int:user>/grants/<int:grant>/revoke/", accounts.RevokeGrantView.as_view(), name="revoke_grant"),
    path("org/people/<int:person>/account/", accounts.CreateAccountView.as_view(), name="create_account"),
    path("nominations/<int:nomination>/", nominations.NominationView.as_view(), name="nomination"),
    # The coordinators' nominating work (dashboard, drafts, attachments, steps up the tree).
    path("coordinator/", coordinator.CoordinatorHomeView.as_view(), name="coordinator_home"),
    path(
        "coordinator/<int:programme>/",
        coordinator.CoordinatorDashboardView.as_view(),
        name="coordinator_dashboard",
    ),
    path("programmes/<int:programme>/nominate/", nominate.NominateChooseUnitView.as_view(), name="nominate_choose"),
    path(
        "programmes/<int:programme>/nominate/<int:unit>/",
        nominate.NominationCreateView.as_view(),
        name="nominate",
    ),
    path("nominate/units/<int:unit>/people/", nominate.NomineeSearchView.as_view(), name="nominee_search"),
    path("nominations/<int:nomination>/edit/", nominate.NominationEditView.as_view(), name="nomination_edit"),
    path("nominations/<int:nomination>/submit/", nominate.SubmitView.as_view(), name="nomination_submit"),
    path("nominations/<int:nomination>/endorse/", nominate.EndorseView.as_view(), name="nomination_endorse"),
    path("nominations/<int:nomination>/return/", nominate.ReturnView.as_view(), name="nomination_return"),
    path("nominations/<int:nomination>/withdraw/", nominate.WithdrawView.as_view(), name="nomination_withdraw"),
    path("nominations/<int:nomination>/joint/", nominate.MarkJointView.as_view(), name="nomination_mark_joint"),
    path(
        "nominations/<int:nomination>/joint/off/",
        nominate.UnmarkJointView.as_view(),
        name="nomination_unmark_joint",
    ),
    path(
        "nominations/<int:nomination>/attachments/",
        nominate.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path(
        "nominations/<int:nomination>/attachments/<int:attachment>/",
        nominate.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(
        "nominations/<int:nomination>/attachments/<int:attachment>/remove/",
        nominate.AttachmentRemoveView.as_view(),
        name="attachment_remove",
    ),
    # Screening and vetting: the office's dashboard and decisions, the vetting matrix, departments' worklists.
    path("screening/", office_views.ScreeningHomeView.as_view(), name="screening_home"),
    path("programmes/<int:programme>/screening/", office_views.OfficeDashboardView.as_view(), name="office_dashboard"),
    path(
        "programmes/<int:programme>/screening/export.xlsx",
        office_views.OfficeExportView.as_view(),
        name="office_export",
    ),
    path(
        "programmes/<int:programme>/screening/checks/", office_views.RunChecksView.as_view(), name="office_run_checks"
    ),
    path(
        "nominations/<int:nomination>/confirm/", office_views.ConfirmNominationView.as_view(), name="nomination_confirm"
    ),
    path("nominations/<int:nomination>/reject/", office_views.RejectNominationView.as_view(), name="nomination_reject"),
    path("vetting/", vetting_views.VettingHomeView.as_view(), name="vetting_home"),
    path(
        "programmes/<int:programme>/vetting-matrix/", vetting_views.VettingMatrixView.as_view(), name="vetting_matrix"
    ),
    path(
        "programmes/<int:programme>/vetting-worklist/",
        vetting_views.VettingWorklistView.as_view(),
        name="vetting_worklist",
    ),
    path("nominations/<int:nomination>/vetting/", vetting_views.RecordVettingView.as_view(), name="nomination_vet"),
    # Programmes: list, dashboard with timeline and phase control, set-up.
    path("programmes/", programme_pages.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", programme_pages.ProgrammeCreateView.as_view(), name="programme_new"),
    path("programmes/<int:programme>/", programme_pages.ProgrammeDashboardView.as_view(), name="programme"),
    path("programmes/<int:programme>/edit/", programme_pages.ProgrammeEditView.as_view(), name="programme_edit"),
    path("programmes/<int:programme>/copy/", programme_pages.ProgrammeCopyView.as_view(), name="programme_copy"),
    path("programmes/<int:programme>/advance/", programme_pages.AdvanceView.as_view(), name="programme_advance"),
    path("programmes/<int:programme>/back/", programme_pages.StepBackView.as_view(), name="programme_step_back"),
    path(
        "programmes/<int:programme>/categories/",
        programme_setup.CategoriesView.as_view(),
        name="programme_categories",
    ),
    path(
        "programmes/<int:programme>/categories/add/",
        programme_setup.CategoryFormView.as_view(),
        name="programme_category_add",
    ),
    path(
        "programmes/<int:programme>/categories/<int:category>/",
        programme_setup.CategoryFormView.as_view(),
        name="programme_category",
    ),
    path(
        "programmes/<int:programme>/categories/<int:category>/delete/",
        programme_setup.CategoryDeleteView.as_view(),
        name="programme_category_delete",
    ),
    path("programmes/<int:programme>/rubric/", programme_setup.RubricView.as_view(), name="programme_rubric"),
    path(
        "programmes/<int:programme>/rubric/add/",
        programme_setup.CriterionFormView.as_view(),
        name="programme_criterion_add",
    ),
    path(
        "programmes/<int:programme>/rubric/<int:criterion>/",
        programme_setup.CriterionFormView.as_view(),
        name="programme_criterion",
    ),
    path(
        "programmes/<int:programme>/rubric/<int:criterion>/delete/",
        programme_setup.CriterionDeleteView.as_view(),
        name="programme_criterion_delete",
    ),
    path(
        "programmes/<int:programme>/composition/",
        programme_setup.CompositionView.as_view(),
        name="programme_composition",
    ),
    path(
        "programmes/<int:programme>/composition/add/",
        programme_setup.RuleFormView.as_view(),
        name="programme_rule_add",
    ),
    path(
        "programmes/<int:programme>/composition/<int:rule>/",
        programme_setup.RuleFormView.as_view(),
        name="programme_rule",
    ),
    path(
        "programmes/<int:programme>/composition/<int:rule>/delete/",
        programme_setup.RuleDeleteView.as_view(),
        name="programme_rule_delete",
    ),
    path("programmes/<int:programme>/phases/", programme_setup.PhasesView.as_view(), name="programme_phases"),
    path(
        "programmes/<int:programme>/phases/add/",
        programme_setup.PhaseAddView.as_view(),
        name="programme_phase_add",
    ),
    path(
        "programmes/<int:programme>/phases/<int:phase>/",
        programme_setup.PhaseFormView.as_view(),
        name="programme_phase",
    ),
    path(
        "programmes/<int:programme>/phases/<int:phase>/delete/",
        programme_setup.PhaseDeleteView.as_view(),
        name="programme_phase_delete",
    ),
    path("programmes/<int:programme>/vetting/", programme_setup.VettingView.as_view(), name="programme_vetting"),
    path(
        "programmes/<int:programme>/vetting/add/",
        programme_setup.DepartmentFormView.as_view(),
        name="programme_department_add",
    ),
    path(
        "programmes/<int:programme>/vetting/<int:department>/",
        programme_setup.DepartmentFormView.as_view(),
        name="programme_department",
    ),
    path(
        "programmes/<int:programme>/vetting/<int:department>/delete/",
        programme_setup.DepartmentDeleteView.as_view(),
        name="programme_department_delete",
    ),
    # Nomination quotas per unit: the table, apportioning by headcount, inline hand edits, XLSX.
    path("programmes/<int:programme>/quotas/", QuotaTableView.as_view(), name="quotas"),
    path("programmes/<int:programme>/quotas/apportion/", ApportionView.as_view(), name="quotas_apportion"),
    path("programmes/<int:programme>/quotas/export.xlsx", QuotaExportView.as_view(), name="quotas_export"),
    path("programmes/<int:programme>/quotas/<int:unit>/", QuotaEditView.as_view(), name="quota_edit"),
    path("programmes/<int:programme>/quotas/<int:unit>/unpin/", QuotaUnpinView.as_view(), name="quota_unpin"),
    path("audit/", audit.AuditLogView.as_view(), name="audit_log"),
    path("audit/verify/", audit.VerifyChainView.as_view(), name="audit_verify"),
    path("audit/<str:content_type>/<str:object_id>/", audit.ObjectHistoryView.as_view(), name="history"),
]
