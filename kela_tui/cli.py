"""The command line. Every command calls the same domain functions as the
screens; the interface is stable (PRODUCT.md): scripts rely on it."""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import re
import sys
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path

from kela_tui import config as configuration
from kela_tui import db as storage
from kela_tui import version
from kela_tui.argparse_words import argparse_language
from kela_tui.catalogue import CODES, DOCUMENT_KINDS, EXCLUDED_DOCUMENTS, FEEDBACK_KINDS
from kela_tui.clock import Clock, in_range, to_local
from kela_tui.clock import parse_day as clock_day
from kela_tui.controls import CONTROLS, visible
from kela_tui.errors import BadInput, KelaError, os_problem
from kela_tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, translator, use_language
from kela_tui.point import ROLES

EXIT_OK = 0
# An error the program did not foresee: written to the error log, said in one line.
EXIT_UNEXPECTED = 1
# What each command does to the database: only `demo` and `db upgrade` create
# one (and the first start of the program on the default file); commands that
# read never write.
MODES = {
    "log": storage.WRITE,
    "doc": storage.WRITE,
    "feedback": storage.WRITE,
    "tally": storage.WRITE,
    "issue": storage.WRITE,
    "reopen": storage.WRITE,
    "demo": storage.CREATE,
    "stats": storage.READ,
    "statement": storage.READ,
    "export": storage.READ,
    "backup": storage.READ,
    "settings": storage.WRITE,
    "staff": storage.WRITE,
}


def _h(key: str, /, **params: object) -> str:
    """A text of the command line's help, in the language chosen."""
    return translator()(f"cli.help.{key}", **params)


def _t(key: str, /) -> str:
    """Any message, in the language chosen (a help text outside `cli.help`)."""
    return translator()(key)


