from django.urls import include, path

from exemplar.public.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("prefs/font-size/", home.set_font_size, name="set_font_size"),
    path("i18n/", include("django.conf.urls.i18n")),
]
