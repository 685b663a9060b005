from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApproachConfig(AppConfig):
    name = "bondgenoot.approach"
    verbose_name = _("Approach advisor")
