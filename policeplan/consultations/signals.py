"""Signals the consultations app sends, for the apps built on it (analysis) to act on without
consultations importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that withdraws a response, or erases a consultation's personal
# details, before the rows go: keyword arguments `consultation_id`, `response_ids` and
# `answer_ids` (lists of ints) and `withdrawn` (True when the responses were withdrawn, so
# nothing of them may stay; False for retention, where what people said stays for analysis
# but no copy of it may outlive the erasure). Receivers delete every copy they keep of
# those responses' texts.
responses_erased = Signal()
