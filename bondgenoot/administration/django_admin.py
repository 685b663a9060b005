"""Django's admin site, only when ``DJANGO_ADMIN_ENABLED`` is on, and only for active
superusers (staff flags alone are not enough). It is for technical operations (the
task queue, login throttling); people and accounts are managed at /beheer/."""

from django.contrib.admin import AdminSite


class SuperuserAdminSite(AdminSite):
    site_header = "Bondgenoot — technical administration"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_superuser)


def build_site() -> SuperuserAdminSite:
    """The site with what the installed apps registered on Django's default site
    (only callable when ``django.contrib.admin`` is installed)."""
    from django.contrib import admin

    site = SuperuserAdminSite(name="django_admin")
    for model, model_admin in admin.site._registry.items():
        site.register(model, type(model_admin))
    return site
