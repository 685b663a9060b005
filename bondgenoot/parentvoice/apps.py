from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParentVoiceConfig(AppConfig):
    name = "bondgenoot.parentvoice"
    verbose_name = _("The parent's voice")

    def ready(self):
        from . import panels  # noqa: F401
