from django.urls import path

from entraide.community import views_manage

app_name = "community_manage"
urlpatterns = [
    path("", views_manage.space_list, name="spaces"),
    path("nouveau/", views_manage.space_new, name="space-new"),
    path("<uuid:space_id>/", views_manage.space_edit, name="space"),
    path("<uuid:space_id>/membres/", views_manage.member_add, name="member-add"),
    path(
        "<uuid:space_id>/membres/<uuid:person_id>/retirer/", views_manage.member_remove, name="member-remove"
    ),
]
