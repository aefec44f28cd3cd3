"""The customer's receipt slip for documents handed in at the counter."""

from __future__ import annotations

from dataclasses import dataclass

from kela_tui.clock import from_utc_naive
from kela_tui.context import Context
from kela_tui.i18n import Translator
from kela_tui.models import Document
from kela_tui.templating import render


@dataclass(frozen=True)
class Slip:
    name: str
    text: str
    html: str


def slip(ctx: Context, documents: list[Document], t: Translator) -> Slip:
    received = from_utc_naive(documents[0].at)
    values = {
        "t": t,
        "site": ctx.site,
        "date": t.date(received.date(), "long"),
        "time": t.time(received),
        "documents": [{"receipt": d.receipt, "kind": t(f"document.{d.kind}")} for d in documents],
        "deadline": t.date(documents[0].deadline, "long"),
    }
    return Slip(
        name=f"kuitti-{documents[0].receipt}",
        text=render("receipt_slip.txt.j2", **values),
        html=render("receipt_slip.html.j2", **values),
    )
