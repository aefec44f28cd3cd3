"""A year's figures (statistics.year_stats), `stats YEAR` and `export` of a
month, a year or a range of days (periods.Period)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from kela_tui import booth, documents, export, feedback, services, statement, statistics
from kela_tui.cli import main
from kela_tui.context import open_context
from kela_tui.errors import BadInput
from kela_tui.i18n import Translator
from kela_tui.models import Service
from kela_tui.months import Month
from kela_tui.periods import Period

EN = Translator("en")
NOVEMBER_20 = datetime(2026, 11, 20, 16, 0)


def add_months(ctx, clock) -> None:
    """A few records in each month of the agreement so far (from 15.8.2026)."""
    clock.set(NOVEMBER_20)
    for month, count in ((8, 2), (9, 3), (10, 1), (11, 2)):
        for n in range(count):
            services.log_service(ctx, "advice", at=datetime(2026, month, 17 + n, 10, 0))
        services.log_service(
            ctx, "online", at=datetime(2026, month, 17, 10, 5), staff="varahenkilo"
        )
    wrong = services.log_service(ctx, "material", at=datetime(2026, 9, 2, 10, 0))
    services.void_service(ctx, wrong.id, "mistake")
    docs = documents.receive_documents(ctx, "application", 2, at=datetime(2026, 10, 6, 10, 0))
    documents.forward_documents(ctx, [docs[0].receipt], at=datetime(2026, 10, 7, 9, 30))
    feedback.record_feedback(ctx, "Kiitos", "praise", at=datetime(2026, 11, 3, 14, 0))
    documents.refer(ctx, "pension-rehabilitation", at=datetime(2026, 9, 30, 14, 30))
    for _ in range(3):  # assessing, preparing, connecting
        booth.advance(ctx, at=datetime(2026, 9, 8, 10, 0))
    booth.advance(ctx, at=datetime(2026, 9, 8, 10, 1))
    booth.end(ctx, "completed", at=datetime(2026, 9, 8, 10, 25, 30))


@pytest.fixture
def year_ctx(ctx, clock):
    add_months(ctx, clock)
    return ctx


SUMMED = ("visits", "services", "feedback", "referrals")


def test_the_year_is_the_sum_of_its_months(year_ctx):
    ctx, today = year_ctx, year_ctx.today()
    year = statistics.year_stats(2026, [ctx.site], today)
    months = [statistics.month_stats(Month(2026, m), [ctx.site], today) for m in (8, 9, 10, 11)]
    figures = year.to_json()
    assert [m["month"] for m in figures["months"]] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    # Each month as month_stats gives it, without the months it is compared with.
    states = ["open", "open", "open", "running"]
    assert figures["months"] == [
        {**m.own_figures(), "state": state} for m, state in zip(months, states, strict=True)
    ]
    for key in SUMMED:
        assert figures[key] == sum(m.to_json()[key] for m in months), key
    for key in ("by_category", "documents", "feedback_by_kind", "referrals_by_kind", "by_staff"):
        for name in figures[key]:
            assert figures[key][name] == sum(m.to_json()[key].get(name, 0) for m in months)
    for key in ("sessions", "minutes", "kela_minutes"):
        assert figures["booth"][key] == sum(m.booth[key] for m in months)
    assert figures["booth"]["outcomes"]["completed"] == 1
    assert figures["services"] == 15 and figures["visits"] == 15
    assert figures["by_category"]["advice"] == 8 and figures["by_category"]["material"] == 0
    # 17/31 × 300,00 € and three whole months.
    assert figures["compensation"] == "1064.52"
    assert year.compensation == sum((m.compensation for m in months), Decimal(0))
    assert sum(figures["per_day"].values()) == figures["services"]
    assert min(figures["per_day"]) == "2026-08-01"
    assert sum(map(sum, figures["by_weekday_hour"])) == figures["services"]
    assert figures["month"] == "2026" and figures["year"] == 2026
    assert figures["previous_month"] is None and figures["year_ago"] is None


def test_a_year_has_every_key_of_a_month(year_ctx):
    month = statistics.month_stats(Month(2026, 9), [year_ctx.site], year_ctx.today()).to_json()
    year = statistics.year_stats(2026, [year_ctx.site], year_ctx.today()).to_json()
    assert set(year) == set(month) | {"year", "months"}
    assert set(year["booth"]) == set(month["booth"])


def test_only_months_within_the_agreement_and_up_to_today_count(ctx, clock):
    clock.set(datetime(2026, 10, 5, 12, 0))
    year = statistics.year_stats(2026, [ctx.site], ctx.today())
    assert [str(m.month) for m in year.months] == ["2026-08", "2026-09", "2026-10"]
    assert year.to_json()["compensation"] == "764.52"
    before = statistics.year_stats(2025, [ctx.site], ctx.today())
    assert before.months == [] and before.to_json()["services"] == 0
    assert before.to_json()["compensation"] == "0.00"
    assert before.to_json()["booth"]["utilisation"] == "0.000"


def test_a_closed_month_gives_its_frozen_figures(year_ctx, clock):
    ctx = year_ctx
    statement.issue(ctx, Month(2026, 9), EN)
    issued = statistics.month_stats(Month(2026, 9), [ctx.site], ctx.today()).own_figures()
    # Records changed behind the program's back (a bug, or a hand in the database).
    Service.update(status="voided").where(
        Service.day.between(date(2026, 9, 1), date(2026, 9, 30))
    ).execute()
    year = statistics.year_stats(2026, [ctx.site], ctx.today())
    september = year.to_json()["months"][1]
    assert september == {**issued, "state": "issued"} and september["services"] == 5
    assert year.to_json()["services"] == 15
    # The live months changed nothing either; the year's export rows agree.
    assert len(export.rows(ctx, Period.of_year(2026))) == 15


def test_all_points_add_up(sqlite_ctx, clock, config, sqlite_url):
    from kela_tui import demo

    clock.set(datetime(2026, 10, 5, 12, 0))
    demo.fill_sites(sqlite_ctx, sites=2, months=2, seed=3)
    sites = sqlite_ctx.all_sites()
    both = statistics.year_stats(2026, sites, sqlite_ctx.today(), "all").to_json()
    each = [statistics.year_stats(2026, [s], sqlite_ctx.today()).to_json() for s in sites]
    assert both["site"] == "all" and both["services"] == sum(e["services"] for e in each)
    assert Decimal(both["compensation"]) == sum(Decimal(e["compensation"]) for e in each)
    assert both["months"][0]["sites"] == both["sites"]
    months = [Month(2026, 8), Month(2026, 9), Month(2026, 10)]
    assert [{k: v for k, v in m.items() if k != "state"} for m in both["months"]] == [
        statistics.month_stats(m, sites, sqlite_ctx.today(), "all").own_figures() for m in months
    ]


# Periods


@pytest.mark.parametrize(
    ("text", "first", "last", "shown"),
    [
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "2026-10"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026"),
        ("2026-09-01..2026-11-30", date(2026, 9, 1), date(2026, 11, 30), "2026-09-01..2026-11-30"),
        ("1.9.2026..30.11.2026", date(2026, 9, 1), date(2026, 11, 30), "2026-09-01..2026-11-30"),
        (
            " 2026-09-15..2026-09-15 ",
            date(2026, 9, 15),
            date(2026, 9, 15),
            "2026-09-15..2026-09-15",
        ),
    ],
)
def test_periods(text, first, last, shown):
    period = Period.parse(text)
    assert (period.first, period.last, str(period)) == (first, last, shown)
    assert period.months()[0] == Month.of(first) and period.months()[-1] == Month.of(last)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "20",
        "2026-01-01..",
        "..2026-01-01",
        "2026-11-30..2026-09-01",
        "31.9.2026..1.10.2026",
        "1999",
        "2026-09-01..2026-10-01..2026-11-01",
        "[/]",
        "131052-308T",
        "2026\x1b[31m",
        "",
        "x" * 1_000_000,
    ],
)
def test_bad_periods_say_what_is_expected(text):
    with pytest.raises(BadInput):
        Period.parse(text)


def test_a_range_is_no_month_or_year_for_stats():
    with pytest.raises(BadInput, match="a month .* or a year"):
        Period.parse("2026-09-01..2026-09-30", ranges=False)


# The command line


@pytest.fixture
def kela(tmp_path, clock, capsys, db_url, config):
    open_context(config, db_url, clock).db.close()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(
            ["--config", str(tmp_path / "c.toml"), "--db", db_url, "--lang", "en", *argv],
            clock=clock,
        )
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def filled(kela, clock, config, db_url):
    ctx = open_context(config, db_url, clock)
    add_months(ctx, clock)
    ctx.db.close()
    return kela


def test_stats_of_a_year(filled, clock):
    code, out, _ = filled("stats", "2026", "--format", "json")
    assert code == 0
    year = json.loads(out)
    code, out, _ = filled("stats", "2026-09", "--format", "json")
    month = json.loads(out)
    assert set(year) >= set(month) | {"months", "year"}
    assert year["month"] == "2026" and year["services"] == 15
    assert [m["services"] for m in year["months"]] == [3, 5, 3, 4]
    assert year["months"][1] == {
        **{k: v for k, v in month.items() if k not in statistics.COMPARISON_KEYS},
        "state": "open",
    }
    # The year's own span, not its first month's.
    assert (year["from"], year["partial"]) == ("2026-08-15", True)
    assert year["to"] == clock.now().date().isoformat()
    assert year["open_days"] > 22
    assert year["compensation_year_to_date"] == year["compensation"]
    code, out, _ = filled("stats", "2026")
    assert code == 0
    assert "Aug" in out and "Total" in out and "€1,064.52" in out
    code, out, _ = filled("stats", "2026", "--site", "all", "--format", "json")
    assert code == 0 and json.loads(out)["site"] == "all"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2026-13", "expected a month like 2026-09"),
        ("20", "enter a month (2026-10) or a year (2026)"),
        ("2026-01-01..", "enter a month (2026-10) or a year (2026)"),
        ("2026-09-01..2026-09-30", "enter a month (2026-10) or a year (2026)"),
        ("1999", "expected a year from 2000 to 2100"),
        ("[/]", "not '[/]'"),
    ],
)
def test_stats_refuses_what_is_no_month_or_year(kela, value, said):
    code, out, err = kela("stats", value)
    assert (code, out) == (2, "")
    assert said in err


def test_stats_of_a_year_not_begun_is_refused(kela):
    code, out, err = kela("stats", "2027")
    assert (code, out) == (3, "")
    assert "2027 has not begun" in err


def export_rows(kela, *argv) -> list[dict]:
    code, out, err = kela("export", *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_export_a_year_gives_the_services_stats_counts(filled):
    rows = export_rows(filled, "2026")
    _, out, _ = filled("stats", "2026", "--format", "json")
    assert len(rows) == json.loads(out)["services"] == 15
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    code, out, _ = filled("export", "2026")
    assert code == 0
    table = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert tuple(table[0]) == export.COLUMNS and len(table) == 16


def test_export_a_month_as_before(filled):
    assert len(export_rows(filled, "2026-09")) == 5


def test_export_a_range_gives_only_its_days(filled):
    _, out, _ = filled("stats", "2026", "--format", "json")
    per_day = json.loads(out)["per_day"]
    rows = export_rows(filled, "2026-09-08..2026-10-17")
    expected = sum(n for day, n in per_day.items() if "2026-09-08" <= day <= "2026-10-17")
    assert len(rows) == expected == 8
    assert all("2026-09-08" <= r["date"] <= "2026-10-17" for r in rows)
    assert export_rows(filled, "8.9.2026..17.10.2026") == rows


def test_a_range_through_a_closed_month_gives_its_frozen_rows(filled, clock, config, db_url):
    ctx = open_context(config, db_url, clock)
    statement.issue(ctx, Month(2026, 9), EN)
    Service.update(category="other").where(Service.category == "advice").execute()
    ctx.db.close()
    rows = export_rows(filled, "2026-09-18..2026-10-31")
    assert [r["category"] for r in rows if r["date"] < "2026-10-01"] == ["advice", "advice"]
    october = [r["category"] for r in rows if r["date"] >= "2026-10-01"]
    assert october == ["document", "other", "online"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2026-11-30..2026-09-01", "ends before it begins"),
        ("2026-08-01..2026-08-31", "begins before the agreement's start on 15 Aug 2026"),
        ("2026-09-01..2026-11-30", "goes beyond today (20 Nov 2026)"),
        ("2026-09-01..", "enter a month (2026-10), a year (2026) or a range of days"),
        ("31.9.2026..1.10.2026", "there is no day 31.9.2026"),
        ("20", "enter a month (2026-10), a year (2026) or a range of days"),
        ("131052-308T", "or a range of days"),
    ],
)
def test_export_refuses_a_bad_period_and_writes_nothing(filled, tmp_path, value, said):
    target = tmp_path / "out.csv"
    code, out, err = filled("export", value, "-o", str(target))
    assert (code, out) == (2, "")
    assert said in err
    assert not target.exists()


# A stranger's findings (issue 15): periods outside the agreement, long
# values, Finnish ranges, wording.


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("stats", "2026-07"), "July 2026 is outside the agreement period: it has no figures"),
        (("stats", "2025"), "2025 is wholly outside the agreement period"),
        (("stats", "2025", "--site", "all"), "2025 is wholly outside the agreement period"),
        (("export", "2026-07"), "July 2026 is outside the agreement period: it has no figures"),
        (("export", "2025"), "2025 is wholly outside the agreement period"),
        (("export", "2026-07", "--format", "xlsx"), "July 2026 is outside the agreement"),
    ],
)
def test_a_month_or_year_outside_the_agreement_is_refused_as_its_statement_is(
    filled, tmp_path, argv, said
):
    target = tmp_path / "out"
    statement_code, _, _ = filled("statement", "2026-07")
    code, out, err = filled(*argv, "-o", str(target)) if argv[0] == "export" else filled(*argv)
    assert (code, out) == (statement_code, "") == (3, "")
    assert said in err
    assert not target.exists()


def test_a_month_partly_in_the_agreement_still_counts(filled):
    assert len(export_rows(filled, "2026-08")) == 3
    code, out, _ = filled("stats", "2026-08", "--format", "json")
    assert code == 0 and json.loads(out)["services"] == 3


def test_a_year_not_begun_has_its_own_words(kela):
    code, _, err = kela("stats", "2027")
    assert code == 3 and "2027 has not begun: there are no figures for it yet" in err
    assert "statement" not in err
    code, _, err = kela("export", "2027")
    assert code == 3 and "2027 has not begun" in err and "statement" not in err


@pytest.mark.parametrize("command", ["stats", "export", "statement"])
@pytest.mark.parametrize(
    "value", ["x" * 100_000, "2026-" + "1" * 100_000, "1.1.2026.." + "9" * 100_000]
)
def test_a_long_period_is_cut_in_the_message(kela, command, value):
    code, out, err = kela(command, value)
    assert (code, out) == (2, "")
    assert len(err) < 250 and "…" in err


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("1.9.2026–30.11.2026", date(2026, 9, 1), date(2026, 11, 30)),
        ("1.9.2026 — 30.11.2026", date(2026, 9, 1), date(2026, 11, 30)),
        ("1.9.–30.11.2026", date(2026, 9, 1), date(2026, 11, 30)),
        ("1.9–30.11.2026", date(2026, 9, 1), date(2026, 11, 30)),
        ("1.9...30.11.2026", date(2026, 9, 1), date(2026, 11, 30)),
        ("1.12.–28.2.2027", date(2026, 12, 1), date(2027, 2, 28)),
        ("2026-09-01–2026-11-30", date(2026, 9, 1), date(2026, 11, 30)),
    ],
)
def test_finnish_ranges(text, first, last):
    period = Period.parse(text)
    assert (period.first, period.last, period.kind) == (first, last, "range")


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("1.9..x.30.11.2026", "bad_period", "1.9..x.30.11.2026"),
        ("1.9.–30.11.", "bad_period", "1.9.–30.11."),
        ("1.9.2026-30.11.2026", "bad_period", "1.9.2026-30.11.2026"),
        ("1.9.2026–30.11.2026–1.12.2026", "bad_period", "1.9.2026–30.11.2026–1.12.2026"),
        ("31.9.–30.11.2026", "no_such_day", "31.9.2026"),
    ],
)
def test_a_bad_range_is_said_of_the_whole_value(text, key, value):
    with pytest.raises(BadInput) as caught:
        Period.parse(text)
    assert (caught.value.key, caught.value.params["value"]) == (key, value)


def test_export_takes_a_range_written_as_the_statement_prints_it(filled):
    rows = export_rows(filled, "8.9.–17.10.2026")
    assert rows == export_rows(filled, "2026-09-08..2026-10-17")
    assert rows == export_rows(filled, "8.9.2026–17.10.2026")


def test_a_range_beyond_today_says_only_past_days(filled):
    code, _, err = filled("export", "2026-09-01..2026-11-30")
    assert code == 2 and "only past days can be exported" in err


def test_each_month_says_whether_its_statement_is_issued(filled, clock, config, db_url):
    ctx = open_context(config, db_url, clock)
    clock.set(datetime(2026, 11, 20, 16, 0))
    statement.issue(ctx, Month(2026, 9), EN)
    ctx.db.close()
    code, out, _ = filled("stats", "2026", "--format", "json")
    months = json.loads(out)["months"]
    assert [m["state"] for m in months] == ["open", "issued", "open", "running"]
    assert [m["month"] for m in months] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    code, out, _ = filled("stats", "2026")
    line = next(line for line in out.splitlines() if line.startswith("Statement"))
    assert line.split()[1:] == ["draft", "✓", "issued", "draft", "running"]
    code, out, _ = filled("stats", "2026", "--site", "all", "--format", "json")
    assert [m["state"] for m in json.loads(out)["months"]] == ["open", "issued", "open", "running"]
