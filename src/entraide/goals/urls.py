from django.urls import path

from entraide.goals.views import goals, recovery, strategies

app_name = "goals"
# Each group's delete route comes last: the project's no-JavaScript walk submits every form in
# this order, and a deleted sample row would leave the next pages without theirs.
urlpatterns = [
    path("", goals.goal_list, name="goals"),
    path("nouveau/", goals.goal_new, name="goal-new"),
    path("progres/", goals.goal_progress, name="progress"),
    path("<uuid:goal_id>/", goals.goal_detail, name="goal"),
    path("<uuid:goal_id>/modifier/", goals.goal_edit, name="goal-edit"),
    path("<uuid:goal_id>/etapes/", goals.step_add, name="step-add"),
    path("<uuid:goal_id>/etapes/<uuid:step_id>/", goals.step_tick, name="step-tick"),
    path("<uuid:goal_id>/etapes/<uuid:step_id>/retirer/", goals.step_remove, name="step-remove"),
    path("<uuid:goal_id>/supprimer/", goals.goal_delete, name="goal-delete"),
    path("ce-qui-m-aide/", strategies.strategy_list, name="strategies"),
    path("ce-qui-m-aide/nouvelle/", strategies.strategy_new, name="strategy-new"),
    path("ce-qui-m-aide/idees/", strategies.strategy_ideas, name="strategy-ideas"),
    path("ce-qui-m-aide/<uuid:strategy_id>/", strategies.strategy_detail, name="strategy"),
    path("ce-qui-m-aide/<uuid:strategy_id>/modifier/", strategies.strategy_edit, name="strategy-edit"),
    path("ce-qui-m-aide/<uuid:strategy_id>/utilisee/", strategies.use_new, name="use-new"),
    path(
        "ce-qui-m-aide/<uuid:strategy_id>/utilisations/<uuid:use_id>/",
        strategies.use_edit,
        name="use-edit",
    ),
    path(
        "ce-qui-m-aide/<uuid:strategy_id>/utilisations/<uuid:use_id>/supprimer/",
        strategies.use_delete,
        name="use-delete",
    ),
    path("ce-qui-m-aide/<uuid:strategy_id>/supprimer/", strategies.strategy_delete, name="strategy-delete"),
    path("retablissement/", recovery.recovery_history, name="recovery"),
    path("retablissement/evaluer/", recovery.recovery_rate, name="recovery-rate"),
    path(
        "retablissement/<uuid:assessment_id>/supprimer/",
        recovery.recovery_delete,
        name="recovery-delete",
    ),
]
