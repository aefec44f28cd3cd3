"""No customer identity codes (henkilötunnus) in anything we store."""

from __future__ import annotations

import re

from kela_tui.errors import Refused

# Shape of a code: a plausible DDMMYY, a century sign, three digits and a
# check character. The shape is what counts: a code that looks right but fails
# the checksum is refused as well, since it is most likely a mistyped real one.
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"((?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d)"
    r"\s?([-+ABCDEFUVWXY])\s?(\d{3})([0-9A-Za-z])"
    r"(?![0-9A-Za-z])",
    re.IGNORECASE,
)


def identity_codes(text: str) -> list[tuple[str, bool]]:
    """Every identity-code-like string in `text`, with whether it is valid."""
    # python-stdnum is imported when first needed: its import is slow and
    # start-up needs none of it.
    from stdnum.exceptions import ValidationError
    from stdnum.fi import hetu

    found = []
    for match in _CANDIDATE.finditer(text):
        code = "".join(match.groups()).upper()
        try:
            hetu.validate(code, allow_temporary=True)
            valid = True
        except ValidationError:
            valid = False
        found.append((match.group(0), valid))
    return found


def guard(text: str | None, field: str) -> None:
    """Refuse a free-text value that holds an identity code, valid or not."""
    if not text:
        return
    for _, valid in identity_codes(text):
        raise Refused("identity_code" if valid else "identity_code_like", field=field)
