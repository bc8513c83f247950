from django.urls import path

from entraide.safety.views import crisis, plan, worker

app_name = "safety"
# Only the plan page lives under /securite/plan/: it is the offline copy's scope.
urlpatterns = [
    path("plan/", plan.plan, name="plan"),
    path("modifier/", plan.plan_edit, name="plan-edit"),
    path("relu/", plan.plan_review, name="plan-review"),
    path("appareil/", plan.plan_offline, name="plan-offline"),
    path("carte/", plan.card, name="card"),
    path("sw.js", worker.service_worker, name="worker"),
    path("je-ne-vais-pas-bien/", crisis.signal, name="signal"),
    path("crise/", crisis.crisis, name="crisis"),
    path("moments/", crisis.moments, name="moments"),
    path("moments/<uuid:moment_id>/supprimer/", crisis.moment_delete, name="moment-delete"),
]
