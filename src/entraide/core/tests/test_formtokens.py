"""One-time form tokens: a second POST with the same token acts once and leads where the first did."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import IntegrityError, connection

from entraide.core import formtokens
from entraide.core.models import FormSubmission


def test_formtokens_second_use_returns_the_first_result(owner):
    token = formtokens.new_token(owner)
    calls = []

    def act(label):
        def action():
            calls.append(label)
            return f"/done/{label}"

        return action

    assert formtokens.submit_once(owner, token, act("first")) == ("/done/first", True)
    assert formtokens.submit_once(owner, token, act("second")) == ("/done/first", False)
    assert calls == ["first"]


def test_formtokens_a_failed_action_frees_the_token(owner):
    token = formtokens.new_token(owner)

    def fail():
        raise RuntimeError("the save failed")

    with pytest.raises(RuntimeError):
        formtokens.submit_once(owner, token, fail)
    assert not FormSubmission.objects.exists()
    assert formtokens.submit_once(owner, token, lambda: "/ok") == ("/ok", True)


@pytest.mark.parametrize("token", [None, "", "abc", "nonce-long-enough.forged:signature", "bad nonce!.x"])
def test_formtokens_refuses_missing_or_forged_tokens(owner, token):
    with pytest.raises(formtokens.InvalidTokenError):
        formtokens.submit_once(owner, token, lambda: "/never")


def test_formtokens_are_bound_to_their_account(owner, stranger):
    token = formtokens.new_token(stranger)
    assert formtokens.account_of(token) == str(stranger.pk)
    with pytest.raises(formtokens.InvalidTokenError):
        formtokens.submit_once(owner, token, lambda: "/never")


def test_formtokens_a_client_may_choose_its_nonce(owner):
    signed = formtokens.new_token(owner).partition(".")[2]
    assert formtokens.submit_once(owner, f"bench-00000001.{signed}", lambda: "/a") == ("/a", True)
    assert formtokens.submit_once(owner, f"bench-00000002.{signed}", lambda: "/b") == ("/b", True)


@pytest.mark.django_db(transaction=True)
def test_formtokens_two_concurrent_posts_act_once(owner):
    token = formtokens.new_token(owner)
    results, acted = [], []

    def post(delay):
        time.sleep(delay)
        try:

            def action():
                acted.append(delay)
                time.sleep(0.3)  # the first is still saving when the second arrives
                return f"/done/{delay}"

            results.append(formtokens.submit_once(owner, token, action))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(d,)) for d in (0, 0.1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert acted == [0]
    assert sorted(first for _url, first in results) == [False, True]
    assert {url for url, _first in results} == {"/done/0"}


def test_formtokens_an_actions_own_integrity_error_is_not_taken_for_a_used_token(owner):
    def clash():
        FormSubmission.objects.create(user=owner, token="d" * 12)
        FormSubmission.objects.create(user=owner, token="d" * 12)
        return "/never"

    with pytest.raises(IntegrityError):
        formtokens.submit_once(owner, formtokens.new_token(owner), clash)
    assert not FormSubmission.objects.exists()


# --- Saves prepared before their transaction ------------------------------------------------------
