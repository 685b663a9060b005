from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("bijeenkomsten/", views.meeting_list, name="list"),
    path("bijeenkomsten/nieuw/", views.meeting_new, name="new"),
    path("bijeenkomsten/bereik/", views.year_reach, name="year_reach"),
    path("bijeenkomsten/<uuid:pk>/", views.meeting_detail, name="detail"),
    path("bijeenkomsten/<uuid:pk>/uitnodigen/", views.invite_all, name="invite_all"),
    path("bijeenkomsten/<uuid:pk>/wijzigen/", views.meeting_edit, name="edit"),
    path("bijeenkomsten/<uuid:pk>/genodigden/", views.meeting_audience, name="audience"),
    path("bijeenkomsten/<uuid:pk>/afzeggen/", views.meeting_cancel, name="cancel"),
    path("bijeenkomsten/<uuid:pk>/bedanken/", views.follow_up, name="follow_up"),
    path("bijeenkomsten/<uuid:pk>/binnenkomst/", views.check_in_page, name="check_in"),
    path(
        "bijeenkomsten/<uuid:pk>/binnenkomst/<uuid:family_pk>/",
        views.check_in_family,
        name="check_in_family",
    ),
    path(
        "bijeenkomsten/<uuid:pk>/binnenkomst/<uuid:family_pk>/ongedaan/",
        views.check_in_undo,
        name="check_in_undo",
    ),
    path("bijeenkomsten/<uuid:pk>/bereik/", views.meeting_reach, name="reach"),
    path("gezinnen/<uuid:family_pk>/uitnodigen/", views.invite_family, name="invite_family"),
    path("uitnodiging/<str:token>/", views.answer, name="answer"),
    path("uitnodiging/<str:token>/agenda.ics", views.answer_calendar, name="calendar"),
]
