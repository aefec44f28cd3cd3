"""The export as a spreadsheet (XLSX) that opens anywhere: a summary sheet
with the statement's figures and a services sheet with one row per counted
service, labels and headers in the chosen language, dates as date cells and
numbers as numbers.

openpyxl is imported only when a spreadsheet is made, so that the program
starts as fast as before. The workbook is written in write-only mode: a
point's year (some 40,000 rows) is streamed, not held as cells."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sized
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING

from kela_tui.catalogue import CODES, EXCLUDED_DOCUMENTS, FEEDBACK_KINDS, OUTCOMES
from kela_tui.i18n import Translator
from kela_tui.months import Month

if TYPE_CHECKING:
    from kela_tui.context import Context
    from kela_tui.periods import Period

# Told now and then while the services are written: (rows written, rows in all).
Progress = Callable[[int, int | None], None]

# Where a service was recorded; an origin without a label is shown as its code.
ORIGINS = ("counter", "cli", "booth")
# Characters no worksheet may hold (openpyxl refuses them): shown as their
# symbols from Unicode's Control Pictures block instead, as on the screens.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A text beginning with one of these is a formula to a spreadsheet program.
_FORMULA_START = ("=", "+", "-", "@")
# Worksheet cells hold at most this many characters.
_CELL_MAX = 32767
# Dates and euros as each language writes them; the program shows the
# separators of its own locale for `#,##0.00`.
DATE_FORMATS = {"fi": "d.m.yyyy", "sv": "d.m.yyyy", "en": "dd/mm/yyyy"}
TIME_FORMAT = "h:mm"
EURO_FORMATS = {"fi": '#,##0.00\\ "€"', "sv": '#,##0.00\\ "€"', "en": '"€"#,##0.00'}
# The services sheet: (export column, header key, width in characters).
SERVICE_COLUMNS = (
    ("service", "col_service", 10),
    ("site", "col_site", 14),
    ("date", "col_date", 11),
    ("time", "col_time", 8),
    ("weekday", "col_weekday", 10),
    ("category", "col_category", 11),
    ("category_label", "col_category_label", 32),
    ("visit", "col_visit", 10),
    ("staff", "col_staff", 14),
    ("duration_minutes", "col_duration", 10),
    ("outside_hours", "col_outside_hours", 12),
    ("origin", "col_origin", 10),
    ("origin_label", "col_origin_label", 18),
    ("correction", "col_correction", 10),
    ("entered_later", "col_entered_later", 12),
)


def file_name(ctx: Context, period: Month | Period) -> str:
    """The export's file name without its suffix, the statement's number
    first: KANNUS-2026-09-palvelut (the CSV's and the spreadsheet's); a
    year's KANNUS-2026-palvelut, a range's KANNUS-2026-09-01_2026-11-30-palvelut."""
    from kela_tui import statement
    from kela_tui.periods import MONTH, YEAR

    if isinstance(period, Month):
        return f"{statement.number(ctx, period)}-palvelut"
    if period.kind == MONTH:
        return file_name(ctx, period.month)
    if period.kind == YEAR:
        return f"{ctx.site.code}-{period.year}-palvelut"
    return f"{ctx.site.code}-{period.first.isoformat()}_{period.last.isoformat()}-palvelut"


def month_workbook(
    ctx: Context, month: Month, rows: list[dict], t: Translator, progress: Progress | None = None
) -> bytes:
    """The month's export rows (`export.rows`) as a spreadsheet, with the
    month's figures as `stats` gives them in the summary."""
    from kela_tui import statement, statistics

    stats = statistics.month_stats(month, [ctx.site], ctx.today())
    # The point as the month's settings name it, as on the statement.
    names = {ctx.site.code: statement.Party.of(ctx.site, month).name}
    return workbook(rows, stats.to_json(), t.month(month.first), t, names, progress)


def period_workbook(
    ctx: Context,
    period: Month | Period,
    rows: list[dict],
    t: Translator,
    progress: Progress | None = None,
) -> bytes:
    """The export of a month, a year or a range of days as a spreadsheet. A
    year's summary has the year's figures as `stats YEAR` gives them; a
    range's only what its rows show (visits and services by kind): the
    documents, the booth and the compensation are a month's or a year's."""
    from kela_tui import statistics
    from kela_tui.periods import MONTH, YEAR

    if isinstance(period, Month):
        return month_workbook(ctx, period, rows, t, progress)
    if period.kind == MONTH:
        return month_workbook(ctx, period.month, rows, t, progress)
    names = {ctx.site.code: ctx.settings.on(min(period.last, ctx.today())).name}
    if period.kind == YEAR:
        figures = statistics.year_stats(period.year, [ctx.site], ctx.today()).to_json()
        return workbook(rows, figures, str(period.year), t, names, progress)
    by_category = dict.fromkeys(CODES, 0)
    for row in rows:
        by_category[row["category"]] = by_category.get(row["category"], 0) + 1
    figures = {
        "sites": [ctx.site.code],
        "visits": len({row["visit"] for row in rows}),
        "services": len(rows),
        "by_category": by_category,
    }
    label = f"{t.date(period.first)}–{t.date(period.last)}"
    return workbook(rows, figures, label, t, names, progress)


def safe_text(value: object) -> str:
    """Text for a cell: characters a worksheet may not hold shown as their
    symbols (a NUL as ␀), and cut to the length a cell holds."""
    text = str(value)
    text = _ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group())), text)
    return text[:_CELL_MAX]


