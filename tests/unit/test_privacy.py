import random

import pytest

from kela_tui.errors import Refused
from kela_tui.i18n import Msg
from kela_tui.privacy import guard, identity_codes

VALID = ["131052-308T", "010594Y9021", "010516B903X"]

CODE = "identity_code"
LIKE = "identity_code_like"

# Spellings that must be refused, with the refusal expected. Invisible and
# look-alike characters are written as escapes so that the table can be read.
REFUSED = [
    # The test vectors and a few more valid codes, tidy.
    ("131052-308T", CODE),
    ("010594Y9021", CODE),
    ("010516B903X", CODE),
    ("010150+234W", CODE),  # 1850
    ("311299-345B", CODE),
    ("200588-123L", CODE),
    ("150385-950N", CODE),  # a temporary code (900-999)
    # Case.
    ("131052-308t", CODE),
    ("010594y9021", CODE),
    ("010516b903x", CODE),
    # Dashes other than the hyphen-minus.
    ("131052\u2013308T", CODE),  # en dash, what word processors write
    ("131052\u2010308T", CODE),
    ("131052\u2011308T", CODE),
    ("131052\u2012308T", CODE),
    ("131052\u2014308T", CODE),
    ("131052\u2015308T", CODE),
    ("131052\u2212308T", CODE),  # minus sign
    ("131052\ufe58308T", CODE),
    ("131052\ufe63308T", CODE),
    ("131052\uff0d308T", CODE),
    ("131052\u02d7308T", CODE),  # modifier letter minus
    ("010150\uff0b234W", CODE),  # fullwidth plus
    # Digits and letters of other scripts and widths.
    ("\uff11\uff13\uff11\uff10\uff15\uff12\uff0d\uff13\uff10\uff18\uff34", CODE),  # fullwidth
    ("\u0661\u0663\u0661\u0660\u0665\u0662-\u0663\u0660\u0668T", CODE),  # Arabic-Indic
    ("\u06f1\u06f3\u06f1\u06f0\u06f5\u06f2-\u06f3\u06f0\u06f8T", CODE),  # Persian
    ("\u0967\u0969\u0967\u0966\u096b\u0968-\u0969\u0966\u096eT", CODE),  # Devanagari
    ("\u0e51\u0e53\u0e51\u0e50\u0e55\u0e52-\u0e53\u0e50\u0e58T", CODE),  # Thai
    ("\U0001d7cf\U0001d7d1\U0001d7cf\U0001d7ce\U0001d7d3\U0001d7d0-308\U0001d413", CODE),  # bold
    ("131052-308\uff34", CODE),  # fullwidth T
    ("131052-308\u0422", CODE),  # Cyrillic Т
    ("131052-308\u0442", CODE),  # Cyrillic т
    ("131052-308\u03a4", CODE),  # Greek Τ
    ("010594\u04239021", CODE),  # Cyrillic У as the century sign Y
    ("010594\u03a59021", CODE),  # Greek Υ as the century sign Y
    ("010516\u0412903\u0425", CODE),  # Cyrillic В and Х
    ("010516\u0392903\u03a7", CODE),  # Greek Β and Χ
    # O typed for zero in the digits, Latin or Cyrillic.
    ("131O52-3O8T", CODE),
    ("131o52-3o8t", CODE),
    ("O1O594Y9O21", CODE),
    ("131\u041e52-3\u041e8T", CODE),
    # Without a separator, or with spaces or dots inside.
    ("131052308T", CODE),
    ("0105949021", CODE),
    ("2902001239", CODE),  # 29 February exists in 2000 only
    ("131052 308T", CODE),
    ("131052  308T", CODE),
    ("13 10 52-308T", CODE),
    ("13 10 52 308T", CODE),
    ("13.10.52-308T", CODE),
    ("01.05.16 B 903X", CODE),
    ("010594 Y 9021", CODE),
    ("131052 - 308T", CODE),
    ("131052 -308T", CODE),
    ("131052- 308T", CODE),
    ("131052--308T", CODE),
    ("131052 \u2013 308T", CODE),
    # Invisible characters and line breaks.
    ("131052\u200b-308T", CODE),  # zero-width space
    ("1310\u200b52-308T", CODE),
    ("131052-\u200d308T", CODE),  # zero-width joiner
    ("131052\u2060-308T", CODE),  # word joiner
    ("\ufeff131052-308T", CODE),  # byte order mark
    ("131052\u200e-308T", CODE),  # left-to-right mark
    ("131052\u00ad308T", CODE),  # soft hyphen
    ("131052-\u00ad308T", CODE),
    ("131052-\n308T", CODE),
    ("131052\r\n-308T", CODE),
    ("131052\n308T", CODE),
    ("131052\t-308T", CODE),
    ("131052\u00a0308T", CODE),  # no-break space
    ("13\u202f10\u202f52-308T", CODE),  # narrow no-break space
    ("131052\u3000-308T", CODE),  # ideographic space
    # In text: glued to letters, at the start and end, in Finnish sentences.
    ("hetu131052-308T", CODE),
    ("HETU:131052-308T.", CODE),
    ("131052-308Tkissa", CODE),
    ("131052-308T soitti", CODE),
    ("Asiakkaan tunnus on 131052-308T", CODE),
    ("asiakas (131052\u2013308T) soitti", CODE),
    ("Asiakas, hetu 010594Y9021, haki asumistukea.", CODE),
    ("Lapsen henkilötunnus 010516B903X puuttui hakemuksesta.", CODE),
    ("Soita asiakkaalle, syntynyt 13.10.52-308T, huomenna klo 9.30.", CODE),
    ("Tunnus:\n131052\n308T\nkiitos", CODE),
    ("ensin 131052-308U ja sitten 010594Y9021", CODE),  # the valid one wins
    # Combining marks and other invisible characters outside category Cf.
    ("1310\u034f52-308T", CODE),  # combining grapheme joiner
    ("131052\ufe0f-308T", CODE),  # variation selector 16
    ("1310\ufe0052-308T", CODE),  # variation selector 1
    ("131\U000e0100052-308T", CODE),  # variation selector 17
    ("1310\U000e01ef52-308T", CODE),  # variation selector 256
    ("1310\u180b52-308T", CODE),  # Mongolian free variation selectors
    ("1310\u180f52-308T", CODE),
    ("1\u03233\u03231052-308T", CODE),  # combining dot below on digits
    ("131052-308T\u0323", CODE),  # the same on T, which NFKC composes to Ṭ
    ("13\u20dd1052-308T", CODE),  # combining enclosing circle
    ("1310\u115f52-308T", CODE),  # Hangul fillers
    ("1310\u116052-308T", CODE),
    ("1310\u316452-308T", CODE),
    ("1310\uffa052-308T", CODE),
    ("13\u17b410\u17b552-308T", CODE),  # Khmer inherent vowels
    ("1310\u206452-308T", CODE),  # invisible plus
    ("1310\u206552-308T", CODE),  # reserved, default ignorable
    ("1310\U000e000052-308T", CODE),
    ("1310\U000e0fff52-308T", CODE),
    # Blanks that are not whitespace.
    ("131052\u2800308T", CODE),  # Braille blank
    ("13\u280010\u280052-308T", CODE),
    ("131052\u3164308T", CODE),  # Hangul filler between the groups
    ("131052\u1680308T", CODE),  # Ogham space mark
    # Dash-like characters outside category Pd.
    *(
        (f"131052{dash}308T", CODE)
        for dash in (
            "\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d"  # box drawing
            "\u2574\u2576\u2578\u257a\u257c\u257e"
            "\u30fc\uff70"  # katakana prolonged sound mark, halfwidth too
            "\u4e00"  # CJK "one"
            "\u23af\u2e3a\u2e3b\u2043\u2796"
        )
    ),
    ("131052\u2500308U", LIKE),
    ("13\u30fc10\u30fc52\u30fc308T", CODE),
    # Other separators between the date and the individual number.
    ("131052_308T", CODE),
    ("131052/308T", CODE),
    ("131052~308T", CODE),
    ("131052.308T", CODE),
    ("131052,308T", CODE),
    ("131052 / 308T", CODE),
    ("131052 _ 308T", CODE),
    ("131052. 308T", CODE),
    ("131052:308T", CODE),
    ("131052\\308T", CODE),
    ("010594/9021", CODE),
    # Separators inside the date.
    ("13-10-52-308T", CODE),
    ("13/10/52-308T", CODE),
    ("13,10,52-308T", CODE),
    ("13. 10. 52-308T", CODE),
    ("13..10..52-308T", CODE),
    ("13 .10 .52-308T", CODE),
    ("13 . 10 . 52 - 308T", CODE),
    ("13/10/52/308T", CODE),
    ("13-10-52 308T", CODE),
    ("13.10.52308T", CODE),
    ("13 1052-308T", CODE),
    ("01/05/94Y9021", CODE),
    ("13-10-52-308U", LIKE),
    ("13/10/52-308U", LIKE),
    ("13,10,52 - 308U", LIKE),
    ("13\u201310\u201352\u2013308U", LIKE),
    ("1310.52-308U", LIKE),
    # A space or a dot inside the last part.
    ("131052-308 T", CODE),
    ("131052-30 8T", CODE),
    ("131052-3 08T", CODE),
    ("131052-308.T", CODE),
    ("131052-30.8T", CODE),
    ("131052 308 T", CODE),
    ("131052308 T", CODE),
    ("13.10.52-308 T", CODE),
    ("010594Y90 21", CODE),
    ("131052-308 Tampere", CODE),  # T happens to be right
    # Look-alike letters.
    ("131052-308\u1d1b", CODE),  # small capital T
    ("131052-308\u13a2", CODE),  # Cherokee Ꭲ
    ("131052-308\uab72", CODE),  # Cherokee small ꭲ
    ("131052-308\ua4d4", CODE),  # Lisu ꓔ
    ("010594\u028f9021", CODE),  # small capital Y
    ("010594\u13a99021", CODE),  # Cherokee Ꭹ
    ("010516\u0299903X", CODE),  # small capital B
    ("010516\u13f4903X", CODE),  # Cherokee Ᏼ
    ("010516\u1d04903X", CODE),  # small capital C, another 2000s sign
    ("010516\u1d04903\u1d00", LIKE),  # and a small capital A, a wrong check
    ("131052-308\U0001d413", CODE),  # mathematical bold T
    ("131052-308\U0001d5b3", CODE),  # mathematical sans-serif T
    ("131052-308\u24c9", CODE),  # circled T
    ("131052-308\U0001f183", CODE),  # negative squared T
    ("131052-308\u1e6c", CODE),  # T with a dot below
    ("200588-123\u029f", CODE),  # small capital L
    ("200588-123\u13de", CODE),  # Cherokee Ꮮ
    # l, I and | typed for 1.
    ("l3l052-308T", CODE),
    ("I3I052-3O8T", CODE),
    ("|3|052-308T", CODE),
    ("13l052-308T", CODE),
    ("O1O594Y9O2l", CODE),
    ("O1O594Y9O2I", CODE),
    ("200588-l23l", CODE),  # the check l is L
    ("l3.lO.52-3O8U", LIKE),
    # With a century sign but a wrong check character: looks like a code.
    ("131052-308U", LIKE),
    ("010594Y9022", LIKE),
    ("010516B9030", LIKE),
    ("131052-308O", LIKE),
    ("131052\u2013308U", LIKE),
    ("13.10.52 - 308U", LIKE),
    ("Asiakas 131052-308U soitti", LIKE),
    ("310252-308Y", LIKE),  # no 31 February
    ("131052-000A", LIKE),  # individual numbers start at 002
    # Any ASCII punctuation mark where the century sign would be, with spaces
    # around or not: a right check character is needed.
    *((f"131052{mark}308T", CODE) for mark in "|'\"!?&%@$^`<>"),
    ("131052 | 308T", CODE),
    ("131052 @ 308T", CODE),
    ("131052 & 308T", CODE),
    ("Asiakas 131052?308T soitti", CODE),
    # A dash or other punctuation mark inside the last four characters.
    ("131052-308-T", CODE),
    ("131052-30-8T", CODE),
    ("131052-3-08T", CODE),
    ("131052-308/T", CODE),
    ("131052 308-T", CODE),
    # Brackets between or around the groups.
    ("(131052)-308T", CODE),
    ("131052(308T)", CODE),
    ("131052-(308T)", CODE),
    ("[131052]-308T", CODE),
    ("131052[308T]", CODE),
    ("131052-[308T]", CODE),
    ("{131052}-308T", CODE),
    ("131052{308T}", CODE),
    ("131052-{308T}", CODE),
    ("(131052) - (308T)", CODE),
    ("\u3010131052\u3011-308T", CODE),  # CJK lenticular brackets
    ("(131052)-308U", LIKE),  # a century sign: the usual rule
    # Every character spaced out.
    ("1 3 1 0 5 2 - 3 0 8 T", CODE),
    ("1 3 1 0 5 2 3 0 8 T", CODE),
    ("hetu 1 3 1 0 5 2 - 3 0 8 T.", CODE),
    ("0 1 0 5 9 4 Y 9 0 2 1", CODE),
    # Letters with a stroke, bar or hook, and signs that look like a letter.
    ("131052-308\u0166", CODE),  # Ŧ
    ("131052-308\u0167", CODE),  # ŧ
    ("131052-308\u20ae", CODE),  # tugrik sign ₮
    ("131052-308\u0373", CODE),  # Greek ͳ
    ("131052-308\u0372", CODE),  # Greek Ͳ
    ("131052-308\u01ac", CODE),  # Ƭ
    ("131052-308\u01ab", CODE),  # ƫ
    ("131052-308\u01ae", CODE),  # Ʈ
    ("131052-308\u04ac", CODE),  # Cyrillic Ҭ
    ("200588-123\u0141", CODE),  # Ł
    ("200588-123\u0142", CODE),  # ł
    ("010516\u0110903X", CODE),  # Đ as the century sign D
    ("010516\u0111903X", CODE),  # đ
    ("010516\u0189903X", CODE),  # Ɖ
    ("010516\u023b903X", CODE),  # Ȼ as the century sign C
    ("010516\ua792903X", CODE),  # Ꞓ
    ("131052-308\u0126", LIKE),  # Ħ, a wrong check
    ("131\u00d852-3\u00f88T", CODE),  # Ø and ø typed for zero
    ("150385-950\u019d", CODE),  # Ɲ
    # Colons and semicolons in the date.
    ("13:10:52-308T", CODE),
    ("13;10;52-308T", CODE),
    ("13:10:52 308T", CODE),
    ("13:10:52 - 308T", CODE),
    ("01:05:94Y9021", CODE),
    # Line and paragraph separators.
    ("131052\u2028308T", CODE),
    ("131052\u2029-308T", CODE),
    ("13\u202810\u202852-308T", CODE),
    ("131052-308\u2028T", CODE),
    ("131052\u2028-\u2029308U", LIKE),
]

