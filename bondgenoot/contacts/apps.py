from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "bondgenoot.contacts"
    verbose_name = _("Contact ledger")

    def ready(self):
        # The family page's panels (people.panels): registered here, so that people
        # never imports this app.
        from . import panels  # noqa: F401
