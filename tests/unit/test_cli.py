"""The command line as scripts use it: output, exit codes, refusals write nothing."""

import json
from datetime import datetime

import pytest

from kela_tui.cli import main
from kela_tui.clock import FixedClock
from kela_tui.context import open_context
from kela_tui.db import SCHEMA_VERSION
from kela_tui.models import Audit, Document, Feedback, Service

EXPECTED_KEYS = {
    "month",
    "site",
    "visits",
    "services",
    "by_category",
    "documents",
    "feedback",
    "referrals",
    "booth",
    "compensation",
}


@pytest.fixture
def kela(tmp_path, clock, capsys, db_url, config):
    """Run the command line against one database, set up as the program's
    first start sets it up; returns (code, out, err)."""
    open_context(config, db_url, clock).db.close()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(
            ["--config", str(tmp_path / "config.toml"), "--db", db_url, *argv], clock=clock
        )
        out, err = capsys.readouterr()
        return code, out, err

    return run


def stats(kela, month="2026-09") -> dict:
    code, out, _ = kela("stats", month, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_log_then_stats_shows_one_advice(kela):
    code, out, err = kela("log", "1")
    assert (code, err) == (0, "")
    assert out.strip().isdigit()
    result = stats(kela)
    assert set(result) >= EXPECTED_KEYS
    assert result["site"] == "KANNUS"
    assert result["visits"] == 1 and result["services"] == 1
    assert result["by_category"] == {
        "advice": 1,
        "online": 0,
        "remote": 0,
        "booking": 0,
        "document": 0,
        "material": 0,
        "feedback": 0,
        "other": 0,
    }
    assert result["compensation"] == "300.00"


def test_global_options_also_after_the_command(kela, tmp_path):
    assert kela("log", "advice", "--lang", "en", "--site", "KANNUS")[0] == 0


def test_visit_of_and_note_and_staff(kela):
    _, out, _ = kela("log", "advice", "--note", "asumistuki")
    code, _, _ = kela("log", "online", "--visit-of", out.strip(), "--staff", "varahenkilo")
    assert code == 0
    assert stats(kela)["visits"] == 1
    assert Service.select().where(Service.category == "online").get().staff.code == "varahenkilo"


def test_outside_hours_warns_on_stderr(kela):
    code, _, err = kela("--lang", "en", "log", "advice", "--at", "2026-09-13T12:00")
    assert code == 0
    assert "outside the office's opening hours" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("log", "9"), 2, "unknown service '9'"),
        (("log", "advice", "--at", "yesterday"), 2, "expected a date and time"),
        (("log", "advice", "--at", "2026-09-14"), 2, "expected a date and time"),
        (("log", "advice", "--at", "2026-09-31T10:00"), 2, "expected a date and time"),
        (("log", "advice", "--at", "2026-09-16T10:00"), 3, "in the future"),
        (("log", "advice", "--at", "2026-08-14T10:00"), 3, "before the agreement's start"),
        (("log", "advice", "--note", "131052-308T"), 3, "identity code"),
        (("log", "advice", "--note", "131052-308U"), 3, "looks like a personal identity"),
        (("log", "advice", "--staff", "x"), 2, "unknown staff member"),
        (("log", "advice", "--visit-of", "42"), 2, "no service number 42"),
        (("feedback", "hetu 010594Y9021", "--kind", "complaint"), 3, "identity code"),
        (("feedback", "  "), 2, "feedback is empty"),
        (("doc", "receive", "--type", "pension-application"), 3, "pension provider"),
        (("doc", "receive", "--type", "application", "--count", "0"), 2, "from 1 to 100"),
        (("doc", "forward", "KANNUS-2026-00001"), 2, "no document with receipt"),
        (("doc", "receive"), 2, "say what was handed in"),
        (("doc", "receive", "--count", "2"), 2, "--count goes with --type"),
        (("doc", "receive", "--add", "attachment:x"), 2, "got 'attachment:x'"),
        (("doc", "receive", "--add", "[/]:2"), 2, "got '[/]:2'"),
        (("doc", "receive", "--add", "poem:2"), 2, "unknown document type 'poem'"),
        (("doc", "receive", "--add", "application", "--add", "attachment:100"), 2, "at most 100"),
        (
            ("doc", "receive", "--add", "application", "--add", "pension-application"),
            3,
            "pension provider",
        ),
        (("stats", "2026-9"), 2, "expected a month like 2026-09"),
        (("stats", "2026-09", "--site", "NOWHERE"), 2, "unknown service point 'NOWHERE'"),
    ],
)
def test_bad_input_and_refusals_write_nothing(kela, argv, code, message):
    kela("db", "check")
    audited = Audit.select().count()
    result, out, err = kela("--lang", "en", *argv)
    assert result == code
    assert message in err
    assert err.startswith("kela-tui: ") and "Traceback" not in err
    assert Service.select().count() == 0
    assert Audit.select().count() == audited


