from django.urls import path

from exemplar.portal.views import dossier, notifications
from exemplar.portal.views.home import PortalHomeView

app_name = "portal"
urlpatterns = [
    path("", PortalHomeView.as_view(), name="home"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", notifications.NotificationReadAllView.as_view(), name="notifications_read_all"),
    path(
        "notifications/<int:notification>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path("dossiers/", dossier.DossierListView.as_view(), name="dossiers"),
    path("dossiers/<int:nomination>/", dossier.DossierDetailView.as_view(), name="dossier"),
    path(
        "dossiers/<int:nomination>/attachments/<int:attachment>/",
        dossier.DossierAttachmentView.as_view(),
        name="dossier_attachment",
    ),
    path("joint/", dossier.JointListView.as_view(), name="joint"),
    path("joint/<int:nomination>/sign/", dossier.JointSignView.as_view(), name="joint_sign"),
]
