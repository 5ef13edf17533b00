"""JSON Lines for backups, with times to the microsecond.

Django's JSON encoder cuts datetimes and times to the millisecond, so a backup read back
would not be the data it was made from (and rows ordered by time could change places).
This serializer (registered as "policeplan-jsonl" in SERIALIZATION_MODULES) writes them
whole; Django's own JSON Lines deserializer reads them back.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # jsonl.Serializer has it (untyped stubs)
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = jsonl.Deserializer
