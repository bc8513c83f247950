"""The encryption envelope: per-person data keys wrapped by the instance key ring.

The encrypted model field stays in ``core/fields.py``: migrations import it by that path.
"""