# Ordinary texts that must pass.
ORDINARY = [
    "",
    " ",
    "Asumistuki, liite puuttui",
    "Asiakas soitti ja kysyi asumistuesta.",
    "Ällistyttävä öljyinen äyriäinen",
    "👍 kiitos avusta! 🙂",
    "[/]",
    "(tyhjä)",
    # Dates.
    "13.10.2052",
    "13.10.52",
    "13 10 52",
    "1.9.",
    "1.9.2026",
    "15.8.–31.8.2026",
    "15.8.-31.8.2026",
    "Ajalla 1.9.–30.9.2026",
    "31.12.1999",
    "31.12.99",
    "010199",
    "Ti 13.10.2026 klo 13.10–15.20",
    "13.10. klo 10.52",
    "2026-09-15",
    "ref 2026-09-15",
    "2026-09-15T09:30:00",
    "2052-10-13",
    "20521013",
    "1952",
    "vuonna 2052",
    "viikko 41",
    # Times and hours.
    "09:00-15:00",
    "08:00–16:00, 10:15–10:30",
    "klo 9.30",
    "klo 9.30–15.00",
    "ma–pe 9–15",
    # Phone numbers.
    "040 123 4567",
    "puh. 040-1234567",
    "+358 40 1234567",
    "+358401234567",
    "040 1234567",
    "0401234567",  # its check character would be 1, not 7
    "0501234567",  # its check character would be N, not 7
    "050 123 4567",
    "044 987 6543",
    "p. 06 828 9111",
    # Receipt, statement and other numbers.
    "KANNUS-2026-00001",
    "KANNUS-2026-09",
    "12345678901",
    "Asiakasnumero 123456",
    "tilaus 131052",
    "13.10.52 3084",  # no century sign and a wrong check character
    "131052 3084",
    "Versio 1.2.3",
    "Tiedote 2/2026",
    # Business IDs, bank accounts, references.
    "0179152-5",
    "2345678-0",
    "Y-tunnus 0179152-5",
    "FI21 1234 5600 0007 85",
    "FI2112345600000785",
    "FI49 5000 9420 0287 30",
    "RF18 5390 0754 7034",
    "Viitenumero 12345 67890 12345",
    "BIC NDEAFIHH",
    # Addresses.
    "67100 Kokkola",
    "Torikatu 40 A 12, 67100 Kokkola",
    "Huone 310, kerros 2",
    # Amounts and percentages.
    "164,52 €",
    "1 234,56 €",
    "1 234 567,89 €",
    "Hinta 16,00 € / kk",
    "24 %",
    "12,5 %",
    "½ tuntia",
    # Near misses: dates, times and numbers written with the separators that
    # codes may have.
    "13-10-2052",
    "13/10/2026",
    "1.9.-30.9.2026",
    "ajalla 10-11-12",
    "puh. 040 123 4567",
    "tilinumero FI21 1234 5600 0007 85",
    "FI18 0860 2631 1732 96",
    "131052 Tampere",
    "300,00 €/kk",
    "08:00–16:00",
    "klo 9.30–11.45",
    "2026-09-15 10:30",
    "13.10.2026 12.30",
    "13.10.26 12.30",
    "13.10.26 - 12.30",
    "01.09.26–30.09.26",
    "05.12.09–23.03.63",
    "01.09.2026 - 30.09.2026",
    "10.11.12 klo 13.30",
    "puh. 040-123 4567",
    "0401 234 567",
    "050 123 45 67",
    "Olli ja Ilo lollottivat",
    "lIlIlI-lIlI",
    "|10|10|52|",
    # Chinese and Japanese: 一 and ー next to numbers.
    "一月15日",
    "ー10ー",
    "会议在一月15日下午3点。",
    "2026年一月一日",
    "一九五二年十月十三日",
    "電話番号は090ー1234ー5678です。",
    "価格は1,000円ー2,000円です。",
    "第一10一20号",
    "10月13日ー10月15日",
    # Other scripts.
    "Встреча в 10:00",
    "Συνάντηση στις 10:00",
    "٢٠٢٦",
    # Times with seconds, brackets, spaced characters and punctuation between
    # numbers.
    "13:10:52",
    "10:15:30",
    "klo 13:10:52",
    "10:15:30-11:00:00",
    "klo 13:10:52 - 308 tapausta",
    "klo 13:10:52-308 tapausta",
    "13:10:52 - 308U",
    # A date written like a time needs a right check character.
    "13:10:52-308U",
    "13;10;52-308U",
    "klo 11:07:00-8129",
    "2026-09-15T13:10:52+0200",
    "2026-09-15T13:10:52-0300",
    "Tue, 13 Oct 2026 13:10:52 +0200",
    "(040) 123 4567",
    "(09) 1234-5678",
    "[24] 1192-3396",
    "[KANNUS-2026-00001]",
    "(KANNUS-2026-00001)",
    "Liite (1) 2026",
    "1 2 3 4 5 6 7 8 9 0",
    "1 3 1 0 5 2 - 3 0 8 U",
    "0 4 0 1 2 3 4 5 6 7",
    "A B C D E F G H I J K",
    "A-B-C",
    "?!",
    "10|20|30",
    "10 | 20 | 30",
    "1&2&3",
    "tel 040-123 4567 @ 9:00",
    "040 123 4567 @ klo 9:00",
    "puh. 040 123 4567 | 050 765 4321",
    "a@b.fi, 10 & 20",
    "12:30:45;1234;5678",
    "Łódź, Øresund, Đakovo",
    "Hinta 1 000 ₮",
]


