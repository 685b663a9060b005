from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    # parents
    path("", views.home, name="home"),
    path("taal/", views.language, name="language"),
    path("inloggen/", views.sign_in, name="sign_in"),
    path("inloggen/link/<str:token>/", views.sign_in_link, name="link"),
    path("uitloggen/", views.sign_out, name="sign_out"),
    path("tweestaps/", views.two_step, name="two_step"),
    path("account/", views.account, name="account"),
    path("activeren/", views.code, name="code"),
    path("activeren/<str:token>/", views.activate, name="activate"),
    path("kind/<uuid:pk>/", views.child, name="child"),
    path("kind/<uuid:pk>/antwoord/<uuid:invitation>/", views.answer, name="answer"),
    path("kind/<uuid:pk>/vastgelegd/", views.recorded, name="recorded"),
    path("kind/<uuid:pk>/signalen/", views.signals, name="signals"),
    path("kind/<uuid:pk>/toestemmingen/", views.consents, name="consents"),
    path(
        "kind/<uuid:pk>/toestemmingen/<uuid:consent>/intrekken/",
        views.withdraw,
        name="withdraw",
    ),
    path("kind/<uuid:pk>/bruggen/<uuid:bridge>/toestemming/", views.give, name="give"),
    path("kind/<uuid:pk>/delen/<uuid:ask>/toestemming/", views.give_share, name="give_share"),
    path("kind/<uuid:pk>/delen/<uuid:ask>/nee/", views.decline_share, name="decline_share"),
    path("kind/<uuid:pk>/wie-keek/", views.looked, name="looked"),
    # staff
    path("uitnodigen/gezin/<uuid:pk>/", views.invite_family, name="invite_family"),
    path("uitnodigen/gezin/<uuid:pk>/brieven/", views.family_letters, name="family_letters"),
    path("uitnodigen/groep/", views.invite_group, name="invite_group"),
    path("uitnodigen/<uuid:pk>/", views.batch, name="batch"),
    path("uitnodigen/<uuid:pk>/brieven/", views.batch_letters, name="batch_letters"),
    path("beperken/gezin/<uuid:pk>/", views.restrict, name="restrict"),
    path("beperken/<uuid:pk>/opheffen/", views.lift, name="lift"),
    path("toestemming-delen/signaal/<uuid:pk>/", views.share_consent, name="share_consent"),
    path("vrijgeven/<uuid:pk>/", views.release, name="release"),
]
