import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
application = get_wsgi_application()
# Load every view module (the API's pydantic included) now: `entraide serve` (and gunicorn
# --preload) import this module once, then fork the processes that serve and run jobs, which so
# share these pages instead of each importing its own copy. Importing opens no database
# connection (checked by tests/project/test_serve.py).
get_resolver().url_patterns  # noqa: B018 — evaluated for its import side effect

# Before the fork: what is allocated so far is set aside from the garbage collector, whose passes
# would otherwise write to every object they visit and so copy, in each forked process, the
# memory pages it shares with its parent.
gc.collect()
gc.freeze()
