"""The audit trail: who changed what, when, and what it was before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from peewee import Model
from playhouse.shortcuts import model_to_dict

from kela_tui.clock import to_utc_naive
from kela_tui.models import Audit, Staff, utcnow

# Stored renderings are covered by their SHA-256 in the snapshot; the texts
# themselves would only repeat them.
_LEFT_OUT = {"statement": ("text", "html"), "rendering": ("content",)}


def snapshot(row: Model | None) -> str | None:
    if row is None:
        return None
    values = model_to_dict(row, recurse=False)
    for name in _LEFT_OUT.get(row._meta.table_name, ()):
        values.pop(name, None)
    return json.dumps(values, default=_plain, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Money: the same whether just written or read back (SQLite gives 300).
        return str(value.quantize(Decimal("0.01")))
    raise TypeError(type(value))


# Who made a change that came from a workstation's configuration file, and
# one that a schema upgrade made.
CONFIGURATION = "config"
UPGRADE = "upgrade"


def record(
    ctx,
    row: Model,
    action: str,
    staff: Staff | None,
    before: str | None = None,
) -> Audit:
    """Write one audit entry for `row` after `action`; `before` is its snapshot
    taken before the change (None when the row is new). Without a staff
    member, the change came from the configuration."""
    return Audit.create(**entry(ctx, row, action, staff, before))


def entry(
    ctx,
    row: Model,
    action: str,
    staff: Staff | None,
    before: str | None = None,
) -> dict:
    """The fields of the audit entry `record` writes, for writing many in one
    statement (`Audit.insert_many`) inside the same transaction."""
    return {
        "site": ctx.site,
        "at": to_utc_naive(ctx.now()),
        "who": staff.code if staff is not None else CONFIGURATION,
        "entity": row._meta.table_name,
        "entity_id": row.id,
        "action": action,
        "before": before,
        "after": snapshot(row),
    }


def record_upgrade(row: Model, before: str | None) -> Audit:
    """Write the audit entry of a change that a schema upgrade made."""
    return Audit.create(
        site=row.site_id,
        at=utcnow(),
        who=UPGRADE,
        entity=row._meta.table_name,
        entity_id=row.id,
        action="upgrade",
        before=before,
        after=snapshot(row),
    )
