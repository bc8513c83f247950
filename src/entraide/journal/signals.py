"""What the journal tells other apps, sent once the write is committed (``transaction.on_commit``)
by the services, whatever the door (pages, the API, the demo, jobs): the circle's alerts listen.

Every signal has ``sender=Checkin``, ``owner`` and ``checkin_id``; ``checkin_recorded`` and
``checkin_changed`` also carry the ``checkin`` (a receiver re-reads it if it needs its state at
the time it runs); ``checkin_deleted`` carries its ``local_date`` (the row is gone).
"""

from django.dispatch import Signal

checkin_recorded = Signal()
checkin_changed = Signal()
checkin_deleted = Signal()
