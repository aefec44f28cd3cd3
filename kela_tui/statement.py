"""The monthly statement and compensation claim: rendering (text, HTML, PDF),
issuing (which closes the month and freezes its claim), reopening, and
revisions.

Issuing freezes the claim: the point as it was named, the compensation with
its computation, and every figure of the month (`Statement.figures`), the
export rows, and the text and HTML in every language. While the month is
closed, everything shown of it comes from there, and `verify` checks that the
records still give the same figures. Its numbers come from the statistics
module; nothing is computed twice."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kela_tui import audit, export, settings, text
from kela_tui.catalogue import CODES, OUTCOMES
from kela_tui.clock import from_utc_naive, to_utc_naive
from kela_tui.compensation import Compensation
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import LANGUAGES, Msg, Translator
from kela_tui.models import (
    BoothSession,
    Document,
    MonthEvent,
    Rendering,
    Site,
    Statement,
)
from kela_tui.months import Month, is_closed
from kela_tui.parties import Parties
from kela_tui.services import acting
from kela_tui.statistics import MonthStats, frozen_compensation, live_stats
from kela_tui.templating import render

FORMATS = ("txt", "html", "pdf")


@dataclass(frozen=True)
class Party:
    """The point as a statement names it, with the parties' details (business
    IDs, the agreement's reference, the contact, the account) its settings
    give for the month."""

    code: str
    name: str
    city: str
    agreement_start: date
    parties: Parties = field(default_factory=Parties)

    @classmethod
    def of(cls, site: Site, month: Month) -> Party:
        """The point as its settings for `month` name it."""
        terms = settings.history(site).for_month(month)
        return cls(site.code, terms.name, terms.city, terms.agreement_start, terms.parties)

    def to_json(self) -> dict:
        frozen = {
            "code": self.code,
            "name": self.name,
            "city": self.city,
            "agreement_start": self.agreement_start.isoformat(),
        }
        # Frozen with the claim, so a reprint of an issued month keeps the
        # details of its issue whatever the settings say later.
        if self.parties.any():
            frozen["parties"] = self.parties.tree()
        return frozen

    @classmethod
    def from_json(cls, data: dict) -> Party:
        return cls(
            data["code"],
            data["name"],
            data["city"],
            date.fromisoformat(data["agreement_start"]),
            # Claims frozen before the parties were kept had none.
            Parties.frozen(data.get("parties", {})),
        )


@dataclass
class StatementData:
    month: Month
    party: Party
    stats: MonthStats
    compensation: Compensation
    number: str
    revision: int
    corrects: int | None
    dated: date
    draft: bool
    # The issued statement while the month is closed.
    stored: Statement | None = None

    def claim(self) -> dict:
        """What issuing freezes: enough to render the statement in any language."""
        comp = self.compensation
        return {
            "site": self.party.to_json(),
            "compensation": {
                "monthly": str(comp.monthly),
                "days_in_force": comp.days_in_force,
                "days_in_month": comp.days_in_month,
                "prorated": comp.prorated,
                "amount": str(comp.amount),
            },
            "figures": self.stats.own_figures(),
            "booth_counting": self.stats.booth_counting,
        }


def number(ctx: Context, month: Month) -> str:
    return f"{ctx.site.code}-{month.year}-{month.month:02d}"


def issued(ctx: Context, month: Month) -> Statement | None:
    """The latest issued revision of the month, if any."""
    return (
        Statement.select()
        .where((Statement.site == ctx.site) & (Statement.month == str(month)))
        .order_by(Statement.revision.desc())
        .first()
    )


def check_begun(ctx: Context, month: Month) -> None:
    """No statement, and no figures, for a month that has not begun."""
    if month.first > ctx.today():
        raise Refused("month_not_begun", month=month)


def prepare(ctx: Context, month: Month) -> StatementData:
    """The month's statement as it stands: the issued one while the month is
    closed, otherwise a draft of the next revision."""
    check_begun(ctx, month)
    latest = issued(ctx, month)
    if latest is not None and latest.figures and is_closed(ctx.site, month):
        return frozen_data(latest, month)
    return _draft(ctx, month, latest)


def _draft(ctx: Context, month: Month, latest: Statement | None) -> StatementData:
    """The next revision of the month's statement, counted from the records."""
    stats = live_stats(month, [ctx.site], ctx.today())
    compensation = stats.compensations[0]
    if not compensation.in_force:
        raise Refused("no_statement_month", month=month)
    return StatementData(
        month,
        Party.of(ctx.site, month),
        stats,
        compensation,
        number(ctx, month),
        latest.revision + 1 if latest else 1,
        latest.revision if latest else None,
        ctx.today(),
        draft=True,
    )


