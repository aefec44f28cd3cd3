from datetime import date, time
from decimal import Decimal

import pytest

from kela_tui import config as configuration
from kela_tui import themes
from kela_tui.config import DEFAULT_TEXT, Config, parse
from kela_tui.errors import BadInput


def test_first_run_writes_the_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("KELA_TUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    loaded = configuration.load(None)
    path = tmp_path / "xdg" / "kela-tui" / "config.toml"
    assert path.read_text(encoding="utf-8") == DEFAULT_TEXT
    assert loaded == Config(path=path)
    # A file named by the user is written into a folder that exists.
    named = tmp_path / "named.toml"
    assert configuration.load(str(named)) == Config(path=named)
    assert named.read_text(encoding="utf-8") == DEFAULT_TEXT


def test_a_mistyped_configuration_path_creates_nothing(tmp_path):
    with pytest.raises(BadInput, match="there is no configuration file"):
        configuration.load(str(tmp_path / "typo" / "dir" / "config.toml"))
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("where", ["/dev/zero", "folder", "/etc/passwd/x.toml", "big.toml"])
def test_what_is_not_a_configuration_file_is_said_so(tmp_path, where):
    (tmp_path / "folder").mkdir()
    (tmp_path / "big.toml").write_text("# x\n" * 300_000, encoding="utf-8")
    path = where if where.startswith("/") else str(tmp_path / where)
    with pytest.raises(BadInput, match="configuration file") as caught:
        configuration.load(path)
    assert caught.value.exit_code == 2


def test_defaults_are_kannus():
    config = parse(DEFAULT_TEXT)
    assert config.site_code == "KANNUS"
    assert config.point_keys == frozenset()
    point = config.point
    assert point.agreement_start == date(2026, 8, 15)
    assert point.agreement_end is None
    assert point.monthly_compensation == Decimal("300.00")
    assert point.prorate is True
    assert point.office_hours.on(0) == ((time(9), time(15)),)
    assert point.office_hours.on(5) == ()
    assert point.kela_hours.on(4) == ((time(9), time(15)),)
    assert point.holidays_region == "07"
    assert point.forward_deadline_days == 1
    assert [(s.id, s.role) for s in config.staff] == [
        ("virastomestari", "virastomestari"),
        ("varahenkilo", "deputy"),
    ]


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text(
        '[site]\ncode = "KOKKOLA"\nname = "Kokkola"\ncity = "Kokkola"\n', encoding="utf-8"
    )
    monkeypatch.setenv("KELA_TUI_CONFIG", str(path))
    assert configuration.load().site_code == "KOKKOLA"


def test_several_intervals_and_closures():
    config = parse(
        '[office_hours]\nmon = ["08:00-11:30", "12:00-16:00"]\n'
        '[closures]\nextra = [2026-12-31]\nholidays_region = ""\n'
    )
    point = config.point
    assert point.office_hours.on(0) == ((time(8), time(11, 30)), (time(12), time(16)))
    assert point.office_hours.on(1) == ()
    assert point.closures == frozenset({date(2026, 12, 31)})
    assert point.holidays_region is None
    assert config.point_keys == {"office_hours.mon", "closures.extra", "closures.holidays_region"}


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('language = "de"', "language", "expected one of fi, sv, en"),
        ("[agreement]\nstart = 2026-13-01", None, "not valid TOML"),
        ('[agreement]\nstart = "15.8.2026"', "agreement.start", "expected a date"),
        ("[agreement]\nstart = 15", "agreement.start", "expected a date"),
        (
            '[agreement]\nmonthly_compensation = "abc"',
            "agreement.monthly_compensation",
            "amount in euros",
        ),
        (
            '[agreement]\nmonthly_compensation = "-5"',
            "agreement.monthly_compensation",
            "amount in euros",
        ),
        (
            '[agreement]\nmonthly_compensation = "300.001"',
            "agreement.monthly_compensation",
            "amount in euros",
        ),
        ('[agreement]\nprorate = "yes"', "agreement.prorate", "true or false"),
        ("[agreement]\nend = 2026-08-01", "agreement.end", "cannot end before"),
        ('[office_hours]\nmon = "9-15"', "office_hours.mon", "opening hours"),
        ('[office_hours]\nmon = "15:00-09:00"', "office_hours.mon", "opening hours"),
        ('[office_hours]\nmon = ["09:00-12:00", "11:00-15:00"]', "office_hours.mon", "overlap"),
        ('[office_hours]\nmonday = "09:00-15:00"', "office_hours.monday", "unknown key"),
        ("[kela_remote_hours]\ntue = 9", "kela_remote_hours.tue", "opening hours"),
        ('[closures]\nholidays_region = "99"', "closures.holidays_region", "region code"),
        ('[closures]\nextra = ["tomorrow"]', "closures.extra[0]", "expected a date"),
        (
            '[documents]\nforward_deadline_working_days = "1"',
            "documents.forward_deadline_working_days",
            "whole number",
        ),
        (
            "[documents]\nforward_deadline_working_days = -1",
            "documents.forward_deadline_working_days",
            "whole number from 0 to 30",
        ),
        ('[site]\ncode = "kannus"', "site.code", "capitals"),
        ('[site]\nname = ""', "site.name", "expected some text"),
        ('site = "x"', "site.code", "table"),
        ('[[staff]]\nid = "A B"\nname = "x"\nrole = "deputy"', "staff[0].id", "staff id"),
        ('[[staff]]\nid = "a"\nname = "x"\nrole = "boss"', "staff[0].role", "virastomestari"),
        (
            '[[staff]]\nid = "a"\nname = "x"\nrole = "deputy"\n[[staff]]\nid = "a"\nname = "y"\n'
            'role = "deputy"',
            "staff[1].id",
            "twice",
        ),
        ("staff = []", "staff", "at least one"),
        ("[booth]\ncount = 0", "booth.count", "whole number from 1"),
        ("[printer]\nname = 1", "printer", "unknown key"),
        ('[database]\nurl = "mysql://x/y"', "database.url", "sqlite:// or postgresql://"),
        ('[database]\nurl = "sqlite:///a b.db"', "database.url", "database URL"),
        ('[database]\nurl = "sqlite:///a\\u0000.db"', "database.url", "database URL"),
        ("[database]\nurl = 5", "database.url", "database URL"),
        ('[database]\nhost = "x"', "database.host", "unknown key"),
        ('theme = "Nord!"', "theme", "expected one of ansi-dark"),
        ('[printing]\nprinter = "-oraw"', "printing.printer", "print queue"),
        ('[printing]\nprinter = "hall printer"', "printing.printer", "print queue"),
        ('[printing]\nprinter = "a/b"', "printing.printer", "print queue"),
    ],
)
def test_a_wrong_value_names_the_key_and_the_problem(text, key, problem):
    # The point's settings are held back until a new database needs them.
    try:
        error = parse(text, "config.toml").point_error
    except BadInput as caught:
        error = caught
    assert error is not None
    message = str(error)
    assert problem in message
    if key:
        assert f"key {key}:" in message
    assert error.exit_code == 2