def test_argparse_usage_errors_exit_2(kela, capsys):
    with pytest.raises(SystemExit) as caught:
        kela("doc", "receive", "--type", "poem")
    assert caught.value.code == 2


def test_doc_receive_prints_receipts_and_forward_marks_them(kela):
    code, out, _ = kela("doc", "receive", "--type", "application", "--count", "2")
    assert code == 0
    assert out.splitlines() == ["KANNUS-2026-00001", "KANNUS-2026-00002"]
    code, out, _ = kela(
        "--lang",
        "en",
        "doc",
        "forward",
        "KANNUS-2026-00001",
        "KANNUS-2026-00002",
        "--method",
        "courier",
    )
    assert code == 0 and "KANNUS-2026-00002 forwarded" in out
    assert stats(kela)["documents"] == {"received": 2, "forwarded": 2, "on_time": 2, "overdue": 0}
    code, _, err = kela("--lang", "en", "doc", "forward", "KANNUS-2026-00001")
    assert code == 3 and "already forwarded" in err


def test_doc_receive_a_bundle_on_one_receipt_slip(kela):
    code, out, _ = kela(
        "doc", "receive", "--type", "application", "--add", "attachment:2", "--add", "other"
    )
    assert code == 0
    assert out.splitlines() == [f"KANNUS-2026-0000{n}" for n in (1, 2, 3, 4)]
    assert [d.kind for d in Document.select().order_by(Document.number)] == [
        "application",
        "attachment",
        "attachment",
        "other",
    ]
    assert Service.select().count() == 1


def test_feedback(kela):
    assert kela("feedback", "Hyvää palvelua", "--kind", "praise")[0] == 0
    assert Feedback.get().kind == "praise"
    assert stats(kela)["feedback"] == 1


def test_stats_table_in_finnish_by_default(kela):
    kela("log", "1")
    code, out, _ = kela("stats", "2026-08")
    assert code == 0
    assert "Kela-asioiden neuvonta" in out
    assert "164,52\xa0€" in out


def test_stats_for_all_sites(kela, tmp_path, db_url, clock, capsys):
    kela("log", "1")
    point = tmp_path / "toholampi.toml"
    point.write_text(
        '[site]\nname = "Toholampi"\ncity = "Toholampi"\n[agreement]\nstart = 2026-08-15\n',
        encoding="utf-8",
    )
    assert kela("--site", "TOHOLAMPI", "settings", "import", str(point))[0] == 0
    other = tmp_path / "other.toml"
    other.write_text('[site]\ncode = "TOHOLAMPI"\n', encoding="utf-8")
    assert main(["--config", str(other), "--db", db_url, "log", "2"], clock=clock) == 0
    capsys.readouterr()
    assert stats(kela)["services"] == 1
    code, out, _ = kela("stats", "2026-09", "--site", "all", "--format", "json")
    together = json.loads(out)
    assert together["site"] == "all" and together["sites"] == ["KANNUS", "TOHOLAMPI"]
    assert together["services"] == 2
    assert together["by_category"]["advice"] == 1 and together["by_category"]["online"] == 1
    assert together["compensation"] == "600.00"
    code, out, _ = kela("stats", "2026-09", "--site", "TOHOLAMPI", "--format", "json")
    assert json.loads(out)["services"] == 1 and json.loads(out)["site"] == "TOHOLAMPI"


