from django.urls import path

from . import views

app_name = "protocols"
urlpatterns = [
    path("protocollen/", views.protocol_list, name="list"),
    path("protocollen/nieuw/", views.protocol_new, name="new"),
    path("protocollen/<uuid:pk>/", views.protocol_detail, name="detail"),
    path("protocollen/<uuid:pk>/alinea/<int:paragraph_pk>/", views.comment, name="comment"),
    path("protocollen/<uuid:pk>/reactie/<uuid:comment_pk>/", views.reply, name="reply"),
    path("protocollen/<uuid:pk>/publiceren/", views.publish, name="publish"),
    path("protocollen/<uuid:pk>/nieuwe-ronde/", views.revise, name="revise"),
    path("protocollen/<uuid:pk>/vertaling/", views.translation, name="translation"),
    # parents, in the parent frame
    path("ouders/kind/<uuid:pk>/afspraken/", views.parent_list, name="parent_list"),
    path(
        "ouders/kind/<uuid:pk>/afspraken/<uuid:version_pk>/",
        views.parent_version,
        name="parent_version",
    ),
    path(
        "ouders/kind/<uuid:pk>/afspraken/<uuid:version_pk>/alinea/<int:paragraph_pk>/",
        views.parent_comment,
        name="parent_comment",
    ),
]
