import pytest
from django.test import Client

from entraide.core import instance, services

GENERAL = {
    "name": "Entraide Nantes",
    "contact_email": "bonjour@entraide.example",
    "default_language": "fr",
    "signup_mode": "open",
    "minimum_age": "15",
}


def crisis_post(rows):
    data = {
        "crisis-TOTAL_FORMS": str(len(rows)),
        "crisis-INITIAL_FORMS": "0",
        "crisis-MIN_NUM_FORMS": "0",
        "crisis-MAX_NUM_FORMS": "12",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"crisis-{i}-{key}"] = value
    return data


def test_settings_are_for_administrators_only(owner_client, client, db):
    response = owner_client.get("/gestion/parametres/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert "administrateurs" in response.content.decode()
    assert owner_client.post("/gestion/parametres/general/", GENERAL).status_code == 403
    assert client.get("/gestion/parametres/").status_code == 302


def test_admin_saves_the_general_section(admin_client):
    response = admin_client.post("/gestion/parametres/general/", GENERAL)
    assert response.status_code == 302
    assert response["Location"] == "/gestion/parametres/#section-general"
    row = instance.load_settings()
    assert (row.name, row.signup_mode) == ("Entraide Nantes", "open")
    assert instance.read_snapshot().name == "Entraide Nantes"


def test_invalid_section_keeps_every_value(admin_client):
    response = admin_client.post(
        "/gestion/parametres/general/", {**GENERAL, "minimum_age": "8", "contact_email": "pas-une-adresse"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body
    assert 'value="Entraide Nantes"' in body
    assert 'value="pas-une-adresse"' in body
    assert instance.load_settings().name == "entraide"


def test_admin_edits_crisis_numbers_and_help_page_follows(admin_client, client):
    rows = [
        {"label": "Écoute régionale", "number": "04 72 00 00 00", "kind": "tel", "description": "La nuit"},
        {"label": "", "number": "", "kind": "tel", "description": ""},  # an empty extra row
    ]
    assert admin_client.post("/gestion/parametres/crisis/", crisis_post(rows)).status_code == 302
    assert instance.load_settings().crisis_numbers == [rows[0]]
    assert "04 72 00 00 00" in client.get("/aide/").content.decode()


def test_crisis_numbers_cannot_all_be_removed(admin_client):
    rows = [{"label": "", "number": "", "kind": "tel", "description": ""}]
    response = admin_client.post("/gestion/parametres/crisis/", crisis_post(rows))
    assert response.status_code == 400
    assert (
        "Keep at least one number" in response.content.decode()
        or "au moins un numéro" in response.content.decode()
    )


def test_crisis_number_must_look_like_a_number(admin_client):
    rows = [{"label": "Ligne", "number": "appelez-nous", "kind": "tel", "description": ""}]
    response = admin_client.post("/gestion/parametres/crisis/", crisis_post(rows))
    assert response.status_code == 400
    assert 'value="appelez-nous"' in response.content.decode()


def test_unknown_section_is_404(admin_client):
    assert admin_client.post("/gestion/parametres/nope/", {}).status_code == 404


@pytest.mark.django_db
def test_admin_banner_when_mail_is_not_configured(admin_client, settings):
    settings.EMAIL_CONFIGURED = False
    assert 'class="banner"' in admin_client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    settings.EMAIL_CONFIGURED = True
    assert 'class="banner"' not in admin_client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_no_banner_for_people_without_a_role(owner_client, settings):
    settings.EMAIL_CONFIGURED = False
    assert 'class="banner"' not in owner_client.get("/").content.decode()


def test_settings_sections_registry_rejects_duplicates():
    from entraide.core.registries import SettingsSection, register_settings_section

    with pytest.raises(ValueError, match="twice"):
        register_settings_section(
            SettingsSection(key="general", title="x", build_form=lambda row, data: None)
        )


def test_a_page_loads_settings_once(admin_client, django_assert_max_num_queries):
    admin_client.get("/gestion/parametres/")  # the first request of a session checks consents once
    # session, user, settings (once for the whole request), roles, second factor: no N+1 per section
    with django_assert_max_num_queries(5):
        assert admin_client.get("/gestion/parametres/").status_code == 200


def test_anonymous_client_redirected(client: Client, db):
    assert client.get("/gestion/documents/charte/")["Location"].startswith("/compte/login/")


def test_the_settings_row_is_reused_until_it_changes_in_any_process(admin_user, rf):
    """A process keeps the row while its updated_at stamp is unchanged (one small query per
    request); a change made elsewhere (here an UPDATE that no signal sees) shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from entraide.core.models import InstanceSettings

    services.save_instance_settings(instance.load_settings())  # the row after set-up
    instance.settings_for(rf.get("/"))  # loaded once
    with CaptureQueriesContext(connection) as queries:
        first = instance.settings_for(rf.get("/"))
        again = instance.settings_for(rf.get("/"))
    assert first is again
    assert len(queries) == 2 and all('"updated_at" FROM' in q["sql"] for q in queries)

    InstanceSettings.objects.filter(pk=first.pk).update(name="Entraide Brest", updated_at=timezone.now())
    assert instance.settings_for(rf.get("/")).name == "Entraide Brest"

    row = instance.load_settings()  # a save in this process
    row.name = "Entraide Quimper"
    row.save()
    assert instance.settings_for(rf.get("/")).name == "Entraide Quimper"


def test_before_set_up_the_defaults_are_reused_until_a_row_appears(db, rf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from entraide.core.models import InstanceSettings

    InstanceSettings.objects.all().delete()
    instance.forget_cached_settings()
    defaults = instance.settings_for(rf.get("/"))
    assert defaults._state.adding  # not saved: the defaults
    with CaptureQueriesContext(connection) as queries:
        assert instance.settings_for(rf.get("/")) is defaults
    assert len(queries) == 1 and '"updated_at" FROM' in queries[0]["sql"]

    services.save_instance_settings(instance.load_settings())  # set-up saves the row
    row = instance.settings_for(rf.get("/"))
    assert not row._state.adding and row is not defaults
