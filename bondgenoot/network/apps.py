from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bondgenoot.network"
    verbose_name = _("Care and safety network")
