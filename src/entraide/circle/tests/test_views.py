import re
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from conftest import client_for, enrol_totp, link_people, make_user
from entraide.accounts.middleware import LOGIN_AT
from entraide.circle import services
from entraide.circle.models import Grant, Link
from entraide.core import instance
from entraide.core import services as core_services
from entraide.core.forms.formtokens import new_token
from entraide.journal.services import record_checkin
from entraide.safety.services import save_safety_plan

pytestmark = pytest.mark.django_db


def test_inviting_by_code_shows_the_code_once(owner):
    client = client_for(owner)
    response = client.post(
        "/cercle/inviter/", {"kind": "relative", "how": "code", "form_token": new_token(owner)}, follow=True
    )
    code = re.search(r"<strong>([0-9A-Z]{5}-[0-9A-Z]{5})</strong>", response.content.decode()).group(1)
    assert services.find_invitation_by_code(code, tries_key="x") is not None
    again = client.get(response.redirect_chain[-1][0])
    assert code not in again.content.decode()


def test_an_invitation_opens_sign_up_on_an_instance_by_invitation(owner, mailoutbox):
    row = instance.load_settings()
    row.signup_mode = "invitation"
    core_services.save_instance_settings(row)
    client_for(owner).post(
        "/cercle/inviter/",
        {"kind": "relative", "how": "email", "email": "nouveau@example.org", "form_token": new_token(owner)},
    )
    token = re.search(r"/cercle/invitation/([A-Za-z0-9_-]+)/", mailoutbox[0].body).group(1)
    visitor = client_for()
    assert "signup_closed" in visitor.get("/compte/signup/").templates[0].name
    opened = visitor.get(f"/cercle/invitation/{token}/", follow=True)
    assert "Create an account" in opened.content.decode()
    assert "signup_closed" not in visitor.get("/compte/signup/").templates[0].name
    # Switched off by the administrators: the invitation still links existing accounts only.
    row.extra = {"circle": {"invite_without_account": False}}
    core_services.save_instance_settings(row)
    assert "signup_closed" in visitor.get("/compte/signup/").templates[0].name


def test_accepting_asks_for_a_second_factor_and_the_person_sees_the_link_waiting(owner):
    supporter = make_user("Sans")
    _invitation, code = services.invite_person(owner, kind="relative")
    client = client_for(supporter)
    assert client.post("/cercle/code/", {"code": code})["Location"] == "/cercle/invitation/"
    accepted = client.post("/cercle/invitation/", {"answer": "accept"})
    assert accepted["Location"] == "/compte/2fa/totp/activate/"
    link = Link.objects.get()
    owner_page = client_for(owner).get(f"/cercle/liens/{link.pk}/").content.decode()
    assert "Waiting" in owner_page
    enrol_totp(supporter)
    assert "Active." in client_for(owner).get(f"/cercle/liens/{link.pk}/").content.decode()


def test_a_grantee_without_second_factor_finds_gate_pages_closed_and_own_space_open(owner):
    supporter = make_user("Sans")
    link_people(owner, supporter, scopes=("checkins",))
    client = client_for(supporter)
    for url in ("/cercle/avec-moi/", f"/cercle/avec-moi/{owner.pk}/suivi/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/compte/2fa/totp/activate/"
    assert client.get("/journal/").status_code == 200
    assert client.get("/cercle/").status_code == 200


def test_a_grantee_gets_the_twelve_hour_session_cap(owner, relative):
    link_people(owner, relative, scopes=("alerts",))
    client = client_for(relative)
    session = client.session
    session[LOGIN_AT] = time.time() - settings.SESSION_ROLE_MAX_AGE - 60
    session.save()
    response = client.get("/journal/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_a_person_without_grants_keeps_long_sessions(relative):
    client = client_for(relative)
    session = client.session
    session[LOGIN_AT] = time.time() - settings.SESSION_ROLE_MAX_AGE - 60
    session.save()
    assert client.get("/journal/").status_code == 200


def test_the_sharing_form_pre_ticks_the_preset_and_shares_only_what_is_confirmed(owner, peer_helper):
    link = link_people(owner, peer_helper, kind="peer_helper")
    client = client_for(owner)
    page = client.get(f"/cercle/liens/{link.pk}/").content.decode()
    assert re.search(r'name="scope_alerts"[^>]*checked', page) and not Grant.objects.exists()
    response = client.post(
        f"/cercle/liens/{link.pk}/",
        {
            "scope_checkins": "on",
            "until_choice": "days",
            "from_choice": "before",
            "form_token": new_token(owner),
        },
    )
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert grant.scope == "checkins" and grant.visible_from == timezone.localdate() - timedelta(days=30)
    assert "Shared" in client.get(f"/cercle/liens/{link.pk}/").content.decode()  # the history


def test_the_checkins_page_shows_shared_check_ins_only_in_the_persons_zone(owner, peer_helper):
    owner.time_zone = "Pacific/Auckland"
    owner.save()
    link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins",))
    # 23:30 UTC on 1 March is 2 March in Auckland.
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    record_checkin(owner, moment=moment, values={"mood": 3, "note": "NOTE-SENTINEL"})
    record_checkin(owner, moment=moment, values={"mood": 9}, private=True)
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False):
        response = client_for(peer_helper).get(f"/cercle/avec-moi/{owner.pk}/suivi/?periode=7")
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "<title>Personal space" in body
    assert "2 March 2026" in body and "NOTE-SENTINEL" not in body
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    assert ">3<" in table and ">9<" not in table and ">6<" not in table  # the private one stays out


def test_the_safety_plan_page_shows_the_plan(owner, helped_by_peer, peer_helper, stranger):
    save_safety_plan(owner, steps={"warning_signs": ["Je dors mal"]})
    url = f"/cercle/avec-moi/{owner.pk}/plan-de-securite/"
    assert "Je dors mal" in client_for(peer_helper).get(url).content.decode()
    assert client_for(stranger).get(url).status_code == 404


def test_the_person_ends_a_link_and_the_supporter_sees_it_next_visit(owner, helped_by_peer, peer_helper):
    assert client_for(owner).post(f"/cercle/liens/{helped_by_peer.pk}/fin/").status_code == 302
    page = client_for(peer_helper).get("/cercle/avec-moi/").content.decode()
    assert "this link has ended" in page
    assert client_for(peer_helper).get(f"/cercle/avec-moi/{owner.pk}/suivi/").status_code == 404


def test_nobody_else_can_end_a_link(helped_by_peer, stranger):
    assert client_for(stranger).post(f"/cercle/liens/{helped_by_peer.pk}/fin/").status_code == 404
    assert Link.objects.get().ended_at is None


def test_visible_from_hides_earlier_days(owner, peer_helper):
    link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins",), visible_from=date(2026, 3, 2))
    record_checkin(owner, moment=datetime(2026, 3, 1, 12, tzinfo=UTC), values={"mood": 4})
    record_checkin(owner, moment=datetime(2026, 3, 3, 12, tzinfo=UTC), values={"mood": 7})
    with time_machine.travel(datetime(2026, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        body = client_for(peer_helper).get(f"/cercle/avec-moi/{owner.pk}/suivi/?periode=7").content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    assert ">7<" in table and ">4<" not in table