@pytest.mark.parametrize(("text", "key"), REFUSED)
def test_identity_codes_as_people_type_them_are_refused(text, key):
    with pytest.raises(Refused) as caught:
        guard(text, Msg("field.note"))
    assert caught.value.key == key


@pytest.mark.parametrize("text", [*ORDINARY, None])
def test_ordinary_text_passes(text):
    guard(text, Msg("field.note"))


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_holds_no_identity_code(text):
    assert identity_codes(text) == []


def test_the_tables_are_long_enough():
    assert len(REFUSED) >= 60
    assert len(ORDINARY) >= 60


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_are_found_anywhere_in_text(code):
    assert [valid for _, valid in identity_codes(f"asiakas ({code}) soitti")] == [True]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_are_refused(code):
    with pytest.raises(Refused) as caught:
        guard(f"hetu {code}", Msg("field.note"))
    assert caught.value.key == "identity_code"
    assert str(caught.value).startswith("The note contains a personal identity code")
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("code", ["131052-308U", "010594Y9022", "010516B9030"])
def test_a_wrong_check_character_is_refused_too(code):
    with pytest.raises(Refused) as caught:
        guard(code, Msg("field.feedback"))
    assert caught.value.key == "identity_code_like"
    assert "looks like a personal identity code" in str(caught.value)


