"""Catching up: a tally of a busy period entered afterwards as services, on
SQLite and PostgreSQL; the schema 5 column that marks them."""

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from kela_tui import db as storage
from kela_tui import export, services, statement, statistics, tally
from kela_tui.clock import from_utc_naive
from kela_tui.context import open_context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Translator
from kela_tui.models import Audit, SchemaVersion, Service, Statement, Visit
from kela_tui.months import Month

FIXTURES = Path(__file__).parent.parent / "fixtures"
# The clock of the tests is Tuesday 15 September 2026, 10:00.
DAY = date(2026, 9, 15)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def local_times(entered: list[Service]) -> list[str]:
    return [from_utc_naive(s.at).strftime("%H:%M") for s in entered]


def test_counts_are_spread_evenly_with_the_kinds_taking_turns(ctx):
    entered = tally.enter_tally(ctx, {"advice": 3, "online": 2}, at(8), at(10))
    # Two hours in five slots of 24 minutes, each service in its slot's middle.
    assert local_times(entered) == ["08:12", "08:36", "09:00", "09:24", "09:48"]
    assert [s.category for s in entered] == ["advice", "online", "advice", "online", "advice"]
    assert all(s.entered_later and s.status == "active" for s in entered)
    assert all(s.day == DAY and s.staff.code == "virastomestari" for s in entered)
    # One visit each unless told otherwise.
    assert Visit.select().count() == 5
    assert len({s.visit_id for s in entered}) == 5
    # Every visit and service is audited, as any logged one is.
    audited = list(Audit.select().where(Audit.entity == "service").order_by(Audit.entity_id))
    assert [a.entity_id for a in audited] == [s.id for s in entered]
    assert all(a.action == "create" and a.who == "virastomestari" for a in audited)
    assert all(json.loads(a.after)["entered_later"] for a in audited)
    assert Audit.select().where(Audit.entity == "visit").count() == 5


def test_one_visit_puts_them_all_in_one_customer_visit(ctx):
    entered = tally.enter_tally(ctx, {"advice": 2, "2": 1}, at(9), at(9, 30), one_visit=True)
    assert Visit.select().count() == 1
    assert {s.visit_id for s in entered} == {entered[0].visit_id}


def test_a_hotkey_names_the_kind_and_zeros_are_left_out(ctx):
    entered = tally.enter_tally(ctx, {"1": 1, "online": 0, "material": 2}, at(9), at(10))
    assert sorted(s.category for s in entered) == ["advice", "material", "material"]


def test_early_hours_are_marked_outside_the_office_hours(ctx):
    entered = tally.enter_tally(ctx, {"advice": 4}, at(7), at(9, 40))
    # 07:20, 08:00, 08:40, 09:20; the office opens at 9.
    assert [s.outside_hours for s in entered] == [True, True, True, False]


def test_entered_later_services_count_in_every_figure(ctx, clock):
    services.log_service(ctx, "advice", at=at(9, 5))
    tally.enter_tally(ctx, {"advice": 3, "online": 2}, at(8), at(10))
    clock.set(datetime(2026, 10, 5, 12, 0))
    stats = statistics.month_stats(Month(2026, 9), [ctx.site], date(2026, 10, 5))
    assert (stats.visits, stats.services) == (6, 6)
    assert stats.by_category["advice"] == 4 and stats.by_category["online"] == 2
    assert sum(stats.by_weekday_hour[1]) == 6 and stats.by_weekday_hour[1][8] == 2
    rows = export.live_rows(ctx, Month(2026, 9))
    assert [r["entered_later"] for r in rows] == [1, 1, 1, 0, 1, 1]
    assert list(rows[0])[-1] == "entered_later"
    header = export.to_csv(rows).splitlines()[0].lstrip("\ufeff")
    assert header.split(";") == [*export.LEGACY_COLUMNS, "entered_later"]