def _m(key: str, /) -> str:
    """An argument's name (metavar) in the usage, errors and help, in the
    language chosen; only what is shown changes, never an option's name."""
    return translator()(f"cli.metavar.{key}")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # Global options are accepted before or after the command; SUPPRESS keeps
    # a value given before the command from being overwritten by the default.
    common.add_argument("--db", default=argparse.SUPPRESS, metavar=_m("db"), help=_h("db"))
    common.add_argument(
        "--config", default=argparse.SUPPRESS, metavar=_m("config"), help=_h("config")
    )
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=_h("lang"))
    common.add_argument("--site", default=argparse.SUPPRESS, metavar=_m("site"), help=_h("site"))

    parser = argparse.ArgumentParser(
        prog="kela-tui",
        description=_h("description"),
        parents=[common],
    )
    # Python 3.11 words --version's help without asking gettext: asked here.
    version_help = argparse._("show program's version number and exit")
    parser.add_argument("--version", action=VersionAction, help=version_help)
    commands = parser.add_subparsers(dest="command", metavar=_m("command"))

    log = commands.add_parser("log", parents=[common], help=_h("log"))
    log.add_argument(
        "category", metavar=_m("category"), help=_h("category", codes=", ".join(CODES))
    )
    _when_who(log)
    log.add_argument("--note", metavar=_m("text"), help=_h("note"))
    log.add_argument("--visit-of", type=record_id, metavar=_m("record"), help=_h("visit_of"))

    doc = commands.add_parser("doc", parents=[common], help=_h("doc"))
    doc_commands = doc.add_subparsers(dest="doc_command", metavar=_m("action"), required=True)
    receive = doc_commands.add_parser("receive", parents=[common], help=_h("receive"))
    receive.add_argument(
        "--type", dest="kind", choices=DOCUMENT_KINDS + EXCLUDED_DOCUMENTS, help=_h("type")
    )
    receive.add_argument("--count", type=int, metavar=_m("count"), help=_h("count"))
    receive.add_argument(
        "--add",
        action="append",
        default=[],
        metavar=_m("type_n"),
        help=_h("add_line"),
    )
    receive.add_argument("--note", metavar=_m("text"), help=_h("note"))
    receive.add_argument(
        "--visit-of", type=record_id, metavar=_m("record"), help=_h("receive_visit_of")
    )
    _when_who(receive)
    forward = doc_commands.add_parser("forward", parents=[common], help=_h("forward"))
    forward.add_argument("receipts", nargs="+", metavar=_m("receipt"), help=_h("receipts"))
    forward.add_argument(
        "--method",
        default="secure-mail",
        choices=("secure-mail", "courier", "post", "other"),
        help=_h("method"),
    )
    _when_who(forward)

    fb = commands.add_parser("feedback", parents=[common], help=_h("feedback"))
    fb.add_argument("text", metavar=_m("text"), help=_h("feedback_text"))
    fb.add_argument("--kind", choices=FEEDBACK_KINDS, default="other", help=_h("feedback_kind"))
    _when_who(fb)

    tally = commands.add_parser("tally", parents=[common], help=_h("tally"))
    tally.add_argument("counts", nargs="+", metavar=_m("counts"), help=_h("counts"))
    tally.add_argument(
        "--from", dest="start", required=True, metavar=_m("clock"), help=_h("tally_from")
    )
    tally.add_argument("--to", dest="end", required=True, metavar=_m("clock"), help=_h("tally_to"))
    tally.add_argument("--date", metavar=_m("date"), help=_h("day"))
    tally.add_argument("--one-visit", action="store_true", help=_h("one_visit"))
    tally.add_argument("--note", metavar=_m("text"), help=_h("tally_note"))
    tally.add_argument("--staff", metavar=_m("staff"), help=_h("staff_id"))

    stats = commands.add_parser("stats", parents=[common], help=_h("stats"))
    stats.add_argument("month", metavar=_m("month"), help=_t("year.help_stats_period"))
    stats.add_argument("--format", choices=("table", "json"), default="table", help=_h("format"))

    statement = commands.add_parser("statement", parents=[common], help=_h("statement"))
    statement.add_argument("month", metavar=_m("month"), help=_h("month"))
    statement.add_argument(
        "--format", choices=("txt", "html", "pdf"), default="txt", help=_h("format")
    )
    statement.add_argument("-o", "--output", metavar=_m("file"), help=_h("statement_output"))

    issue = commands.add_parser("issue", parents=[common], help=_h("issue"))
    issue.add_argument("month", metavar=_m("month"), help=_h("month"))

    reopen = commands.add_parser("reopen", parents=[common], help=_h("reopen"))
    reopen.add_argument("month", metavar=_m("month"), help=_h("month"))
    reopen.add_argument("--reason", required=True, metavar=_m("text"), help=_h("reason"))

    export = commands.add_parser("export", parents=[common], help=_h("export"))
    export.add_argument("month", metavar=_t("year.metavar_period"), help=_t("year.help_period"))
    # No default: without --format the format follows -o's suffix (csv else).
    export.add_argument("--format", choices=("csv", "json", "xlsx"), help=_h("format"))
    export.add_argument(
        "-o", "--output", metavar=_m("file"), help=translator()("xlsx.export_output")
    )

    demo = commands.add_parser("demo", parents=[common], help=_h("demo"))
    demo.add_argument("--months", type=int, metavar=_m("months"), help=_h("months"))
    demo.add_argument("--seed", type=int, default=1, metavar=_m("seed"), help=_h("seed"))
    demo.add_argument("--sites", type=int, default=1, metavar=_m("sites"), help=_h("sites"))

    backup = commands.add_parser("backup", parents=[common], help=_h("backup"))
    target = backup.add_mutually_exclusive_group(required=True)
    target.add_argument("file", nargs="?", metavar=_m("file"), help=_h("backup_file"))
    target.add_argument("--auto", action="store_true", help=_t("backup.help_auto"))

    db = commands.add_parser("db", parents=[common], help=_h("schema"))
    db.add_argument(
        "db_command", choices=("upgrade", "check"), metavar="upgrade|check", help=_h("db_command")
    )

    settings = commands.add_parser("settings", parents=[common], help=_h("settings"))
    settings_commands = settings.add_subparsers(
        dest="settings_command", metavar=_m("action"), required=True
    )
    show = settings_commands.add_parser("show", parents=[common], help=_h("show"))
    show.add_argument("--format", choices=("toml", "json"), default="toml", help=_h("format"))
    show.add_argument("--at", dest="on", metavar=_m("date"), help=_h("in_force_on"))
    change = settings_commands.add_parser("set", parents=[common], help=_h("set"))
    change.add_argument("key", metavar=_m("key"), help=_h("key"))
    change.add_argument("value", metavar=_m("value"), help=_h("value"))
    change.add_argument("--from", dest="valid_from", metavar=_m("date"), help=_h("valid_from"))
    bring = settings_commands.add_parser("import", parents=[common], help=_h("import"))
    bring.add_argument("file", metavar=_m("file"), help=_h("import_file"))
    bring.add_argument("--from", dest="valid_from", metavar=_m("date"), help=_h("valid_from"))

    staff = commands.add_parser("staff", parents=[common], help=_h("staff"))
    staff_commands = staff.add_subparsers(
        dest="staff_command", metavar=_m("action"), required=True
    )
    staff_commands.add_parser("list", parents=[common], help=_h("list"))
    add = staff_commands.add_parser("add", parents=[common], help=_h("add"))
    add.add_argument("member", metavar=_m("staff"), help=_h("member"))
    add.add_argument("member_name", metavar=_m("name"), help=_h("member_name"))
    add.add_argument("--role", choices=ROLES, default="deputy", help=_h("member_role"))
    rename = staff_commands.add_parser("rename", parents=[common], help=_h("rename"))
    rename.add_argument("member", metavar=_m("staff"), help=_h("member"))
    rename.add_argument("member_name", metavar=_m("name"), help=_h("new_name"))
    role = staff_commands.add_parser("role", parents=[common], help=_h("role"))
    role.add_argument("member", metavar=_m("staff"), help=_h("member"))
    role.add_argument(
        "member_role",
        metavar=_m("role"),
        choices=ROLES,
        help=_h("new_role", roles=", ".join(ROLES)),
    )
    leave = staff_commands.add_parser("leave", parents=[common], help=_h("leave"))
    leave.add_argument("member", metavar=_m("staff"), help=_h("member"))
    return parser


