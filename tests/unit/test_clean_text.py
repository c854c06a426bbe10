"""The one text cleaner (domain.text.clean_text) every service's typed text goes through."""

from __future__ import annotations

import pytest

from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import (
    BAD_CHARACTER,
    NOT_TEXT,
    ONE_LINE,
    TOO_LONG,
    FieldError,
    TextKind,
    clean_text,
)
from heurecivique_app.domain.validation import FormCheck, optional_text, required_text
from heurecivique_app.i18n import catalog, translate


def refused(value: object, kind: TextKind = TextKind.TEXT, max_length: int = 100) -> FieldError:
    with pytest.raises(FieldError) as info:
        clean_text(value, max_length=max_length, kind=kind)
    return info.value


def test_none_is_empty_text_never_the_word_none() -> None:
    assert clean_text(None, max_length=10) == ""
    assert optional_text(None, max_length=10) == ""
    with pytest.raises(FieldError, match="required"):
        required_text(None, max_length=10)


@pytest.mark.parametrize("value", [12, 1.5, True, ["a"], {"a": 1}, b"bytes"])
def test_a_value_that_is_not_a_string_is_refused(value: object) -> None:
    assert refused(value).message == NOT_TEXT


@pytest.mark.parametrize("kind", list(TextKind))
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x9b"])
def test_control_characters_are_refused_in_every_kind(kind: TextKind, char: str) -> None:
    assert refused(f"Mme{char}Durand", kind).message == BAD_CHARACTER


@pytest.mark.parametrize("kind", list(TextKind))
@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\udc80"])
def test_lone_surrogates_are_refused(kind: TextKind, char: str) -> None:
    assert refused(f"abc{char}", kind).message == BAD_CHARACTER


def test_multiline_text_keeps_newlines_and_tabs_and_normalises_carriage_returns() -> None:
    assert clean_text("a\r\nb\rc\n\td\u2028e", max_length=100) == "a\nb\nc\n\td\ne"


@pytest.mark.parametrize("kind", [TextKind.LINE, TextKind.NAME])
@pytest.mark.parametrize("text", ["Fuite\r\nBcc: x@evil.example", "a\nb", "a\rb", "a\u2028b"])
def test_one_line_fields_refuse_line_breaks(kind: TextKind, text: str) -> None:
    assert refused(text, kind).message == ONE_LINE


def test_a_tab_in_a_one_line_field_is_a_space() -> None:
    assert clean_text("Rue\tde la Poterie", max_length=100, kind=TextKind.LINE) == (
        "Rue de la Poterie")


@pytest.mark.parametrize("kind", list(TextKind))
def test_bidi_overrides_and_isolates_are_removed_everywhere(kind: TextKind) -> None:
    spoofed = "Camille\u202egpj.exe\u202c \u2066Martin\u2069"
    assert clean_text(spoofed, max_length=100, kind=kind) == "Camillegpj.exe Martin"


def test_names_lose_every_invisible_character_and_extra_spaces() -> None:
    name = "\ufeffCa\u200bmi\u200dlle\u00ad  \u200e Mar\u2060tin\u200f "
    assert clean_text(name, max_length=100, kind=TextKind.NAME) == "Camille Martin"


def test_a_name_made_only_of_invisible_characters_is_empty_hence_required() -> None:
    with pytest.raises(FieldError, match="required"):
        required_text("\u200b\u200d\u202e \u2066", max_length=50, kind=TextKind.NAME)


def test_free_text_keeps_emoji_joiners() -> None:
    family = "Merci \U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(family, max_length=100) == family


def test_text_is_stored_in_composed_form() -> None:
    assert clean_text("Le\u0301a", max_length=10) == "Léa"


def test_the_limit_counts_the_clean_text_and_the_message_gives_it() -> None:
    assert clean_text("  " + "x" * 20 + "  ", max_length=20) == "x" * 20
    error = refused("x" * 21, max_length=20)
    assert (error.message, error.params) == (TOO_LONG, {"max_length": 20})
    assert translate(error.message, "fr", **error.params) == (
        "Ce texte est trop long : 20 caractères au plus.")


def test_a_huge_paste_is_refused_as_too_long() -> None:
    error = refused("é" * 5_000_000, max_length=2000)
    assert error.params == {"max_length": 2000}


def test_form_check_passes_the_limit_to_the_translated_field_errors() -> None:
    check = FormCheck()
    check.take("title", lambda: required_text("x" * 130, max_length=120, kind=TextKind.LINE))
    check.take("description", lambda: optional_text("ok\x00", max_length=2000))
    with pytest.raises(ValidationFailed) as info:
        check.result()
    shown = info.value.translated(lambda message, **params: translate(message, "en", **params))
    assert shown == {
        "title": "This text is too long: 120 characters at most.",
        "description": "This text contains a control character or an invalid character: "
                       "please retype it.",
    }


@pytest.mark.parametrize("message", [NOT_TEXT, BAD_CHARACTER, ONE_LINE, TOO_LONG])
def test_every_message_of_the_cleaner_has_a_french_translation(message: str) -> None:
    french = catalog("fr")
    assert french.get(message, message) != message
