"""F6: the point's settings and staff, the same on every workstation. Each
group is edited in a form, valid from a day (today unless another is typed);
a change of the compensation or the agreement's dates is confirmed first,
naming the months it changes. Staff are added, renamed, given a role or
marked as left, never deleted."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, OptionList
from textual.widgets.option_list import Option

from kela_tui import settings, text
from kela_tui.clock import parse_day
from kela_tui.errors import BadInput
from kela_tui.keys import translate_bindings
from kela_tui.point import POINT_KEYS, ROLES, typed_value
from kela_tui.widgets.footer import KelaFooter
from kela_tui.widgets.forms import Form
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Field, Plain, PlainLabel, cell, literal
from kela_tui.widgets.status import StatusLine
from kela_tui.widgets.ticks import TickBox

GROUPS = tuple(POINT_KEYS)
# As the list on the left shows them: the statement's parties, the finance
# office's part, after the staff.
LISTED = (*(g for g in GROUPS if g != "statement"), "staff", "statement")
# Settings whose change alters what a statement claims: confirmed first.
CLAIMED = {f"agreement.{name}" for name in POINT_KEYS["agreement"]}


def shown(value: object, t) -> str:
    """A setting's value as a person reads and types it."""
    if isinstance(value, bool):
        return t("settings.yes") if value else t("settings.no")
    if isinstance(value, list):
        return ", ".join(shown(item, t) for item in value)
    if isinstance(value, str) and _DAY.fullmatch(value):
        return typed_day(date.fromisoformat(value))
    return str(value)


def displayed(value: object, t) -> str:
    """A setting's value as a person reads it on the screen: a day and the
    opening hours as the language writes them (1.9.2026, 1 Sept 2026;
    9.00–15.00, 09:00–15:00), where the form shows what is typed."""
    if isinstance(value, list):
        return ", ".join(displayed(item, t) for item in value)
    if isinstance(value, str) and _DAY.fullmatch(value):
        return t.day(date.fromisoformat(value))
    if isinstance(value, str) and (hours := _HOURS.fullmatch(value)):
        opens, closes = (time(int(hours[i]), int(hours[i + 1])) for i in (1, 3))
        return f"{t.time(opens)}–{t.time(closes)}"
    return shown(value, t)


_HOURS = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})", re.ASCII)
# A day as the settings keep it; a name or a phone number with a dash
# (Kela-piste, 0401-23456) is no day.
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def group_label(t, group: str) -> str:
    # The statement's parties have their words in a section of their own.
    return t("parties.group") if group == "statement" else t(f"settings.group_{group}")


def key_label(t, group: str, name: str) -> str:
    """A setting's label in its form."""
    if group == "statement":
        return t(f"parties.key_{name}")
    return t(f"settings.key_{group}_{name}")


def field_label(t, group: str, name: str) -> str:
    """A setting's name where its value shows its unit or in an error:
    "Kuukausikorvaus", where the form's field says "Kuukausikorvaus (€)"."""
    if t.has(f"settings_money.{name}"):
        return t(f"settings_money.{name}")
    return key_label(t, group, name)


def typed_day(day: date) -> str:
    """A date as it is typed into a field, in every language: 1.9.2026."""
    return f"{day.day}.{day.month}.{day.year}"


