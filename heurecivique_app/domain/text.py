r"""User text: message ids for translation, and the one cleaner every typed text goes through.

The domain never knows the user's language: it carries message ids (English
source text) that the i18n layer translates at the edge.

Every service that stores text a person typed (or sent over the websocket,
where any JSON value can arrive) passes it through :func:`clean_text`, usually
by way of ``domain.validation.required_text``/``optional_text``. What it does:

- ``None`` is empty text, never the four letters "None"; a value that is not a
  string at all (a number, a list sent by a hand-made event) is refused.
- Lone surrogates (which no database can store) and control characters (NUL,
  escape...) are refused with a message, not silently dropped: the person
  retypes rather than having a text changed behind their back.
- Bidi overrides/embeddings/isolates are removed everywhere: a stray U+202E
  reverses the text around it in every list that shows it. Names lose every
  invisible character (zero-width spaces and joiners, marks, soft hyphens), so
  two people cannot look the same while being different strings.
- Line breaks: ``\\r\\n`` and ``\\r`` become ``\\n`` in multi-line text; a field
  meant for one line (titles, names, addresses) refuses them, which also keeps
  them out of any mail header built from it.
- Sizes are bounded per field and the message gives the limit.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark ``message`` for extraction by pybabel; return it unchanged."""
    return message


class FieldError(ValueError):
    """A single field is wrong; ``message`` is a message id, ``params`` fill its placeholders."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class TextKind(StrEnum):
    """What a field holds, which decides line breaks and invisible characters."""

    TEXT = "text"  # multi-line free text: descriptions, notes, reasons, answers
    LINE = "line"  # one line: titles, addresses, places
    NAME = "name"  # one line naming a person: no invisible character at all


NOT_TEXT = N_("This value is not text.")
BAD_CHARACTER = N_(
    "This text contains a control character or an invalid character: please retype it."
)
ONE_LINE = N_("This field must fit on one line.")
TOO_LONG = N_("This text is too long: {max_length} characters at most.")

# Bidi embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069): never
# needed in the French or English the app deals in, and able to reorder what
# follows them on screen ("Trojan source").
_BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Zero-width space, word joiner and byte-order mark carry nothing in any text.
# (Zero-width joiners stay in free text: emoji sequences need them.)
_INVISIBLE = frozenset("\u200b\u2060\ufeff")
_LINE_BREAKS = ("\r\n", "\r", "\x85", "\u2028", "\u2029")
# Cleaning never makes a text longer, so anything far beyond the limit is refused
# before the character-by-character work (a 5 MB paste costs nothing).
_SLACK = 2


def _refuse_bad_characters(text: str, *, multiline: bool) -> None:
    for char in text:
        if "\ud800" <= char <= "\udfff":  # a lone surrogate: not encodable in UTF-8
            raise FieldError(BAD_CHARACTER)
        if unicodedata.category(char) == "Cc" and not (multiline and char in "\n\t"):
            raise FieldError(ONE_LINE if char == "\n" else BAD_CHARACTER)


def clean_text(value: object, *, max_length: int, kind: TextKind = TextKind.TEXT) -> str:
    """The text as it should be stored: normalised, stripped, checked, within ``max_length``.

    Args:
        value: what arrived for the field (``None`` means empty).
        max_length: the most characters the field may hold once cleaned.
        kind: multi-line text, a single line, or a person's name.

    Returns:
        The clean text, possibly empty (``required_text`` refuses empty).

    Raises:
        FieldError: not a string, a control or invalid character, a line break
            in a one-line field, or longer than ``max_length``.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(NOT_TEXT)
    if len(value) > max_length * _SLACK + 64:
        raise FieldError(TOO_LONG, max_length=max_length)
    multiline = kind is TextKind.TEXT
    text = value
    for line_break in _LINE_BREAKS:
        text = text.replace(line_break, "\n")
    if not multiline:
        text = text.replace("\t", " ")
    _refuse_bad_characters(text, multiline=multiline)
    text = unicodedata.normalize("NFC", text)
    text = "".join(char for char in text if char not in _BIDI_CONTROLS and char not in _INVISIBLE)
    if kind is TextKind.NAME:
        # Every remaining format character (joiners, direction marks, soft hyphens...)
        # is invisible in a name; runs of spaces shrink to one.
        text = " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())
    text = text.strip()
    if len(text) > max_length:
        raise FieldError(TOO_LONG, max_length=max_length)
    return text
