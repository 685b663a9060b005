from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "bondgenoot.meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The family page's panels (people.panels): registered here, so that people
        # never imports this app.
        from . import panels  # noqa: F401
