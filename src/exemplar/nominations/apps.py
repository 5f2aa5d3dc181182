from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "exemplar.nominations"
    label = "nominations"
    verbose_name = _("Nominations")

    def ready(self) -> None:
        from exemplar.nominations.domain.facts import nomination_counts
        from exemplar.programmes.domain.facts import register_fact_provider

        register_fact_provider("nominations", nomination_counts)