class GroupForm(Form):
    """One group of settings, valid from a day."""

    TITLE = "settings.form_title"
    DEFAULT_CSS = """
        GroupForm .setting-row {
            height: 1;
        }

        GroupForm .setting-row Input {
            margin-bottom: 0;
        }

        GroupForm .setting-label {
            width: 30;
        }

        GroupForm .setting-row Field {
            width: 1fr;
        }

        GroupForm .setting-row Checkbox {
            width: auto;
            height: 1;
        }
    """

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group

    def fields(self) -> ComposeResult:
        t, values = self.t, self.ctx.point.tree()[self.group]
        yield PlainLabel(group_label(t, self.group), classes="section")
        for name in POINT_KEYS[self.group]:
            key = f"{self.group}.{name}"
            with Horizontal(classes="setting-row"):
                yield PlainLabel(key_label(t, self.group, name), classes="setting-label")
                if name == "prorate":
                    # Space ticks it; enter saves the form as everywhere.
                    yield TickBox(
                        Content(t("settings.yes")),
                        bool(values[name]),
                        id=key.replace(".", "--"),
                        compact=True,
                    )
                else:
                    value = values.get(name, "")
                    yield Field(
                        # Euros as the language writes a number: 300,00, 300.00.
                        value=t.amount(Decimal(str(value)))
                        if name == "monthly_compensation"
                        else shown(value, t),
                        id=key.replace(".", "--"),
                        max_length=text.NAME,
                        compact=True,
                    )
        # The statement's parties from the first month not yet issued, so
        # that every statement still to be issued carries them.
        day = settings.default_from(
            self.ctx, [f"{self.group}.{n}" for n in POINT_KEYS[self.group]]
        )
        with Horizontal(classes="setting-row"):
            yield PlainLabel(t("settings.valid_from"), classes="setting-label")
            yield Field(value=typed_day(day), id="valid-from", max_length=10, compact=True)
        if self.group == "statement":
            yield Plain(
                t("parties_set.valid_from_note", day=day),
                id="valid-from-note",
                classes="form-hint",
            )

    def updates(self) -> dict[str, object]:
        found = {}
        for name in POINT_KEYS[self.group]:
            key = f"{self.group}.{name}"
            if name == "prorate":
                found[key] = self.query_one(f"#{key.replace('.', '--')}", Checkbox).value
            else:
                found[key] = typed_value(key, self.value(key.replace(".", "--")))
        return found

    def valid_from(self) -> date:
        return parse_day(self.value("valid-from"))

    def submit(self):
        try:
            return self.checked()
        except BadInput as error:
            # A refused value named as the form names its field, not by the
            # key the file and `settings set` use.
            key = error.params.get("key", "")
            if error.key != "setting_value" or key.split(".")[0] != self.group:
                raise
            label = field_label(self.t, *key.split("."))
            raise BadInput("setting_field", label=label, problem=error.params["problem"]) from None

    def checked(self):
        updates = self.updates()
        valid_from = self.valid_from()
        current = self.ctx.settings.on(valid_from).tree()
        changed = {
            key: value
            for key, value in updates.items()
            if current[self.group].get(key.split(".")[1], "") != value
        }
        if not changed:
            return None
        if CLAIMED & set(changed):
            # Checked before asking: a wrong value is said here, not after.
            settings.preview(self.ctx, changed, valid_from)
            return ("confirm", changed, valid_from, None)
        return ("changed", changed, valid_from, settings.change(self.ctx, changed, valid_from))


class ConfirmForm(Form):
    """Asked once more: a change that alters what statements claim."""

    TITLE = "settings.confirm_title"
    HINT = "grammar.confirm_hint"

    def __init__(self, changed: dict, valid_from: date) -> None:
        super().__init__()
        self.changed = changed
        self.valid_from = valid_from

    def fields(self) -> ComposeResult:
        t = self.t
        first, last = settings.affected_months(self.ctx, self.valid_from)
        future = first.first > self.ctx.today()
        yield Plain(
            t(
                "settings.confirm_claim_future" if future else "settings.confirm_claim",
                day=self.valid_from,
                first=first,
                last=last,
            )
        )

    def submit(self):
        made = settings.change(self.ctx, self.changed, self.valid_from)
        return ("changed", self.changed, self.valid_from, made)


class StaffForm(Form):
    """A new staff member, or one's name, role and whether they still work."""

    def __init__(self, member=None) -> None:
        super().__init__()
        self.member = member
        self.TITLE = "settings.staff_edit_title" if member else "settings.staff_add_title"

    def fields(self) -> ComposeResult:
        t, member = self.t, self.member
        if member is None:
            yield PlainLabel(t("settings.staff_id"))
            yield Field(id="code", max_length=32)
        else:
            yield Plain(t("settings.staff_id_is", staff=member.code))
        yield PlainLabel(t("settings.staff_name"))
        yield Field(value=member.name if member else "", id="name", max_length=text.NAME)
        yield PlainLabel(t("settings.staff_role"))
        yield self.options(
            "role",
            [(r, t(f"settings.role_{r}")) for r in ROLES],
            member.role if member else "deputy",
        )
        if member is not None:
            yield PlainLabel(t("settings.staff_state"))
            yield self.options(
                "state",
                [("working", t("settings.working")), ("left", t("settings.left"))],
                "working" if member.active else "left",
            )

    def submit(self):
        if self.member is None:
            return settings.add_staff(
                self.ctx, self.value("code").strip(), self.value("name"), self.choice("role")
            )
        return settings.update_staff(
            self.ctx,
            self.member.code,
            name=self.value("name"),
            role=self.choice("role"),
            active=self.choice("state") == "working",
        )