def workbook(
    rows: Iterable[dict],
    figures: dict,
    period: str,
    t: Translator,
    site_names: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The XLSX file: `rows` as `export.rows` gives them, `figures` shaped as
    `MonthStats.to_json()` (a month's, a year's or a range's), `period` the
    period's label as the summary shows it ("syyskuu 2026"), and the points'
    names by code when they are known."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _summary(book.create_sheet(t("xlsx.summary_sheet")), figures, period, t, site_names or {})
    _services(book.create_sheet(t("xlsx.services_sheet")), rows, t, progress)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet, value: object, **style):
    """A cell that holds `value` as text, whatever it begins with: never a
    formula, an error code or a number."""
    from openpyxl.cell import WriteOnlyCell

    text = safe_text(value)
    cell = WriteOnlyCell(sheet)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        # Kept as text also when the cell is edited in the program.
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _styled(sheet, value: object, **style):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _is_plain(text: str) -> bool:
    """Whether a text can be given to the sheet as it is: nothing that could
    make it a formula, an error code or a refused character."""
    return (
        not text.startswith(_FORMULA_START)
        and not text.startswith("#")
        and not _ILLEGAL.search(text)
        and len(text) <= _CELL_MAX
    )


def _summary(sheet, figures: dict, period: str, t: Translator, names: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 46
    sheet.column_dimensions["B"].width = 40
    bold = Font(bold=True)
    indent = Alignment(indent=1)

    def line(label: str, value: object = None, *, sub: bool = False, head: bool = False, fmt=None):
        style = {"alignment": indent} if sub else {"font": bold} if head else {}
        cells = [_text(sheet, label, **style)]
        if isinstance(value, str):
            cells.append(_text(sheet, value, alignment=Alignment(horizontal="left")))
        elif value is not None:
            cells.append(_styled(sheet, value, number_format=fmt) if fmt else value)
        sheet.append(cells)

    points = ", ".join(
        f"{names[code]} ({code})" if names.get(code) else code for code in figures["sites"]
    )
    line(t("xlsx.title"), head=True)
    line(t("statement.period"), period)
    line(t("xlsx.sites" if len(figures["sites"]) > 1 else "stats.site"), points)
    sheet.append([])
    line(t("stats.visits"), figures["visits"])
    line(t("stats.services"), figures["services"])
    line(t("statement.by_category"), head=True)
    for code in _keys(CODES, figures["by_category"]):
        line(t(f"category.{code}"), figures["by_category"].get(code, 0), sub=True)
    if "documents" not in figures:
        # A range of days: only what its rows show.
        sheet.append([])
        line(t("xlsx.range_only_services"))
        return
    sheet.append([])
    line(t("xlsx.documents"), head=True)
    for key in ("received", "forwarded", "on_time", "overdue"):
        line(t(f"stats.documents_{key}"), figures["documents"].get(key, 0), sub=True)
    sheet.append([])
    line(t("stats.feedback"), figures["feedback"], head=True)
    by_kind = figures.get("feedback_by_kind", {})
    for kind in _keys(FEEDBACK_KINDS, by_kind):
        line(t(f"feedback.kind_{kind}"), by_kind.get(kind, 0), sub=True)
    line(t("stats.referrals"), figures["referrals"], head=True)
    by_kind = figures.get("referrals_by_kind", {})
    for kind in _keys(EXCLUDED_DOCUMENTS, by_kind):
        line(t(f"document.{kind}"), by_kind.get(kind, 0), sub=True)
    sheet.append([])
    booth = figures["booth"]
    line(t("stats.booth_sessions"), booth.get("sessions", 0))
    line(t("stats.booth_minutes"), booth.get("minutes", 0))
    outcomes = booth.get("outcomes")
    if outcomes:
        line(t("booth_outcomes.stats_outcomes"), head=True)
        for outcome in _keys(OUTCOMES, outcomes):
            line(t(f"booth.outcome_{outcome}"), outcomes.get(outcome, 0), sub=True)
    sheet.append([])
    line(
        t("stats.compensation"),
        Decimal(str(figures["compensation"])),
        head=True,
        fmt=EURO_FORMATS[t.lang],
    )


def _keys(known: tuple[str, ...], given: dict) -> list[str]:
    """The catalogue's keys in its order, then any others the figures have."""
    return [*known, *(key for key in given if key not in known)]


def _services(sheet, rows: Iterable[dict], t: Translator, progress: Progress | None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for number, (_, _, width) in enumerate(SERVICE_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_text(sheet, t(f"xlsx.{key}"), font=bold) for _, key, _ in SERVICE_COLUMNS])
    categories = {code: t(f"category.{code}") for code in CODES}
    origins = {code: t(f"xlsx.origin_{code}") for code in ORIGINS}
    date_format = DATE_FORMATS[t.lang]
    total = len(rows) if isinstance(rows, Sized) else None
    count = 0
    for row in rows:
        count += 1
        values = dict(row)
        category = str(row["category"])
        origin = str(row["origin"])
        values["category_label"] = categories.get(category, category)
        values["origin_label"] = origins.get(origin, origin)
        day = WriteOnlyCell(sheet, value=_day(row["date"]))
        day.number_format = date_format
        at = WriteOnlyCell(sheet, value=_clock(row["time"]))
        at.number_format = TIME_FORMAT
        values["date"], values["time"] = day, at
        sheet.append([_cell(sheet, values[column]) for column, _, _ in SERVICE_COLUMNS])
        if progress is not None and not count % 1000:
            progress(count, total)
    last = get_column_letter(len(SERVICE_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"


def _cell(sheet, value: object):
    """A value of the services sheet: numbers as numbers, an empty value as
    an empty cell, text as text (never a formula)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return value if _is_plain(value) else _text(sheet, value)
    return value


def _day(value: object) -> date | str:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _clock(value: object) -> time | str:
    return value if isinstance(value, time) else time.fromisoformat(str(value))
