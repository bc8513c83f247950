"""/api/v1/coping-strategies: what helps the owner, and each time it was used."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from entraide.api.tests.conftest import json_post, json_put
from entraide.goals.access import get_strategy_of
from entraide.goals.models import CopingStrategy, StrategyUse
from entraide.goals.tests.factories import make_strategy, make_use

pytestmark = pytest.mark.django_db
URL = "/api/v1/coping-strategies"


def test_list_strategies_most_helpful_first_or_by_name(owner_api, owner, stranger):
    bath = make_strategy(owner, name="Bain", category="rest")
    call = make_strategy(owner, name="Appeler Léa", category="people")
    make_use(bath, helped=1)
    make_use(call, helped=4)
    make_use(call, helped=3)
    make_strategy(stranger, name="pas à Camille")
    body = owner_api.get(URL).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["name"], first["uses"], first["rated_uses"], first["mean_help"]) == (
        "Appeler Léa",
        2,
        2,
        3.5,
    )
    assert first["last_used"] == "2026-03-14"
    assert [s["name"] for s in owner_api.get(URL, {"sort": "name"}).json()["items"]] == [
        "Appeler Léa",
        "Bain",
    ]
    assert [s["name"] for s in owner_api.get(URL, {"category": "rest"}).json()["items"]] == ["Bain"]


def test_list_strategies_makes_a_fixed_number_of_queries(owner_api, owner, django_assert_num_queries):
    for n in range(30):
        make_strategy(owner, name=f"S{n}")
    owner_api.get(URL)
    with django_assert_num_queries(
        7
    ):  # the token, settings, consents, roles, circle grants, every strategy, the key
        assert owner_api.get(URL, {"limit": 10}).json()["count"] == 30


def test_create_read_update_delete_a_strategy(owner_api, owner):
    response = json_post(owner_api, URL, {"name": "Chanter", "category": "creativity"})
    assert response.status_code == 201, response.content
    strategy = response.json()
    assert strategy["uses"] == 0 and strategy["mean_help"] is None and strategy["note"] == ""
    url = f"{URL}/{strategy['id']}"
    assert owner_api.get(url).json()["name"] == "Chanter"
    assert (
        json_put(owner_api, url, {"name": "Chanter fort", "note": "Dans la voiture"}).json()["category"]
        == "other"
    )
    assert owner_api.delete(url).status_code == 204
    assert not CopingStrategy.objects.exists()


@time_machine.travel("2026-03-20 12:00Z", tick=False)
def test_uses_can_be_listed_recorded_changed_and_deleted(owner_api, owner):
    strategy = make_strategy(owner)
    for day in (1, 5, 9):
        make_use(strategy, day=date(2026, 3, day), helped=day % 5)
    uses = f"{URL}/{strategy.pk}/uses"
    body = owner_api.get(uses, {"from": "2026-03-05"}).json()
    assert body["count"] == 2 and [u["day"] for u in body["items"]] == ["2026-03-09", "2026-03-05"]
    response = json_post(owner_api, uses, {"day": "2026-03-20", "helped": 2, "note": "Un peu"})
    assert response.status_code == 201, response.content
    use = response.json()
    assert owner_api.get(f"{uses}/{use['id']}").json()["note"] == "Un peu"
    changed = json_put(owner_api, f"{uses}/{use['id']}", {"day": "2026-03-19"})
    assert changed.status_code == 200 and changed.json()["helped"] is None
    assert get_strategy_of(owner, strategy.pk).uses == 4
    assert owner_api.delete(f"{uses}/{use['id']}").status_code == 204
    assert get_strategy_of(owner, strategy.pk).uses == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"day": "2026-03-01", "helped": 5}, "helped"),
        ({"day": "2999-03-01"}, "day"),
        ({"day": "2026-03-01", "note": "x" * 1001}, "note"),
    ],
)
def test_record_use_explains_what_is_wrong_with_422(owner_api, owner, body, field):
    strategy = make_strategy(owner)
    response = json_post(owner_api, f"{URL}/{strategy.pk}/uses", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]


def test_create_strategy_at_the_limit_is_a_422(owner_api, owner):
    CopingStrategy.objects.bulk_create(
        [CopingStrategy(owner=owner, payload={"name": f"S{n}", "category": "other"}) for n in range(200)]
    )
    response = json_post(owner_api, URL, {"name": "Encore"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


def test_another_persons_strategy_and_uses_are_a_404(owner, stranger_api, reader_api):
    strategy = make_strategy(owner)
    use = make_use(strategy)
    url = f"{URL}/{strategy.pk}"
    for path in (url, f"{url}/uses", f"{url}/uses/{use.pk}"):
        assert stranger_api.get(path).status_code == 404, path
    assert json_put(stranger_api, url, {"name": "x"}).status_code == 404
    assert json_post(stranger_api, f"{url}/uses", {"day": "2026-03-01"}).status_code == 404
    assert stranger_api.delete(f"{url}/uses/{use.pk}").status_code == 404
    assert stranger_api.delete(url).status_code == 404
    assert json_post(reader_api, f"{url}/uses", {"day": "2026-03-01"}).status_code == 403
    assert reader_api.delete(url).status_code == 403
    assert StrategyUse.objects.count() == 1