def frozen_data(statement: Statement, month: Month) -> StatementData:
    """An issued statement's data, from its frozen claim only."""
    claim = json.loads(statement.figures)
    stats = MonthStats(month, [claim["site"]["code"]], claim["site"]["code"])
    comp = frozen_compensation(month, claim["compensation"])
    stats.absorb(claim["figures"], comp)
    stats.compensation = comp.amount
    # Claims frozen before the booth's counting rule was named used rule 1.
    stats.booth_counting = claim.get("booth_counting", 1)
    return StatementData(
        month,
        Party.from_json(claim["site"]),
        stats,
        comp,
        statement.number,
        statement.revision,
        statement.revision - 1 or None,
        from_utc_naive(statement.issued_at).date(),
        draft=False,
        stored=statement,
    )


def render_text(data: StatementData, t: Translator) -> str:
    return render("statement.txt.j2", **_values(data, t))


def render_html(data: StatementData, t: Translator) -> str:
    return render("statement.html.j2", **_values(data, t))


_PDF_LOCK = threading.Lock()


def render_pdf(html: str, made: datetime | None = None) -> bytes:
    """The PDF of an HTML document. The same HTML and `made` give the same
    bytes (the font subsets carry `made` as their date, not the clock), and
    the document may load nothing from outside itself."""
    weasyprint = pdf_engine()
    stamp = int((made or datetime(2000, 1, 1, tzinfo=UTC)).timestamp())
    # fontTools dates its subsets from SOURCE_DATE_EPOCH when it is set; the
    # lock keeps two renderings from changing it under each other.
    with _PDF_LOCK:
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(stamp)
        try:
            # The statement and the slip are whole in themselves: a file or an
            # address named in their text (a link in a site's name, say) is
            # never fetched, let alone embedded.
            fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
            return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved


def pdf_engine():
    """WeasyPrint, imported only when a PDF is asked for: it is large, and it
    needs the Pango library, which a Windows PC without GTK or a minimal Linux
    lacks. Then the message says what to install."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise BadInput("pdf_unavailable", problem=str(exc).splitlines()[0][:200]) from exc
    return weasyprint


def content_hash(text: str, html: str) -> str:
    return hashlib.sha256(f"{text}\n\f\n{html}".encode()).hexdigest()


def document(ctx: Context, month: Month, t: Translator) -> tuple[str, str]:
    """The text and HTML of the month's statement. An issued statement is
    returned exactly as stored, so a reprint is identical in every language."""
    return render_document(prepare(ctx, month), t)


def render_document(data: StatementData, t: Translator) -> tuple[str, str]:
    if data.stored is not None:
        return stored(data.stored, t.lang, "txt"), stored(data.stored, t.lang, "html")
    return render_text(data, t), render_html(data, t)


def pdf(ctx: Context, month: Month, t: Translator) -> bytes:
    """The month's statement as PDF: an issued one's stored bytes when they
    were made at issue, otherwise made from its stored HTML, identically on
    every reprint."""
    data = prepare(ctx, month)
    if data.stored is None:
        return render_pdf(render_html(data, t))
    kept = Rendering.get_or_none(statement=data.stored, lang=t.lang, format="pdf")
    if kept is not None:
        return bytes(kept.content)
    return render_pdf(stored(data.stored, t.lang, "html"), _made(data.stored))


def stored(statement: Statement, lang: str, kind: str) -> str:
    """The stored text or HTML of an issued statement in `lang`: the issuing
    language's in the statement itself, the others' beside it; a statement
    issued before those were kept is rendered from its frozen claim."""
    if lang == statement.lang:
        return statement.text if kind == "txt" else statement.html
    kept = Rendering.get_or_none(statement=statement, lang=lang, format=kind)
    if kept is not None:
        return bytes(kept.content).decode("utf-8")
    if not json.loads(statement.figures).get("matches_issued", True):
        raise BadInput("issued_language_only", lang=Msg(f"language.{statement.lang}"))
    data = frozen_data(statement, Month.parse(statement.month))
    t = Translator(lang)
    return render_text(data, t) if kind == "txt" else render_html(data, t)


def _made(statement: Statement) -> datetime:
    return statement.issued_at.replace(tzinfo=UTC)


def issue(ctx: Context, month: Month, t: Translator, *, staff=None) -> Statement:
    """Issue the statement of a month that is over; this closes the month and
    freezes its claim. The month's lock is held alone from the check to the
    commit, so no entry can slip in between."""
    who = acting(ctx, staff)
    check_begun(ctx, month)
    if month.last >= ctx.today():
        raise Refused("month_not_over", month=month, day=month.next().first)
    with ctx.writing():
        ctx.lock_month(month, exclusive=True)
        if is_closed(ctx.site, month):
            raise Refused("already_issued", month=month)
        check_finished(ctx, month)
        previous = issued(ctx, month)
        data = _draft(ctx, month, previous)
        data.draft = False
        text_, html = render_text(data, t), render_html(data, t)
        statement = Statement.create(
            site=ctx.site,
            month=str(month),
            revision=data.revision,
            number=data.number,
            issued_at=to_utc_naive(ctx.now()),
            staff=who,
            lang=t.lang,
            text=text_,
            html=html,
            sha256=content_hash(text_, html),
            supersedes=previous,
            figures=json.dumps(data.claim(), sort_keys=True),
            export_rows=json.dumps(export.live_rows(ctx, month), sort_keys=True),
        )
        audit.record(ctx, statement, "issue", who)
        for lang in LANGUAGES:
            if lang != t.lang:
                other = Translator(lang)
                _keep(ctx, statement, lang, "txt", render_text(data, other), who)
                _keep(ctx, statement, lang, "html", render_html(data, other), who)
        event = MonthEvent.create(
            site=ctx.site,
            month=str(month),
            action="close",
            at=to_utc_naive(ctx.now()),
            staff=who,
            statement=statement,
        )
        audit.record(ctx, event, "close", who)
    return statement


# What a claim is paid by: a later version that has one of these while the
# month's own has none is worth a word before the month is issued.
PAYMENT_PARTIES = ("bank_account", "city_business_id", "kela_business_id")


def missing_parties(ctx: Context, month: Month, *, issued: bool = False) -> Msg | None:
    """A warning when the month's statement has no account or business IDs
    while a later version of the settings has them (set from a later day,
    say today's): the day they are set from, and the day to set them from
    for this month. `issued`: said after the issue (the month is closed)."""
    history = settings.history(ctx.site)
    own = history.for_month(month).parties
    for version in history.versions:
        if version.valid_from <= month.last:
            continue
        later = version.settings.parties
        missing = [
            name for name in PAYMENT_PARTIES if getattr(later, name) and not getattr(own, name)
        ]
        if missing:
            start = history.for_month(month).agreement_start
            return Msg(
                "parties_set.missing_issued" if issued else "parties_set.missing",
                day=version.valid_from,
                month=month,
                keys=", ".join(f"statement.{name}" for name in missing),
                names=tuple(missing),
                since=max(month.first, start),
                typed=max(month.first, start).isoformat(),
                value=getattr(later, missing[0]),
                key=f"statement.{missing[0]}",
            )
    return None


def check_finished(ctx: Context, month: Month) -> None:
    """A month is issued only when its work is done: once closed, nothing of
    it could be finished without reopening it. Documents still waiting to be
    forwarded and a booth session still open are refused with how many there
    are. (Feedback goes to Kela whatever the month: it is no figure of the
    claim.)"""
    days = (month.first, month.last)
    documents = (
        Document.select()
        .where(
            (Document.site == ctx.site)
            & (Document.status == "active")
            & Document.forwarded_at.is_null()
            & Document.day.between(*days)
        )
        .count()
    )
    sessions = (
        BoothSession.select()
        .where(
            (BoothSession.site == ctx.site)
            & BoothSession.ended_at.is_null()
            & BoothSession.day.between(*days)
        )
        .count()
    )
    # Only what is waiting is named: "0 booth sessions open" says nothing.
    waiting = [
        Msg(key, count=count)
        for key, count in (
            ("grammar.documents_waiting", documents),
            ("grammar.sessions_open", sessions),
        )
        if count
    ]
    if waiting:
        if len(waiting) == 2:
            waiting = [Msg("unfinished.both", documents=waiting[0], sessions=waiting[1])]
        raise Refused("month_unfinished", month=month, waiting=waiting[0])


def keep_pdfs(ctx: Context, statement: Statement, *, staff=None) -> bool:
    """Make and store an issued statement's PDF in every language, after the
    issue has committed (rendering takes a while; nobody waits on the lock for
    it). Without Pango, nothing is stored and the PDFs are made identically
    from the stored HTML when asked for. Returns whether they were stored."""
    who = acting(ctx, staff)
    try:
        made = {
            lang: render_pdf(stored(statement, lang, "html"), _made(statement))
            for lang in LANGUAGES
        }
    except BadInput:
        return False
    with ctx.writing():
        for lang, content in made.items():
            if Rendering.get_or_none(statement=statement, lang=lang, format="pdf") is None:
                _keep(ctx, statement, lang, "pdf", content, who)
    return True


def _keep(ctx: Context, statement: Statement, lang: str, kind: str, content, who) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    row = Rendering.create(
        statement=statement,
        lang=lang,
        format=kind,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    audit.record(ctx, row, "create", who)


def reopen(ctx: Context, month: Month, reason: str, *, staff=None) -> MonthEvent:
    """Reopen a closed month, with a written reason; the next issue is a new revision."""
    reason = text.clean(
        reason,
        Msg("field.reason"),
        most=text.REASON,
        required=True,
        empty_key="reopen_reason_required",
    )
    who = acting(ctx, staff)
    with ctx.writing():
        ctx.lock_month(month, exclusive=True)
        if not is_closed(ctx.site, month):
            raise BadInput("month_not_closed", month=month)
        event = MonthEvent.create(
            site=ctx.site,
            month=str(month),
            action="reopen",
            at=to_utc_naive(ctx.now()),
            staff=who,
            reason=reason,
        )
        audit.record(ctx, event, "reopen", who)
    return event


def legacy_data(site: Site, month: Month, latest: Statement) -> StatementData:
    """A statement issued before claims were kept, as its version would give
    it from the records now."""
    today = from_utc_naive(latest.issued_at).date()
    # The settings as schema 3 had them: the point's row.
    books = {site.id: settings.History.single(settings.legacy(site))}
    # Counted as that version counted them, by the first booth rule.
    stats = live_stats(month, [site], today, books, booth_counting=1)
    return StatementData(
        month,
        Party(site.code, site.name, site.city, site.agreement_start),
        stats,
        stats.compensations[0],
        latest.number,
        latest.revision,
        latest.revision - 1 or None,
        today,
        draft=False,
    )


def freeze_closed_months() -> None:
    """For the schema upgrade: give each closed month's latest statement that
    has none its claim and export rows, from the records as they are now."""
    for site in Site.select():
        months = {
            m
            for (m,) in MonthEvent.select(MonthEvent.month).where(MonthEvent.site == site).tuples()
        }
        for name in sorted(months):
            month = Month.parse(name)
            latest = (
                Statement.select()
                .where((Statement.site == site) & (Statement.month == name))
                .order_by(Statement.revision.desc())
                .first()
            )
            if latest is None or latest.figures or not is_closed(site, month):
                continue
            data = legacy_data(site, month, latest)
            claim = data.claim()
            # Before this version a closed month could still change; whether it
            # did shows in whether the records give the text that was issued.
            claim["matches_issued"] = render_text(data, Translator(latest.lang)) == latest.text
            before = audit.snapshot(latest)
            latest.figures = json.dumps(claim, sort_keys=True)
            # The columns of that time: later columns do not exist yet.
            rows = export.live_rows_of(site, month, export.LEGACY_COLUMNS)
            latest.export_rows = json.dumps(rows, sort_keys=True)
            latest.save()
            audit.record_upgrade(latest, before)


# The figures an auditor compares, with their names: those the records give.
# "Overdue now" changes with the date alone, utilisation with Kela's hours
# and the compensation with the settings: they are frozen as issued but not
# compared with the records.
VERIFIED = (
    ("visits", "stats.visits"),
    ("services", "stats.services"),
    *((f"by_category.{code}", f"category.{code}") for code in CODES),
    ("documents.received", "stats.documents_received"),
    ("documents.forwarded", "stats.documents_forwarded"),
    ("documents.on_time", "stats.documents_on_time"),
    ("feedback", "stats.feedback"),
    ("referrals", "stats.referrals"),
    ("booth.sessions", "stats.booth_sessions"),
    ("booth.minutes", "stats.booth_minutes"),
    *((f"booth.outcomes.{outcome}", f"booth.outcome_{outcome}") for outcome in OUTCOMES),
)


def verify(today: date) -> list[tuple[str, dict]]:
    """For each closed month of every point, whether the records still give
    the figures its issued statement froze. Returns the differences, each
    naming the point, month, figure, the issued value and the value now."""
    problems: list[tuple[str, dict]] = []
    for site in Site.select().order_by(Site.code):
        months = {
            month
            for (month,) in MonthEvent.select(MonthEvent.month)
            .where(MonthEvent.site == site)
            .tuples()
        }
        for name in sorted(months):
            month = Month.parse(name)
            if not is_closed(site, month):
                continue
            latest = (
                Statement.select()
                .where((Statement.site == site) & (Statement.month == name))
                .order_by(Statement.revision.desc())
                .first()
            )
            if latest is None or not latest.figures:
                continue
            problems.extend(_differences(site, month, latest, today))
    return problems


def _differences(site: Site, month: Month, statement: Statement, today: date):
    claim = json.loads(statement.figures)
    where = {"site": site.code, "month": month}
    if not claim.get("matches_issued", True):
        return [("check.changed_before_upgrade", where)]
    # The records are counted by the rule the month was issued by: the one a
    # claim names, or the first rule for claims frozen before rules had names.
    counting = claim.get("booth_counting", 1)
    now = live_stats(month, [site], today, booth_counting=counting).own_figures()
    found = [
        ("check.frozen_differs", {**where, "figure": Msg(label), "issued": issued, "now": current})
        for path, label in VERIFIED
        if (issued := _pick(claim["figures"], path)) != (current := _pick(now, path))
    ]
    # Compared as the export gives them: rows frozen before a column was added
    # had its value for every service then.
    rows = export.live_rows_of(site, month)
    if statement.export_rows is not None and rows != export.frozen(statement.export_rows):
        found.append(("check.frozen_rows_differ", where))
    return found


def _pick(figures: dict, path: str):
    value = figures
    for part in path.split("."):
        value = value[part]
    return value


def _one_outcome_row(figures: list) -> list:
    rows, outcomes = [], []
    for label, value, indented in figures:
        if indented:
            outcomes.append(f"{label} {value}")
            continue
        if outcomes:
            heading, _, _ = rows.pop()
            rows.append((f"{heading}: {' · '.join(outcomes)}", "", True))
            outcomes = []
        rows.append((label, value, False))
    return rows


def _values(data: StatementData, t: Translator) -> dict:
    stats, comp = data.stats, data.compensation
    if comp.prorated:
        computation = t(
            "statement.prorated",
            days=comp.days_in_force,
            month_days=comp.days_in_month,
            monthly=t.money(comp.monthly),
            amount=t.money(comp.amount),
        )
    else:
        computation = t("statement.whole_month", monthly=t.money(comp.monthly))
    categories = [(t(f"category.{code}"), t.number(n)) for code, n in stats.by_category.items()]
    booth_value = t(
        "statement.booth_value",
        count=stats.booth["sessions"],
        minutes=t.number(stats.booth["minutes"]),
    )
    if stats.booth_counting == 1:
        # As statements issued by the first rule said it, word for word.
        booth = [(t("statement.booth"), booth_value, False)]
    else:
        booth = [
            (t("booth_outcomes.statement_completed"), booth_value, False),
            (t("booth_outcomes.statement_outcomes"), "", False),
            *(
                (t(f"booth.outcome_{outcome}"), t.number(n), True)
                for outcome, n in stats.booth["outcomes"].items()
            ),
        ]
    figures = [
        (t("statement.visits"), t.number(stats.visits), False),
        (t("statement.services"), t.number(stats.services), False),
        *booth,
        (t("statement.documents_received"), t.number(stats.documents["received"]), False),
        (t("statement.documents_on_time"), t.number(stats.documents["on_time"]), False),
        (t("statement.feedback"), t.number(stats.feedback), False),
        (t("statement.referrals"), t.number(stats.referrals), False),
    ]
    return {
        **_parties(data.party.parties, t),
        "t": t,
        "site": data.party,
        "data": data,
        "period": f"{t.date(data.month.first)}–{t.date(data.month.last)}",
        "start": t.date(data.party.agreement_start),
        "amount": t.money(comp.amount),
        "computation": computation,
        "categories": categories,
        "figures": figures,
        # On the printed page the outcomes share one row, so that a month
        # stays one A4 page.
        "page_figures": _one_outcome_row(figures),
        "dated": t.date(data.dated, "long"),
        "revision_line": t("statement.revision", revision=data.revision)
        + (f" {t('statement.corrects', revision=data.corrects)}" if data.corrects else ""),
    }


def _parties(parties: Parties, t: Translator) -> dict:
    """The parties' lines as the statement prints them; "" for what is not set."""
    agreement = [parties.agreement_reference]
    if parties.agreement_date:
        agreement.append(t.date(parties.agreement_date))
    agreement = [part for part in agreement if part]
    ids = {
        name: t("parties.business_id", id=value) if value else ""
        for name, value in (
            ("city_id", parties.city_business_id),
            ("kela_id", parties.kela_business_id),
        )
    }
    return {
        **ids,
        "agreement": t("parties.agreement_value", reference=agreement[0], date=agreement[1])
        if len(agreement) == 2
        else "".join(agreement),
        "contact": ", ".join(
            part
            for part in (parties.contact_name, parties.contact_phone, parties.contact_email)
            if part
        ),
        "account": parties.bank_account,
        "reference": parties.payment_reference,
        # On the printed page the account and the reference share one row.
        "payment": " · ".join(
            f"{t(label)} {value}"
            for label, value in (
                ("parties.bank_account", parties.bank_account),
                ("parties.payment_reference", parties.payment_reference),
            )
            if value
        ),
    }