class VersionAction(argparse.Action):
    """`--version`: the program's version and the database schema it writes,
    in the workstation's language. Needs no configuration or database and
    creates neither: it is said as soon as it is parsed."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        line = translator()("cli.version_line", version=version(), schema=storage.SCHEMA_VERSION)
        print(line)
        parser.exit()


def record_id(text: str) -> int:
    """A record number: a positive 64-bit integer, as the database holds them."""
    from kela_tui.services import MAX_ID

    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_h("not_a_number", value=repr(text))) from None
    if not 1 <= number <= MAX_ID:
        raise argparse.ArgumentTypeError(_h("no_record", value=text))
    return number


def _when_who(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", metavar=_m("iso"), help=_h("at"))
    parser.add_argument("--staff", metavar=_m("staff"), help=_h("staff_id"))


def parse_time(text: str | None) -> datetime | None:
    """A date and time from the command line, Finnish time unless an offset is
    given; within the years the program takes, and a time that exists."""
    if text is None:
        return None
    if CONTROLS.search(text):
        raise BadInput("bad_time", value=text)
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput("bad_time", value=text) from None
    if len(text.strip()) <= 10 or not in_range(at):
        raise BadInput("bad_time", value=text)
    try:
        local = to_local(at)
    except OverflowError:
        raise BadInput("bad_time", value=text) from None
    if not in_range(local):
        raise BadInput("bad_time", value=text)
    return local


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    # Start-up makes a few hundred thousand objects that live as long as the
    # program (modules, classes, styles, widgets): the garbage collector,
    # which would go through them again and again, waits until the TUI's
    # first frame is drawn (KelaApp.on_ready), or until a command is known.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, clock, collecting)
    finally:
        if collecting:
            gc.enable()


def _main(argv: list[str] | None, clock: Clock | None, collecting: bool) -> int:
    argv = sys.argv[1:] if argv is None else argv
    t = use_language(asked_language(argv))
    for arg in argv:
        # Bytes that were not UTF-8 arrive as lone surrogates.
        if any(0xD800 <= ord(char) < 0xE000 for char in arg):
            print(f"kela-tui: {t('error.argument_not_text', value=visible(arg))}", file=sys.stderr)
            return BadInput.exit_code
    # argparse's own words (usage, its errors, --help's headings) too.
    with argparse_language(t):
        args = build_parser().parse_args(argv)
    if args.command is not None and collecting:
        gc.enable()
    lang = getattr(args, "lang", None)
    # --lang applies even to a message about a broken configuration file.
    t = use_language(lang or DEFAULT_LANGUAGE)
    try:
        config = configuration.load(getattr(args, "config", None))
        t = use_language(lang or config.language)
        code = run(args, config, clock or Clock(), t)
        sys.stdout.flush()
        return code
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            # The reader stopped reading (`stats … | head`): it has what it
            # wanted, and nothing more is said, not even at exit.
            _quiet_stdout()
            return 0
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            return unexpected(exc, t)
        # Standard output that cannot be written: a full disk.
        print(f"kela-tui: {t('error.stdout_failed', problem=os_problem(exc))}", file=sys.stderr)
        return BadInput.exit_code
    except KelaError as error:
        print(f"kela-tui: {t.error(error)}", file=sys.stderr)
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - the last line of defence
        return unexpected(error, t)


def _quiet_stdout() -> None:
    """Standard output to nowhere: Python's flush at exit would complain of
    the closed pipe again."""
    with suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def asked_language(argv: list[str]) -> str:
    """The language before the command line is parsed (its own errors are
    said in it): `--lang`, or else the configuration file's, or Finnish."""
    asked = _option(argv, "--lang")
    if asked is not None:
        return asked if asked in LANGUAGES else DEFAULT_LANGUAGE
    try:
        path = configuration.resolve_path(_option(argv, "--config"))
        if path.is_file():
            return configuration.parse(
                configuration.read_small(path, "config_unreadable")
            ).language
    except (KelaError, OSError, ValueError):
        pass  # said once the command line is parsed, in the language it names
    return DEFAULT_LANGUAGE


