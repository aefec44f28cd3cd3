"""The whole product's tables. Every record carries its site; nothing is ever
deleted: voids and corrections are states, and the audit trail keeps the rest.

Times are stored as naive UTC (`at` fields); the Finnish local day, hour and
weekday are stored beside them so that months and heat maps group by index on
every backend without time-zone functions."""

from __future__ import annotations

from datetime import UTC, datetime

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

database = DatabaseProxy()


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    program = CharField(max_length=32)
    applied_at = DateTimeField(default=utcnow)


class Site(BaseModel):
    """A point. Its settings are `SiteSettings` versions; `name` and `city`
    follow the version in force today, for lists of points. The agreement's
    columns are those of schemas 1-3, kept as the first version had them."""

    code = CharField(max_length=32, unique=True)
    name = CharField(max_length=200)
    city = CharField(max_length=100)
    agreement_start = DateField()
    agreement_end = DateField(null=True)
    monthly_compensation = DecimalField(max_digits=10, decimal_places=2)
    prorate = BooleanField(default=True)


class SiteSettings(BaseModel):
    """One version of a point's settings, in force from `valid_from` until the
    next version's; `values` is the settings as the TOML sections hold them
    (JSON). Schema 4."""

    site = ForeignKeyField(Site, backref="settings")
    valid_from = DateField()
    values = TextField()
    created_at = DateTimeField(default=utcnow)
    # Raised by every change of the row: with the number of rows, it tells a
    # workstation cheaply whether its copy of the settings is still current.
    revision = IntegerField(default=1)

    class Meta:
        indexes = ((("site", "valid_from"), True),)


class Staff(BaseModel):
    site = ForeignKeyField(Site, backref="staff")
    code = CharField(max_length=32)
    name = CharField(max_length=200)
    role = CharField(max_length=20)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("site", "code"), True),)


class Stamped(BaseModel):
    """A record of something that happened at a moment at the counter."""

    site = ForeignKeyField(Site)
    at = DateTimeField()
    day = DateField()
    hour = SmallIntegerField()
    weekday = SmallIntegerField()
    staff = ForeignKeyField(Staff, null=True)
    created_at = DateTimeField(default=utcnow)


class Visit(Stamped):
    outside_hours = BooleanField(default=False)

    class Meta:
        indexes = ((("site", "day"), False),)


class Service(Stamped):
    STATUSES = ("active", "voided", "corrected")

    visit = ForeignKeyField(Visit, backref="services")
    category = CharField(max_length=16)
    note = TextField(null=True)
    duration_seconds = IntegerField(null=True)
    outside_hours = BooleanField(default=False)
    origin = CharField(max_length=16, default="counter")
    status = CharField(max_length=12, default="active")
    # A correction is a new row that `replaces` the old one; the old row keeps
    # its values with status "corrected".
    replaces = ForeignKeyField("self", null=True, backref="replaced_by")
    void_reason = TextField(null=True)
    voided_at = DateTimeField(null=True)
    voided_by = ForeignKeyField(Staff, null=True, backref="voids")
    # Entered afterwards from a tally of a busy period, not as it happened
    # (schema 5).
    entered_later = BooleanField(default=False)

    class Meta:
        indexes = (
            (("site", "day", "status"), False),
            # Everything the statistics read of a counted service, so that
            # they never read the table itself (schema 6; it was site,
            # status, day, category). The id too: PostgreSQL's indexes do
            # not hold it otherwise.
            (
                (
                    *("site", "status", "day", "category"),
                    *("weekday", "hour", "staff", "visit", "replaces", "id"),
                ),
                False,
            ),
        )


class ReceiptCounter(BaseModel):
    """The last receipt number given per site and year: gapless by design."""

    site = ForeignKeyField(Site)
    year = IntegerField()
    last = IntegerField(default=0)

    class Meta:
        indexes = ((("site", "year"), True),)


class Document(Stamped):
    service = ForeignKeyField(Service, backref="documents")
    year = IntegerField()
    number = IntegerField()
    receipt = CharField(max_length=64, unique=True)
    kind = CharField(max_length=16)
    note = TextField(null=True)
    deadline = DateField()
    forwarded_at = DateTimeField(null=True)
    forwarded_day = DateField(null=True)
    forward_method = CharField(max_length=32, null=True)
    forwarded_by = ForeignKeyField(Staff, null=True, backref="forwards")
    status = CharField(max_length=12, default="active")

    class Meta:
        indexes = (
            (("site", "year", "number"), True),
            (("site", "day"), False),
            (("site", "forwarded_at"), False),
            (("site", "deadline"), False),  # schema 2
        )


class Referral(Stamped):
    """A customer sent elsewhere: an excluded document kind."""

    kind = CharField(max_length=32)
    visit = ForeignKeyField(Visit, null=True, backref="referrals")
    status = CharField(max_length=12, default="active")

    class Meta:
        indexes = ((("site", "day"), False),)


