from django.urls import path

from entraide.treatments.views import doses, treatments

app_name = "treatments"
# Each group's delete route comes last: the project's no-JavaScript walk submits every form in
# this order, and a deleted sample row would leave the next pages without theirs.
urlpatterns = [
    path("", treatments.treatment_list, name="treatments"),
    path("nouveau/", treatments.treatment_new, name="treatment-new"),
    path("aujourd-hui/", doses.today, name="today"),
    path("suivi/", doses.adherence, name="adherence"),
    path("prises/<uuid:schedule_id>/<str:dose_at>/", doses.dose, name="dose"),
    path("<uuid:treatment_id>/", treatments.treatment_detail, name="treatment"),
    path("<uuid:treatment_id>/modifier/", treatments.treatment_edit, name="treatment-edit"),
    path("<uuid:treatment_id>/horaires/nouveau/", treatments.schedule_new, name="schedule-new"),
    path(
        "<uuid:treatment_id>/horaires/<uuid:schedule_id>/modifier/",
        treatments.schedule_edit,
        name="schedule-edit",
    ),
    path(
        "<uuid:treatment_id>/horaires/<uuid:schedule_id>/commencer/",
        treatments.schedule_start,
        name="schedule-start",
    ),
    path(
        "<uuid:treatment_id>/horaires/<uuid:schedule_id>/supprimer/",
        treatments.schedule_delete,
        name="schedule-delete",
    ),
    path("<uuid:treatment_id>/effets/nouveau/", treatments.note_new, name="note-new"),
    path(
        "<uuid:treatment_id>/effets/<uuid:note_id>/supprimer/",
        treatments.note_delete,
        name="note-delete",
    ),
    path("<uuid:treatment_id>/supprimer/", treatments.treatment_delete, name="treatment-delete"),
]
