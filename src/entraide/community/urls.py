from django.urls import path

from entraide.community import views, views_ignores, views_members, views_moderation, views_pause

app_name = "community"


urlpatterns = [
    path("", views.space_list, name="spaces"),
    path("images/<uuid:image_id>/", views.image, name="image"),
    path("moderation/", views_moderation.public_figures, name="moderation-figures"),
    # Before "<slug:space_slug>/": these addresses are in services.RESERVED_SLUGS.
    path("favoris/", views_members.bookmarks, name="bookmarks"),
    path("non-lus/", views_members.unread, name="unread"),
    path("pause/", views_pause.pause_page, name="pause"),
    path("pause/reprendre/", views_pause.pause_end, name="pause-end"),
    path("ignores/", views_ignores.ignores, name="ignores"),
    path("<slug:space_slug>/", views.space_detail, name="space"),
    path("<slug:space_slug>/suivi/", views_members.space_follow, name="space-follow"),
    path("<slug:space_slug>/nouveau-sujet/", views.topic_new, name="topic-new"),
    path("<slug:space_slug>/<uuid:topic_id>/", views.topic_detail, name="topic"),
    path("<slug:space_slug>/<uuid:topic_id>/repondre/", views.reply, name="reply"),
    path("<slug:space_slug>/<uuid:topic_id>/<uuid:post_id>/signaler/", views.flag, name="flag"),
    path(
        "<slug:space_slug>/<uuid:topic_id>/<uuid:post_id>/ignorer/",
        views_ignores.post_ignore,
        name="post-ignore",
    ),
    path("<slug:space_slug>/<uuid:topic_id>/lu/", views_members.topic_read, name="topic-read"),
    path("<slug:space_slug>/<uuid:topic_id>/suivi/", views_members.topic_follow, name="topic-follow"),
    path(
        "<slug:space_slug>/<uuid:topic_id>/messages/<uuid:post_id>/soutien/",
        views_members.post_support,
        name="post-support",
    ),
    path(
        "<slug:space_slug>/<uuid:topic_id>/messages/<uuid:post_id>/favori/",
        views_members.post_bookmark,
        name="post-bookmark",
    ),
]