def test_lower_case_is_caught():
    assert [valid for _, valid in identity_codes("131052-308t")] == [True]


def test_every_code_in_the_text_is_found():
    text = "131052-308T, 010594Y9022 ja 010516b903x"
    assert [valid for _, valid in identity_codes(text)] == [True, False, True]


def test_codes_side_by_side_are_both_found():
    assert [valid for _, valid in identity_codes("131052-308T,010594Y9021")] == [True, True]


@pytest.mark.parametrize(
    "text",
    [
        "1131052-308T",  # a digit before
        "131052-308T1",  # a digit after
        "9131052308T",
        "131052308T9",
        "1131052/308T",
        "13.10.52-308T1",
    ],
)
def test_digits_inside_longer_numbers_are_no_code(text):
    assert identity_codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "131052308U",
        "13 10 52 308U",
        "0105949022",
        "131052_308U",
        "131052/308U",
        "131052~308U",
        "131052.308U",
        "131052 , 308U",
        "13.10.52.308U",
        "13-10-52 308U",
    ],
)
def test_without_a_century_sign_only_a_right_check_character_counts(text):
    assert identity_codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "131052|308U",
        "131052 @ 308U",
        "131052(308U)",
        "(131052)308U",
        "131052-308-U",
        "131052-30-8U",
        "1 3 1 0 5 2 - 3 0 8 U",
        "1 3 1 0 5 2 3 0 8 U",
        "13:10:52 - 308U",
        "13:10:52+0200",
        "10|20|30 13",
    ],
)
def test_these_spellings_count_only_with_a_right_check_character(text):
    assert identity_codes(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("(131052)-308T", "131052)-308T"),
        ("asiakas 1 3 1 0 5 2 - 3 0 8 T soitti", "1 3 1 0 5 2 - 3 0 8 T"),
        ("131052-308\u0166", "131052-308T"),
        ("131052\u2028308T", "131052 308T"),
    ],
)
def test_new_spellings_are_given_in_their_normalised_form(text, found):
    assert identity_codes(text) == [(found, True)]


