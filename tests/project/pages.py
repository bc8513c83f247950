"""Every route of the site, filled with sample arguments, for the project-wide tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.functional import lazy

from entraide.accounts.models import User
from entraide.notifications.models import Reminder
from entraide.notifications.reminders import action_token
from entraide.notifications.services import unsubscribe_token


def lazystr(build: Callable[[], str]) -> object:
    return lazy(build, str)()


# Sample values for URL parameters. A route with a parameter missing here cannot be filled,
# and the project tests fail on it: add the parameter (and the data it needs) when you add one.
SAMPLE_REMINDER_ID = "00000000-0000-4000-8000-000000000003"
SAMPLE_KWARGS: dict[str, object] = {
    "slug": "confidentialite",
    "language": "fr",
    "version": 1,
    "section_key": "general",
    "key": "not-a-real-key",  # allauth's confirmation and reset links: an invalid one still renders
    "uidb36": "0",
    # The people and invitation pages: the page tests create a person with this id and an
    # invitation whose token is this one (an unknown id or token is rightly a 404).
    "person_id": "00000000-0000-4000-8000-000000000001",
    "invitation_id": 1,  # POST only
    "token": "sample-invitation-token",
    "removal_id": 1,  # second-factor removals: POST only
    "job_id": "00000000-0000-4000-8000-000000000002",  # a failed job: POST only
    "pk": 1,  # a passkey (allauth's authenticator id): an unknown one is a 404
    "notification_id": "00000000-0000-4000-8000-000000000002",  # POST only
    # A journal entry and an indicator of the person walking the pages (test_pages creates them).
    "entry_id": "00000000-0000-4000-8000-000000000012",
    "checkin_id": "00000000-0000-4000-8000-000000000011",
    "indicator_id": "00000000-0000-4000-8000-000000000013",
    "thought_id": "00000000-0000-4000-8000-000000000021",  # a thought record (test_pages creates it)
    # A goal with one step, a coping strategy with one use, a recovery self-assessment (test_pages).
    "goal_id": "00000000-0000-4000-8000-000000000031",
    "step_id": "00000000-0000-4000-8000-000000000032",
    "strategy_id": "00000000-0000-4000-8000-000000000033",
    "use_id": "00000000-0000-4000-8000-000000000034",
    "assessment_id": "00000000-0000-4000-8000-000000000035",
    # A questionnaire (its key) and a questionnaire response (test_pages creates it).
    "questionnaire": "phq9",
    "response_id": "00000000-0000-4000-8000-000000000051",
    "moment_id": "00000000-0000-4000-8000-000000000041",  # a crisis moment (test_pages creates it)
    # A treatment with a daily schedule, one of its doses and a side-effect note (test_pages).
    "treatment_id": "00000000-0000-4000-8000-000000000061",
    "schedule_id": "00000000-0000-4000-8000-000000000062",
    "note_id": "00000000-0000-4000-8000-000000000063",
    "dose_at": "20260302T110000Z",
    # A members' space with one topic and an image (test_pages creates them).
    "space_slug": "entraide-exemple",
    "space_id": "00000000-0000-4000-8000-000000000071",
    "topic_id": "00000000-0000-4000-8000-000000000072",
    "image_id": "00000000-0000-4000-8000-000000000073",
    # Its opening post, a report of it waiting in the moderation queue, a prepared reply (test_pages).
    "post_id": "00000000-0000-4000-8000-000000000074",
    # A member ignored ("Ignorer ce membre"): only the API names the row; no row has this id, so
    # every persona's answer is a 404 (an ignore is only ever its member's).
    "ignore_id": "00000000-0000-4000-8000-000000000076",
    "case_id": "00000000-0000-4000-8000-000000000075",
    "lift_id": "00000000-0000-4000-8000-000000000076",  # a request to know an anonymous author
    "reply_id": 1,
    "token_id": "00000000-0000-4000-8000-000000000004",  # an API token: revoking is POST only
    # The circle (test_pages creates them): a link of the person walking the pages, and one of
    # their invitations; the sample person (person_id) shares check-ins and safety plan with them.
    "link_id": "00000000-0000-4000-8000-000000000071",
    "invite_id": "00000000-0000-4000-8000-000000000072",
    # A proposal the sample person sent the walker, and the walker's block of the sample person.
    "proposal_id": "00000000-0000-4000-8000-000000000081",
    "block_id": "00000000-0000-4000-8000-000000000082",
    # A real unsubscribe link of the sample person for a test kind, signed when the URL is built.
    "unsubscribe_token": lazystr(
        lambda: unsubscribe_token(User(pk=uuid.UUID(str(SAMPLE_KWARGS["person_id"]))), "testapp.reply")
    ),
    # A reminder email's "not today" link, for the sample reminder the page tests create.
    "reminder_token": lazystr(lambda: action_token(Reminder(pk=uuid.UUID(SAMPLE_REMINDER_ID)), "not_today")),
}


# The JSON API authenticates with tokens (401, not a login page) and serves no HTML: its routes
# and their audiences are checked by src/entraide/api/tests (and schemathesis), not by the walk.
API_NAMESPACES = frozenset({"api-v1"})


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    callback: object
    kwargs: tuple[str, ...]


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: str = "",
    outer_kwargs: tuple[str, ...] = (),
) -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        kwargs = outer_kwargs + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver) and entry.namespace in API_NAMESPACES:
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns, kwargs)
        else:
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Route(prefix + str(entry.pattern), name, entry.callback, kwargs)


def fill(route: Route) -> str:
    from django.urls import reverse

    missing = [k for k in route.kwargs if k not in SAMPLE_KWARGS]
    if missing or not route.name:
        raise LookupError(f"cannot fill {route.pattern}: no sample for {missing or 'an unnamed route'}")
    return reverse(route.name, kwargs={k: SAMPLE_KWARGS[k] for k in route.kwargs})
