"""Small pure validators for form input. Each returns the clean value or raises."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import phonenumbers

from heurecivique_app.domain.errors import NotFound, ValidationFailed
from heurecivique_app.domain.text import N_, FieldError, TextKind, clean_text

# FieldError lives beside the text cleaner (which raises it); callers import it from here.

__all__ = ["FieldError", "FormCheck", "TextKind", "clean_text", "form_id", "form_text", "known_id",
           "french_phone", "local_datetime", "one_of", "optional_text", "required_text",
           "whole_number"]


class FormCheck:
    """Runs each field's check and keeps every error, so a form shows them all at once."""

    def __init__(self) -> None:
        self.clean: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.params: dict[str, dict[str, Any]] = {}

    def take(self, name: str, check: Callable[[], Any]) -> None:
        """Store ``check()`` as the clean value of ``name``, or its error."""
        try:
            self.clean[name] = check()
        except FieldError as exc:
            self.errors[name] = exc.message
            if exc.params:
                self.params[name] = exc.params

    def result(self) -> dict[str, Any]:
        """The clean values; ValidationFailed with every error if there is any."""
        if self.errors:
            raise ValidationFailed(self.errors, params=self.params)
        return self.clean


def form_text(data: Mapping[str, object], name: str, default: str = "") -> object:
    """What a submitted form holds for ``name``: ``default`` when missing or null.

    Never ``str()`` of the value: a null would become the text "None". Anything
    else is passed on as sent, for the field's check (``clean_text`` refuses a
    value that is not a string).
    """
    value = data.get(name)
    return default if value is None else value


# Row ids are PostgreSQL INTEGERs: a larger number cannot be any row's id, and asking
# for one would be a database error instead of "not found".
_MAX_ID = 2**31 - 1


def form_id(value: object) -> int | None:
    """The row id a form's select (or a link) sent, or None if it cannot be one.

    Empty, not a plain ASCII number, zero or beyond the database's range: None,
    so that callers answer with their own "choose from the list" message.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= _MAX_ID else None


def link_token_shape(value: object) -> bool:
    """Whether ``value`` can be the token of a link this app e-mails (short ASCII).

    Every such token comes from ``secrets.token_urlsafe``: anything else, from a
    hand-made request, is refused before it is hashed and looked up.
    """
    return isinstance(value, str) and bool(value) and value.isascii() and len(value) <= 200


def known_id(value: object) -> int:
    """``value`` as the id of a row to look up; NotFound if it cannot be any row's id.

    Ids reach services from route parameters and event arguments: a hand-made one
    (a huge number, a text) gets the answer of a missing row, not a database error.
    """
    found = form_id(value)
    if found is None:
        raise NotFound()
    return found


def known_ids(values: object, *, most: int = 1000) -> list[int]:
    """``values`` as a list of row ids (duplicates dropped, order kept); NotFound otherwise.

    A list of ticked people or places comes from an event argument: anything that is
    not a list of ids, or a list longer than any page shows, is answered like a
    missing row.
    """
    if not isinstance(values, list | tuple | set | frozenset) or len(values) > most:
        raise NotFound()
    return list(dict.fromkeys(known_id(value) for value in values))


def one_of(value: str, allowed: Iterable[str], message: str) -> str:
    """``value`` if it is one of ``allowed`` (e.g. an enum's values), else ``message``."""
    if not isinstance(value, str) or value not in {str(option) for option in allowed}:
        raise FieldError(message)
    return value


def required_text(value: str | None, *, max_length: int, kind: TextKind = TextKind.TEXT) -> str:
    """The clean text (see ``domain.text.clean_text``); an empty one is refused."""
    text = clean_text(value, max_length=max_length, kind=kind)
    if not text:
        raise FieldError(N_("This field is required."))
    return text


def optional_text(value: str | None, *, max_length: int, kind: TextKind = TextKind.TEXT) -> str:
    """The clean text (see ``domain.text.clean_text``), possibly empty."""
    return clean_text(value, max_length=max_length, kind=kind)


def french_phone(value: str | None, *, required: bool = False) -> str | None:
    """A French phone number in E.164 form (+33...), or None if empty and optional."""
    text = clean_text(value, max_length=40, kind=TextKind.LINE)
    if not text:
        if required:
            raise FieldError(N_("This field is required."))
        return None
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException as exc:
        raise FieldError(N_("Enter a French phone number, e.g. 02 99 75 00 00.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise FieldError(N_("Enter a French phone number, e.g. 02 99 75 00 00."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whole_number(value: str | int | None, *, low: int, high: int,
                 out_of_range: str = N_("This number is out of the allowed range.")) -> int:
    """The whole number typed, between ``low`` and ``high``.

    ``out_of_range`` is the message id for a number outside the range, best one
    that names it (e.g. ``domain.hours.TIME_GIVEN_RANGE``).
    """
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise FieldError(N_("Enter a whole number.")) from exc
    if not low <= number <= high:
        raise FieldError(out_of_range)
    return number


def local_datetime(day: str | None, hour: str | None, *, timezone: str) -> datetime:
    """Combine a local date (YYYY-MM-DD) and time (HH:MM) into an aware UTC-able datetime."""
    try:
        parsed_day = date.fromisoformat(clean_text(day, max_length=10, kind=TextKind.LINE))
    except (FieldError, ValueError) as exc:
        raise FieldError(N_("Enter a valid date.")) from exc
    try:
        typed = clean_text(hour, max_length=15, kind=TextKind.LINE)
        parsed_time = time.fromisoformat(typed or "10:00")
    except (FieldError, ValueError) as exc:
        raise FieldError(N_("Enter a valid time.")) from exc
    return datetime.combine(parsed_day, parsed_time, tzinfo=ZoneInfo(timezone))


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths, so a crafted link cannot bounce a user elsewhere."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