def test_the_workstation_settings():
    config = parse(
        'theme = "nord"\n[database]\nurl = "postgresql://kela@db/kela"\n'
        '[printing]\nprinter = "Kanslia_HP"\n'
    )
    assert (config.theme, config.database_url, config.printer) == (
        "nord",
        "postgresql://kela@db/kela",
        "Kanslia_HP",
    )
    assert (parse(DEFAULT_TEXT).theme, parse(DEFAULT_TEXT).printer) == ("", "")


def test_a_theme_textual_lacks_is_refused_naming_those_it_has():
    configuration.check_theme(parse('theme = "nord"'))
    with pytest.raises(BadInput) as caught:
        configuration.check_theme(parse('theme = "no-such-theme"', "config.toml"))
    assert "key theme: expected one of" in str(caught.value) and "textual-light" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            DEFAULT_TEXT, DEFAULT_TEXT.replace('theme = ""', 'theme = "nord"'), id="default"
        ),
        pytest.param(
            "language = 'sv'\ntheme='x' # mine\n",
            "language = 'sv'\ntheme=\"nord\" # mine\n",
            id="quoted-comment",
        ),
        pytest.param(
            'language = "sv"\n[site]\ncode = "X"\n',
            'language = "sv"\ntheme = "nord"\n\n[site]\ncode = "X"\n',
            id="added",
        ),
        pytest.param('[site]\ncode = "X"\n', 'theme = "nord"\n\n[site]\ncode = "X"\n', id="first"),
        # A "theme" key inside a section is not the top-level one.
        pytest.param('[x]\ntheme = "a"\n', None, id="in-a-section"),
    ],
)
def test_a_chosen_theme_is_kept_in_the_file_and_nothing_else_changes(tmp_path, before, after):
    path = tmp_path / "config.toml"
    path.write_text(before, encoding="utf-8")
    if "[x]" in before:
        # An unknown section: the file is refused and left as it was.
        with pytest.raises(BadInput, match="unknown key"):
            configuration.save_theme(path, "nord")
        assert path.read_text(encoding="utf-8") == before
        return
    configuration.save_theme(path, "nord")
    assert path.read_text(encoding="utf-8") == after
    assert parse(after).theme == "nord"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('[[staff]]\nid = "a"\nname = "A"\n', "got nothing"),
        ("[agreement]\nstart = 2026-08-15T10:00:00", "got 2026-08-15T10:00:00"),
        (
            '[office_hours]\nmon = ["08:00-11:30", "11:00-16:00"]',
            'overlap: ["08:00-11:30", "11:00-16:00"]',
        ),
        ('[site]\ncode = "x\\u0007"', 'got "x\\u0007"'),
        (f'[site]\ncode = "{"x" * 100_000}"', f'got "{"x" * 80}…"'),
    ],
)
def test_a_wrong_value_is_quoted_as_the_file_writes_it(text, shown):
    try:
        error = parse(text, "config.toml").point_error
    except BadInput as caught:
        error = caught
    message = str(error)
    assert shown in message
    assert "None" not in message and "datetime" not in message and "['" not in message
    assert len(message) < 400


