from django.conf import settings
from django.urls import include, path

from bondgenoot.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("account/", include("bondgenoot.accounts.urls")),
    path("gezinnen/", include("bondgenoot.people.urls")),
    path("audit/", include("bondgenoot.audit.urls")),
    path("", include("bondgenoot.contacts.urls")),
    path("", include("bondgenoot.approach.urls")),
    path("", include("bondgenoot.bridges.urls")),
    path("", include("bondgenoot.messaging.urls")),
    path("", include("bondgenoot.meetings.urls")),
    path("", include("bondgenoot.network.urls")),
    path("ouders/", include("bondgenoot.parentvoice.urls")),
    path("", include("bondgenoot.cases.urls")),
    path("", include("bondgenoot.patterns.urls")),
    path("beheer/import/", include("bondgenoot.roster.urls")),
    path("", include("bondgenoot.protocols.urls")),
    path("beheer/", include("bondgenoot.administration.urls")),
    path("ouders/", include("bondgenoot.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler500 = "bondgenoot.core.views.server_error"

if settings.DJANGO_ADMIN_ENABLED:
    from bondgenoot.administration.django_admin import build_site

    urlpatterns.append(path("django-admin/", build_site().urls))
