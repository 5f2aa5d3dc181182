from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommendationsConfig(AppConfig):
    name = "exemplar.commendations"
    label = "commendations"
    verbose_name = _("Commendations")
