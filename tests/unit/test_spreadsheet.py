"""The export as a spreadsheet (XLSX): read back with openpyxl, its totals
equal `stats`; labels in each language; text never becomes a formula; and
the CSV keeps its contract."""

import csv
import io
import json
from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kela_tui import demo, export, services, settings, spreadsheet, statement, statistics
from kela_tui.cli import main
from kela_tui.i18n import Translator
from kela_tui.models import Statement
from kela_tui.months import Month

SEPTEMBER = Month(2026, 9)
SHEETS = {
    "fi": ("Yhteenveto", "Palvelut"),
    "sv": ("Sammandrag", "Tjänster"),
    "en": ("Summary", "Services"),
}


@pytest.fixture
def filled(ctx, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(ctx, months=2, seed=5)
    return ctx


@pytest.fixture
def few(ctx, clock):
    """Three services in September, seen from October."""
    clock.set(datetime(2026, 10, 6, 10, 0))
    for day, code in ((10, "advice"), (11, "online"), (14, "advice")):
        services.log_service(ctx, code, at=datetime(2026, 9, day, 10, 5))
    return ctx


@pytest.fixture
def kela(db_url, clock, tmp_path):
    """The command line on the test's database."""

    def run(*argv: str) -> int:
        return main(["--config", str(tmp_path / "c.toml"), "--db", db_url, *argv], clock=clock)

    return run


def summary(sheet) -> dict:
    """The summary's values by their labels."""
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def read(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_spreadsheet_equals_stats(filled, kela, tmp_path, capsys):
    target = tmp_path / "s.xlsx"
    assert kela("--lang", "en", "export", "2026-09", "--format", "xlsx",
                "-o", str(target)) == 0  # fmt: skip
    assert f"wrote {target}" in capsys.readouterr().err
    assert kela("stats", "2026-09", "--format", "json") == 0
    stats = json.loads(capsys.readouterr().out)
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Services"]
    figures = summary(book["Summary"])
    t = Translator("en")
    assert figures[t("stats.services")] == stats["services"]
    assert figures[t("stats.visits")] == stats["visits"]
    assert Decimal(str(figures[t("stats.compensation")])) == Decimal(stats["compensation"])
    for key, n in stats["documents"].items():
        assert figures[t(f"stats.documents_{key}")] == n
    assert figures[t("stats.feedback")] == stats["feedback"]
    assert figures[t("stats.referrals")] == stats["referrals"]
    assert figures[t("stats.booth_sessions")] == stats["booth"]["sessions"]
    assert figures[t("stats.booth_minutes")] == stats["booth"]["minutes"]
    for code, n in stats["by_category"].items():
        assert figures[t(f"category.{code}")] == n

    sheet = book["Services"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{stats['services'] + 1}"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == stats["services"]
    assert Counter(r[5] for r in rows) == {k: n for k, n in stats["by_category"].items() if n}
    assert len({r[7] for r in rows}) == stats["visits"]
    first = sheet["C2"], sheet["D2"]
    assert first[0].is_date and first[0].number_format == "dd/mm/yyyy"
    assert isinstance(first[0].value, datetime) and first[0].value.month == 9
    assert first[1].is_date and isinstance(first[1].value, time)
    assert all(isinstance(r[0], int) and isinstance(r[4], int) for r in rows)
    assert {r[10] for r in rows} <= {0, 1} and {r[13] for r in rows} <= {0, 1}
    # The same services as the CSV, in the same order.
    assert [r[0] for r in rows] == [r["service"] for r in export.rows(filled, SEPTEMBER)]
    compensation = book["Summary"].cell(row=book["Summary"].max_row, column=2)
    assert compensation.data_type == "n" and "€" in compensation.number_format


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_labels_in_each_language(few, lang):
    rows = export.rows(few, SEPTEMBER)
    t = Translator(lang)
    book = read(spreadsheet.month_workbook(few, SEPTEMBER, rows, t))
    summary_sheet, services_sheet = SHEETS[lang]
    assert book.sheetnames == [summary_sheet, services_sheet]
    figures = summary(book[summary_sheet])
    assert figures[t("stats.services")] == len(rows)
    assert figures[t("statement.period")] == t.month(SEPTEMBER.first)
    assert figures[t("stats.site")] == "Kannuksen kaupungin yhteispalvelupiste (KANNUS)"
    for code in ("advice", "document", "other"):
        assert figures[t(f"category.{code}")] == sum(r["category"] == code for r in rows)
    header = [c.value for c in book[services_sheet][1]]
    assert header == [t(f"xlsx.{key}") for _, key, _ in spreadsheet.SERVICE_COLUMNS]
    assert len(set(header)) == len(header)
    labels = {(r[5], r[6]) for r in book[services_sheet].iter_rows(min_row=2, values_only=True)}
    assert ("advice", t("category.advice")) in labels
    origins = {(r[11], r[12]) for r in book[services_sheet].iter_rows(min_row=2, values_only=True)}
    assert ("counter", t("xlsx.origin_counter")) in origins
    assert book[services_sheet]["C2"].number_format == spreadsheet.DATE_FORMATS[lang]


def test_without_a_file_the_spreadsheet_is_named_after_the_statement(
    few, kela, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert kela("export", "2026-09", "--format", "xlsx") == 0
    out, err = capsys.readouterr()
    assert out == "" and "KANNUS-2026-09-palvelut.xlsx" in err
    book = load_workbook(tmp_path / "KANNUS-2026-09-palvelut.xlsx")
    assert book.worksheets[1].max_row == 4


def test_a_month_not_begun_writes_no_spreadsheet(ctx, kela, clock, tmp_path, monkeypatch, capsys):
    clock.set(datetime(2026, 10, 6, 10, 0))
    monkeypatch.chdir(tmp_path)
    assert kela("--lang", "en", "export", "2026-11", "--format", "xlsx") == 3
    assert "has not begun" in capsys.readouterr().err
    assert list(tmp_path.glob("*.xlsx")) == []


HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "#N/A",
    "[/]",
    "a\x00b\x1b]2;x\x07c\x7f",
    "131052-308T",
]


def test_hostile_text_is_written_as_text(tmp_path):
    rows = [
        {
            **dict.fromkeys(export.COLUMNS, 0),
            "service": n,
            "date": "2026-09-01",
            "time": "10:00",
            "duration_minutes": "",
            "site": value,
            "staff": value,
            "category": value,
            "origin": value,
        }
        for n, value in enumerate([*HOSTILE, "x" * 1_000_000], 1)
    ]
    figures = statistics.MonthStats(SEPTEMBER, HOSTILE, "all").to_json()
    content = spreadsheet.workbook(rows, figures, "=1+1", Translator("en"), {"=1+1": "@x"})
    book = read(content)
    sheet = book["Services"]
    for row in sheet.iter_rows(min_row=2, max_row=len(HOSTILE) + 1):
        site, staff = row[1], row[8]
        for cell in (site, staff, row[5], row[6], row[11], row[12]):
            assert cell.data_type == "s"
        assert site.value == staff.value
    written = [r[1].value for r in sheet.iter_rows(min_row=2, max_row=len(HOSTILE) + 1)]
    assert written[:7] == HOSTILE[:7]
    # Characters no worksheet may hold, shown as their symbols.
    assert written[7] == "a\u2400b\u241b]2;x\u2407c\x7f"
    assert written[8] == "131052-308T"
    assert len(sheet.cell(row=len(HOSTILE) + 2, column=2).value) == 32767
    assert sheet["B2"].quotePrefix and not sheet["B8"].quotePrefix
    points = summary(book["Summary"])
    assert points["Period"] == "=1+1"
    assert points["Points"].startswith("@x (=1+1), =HYPERLINK(")
    assert all(cell.data_type != "f" for ws in book for row in ws.iter_rows() for cell in row)


def test_a_hostile_point_name_is_text_in_the_summary(few):
    settings.change(few, {"site.name": "=1+1"}, date(2026, 8, 15))
    rows = export.rows(few, SEPTEMBER)
    book = read(spreadsheet.month_workbook(few, SEPTEMBER, rows, Translator("en")))
    cell = book["Summary"]["B3"]
    assert cell.value == "=1+1 (KANNUS)" and cell.data_type == "s"


def test_a_closed_month_exports_its_frozen_rows_as_the_csv_does(few):
    statement.issue(few, SEPTEMBER, Translator("en"))
    issued = Statement.get(Statement.month == str(SEPTEMBER))
    frozen = json.loads(issued.export_rows)
    # What the statement froze is what both formats export, not the records.
    frozen[0]["staff"] = "frozen.staff"
    Statement.update(export_rows=json.dumps(frozen)).where(Statement.id == issued.id).execute()
    rows = export.rows(few, SEPTEMBER)
    assert rows[0]["staff"] == "frozen.staff"
    book = read(spreadsheet.month_workbook(few, SEPTEMBER, rows, Translator("en")))
    sheet = book["Services"]
    assert sheet["I2"].value == "frozen.staff"
    assert sheet.max_row == len(frozen) + 1
    assert "frozen.staff" in export.to_csv(rows)
    assert summary(book["Summary"])["Services"] == len(frozen)


def test_the_csv_keeps_its_contract(ctx, kela, clock, tmp_path):
    clock.set(datetime(2026, 10, 6, 10, 0))
    logged = services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 5), note="x")
    target = tmp_path / "s.csv"
    assert kela("export", "2026-09", "-o", str(target)) == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        "service;site;date;time;weekday;category;visit;staff;duration_minutes;"
        "outside_hours;origin;correction;entered_later"
    )
    assert lines[1] == (
        f"{logged.id};KANNUS;2026-09-10;10:05;4;advice;{logged.visit_id};virastomestari;;0;"
        "counter;0;0"
    )
    assert lines[2:] == [""]
    assert list(csv.reader(io.StringIO(lines[0]), delimiter=";"))[0] == list(export.COLUMNS)


