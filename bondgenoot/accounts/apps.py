from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bondgenoot.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_login

        def on_login(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                mark_login(request)

        user_logged_in.connect(on_login, weak=False, dispatch_uid="accounts.mark_login")
