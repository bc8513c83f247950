"""``cached_reverse`` and the ``{% url %}`` built on it answer exactly as ``reverse`` does, for the
URLconf, script prefix and arguments of the moment."""

from __future__ import annotations

import uuid

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix, set_urlconf

from entraide.core.reversing import cached_reverse
from entraide.core.templatetags.entraide_urls import URLNode

GOAL = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("journal:checkin-new", None, None),
        ("goals:goal", None, {"goal_id": GOAL}),
        ("goals:goal", None, {"goal_id": str(uuid.uuid4())}),
        ("assessments:history", None, {"questionnaire": "phq9"}),
        ("api-v1:api-root", None, None),
    ],
)
def test_same_answer_as_reverse_twice(name, args, kwargs):
    expected = reverse(name, args=args, kwargs=kwargs)
    assert cached_reverse(name, args=args, kwargs=kwargs) == expected
    assert cached_reverse(name, args=args, kwargs=kwargs) == expected


def test_another_urlconf_or_script_prefix_gets_its_own_answer():
    assert cached_reverse("api-v1:api-root") == "/api/v1/"
    set_urlconf("entraide.urls_pages")  # the job worker's: no API
    try:
        with pytest.raises(NoReverseMatch):
            cached_reverse("api-v1:api-root")
    finally:
        set_urlconf(None)
    set_script_prefix("/entraide/")
    try:
        assert cached_reverse("journal:checkin-new") == "/entraide/journal/point/nouveau/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("journal:checkin-new") == "/journal/point/nouveau/"


def test_unknown_routes_and_wrong_arguments_still_raise():
    with pytest.raises(NoReverseMatch):
        cached_reverse("journal:nowhere")
    with pytest.raises(NoReverseMatch):
        cached_reverse("goals:goal", kwargs={"goal_id": "not a uuid"})


def test_an_argument_of_another_type_is_reversed_afresh():
    class Slug:
        def __init__(self, text: str) -> None:
            self.text = text

        def __str__(self) -> str:
            return self.text

        __hash__ = None  # type: ignore[assignment]  # unhashable: never a cache key

    assert cached_reverse("assessments:history", kwargs={"questionnaire": Slug("gad7")}) == (
        reverse("assessments:history", kwargs={"questionnaire": "gad7"})
    )


def test_every_template_url_tag_is_the_remembering_one():
    template = engines["django"].from_string(
        "{% url 'goals:goal' goal_id=goal %}|{% url 'journal:checkin-new' as new %}{{ new }}"
        "|{% url 'journal:nowhere' as missing %}[{{ missing }}]"
    )
    assert [type(n) for n in template.template.nodelist.get_nodes_by_type(URLNode)] == [URLNode] * 3
    request = RequestFactory().get("/")
    assert template.render({"goal": GOAL}, request) == (
        f"{reverse('goals:goal', kwargs={'goal_id': GOAL})}|/journal/point/nouveau/|[]"
    )
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'journal:nowhere' %}").render({})
