"""Signals the plans app sends, for the apps built on it (scrutiny) to act on without plans
importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that publishes a plan version, after it is saved: keyword
# arguments `version` (the PlanVersion, now published) and `user`. Scrutiny opens the
# body's statutory review of a version published as the consultation draft.
version_published = Signal()