def _option(argv: list[str], name: str) -> str | None:
    """An option's value as written (`--lang sv` or `--lang=sv`), the last one."""
    found = None
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith(f"{name}="):
            found = arg.partition("=")[2]
    return found


def unexpected(error: Exception, t: Translator) -> int:
    """A database failure in words; anything else to the error log, in one line."""
    from kela_tui import errorlog

    explained = storage.explain(error)
    if explained is not None:
        print(f"kela-tui: {t.error(explained)}", file=sys.stderr)
        return explained.exit_code
    path = errorlog.write(error)
    print(f"kela-tui: {t('error.unexpected', path=path)}", file=sys.stderr)
    return EXIT_UNEXPECTED


def database_url(args, config) -> str | None:
    """The database: --db, else KELA_TUI_DB, else the workstation's file, else
    None (the default file in the user's data folder)."""
    return (
        getattr(args, "db", None) or os.environ.get("KELA_TUI_DB") or config.database_url or None
    )


def run(args, config, clock: Clock, t: Translator) -> int:
    url = database_url(args, config)
    site = getattr(args, "site", None)
    if args.command is None:
        from kela_tui.app import KelaApp
        from kela_tui.context import open_context

        configuration.check_theme(config)

        # Only the first start on the default file creates a database: a
        # database named by the user must exist.
        mode = storage.CREATE if storage.is_default(url) else storage.WRITE
        app = KelaApp(open_context(config, url, clock, site, mode=mode), t)
        app.collect_after_start = not gc.isenabled()
        app.run()
        return app.return_code or EXIT_OK
    if args.command == "db":
        return db_command(args.db_command, url, config, clock, t)
    if args.command == "backup" and args.auto:
        return daily_backup_command(url, config, clock, t)
    if args.command == "backup":
        resolved = storage.resolve_url(url)
        database = storage.connect(resolved, storage.READ)
        storage.ensure_schema(database, storage.READ)
        path = storage.backup(database, resolved, args.file)
        print(t("cli.backed_up", path=path))
        return EXIT_OK
    if args.command == "stats":
        return stats_command(args, config, clock, t)

    from kela_tui.context import open_context

    if args.command == "settings" and args.settings_command == "import":
        added = new_point_command(args, config, url, clock, t)
        if added is not None:
            return added
    if site == "all" and args.command != "stats":
        # Only `stats` adds the points up; the rest act as one point.
        raise BadInput("one_site_at_a_time", command=args.command)
    if args.command == "demo":
        from kela_tui import demo

        demo.check_request(args.sites, args.months)
    mode = MODES[args.command]
    if getattr(args, "settings_command", None) == "show" or (
        getattr(args, "staff_command", None) == "list"
    ):
        mode = storage.READ  # showing never writes, not even a new point
    ctx = open_context(config, url, clock, site, mode=mode)
    for notice in ctx.notices:
        print(f"kela-tui: {t(notice.key, **notice.params)}", file=sys.stderr)
    if args.command == "settings":
        return settings_command(args, ctx, t)
    if args.command == "staff":
        return staff_command(args, ctx, t)
    at = parse_time(getattr(args, "at", None))
    staff = getattr(args, "staff", None)
    if args.command == "log":
        from kela_tui import services

        service = services.log_service(
            ctx,
            args.category,
            at=at,
            staff=staff,
            note=args.note,
            visit_of=args.visit_of,
            origin="cli",
        )
        print(service.id)
        _warn_outside_hours(service, t)
    elif args.command == "tally":
        return tally_command(args, ctx, t)
    elif args.command == "doc" and args.doc_command == "receive":
        from kela_tui import documents

        received = documents.receive_bundle(
            ctx,
            _bundle_lines(args),
            at=at,
            staff=staff,
            note=args.note,
            visit_of=args.visit_of,
        )
        for document in received:
            print(document.receipt)
        _warn_outside_hours(received[0].service, t)
    elif args.command == "doc":
        from kela_tui import documents

        for document in documents.forward_documents(
            ctx, args.receipts, at=at, method=args.method, staff=staff
        ):
            print(t("cli.forwarded", receipt=document.receipt))
    elif args.command == "feedback":
        from kela_tui import feedback

        saved = feedback.record_feedback(ctx, args.text, args.kind, at=at, staff=staff)
        print(saved.service.id)
        _warn_outside_hours(saved.service, t)
    elif args.command in ("statement", "issue", "reopen", "export"):
        return month_command(args, ctx, t)
    elif args.command == "demo":
        from kela_tui import demo

        with progress_bar(t("cli.demo_progress")) as advance:
            written = demo.fill_sites(ctx, args.sites, args.months, args.seed, advance)
        codes = [ctx.site.code, *demo.NEIGHBOURS[: args.sites - 1]]
        print(t("cli.demo_written", count=written, site=", ".join(codes)))
    return EXIT_OK


