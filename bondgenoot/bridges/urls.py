from django.urls import path

from . import views

app_name = "bridges"
urlpatterns = [
    path("sleutelfiguren/", views.registry, name="registry"),
    path("sleutelfiguren/nieuw/", views.key_figure_new, name="new"),
    path("sleutelfiguren/<uuid:pk>/", views.key_figure_edit, name="edit"),
    path("gezinnen/<uuid:pk>/sleutelfiguren/", views.family_matches, name="matches"),
    path(
        "gezinnen/<uuid:pk>/sleutelfiguren/<uuid:key_figure_pk>/voorstellen/",
        views.introduce,
        name="introduce",
    ),
    path("bruggen/<uuid:pk>/", views.bridge_detail, name="bridge"),
    path("bruggen/<uuid:pk>/toestemming/", views.bridge_consent, name="consent"),
    path("bruggen/<uuid:pk>/intrekken/", views.bridge_withdraw, name="withdraw"),
    path("mijn-bruggen/", views.mine, name="mine"),
    path("mijn-bruggen/<uuid:pk>/", views.key_figure_family, name="family"),
    path(
        "mijn-bruggen/<uuid:pk>/uitnodigen/<uuid:meeting_pk>/",
        views.key_figure_invite,
        name="invite",
    ),
]
