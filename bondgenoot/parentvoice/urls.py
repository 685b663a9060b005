from django.urls import path

from . import views

app_name = "parentvoice"
urlpatterns = [
    path("kind/<uuid:pupil>/uw-verzoeken/", views.index, name="index"),
    path("kind/<uuid:pupil>/gesprek/", views.conversation, name="conversation"),
    path("kind/<uuid:pupil>/uw-kant/", views.records, name="records"),
    path("kind/<uuid:pupil>/uw-kant/contact/<uuid:pk>/", views.contact_view, name="contact_view"),
    path("kind/<uuid:pupil>/uw-kant/signaal/<uuid:pk>/", views.signal_view, name="signal_view"),
    path("kind/<uuid:pupil>/verzoek/", views.record_request, name="request_new"),
    path("kind/<uuid:pupil>/verzoek/<uuid:pk>/", views.request_detail, name="request"),
    path("kind/<uuid:pupil>/thuis/", views.home_story, name="home"),
    path("kind/<uuid:pupil>/gegevens/", views.contact_details, name="details"),
    path("kind/<uuid:pupil>/download/", views.export, name="export"),
    path(
        "kind/<uuid:pupil>/download/<uuid:pk>/pdf/",
        views.export_file,
        {"kind": "pdf"},
        name="export_pdf",
    ),
    path(
        "kind/<uuid:pupil>/download/<uuid:pk>/json/",
        views.export_file,
        {"kind": "json"},
        name="export_json",
    ),
    path("verzoeken/", views.request_queue, name="queue"),
    path("verzoeken/<uuid:pk>/", views.request_handle, name="handle"),
]