class SettingsScreen(Guarded, Screen):
    DEFAULT_CSS = """
        #groups {
            width: 30;
            height: 1fr;
        }

        #detail {
            width: 1fr;
            padding: 0 2;
        }

        #staff {
            height: auto;
            max-height: 16;
        }
    """
    BINDINGS = [
        Binding("enter", "edit", "key.edit", id="kela.settings.edit"),
        Binding("a", "add_staff", "key.add_staff", id="kela.settings.add_staff"),
        Binding("escape", "back_to_groups", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield StatusLine()
        with Horizontal():
            yield OptionList(
                *(Option(literal(group_label(t, g)), id=g) for g in LISTED),
                id="groups",
                markup=False,
            )
            with VerticalScroll(id="detail", can_focus=False):
                yield Plain("", id="values")
                table = DataTable(id="staff", cursor_type="row")
                for key in ("staff_id", "staff_name", "staff_state", "staff_role"):
                    table.add_column(cell(t(f"settings.{key}")), key=key)
                yield table
        yield KelaFooter()

    def on_mount(self) -> None:
        self.query_one("#groups").focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Adding a person belongs to the staff group.
        if action == "add_staff":
            return self.is_mounted and self.group() == "staff"
        return True

    def on_screen_resume(self) -> None:
        self.show()

    def group(self) -> str:
        groups = self.query_one("#groups", OptionList)
        return groups.get_option_at_index(groups.highlighted or 0).id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit()

    def show(self) -> None:
        t, ctx = self.app.t, self.app.ctx
        group = self.group()
        self.refresh_bindings()
        table = self.query_one("#staff", DataTable)
        table.display = group == "staff"
        if group == "staff":
            self.query_one("#values", Plain).update(t("settings.staff_hint"))
            self.show_staff(table)
            return
        values = ctx.point.tree()[group]
        rows = [
            f"{field_label(t, group, name)}: {self.shown(name, values.get(name, ''))}"
            for name in POINT_KEYS[group]
        ]
        versions = ", ".join(t.date(v.valid_from) for v in ctx.settings.versions)
        rows += ["", t("settings.versions", versions=versions), "", t("settings.edit_hint")]
        self.query_one("#values", Plain).update("\n".join(rows))

    def shown(self, name: str, value: object) -> str:
        if name == "monthly_compensation":
            return self.app.t.money(Decimal(str(value)))
        return displayed(value, self.app.t) or "–"

    def show_staff(self, table: DataTable) -> None:
        t = self.app.t
        table.clear()
        for member in settings.staff_list(self.app.ctx.site):
            table.add_row(
                cell(member.code),
                cell(member.name),
                cell(t("settings.working" if member.active else "settings.left")),
                cell(t(f"settings.role_{member.role}")),
                key=member.code,
            )

    def say(self, message: str, kind: str = "ok") -> None:
        self.query_one(StatusLine).say(message, kind)

    def action_edit(self) -> None:
        self.say("", "info")  # what the last form said is over
        group = self.group()
        if group == "staff":
            table = self.query_one("#staff", DataTable)
            if not table.row_count:
                return
            if not table.has_focus:
                # Enter on the group moves into the list of people.
                table.focus()
                return
            code = table.coordinate_to_cell_key(table.cursor_coordinate)[0].value
            member = next(m for m in settings.staff_list(self.app.ctx.site) if m.code == code)
            self.app.push_screen(StaffForm(member), self.staff_done)
            return
        self.app.push_screen(GroupForm(group), self.group_done)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_back_to_groups(self) -> None:
        self.query_one("#groups").focus()

    def action_add_staff(self) -> None:
        self.say("", "info")
        self.app.push_screen(StaffForm(), self.staff_done)

    def group_done(self, result) -> None:
        if result is None:
            return
        what, changed, valid_from, made = result
        if what == "confirm":
            self.app.push_screen(ConfirmForm(changed, valid_from), self.group_done)
            return
        self.changed(changed, valid_from, made)

    def changed(self, changed: dict, valid_from: date, made: settings.Changed) -> None:
        t = self.app.t
        self.app.take_up_changes(show=False)
        self.show()
        said = [t("settings.changed", count=len(changed), day=valid_from)]
        if settings.statement_only(changed):
            first, last = settings.affected_months(self.app.ctx, valid_from)
            said.append(t("parties_set.months", first=first, last=last))
        said += [t("settings.kept", day=day, keys=", ".join(keys)) for day, keys in made.kept]
        self.say(" ".join(said), "warning" if made.kept else "ok")

    def staff_done(self, member) -> None:
        if member is None:
            return
        self.app.take_up_changes(show=False)
        self.show()
        self.say(self.app.t("settings.staff_saved", staff=member.name))
