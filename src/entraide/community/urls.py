from django.urls import path

from entraide.community import views, views_moderation

app_name = "community"
urlpatterns = [
    path("", views.space_list, name="spaces"),
    path("images/<uuid:image_id>/", views.image, name="image"),
    path("moderation/", views_moderation.public_figures, name="moderation-figures"),
    path("<slug:space_slug>/", views.space_detail, name="space"),
    path("<slug:space_slug>/nouveau-sujet/", views.topic_new, name="topic-new"),
    path("<slug:space_slug>/<uuid:topic_id>/", views.topic_detail, name="topic"),
    path("<slug:space_slug>/<uuid:topic_id>/repondre/", views.reply, name="reply"),
    path("<slug:space_slug>/<uuid:topic_id>/<uuid:post_id>/signaler/", views.flag, name="flag"),
]
