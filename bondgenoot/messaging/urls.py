from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("berichten/", views.message_list, name="list"),
    path("berichten/nieuw/", views.compose, name="compose"),
    path("berichten/toon/", views.tone, name="tone"),
    path("berichten/sjablonen/", views.library_view, name="library"),
    path("berichten/<uuid:pk>/", views.message_detail, name="detail"),
    path("berichten/<uuid:pk>/brieven.pdf", views.letters_pdf, name="letters"),
    path("antwoord/<str:token>/", views.reply, name="reply"),
]