def test_bad_config_is_a_message_not_a_traceback(tmp_path, capsys, clock):
    path = tmp_path / "bad.toml"
    path.write_text('[agreement]\nstart = "soon"\n', encoding="utf-8")
    given = ["--config", str(path), "--db", f"sqlite:///{tmp_path}/new.db", "--lang", "en"]
    assert main([*given, "db", "upgrade"], clock=clock) == 0
    code = main([*given, "log", "1"], clock=clock)
    err = capsys.readouterr().err
    assert code == 2
    assert 'key agreement.start: expected a date like 2026-08-15, got "soon"' in err


def test_a_bad_point_value_left_in_the_file_does_not_stop_a_workstation(kela, tmp_path):
    bad = tmp_path / "later.toml"
    bad.write_text('[agreement]\nmonthly_compensation = "abc"\n', encoding="utf-8")
    code, out, err = main_with(kela, bad)
    assert code == 0
    assert "agreement.monthly_compensation" in err and "no longer read" in err


def main_with(kela, path):
    return kela("--config", str(path), "--lang", "en", "log", "1")


def test_bad_config_via_environment(tmp_path, capsys, clock, monkeypatch):
    path = tmp_path / "bad.toml"
    path.write_text("language = ", encoding="utf-8")
    monkeypatch.setenv("KELA_TUI_CONFIG", str(path))
    assert main(["--lang", "en", "stats", "2026-09"], clock=clock) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_unreachable_postgres_exit_2(tmp_path, capsys, clock):
    code = main(
        [
            "--config",
            str(tmp_path / "c.toml"),
            "--db",
            "postgresql://kela@127.0.0.1:1/none",
            "--lang",
            "en",
            "log",
            "1",
        ],
        clock=clock,
    )
    assert code == 2
    assert "cannot open the database" in capsys.readouterr().err


def test_db_check_and_upgrade(kela):
    kela("log", "1")
    code, out, _ = kela("--lang", "en", "db", "check")
    assert code == 0 and "database OK" in out
    code, out, _ = kela("--lang", "en", "db", "upgrade")
    assert code == 0 and f"{SCHEMA_VERSION} -> {SCHEMA_VERSION}" in out


def test_demo_is_reproducible_and_only_for_an_empty_database(tmp_path, capsys):
    clock = FixedClock(datetime(2026, 11, 20, 16, 0))
    results = []
    for name in ("a", "b"):
        argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{tmp_path / name}.db"]
        assert main([*argv, "demo", "--months", "2", "--seed", "7"], clock=clock) == 0
        capsys.readouterr()
        assert main([*argv, "stats", "2026-09", "--format", "json"], clock=clock) == 0
        results.append(json.loads(capsys.readouterr().out))
        assert main([*argv, "--lang", "en", "demo"], clock=clock) == 2
        assert "only into an empty database" in capsys.readouterr().err
    assert results[0] == results[1]
    september = results[0]
    assert september["services"] > 200
    assert max(september["by_category"], key=september["by_category"].get) == "advice"
    assert september["documents"]["received"] > september["documents"]["on_time"] > 0
    overdue = Document.select().where(
        Document.forwarded_at.is_null() & (Document.deadline < clock.today())
    )
    assert 0 < overdue.count() < 10
    assert september["booth"]["sessions"] > 0 and september["feedback"] > 0
    assert Service.select().where(Service.day > datetime(2026, 10, 15).date()).count() == 0
    assert Document.select().count() > 0


