"""What a screen coming back is told was written since it last looked."""

from __future__ import annotations

from datetime import datetime

from peewee import fn

from kela_tui import changes, services
from kela_tui.changes import Changes
from kela_tui.models import Audit


def test_first_look_reads_everything_then_only_what_is_new(ctx):
    seen = Changes()
    assert seen.look() is None
    assert seen.look() == []
    service = services.log_service(ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    new = seen.look()
    assert {(c.entity, c.entity_id, c.action) for c in new} >= {("service", service.id, "create")}
    assert seen.look() == []
    services.void_service(ctx, service.id, "väärä näppäin")
    assert [(c.entity, c.action) for c in seen.look()] == [("service", "void")]


def test_an_entry_committed_late_with_a_lower_id_is_found(ctx):
    """PostgreSQL numbers an audit entry when it is written: a transaction that
    commits after a later one shows up below the newest id already seen."""
    entry = services.log_service(ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    seen = Changes()
    seen.look()
    top = Audit.select(fn.MAX(Audit.id)).scalar()
    row = Audit.get(Audit.entity == "service", Audit.entity_id == entry.id).__data__
    Audit.insert(**{**row, "id": top + 5}).execute()
    assert [c.id for c in seen.look()] == [top + 5]
    # Committed after it, numbered before it.
    Audit.insert(**{**row, "id": top + 2}).execute()
    assert [c.id for c in seen.look()] == [top + 2]
    assert seen.look() == []


def test_many_changes_at_once_read_everything_again(ctx):
    seen = Changes()
    seen.look()
    staff = ctx.staff
    Audit.insert_many(
        [
            {
                "site": ctx.site,
                "at": datetime(2026, 9, 15, 8, 0),
                "who": staff.code,
                "entity": "service",
                "entity_id": n,
                "action": "create",
            }
            for n in range(changes.MANY + 1)
        ]
    ).execute()
    assert seen.look() is None
    assert seen.look() == []