def test_the_themes_the_file_accepts_are_textuals_and_the_programs():
    from textual.theme import BUILTIN_THEMES

    from kela_tui.themes import own_themes

    assert tuple(sorted(BUILTIN_THEMES)) == configuration.TEXTUAL_THEMES
    own = tuple(theme.name for theme in own_themes())
    assert own == themes.OWN
    assert tuple(sorted((*BUILTIN_THEMES, *own))) == configuration.THEMES


def test_the_high_contrast_theme_is_accepted_and_checked():
    config = parse('theme = "kela-high-contrast"', "config.toml")
    assert config.theme == "kela-high-contrast"
    configuration.check_theme(config)  # the screens start with it


def test_the_high_contrast_theme_has_strong_contrast():
    """Every text colour at least 7:1 on the background (WCAG's AAA), and
    the highlighted row's black on yellow too."""
    (theme,) = themes.own_themes()
    background = theme.background
    for name in ("foreground", "primary", "secondary", "accent", "warning", "error", "success"):
        assert themes.contrast(getattr(theme, name), background) >= 7, name
    for name in ("text-muted", "text-error", "text-warning", "text-success", "text-accent"):
        assert themes.contrast(theme.variables[name], background) >= 7, name
    cursor = theme.variables
    assert (
        themes.contrast(cursor["block-cursor-foreground"], cursor["block-cursor-background"]) >= 7
    )
    # A prefilled, selected value in a field (a stranger found white on
    # cyan, 1.25:1), and each state's text on its own muted background (the
    # booth's banner).
    assert themes.contrast(theme.foreground, cursor["input-selection-background"]) >= 7
    for state in ("error", "warning", "success", "primary", "accent"):
        text = cursor.get(f"text-{state}", theme.foreground)
        assert themes.contrast(text, cursor[f"{state}-muted"]) >= 7, state


def test_animations_and_the_terminal_cursor_are_read():
    default = parse(DEFAULT_TEXT)
    assert (default.animations, default.terminal_cursor) == ("full", True)
    config = parse('animations = "none"\nterminal_cursor = false', "config.toml")
    assert (config.animations, config.terminal_cursor) == ("none", False)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('animations = "off"', 'key animations: expected one of full, basic, none, got "off"'),
        ("animations = 0", "key animations: expected one of full, basic, none, got 0"),
        ('terminal_cursor = "yes"', "key terminal_cursor:"),
    ],
)
def test_a_wrong_animation_or_cursor_setting_is_refused_naming_it(tmp_path, text, shown):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        configuration.load(str(path))
    assert shown in str(caught.value)
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("theme", ["nope", "NORD", 5])
def test_an_unknown_theme_is_refused_with_the_known_ones(theme):
    value = f'"{theme}"' if isinstance(theme, str) else theme
    with pytest.raises(BadInput) as caught:
        parse(f"theme = {value}", "config.toml")
    assert "key theme: expected one of ansi-dark" in str(caught.value)
    assert "tokyo-night" in str(caught.value)
