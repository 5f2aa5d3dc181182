from django.urls import path

from exemplar.backoffice.views import accounts, audit, coordinator, dashboard, directory, nominate, nominations, org
from exemplar.backoffice.views import office as office_views
from exemplar.backoffice.views import vetting as vetting_views

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
    path("audit/", audit.AuditLogView.as_view(), name="audit_log"),
    path("audit/verify/", audit.VerifyChainView.as_view(), name="audit_verify"),
    path("audit/<str:content_type>/<str:object_id>/", audit.ObjectHistoryView.as_view(), name="history"),
]
