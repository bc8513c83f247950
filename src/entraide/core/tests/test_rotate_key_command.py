import io

import pytest
from django.core.management import call_command

from entraide.core.encryption import crypto, keyring
from entraide.core.models import DataKey


@pytest.mark.django_db
def test_rotate_key_command_rotates_and_reminds_to_back_up(owner):
    crypto.data_key_for(owner.pk, create=True)
    before = keyring.load_keyring()

    out = io.StringIO()
    call_command("rotate_key", "--dry-run", stdout=out)
    assert "would rewrap 1 data keys" in out.getvalue()
    assert keyring.load_keyring() == before

    out = io.StringIO()
    call_command("rotate_key", stdout=out)
    after = keyring.load_keyring()
    assert after.active != before.active
    assert DataKey.objects.get().key_id == after.active
    assert "rewrapped 1 data keys; 0 left" in out.getvalue()
    assert "entraide backup --key" in out.getvalue()
