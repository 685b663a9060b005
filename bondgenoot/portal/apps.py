from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "bondgenoot.portal"
    verbose_name = _("Parent portal")

    def ready(self):
        # The family page's panel (people.panels): registered here, so that people
        # never imports this app.
        from . import panels  # noqa: F401
