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
import textwrap
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
# The services sheet: (export column, header key, width of its values in
# characters, None for a label whose width is the longest translation).
SERVICE_COLUMNS = (
    ("service", "col_service", 7),
    ("site", "col_site", 8),
    ("date", "col_date", 10),
    ("time", "col_time", 5),
    ("weekday", "col_weekday", 3),
    ("category", "col_category", 8),
    ("category_label", "col_category_label", None),
    ("visit", "col_visit", 7),
    ("staff", "col_staff", 14),
    ("duration_minutes", "col_duration", 4),
    ("outside_hours", "col_outside_hours", 1),
    ("origin", "col_origin", 7),
    ("origin_label", "col_origin_label", None),
    ("correction", "col_correction", 1),
    ("entered_later", "col_entered_later", 1),
)
# A header is wrapped on at most this many lines; a column is as wide as the
# wider of its wrapped header and its values.
HEADER_LINES = 3
# The height of a line of text in points (Calibri 11, both programs).
LINE_HEIGHT = 15
# Text columns whose widths follow their longest value, up to this width.
MEASURED = {"site": 30, "staff": 30}
# A4 in the programs' paper-size codes.
A4 = "9"


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

    bold = Font(bold=True)
    indent = Alignment(indent=1)
    wrap = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    # The lines as (label, its width, value's text or None), written once
    # the columns' widths are known: a write-only sheet sets them first.
    lines: list[tuple[list, float, str | None, str | None]] = []

    def line(label: str, value: object = None, *, sub: bool = False, head: bool = False, fmt=None):
        style = {"alignment": indent} if sub else {"font": bold} if head else {}
        if isinstance(value, str):
            style["alignment"] = top
        cells = [_text(sheet, label, **style)]
        if isinstance(value, str):
            cells.append(_text(sheet, value, alignment=wrap))
        elif value is not None:
            cells.append(_styled(sheet, value, number_format=fmt) if fmt else value)
        width = _text_width(label, bold=head) + (2 if sub else 0)
        lines.append((cells, width, value if isinstance(value, str) else None, None))

    def note(text: str) -> None:
        # Wrapped within both columns, which it does not widen.
        lines.append(([_text(sheet, text, alignment=wrap)], 0, None, text))

    def gap() -> None:
        lines.append(([], 0, None, None))

    points = ", ".join(
        f"{names[code]} ({code})" if names.get(code) else code for code in figures["sites"]
    )
    line(t("statement.period"), period)
    line(t("xlsx.sites" if len(figures["sites"]) > 1 else "stats.site"), points)
    gap()
    line(t("stats.visits"), figures["visits"])
    line(t("stats.services"), figures["services"])
    line(t("statement.by_category"), head=True)
    for code in _keys(CODES, figures["by_category"]):
        line(t(f"category.{code}"), figures["by_category"].get(code, 0), sub=True)
    if "documents" not in figures:
        # A range of days: only what its rows show.
        gap()
        note(t("xlsx.range_only_services"))
    else:
        _summary_rest(figures, t, line, gap)
    # The labels' column as wide as the longest label (the title and the
    # range's note run over), the values' column as a number or the
    # period's label; a long point's name wraps within it.
    label_width = min(60, max(width for _, width, _, _ in lines))
    texts = [_text_width(text) for _, _, text, _ in lines if text is not None]
    value_width = max(14, min(32, max(texts)))
    sheet.column_dimensions["A"].width = label_width
    sheet.column_dimensions["B"].width = value_width
    _print_setup(sheet, landscape=False)
    sheet.append([_text(sheet, t("xlsx.title"), font=bold)])
    for number, (cells, _, text, long_note) in enumerate(lines, 2):
        if text is not None or long_note is not None:
            width = int(value_width if long_note is None else label_width) - 2
            count = len(textwrap.wrap(text or long_note, width))
            if count > 1:
                sheet.row_dimensions[number].height = count * LINE_HEIGHT
        sheet.append(cells)


