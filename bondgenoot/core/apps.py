from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide commands and checks that belong to no single capability."""

    name = "bondgenoot.core"
    verbose_name = "Bondgenoot"

    def ready(self):
        from django.db.models.signals import pre_save

        from bondgenoot.lib import choices
        from bondgenoot.lib.bidi import strip_bidi_fields

        # get_FOO_display() without translating every choice on every call (lib/choices.py).
        choices.install()

        # Every model's names and identifiers (lib/bidi.py), whichever way they arrive:
        # forms, imports, the admin, seeding.
        pre_save.connect(strip_bidi_fields, weak=False, dispatch_uid="core.strip_bidi")