def test_a_years_spreadsheet_equals_stats_of_the_year(filled, kela, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert kela("--lang", "en", "export", "2026", "--format", "xlsx") == 0
    assert kela("stats", "2026", "--format", "json") == 0
    stats = json.loads(capsys.readouterr().out)
    book = load_workbook(tmp_path / "KANNUS-2026-palvelut.xlsx")
    figures = summary(book["Summary"])
    t = Translator("en")
    assert figures[t("statement.period")] == "2026"
    assert figures[t("stats.services")] == stats["services"] > 0
    assert Decimal(str(figures[t("stats.compensation")])) == Decimal(stats["compensation"])
    rows = list(book["Services"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == stats["services"]
    assert {row[2].month for row in rows} == {8, 9}


def test_a_range_spreadsheet_has_its_days_and_only_what_they_show(
    filled, kela, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert kela("--lang", "en", "export", "2026-09-10..2026-10-05", "--format", "xlsx") == 0
    book = load_workbook(tmp_path / "KANNUS-2026-09-10_2026-10-05-palvelut.xlsx")
    rows = list(book["Services"].iter_rows(min_row=2, values_only=True))
    days = {row[2].date() for row in rows}
    assert min(days) >= date(2026, 9, 10) and max(days) <= date(2026, 10, 5)
    assert kela("export", "2026-09-10..2026-10-05", "--format", "json") == 0
    assert len(rows) == len(json.loads(capsys.readouterr().out))
    t = Translator("en")
    figures = summary(book["Summary"])
    assert figures[t("stats.services")] == len(rows)
    assert sum(figures[t(f"category.{code}")] for code in Counter(r[5] for r in rows)) == len(rows)
    # No documents, booth or compensation made up for a range of days.
    assert t("stats.compensation") not in figures
    assert t("xlsx.range_only_services") in figures


def test_a_big_spreadsheet_tells_its_progress():
    told = []
    rows = [
        {**dict.fromkeys(export.COLUMNS, 0), "date": "2026-09-01", "time": "09:00",
         "category": "advice", "origin": "counter", "site": "KANNUS", "staff": "vm"}
        for _ in range(2500)
    ]  # fmt: skip
    figures = {"sites": ["KANNUS"], "visits": 1, "services": 2500, "by_category": {}}
    spreadsheet.workbook(rows, figures, "x", Translator("fi"), progress=lambda *a: told.append(a))
    assert told == [(1000, 2500), (2000, 2500)]


def test_swedish_origins_are_indefinite_as_the_service_kinds():
    t = Translator("sv")
    assert [t(f"xlsx.origin_{code}") for code in spreadsheet.ORIGINS] == [
        "Kundbetjäning",
        "Kommandorad",
        "Distansservicepunkt",
    ]


def test_without_format_the_file_suffix_decides(few, kela, tmp_path, capsys):
    guess = tmp_path / "guess.xlsx"
    assert kela("export", "2026-09", "-o", str(guess)) == 0
    assert load_workbook(guess).worksheets[1].max_row == 4
    as_json = tmp_path / "s.JSON"
    assert kela("export", "2026-09", "-o", str(as_json)) == 0
    assert len(json.loads(as_json.read_text())) == 3
    # Another suffix is CSV, as always.
    other = tmp_path / "s.txt"
    assert kela("export", "2026-09", "-o", str(other)) == 0
    assert other.read_bytes().startswith(b"\xef\xbb\xbfservice;site;")


@pytest.mark.parametrize(
    ("fmt", "name"), [("xlsx", "a.csv"), ("csv", "a.xlsx"), ("json", "a.csv"), ("csv", "a.json")]
)
def test_a_format_the_suffix_contradicts_is_refused(few, kela, tmp_path, capsys, fmt, name):
    target = tmp_path / name
    assert kela("--lang", "en", "export", "2026-09", "--format", fmt, "-o", str(target)) == 2
    err = capsys.readouterr().err
    assert "does not fit the format" in err and name in err
    assert not target.exists()


def test_a_format_that_fits_the_suffix_is_written(few, kela, tmp_path):
    target = tmp_path / "a.XLSX"
    assert kela("export", "2026-09", "--format", "xlsx", "-o", str(target)) == 0
    assert load_workbook(target).worksheets[1].max_row == 4


def test_dash_is_standard_output_for_text(few, kela, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert kela("export", "2026-09", "--format", "json", "-o", "-") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert kela("export", "2026-09", "-o", "-") == 0
    assert capsys.readouterr().out.startswith("\ufeffservice;site;")
    assert not (tmp_path / "-").exists()


def test_a_spreadsheet_goes_to_standard_output_only_when_it_is_not_a_terminal(
    few, kela, tmp_path, capsysbinary, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert kela("--lang", "en", "export", "2026-09", "--format", "xlsx", "-o", "-") == 2
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"not written to the terminal" in err
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert kela("export", "2026-09", "--format", "xlsx", "-o", "-") == 0
    assert read(capsysbinary.readouterr().out).worksheets[1].max_row == 4
    assert not (tmp_path / "-").exists() and list(tmp_path.glob("*.xlsx")) == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_header_shows_whole_in_its_column(few, lang):
    import textwrap

    t = Translator(lang)
    book = read(spreadsheet.month_workbook(few, SEPTEMBER, export.rows(few, SEPTEMBER), t))
    sheet = book[SHEETS[lang][1]]
    height = sheet.row_dimensions[1].height
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        # Wrapped within the column, on the lines the header row has room for.
        assert cell.alignment.wrap_text, cell.value
        lines = textwrap.wrap(cell.value, int(width) - 2, break_long_words=False)
        assert max(len(line) for line in lines) <= width - 2, cell.value
        assert len(lines) * 15 <= height, cell.value
    # A label column as wide as its longest label in the language.
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    longest = max(len(t(f"category.{code}")) for code in spreadsheet.CODES)
    assert widths[t("xlsx.col_category_label")] >= longest


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_sheets_print_one_page_wide_on_a4(few, lang):
    t = Translator(lang)
    book = read(spreadsheet.month_workbook(few, SEPTEMBER, export.rows(few, SEPTEMBER), t))
    summary_sheet, services_sheet = (book[name] for name in SHEETS[lang])
    for sheet in (summary_sheet, services_sheet):
        assert sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert summary_sheet.page_setup.orientation == "portrait"
    assert services_sheet.page_setup.orientation == "landscape"
    assert services_sheet.print_title_rows == "$1:$1"
    # The summary's numbers beside their labels, not on a page of their own:
    # the values' column no wider than a long point's name needs when wrapped.
    widths = summary_sheet.column_dimensions
    assert widths["B"].width <= 32
    assert widths["A"].width + widths["B"].width <= 90
    labels = [row[0] for row in summary_sheet.iter_rows(min_row=2, values_only=True) if row]
    assert widths["A"].width >= max(len(label) for label in labels if label)


@pytest.mark.parametrize(
    ("lang", "header"), [("fi", "Asiointikerran nro"), ("sv", "Besöksnummer"), ("en", "Visit no.")]
)
def test_the_visit_column_reads_as_a_number_not_a_count(lang, header):
    assert Translator(lang)("xlsx.col_visit") == header


def test_every_row_has_its_own_date_and_time():
    rows = [
        {**dict.fromkeys(export.COLUMNS, 0), "service": n, "date": f"2026-09-{1 + n % 30:02d}",
         "time": f"{8 + n % 9:02d}:{n % 60:02d}", "category": "advice", "origin": "counter",
         "site": "KANNUS", "staff": "=vm" if n % 2 else "vm"}
        for n in range(200)
    ]  # fmt: skip
    figures = {"sites": ["KANNUS"], "visits": 1, "services": 200, "by_category": {}}
    book = read(spreadsheet.workbook(rows, figures, "x", Translator("sv")))
    back = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(r[2].date().isoformat(), r[3].strftime("%H:%M"), r[8]) for r in back] == [
        (r["date"], r["time"], r["staff"]) for r in rows
    ]
    cells = list(book.worksheets[1].iter_rows(min_row=2, max_col=4))
    assert {(c[2].number_format, c[3].number_format) for c in cells} == {("d.m.yyyy", "h:mm")}
