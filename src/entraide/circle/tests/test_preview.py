""" "See what they see": the person previews one supporter's pages as that supporter would see
them, as themselves (no session switch), recording nothing."""

import pytest
from django.utils import timezone

from conftest import client_for, link_people
from entraide.circle import services
from entraide.circle.models import AccessEvent
from entraide.journal.services import create_entry, mark_entry_private
from entraide.thoughts.services import create_thought

pytestmark = pytest.mark.django_db


def test_the_preview_shows_what_the_supporter_sees_and_records_nothing(owner, peer_helper):
    link = link_people(owner, peer_helper, scopes=("notes", "alerts"))
    today = timezone.localdate()
    create_entry(owner, day=today, body="Une entrée partagée")
    mark_entry_private(create_entry(owner, day=today, body="Une entrée privée"), private=True)
    create_thought(owner, day=today, situation="Une pensée non partagée")
    create_entry(peer_helper, day=today, body="Le journal du soutien")
    client = client_for(owner)
    index = client.get(f"/cercle/liens/{link.pk}/apercu/").content.decode()
    assert f"/cercle/liens/{link.pk}/apercu/notes/" in index
    assert "/apercu/pensees/" not in index  # not shared: no page
    page = client.get(f"/cercle/liens/{link.pk}/apercu/notes/")
    text = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Une entrée partagée" in text and "Nothing is recorded" in text
    assert "Une entrée privée" not in text and "Le journal du soutien" not in text
    assert client.get(f"/cercle/liens/{link.pk}/apercu/pensees/").status_code == 404
    assert not AccessEvent.objects.exists()
    assert client.session["_auth_user_id"] == str(owner.pk)  # still the person: no switch
    # The supporter's own view matches, and records its access.
    supporter_text = client_for(peer_helper).get(f"/cercle/avec-moi/{owner.pk}/notes/").content.decode()
    assert "Une entrée partagée" in supporter_text and AccessEvent.objects.count() == 1


def test_a_paused_link_previews_as_paused(owner, peer_helper):
    link = link_people(owner, peer_helper, scopes=("notes",))
    services.pause_sharing(owner, link=link)
    client = client_for(owner)
    assert "sharing paused" in client.get(f"/cercle/liens/{link.pk}/apercu/").content.decode()
    assert client.get(f"/cercle/liens/{link.pk}/apercu/notes/").status_code == 404


def test_nobody_else_previews_a_persons_link(owner, peer_helper, stranger, admin_user):
    link = link_people(owner, peer_helper, scopes=("notes",))
    for person in (peer_helper, stranger, admin_user):
        client = client_for(person)
        assert client.get(f"/cercle/liens/{link.pk}/apercu/").status_code == 404
        assert client.get(f"/cercle/liens/{link.pk}/apercu/notes/").status_code == 404
