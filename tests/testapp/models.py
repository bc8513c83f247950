import uuid

from django.db import models

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel


class Note(PersonalModel):
    created_at = models.DateTimeField(auto_now_add=True)
    payload = EncryptedField()  # {"text": …, "mood": …}
    attachment = EncryptedField(kind="bytes", null=True, blank=True)


class InstanceSecret(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=40, unique=True)
    secret = EncryptedField(scope="instance")

    def __str__(self) -> str:
        return self.name


class CheckedDay(PersonalModel):
    """A local date on which the person "did it": the test reminder kind's condition."""

    day = models.DateField()
