"""When the terms or the charter change enough, everyone agrees again before going on."""

from django.test import Client

from entraide.accounts.models import ConsentKind, ConsentRecord
from entraide.core import services


def publish_terms(admin_user, *, requires_new_consent):
    services.publish_legal_document(
        kind="terms",
        language="fr",
        body="## Nouvelles conditions",
        change_summary="",
        base_version=0,
        by=admin_user,
        requires_new_consent=requires_new_consent,
    )


def test_a_minor_edit_asks_nothing(owner_client, admin_user):
    publish_terms(admin_user, requires_new_consent=False)
    assert owner_client.get("/").status_code == 200


def test_a_change_that_matters_asks_everyone_again_once(owner, owner_client, admin_user):
    assert owner_client.get("/").status_code == 200  # up to date: remembered for the session
    publish_terms(admin_user, requires_new_consent=True)
    response = owner_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/accord/?next=/")
    # Help, legal pages and logging out stay open meanwhile.
    assert owner_client.get("/aide/").status_code == 200
    assert owner_client.get("/documents/conditions/").status_code == 200

    page = owner_client.get("/compte/accord/?next=/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="terms"' in page.content.decode()
    assert 'name="health_data"' not in page.content.decode()  # that text did not change
    refused = owner_client.post("/compte/accord/", {"next": "/"})
    assert refused.status_code == 400
    accepted = owner_client.post("/compte/accord/", {"terms": "on", "next": "/"})
    assert accepted["Location"] == "/"
    assert ConsentRecord.objects.filter(user=owner, kind=ConsentKind.TERMS, text_version=1).exists()
    assert owner_client.get("/").status_code == 200


def test_next_cannot_lead_elsewhere(owner_client, admin_user):
    publish_terms(admin_user, requires_new_consent=True)
    response = owner_client.post("/compte/accord/", {"terms": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_anonymous_visitors_are_never_asked(client, admin_user):
    publish_terms(admin_user, requires_new_consent=True)
    assert Client().get("/").status_code == 200
