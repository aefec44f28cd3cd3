"""The audit trail: who changed what, when, and what it was before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from peewee import Model
from playhouse.shortcuts import model_to_dict

from kela_tui.clock import to_utc_naive
from kela_tui.models import Audit, Staff


def snapshot(row: Model | None) -> str | None:
    if row is None:
        return None
    return json.dumps(model_to_dict(row, recurse=False), default=_plain, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def record(
    ctx,
    row: Model,
    action: str,
    staff: Staff,
    before: str | None = None,
) -> Audit:
    """Write one audit entry for `row` after `action`; `before` is its snapshot
    taken before the change (None when the row is new)."""
    return Audit.create(
        site=ctx.site,
        at=to_utc_naive(ctx.now()),
        who=staff.code,
        entity=row._meta.table_name,
        entity_id=row.id,
        action=action,
        before=before,
        after=snapshot(row),
    )
