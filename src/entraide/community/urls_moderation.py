from django.urls import path

from entraide.community import views_lifts, views_watch
from entraide.community import views_moderation as views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("cas/<uuid:case_id>/", views.case_detail, name="case"),
    path("cas/<uuid:case_id>/prendre/", views.case_claim, name="case-claim"),
    path("cas/<uuid:case_id>/liberer/", views.case_release, name="case-release"),
    path("cas/<uuid:case_id>/message-bienveillant/", views_watch.send_concern, name="case-concern"),
    path("message/<uuid:post_id>/", views.post_moderate, name="post"),
    path("cas/<uuid:case_id>/levee/", views_lifts.lift_request, name="lift-request"),
    path("levees/", views_lifts.lift_list, name="lifts"),
    path("levees/<uuid:lift_id>/", views_lifts.lift_detail, name="lift"),
    path("journal/", views.log, name="log"),
    path("veille/", views_watch.watch_settings, name="watch"),
    path("reponses/", views.canned_list, name="canned"),
    path("reponses/<int:reply_id>/", views.canned_edit, name="canned-edit"),
    path("reponses/<int:reply_id>/supprimer/", views.canned_delete, name="canned-delete"),
]
