"""The statement's parties: the city's and Kela's business IDs, the
agreement's reference and date, a contact person, and the account the
compensation is paid to with its payment reference. All optional; what is
set is printed on the statement.

The numbers are checked with python-stdnum (`fi.ytunnus`, `iban`,
`iso11649`) and kept as they are printed: a business ID as 0246246-0, an
account grouped in fours (FI21 1234 5600 0007 85), a reference as a bank
prints it. A Finnish national reference (viitenumero: digits with a 7-3-1
check digit), which stdnum does not cover, is accepted beside the
international RF reference: it is the one most Finnish invoices carry."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from stdnum import iban, iso11649
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.fi import ytunnus

# Longer than any of the numbers, with room for spaces; a longer value is
# refused before stdnum reads it (1 MB of digits would be a slow number).
MOST_CHARACTERS = 64
PHONE = 40
# The free text printed on the statement's head, at most so long that the
# statement with every party at its longest stays one A4 page.
EMAIL = 64
# What versions written before these limits may hold.
EMAIL_BEFORE = 254
NAME = 60
REFERENCE = 100
_PHONE = re.compile(r"\+?[0-9][0-9 ()/-]*[0-9]", re.ASCII)
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", re.ASCII)
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}", re.ASCII)
_NATIONAL = re.compile(r"[0-9]{4,20}", re.ASCII)


class NumberProblem(ValueError):
    """What is wrong with a number, as the key of its message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Parties:
    city_business_id: str = ""
    kela_business_id: str = ""
    agreement_reference: str = ""
    agreement_date: date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    bank_account: str = ""
    payment_reference: str = ""

    def tree(self) -> dict[str, str]:
        """As the settings file writes them; "" for what is not set."""
        return {f.name: _written(getattr(self, f.name)) for f in fields(self)}

    def any(self) -> bool:
        return any(self.tree().values())

    @classmethod
    def frozen(cls, tree: dict) -> Parties:
        """As an issued statement's claim froze them (checked when set)."""
        known = {f.name for f in fields(cls)}
        values = {name: value for name, value in tree.items() if name in known}
        if values.get("agreement_date"):
            values["agreement_date"] = date.fromisoformat(values["agreement_date"])
        else:
            values["agreement_date"] = None
        return cls(**values)


KEYS = tuple(f.name for f in fields(Parties))


def _written(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return value or ""


def _checked(read, value: str) -> str:
    if len(value) > MOST_CHARACTERS:
        raise NumberProblem("parties.reason_length")
    try:
        return read(value)
    except InvalidChecksum:
        raise NumberProblem("parties.reason_checksum") from None
    except InvalidLength:
        raise NumberProblem("parties.reason_length") from None
    except InvalidComponent:
        raise NumberProblem("parties.reason_component") from None
    except ValidationError:
        raise NumberProblem("parties.reason_format") from None


def business_id(value: str) -> str:
    """A Finnish business ID (Y-tunnus) as it is written: 0246246-0."""
    return _checked(lambda v: ytunnus.format(ytunnus.validate(v)), value)


def bank_account(value: str) -> str:
    """An IBAN grouped in fours: FI21 1234 5600 0007 85. What is not shaped
    like one (a country, two check digits, letters and digits) is said to
    be so before stdnum would call its check digits wrong."""
    if len(value) <= MOST_CHARACTERS and not _IBAN.fullmatch(iban.compact(value)):
        raise NumberProblem("parties_set.reason_format_account")
    return _checked(lambda v: iban.format(iban.validate(v)), value)


def payment_reference(value: str) -> str:
    """An RF creditor reference (ISO 11649) grouped in fours, or a Finnish
    national reference grouped in fives from the right, as banks print them."""
    compact = re.sub(r"\s", "", value)
    if compact[:2].upper() == "RF":
        return _checked(lambda v: iso11649.format(iso11649.validate(v)), value)
    if len(value) > MOST_CHARACTERS:
        raise NumberProblem("parties.reason_length")
    # Leading zeros are no part of a reference (banks drop them; only the
    # virtual bar code pads it with zeros): 0001232 is 1232.
    if compact.isascii() and compact.isdigit():
        compact = compact.lstrip("0")
        if not _NATIONAL.fullmatch(compact):
            raise NumberProblem("parties.reason_length")
    elif not _NATIONAL.fullmatch(compact):
        raise NumberProblem("parties_set.reason_format_reference")
    if national_check_digit(compact[:-1]) != compact[-1]:
        raise NumberProblem("parties.reason_checksum")
    return " ".join(_fives(compact))


def national_check_digit(base: str) -> str:
    """The check digit of a Finnish national reference: the base's digits from
    the right weighted 7, 3, 1, …; the sum's distance to the next ten."""
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(base)))
    return str(-total % 10)


def _fives(digits: str) -> list[str]:
    head = len(digits) % 5
    groups = [digits[:head]] if head else []
    return groups + [digits[i : i + 5] for i in range(head, len(digits), 5)]


def phone(value: str) -> str:
    """A phone number as people write it: digits, spaces, dashes, brackets,
    a leading +; 6 to 15 digits (the most a number has)."""
    value = " ".join(value.split())
    digits = sum(c.isdigit() for c in value)
    if len(value) > PHONE or not _PHONE.fullmatch(value) or not 6 <= digits <= 15:
        raise NumberProblem("parties.reason_format")
    return value


def email(value: str) -> str:
    value = value.strip()
    if len(value) > EMAIL or not _EMAIL.fullmatch(value):
        raise NumberProblem("parties.reason_format")
    return value


# How each number is read, by its key, for a value typed into a field.
READERS = {
    "city_business_id": business_id,
    "kela_business_id": business_id,
    "bank_account": bank_account,
    "payment_reference": payment_reference,
}


def typed(name: str, value: str) -> str:
    """A number as typed (0246246 0, fi21123456…) as the settings keep it,
    so that typing the same number again changes nothing; kept as typed
    when it is wrong, for the check to say why."""
    try:
        return READERS[name](value) if name in READERS and value else value
    except NumberProblem:
        return value
