from django.urls import path

from entraide.circle.views import access_log, circle, invitations, proposals, shared

app_name = "circle"

urlpatterns = [
    path("", circle.home, name="home"),
    path("inviter/", circle.invite, name="invite"),
    path("invitations/<uuid:invite_id>/", circle.invitation, name="invitation"),
    path("invitations/<uuid:invite_id>/annuler/", circle.invitation_revoke, name="invitation-revoke"),
    path("liens/<uuid:link_id>/", circle.link_detail, name="link"),
    path("liens/<uuid:link_id>/pause/", circle.link_pause, name="link-pause"),
    path("liens/<uuid:link_id>/renouveler/", circle.link_renew, name="link-renew"),
    path("pause/", circle.pause, name="pause"),
    path("qui-a-vu/", access_log.access_log, name="access-log"),
    # "See what they see": the person previews one supporter's pages (nothing recorded)
    path("liens/<uuid:link_id>/apercu/", shared.preview, name="preview"),
    *(
        path(f"liens/<uuid:link_id>/apercu/{slug}/", view, name=f"preview-{slug}")
        for slug, view in shared.PREVIEWS.items()
    ),
    # Being invited
    path("invitation/", invitations.invitation_pending, name="invitation-pending"),
    path("invitation/<str:token>/", invitations.invitation_open, name="invitation-open"),
    path("code/", invitations.code, name="code"),
    # Proposals: a supporter asks; the person answers, and may block
    path("proposer/", proposals.propose, name="propose"),
    path("propositions/<uuid:proposal_id>/", proposals.proposal, name="proposal"),
    path("propositions/<uuid:proposal_id>/retirer/", proposals.proposal_withdraw, name="proposal-withdraw"),
    path("bloques/", proposals.blocks, name="blocks"),
    path("bloques/<uuid:block_id>/debloquer/", proposals.unblock, name="unblock"),
    # What others share with me (through the gate)
    path("avec-moi/", shared.shared, name="shared"),
    path("avec-moi/<uuid:person_id>/suivi/", shared.person_checkins, name="person-checkins"),
    path("avec-moi/<uuid:person_id>/plan-de-securite/", shared.person_safety_plan, name="person-safety-plan"),
    path("avec-moi/<uuid:person_id>/indicateurs/", shared.person_indicators, name="person-indicators"),
    path("avec-moi/<uuid:person_id>/notes/", shared.person_notes, name="person-notes"),
    path("avec-moi/<uuid:person_id>/pensees/", shared.person_thoughts, name="person-thoughts"),
    path("avec-moi/<uuid:person_id>/objectifs/", shared.person_goals, name="person-goals"),
    path("avec-moi/<uuid:person_id>/questionnaires/", shared.person_assessments, name="person-assessments"),
    path("avec-moi/<uuid:person_id>/traitements/", shared.person_treatments, name="person-treatments"),
    # Last: the page walkers submit its form, which ends the sample link.
    path("liens/<uuid:link_id>/fin/", circle.link_end, name="link-end"),
]
