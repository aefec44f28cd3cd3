"""No customer identity codes (henkilötunnus) in anything we store.

A code is DDMMYY, a century sign (``+``, ``-``, ``YXWVU`` for the 1900s,
``ABCDEF`` for the 2000s), three digits and a check character. Free text is
searched for codes as people really type them, after normalising it:

* Unicode NFKC; every dash-like character (category Pd, minus signs) becomes
  ``-``; invisible format characters (category Cf: zero-width spaces, soft
  hyphens, bidi marks) are removed; any run of whitespace is one space;
  digits of any script are ASCII digits; Cyrillic and Greek letters that look
  like a check character or a century sign are their Latin look-alikes.
* Case does not matter, and ``O`` typed for zero counts in the digit
  positions.
* The date may be written ``131052``, ``13 10 52`` or ``13.10.52``; the groups
  may be separated by a space or a doubled separator (``131052 - 308T``,
  ``131052--308T``); letters may be glued on either side, but digits may not
  (a code inside a longer number is no code).

A spelling with its century sign and a plausible day and month is refused even
when its check character is wrong: it is most likely a mistyped real code. A
spelling without a century sign (``131052308T``, ``131052 308T``) is refused
only when its check character is right, so that phone numbers and other long
numbers pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from kela_tui.errors import Refused

# Dash-like characters outside category Pd, all of which people (or their word
# processors) put where a hyphen-minus belongs.
_MINUS_LIKE = "\u02d7\u2043\u2212\u2796"
# The same for plus, the 1800s century sign (NFKC already folds ＋ and ﹢).
_PLUS_LIKE = "\u02d6\u2795"

# Cyrillic and Greek letters that look like a check character or a century
# sign, to the Latin letter they look like. Lower-case Greek letters go to what
# they resemble in lower case (ν looks like v, not n).
_LOOK_ALIKES = {
    # Cyrillic
    "А": "A", "а": "A", "В": "B", "в": "B", "С": "C", "с": "C", "Е": "E", "е": "E",
    "Н": "H", "н": "H", "К": "K", "к": "K", "М": "M", "м": "M", "О": "O", "о": "O",
    "Р": "P", "р": "P", "Т": "T", "т": "T", "Х": "X", "х": "X", "У": "Y", "у": "Y",
    "Ү": "Y", "ү": "Y", "Ѕ": "S", "ѕ": "S", "Ј": "J", "ј": "J", "Ԝ": "W", "ԝ": "W",
    # Greek
    "Α": "A", "α": "A", "Β": "B", "β": "B", "Ε": "E", "ε": "E", "Η": "H", "η": "N",
    "Κ": "K", "κ": "K", "Μ": "M", "μ": "U", "Ν": "N", "ν": "V", "Ο": "O", "ο": "O",
    "Ρ": "P", "ρ": "P", "Τ": "T", "τ": "T", "Υ": "Y", "υ": "U", "Χ": "X", "χ": "X",
}  # fmt: skip


def _fold(char: str) -> str | None:
    """What one (already NFKC-normalised) character becomes; None drops it."""
    if char.isascii():
        return " " if char.isspace() else char
    category = unicodedata.category(char)
    if category == "Cf":
        return None
    if char.isspace():
        return " "
    if category == "Pd" or char in _MINUS_LIKE:
        return "-"
    if char in _PLUS_LIKE:
        return "+"
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    return _LOOK_ALIKES.get(char, char)


class _FoldTable(dict):
    """A `str.translate` table that works out each character once, when first
    seen: a complete table over all of Unicode would be far too big to build."""

    def __missing__(self, codepoint: int) -> str | None:
        folded = self[codepoint] = _fold(chr(codepoint))
        return folded


_FOLD = _FoldTable()
_SPACES = re.compile(" {2,}")


def normalise(text: str) -> str:
    """`text` folded as described in the module docstring, ready for matching."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACES.sub(" ", folded)


# In the digit positions O (either case) stands for zero; the day and month
# must be plausible. Every quantifier is bounded and the groups are fixed
# width, so a failed attempt costs a few steps and long text stays linear.
_DIGIT = "[0-9O]"
_DAY = "(?:[0O][1-9]|[12][0-9O]|3[01O])"
_MONTH = "(?:[0O][1-9]|1[0-2O])"
_CANDIDATE = re.compile(
    r"(?<![0-9])"
    rf"(?P<day>{_DAY})[ .]?(?P<month>{_MONTH})[ .]?(?P<year>{_DIGIT}{{2}})"
    # Either a century sign, with a space or an extra dash on either side, or
    # no sign at all and at most a space.
    r"(?:[ -]{0,2}(?P<century>[-+A-FU-Y])[ -]{0,2}| ?)"
    rf"(?P<individual>{_DIGIT}{{3}})(?P<check>[0-9A-Z])"
    r"(?![0-9])",
    re.ASCII | re.IGNORECASE,
)

_ZEROS = str.maketrans("Oo", "00")
_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# Without a sign the century is unknown; one sign per century covers them all,
# so a birthday that exists in any century (29 February) counts.
_ANY_CENTURY = ("+", "-", "A")


def _is_valid(day_to_year: str, century: str | None, rest: str) -> bool:
    """Whether the code is valid, in the century given or, without one, in any."""
    # Most candidates fail the checksum; settling those here keeps text full of
    # them fast. python-stdnum has the final word on the rest.
    if _CHECK_CHARACTERS[int(day_to_year + rest[:3]) % 31] != rest[3]:
        return False
    # python-stdnum is imported when first needed: its import is slow and
    # start-up needs none of it.
    from stdnum.fi import hetu

    centuries = (century,) if century else _ANY_CENTURY
    return any(
        hetu.is_valid(f"{day_to_year}{sign}{rest}", allow_temporary=True) for sign in centuries
    )


def _judge(match: re.Match[str]) -> bool | None:
    """True for a valid code, False for one that only looks like a code, None
    for a candidate that is no code at all (no century sign, not valid)."""
    day_to_year = "".join(match.group("day", "month", "year")).translate(_ZEROS)
    rest = match["individual"].translate(_ZEROS) + match["check"].upper()
    century = match["century"]
    if _is_valid(day_to_year, century.upper() if century else None, rest):
        return True
    return False if century else None


def _find(text: str) -> Iterator[tuple[str, bool]]:
    """The identity-code-like strings in `text`, one by one, as in
    `identity_codes`."""
    normalised = normalise(text)
    position = 0
    while match := _CANDIDATE.search(normalised, position):
        verdict = _judge(match)
        if verdict is None:
            # A rejected candidate must not hide a code that overlaps it.
            position = match.start() + 1
            continue
        yield match.group(0), verdict
        position = match.end()


def identity_codes(text: str) -> list[tuple[str, bool]]:
    """Every identity-code-like string in `text` (in its normalised form), with
    whether it is a valid code."""
    return list(_find(text))


def guard(text: str | None, field: str) -> None:
    """Refuse a free-text value that holds an identity code, valid or not."""
    if not text:
        return
    looks_like = False
    for _, valid in _find(text):
        if valid:
            # The stronger refusal wins, so there is no need to look further.
            raise Refused("identity_code", field=field)
        looks_like = True
    if looks_like:
        raise Refused("identity_code_like", field=field)
