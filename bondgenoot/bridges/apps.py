from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BridgesConfig(AppConfig):
    name = "bondgenoot.bridges"
    verbose_name = _("Bridge builders")
