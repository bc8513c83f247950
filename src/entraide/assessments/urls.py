from django.urls import path

from entraide.assessments.views import questionnaires as views

app_name = "assessments"
urlpatterns = [
    path("", views.questionnaire_list, name="questionnaires"),
    path("rythme/", views.schedule, name="schedule"),
    path("reponse/<uuid:response_id>/", views.response_detail, name="response"),
    path("reponse/<uuid:response_id>/prive/", views.response_private, name="response-private"),
    path("reponse/<uuid:response_id>/supprimer/", views.response_delete, name="response-delete"),
    path("<slug:questionnaire>/", views.history, name="history"),
    path("<slug:questionnaire>/repondre/", views.respond, name="respond"),
]
