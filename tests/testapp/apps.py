from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A small personal app, installed only in tests, to prove the envelope and the registries."""

    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        from entraide.core.registries import (
            ErasureRegistration,
            ExportedPart,
            ExportRegistration,
            register_erasure,
            register_export,
        )
        from tests.testapp.models import Note

        def export(person):
            return ExportedPart(
                records=[
                    {"id": str(n.pk), "created_at": n.created_at, **n.payload}
                    for n in Note.objects.filter(owner=person)
                ],
                tabular=True,
            )

        register_export(ExportRegistration(key="testapp.notes", models=(Note,), export=export))
        register_erasure(
            ErasureRegistration(
                key="testapp.notes", models=(Note,), erase=lambda p: Note.objects.filter(owner=p).delete()
            )
        )
