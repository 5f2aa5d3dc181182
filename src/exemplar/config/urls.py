from django.urls import include, path

urlpatterns = [
    path("", include("exemplar.public.urls")),
    path("accounts/", include("exemplar.public.account_urls")),
    path("me/", include("exemplar.portal.urls")),
    path("office/", include("exemplar.backoffice.urls")),
]
