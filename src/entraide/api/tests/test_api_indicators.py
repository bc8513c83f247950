"""/api/v1/indicators: the owner's indicators; archived, never deleted."""

from __future__ import annotations

import pytest

from entraide.api.tests.conftest import json_post, json_put
from entraide.journal import services
from entraide.journal.access import filter_indicators_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators"


def test_list_indicators_gives_active_ones_in_order_then_archived(owner_api, journal_of):
    response = owner_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert [(i["name"], i["archived"]) for i in body] == [
        ("Sommeil réparateur", False),
        ("Marche", False),
        ("Ancien", True),
    ]
    assert body[1]["kind"] == "number" and body[1]["unit"] == "km"
    assert body[2]["archived_at"] is not None


def test_list_indicators_makes_a_fixed_number_of_queries(owner_api, owner, django_assert_num_queries):
    for n in range(12):
        services.create_indicator(owner, name=f"Indicateur {n}", kind="scale")
    owner_api.get(URL)
    with django_assert_num_queries(
        7
    ):  # the token and its owner, settings, consents, roles, circle grants, the indicators, the key
        assert len(owner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()) == 12


def test_create_indicator_through_the_service(owner_api, owner):
    response = json_post(
        owner_api,
        URL,
        {"name": "  Humeur   du soir ", "kind": "choice", "choices": ["bien", "moyen", "bien"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Humeur du soir"
    assert body["choices"] == ["bien", "moyen"]
    assert filter_indicators_of(owner).get(pk=body["id"]).kind == "choice"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "kind": "scale"}, "name"),
        ({"name": "x" * 61, "kind": "scale"}, "name"),
        ({"name": "Choix", "kind": "choice", "choices": ["seul"]}, "choices"),
        ({"name": "Quoi", "kind": "colour"}, "kind"),
        ({"kind": "scale"}, "name"),
    ],
)
def test_create_indicator_explains_what_is_wrong_with_422(owner_api, body, field):
    response = json_post(owner_api, URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]


def test_creating_a_51st_active_indicator_is_a_409(owner_api, owner):
    for n in range(services.MAX_ACTIVE_INDICATORS):
        services.create_indicator(owner, name=f"Indicateur {n}", kind="yes_no")
    response = json_post(owner_api, URL, {"name": "Un de trop", "kind": "scale"})
    assert response.status_code == 409
    assert "archive one" in response.json()["detail"]


def test_update_archive_and_restore_an_indicator(owner_api, journal_of):
    walk = journal_of["indicators"][1]
    url = f"{URL}/{walk.pk}"
    response = json_put(owner_api, url, {"name": "Marche rapide", "unit": "pas"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Marche rapide" and response.json()["kind"] == "number"

    assert json_post(owner_api, f"{url}/archive").json()["archived"] is True
    assert json_post(owner_api, f"{url}/archive").json()["archived"] is True  # again: nothing changes
    assert json_post(owner_api, f"{url}/restore").json()["archived"] is False
    assert owner_api.delete(url).status_code == 405  # never deleted: archived


def test_restoring_beyond_the_limit_is_a_409(owner_api, owner, journal_of):
    for n in range(services.MAX_ACTIVE_INDICATORS - 2):
        services.create_indicator(owner, name=f"Indicateur {n}", kind="yes_no")
    old = journal_of["indicators"][2]
    assert json_post(owner_api, f"{URL}/{old.pk}/restore").status_code == 409


def test_indicator_values_lists_the_checkins_that_recorded_it(owner_api, journal_of):
    sleep = journal_of["indicators"][0]
    body = owner_api.get(f"{URL}/{sleep.pk}/values").json()
    assert body["count"] == 2
    assert [(v["local_date"], v["value"]) for v in body["items"]] == [("2026-11-03", 8), ("2026-11-01", 6)]
    assert body["items"][0]["checkin_id"] == str(journal_of["checkins"][2].pk)

    body = owner_api.get(f"{URL}/{sleep.pk}/values", {"to": "2026-11-02"}).json()
    assert [v["value"] for v in body["items"]] == [6]
    body = owner_api.get(f"{URL}/{sleep.pk}/values", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 2 and [v["value"] for v in body["items"]] == [6]


def test_indicator_values_make_a_fixed_number_of_queries(owner_api, journal_of, django_assert_num_queries):
    sleep = journal_of["indicators"][0]
    owner_api.get(URL)
    with django_assert_num_queries(
        8
    ):  # the token, settings, consents, roles, circle grants, the indicator, the check-ins, the key
        owner_api.get(f"{URL}/{sleep.pk}/values", HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("put", ""), ("post", "/archive"), ("post", "/restore"), ("get", "/values")],
)
def test_another_persons_indicator_is_a_404(stranger_api, journal_of, method, suffix):
    url = f"{URL}/{journal_of['indicators'][0].pk}{suffix}"
    if method == "put":
        response = json_put(stranger_api, url, {"name": "Pris"})
    elif method == "post":
        response = json_post(stranger_api, url)
    else:
        response = stranger_api.get(url)
    assert response.status_code == 404
    assert journal_of["indicators"][0].__class__.objects.get(pk=journal_of["indicators"][0].pk).name == (
        "Sommeil réparateur"
    )


def test_stranger_lists_only_their_own(stranger_api, journal_of):
    assert stranger_api.get(URL).json() == []


def test_read_token_cannot_change_indicators(reader_api, journal_of):
    walk = journal_of["indicators"][1]
    assert reader_api.get(f"{URL}/{walk.pk}").status_code == 200
    assert json_post(reader_api, URL, {"name": "Non", "kind": "scale"}).status_code == 403
    assert json_put(reader_api, f"{URL}/{walk.pk}", {"name": "Non"}).status_code == 403
    assert json_post(reader_api, f"{URL}/{walk.pk}/archive").status_code == 403
    assert filter_indicators_of(walk.owner).get(pk=walk.pk).archived_at is None
