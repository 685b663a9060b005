from django.urls import path

from . import monitor_views, views

app_name = "contacts"
urlpatterns = [
    path("gezinnen/<uuid:pk>/contact/", views.contact_new, name="new"),
    path("gezinnen/<uuid:pk>/tijdlijn/", views.family_timeline, name="timeline"),
    path("contacten/<uuid:pk>/", views.contact_edit, name="edit"),
    path("acties/", views.worklist, name="worklist"),
    path("acties/<uuid:pk>/klaar/", views.step_done, name="step_done"),
    path("acties/<uuid:pk>/verzetten/", views.step_move, name="step_move"),
    path("monitor/", monitor_views.monitor, name="monitor"),
    path("eerste-contact/", monitor_views.campaign, name="campaign"),
    path("eerste-contact/<uuid:pk>/", monitor_views.campaign_log, name="campaign_log"),
    path("eerste-contact/ongedaan/<uuid:pk>/", monitor_views.campaign_undo, name="campaign_undo"),
]