def _summary_rest(figures: dict, t: Translator, line, gap) -> None:
    """A month's or a year's documents, feedback, referrals, booth and
    compensation."""
    gap()
    line(t("xlsx.documents"), head=True)
    for key in ("received", "forwarded", "on_time", "overdue"):
        line(t(f"stats.documents_{key}"), figures["documents"].get(key, 0), sub=True)
    gap()
    line(t("stats.feedback"), figures["feedback"], head=True)
    by_kind = figures.get("feedback_by_kind", {})
    for kind in _keys(FEEDBACK_KINDS, by_kind):
        line(t(f"feedback.kind_{kind}"), by_kind.get(kind, 0), sub=True)
    line(t("stats.referrals"), figures["referrals"], head=True)
    by_kind = figures.get("referrals_by_kind", {})
    for kind in _keys(EXCLUDED_DOCUMENTS, by_kind):
        line(t(f"document.{kind}"), by_kind.get(kind, 0), sub=True)
    gap()
    booth = figures["booth"]
    line(t("stats.booth_sessions"), booth.get("sessions", 0))
    line(t("stats.booth_minutes"), booth.get("minutes", 0))
    outcomes = booth.get("outcomes")
    if outcomes:
        line(t("booth_outcomes.stats_outcomes"), head=True)
        for outcome in _keys(OUTCOMES, outcomes):
            line(t(f"booth.outcome_{outcome}"), outcomes.get(outcome, 0), sub=True)
    gap()
    line(
        t("stats.compensation"),
        Decimal(str(figures["compensation"])),
        head=True,
        fmt=EURO_FORMATS[t.lang],
    )


def _text_width(text: str, *, bold: bool = False) -> float:
    """About how many character widths `text` takes in a cell, with a
    margin; bold letters are wider."""
    return len(text) * (1.1 if bold else 1.0) + 2


def _header_width(header: str) -> tuple[float, int]:
    """The narrowest width that wraps `header` on at most HEADER_LINES
    lines (never within a word), and the lines it then takes."""
    words = header.split()
    width = max(len(word) for word in words)
    while len(textwrap.wrap(header, width)) > HEADER_LINES:
        width += 1
    return _text_width("x" * width, bold=True), len(textwrap.wrap(header, width))


def _print_setup(sheet, *, landscape: bool) -> None:
    """A4, one page wide, as many pages long as it takes."""
    sheet.page_setup.paperSize = A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _keys(known: tuple[str, ...], given: dict) -> list[str]:
    """The catalogue's keys in its order, then any others the figures have."""
    return [*known, *(key for key in given if key not in known)]


def _services(sheet, rows: Iterable[dict], t: Translator, progress: Progress | None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    categories = {code: t(f"category.{code}") for code in CODES}
    origins = {code: t(f"xlsx.origin_{code}") for code in ORIGINS}
    labels = {"category_label": categories.values(), "origin_label": origins.values()}
    headers = [t(f"xlsx.{key}") for _, key, _ in SERVICE_COLUMNS]
    lines = 1
    columns = zip(SERVICE_COLUMNS, headers, strict=True)
    for number, ((column, _, width), header) in enumerate(columns, 1):
        if width is None:
            width = max(len(label) for label in labels[column])
        elif column in MEASURED and isinstance(rows, list) and rows:
            width = min(MEASURED[column], max(width, *(len(str(r[column])) for r in rows)))
        header_width, header_lines = _header_width(header)
        lines = max(lines, header_lines)
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = max(_text_width("x" * width), header_width)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, landscape=True)
    sheet.row_dimensions[1].height = lines * LINE_HEIGHT
    head = {"font": Font(bold=True), "alignment": Alignment(vertical="top", wrap_text=True)}
    sheet.append([_text(sheet, header, **head) for header in headers])
    date_format = DATE_FORMATS[t.lang]
    total = len(rows) if isinstance(rows, Sized) else None
    # The row's values in the columns' order, labels beside their codes.
    keys = [column for column, _, _ in SERVICE_COLUMNS]
    category, category_label = keys.index("category"), keys.index("category_label")
    origin, origin_label = keys.index("origin"), keys.index("origin_label")
    on_day, at_time = keys.index("date"), keys.index("time")
    # One date cell and one time cell, styled once, hold each row's values
    # in turn: a write-only sheet writes a row's cells as it is appended.
    # A cell and a style per row made a year's sheet slower by a tenth.
    day = WriteOnlyCell(sheet)
    day.number_format = date_format
    at = WriteOnlyCell(sheet)
    at.number_format = TIME_FORMAT
    # The few texts and dates a sheet repeats, checked and read once.
    days: dict = {}
    times: dict = {}
    plain: dict[str, bool] = {}

    def cell(value: object):
        if isinstance(value, str) and value:
            known = plain.get(value)
            if known is None:
                known = plain[value] = _is_plain(value)
            return value if known else _text(sheet, value)
        return _cell(sheet, value)

    count = 0
    for row in rows:
        count += 1
        values = [row.get(key) for key in keys]
        values[category_label] = categories.get(values[category], values[category])
        values[origin_label] = origins.get(values[origin], values[origin])
        when, clock = values[on_day], values[at_time]
        day.value = days[when] if when in days else days.setdefault(when, _day(when))
        at.value = times[clock] if clock in times else times.setdefault(clock, _clock(clock))
        values[on_day], values[at_time] = day, at
        sheet.append([cell(value) for value in values])
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