@contextmanager
def progress_bar(label: str):
    """A progress bar on standard error while long work runs, when that is a
    terminal; yields the function to tell it (done, total)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[progress.description]{escape(label)}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def parse_day(text: str | None) -> date | None:
    """A date from the command line: 2026-12-01, or the Finnish 1.12.2026."""
    return None if text is None else clock_day(text)


def daily_backup_command(url: str | None, config, clock: Clock, t: Translator) -> int:
    """`backup --auto`: today's copy of a SQLite database, as the program
    makes it at its first start of the day. Exit 0 when it is made, was made
    already or is being made by another process (the message says which),
    2 when it failed. On PostgreSQL nothing is done, with exit 0: a scheduled
    task set up on every PC of an office does no harm on one whose database
    its administrators back up with pg_dump."""
    from kela_tui import backups, errorlog

    resolved = storage.resolve_url(url)
    if resolved.partition(":")[0].lower() in ("postgres", "postgresql"):
        print(t("backup.postgres"))
        return EXIT_OK
    database = storage.connect(resolved, storage.READ)
    try:
        storage.ensure_schema(database, storage.READ)
    finally:
        database.close()
    path = Path(storage.sqlite_path(resolved))
    outcome = backups.run_daily(path, backups.folder_for(config.backup_folder, path), clock)
    if outcome.state == backups.FAILED:
        errorlog.write(outcome.error)
        print(f"kela-tui: {t('backup.failed', problem=outcome.problem)}", file=sys.stderr)
        return BadInput.exit_code
    if outcome.state == backups.MADE:
        print(t("backup.made", path=outcome.path))
    elif outcome.state == backups.EXISTS:
        print(t("backup.exists", path=outcome.path, at=backups.when(t, outcome.at)))
    else:
        print(t("backup.busy", path=outcome.path))
    return EXIT_OK


def settings_command(args, ctx, t: Translator) -> int:
    from kela_tui import settings

    if args.settings_command == "show":
        day = parse_day(args.on) or ctx.today()
        shown = ctx.settings.on(day)
        staff = settings.staff_list(ctx.site)
        if args.format == "json":
            print(
                json.dumps(settings.as_json(ctx, day, shown, staff), ensure_ascii=False, indent=1)
            )
        else:
            sys.stdout.write(settings.as_toml(shown, staff))
        return EXIT_OK
    valid_from = parse_day(args.valid_from)
    if args.settings_command == "set":
        value = settings.parse_value(args.key, args.value)
        changed = settings.change(ctx, {args.key: value}, valid_from)
        if not changed.wrote:
            print(t("parties_set.unchanged", key=args.key, day=changed.day))
        else:
            print(t("cli.setting_changed", key=args.key, day=changed.day))
            if settings.statement_only([args.key]):
                first, last = settings.affected_months(ctx, changed.day)
                print(t("parties_set.statements", first=first, last=last))
    else:
        path = Path(args.file)
        content = configuration.read_small(path, "read_failed")
        changed = settings.import_file(ctx, content, path, valid_from)
        day = changed.day or valid_from or ctx.today()
        print(t("cli.settings_imported", path=path, day=day))
    for day, keys in changed.kept:
        print(t("cli.version_kept", day=day, keys=", ".join(keys)))
    return EXIT_OK


def new_point_command(args, config, url, clock: Clock, t: Translator) -> int | None:
    """`--site CODE settings import FILE` for a point the database does not
    have yet: the point is added from the file. None when the point exists
    (or the database is new and takes its first point from the workstation's
    file), for the import to go on as usual."""
    from kela_tui import settings
    from kela_tui.models import Site

    code = getattr(args, "site", None) or config.site_code
    db = storage.connect(storage.resolve_url(url), MODES["settings"])
    try:
        storage.ensure_schema(db, MODES["settings"], config)
        if Site.get_or_none(code=code) is not None:
            return None
        if code == config.site_code and not Site.select().exists():
            return None
        path = Path(args.file)
        content = configuration.read_small(path, "read_failed")
        settings.new_point(db, clock, code, content, path)
    finally:
        db.close()
    print(t("cli.point_added", site=code, path=path))
    return EXIT_OK


def staff_command(args, ctx, t: Translator) -> int:
    from kela_tui import settings

    action = args.staff_command
    if action == "list":
        for member in settings.staff_list(ctx.site):
            state = "" if member.active else f"  ({t('cli.staff_left')})"
            print(f"{member.code}\t{visible(member.name)}\t{member.role}{state}")
        return EXIT_OK
    if action == "add":
        settings.add_staff(ctx, args.member, args.member_name, args.role)
    elif action == "rename":
        settings.update_staff(ctx, args.member, name=args.member_name)
    elif action == "role":
        settings.update_staff(ctx, args.member, role=args.member_role)
    else:
        settings.update_staff(ctx, args.member, active=False)
    print(t(f"cli.staff_{action}", staff=args.member))
    return EXIT_OK


def _bundle_lines(args) -> list[tuple[str, int]]:
    """`doc receive`'s lines: `--type` with `--count`, and each `--add TYPE[:N]`."""
    if args.count is not None and args.kind is None:
        raise BadInput("count_without_type")
    lines = [(args.kind, 1 if args.count is None else args.count)] if args.kind else []
    for line in args.add:
        kind, colon, count = line.partition(":")
        if not re.fullmatch(r"[a-z-]+", kind, re.ASCII) or (
            colon and not re.fullmatch(r"[0-9]{1,4}", count, re.ASCII)
        ):
            raise BadInput("bad_bundle_line", value=line if len(line) <= 40 else f"{line[:40]}…")
        lines.append((kind, int(count) if colon else 1))
    if not lines:
        raise BadInput("no_document_lines")
    return lines


