from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide commands and checks that belong to no single capability."""

    name = "bondgenoot.core"
    verbose_name = "Bondgenoot"
