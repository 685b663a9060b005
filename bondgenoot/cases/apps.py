from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "bondgenoot.cases"
    verbose_name = _("Case discussions")

    def ready(self):
        # The pupil's chronology and the care queue show discussions and Meldcode routes:
        # registered in network.hooks, so that network never imports this app.
        from . import hooks  # noqa: F401
