from django.urls import path

from . import views

app_name = "approach"
urlpatterns = [
    path("gezinnen/<uuid:pk>/situatie/", views.family_situation, name="situation"),
]
