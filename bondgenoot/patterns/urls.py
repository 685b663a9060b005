from django.urls import path

from . import views

app_name = "patterns"
urlpatterns = [
    path("patronen/", views.patterns, name="page"),
    path("patronen/analisten/", views.analysts, name="analysts"),
    path("patronen/analisten/wijzigen/", views.analyst_change, name="analyst_change"),
]
