from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.family_list, name="families"),
    path("<uuid:pk>/", views.family_detail, name="family"),
    path("<uuid:pk>/deel/<str:name>/", views.family_panel, name="panel"),
    path("<uuid:pk>/contactpersoon/", views.family_contact_person, name="contact_person"),
]
