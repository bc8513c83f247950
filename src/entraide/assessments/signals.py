"""What the questionnaires tell other apps, sent once the write is committed
(``transaction.on_commit``) by the services, whatever the door: the circle's alerts listen.

Both have ``sender=QuestionnaireResponse`` and ``owner``; ``response_recorded`` carries the
``response`` as saved, ``response_deleted`` its ``response_id`` and ``instrument`` (the row is gone).
"""

from django.dispatch import Signal

response_recorded = Signal()
response_deleted = Signal()
