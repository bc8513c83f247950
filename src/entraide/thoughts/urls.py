from django.urls import path

from entraide.thoughts import views

app_name = "thoughts"
urlpatterns = [
    path("", views.record_list, name="records"),
    path("nouvelle/", views.record_new, name="record-new"),
    path("bilan/", views.insights, name="insights"),
    path("<uuid:thought_id>/", views.record_detail, name="record"),
    path("<uuid:thought_id>/modifier/", views.record_edit, name="record-edit"),
    path("<uuid:thought_id>/et-maintenant/", views.record_follow_up, name="record-follow-up"),
    path("<uuid:thought_id>/prive/", views.record_private, name="record-private"),
    path("<uuid:thought_id>/supprimer/", views.record_delete, name="record-delete"),
]
