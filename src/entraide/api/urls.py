from django.urls import path

from entraide.api import views

app_name = "api"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("nouveau/", views.token_new, name="token-new"),
    path("<uuid:token_id>/revoquer/", views.token_revoke, name="token-revoke"),
]