class Feedback(Stamped):
    service = ForeignKeyField(Service, backref="feedback")
    kind = CharField(max_length=16)
    text = TextField()
    forwarded_at = DateTimeField(null=True)
    forward_method = CharField(max_length=32, null=True)
    forwarded_by = ForeignKeyField(Staff, null=True, backref="feedback_forwards")

    class Meta:
        indexes = ((("site", "day"), False),)


class BoothBooking(Stamped):
    """A reservation of a booth; `at`/`day` are when it starts."""

    booth = SmallIntegerField(default=1)
    minutes = IntegerField(default=30)
    reference = CharField(max_length=200, null=True)
    service = ForeignKeyField(Service, null=True, backref="bookings")
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(null=True)

    class Meta:
        indexes = ((("site", "booth", "day"), False),)


class BoothSession(Stamped):
    """One customer's use of the booth; `at` is when the session began."""

    booth = SmallIntegerField(default=1)
    state = CharField(max_length=16)
    state_since = DateTimeField()
    ended_at = DateTimeField(null=True)
    outcome = CharField(max_length=32, null=True)
    connected_at = DateTimeField(null=True)
    disconnected_at = DateTimeField(null=True)
    counter_category = CharField(max_length=16, null=True)
    service = ForeignKeyField(Service, null=True, backref="booth_sessions")
    booking = ForeignKeyField(BoothBooking, null=True, backref="sessions")

    class Meta:
        indexes = ((("site", "booth", "ended_at"), False), (("site", "day"), False))


class BoothPhase(BaseModel):
    session = ForeignKeyField(BoothSession, backref="phases")
    state = CharField(max_length=16)
    started_at = DateTimeField()
    ended_at = DateTimeField(null=True)
    staff = ForeignKeyField(Staff, null=True)


class BoothDuty(BaseModel):
    session = ForeignKeyField(BoothSession, backref="duties")
    duty = CharField(max_length=32)
    ticked_at = DateTimeField()
    staff = ForeignKeyField(Staff, null=True)

    class Meta:
        indexes = ((("session", "duty"), True),)


class BoothOutage(BaseModel):
    site = ForeignKeyField(Site)
    booth = SmallIntegerField(default=1)
    started_at = DateTimeField()
    ended_at = DateTimeField(null=True)
    reason = TextField()
    staff = ForeignKeyField(Staff, null=True)


class Statement(BaseModel):
    """An issued statement, stored as printed: a reprint gives the same text.
    `text` and `html` are in the issuing language (`lang`); the other
    languages and the PDFs are `Rendering`s. `figures` is the frozen claim
    (JSON: the point, the compensation and the month's figures) and
    `export_rows` the month's counted services as issued (JSON)."""

    site = ForeignKeyField(Site)
    month = CharField(max_length=7)
    revision = IntegerField()
    number = CharField(max_length=64)
    issued_at = DateTimeField()
    staff = ForeignKeyField(Staff, null=True)
    lang = CharField(max_length=2)
    text = TextField()
    html = TextField()
    sha256 = CharField(max_length=64)
    supersedes = ForeignKeyField("self", null=True, backref="superseded_by")
    figures = TextField(null=True)  # schema 3
    export_rows = TextField(null=True)  # schema 3

    class Meta:
        indexes = ((("site", "month", "revision"), True),)


class Rendering(BaseModel):
    """An issued statement in one language and format, stored when it was
    issued so that every reprint is identical (schema 3)."""

    statement = ForeignKeyField(Statement, backref="renderings")
    lang = CharField(max_length=2)
    format = CharField(max_length=4)
    content = BlobField()
    sha256 = CharField(max_length=64)

    class Meta:
        indexes = ((("statement", "lang", "format"), True),)


class MonthEvent(BaseModel):
    """Closing (by issuing a statement) and reopening of a month, in order."""

    site = ForeignKeyField(Site)
    month = CharField(max_length=7)
    action = CharField(max_length=8)
    at = DateTimeField()
    staff = ForeignKeyField(Staff, null=True)
    reason = TextField(null=True)
    statement = ForeignKeyField(Statement, null=True)

    class Meta:
        indexes = ((("site", "month"), False),)


class Audit(BaseModel):
    site = ForeignKeyField(Site)
    at = DateTimeField()
    who = CharField(max_length=64)
    entity = CharField(max_length=32)
    entity_id = IntegerField()
    action = CharField(max_length=16)
    before = TextField(null=True)
    after = TextField(null=True)

    class Meta:
        indexes = ((("entity", "entity_id"), False), (("site", "at"), False))  # site, at: schema 2


TABLES = (
    SchemaVersion,
    Site,
    SiteSettings,
    Staff,
    Visit,
    Service,
    ReceiptCounter,
    Document,
    Referral,
    Feedback,
    BoothBooking,
    BoothSession,
    BoothPhase,
    BoothDuty,
    BoothOutage,
    Statement,
    Rendering,
    MonthEvent,
    Audit,
)
