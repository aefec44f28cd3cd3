import pytest

from kela_tui.errors import Refused
from kela_tui.i18n import Msg
from kela_tui.privacy import guard, identity_codes

VALID = ["131052-308T", "010594Y9021", "010516B903X"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_are_found_anywhere_in_text(code):
    assert identity_codes(f"asiakas ({code}) soitti") == [(code, True)]


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
    assert identity_codes("131052-308t") == [("131052-308t", True)]


@pytest.mark.parametrize(
    "text",
    [
        "Asumistuki, liite puuttui",
        "puh. 040-1234567",
        "ref 2026-09-15",
        "KANNUS-2026-00001",
        "12345678901",
        "",
        None,
    ],
)
def test_ordinary_text_passes(text):
    guard(text, Msg("field.note"))
