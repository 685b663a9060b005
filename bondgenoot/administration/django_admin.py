"""Django's admin site, only when ``DJANGO_ADMIN_ENABLED`` is on, and only for active
superusers (staff flags alone are not enough). It is for technical operations (the
task queue, login throttling); people and accounts are managed at /beheer/."""

from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Bondgenoot — technical administration"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_superuser)


site = SuperuserAdminSite(name="django_admin")
for model, model_admin in admin.site._registry.items():
    site.register(model, type(model_admin))
