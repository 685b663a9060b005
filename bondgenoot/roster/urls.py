from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("", views.start, name="start"),
    path("kolommen/", views.mapping, name="mapping"),
    path("<uuid:pk>/", views.run_page, name="run"),
    path("<uuid:pk>/bevestigen/", views.confirm, name="confirm"),
    path("<uuid:pk>/weggooien/", views.discard, name="discard"),
    path("<uuid:pk>/opnieuw/", views.retry, name="retry"),
]
