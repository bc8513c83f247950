"""The account pages of our own (allauth's are mounted under /compte/ in the root urls)."""

from django.urls import include, path

app_name = "accounts"
urlpatterns = [
    path("", include("entraide.accounts.views.consent")),
    path("", include("entraide.accounts.views.profile")),
    path("", include("entraide.accounts.views.my_data")),
    path("", include("entraide.accounts.views.people")),
    path("", include("entraide.accounts.views.second_factor_removal")),
]
