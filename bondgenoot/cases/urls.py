from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("overleg/", views.discussion_list, name="list"),
    path("overleg/nieuw/", views.discussion_new, name="new"),
    path("overleg/<uuid:pk>/", views.discussion_detail, name="detail"),
    path("overleg/<uuid:pk>/notities/", views.discussion_notes, name="notes"),
    path("overleg/<uuid:pk>/agenda/", views.item_add, name="item_add"),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/toestemming/", views.consent_add, name="consent"),
    path(
        "overleg/<uuid:pk>/toestemming/<int:consent_pk>/intrekken/",
        views.consent_withdraw,
        name="withdraw",
    ),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/uitnodigen/", views.invite, name="invite"),
    path(
        "overleg/<uuid:pk>/punt/<uuid:item_pk>/leerling-uitnodigen/",
        views.invite_pupil,
        name="invite_pupil",
    ),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/aanwezig/", views.presence, name="presence"),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/verslag/", views.minutes, name="minutes"),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/actie/", views.action_add, name="action"),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/samenvatting/", views.summary, name="summary"),
    path("overleg/<uuid:pk>/punt/<uuid:item_pk>/vertaling/", views.translation, name="translation"),
    path("uitnodiging-overleg/<str:token>/", views.answer, name="answer"),
    path("meldcode/", views.route_list, name="routes"),
    path("meldcode/<uuid:pk>/", views.route_detail, name="route"),
    path("meldcode/<uuid:pk>/stap/", views.route_step, name="route_step"),
    path("meldcode/<uuid:pk>/vraag/", views.route_question, name="route_question"),
    path("signalen/<uuid:signal_pk>/meldcode/", views.route_start, name="route_start"),
]
