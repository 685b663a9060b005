from django.urls import path

from . import translation_views, views

app_name = "messaging"
urlpatterns = [
    path("berichten/", views.message_list, name="list"),
    path("berichten/nieuw/", views.compose, name="compose"),
    path("berichten/toon/", views.tone, name="tone"),
    path("berichten/sjablonen/", views.library_view, name="library"),
    path("berichten/<uuid:pk>/", views.message_detail, name="detail"),
    path("berichten/vertalingen/<uuid:pk>/", translation_views.translation, name="translation"),
    path("vertalen/", translation_views.to_translate, name="to_translate"),
    path("vertalen/<uuid:pk>/", translation_views.translate, name="translate"),
    path("berichten/<uuid:pk>/brieven.pdf", views.letters_pdf, name="letters"),
    path("antwoord/<str:token>/", views.reply, name="reply"),
]
