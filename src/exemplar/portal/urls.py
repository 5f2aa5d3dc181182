from django.urls import path

from exemplar.portal.views.home import PortalHomeView

app_name = "portal"
urlpatterns = [
    path("", PortalHomeView.as_view(), name="home"),
]
