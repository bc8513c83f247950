"""assessments: filled by the care-tools issue."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["assessments"])
