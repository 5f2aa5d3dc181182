from django.urls import path

from exemplar.backoffice.views import accounts, audit, dashboard, directory, nominations, org

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
    path("audit/", audit.AuditLogView.as_view(), name="audit_log"),
    path("audit/verify/", audit.VerifyChainView.as_view(), name="audit_verify"),
    path("audit/<str:content_type>/<str:object_id>/", audit.ObjectHistoryView.as_view(), name="history"),
]