def test_an_issued_month_keeps_entered_later_in_its_frozen_rows(ctx, clock):
    tally.enter_tally(ctx, {"advice": 2}, at(9), at(10))
    clock.set(datetime(2026, 10, 5, 12, 0))
    statement.issue(ctx, Month(2026, 9), Translator("en"))
    assert [r["entered_later"] for r in export.rows(ctx, Month(2026, 9))] == [1, 1]
    assert statement.verify(date(2026, 10, 5)) == []


def test_a_correction_stays_entered_later(ctx):
    first = tally.enter_tally(ctx, {"advice": 1}, at(9), at(9, 30))[0]
    fixed = services.correct_service(ctx, first.id, category_name="online")
    assert fixed.entered_later and fixed.category == "online"


def test_undo_voids_the_whole_tally(ctx):
    entered = tally.enter_tally(ctx, {"advice": 2, "online": 1}, at(9), at(10))
    undone = tally.undo_tally(ctx, [s.id for s in entered])
    assert [s.status for s in undone] == ["voided"] * 3
    assert Service.select().where(Service.status == "active").count() == 0


@pytest.mark.parametrize("kind", ["document", "feedback", "remote", "5", "7"])
def test_kinds_with_their_own_register_are_refused(ctx, kind):
    with pytest.raises(BadInput) as caught:
        tally.enter_tally(ctx, {"advice": 1, kind: 1}, at(9), at(10))
    assert "not entered as a count" in str(caught.value)
    assert Service.select().count() == 0


@pytest.mark.parametrize(
    ("counts", "said"),
    [
        ({}, "nothing to enter"),
        ({"advice": 0}, "nothing to enter"),
        ({"advice": -1}, "whole number from 0 to 200"),
        ({"advice": 201}, "whole number from 0 to 200"),
        ({"advice": True}, "whole number"),
        ({"advice": 200, "online": 200, "material": 101}, "at most 500 services"),
        ({"advice": 1, "1": 2}, "given twice"),
        ({"9": 1}, "unknown service '9'"),
        ({"[/]": 1}, "unknown service '[/]'"),
    ],
)
def test_bad_counts_are_refused_and_write_nothing(ctx, counts, said):
    with pytest.raises(BadInput) as caught:
        tally.enter_tally(ctx, counts, at(9), at(10))
    assert said in str(caught.value)
    assert Service.select().count() == Visit.select().count() == 0


@pytest.mark.parametrize(
    ("start", "end", "error", "said"),
    [
        (at(10), at(9), BadInput, "must end after it begins"),
        (at(9), at(9), BadInput, "must end after it begins"),
        (at(9), at(11), Refused, "in the future"),
        (at(22), datetime(2026, 9, 16, 1, 0), BadInput, "within one day"),
        (at(9, day=date(2026, 8, 14)), at(10, day=date(2026, 8, 14)), Refused, "before"),
    ],
)
def test_bad_periods_are_refused_and_write_nothing(ctx, start, end, error, said):
    with pytest.raises(error) as caught:
        tally.enter_tally(ctx, {"advice": 2}, start, end)
    assert said in str(caught.value)
    assert Service.select().count() == 0


def test_a_period_just_ended_is_taken(ctx):
    assert len(tally.enter_tally(ctx, {"advice": 1}, at(9), at(10))) == 1


def test_a_closed_month_refuses_the_whole_tally(ctx, clock):
    services.log_service(ctx, "advice", at=at(9))
    clock.set(datetime(2026, 10, 5, 12, 0))
    statement.issue(ctx, Month(2026, 9), Translator("en"))
    with pytest.raises(Refused) as caught:
        tally.enter_tally(ctx, {"advice": 2, "online": 1}, at(10), at(12))
    assert "closed" in str(caught.value)
    assert Service.select().count() == Visit.select().count() == 1


def test_a_failure_midway_writes_nothing(ctx, monkeypatch):
    made = []
    original = tally.create_service

    def fail_on_the_third(*args, **kwargs):
        if len(made) == 2:
            raise RuntimeError("disk gone")
        made.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tally, "create_service", fail_on_the_third)
    with pytest.raises(RuntimeError):
        tally.enter_tally(ctx, {"advice": 5}, at(9), at(10))
    assert Service.select().count() == Visit.select().count() == 0


