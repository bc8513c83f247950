from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from entraide.circle import access
from entraide.circle.models import AccessEvent
from entraide.core import jobs

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def test_one_row_per_hour_counted_at_most_once_a_minute(owner, peer_helper):
    with CaptureQueriesContext(connection) as first:
        access.record_access(peer_helper, owner, scope="checkins", channel="web", at=NOON)
    assert len(_writes(first.captured_queries)) == 1
    with CaptureQueriesContext(connection) as again:
        access.record_access(
            peer_helper, owner, scope="checkins", channel="web", at=NOON + timedelta(seconds=30)
        )
    assert _writes(again.captured_queries) == []  # counted less than a minute ago
    with CaptureQueriesContext(connection) as later:
        access.record_access(
            peer_helper, owner, scope="checkins", channel="web", at=NOON + timedelta(minutes=5)
        )
    assert len(_writes(later.captured_queries)) == 1
    access.record_access(peer_helper, owner, scope="checkins", channel="web", at=NOON + timedelta(hours=1))
    access.record_access(peer_helper, owner, scope="checkins", channel="api", at=NOON)
    rows = list(AccessEvent.objects.order_by("hour", "channel").values_list("hour", "channel", "count"))
    assert rows == [(NOON, "api", 1), (NOON, "web", 2), (NOON + timedelta(hours=1), "web", 1)]


def test_the_viewers_pseudonym_stays_when_their_account_is_gone(owner, peer_helper):
    access.record_access(peer_helper, owner, scope="checkins", channel="web", at=NOON)
    pseudonym = peer_helper.pseudonym
    peer_helper.delete()
    event = AccessEvent.objects.get()
    assert event.viewer is None and event.viewer_pseudonym == pseudonym


def test_events_older_than_twelve_months_are_pruned_by_the_periodic_job(owner, peer_helper):
    access.record_access(peer_helper, owner, scope="checkins", channel="web", at=NOON - timedelta(days=366))
    access.record_access(peer_helper, owner, scope="checkins", channel="web", at=NOON - timedelta(days=300))
    from entraide.circle.tasks import prune_old_access_events

    assert jobs.periodic_jobs.get("circle.prune_access_events").job is prune_old_access_events

    with jobs.clock_at(NOON):
        prune_old_access_events.call(NOON.isoformat())
    assert list(AccessEvent.objects.values_list("hour", flat=True)) == [NOON - timedelta(days=300)]
