import pytest

from entraide.core import legal, services
from entraide.core.models import LegalDocument


def test_sanitises_markdown():
    html = legal.render_markdown("## Titre\n\n<script>alert(1)</script> [lien](javascript:alert(1)) **gras**")
    assert "<h2>Titre</h2>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<strong>gras</strong>" in html


@pytest.mark.parametrize("slug", list(legal.SLUGS))
def test_builtin_documents_are_shown_until_one_is_published(client, db, slug):
    response = client.get(f"/documents/{slug}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.context["shown"].version == 0
    assert "{instance_name}" not in response.content.decode()


def test_admin_publishes_versions_and_history_is_kept(admin_client, client):
    page = admin_client.get("/gestion/documents/charte/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    for text, base in (("## Charte\n\nSoyons doux.", 0), ("## Charte\n\nSoyons très doux.", 1)):
        response = admin_client.post(
            "/gestion/documents/charte/",
            {"body": text, "change_summary": "", "base_version": base},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        assert response.status_code == 302
    public = client.get("/documents/charte/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Soyons très doux." in public
    assert "/documents/charte/fr/v1/" in public
    assert "Soyons doux." in client.get("/documents/charte/fr/v1/").content.decode()
    assert LegalDocument.objects.filter(kind="charter").count() == 2


def test_a_concurrent_edit_keeps_the_text_and_warns(admin_client, admin_user):
    services.publish_legal_document(
        kind="terms", language="fr", body="Version de Zoé", change_summary="", base_version=0, by=admin_user
    )
    response = admin_client.post(
        "/gestion/documents/conditions/",
        {"body": "Mon texte à moi", "change_summary": "", "base_version": 0},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Mon texte à moi" in body
    assert 'name="base_version" value="1"' in body  # publishing again is now deliberate
    assert LegalDocument.objects.filter(kind="terms").count() == 1


def test_english_readers_see_the_instance_text_rather_than_a_builtin_one(admin_user, client):
    services.publish_legal_document(
        kind="notice", language="fr", body="Éditeur : Asso", change_summary="", base_version=0, by=admin_user
    )
    body = client.get("/documents/mentions-legales/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Éditeur : Asso" in body
    assert 'lang="fr"' in body


def test_only_admins_edit(owner_client):
    assert owner_client.get("/gestion/documents/charte/").status_code == 403
    assert (
        owner_client.post("/gestion/documents/charte/", {"body": "x", "base_version": 0}).status_code == 403
    )
