from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bondgenoot.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import IDP_MFA, mark_login

        def on_login(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                mark_login(request)
                # A provider's multi-factor assertion belongs to the sign-on that made
                # it; the single sign-on view sets it again after its own login.
                request.session.pop(IDP_MFA, None)

        user_logged_in.connect(on_login, weak=False, dispatch_uid="accounts.mark_login")
