from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("signalen/", views.signal_list, name="list"),
    path("signalen/nieuw/", views.signal_new, name="new"),
    path("signalen/overzicht/", views.signal_counts, name="counts"),
    path("signalen/<uuid:pk>/", views.signal_detail, name="signal"),
    path("signalen/<uuid:pk>/delen/", views.signal_share, name="share"),
    path("delingen/<uuid:pk>/beperken/", views.share_restrict, name="restrict"),
    path("leerlingen/<uuid:pk>/chronologie/", views.chronology, name="chronology"),
    path("noodtoegang/", views.break_glass, name="break_glass"),
    path("partner/", views.partner_inbox, name="partner"),
    path("partner/<uuid:pk>/", views.partner_share, name="partner_share"),
    path("afspraken/", views.agreements, name="agreements"),
]
