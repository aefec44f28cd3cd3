"""The point's settings live in the database, versioned by the day they apply
from, the same on every workstation; the staff likewise."""

import json
import shutil
import tomllib
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from kela_tui import booth, documents, services, settings, statement, statistics
from kela_tui import db as storage
from kela_tui.cli import main
from kela_tui.config import parse
from kela_tui.context import open_context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Translator
from kela_tui.models import Audit, Service, Site, SiteSettings, Staff
from kela_tui.months import Month
from kela_tui.point import PointSettings
from tests.conftest import with_point

FIXTURES = Path(__file__).parent.parent / "fixtures"
EN = Translator("en")
SEPTEMBER = Month(2026, 9)


@pytest.fixture
def kela(tmp_path, clock, capsys, db_url, config):
    """The command line against one set-up database: (code, out, err)."""
    open_context(config, db_url, clock).db.close()

    def run(*argv: str, config_file=None) -> tuple[int, str, str]:
        given = config_file or str(tmp_path / "config.toml")
        code = main(["--config", given, "--db", db_url, "--lang", "en", *argv], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_new_database_takes_the_files_point_settings_once(db_url, config, clock):
    fridays = with_point(config, monthly_compensation=Decimal("250.00"))
    ctx = open_context(fridays, db_url, clock)
    (version,) = SiteSettings.select()
    assert version.valid_from == date(2026, 8, 15)
    assert ctx.point.monthly_compensation == Decimal("250.00")
    assert {a.entity for a in Audit.select()} >= {"site", "site_settings", "staff"}
    ctx.db.close()
    # A later start with another file changes nothing in the database.
    other = with_point(config, monthly_compensation=Decimal("999.00"))
    again = open_context(other, db_url, clock)
    assert again.point.monthly_compensation == Decimal("250.00")
    assert SiteSettings.select().count() == 1


def test_two_workstations_with_different_files_see_the_same_point(db_url, config, clock, tmp_path):
    first = tmp_path / "first.toml"
    first.write_text(
        '[site]\ncode = "KANNUS"\n[office_hours]\nmon = "08:00-16:00"\nfri = "08:00-12:00"\n'
        '[[staff]]\nid = "maija"\nname = "Maija"\nrole = "virastomestari"\n',
        encoding="utf-8",
    )
    second = tmp_path / "second.toml"
    second.write_text(
        '[site]\ncode = "KANNUS"\n[agreement]\nmonthly_compensation = "450.00"\n'
        '[office_hours]\nmon = "10:00-12:00"\n'
        '[[staff]]\nid = "pekka"\nname = "Pekka"\nrole = "virastomestari"\n',
        encoding="utf-8",
    )
    contexts = [
        open_context(parse(path.read_text(encoding="utf-8"), path), db_url, clock)
        for path in (first, second)
    ]
    for ctx in contexts:
        assert ctx.point.office_hours.on(0) == ((time(8), time(16)),)
        assert ctx.point.office_hours.on(4) == ((time(8), time(12)),)
        assert ctx.point.monthly_compensation == Decimal("300.00")
        assert [s.code for s in ctx.active_staff()] == ["maija"]
        assert ctx.staff.code == "maija"
    notice = contexts[1].notices[0]
    assert notice.key == "notice.point_keys_unread"
    assert "agreement.monthly_compensation" in notice.params["keys"]
    assert "office_hours.mon" in notice.params["keys"] and "staff" in notice.params["keys"]
    assert contexts[0].notices == []


def test_the_notice_is_one_line_on_the_command_line(kela, tmp_path):
    changed = tmp_path / "changed.toml"
    changed.write_text('[agreement]\nmonthly_compensation = "450.00"\n', encoding="utf-8")
    code, _, err = kela("log", "1", config_file=str(changed))
    assert code == 0
    assert err.count("\n") == 1
    assert "(agreement.monthly_compensation) are no longer read" in err


def test_a_setting_is_a_new_version_from_today_with_an_audit_entry(ctx, clock):
    clock.set(datetime(2026, 11, 16, 10, 0))
    settings.change(ctx, {"office_hours.mon": "08:00-16:00"})
    versions = list(SiteSettings.select().order_by(SiteSettings.valid_from))
    assert [v.valid_from for v in versions] == [date(2026, 8, 15), date(2026, 11, 16)]
    assert ctx.settings.on(date(2026, 11, 9)).office_hours.on(0) == ((time(9), time(15)),)
    assert ctx.settings.on(date(2026, 11, 16)).office_hours.on(0) == ((time(8), time(16)),)
    entry = Audit.get((Audit.entity == "site_settings") & (Audit.entity_id == versions[1].id))
    assert entry.who == "virastomestari" and entry.action == "create"
    assert json.loads(json.loads(entry.after)["values"])["office_hours"]["mon"] == "08:00-16:00"


def test_every_rule_uses_the_version_in_force_that_day(ctx, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    settings.change(
        ctx,
        {
            "office_hours.mon": "08:00-17:00",
            "kela_remote_hours.mon": "",
            "documents.forward_deadline_working_days": 3,
        },
        date(2026, 11, 16),
    )
    before = services.log_service(ctx, "advice", at=datetime(2026, 11, 9, 16, 30))
    after = services.log_service(ctx, "advice", at=datetime(2026, 11, 16, 16, 30))
    assert (before.outside_hours, after.outside_hours) == (True, False)
    (early,) = documents.receive_documents(ctx, "other", at=datetime(2026, 11, 13, 10, 0))
    (late,) = documents.receive_documents(ctx, "other", at=datetime(2026, 11, 16, 10, 0))
    assert early.deadline == date(2026, 11, 16) and late.deadline == date(2026, 11, 19)
    assert ctx.calendar.in_kela_hours(datetime(2026, 11, 9, 10, 0))
    assert not ctx.calendar.in_kela_hours(datetime(2026, 11, 16, 10, 0))


def elsewhere(config, db_url, clock, here, action) -> None:
    """`action` on another workstation's connection, then back to `here`'s."""
    other = open_context(config, db_url, clock)
    try:
        action(other)
    finally:
        other.db.close()
        storage.database.initialize(here.db)


def test_a_change_on_another_workstation_holds_at_once_on_this_one(db_url, config, clock):
    clock.set(datetime(2026, 11, 26, 10, 0))
    counter = open_context(config, db_url, clock)
    services.log_service(counter, "advice")  # the counter has read its settings
    changes = {"office_hours.thu": "13:00-15:00", "documents.forward_deadline_working_days": 5}
    elsewhere(config, db_url, clock, counter, lambda office: settings.change(office, changes))
    # The counter's copy was read before the change: every write takes it up.
    assert services.log_service(counter, "online").outside_hours is True
    (document,) = documents.receive_documents(counter, "other")
    assert document.deadline == date(2026, 12, 3)
    clock.set(datetime(2026, 11, 27, 10, 0))
    ended = {"agreement.end": "2026-11-26"}
    elsewhere(config, db_url, clock, counter, lambda office: settings.change(office, ended))
    for write in (
        lambda: services.log_service(counter, "advice"),
        lambda: documents.receive_documents(counter, "other"),
        lambda: booth.advance(counter),
        lambda: booth.book(counter, datetime(2026, 11, 27, 13, 0)),
    ):
        with pytest.raises(Refused, match="after the agreement|agreement"):
            write()


def test_someone_who_left_can_no_longer_record(db_url, config, clock):
    clock.set(datetime(2026, 11, 26, 10, 0))
    counter = open_context(config, db_url, clock)
    assert counter.staff.code == "virastomestari"

    def replaced(office):
        settings.add_staff(office, "maija", "Maija", "virastomestari")
        settings.update_staff(office, "virastomestari", active=False)

    elsewhere(config, db_url, clock, counter, replaced)
    with pytest.raises(Refused) as caught:
        services.log_service(counter, "advice")
    assert caught.value.key == "staff_left"
    with pytest.raises(Refused):
        services.log_service(counter, "advice", staff="virastomestari")
    assert services.log_service(counter, "advice", staff="maija").staff.code == "maija"
    assert Service.select().count() == 1


def test_the_compensation_of_a_month_is_the_one_in_force_at_its_end(ctx, clock):
    clock.set(datetime(2026, 11, 20, 10, 0))
    settings.change(ctx, {"agreement.monthly_compensation": "320.00"}, date(2026, 12, 1))
    for month, amount in ((Month(2026, 11), "300.00"), (Month(2026, 12), "320.00")):
        clock.set(datetime(month.year, month.month, 2, 10, 0))
        stats = statistics.month_stats(month, [ctx.site], ctx.today())
        assert str(stats.compensation) == amount


def test_a_setting_never_reaches_into_a_closed_month(ctx, clock, tmp_path, db_url):
    clock.set(datetime(2026, 10, 6, 10, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    statement.issue(ctx, SEPTEMBER, EN)
    for day in (date(2026, 9, 30), date(2026, 8, 15)):
        with pytest.raises(Refused, match="would change September 2026, which is closed") as e:
            settings.change(ctx, {"agreement.monthly_compensation": "450.00"}, day)
    # The month is named as the sentence needs it, not as a command takes it.
    assert "muuttaisi syyskuun 2026 tietoja, mutta kuukausi on jo suljettu" in (
        Translator("fi").error(e.value)
    )
    assert "skulle ändra september 2026, som redan är stängd" in Translator("sv").error(e.value)
    # From today on it is allowed, and leaves September as issued.
    settings.change(ctx, {"agreement.monthly_compensation": "450.00"})
    # Moving the agreement's start past September would leave its entries
    # and its closed statement outside the agreement: refused.
    with pytest.raises(Refused, match="cannot start on 1 Oct 2026: .* from 1 Sept? 2026"):
        settings.change(ctx, {"agreement.start": "2026-10-01"})
    with pytest.raises(Refused, match="cannot end on 15 Sept? 2026: .* up to 30 Sept? 2026"):
        settings.change(ctx, {"agreement.end": "2026-09-15"})
    stats = statistics.month_stats(SEPTEMBER, [ctx.site], ctx.today())
    assert stats.compensation == Decimal("300.00")
    text = statement.document(ctx, SEPTEMBER, Translator("sv"))[0]
    assert "300,00" in text and "UTKAST" not in text
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "db", "check"]
    assert main(argv, clock=clock) == 0
    assert main([*argv[:-2], "statement", "2026-09"], clock=clock) == 0


def test_many_points_each_by_their_own_settings(ctx, clock):
    from kela_tui import demo

    clock.set(datetime(2026, 9, 30, 16, 0))
    other = demo.add_site(ctx, "TOHOLAMPI")
    settings.change(
        other,
        {"kela_remote_hours.fri": "", "agreement.monthly_compensation": "200.00"},
        date(2026, 8, 15),
    )
    sites = [ctx.site, other.site]
    both = statistics.month_stats(SEPTEMBER, sites, ctx.today(), "all")
    own = [statistics.month_stats(SEPTEMBER, [s], ctx.today()) for s in sites]
    assert both.compensation == Decimal("500.00")
    assert both.booth["kela_minutes"] == sum(s.booth["kela_minutes"] for s in own)
    assert own[1].booth["kela_minutes"] < own[0].booth["kela_minutes"]


def test_a_wrong_value_is_refused_with_what_is_expected(ctx):
    attempts = [
        ({"agreement.monthly_compensation": "1e300"}, "agreement.monthly_compensation"),
        ({"office_hours.mon": "9-17"}, "office_hours.mon"),
        ({"site.name": "Piste\x1b[2J"}, "site.name"),
        ({"site.name": "Piste 131052-308T"}, "site.name"),
        ({"booth.count": 0}, "booth.count"),
    ]
    for updates, key in attempts:
        with pytest.raises(BadInput) as caught:
            settings.change(ctx, updates)
        assert str(caught.value).startswith(f"{key}: ")
    with pytest.raises(BadInput, match="unknown setting 'agreement.rate'"):
        settings.change(ctx, {"agreement.rate": 1})
    assert SiteSettings.select().count() == 1


def test_settings_set_and_show_on_the_command_line(kela, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    code, out, err = kela(
        "settings", "set", "office_hours.fri", "09:00-14:00", "--from", "1.11.2026"
    )
    assert (code, err) == (0, "")
    assert "office_hours.fri changed from 1 Nov 2026" in out
    code, out, _ = kela("settings", "show", "--at", "2026-11-06")
    shown = tomllib.loads(out)
    assert shown["office_hours"]["fri"] == "09:00-14:00"
    assert [s["id"] for s in shown["staff"]] == ["virastomestari", "varahenkilo"]
    code, out, _ = kela("settings", "show", "--format", "json")
    data = json.loads(out)
    assert data["settings"]["office_hours"]["fri"] == "09:00-15:00"
    assert data["versions"] == ["2026-08-15", "2026-11-01"]
    assert kela("settings", "set", "agreement.prorate", "false")[0] == 0
    code, _, err = kela("settings", "set", "booth.count", "many")
    assert code == 2 and "booth.count: expected a whole number" in err
    code, _, err = kela("settings", "set", "nothing.here", "1")
    assert code == 2 and "unknown setting" in err


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("agreement.monthly_compensation", "1 000,00 €", "1000.00"),
        ("agreement.monthly_compensation", "1\u00a0000,00", "1000.00"),
        ("agreement.monthly_compensation", "1.000,00", "1000.00"),
        ("agreement.monthly_compensation", "1,000.00", "1000.00"),
        ("agreement.monthly_compensation", "€1,000,000.00", "1000000.00"),
        ("agreement.monthly_compensation", "320,50", "320.50"),
        ("agreement.monthly_compensation", "320.50", "320.50"),
        ("agreement.monthly_compensation", "1,500", None),
        ("agreement.monthly_compensation", "1.000.00", None),
        ("agreement.monthly_compensation", "1,00.00", None),
        ("agreement.monthly_compensation", "320", "320.00"),
        ("agreement.monthly_compensation", "0x10", None),
        ("agreement.monthly_compensation", "1e3", None),
        ("agreement.monthly_compensation", "-0.00", None),
        ("agreement.monthly_compensation", "\u0663\u0660\u0660", None),
        ("agreement.prorate", "ei", False),
        ("agreement.prorate", "maybe", None),
        ("office_hours.mon", "08:00-11:30, 12:00-16:00", ["08:00-11:30", "12:00-16:00"]),
        ("office_hours.mon", '["08:00-11:30", "12:00-16:00"]', ["08:00-11:30", "12:00-16:00"]),
        ("office_hours.mon", "9.00-15.00", "09:00-15:00"),
        ("closures.extra", "24.12.2026, 2026-12-31", ["2026-12-24", "2026-12-31"]),
        ("closures.extra", "[2026-12-24, 2026-12-31]", ["2026-12-24", "2026-12-31"]),
        ("agreement.end", "31.12.2027", "2027-12-31"),
        ("booth.count", "\u0662", None),
        ("site.name", '"x"\n[y]\nz=1', None),
        ("site.name", "Kannus [b]asiointi[/b]", "Kannus [b]asiointi[/b]"),
    ],
)
def test_a_value_on_the_command_line_reads_as_in_a_form(kela, key, value, stored):
    # F6's fields are read by the same function (point.typed_value).
    code, out, err = kela("settings", "set", key, value)
    section, name = key.split(".")
    if stored is None:
        assert code == 2 and key in err, (out, err)
        return
    assert (code, err) == (0, "")
    shown = json.loads(kela("settings", "show", "--format", "json")[1])
    assert shown["settings"][section][name] == stored


def test_settings_show_is_a_file_settings_import_takes_back(kela, tmp_path, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    _, shown, _ = kela("settings", "show")
    target = tmp_path / "point.toml"
    target.write_text(shown.replace('"09:00-15:00"', '"08:30-15:30"', 1), encoding="utf-8")
    assert kela("settings", "import", str(target))[0] == 0
    _, again, _ = kela("settings", "show")
    assert tomllib.loads(again)["office_hours"]["mon"] == "08:30-15:30"
    assert SiteSettings.select().count() == 2
    # Taking back the same file again adds no version.
    target.write_text(again, encoding="utf-8")
    assert kela("settings", "import", str(target))[0] == 0
    assert SiteSettings.select().count() == 2


def test_a_settings_file_is_checked_whole_before_anything_is_written(kela, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[agreement]\nmonthly_compensation = "320.00"\n[office_hours]\ntue = "nine to five"\n'
        '[[staff]]\nid = "uusi"\nname = "Uusi"\nrole = "deputy"\n',
        encoding="utf-8",
    )
    audited = Audit.select().count()
    code, _, err = kela("settings", "import", str(bad))
    assert code == 2 and "key office_hours.tue" in err
    assert Audit.select().count() == audited
    assert Staff.get_or_none(code="uusi") is None


@pytest.mark.parametrize("what", ["/dev/zero", "folder", "big", "latin1", "missing"])
def test_what_is_not_a_settings_file_is_refused_before_it_is_read(kela, tmp_path, what):
    (tmp_path / "folder").mkdir()
    (tmp_path / "big").write_text("# x\n" * 300_000, encoding="utf-8")
    (tmp_path / "latin1").write_bytes('[site]\nname = "Kälviä"\n'.encode("latin-1"))
    path = what if what.startswith("/") else str(tmp_path / what)
    versions = SiteSettings.select().count()
    code, _, err = kela("settings", "import", path)
    assert code == 2 and path in err
    assert SiteSettings.select().count() == versions


def test_staff_on_the_command_line(kela):
    assert kela("staff", "add", "maija", "Maija Meikäläinen", "--role", "virastomestari")[0] == 0
    assert kela("staff", "rename", "varahenkilo", "Matti Sijainen")[0] == 0
    assert kela("staff", "role", "virastomestari", "deputy")[0] == 0
    assert kela("staff", "leave", "virastomestari")[0] == 0
    _, out, _ = kela("staff", "list")
    assert out.splitlines() == [
        "virastomestari\tVirastomestari\tdeputy  (left)",
        "varahenkilo\tMatti Sijainen\tdeputy",
        "maija\tMaija Meikäläinen\tvirastomestari",
    ]
    assert kela("staff", "add", "maija", "Toinen")[2].endswith("already a staff member 'maija'\n")
    assert "identity code" in kela("staff", "rename", "maija", "Maija 131052-308T")[2]
    assert "control character" in kela("staff", "add", "x", "X\x1b[2J")[2]
    assert kela("staff", "add", "Bad Id", "X")[0] == 2
    actions = [a.action for a in Audit.select().where(Audit.entity == "staff").order_by(Audit.id)]
    assert actions[-4:] == ["create", "update", "update", "leave"]


def test_the_last_one_working_cannot_leave(ctx):
    settings.update_staff(ctx, "varahenkilo", active=False)
    with pytest.raises(Refused, match="the only staff member still working"):
        settings.update_staff(ctx, "virastomestari", active=False)


def test_someone_who_left_keeps_their_history(ctx):
    logged = services.log_service(ctx, "advice", staff="varahenkilo")
    settings.update_staff(ctx, "varahenkilo", active=False)
    assert Service.get_by_id(logged.id).staff.code == "varahenkilo"
    assert [s.code for s in ctx.active_staff()] == ["virastomestari"]
    with pytest.raises(BadInput):
        settings.add_staff(ctx, "varahenkilo", "Again")


def test_a_changed_booth_count_and_warning_follow_the_settings(ctx, clock):
    settings.change(ctx, {"booth.count": 2, "booth.session_warn_minutes": 30})
    assert ctx.point.booths == 2
    booth.advance(ctx, 2)
    assert booth.status(ctx, 2).state == "assessing"


@pytest.mark.parametrize("fixture", ["schema-v2.sqlite", "schema-v3.sqlite"])
def test_an_upgrade_moves_the_workstations_settings_into_the_database(fixture, tmp_path, capsys):
    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    url = f"sqlite:///{path}"
    config = FIXTURES / "schema-v2-config.toml"
    argv = ["--config", str(config), "--db", url, "--lang", "en"]
    from kela_tui.clock import FixedClock

    clock = FixedClock(datetime(2026, 10, 20, 10, 0))
    assert main([*argv, "db", "upgrade"], clock=clock) == 0
    assert main([*argv, "db", "check"], clock=clock) == 0
    capsys.readouterr()
    db = storage.connect(url, storage.READ)
    (version,) = SiteSettings.select()
    values = json.loads(version.values)
    assert version.valid_from == date(2026, 8, 15)
    assert values["office_hours"]["fri"] == "09:00-14:00"
    assert [s.code for s in Staff.select().order_by(Staff.id)] == ["maija", "matti"]
    assert Audit.select().where(Audit.entity == "site_settings").get().who == "upgrade"
    db.close()
    assert main([*argv, "stats", "2026-09", "--format", "json"], clock=clock) == 0
    september = json.loads(capsys.readouterr().out)
    if fixture == "schema-v2.sqlite":
        before = json.loads((FIXTURES / "schema-v2-2026-09.json").read_text(encoding="utf-8"))
        assert {k: september[k] for k in ("visits", "services", "by_category")} == {
            k: before[k] for k in ("visits", "services", "by_category")
        }
    assert september["compensation"] == "300.00"


def test_the_first_schema_upgrades_to_versioned_settings(tmp_path, config):
    path = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURES / "schema-v1.sqlite", path)
    from kela_tui.clock import FixedClock

    ctx = open_context(config, f"sqlite:///{path}", FixedClock(datetime(2026, 9, 20, 15, 0)))
    assert [v.valid_from for v in ctx.settings.versions] == [ctx.site.agreement_start]
    assert ctx.point.office_hours == config.point.office_hours


def test_history_before_its_first_version_is_the_first(ctx):
    assert settings.History.single(PointSettings()).on(date(2000, 1, 1)) == PointSettings()
    assert ctx.settings.on(date(2026, 1, 1)) == ctx.settings.first
    assert Site.get().name == ctx.point.name


def test_a_mistyped_point_code_makes_no_point(kela, tmp_path):
    mistyped = tmp_path / "mistyped.toml"
    mistyped.write_text('[site]\ncode = "KANUS"\n', encoding="utf-8")
    for argv in (
        ["settings", "show"],
        ["staff", "list"],
        ["log", "1"],
        ["settings", "set", "booth.count", "2"],
    ):
        code, _, err = kela(*argv, config_file=str(mistyped))
        assert code == 2, argv
        assert "KANUS" in err
    assert [site.code for site in Site.select()] == ["KANNUS"]
    code, _, err = kela("log", "1", config_file=str(mistyped))
    assert "is not in this database (it has KANNUS)" in err and "settings import" in err


def test_a_region_adds_a_point_from_its_settings_file(kela, tmp_path, clock):
    clock.set(datetime(2026, 11, 20, 10, 0))
    file = tmp_path / "kokkola.toml"
    file.write_text(
        '[site]\nname = "Kokkolan yhteispalvelupiste"\ncity = "Kokkola"\n'
        '[agreement]\nstart = 2026-10-01\nmonthly_compensation = "450.00"\n'
        '[[staff]]\nid = "liisa"\nname = "Liisa"\nrole = "virastomestari"\n',
        encoding="utf-8",
    )
    partial = tmp_path / "partial.toml"
    partial.write_text("[agreement]\nstart = 2026-10-01\n", encoding="utf-8")
    code, _, err = kela("--site", "KOKKOLA", "settings", "import", str(partial))
    assert code == 2 and "site.name, site.city" in err
    code, _, err = kela("--site", "kokkola", "settings", "import", str(file))
    assert code == 2 and "capitals" in err
    assert Site.select().count() == 1
    code, out, err = kela("--site", "KOKKOLA", "settings", "import", str(file))
    assert (code, err) == (0, "") and "KOKKOLA" in out
    kokkola = Site.get(code="KOKKOLA")
    assert [s.code for s in Staff.select().where(Staff.site == kokkola)] == ["liisa"]
    assert kela("--site", "KOKKOLA", "log", "1")[0] == 0
    code, out, _ = kela("--site", "KOKKOLA", "settings", "show", "--format", "json")
    shown = json.loads(out)
    assert shown["settings"]["agreement"]["monthly_compensation"] == "450.00"
    assert shown["versions"] == ["2026-10-01"]
    code, out, _ = kela("stats", "2026-10", "--site", "all", "--format", "json")
    assert json.loads(out)["compensation"] == "750.00"
    # Importing again changes the point's settings as usual.
    assert kela("--site", "KOKKOLA", "settings", "import", str(file))[0] == 0
    assert Site.select().count() == 2


@pytest.mark.parametrize("staff_id", ["131052-308t", "131052308t", "010594y9021"])
def test_a_staff_id_that_is_an_identity_code_is_refused(kela, tmp_path, staff_id):
    code, _, err = kela("staff", "add", staff_id, "Maija")
    assert code == 3 and "identity code" in err
    file = tmp_path / "staff.toml"
    file.write_text(f'[[staff]]\nid = "{staff_id}"\nname = "Maija"\nrole = "deputy"\n')
    code, _, err = kela("settings", "import", str(file))
    assert code == 2 and "staff[0].id" in err and "identity code" in err
    assert Staff.get_or_none(code=staff_id) is None


def test_an_earlier_change_stops_at_a_later_version_with_its_own_value(kela):
    assert (
        kela("settings", "set", "agreement.monthly_compensation", "500", "--from", "2026-12-01")[0]
        == 0
    )
    assert (
        kela("settings", "set", "office_hours.fri", "09:00-14:00", "--from", "2026-12-01")[0] == 0
    )
    code, out, _ = kela(
        "settings", "set", "agreement.monthly_compensation", "400", "--from", "2026-11-15"
    )
    assert code == 0
    assert "the version from 1 Dec 2026 keeps its own agreement.monthly_compensation" in out

    def on(day: str) -> dict:
        return json.loads(kela("settings", "show", "--format", "json", "--at", day)[1])["settings"]

    assert on("2026-11-20")["agreement"]["monthly_compensation"] == "400.00"
    assert on("2026-12-02")["agreement"]["monthly_compensation"] == "500.00"
    # A key the later version only repeated is carried into it.
    assert (
        kela("settings", "set", "office_hours.mon", "08:00-16:00", "--from", "2026-11-15")[0] == 0
    )
    assert on("2026-12-02")["office_hours"]["mon"] == "08:00-16:00"
    assert on("2026-12-02")["office_hours"]["fri"] == "09:00-14:00"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fi", 'väliltä 0–1\u00a0000\u00a0000,00\u00a0€ sentin tarkkuudella, esim. "300,00"'),
        (
            "sv",
            'mellan 0 och 1\u00a0000\u00a0000,00\u00a0€ med högst två decimaler, t.ex. "300,00"',
        ),
        ("en", 'from 0 to €1,000,000.00, to the cent, like "300.00"'),
    ],
)
def test_settings_set_names_the_key_and_writes_the_bounds_as_the_language_does(
    tmp_path, clock, capsys, db_url, config, lang, said
):
    open_context(config, db_url, clock).db.close()
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "--lang", lang]
    code = main([*argv, "settings", "set", "agreement.monthly_compensation", "1e3"], clock=clock)
    err = capsys.readouterr().err
    assert code == 2 and "agreement.monthly_compensation: " in err and said in err, err
    assert SiteSettings.select().count() == 1


def test_the_configuration_files_example_is_typed_as_toml_takes_it(tmp_path):
    # In the file the amount is a TOML string or number: 300.00, in every language.
    from kela_tui.point import point_from_tree

    with pytest.raises(BadInput) as caught:
        point_from_tree(
            {"agreement": {"monthly_compensation": "1e3"}}, error="config_value", where="x"
        )
    said = Translator("fi").error(caught.value)
    assert "agreement.monthly_compensation" in said and 'esim. "300.00"' in said, said
    assert "0–1\u00a0000\u00a0000,00\u00a0€" in said
