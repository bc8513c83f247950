"""One-time form tokens: a second POST with the same token acts once and leads where the first did."""

from __future__ import annotations

import threading
import time

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import IntegrityError, connection
from django.test import RequestFactory
from django.utils.translation import pgettext

from entraide.core.errors import InvalidValuesError
from entraide.core.forms import formtokens
from entraide.core.models import FormSubmission

SAVED = "Saved."


def already():
    return pgettext("forms", "This was already saved: nothing was sent twice.")


def refused():
    return pgettext(
        "forms",
        "This page was opened for another account, or too long ago. Nothing was saved: check what "
        "you wrote, then save again.",
    )


class Form(forms.Form):
    name = forms.CharField(required=False)


def post(user, token):
    request = RequestFactory().post("/", {formtokens.FIELD: token} if token is not None else {})
    request.user = user
    request._messages = CookieStorage(request)
    return request


def valid_form():
    form = Form({})
    assert form.is_valid()
    return form


def told(request):
    return [str(m) for m in get_messages(request)]


def test_save_once_second_use_leads_where_the_first_did(owner):
    token = formtokens.new_token(owner)
    calls = []

    def act(label):
        def save():
            calls.append(label)
            return f"/done/{label}"

        return save

    first = post(owner, token)
    done = formtokens.save_once(first, valid_form(), act("first"), message=SAVED)
    assert done is not None and done.status_code == 302 and done["Location"] == "/done/first"
    assert told(first) == [SAVED]
    second = post(owner, token)
    done = formtokens.save_once(second, valid_form(), act("second"), message=SAVED)
    assert done is not None and done["Location"] == "/done/first"
    assert told(second) == [already()]
    assert calls == ["first"]
    assert FormSubmission.objects.get(user=owner).result_url == "/done/first"


def test_save_once_a_failed_save_frees_the_token(owner):
    token = formtokens.new_token(owner)

    def fail():
        raise RuntimeError("the save failed")

    with pytest.raises(RuntimeError):
        formtokens.save_once(post(owner, token), valid_form(), fail, message=SAVED)
    assert not FormSubmission.objects.exists()
    done = formtokens.save_once(post(owner, token), valid_form(), lambda: "/ok", message=SAVED)
    assert done is not None and done["Location"] == "/ok"


@pytest.mark.parametrize("token", [None, "", "abc", "nonce-long-enough.forged:signature", "bad nonce!.x"])
def test_save_once_refuses_missing_or_forged_tokens(owner, token):
    form = valid_form()
    request = post(owner, token)
    assert formtokens.save_once(request, form, lambda: "/never", message=SAVED) is None
    assert form.non_field_errors() == [refused()]
    assert told(request) == []
    assert not FormSubmission.objects.exists()


def test_formtokens_are_bound_to_their_account(owner, stranger):
    token = formtokens.new_token(stranger)
    assert formtokens.account_of(token) == str(stranger.pk)
    with pytest.raises(formtokens.InvalidTokenError):
        formtokens.nonce_for(owner, token)
    form = valid_form()
    assert formtokens.save_once(post(owner, token), form, lambda: "/never", message=SAVED) is None
    assert len(form.non_field_errors()) == 1


def test_save_once_a_client_may_choose_its_nonce(owner):
    signed = formtokens.new_token(owner).partition(".")[2]
    for nonce, url in (("bench-00000001", "/a"), ("bench-00000002", "/b")):
        done = formtokens.save_once(
            post(owner, f"{nonce}.{signed}"), valid_form(), lambda u=url: u, message=SAVED
        )
        assert done is not None and done["Location"] == url


@pytest.mark.django_db(transaction=True)
def test_save_once_two_concurrent_posts_act_once(owner):
    token = formtokens.new_token(owner)
    results, acted = [], []

    def send(delay):
        time.sleep(delay)
        try:

            def save():
                acted.append(delay)
                time.sleep(0.3)  # the first is still saving when the second arrives
                return f"/done/{delay}"

            request = post(owner, token)
            done = formtokens.save_once(request, valid_form(), save, message=SAVED)
            # Compared here: the language is the thread's.
            results.append(
                (done["Location"], {(SAVED,): "saved", (already(),): "already"}[tuple(told(request))])
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(d,)) for d in (0, 0.1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert acted == [0]
    assert sorted(results) == [("/done/0", "already"), ("/done/0", "saved")]


def test_save_once_a_saves_own_integrity_error_is_not_taken_for_a_used_token(owner):
    def clash():
        FormSubmission.objects.create(user=owner, token="d" * 12)
        FormSubmission.objects.create(user=owner, token="d" * 12)
        return "/never"

    with pytest.raises(IntegrityError):
        formtokens.save_once(post(owner, formtokens.new_token(owner)), valid_form(), clash, message=SAVED)
    assert not FormSubmission.objects.exists()


def test_save_once_puts_refused_values_on_the_form_and_frees_the_token(owner):
    class OwnErrors(Form):
        def add_service_errors(self, exc):
            for key, message in exc.errors.items():
                self.add_error(None, f"{key}: {message}")

    token = formtokens.new_token(owner)

    def refuse():
        FormSubmission.objects.create(user=owner, token="written-then-undone")
        raise InvalidValuesError({"moment": "too far ahead"})

    form = OwnErrors({})
    assert form.is_valid()
    request = post(owner, token)
    assert formtokens.save_once(request, form, refuse, message=SAVED) is None
    assert form.non_field_errors() == ["moment: too far ahead"]
    assert told(request) == []
    assert not FormSubmission.objects.exists()

    # A form without ``add_service_errors``: each message on its field, or on the whole form.
    def refused_twice():
        raise InvalidValuesError({"name": "too long", "limit": "too many"})

    form = valid_form()
    assert formtokens.save_once(post(owner, token), form, refused_twice, message=SAVED) is None
    assert form.errors == {"name": ["too long"], "__all__": ["too many"]}
    # The token is free again: the same form, corrected, is saved.
    done = formtokens.save_once(post(owner, token), valid_form(), lambda: "/ok", message=SAVED)
    assert done is not None and done["Location"] == "/ok"


def test_token_to_render_keeps_a_valid_posted_token_only(owner, stranger):
    token = formtokens.new_token(owner)
    assert formtokens.token_to_render(post(owner, token)) == token
    fresh = formtokens.token_to_render(post(owner, formtokens.new_token(stranger)))
    assert formtokens.nonce_for(owner, fresh)
