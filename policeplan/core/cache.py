"""The shared cache's database backend: Django's, with an `incr` that holds across processes.

Django's database cache increments by reading the value and writing it back, so two web
processes counting at once lose counts (20 a minute would let more through). Here the row is
locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions, set in
settings, already hold the write lock), so each increment sees the one before.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        from policeplan.core.models import SharedCacheEntry

        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        entries = SharedCacheEntry.objects.using(db)
        with transaction.atomic(using=db):
            entries.select_for_update().filter(cache_key=made).values_list("pk").first()
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{made}' not found.")
            value += delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            entries.filter(cache_key=made).update(value=stored)
        return value
