from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "bondgenoot.people"
    verbose_name = _("People and families")

    def ready(self):
        # The family page's own panel (the contact person's form), registered like the
        # other apps' panels.
        from . import family_page  # noqa: F401
