from django.urls import path

from . import views

app_name = "administration"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/nieuw/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/gegevens/", views.account_update, name="account_update"),
    path("accounts/<int:pk>/rol/", views.membership_add, name="membership_add"),
    path(
        "accounts/<int:pk>/rol/<int:membership_id>/weg/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("accounts/<int:pk>/deactiveren/", views.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/activeren/", views.account_reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/uitnodigen/", views.account_invite, name="account_invite"),
    path("accounts/<int:pk>/tweestaps/", views.account_reset_two_step, name="account_two_step"),
    path(
        "accounts/<int:pk>/overdragen/<int:school_id>/",
        views.account_handover,
        name="account_handover",
    ),
    path("organisaties/", views.organisation_list, name="organisations"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation"),
    path("leerlingen/", views.pupil_list, name="pupils"),
    path("leerlingen/nieuw/", views.pupil_new, name="pupil_new"),
    path("leerlingen/<uuid:pk>/", views.pupil_detail, name="pupil"),
    path("leerlingen/<uuid:pk>/gegevens/", views.pupil_update, name="pupil_update"),
    path("leerlingen/<uuid:pk>/verplaatsen/", views.pupil_move, name="pupil_move"),
    path("leerlingen/<uuid:pk>/vertrokken/", views.pupil_left, name="pupil_left"),
    path("leerlingen/<uuid:pk>/ouder/", views.guardian_link, name="guardian_link"),
    path("leerlingen/<uuid:pk>/ouder/nieuw/", views.guardian_new, name="guardian_new"),
    path(
        "leerlingen/<uuid:pk>/ouder/<int:link_id>/",
        views.guardianship_update,
        name="guardianship",
    ),
    path("ouders/<uuid:pk>/", views.guardian_detail, name="guardian"),
    path("gezinnen/samenvoegen/", views.family_merge, name="family_merge"),
    path("schooljaar/", views.school_year, name="school_year"),
    path("instellingen/", views.school_settings_page, name="settings"),
]
