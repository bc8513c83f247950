import gzip
import json

import pytest

from entraide.core import instance, services
from entraide.core.instance import PublicFacts


@pytest.fixture
def custom_numbers(db):
    row = instance.load_settings()
    row.crisis_numbers = [
        {"label": "Ligne de l'association", "number": "01 23 45 67 89", "kind": "tel", "description": ""}
    ]
    return services.save_instance_settings(row)


def test_crisis_help_lists_the_default_numbers_before_setup(client, db):
    response = client.get("/aide/", HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert response.status_code == 200
    for number in ("3114", "15", "112", "114", "09 72 39 40 50"):
        assert f">{number}<" in body or f"{number}</span>" in body
    assert 'href="sms:114"' in body
    assert 'href="tel:0972394050"' in body


def test_crisis_help_costs_one_query_logged_out(client, custom_numbers, django_assert_max_num_queries):
    client.get("/aide/")  # the process loads the settings row once, then checks its stamp
    with django_assert_max_num_queries(1):
        response = client.get("/aide/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "01 23 45 67 89" in response.content.decode()


def test_crisis_help_costs_three_queries_logged_in(
    owner_client, custom_numbers, django_assert_max_num_queries
):
    owner_client.get("/aide/")
    with django_assert_max_num_queries(3):
        response = owner_client.get("/aide/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200


def test_crisis_help_has_no_javascript_and_stays_small(client, db):
    response = client.get("/aide/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content
    assert b"<script" not in html
    # The stylesheet is measured with the page in the bench and browser tests; the HTML alone
    # must leave most of the 15 KB budget to it.
    assert len(gzip.compress(html)) < 4_000


def test_saving_settings_rewrites_the_offline_snapshot(custom_numbers):
    snapshot = json.loads(instance.snapshot_path().read_text())
    assert snapshot["crisis_numbers"][0]["number"] == "01 23 45 67 89"
    assert instance.read_snapshot() == PublicFacts.of(custom_numbers)


def test_a_stale_snapshot_is_refreshed_from_the_database(custom_numbers):
    # Another app server saved the settings: this one's snapshot is older than the row.
    instance.write_snapshot(PublicFacts.defaults())
    instance.public_facts()
    assert instance.read_snapshot().crisis_numbers[0]["number"] == "01 23 45 67 89"


def test_security_txt_names_the_instance_contact(client, db):
    row = instance.load_settings()
    row.contact_email = "securite@entraide.example"
    services.save_instance_settings(row)
    body = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:securite@entraide.example" in body
    assert "Expires: " in body