def tally_command(args, ctx, t: Translator) -> int:
    """Services entered afterwards: their numbers, one a line, as `log` prints."""
    from kela_tui import tally

    counts = tally.parse_pairs(args.counts)
    day = parse_day(args.date) or ctx.today()
    start = tally.parse_clock(args.start, day)
    end = tally.parse_clock(args.end, day)
    entered = tally.enter_tally(
        ctx,
        counts,
        start,
        end,
        one_visit=args.one_visit,
        staff=args.staff,
        note=args.note,
        origin="cli",
    )
    for service in entered:
        print(service.id)
    outside = sum(service.outside_hours for service in entered)
    if outside:
        print(f"kela-tui: {t('tally.cli_outside', count=outside)}", file=sys.stderr)
    return EXIT_OK


def _warn_outside_hours(service, t: Translator) -> None:
    if service.outside_hours:
        print(f"kela-tui: {t('warning.outside_hours')}", file=sys.stderr)


def db_command(action: str, url: str | None, config, clock: Clock, t: Translator) -> int:
    if action == "upgrade":
        db = storage.connect(storage.resolve_url(url), storage.CREATE)
        before, after = storage.upgrade(db, config)
        print(t("cli.upgraded", before=before, after=after))
        return EXIT_OK
    from kela_tui import statement

    db = storage.connect(storage.resolve_url(url), storage.READ)
    result = storage.check(db)
    if result.ok:
        # The auditor's check: every closed month still gives its issued figures.
        result.problems.extend(statement.verify(clock.today()))
    for key, params in result.problems:
        print(t(key, **params))
    if not result.ok:
        return BadInput.exit_code
    print(t("cli.check_ok", version=result.version))
    return EXIT_OK