def test_demo_stays_on_open_days(tmp_path, capsys):
    from kela_tui.calendar import Calendar
    from kela_tui.point import PointSettings
    from kela_tui.settings import History

    clock = FixedClock(datetime(2026, 10, 1, 8, 0))
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{tmp_path}/d.db"]
    assert main([*argv, "demo", "--seed", "3"], clock=clock) == 0
    calendar = Calendar(History.single(PointSettings()))
    days = {s.day for s in Service.select(Service.day)}
    assert days and not any(calendar.is_closed_day(d) for d in days)
    hours = [s.hour for s in Service.select(Service.hour)]
    assert sum(h < 12 for h in hours) > sum(h >= 12 for h in hours)


def test_demo_of_several_points_and_stats_for_all(tmp_path, capsys):
    clock = FixedClock(datetime(2026, 10, 5, 16, 0))
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{tmp_path}/d.db"]
    assert main([*argv, "demo", "--sites", "3", "--months", "1"], clock=clock) == 0
    capsys.readouterr()
    totals = {}
    for site in ("KANNUS", "TOHOLAMPI", "LESTIJARVI", "all"):
        assert (
            main([*argv, "stats", "2026-08", "--format", "json", "--site", site], clock=clock) == 0
        )
        totals[site] = json.loads(capsys.readouterr().out)
    assert totals["all"]["sites"] == ["KANNUS", "LESTIJARVI", "TOHOLAMPI"]
    assert totals["all"]["services"] == sum(totals[s]["services"] for s in totals if s != "all")
    assert totals["all"]["compensation"] == "493.56"  # 3 x 164.52
    receipts = [d.receipt for d in Document.select()]
    assert len(receipts) == len(set(receipts))
    for site in ("KANNUS", "TOHOLAMPI", "LESTIJARVI"):
        numbers = sorted(
            d.number for d in Document.select().where(Document.receipt.startswith(f"{site}-"))
        )
        assert numbers == list(range(1, len(numbers) + 1))
    assert main([*argv, "--lang", "en", "demo", "--sites", "11"], clock=clock) == 2


def test_demo_tells_its_progress_day_by_day(ctx, clock):
    from kela_tui import demo

    clock.set(datetime(2026, 9, 30, 16, 0))
    told = []
    demo.fill_sites(ctx, 2, None, 1, lambda done, total: told.append((done, total)))
    # 15.8.-30.9.2026 is 47 days, for two points.
    assert told == [(done, 94) for done in range(1, 95)]


