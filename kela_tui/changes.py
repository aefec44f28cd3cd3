"""What was written since a screen last looked: every write is audited in its
own transaction, so the audit trail's newest entries are the changes. A
screen coming back asks here, in one small query, instead of reading again
everything it shows."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from kela_tui.models import Audit

# The newest audit entries kept in view. PostgreSQL numbers an entry when it
# is written, not when its transaction commits: a transaction that commits
# after a later one has an id below the newest already seen. Entries that
# show up within this many ids of the newest are still found.
WINDOW = 200
# More changes than this at once (a demo filled, a day's work from another
# workstation): the screen reads everything again instead.
MANY = 500


@dataclass(frozen=True)
class Change:
    id: int
    entity: str
    entity_id: int
    action: str


class Changes:
    """The audit entries a screen has seen. `look()` tells what is new since
    the last look: a list (empty when nothing changed), or None when the
    screen should read everything again (the first look, or many changes)."""

    def __init__(self) -> None:
        self.top = 0
        self.seen: set[int] | None = None

    def look(self) -> list[Change] | None:
        top = Audit.select(fn.MAX(Audit.id)).scalar() or 0
        everything = self.seen is None or top - self.top > MANY
        since = top if everything else min(top, self.top)
        rows = [
            Change(*row)
            for row in Audit.select(Audit.id, Audit.entity, Audit.entity_id, Audit.action)
            .where(Audit.id > since - WINDOW)
            .order_by(Audit.id)
            .tuples()
        ]
        new = None if everything else [row for row in rows if row.id not in self.seen]
        self.top = top
        self.seen = {row.id for row in rows if row.id > top - WINDOW}
        return new

    def forget(self) -> None:
        """The next look reads everything again."""
        self.seen = None
