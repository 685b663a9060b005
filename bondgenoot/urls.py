from django.urls import include, path

from bondgenoot.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("account/", include("bondgenoot.accounts.urls")),
    path("gezinnen/", include("bondgenoot.people.urls")),
    path("audit/", include("bondgenoot.audit.urls")),
    path("", include("bondgenoot.contacts.urls")),
    path("", include("bondgenoot.bridges.urls")),
    path("", include("bondgenoot.messaging.urls")),
    path("", include("bondgenoot.meetings.urls")),
    path("", include("bondgenoot.network.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