def test_the_workstation_file_names_the_database_unless_the_command_line_does(
    tmp_path, clock, capsys, db_url, config, monkeypatch
):
    monkeypatch.delenv("KELA_TUI_DB", raising=False)
    open_context(config, db_url, clock).db.close()
    other = tmp_path / "other.db"
    other_url = f"sqlite:///{other}"
    open_context(config, other_url, clock, mode="create").db.close()
    path = tmp_path / "ws.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    assert main(["--config", str(path), "log", "1"], clock=clock) == 0
    # --db wins over the file, and so does KELA_TUI_DB.
    assert main(["--config", str(path), "--db", other_url, "log", "1"], clock=clock) == 0
    monkeypatch.setenv("KELA_TUI_DB", other_url)
    assert main(["--config", str(path), "log", "2"], clock=clock) == 0
    capsys.readouterr()
    monkeypatch.delenv("KELA_TUI_DB")
    assert main(["--config", str(path), "stats", "2026-09", "--format", "json"], clock=clock) == 0
    assert json.loads(capsys.readouterr().out)["services"] == 1
    assert (
        main(
            ["--db", other_url, "--config", str(path), "stats", "2026-09", "--format", "json"],
            clock=clock,
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["services"] == 2


def test_a_database_the_file_names_must_exist(tmp_path, clock, capsys, monkeypatch):
    monkeypatch.delenv("KELA_TUI_DB", raising=False)
    path = tmp_path / "ws.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/typo.db"\n', encoding="utf-8")
    assert main(["--config", str(path), "log", "1"], clock=clock) == 2
    assert "typo.db" in capsys.readouterr().err
    assert not (tmp_path / "typo.db").exists()


def test_an_unknown_theme_is_refused_by_every_command(kela, tmp_path, capsys):
    (tmp_path / "config.toml").write_text('theme = "no-such-theme"\n', encoding="utf-8")
    for argv in ((), ("log", "1")):
        code, out, err = kela(*argv)
        assert code == 2
        assert "avain theme: odotettiin jotakin" in err and "nord" in err


# kela-tui tally: services of a busy period entered afterwards.


def test_tally_prints_the_services_and_they_count(kela):
    argv = ["--from", "08:00", "--to", "10:00", "advice=3", "2=2"]
    code, out, err = kela("--lang", "en", "tally", *argv)
    assert code == 0
    assert len(out.split()) == 5 and all(line.isdigit() for line in out.split())
    # 08:12 and 08:36 fall before the office opens at 9.
    assert "2 of the services fall outside the office's opening hours" in err
    result = stats(kela)
    assert result["visits"] == 5
    assert result["by_category"]["advice"] == 3 and result["by_category"]["online"] == 2
    code, out, _ = kela("export", "2026-09")
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0].endswith(";correction;entered_later")
    assert [line.rsplit(";", 1)[1] for line in lines[1:]] == ["1"] * 5
    assert {line.split(";")[10] for line in lines[1:]} == {"cli"}


def test_tally_on_an_earlier_day_as_one_visit_by_a_deputy(kela):
    argv = ["--from", "9.00", "--to", "11:00", "--date", "14.9.2026", "material=2"]
    code, out, err = kela("--lang", "en", "tally", *argv, "--one-visit", "--staff", "varahenkilo")
    assert (code, err) == (0, "")
    services = list(Service.select().order_by(Service.at))
    assert [s.id for s in services] == [int(n) for n in out.split()]
    assert {s.visit_id for s in services} == {services[0].visit_id}
    assert {s.day.isoformat() for s in services} == {"2026-09-14"}
    assert {s.staff.code for s in services} == {"varahenkilo"}
    assert all(s.entered_later for s in services)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--from", "08:00", "--to", "09:00", "document=1"], "not entered as a count"),
        (["--from", "08:00", "--to", "09:00", "feedback=1"], "not entered as a count"),
        (["--from", "08:00", "--to", "09:00", "remote=1"], "not entered as a count"),
        (["--from", "08:00", "--to", "09:00", "advice"], "expected SERVICE=COUNT"),
        (["--from", "08:00", "--to", "09:00", "advice=-1"], "whole number"),
        (["--from", "08:00", "--to", "09:00", "advice=0"], "nothing to enter"),
        (["--from", "08:00", "--to", "09:00", "advice=1", "1=2"], "given twice"),
        (["--from", "08:00", "--to", "09:00", "[/]=1"], "unknown service '[/]'"),
        (["--from", "9:00", "--to", "08:00", "advice=1"], "must end after it begins"),
        (["--from", "09:00", "--to", "11:00", "advice=1"], "in the future"),
        (["--from", "8", "--to", "09:00", "advice=1"], "enter a time like 10:30"),
        (
            ["--from", "08:00", "--to", "09:00", "--date", "31.9.2026", "advice=1"],
            "no day 31.9.2026 in the calendar",
        ),
        (["--from", "08:00", "--to", "09:00", "--date", "2026-08-10", "advice=1"], "before"),
        (
            ["--from", "08:00", "--to", "09:00", "--note", "131052-308T", "advice=1"],
            "identity code",
        ),
        (["--from", "08:00", "--to", "09:00", "--staff", "nobody", "advice=1"], "nobody"),
    ],
)
def test_tally_refusals_exit_2_or_3_and_write_nothing(kela, argv, said):
    code, out, err = kela("--lang", "en", "tally", *argv)
    # Bad input exits 2; what the rules refuse (the future, the agreement,
    # an identity code) exits 3, as for every command.
    refused = said in ("in the future", "before", "identity code")
    assert (code, out) == (3 if refused else 2, "")
    assert said in err and err.startswith("kela-tui: ")
    assert Service.select().count() == 0


