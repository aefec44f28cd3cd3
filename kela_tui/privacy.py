"""No customer identity codes (henkilötunnus) in anything we store.

A code is DDMMYY, a century sign (``+``, ``-``, ``YXWVU`` for the 1900s,
``ABCDEF`` for the 2000s), three digits and a check character. Free text is
searched for codes as people really type them, after normalising it:

* Unicode NFKC, with accents and other combining marks taken off (categories
  Mn and Me: a dot below a digit, variation selectors, the combining grapheme
  joiner). Invisible characters are removed: format characters (category Cf:
  zero-width spaces, soft hyphens, bidi marks, tags) and every other
  default-ignorable code point (Hangul fillers). Blanks that are not
  whitespace (the Braille blank) are spaces, so are the line and paragraph
  separators U+2028 and U+2029, and any run of whitespace is one space.
  Brackets of any script are ``(`` and ``)``.
* Every dash-like character is ``-``: category Pd, minus signs, the hyphen
  bullet, box-drawing horizontals, the katakana prolonged sound mark ``ー``,
  CJK ``一`` and other horizontal strokes.
* Digits of any script are ASCII digits. Letters that look like a Latin
  capital are read as it: Cyrillic, Greek, Cherokee and Lisu look-alikes,
  small capitals, and fullwidth, mathematical and enclosed letters. So are
  Latin letters with a stroke, bar or hook, which NFKC leaves alone (``Ŧ``,
  ``Ƭ``, ``Đ``, ``Ł``, ``Ø``, ``Ꞓ``: by their Unicode names), and a few signs
  that look like a letter (the tugrik sign ``₮`` and the archaic sampi ``Ͳ``
  as T).
* Case does not matter. In the nine digit positions ``O`` counts as 0 and
  ``l``, ``I`` and ``|`` as 1, as long as at least five of the nine are real
  digits (all nine in a spelling with neither a century sign nor a separator
  and a gap in the last part); so they do as the check character (a small
  ``l`` as ``L`` or 1).
* The date may be written ``131052`` or with separators after the day and the
  month: ``-``, ``/``, ``,``, ``.``, ``:``, ``;`` or a space, or two or three
  of them (``13.10.52``, ``13/10/52``, ``13:10:52``, ``13. 10. 52``,
  ``13..10..52``); before a century sign a separator after just one of them
  will do (``13 1052-308T``). A date so written that follows a digit and a
  separator is part of a longer date (``05.12.09–23.03.63``), not a code.
* The century sign may have spaces, an extra dash or brackets on either side
  (``131052 - 308T``, ``131052--308T``, ``(131052)-308T``, ``131052-(308T)``).
  In its place there may be nothing, a space, or any other ASCII punctuation
  mark (``_``, ``/``, ``|``, ``@``, ``&``, ``?``, ``(``…), with spaces around:
  ``131052_308T``, ``131052 | 308T``, ``131052(308T)``.
* The last four characters may have a gap between them, a space or an ASCII
  punctuation mark (``131052-308 T``, ``131052-30.8T``, ``131052-308-T``),
  but not when they read as a time or a day and month (``12.30``, ``12:30``,
  ``30.09``), nor right after a date written with separators and no century
  sign or separator (``13.10.2026 12.30``).
* A date written with colons or semicolons reads like a time (``13:10:52``).
  After one the last part may have no gap (``klo 13:10:52 - 308 tapausta``),
  a time zone is no code (``13:10:52+0200``), and the century sign counts as
  no sign: only a right check character makes it a code (``13:10:52-308U``
  and ``klo 11:07:00-8129`` pass, ``13:10:52-308T`` is refused).
* A code may be spaced out, a single space between every character
  (``1 3 1 0 5 2 - 3 0 8 T``).
* Letters may be glued on either side, but digits may not (a code inside a
  longer number is no code).

A spelling with its century sign and a plausible day and month is refused even
when its check character is wrong: it is most likely a mistyped real code. A
spelling without a century sign (``131052308T``, ``131052 308T``,
``131052/308T``, ``131052|308T``) is refused only when its check character is
right, so that phone numbers and other long numbers pass; so is one with a gap
in its last four characters, whatever its sign, so that ``131052-308 Tampere``
and ``131052-308-U`` are refused only when the check character happens to be
right, and so is one spaced out, so that ``1 2 3 4 5 6 7 8 9 0`` passes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from kela_tui.errors import Refused

# Invisible: format characters (zero-width spaces, soft hyphens, bidi marks,
# tags) and combining marks (accents, variation selectors, the combining
# grapheme joiner, enclosing circles).
_DROPPED = ("Cf", "Mn", "Me")
# Default-ignorable code points (Unicode's Default_Ignorable_Code_Point) that
# are not already removed as categories Cf, Mn or Me: Hangul fillers, which are
# letters to Unicode, and code points reserved as ignorable for the future.
_IGNORABLE = (
    (0x115F, 0x1160),
    (0x2065, 0x2065),
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),
)
# Blanks that are not whitespace to Python.
_BLANKS = "\u2800"
# The names of Latin letters with something added that NFKC does not take off.
_STROKED = re.compile(r"LATIN (?P<case>CAPITAL|SMALL) LETTER (?P<letter>[A-Z]) WITH ")

# Dash-like characters outside category Pd, all of which people (or their word
# processors and input methods) put where a hyphen-minus belongs: minus signs,
# the hyphen bullet, box-drawing horizontals, the katakana prolonged sound
# mark, CJK "one" and other horizontal strokes, the Arabic tatweel and the
# Hangul vowel EU.
_DASH_LIKE = (
    "\u02d7\u2043\u2212\u2796\u23af"
    "\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d"
    "\u2574\u2576\u2578\u257a\u257c\u257e"
    "\u30fc\uff70\u4e00\u31d0\u0640\u1173\u3161\uffda"
)
# The same for plus, the 1800s century sign (NFKC already folds ＋ and ﹢).
_PLUS_LIKE = "\u02d6\u2795"

# Letters that look like a Latin capital (a check character, a century sign)
# or like 1, to the ASCII character they look like. Lower-case Greek letters go
# to what they resemble in lower case (ν looks like v, not n).
_LOOK_ALIKES = {
    # Cyrillic
    "А": "A", "а": "A", "В": "B", "в": "B", "С": "C", "с": "C", "Е": "E", "е": "E",
    "Н": "H", "н": "H", "К": "K", "к": "K", "М": "M", "м": "M", "О": "O", "о": "O",
    "Р": "P", "р": "P", "Т": "T", "т": "T", "Х": "X", "х": "X", "У": "Y", "у": "Y",
    "Ү": "Y", "ү": "Y", "Ѕ": "S", "ѕ": "S", "Ј": "J", "ј": "J", "Ԝ": "W", "ԝ": "W",
    "І": "I", "і": "i", "Ӏ": "I", "ӏ": "l",
    # Greek
    "Α": "A", "α": "A", "Β": "B", "β": "B", "Ε": "E", "ε": "E", "Η": "H", "η": "N",
    "Κ": "K", "κ": "K", "Μ": "M", "μ": "U", "Ν": "N", "ν": "V", "Ο": "O", "ο": "O",
    "Ρ": "P", "ρ": "P", "Τ": "T", "τ": "T", "Υ": "Y", "υ": "U", "Χ": "X", "χ": "X",
    "Ι": "I",
    # Latin small capitals
    "ᴀ": "A", "ʙ": "B", "ᴄ": "C", "ᴅ": "D", "ᴇ": "E", "ꜰ": "F", "ʜ": "H", "ɪ": "I",
    "ᴊ": "J", "ᴋ": "K", "ʟ": "L", "ᴍ": "M", "ɴ": "N", "ᴏ": "O", "ᴘ": "P", "ʀ": "R",
    "ꜱ": "S", "ᴛ": "T", "ᴜ": "U", "ᴠ": "V", "ᴡ": "W", "ʏ": "Y",
    # Cherokee (their small letters are added below)
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭰ": "D", "Ꭼ": "E", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K",
    "Ꮮ": "L", "Ꮇ": "M", "Ꮲ": "P", "Ꭱ": "R", "Ꮪ": "S", "Ꭲ": "T", "Ꮩ": "V", "Ꮃ": "W",
    "Ꭹ": "Y",
    # Lisu
    "ꓮ": "A", "ꓐ": "B", "ꓚ": "C", "ꓓ": "D", "ꓰ": "E", "ꓝ": "F", "ꓧ": "H", "ꓲ": "I",
    "ꓙ": "J", "ꓗ": "K", "ꓡ": "L", "ꓟ": "M", "ꓠ": "N", "ꓳ": "O", "ꓑ": "P", "ꓣ": "R",
    "ꓢ": "S", "ꓔ": "T", "ꓴ": "U", "ꓦ": "V", "ꓪ": "W", "ꓫ": "X", "ꓬ": "Y",
    # Vertical strokes typed for 1
    "ǀ": "|", "∣": "|", "│": "|", "┃": "|",
    # Letters with a stroke, bar or hook whose names do not say which Latin
    # letter they are (those that do are read by name in _fold), and signs
    # that look like a letter: the tugrik sign, Greek archaic sampi, Cyrillic
    # TE with a descender, dotless i and j.
    "₮": "T", "Ͳ": "T", "ͳ": "T", "Ҭ": "T", "ҭ": "T", "Ɖ": "D", "ı": "i", "ȷ": "j",
}  # fmt: skip
# Cherokee small letters look like the capitals.
_LOOK_ALIKES.update(
    {capital.lower(): latin for capital, latin in _LOOK_ALIKES.items() if "Ꭰ" <= capital <= "Ᏽ"}
)
# Negative circled and negative squared capitals and regional indicators, which
# NFKC leaves alone.
_LOOK_ALIKES.update(
    {chr(first + i): chr(ord("A") + i) for first in (0x1F150, 0x1F170, 0x1F1E6) for i in range(26)}
)


def _fold(char: str) -> str | None:
    """What one (already NFKC-normalised) character becomes; None drops it."""
    if char.isascii():
        return " " if char.isspace() else char
    category = unicodedata.category(char)
    if category in _DROPPED:
        return None
    if category in ("Lo", "Cn"):
        codepoint = ord(char)
        if any(first <= codepoint <= last for first, last in _IGNORABLE):
            return None
    if char.isspace() or char in _BLANKS:
        return " "
    if category in ("Ps", "Pe"):
        return "(" if category == "Ps" else ")"
    if category == "Pd" or char in _DASH_LIKE:
        return "-"
    if char in _PLUS_LIKE:
        return "+"
    digit = unicodedata.digit(char, None)
    if digit is not None:
        return str(digit)
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    if category[0] == "L":
        # A letter with an accent (NFKC composes T and a dot below into Ṭ):
        # the letter without it.
        decomposed = unicodedata.normalize("NFD", char)
        if any(unicodedata.category(part) in _DROPPED for part in decomposed):
            return "".join(_fold(part) or "" for part in decomposed)
        # A letter with a stroke, bar or hook, which does not decompose (Ŧ,
        # Ƭ, Ł, Ø, Ꞓ): the letter its name says it is.
        if stroked := _STROKED.match(unicodedata.name(char, "")):
            letter = stroked["letter"]
            return letter.lower() if stroked["case"] == "SMALL" else letter
    return char


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


# The regular expression works on normalised text, without IGNORECASE: case
# matters for I and l. In the digit positions O (either case) stands for zero
# and l, I and | for one; the day and month must be plausible. Every quantifier
# is bounded and the groups are fixed width, so a failed attempt costs a few
# steps and long text stays linear.
_ZERO = "[0Oo]"
_ONE = "[1lI|]"
_DIGIT = "[0-9OolI|]"
_DAY = f"(?:{_ZERO}[1-9lI|]|[12lI|]{_DIGIT}|3[01OolI|])"
_MONTH = f"(?:{_ZERO}[1-9lI|]|{_ONE}[0-2OolI|])"
_DATE_SEPARATOR = "[-/,.:; ]{0,3}"
# Where the century sign would be: a space or any ASCII punctuation mark but
# the signs + and - themselves. In the last four characters: a space or any
# ASCII punctuation mark.
_PUNCTUATION = re.escape("!\"#$%&'()*,./:;<=>?@[\\]^_`{|}~")
_SEPARATOR = f"[ {_PUNCTUATION}]"
_GAP = f"[ {_PUNCTUATION}+-]"
_CHECK = "[0-9A-Za-z|]"
# Four digits with a dot, colon or slash in the middle that read as a time or
# a day and month (12.30, 12:30, 30.09) are no end of a code: 13.10.26 12.30
# is a date and a time, 01.09.26–30.09.26 two dates.
_TIME_OR_DATE = (
    r"(?:(?:[01][0-9]|2[0-3])[.:/][0-5][0-9]|(?:0[1-9]|[12][0-9]|3[01])[.:/](?:0[1-9]|1[0-2]))"
    r"(?![0-9])"
)
_CANDIDATE = re.compile(
    r"(?<![0-9])"
    # Of the nine digits at least five are real, so the first real digit comes
    # within 12 characters and five within 26 (the longest a candidate may
    # be). Checking that first, without backtracking, passes over runs of
    # letters (Olli, lol, lIlI) quickly; _judge counts exactly.
    rf"(?={_DAY})(?=[^0-9]{{0,11}}+[0-9])(?=(?:[^0-9]{{0,21}}+[0-9]){{5}})"
    rf"(?P<day>{_DAY})(?P<after_day>{_DATE_SEPARATOR})"
    rf"(?P<month>{_MONTH})(?P<after_month>{_DATE_SEPARATOR})"
    rf"(?P<year>{_DIGIT}{{2}})"
    # Either a century sign, with spaces, an extra dash or brackets on either
    # side, or no sign: nothing, a space or another separator, with spaces
    # around.
    r"(?:[ ()\[\]{}-]{0,4}(?P<century>[-+A-FU-Ya-fu-y])[ ()\[\]{}-]{0,4}"
    rf"|(?P<separator>{_SEPARATOR}{{0,3}}))"
    # Three digits and the check character, perhaps with one space or
    # punctuation mark (the gap) somewhere between them.
    rf"(?P<last>{_DIGIT}{{3}}(?P<gap3>{_GAP}?){_CHECK}"
    rf"|{_DIGIT}(?P<gap1>{_GAP}){_DIGIT}{{2}}{_CHECK}"
    rf"|(?!{_TIME_OR_DATE}){_DIGIT}{{2}}(?P<gap2>{_GAP}){_DIGIT}{_CHECK})"
    r"(?![0-9])",
    re.ASCII,
)
# A time followed by a time zone (13:10:52+0200, 13:10:52-0530) is no code,
# whatever its check character.
_TIME_ZONE = re.compile(r"[+-](?:0[0-9]|1[0-4])(?:00|30|45)")

_DIGITS = str.maketrans("OolI|", "00111")
# What a check character may stand for: O and I are no check characters, so
# they are 0 and 1; a small l is L or 1.
_CHECK_READINGS = {"O": "0", "I": "1", "|": "1", "l": "L1"}
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
    for a candidate that is no code at all (not valid, and without a century
    sign or written loosely)."""
    century = match["century"]
    last = match["last"]
    # The last part without its gap, if it has one.
    gap = next((name for name in ("gap1", "gap2", "gap3") if match[name]), None)
    loose = gap is not None
    compact = last
    if gap:
        at = match.start(gap) - match.start("last")
        compact = last[:at] + last[at + 1 :]
    after_day, after_month = match["after_day"], match["after_month"]
    # Spaces or punctuation about the century sign, or in its place.
    between = match.string[match.end("year") : match.start("last")]
    sign_counts = bool(century)
    if after_day or after_month:
        # A date with a separator after the day but not after the month (or
        # the other way round) counts only before a century sign; one loose at
        # its end only with something after it (13.10.2026 12.30 is a date and
        # a time). It is no part of a longer date: 05.12.09–23.03.63 holds no
        # 12.09–23.03.63.
        if not (after_day and after_month or century):
            return None
        if loose and not (century or match["separator"]):
            return None
        before = match.string[max(match.start() - 2, 0) : match.start()]
        if len(before) == 2 and before[0].isdigit() and before[1] in "-/,.:;":
            return None
        if ":" in after_day + after_month or ";" in after_day + after_month:
            # Written like a time (13:10:52): no gap in the last part (klo
            # 13:10:52 - 308 tapausta), no time zone after it (+0200), and a
            # sign with spaces around it counts only with a right check.
            if loose or _TIME_ZONE.fullmatch(between.strip() + compact):
                return None
            sign_counts = False
    digits = "".join(match.group("day", "month", "year")) + compact[:3]
    if sum(char.isdigit() for char in digits) < 5:
        return None
    if loose and not (century or match["separator"]) and not digits.isdigit():
        # Loose twice over, without a sign or separator and with a gap, it
        # needs real digits: 10|20|30 and a line starting 13 is no code.
        return None
    digits = digits.translate(_DIGITS)
    check = compact[3]
    readings = _CHECK_READINGS.get(check) or check.upper()
    sign = century.upper() if century else None
    if any(_is_valid(digits[:6], sign, digits[6:] + reading) for reading in readings):
        return True
    return False if sign_counts and not loose else None