def test_spaced_and_written_codes_come_in_text_order():
    text = "1 3 1 0 5 2 3 0 8 T ja 010594Y9022"
    assert [valid for _, valid in identity_codes(text)] == [True, False]


@pytest.mark.parametrize(
    "text",
    [
        "131052-308 U",
        "131052-30 8U",
        "131052-3 08U",
        "131052-30.8U",
        "010594Y90 22",
        "131052-308 Kokkola",
        "13.10.52 - 308 kpl",
    ],
)
def test_with_a_space_or_dot_in_the_last_part_only_a_right_check_character_counts(text):
    assert identity_codes(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1310\u034f52-308T", "131052-308T"),
        ("13\u280010\u280052\u2500308\u1d1b", "13 10 52-308T"),
        ("13..10..52 / 308T", "13..10..52 / 308T"),
        ("l3lO52-3O8T", "l3lO52-3O8T"),
    ],
)
def test_codes_are_given_in_their_normalised_form(text, found):
    assert identity_codes(text) == [(found, True)]


def test_a_small_l_as_the_check_character_is_l_or_1():
    assert [valid for _, valid in identity_codes("200588-123l 010594Y902l")] == [True, True]


@pytest.mark.parametrize("text", ["O4O1234567", "hello OOOOOO-OOOA", "1O.1O.2O26"])
def test_o_for_zero_needs_a_plausible_code_around_it(text):
    assert identity_codes(text) == []