def stats_command(args, config, clock: Clock, t: Translator) -> int:
    from kela_tui import periods, statistics
    from kela_tui.context import open_context
    from kela_tui.models import Site
    from kela_tui.periods import YEAR, Period

    period = Period.parse(args.month, ranges=False)
    month = period.month or period
    site = getattr(args, "site", None)
    ctx = open_context(
        config,
        database_url(args, config),
        clock,
        None if site == "all" else site,
        mode=MODES["stats"],
    )
    periods.check_begun(period, ctx.today())
    sites = list(Site.select().order_by(Site.code)) if site == "all" else [ctx.site]
    periods.check_within_agreement(period, sites)
    scope = "all" if site == "all" else None
    if period.kind == YEAR:
        stats = statistics.year_stats(period.first.year, sites, ctx.today(), scope)
    else:
        stats = statistics.month_stats(month, sites, ctx.today(), scope)
    if args.format == "json":
        print(json.dumps(stats.to_json(), ensure_ascii=False))
    elif period.kind == YEAR:
        print(statistics.year_table(stats, t))
    else:
        print(statistics.as_table(stats, t))
    return EXIT_OK


def month_command(args, ctx, t: Translator) -> int:
    from kela_tui import export, statement
    from kela_tui.months import Month

    month = export_period(ctx, args.month) if args.command == "export" else Month.parse(args.month)
    if args.command == "issue":
        issued = statement.issue(ctx, month, t)
        print(t("cli.issued", number=issued.number, revision=issued.revision, month=month))
        missing = statement.missing_parties(ctx, month, issued=True)
        if missing is not None:
            print(f"kela-tui: {t(missing.key, **missing.params)}", file=sys.stderr)
        if not statement.keep_pdfs(ctx, issued):
            print(f"kela-tui: {t('warning.pdf_later')}", file=sys.stderr)
    elif args.command == "reopen":
        statement.reopen(ctx, month, args.reason)
        print(t("cli.reopened", month=month))
    elif args.command == "statement":
        if args.format == "pdf":
            target = args.output or f"{statement.number(ctx, month)}.pdf"
            output(statement.pdf(ctx, month, t), target, t)
        else:
            text, html = statement.document(ctx, month, t)
            output(text if args.format == "txt" else html, args.output, t)
    else:
        fmt, target = export_target(args.format, args.output)
        statement.check_begun(ctx, month)
        records = export.rows(ctx, month)
        if fmt == "xlsx":
            # A binary file is never written to a terminal: like a PDF, it
            # goes to a file named after the statement unless -o names one.
            from kela_tui import spreadsheet

            if target is None:
                target = f"{spreadsheet.file_name(ctx, month)}.xlsx"
            with progress_bar(t("xlsx.progress")) as advance:
                made = spreadsheet.period_workbook(ctx, month, records, t, advance)
            output(made, None if target == STDOUT else target, t)
            return EXIT_OK
        output(
            export.to_csv(records) if fmt == "csv" else export.to_json(records),
            target,
            t,
        )
    return EXIT_OK