# A run of single characters with a space between each (1 3 1 0 5 2 - 3 0 8
# T), in normalised text.
_SPACED = re.compile(r"(?<![0-9A-Za-z|])[0-9A-Za-z|+-](?: [0-9A-Za-z|+-](?![0-9A-Za-z|]))+")
# The shortest code spaced out: ten characters and nine spaces.
_SPACED_LENGTH = 19


def _find(text: str) -> Iterator[tuple[int, str, bool]]:
    """The identity-code-like strings in `text`, one by one, with where they
    start: first those written normally, then those spaced out."""
    normalised = normalise(text)
    position = 0
    while match := _CANDIDATE.search(normalised, position):
        verdict = _judge(match)
        if verdict is None:
            # A rejected candidate must not hide a code that overlaps it.
            position = match.start() + 1
            continue
        yield match.start(), match.group(0), verdict
        position = match.end()
    # A code spaced out is a code only when valid: spaced digits are common.
    for run in _SPACED.finditer(normalised):
        if run.end() - run.start() < _SPACED_LENGTH:
            continue
        closed = run.group(0)[::2]
        position = 0
        while match := _CANDIDATE.search(closed, position):
            if _judge(match):
                start, end = run.start() + 2 * match.start(), run.start() + 2 * match.end() - 1
                yield start, normalised[start:end], True
                position = match.end()
            else:
                position = match.start() + 1


def identity_codes(text: str) -> list[tuple[str, bool]]:
    """Every identity-code-like string in `text` (in its normalised form), with
    whether it is a valid code, in the order they come."""
    return [(found, valid) for _, found, valid in sorted(_find(text))]


def guard(text: str | None, field: str, key: str = "identity_code") -> None:
    """Refuse a free-text value that holds an identity code, valid or not.
    `key` names the message: a customer's code by default; a field about
    someone else (the city's contact person) says so in its own words."""
    if not text:
        return
    looks_like = False
    for _, _, valid in _find(text):
        if valid:
            # The stronger refusal wins, so there is no need to look further.
            raise Refused(key, field=field)
        looks_like = True
    if looks_like:
        raise Refused(f"{key}_like", field=field)