def test_a_megabyte_of_ordinary_text_passes_through():
    rng = random.Random(2026)
    pieces, size = [], 0
    while size < 1_000_000:
        pieces.append(rng.choice(ORDINARY))
        size += len(pieces[-1]) + 12
    # A word between the pieces: glued together, two ordinary texts can by
    # chance spell a valid code (30, -10- and 010199 do).
    guard("\nSeuraava.\n".join(pieces), Msg("field.note"))


def test_a_megabyte_of_letters_read_as_digits_passes_through():
    rng = random.Random(2026)
    text = "".join(rng.choice("lIO|o ") for _ in range(1_000_000))
    assert identity_codes(text) == []


def test_a_megabyte_of_spaced_characters_is_searched_through():
    rng = random.Random(2026)
    text = " ".join(rng.choice("0123456789lIO|-+|@()") for _ in range(500_000))
    assert all(isinstance(valid, bool) for _, valid in identity_codes(text))


def test_a_megabyte_of_digits_and_separators_is_searched_through():
    rng = random.Random(2026)
    text = "".join(rng.choice("0123456789 .-/,_O\n\u2013l\u30fc\u034f") for _ in range(1_000_000))
    # Chance puts code-like strings in such text; they are all found.
    assert all(isinstance(valid, bool) for _, valid in identity_codes(text))