# `-o -`: standard output, also for a spreadsheet (bytes) when it is a pipe.
STDOUT = "-"
# The export's formats by the suffix of the file -o names.
EXPORT_SUFFIXES = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


def export_target(fmt: str | None, path: str | None) -> tuple[str, str | None]:
    """The export's format and where it goes (None: standard output for a
    text, the statement's name for a spreadsheet). Without --format the
    format follows -o's suffix (.csv, .json, .xlsx; any other is CSV, as
    always); a --format that a known suffix contradicts is refused, so that
    no program is handed a file it cannot open. `-o -` is standard output:
    a spreadsheet goes there only when it is not a terminal (a pipe, a
    redirection), since its bytes would garble the screen."""
    named = EXPORT_SUFFIXES.get(Path(path).suffix.lower()) if path and path != STDOUT else None
    if fmt is None:
        fmt = named or "csv"
    elif named is not None and named != fmt:
        raise BadInput("export_suffix", path=path, format=fmt, suffix=Path(path).suffix)
    if path == STDOUT:
        if fmt != "xlsx":
            return fmt, None
        if sys.stdout.isatty():
            raise BadInput("xlsx_to_terminal")
    return fmt, path


def export_period(ctx, text: str):
    """What `export` is asked for: a month (as a Month, exported as always),
    a year, or a range of days within the agreement and up to today. A month
    or a year wholly outside the agreement is refused as its statement is."""
    from kela_tui import periods
    from kela_tui.periods import RANGE, Period

    period = Period.parse(text)
    if period.kind != RANGE:
        periods.check_begun(period, ctx.today())
        periods.check_within_agreement(period, [ctx.site])
        return period.month or period
    start = ctx.settings.first.agreement_start
    end = ctx.point.agreement_end
    if period.first < start:
        raise BadInput("period_before_agreement", value=str(period), start=start)
    if end is not None and period.last > end:
        raise BadInput("period_after_agreement", value=str(period), end=end)
    if period.last > ctx.today():
        raise BadInput("period_future", value=str(period), today=ctx.today())
    return period


def output(content: str | bytes, path: str | None, t: Translator) -> None:
    """Write to FILE, or to standard output when no file is named."""
    from kela_tui.printing import write_file

    if path is None:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return
    write_file(Path(path), content)
    print(t("cli.written", path=path), file=sys.stderr)
