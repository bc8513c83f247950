"""Removing a lost second factor: a coordinator and an administrator, two different people,
confirm; it applies 24 hours later, at the next login or by the periodic command."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from conftest import PASSWORD, enrol_totp, make_user, totp_code
from entraide.accounts import second_factor_removal as removals
from entraide.accounts import services
from entraide.accounts.models import Role, SecondFactorRemoval, SecurityEvent

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def person(owner):
    """Someone who lost their authenticator app and recovery codes; reads mail in English."""
    enrol_totp(owner)
    owner.preferred_language = "en"
    owner.time_zone = "America/New_York"
    owner.save()
    return owner


def holder(pseudonym, *roles, by):
    user = make_user(pseudonym)
    for role in roles:
        services.grant_role(user, role=role, by=by)
    enrol_totp(user)
    return user


@pytest.fixture
def coordinator(admin_user):
    return holder("Sacha", Role.COORDINATOR, by=admin_user)


@pytest.fixture
def other_coordinator(admin_user):
    return holder("Noa", Role.COORDINATOR, by=admin_user)


@pytest.fixture
def both_roles(admin_user):
    return holder("Eden", Role.COORDINATOR, Role.ADMIN, by=admin_user)


def requested(person, coordinator, **kwargs):
    return removals.request_second_factor_removal(
        person, by=coordinator, identity_check_note="Video call, I know them well.", now=NOW, **kwargs
    )


def events(user, kind):
    return list(SecurityEvent.objects.filter(user=user, kind=kind))


def logged_in(user):
    """A real login through allauth, second step included, then the password typed again (as
    the steps ask, at most 5 minutes before). Pages in English: the assertions read English."""
    client = Client()
    client.cookies["entraide_language"] = "en"
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/compte/2fa/authenticate/"
    response = client.post("/compte/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert client.post("/compte/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


# --- services ------------------------------------------------------------------------------------


def test_request_counts_as_the_requesters_confirmation_and_warns_the_person(person, coordinator, mailoutbox):
    removal = requested(person, coordinator)
    assert removal.coordinator == coordinator and removal.coordinator_confirmed_at == NOW
    assert removal.admin is None and removal.effective_at is None
    [event] = events(person, SecurityEvent.Kind.SECOND_FACTOR_REMOVAL_REQUESTED)
    assert event.actor == coordinator and event.extra == {"removal": removal.pk, "role": "coordinator"}
    [message] = mailoutbox
    assert message.to == [person.email]
    assert "If you did not ask for this" in message.body
    assert "authenticator" not in message.subject  # discreet


def test_confirmation_by_the_other_role_starts_24_hours_and_tells_the_date_in_the_persons_zone(
    person, coordinator, admin_user, mailoutbox
):
    removal = requested(person, coordinator)
    removal = removals.confirm_second_factor_removal(removal, by=admin_user, now=NOW)
    assert removal.admin == admin_user and removal.effective_at == NOW + timedelta(hours=24)
    [event] = events(person, SecurityEvent.Kind.SECOND_FACTOR_REMOVAL_CONFIRMED)
    assert event.actor == admin_user and event.extra["role"] == "admin"
    body = mailoutbox[-1].body
    assert "March 11, 2026, 11 a.m." in body  # 15:00 UTC is 11:00 in New York (summer time)
    assert "America/New_York" in body
    assert Authenticator.objects.filter(user=person).count() == 2  # nothing removed yet


def test_the_same_role_cannot_confirm_twice(person, coordinator, other_coordinator):
    removal = requested(person, coordinator)
    with pytest.raises(removals.RemovalError):
        removals.confirm_second_factor_removal(removal, by=other_coordinator, now=NOW)
    assert SecondFactorRemoval.objects.get().effective_at is None


def test_someone_holding_both_roles_cannot_confirm_twice(person, both_roles, admin_user):
    with pytest.raises(removals.RemovalError):  # must say in which role they ask
        requested(person, both_roles)
    removal = requested(person, both_roles, as_role=Role.COORDINATOR)
    with pytest.raises(removals.RemovalError):
        removals.confirm_second_factor_removal(removal, by=both_roles, now=NOW)
    removal = removals.confirm_second_factor_removal(removal, by=admin_user, now=NOW)
    assert (removal.coordinator, removal.admin) == (both_roles, admin_user)


def test_an_administrator_may_ask_and_a_coordinator_confirm(person, coordinator, admin_user):
    removal = requested(person, admin_user)
    assert removal.admin == admin_user and removal.coordinator is None
    removal = removals.confirm_second_factor_removal(removal, by=coordinator, now=NOW)
    assert removal.coordinator == coordinator and removal.effective_at is not None


def test_nobody_removes_their_own_second_factor(coordinator, admin_user):
    with pytest.raises(removals.RemovalError):
        requested(coordinator, coordinator)
    removal = requested(coordinator, admin_user)
    with pytest.raises(removals.RemovalError):
        removals.confirm_second_factor_removal(removal, by=coordinator, now=NOW)


def test_refused_without_a_second_factor_a_note_or_while_one_is_under_way(owner, person, coordinator):
    stranger = make_user("Lou")
    with pytest.raises(removals.RemovalError):
        requested(stranger, coordinator)
    with pytest.raises(removals.RemovalError):
        removals.request_second_factor_removal(person, by=coordinator, identity_check_note="   ")
    requested(person, coordinator)
    with pytest.raises(removals.RemovalError):
        requested(person, coordinator)


def test_people_without_the_roles_are_refused(person, stranger, admin_user):
    moderator = holder("Ari", Role.MODERATOR, by=admin_user)
    for who in (stranger, moderator):
        with pytest.raises(PermissionDenied):
            requested(person, who)
    removal = requested(person, admin_user)
    for step in (removals.confirm_second_factor_removal, removals.cancel_second_factor_removal):
        with pytest.raises(PermissionDenied):
            step(removal, by=moderator)
    revoked = holder("Robin", Role.COORDINATOR, by=admin_user)
    services.revoke_role(revoked, role=Role.COORDINATOR, by=admin_user)
    with pytest.raises(PermissionDenied):
        removals.confirm_second_factor_removal(removal, by=revoked)


def test_removal_applies_after_24_hours_only_once(person, coordinator, admin_user, stranger, mailoutbox):
    enrol_totp(stranger)
    removal = removals.confirm_second_factor_removal(requested(person, coordinator), by=admin_user, now=NOW)
    assert removals.apply_due_second_factor_removals(NOW + timedelta(hours=23, minutes=59)) == []
    assert Authenticator.objects.filter(user=person).exists()

    later = NOW + timedelta(hours=24)
    [applied] = removals.apply_due_second_factor_removals(later)
    assert applied.pk == removal.pk
    assert not Authenticator.objects.filter(user=person).exists()
    assert Authenticator.objects.filter(user=stranger).count() == 2  # nobody else's
    assert SecondFactorRemoval.objects.get().applied_at == later
    [event] = events(person, SecurityEvent.Kind.SECOND_FACTOR_REMOVED)
    assert event.actor == admin_user  # the confirmation that made it effective
    assert "was removed on March 11, 2026, 11 a.m." in mailoutbox[-1].body
    sent = len(mailoutbox)

    assert removals.apply_due_second_factor_removals(later + timedelta(days=1)) == []
    assert len(events(person, SecurityEvent.Kind.SECOND_FACTOR_REMOVED)) == 1
    assert len(mailoutbox) == sent


def test_a_cancelled_removal_never_applies(person, coordinator, admin_user, other_coordinator, mailoutbox):
    removal = removals.confirm_second_factor_removal(requested(person, coordinator), by=admin_user, now=NOW)
    removals.cancel_second_factor_removal(removal, by=other_coordinator, now=NOW + timedelta(hours=2))
    [event] = events(person, removals.CANCELLED_KIND)
    assert event.actor == other_coordinator
    assert "has been cancelled" in mailoutbox[-1].body
    assert removals.apply_due_second_factor_removals(NOW + timedelta(days=2)) == []
    assert Authenticator.objects.filter(user=person).count() == 2
    with pytest.raises(removals.RemovalError):
        removals.cancel_second_factor_removal(removal, by=coordinator)
    with pytest.raises(removals.RemovalError):
        removals.confirm_second_factor_removal(removal, by=admin_user)


def test_an_unsendable_notice_does_not_undo_an_applied_removal(
    person, coordinator, admin_user, monkeypatch, caplog
):
    removals.confirm_second_factor_removal(requested(person, coordinator), by=admin_user, now=NOW)

    def broken(**kwargs):
        raise OSError("no mail server")

    monkeypatch.setattr(removals.mail, "send_mail", broken)
    assert len(removals.apply_due_second_factor_removals(NOW + timedelta(days=1))) == 1
    assert not Authenticator.objects.filter(user=person).exists()
    assert person.email not in caplog.text


def test_command_applies_due_removals_and_dry_run_changes_nothing(person, coordinator, admin_user, capsys):
    removals.confirm_second_factor_removal(requested(person, coordinator), by=admin_user, now=NOW)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        call_command("apply_second_factor_removals", "--dry-run")
        assert "1 removal(s) due" in capsys.readouterr().out
        assert Authenticator.objects.filter(user=person).exists()
        call_command("apply_second_factor_removals")
        assert "1 removal(s) applied" in capsys.readouterr().out
        assert not Authenticator.objects.filter(user=person).exists()
        call_command("apply_second_factor_removals")
        assert "0 removal(s) applied" in capsys.readouterr().out


def test_login_applies_a_due_removal_before_the_second_step(person, coordinator, admin_user):
    """Needs AccountAdapter.pre_login to call apply_due_second_factor_removals(user=user)."""
    removals.confirm_second_factor_removal(requested(person, coordinator), by=admin_user, now=NOW)
    with time_machine.travel(NOW + timedelta(hours=23), tick=False):
        response = Client().post("/compte/login/", {"login": person.email, "password": PASSWORD})
        assert response["Location"] == "/compte/2fa/authenticate/"  # not yet: the code is still asked
    with time_machine.travel(NOW + timedelta(hours=25), tick=False):
        client = Client()
        response = client.post("/compte/login/", {"login": person.email, "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] != "/compte/2fa/authenticate/"
        assert client.session["_auth_user_id"] == str(person.pk)
    assert not Authenticator.objects.filter(user=person).exists()
    assert SecondFactorRemoval.objects.get().applied_at is not None


def test_find_person_by_exact_email_or_pseudonym(person):
    assert removals.find_person(query="  CAMILLE@example.org ") == person
    assert removals.find_person(query="camille") == person
    assert removals.find_person(query="Camîlle") == person  # the same canonical pseudonym
    assert removals.find_person(query="camil") is None
    assert removals.find_person(query="camille@example") is None
    assert removals.find_person(query="") is None


# --- pages ---------------------------------------------------------------------------------------

PAGE = "/gestion/second-facteur/"


def test_page_is_for_coordinators_and_administrators(owner_client, admin_user):
    assert Client().get(PAGE)["Location"].startswith("/compte/login/")
    assert owner_client.get(PAGE).status_code == 403
    moderator = holder("Ari", Role.MODERATOR, by=admin_user)
    client = Client()
    client.force_login(moderator)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}demander/", {}).status_code == 403  # before any re-authentication


def test_request_confirm_and_cancel_through_the_pages(person, coordinator, admin_user, mailoutbox):
    as_coordinator = logged_in(coordinator)
    page = as_coordinator.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and b"No removal under way." in page.content
    response = as_coordinator.post(
        f"{PAGE}demander/", {"person": "Camille", "identity_check_note": "Met in person at the group."}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    removal = SecondFactorRemoval.objects.get(user=person)
    assert removal.coordinator == coordinator and removal.identity_check_note == "Met in person at the group."
    page = as_coordinator.get(PAGE).content.decode()
    assert f"/gestion/second-facteur/{removal.pk}/confirmer/" not in page  # their own confirmation is given
    assert f"/gestion/second-facteur/{removal.pk}/annuler/" in page

    as_admin = logged_in(admin_user)
    assert f"/gestion/second-facteur/{removal.pk}/confirmer/" in as_admin.get(PAGE).content.decode()
    assert as_admin.get(f"{PAGE}{removal.pk}/confirmer/").status_code == 405  # never on GET
    assert as_admin.post(f"{PAGE}{removal.pk}/confirmer/").status_code == 302
    removal.refresh_from_db()
    assert removal.admin == admin_user and removal.effective_at is not None

    assert as_coordinator.post(f"{PAGE}{removal.pk}/annuler/").status_code == 302
    removal.refresh_from_db()
    assert removal.cancelled_at is not None
    assert len(mailoutbox) == 3  # requested, confirmed, cancelled: all to the person
    assert {m.to[0] for m in mailoutbox} == {person.email}


def test_request_form_explains_what_is_wrong(person, coordinator):
    client = logged_in(coordinator)
    response = client.post(
        f"{PAGE}demander/", {"person": "nobody", "identity_check_note": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert b"No account has this pseudonym or email address." in response.content
    response = client.post(f"{PAGE}demander/", {"person": "camille@example.org", "identity_check_note": ""})
    assert response.status_code == 400
    response = client.post(f"{PAGE}demander/", {"person": "Sacha", "identity_check_note": "me"})
    assert response.status_code == 400  # not for oneself
    assert not SecondFactorRemoval.objects.exists()


def test_someone_with_both_roles_chooses_theirs_in_the_form(person, both_roles):
    client = logged_in(both_roles)
    assert b'name="as_role"' in client.get(PAGE).content
    data = {"person": "Camille", "identity_check_note": "Phone call.", "as_role": "admin"}
    assert client.post(f"{PAGE}demander/", data).status_code == 302
    assert SecondFactorRemoval.objects.get().admin == both_roles


def test_steps_ask_for_the_password_again_then_resume(person, coordinator):
    client = Client()
    client.force_login(coordinator)  # no re-authentication recorded
    response = client.post(f"{PAGE}demander/", {"person": "Camille", "identity_check_note": "Phone call."})
    assert response["Location"].startswith("/compte/reauthenticate/")
    assert not SecondFactorRemoval.objects.exists()
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == PAGE  # the request went through
    assert SecondFactorRemoval.objects.get().user == person


def test_an_unknown_removal_is_404(coordinator):
    client = logged_in(coordinator)
    assert client.post(f"{PAGE}999/confirmer/").status_code == 404
    assert client.post(f"{PAGE}999/annuler/").status_code == 404


def test_the_worker_applies_due_removals_without_a_login(person, coordinator, admin_user):
    from entraide.core import jobs

    removals.confirm_second_factor_removal(requested(person, coordinator), by=admin_user, now=NOW)
    with jobs.clock_at(NOW + timedelta(hours=23)):
        jobs.Worker("test").run_once()
    assert Authenticator.objects.filter(user=person).exists()
    with jobs.clock_at(NOW + timedelta(hours=24, minutes=15)):
        jobs.Worker("test").run_once()
    assert not Authenticator.objects.filter(user=person).exists()
