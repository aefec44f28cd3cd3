"""The customer's receipt slip for documents handed in at the counter: one
slip for a bundle, each document with its receipt number; printed again, it
says that it is a copy and when the copy was made."""

from __future__ import annotations

from dataclasses import dataclass

from kela_tui.clock import from_utc_naive
from kela_tui.context import Context
from kela_tui.i18n import LANGUAGES, Translator
from kela_tui.models import Document
from kela_tui.templating import render


@dataclass(frozen=True)
class Slip:
    name: str
    text: str
    html: str

    def pdf(self) -> bytes:
        """The slip as it is printed: its HTML as an A4 PDF."""
        from kela_tui.statement import render_pdf  # WeasyPrint only when printed

        return render_pdf(self.html)


def slip(ctx: Context, documents: list[Document], t: Translator, *, copy: bool = False) -> Slip:
    received = from_utc_naive(documents[0].at)
    forwarded = [d.forwarded_at for d in documents]
    values = {
        "t": t,
        "site": ctx.site,
        # A day and a time as a sentence writes them: 27.11.2026 klo 10.00.
        "received": t.moment(received),
        "documents": [{"receipt": d.receipt, "kind": t(f"document.{d.kind}")} for d in documents],
        "deadline": t.date(documents[0].deadline, "long"),
        # A copy made once everything went to Kela says when it went.
        "forwarded": (
            t.date(from_utc_naive(max(forwarded)).date(), "long")
            if copy and all(forwarded)
            else None
        ),
        # The copy's mark in every language of the program, the slip's first:
        # whoever reads the slip sees at once that it is a copy.
        "copy": copy,
        "copy_mark": " · ".join(
            Translator(lang)("register.copy")
            for lang in sorted(LANGUAGES, key=lambda lang: lang != t.lang)
        ),
        "copy_made": t("register.copy_made", at=ctx.now()),
    }
    name = f"kuitti-{documents[0].receipt}" + ("-kopio" if copy else "")
    return Slip(
        name=name,
        text=render("receipt_slip.txt.j2", **values),
        html=render("receipt_slip.html.j2", **values),
    )