@pytest.mark.parametrize(
    ("note", "said"),
    [("131052-308T", "identity code"), ("x" * 1_000_000, "too long")],
)
def test_a_hostile_note_is_refused(ctx, note, said):
    with pytest.raises((BadInput, Refused)) as caught:
        tally.enter_tally(ctx, {"advice": 1}, at(9), at(10), note=note)
    assert said in str(caught.value)
    assert Service.select().count() == 0


def test_a_note_with_brackets_is_kept_literally(ctx):
    entered = tally.enter_tally(ctx, {"advice": 2}, at(9), at(10), note="[b]kiire[/b] [/]")
    assert {s.note for s in entered} == {"[b]kiire[/b] [/]"}


def test_the_night_the_clocks_go_back_gives_real_moments(ctx, clock):
    clock.set(datetime(2026, 10, 26, 12, 0))
    # 25 October 2026: 03:00 summer time is 03:00 winter time again, so
    # 02:00-05:00 on the wall is four real hours.
    entered = tally.enter_tally(
        ctx, {"advice": 4}, at(2, day=date(2026, 10, 25)), at(5, day=date(2026, 10, 25))
    )
    gaps = {(b.at - a.at).total_seconds() for a, b in zip(entered, entered[1:], strict=False)}
    assert gaps == {3600}


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("10:00", True), ("9.30", True), ("8", False), ("１０:００", False), ("25:00", False)],
)
def test_clock_times_as_typed(typed, ok):
    if ok:
        assert tally.parse_clock(typed, DAY).day == 15
    else:
        with pytest.raises(BadInput, match="enter a time like 10:30"):
            tally.parse_clock(typed, DAY)


@pytest.mark.parametrize(
    ("typed", "said"),
    [("advice", "SERVICE=COUNT"), ("=3", "SERVICE=COUNT"), ("advice=1e3", "whole number")],
)
def test_bad_pairs(typed, said):
    with pytest.raises(BadInput, match=said):
        tally.parse_pairs([typed])


def test_pairs():
    assert tally.parse_pairs(["advice=3", "2=2", "material="]) == {
        "advice": 3,
        "online": 2,
        "material": 0,
    }


# The schema 5 migration.


def test_a_schema_4_database_gains_the_column_with_every_service_logged_live(
    db_url, config, clock
):
    ctx = open_context(config, db_url, clock)
    services.log_service(ctx, "advice", at=at(9))
    ctx.db.execute_sql('ALTER TABLE "service" DROP COLUMN "entered_later"')
    SchemaVersion.delete().where(SchemaVersion.version == 5).execute()
    SchemaVersion.create(version=4, program="old")
    SchemaVersion.delete().where(SchemaVersion.version > 4).execute()
    ctx.db.close()
    assert storage.upgrade(storage.connect(db_url)) == (4, storage.SCHEMA_VERSION)
    ctx = open_context(config, db_url, clock)
    assert "entered_later" in [c.name for c in ctx.db.get_columns("service")]
    assert [s.entered_later for s in Service.select()] == [False]
    assert len(tally.enter_tally(ctx, {"online": 1}, at(9), at(10))) == 1
    ctx.db.close()


def test_the_v3_fixture_upgrades_and_its_frozen_rows_get_the_column(tmp_path, config):
    path = tmp_path / "v3.sqlite"
    shutil.copy(FIXTURES / "schema-v3.sqlite", path)
    url = f"sqlite:///{path}"
    assert storage.current_version(storage.connect(url)) == 3
    assert storage.upgrade(storage.connect(url), config)[1] == storage.SCHEMA_VERSION
    assert all(not s.entered_later for s in Service.select())
    assert storage.check(storage.database.obj).ok
    closed = Statement.select().where(Statement.export_rows.is_null(False))
    for issued in closed:
        rows = export.frozen(issued.export_rows)
        assert all(list(row)[-1] == "entered_later" and row["entered_later"] == 0 for row in rows)