def test_tally_needs_the_period(kela):
    with pytest.raises(SystemExit) as caught:
        kela("--lang", "en", "tally", "advice=1")
    assert caught.value.code == 2


def test_tally_into_a_closed_month_is_refused(kela, clock):
    assert kela("log", "1")[0] == 0
    clock.set(datetime(2026, 10, 5, 12, 0))
    assert kela("issue", "2026-09")[0] == 0
    argv = ["--from", "9:00", "--to", "10:00", "--date", "2026-09-15", "1=2"]
    code, out, err = kela("--lang", "en", "tally", *argv)
    assert (code, out) == (3, "") and "closed" in err
    assert Service.select().count() == 1


def test_stats_json_gives_the_days_compared_and_the_compensation_to_date(kela, clock):
    clock.set(datetime(2026, 9, 10, 10, 0))
    assert kela("log", "1")[0] == 0
    clock.set(datetime(2026, 10, 5, 10, 0))
    result = stats(kela, "2026-10")
    assert set(result) >= EXPECTED_KEYS
    previous = result["previous_month"]
    # The keys it always had, and the days compared: 1 to 5 September.
    assert {"month", "visits", "services", "by_category"} <= set(previous)
    assert (previous["from"], previous["to"], previous["partial"]) == (
        "2026-09-01",
        "2026-09-05",
        True,
    )
    # Three open days (1 to 5 October) against four: compared per open day.
    assert previous["services"] == 0 and previous["per_open_day"] is True
    assert previous["open_days"] == 4 and previous["sites_compared"] == 1
    assert (result["from"], result["to"]) == ("2026-10-01", "2026-10-05")
    assert result["compensation"] == "300.00"
    assert result["compensation_year_to_date"] == "764.52"
    assert result["compensation_agreement_to_date"] == "764.52"
    september = stats(kela, "2026-09")
    assert september["previous_month"]["per_open_day"] is True
    assert september["previous_month"]["from"] == "2026-08-15"


@pytest.mark.parametrize(
    "asked", [("--sites", "11"), ("--sites", "0"), ("--months", "121"), ("--months", "-1")]
)
def test_a_refused_demo_leaves_no_database_behind(tmp_path, clock, capsys, asked):
    target = tmp_path / "new.db"
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{target}", "--lang", "en"]
    assert main([*argv, "demo", *asked], clock=clock) == 2
    assert "demo" not in capsys.readouterr().out
    assert not target.exists()


@pytest.mark.parametrize("command", [("export", "2026-09"), ("statement", "2026-09")])
def test_site_all_is_for_stats_only(cli, command, capsys):
    code, out, err = cli("--lang", "en", *command, "--site", "all")
    assert (code, out) == (2, "")
    assert "--site all is for stats only" in err and command[0] in err


def test_a_reader_that_stops_reading_gets_no_complaint(tmp_path):
    """`kela-tui stats … | head`: once the pipe is closed, the program stops
    quietly (exit 0, nothing on standard error), also at exit's flush."""
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    database = f"sqlite:///{tmp_path / 'a.db'}"
    made = subprocess.run(
        [sys.executable, "-m", "kela_tui", "--db", database, "demo", "--months", "1"],
        env=env,
        capture_output=True,
    )
    assert made.returncode == 0, made.stderr
    read, write = os.pipe()
    os.close(read)  # the reader has gone before anything is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kela_tui", "--db", database, "stats", "2026-09"],
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr.decode()) == (0, "")
