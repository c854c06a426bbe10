"""Domain errors carry a translatable message id and its parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heurecivique_app.domain.text import N_


class DomainError(Exception):
    """A rule of the scheme or of the data was broken; shown translated to the user.

    Args:
        message: a message id (English source text, marked with ``N_``).
        field: the form field the error belongs to, if any.
        **params: values interpolated into the translated message.
    """

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


class NotAllowed(DomainError):
    """The current user may not do this."""

    def __init__(self, message: str = N_("You are not allowed to do this.")) -> None:
        super().__init__(message)


class NotFound(DomainError):
    """The object does not exist, or is not visible to the current user."""

    def __init__(self, message: str = N_("This item no longer exists.")) -> None:
        super().__init__(message)


class InvalidTransition(DomainError):
    """A mission cannot move from its current status to the requested one."""


class AlreadyTaken(DomainError):
    """Every place of the mission was taken before this volunteer's tap arrived."""

    def __init__(self) -> None:
        super().__init__(N_("Already taken: another volunteer was quicker. Thank you anyway!"))


class ValidationFailed(DomainError):
    """Input did not pass validation; ``errors`` maps field names to message ids.

    ``field_params`` holds the placeholders of the fields' messages that have any
    (e.g. ``{"title": {"max_length": 120}}``).
    """

    def __init__(self, errors: dict[str, str],
                 params: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__(N_("Please correct the highlighted fields."))
        self.errors = errors
        self.field_params = params or {}

    def translated(self, translate: Callable[..., str]) -> dict[str, str]:
        """Every field's message through ``translate(message, **params)``."""
        return {name: translate(message, **self.field_params.get(name, {}))
                for name, message in self.errors.items()}


class PossibleDuplicates(DomainError):
    """The beneficiary typed looks like one already known: the referent must choose.

    ``matches`` are the known people (the service's summaries), most likely first.
    """

    def __init__(self, matches: list) -> None:
        super().__init__(N_(
            "This person may already be known. Pick them, or confirm that this is someone new."
        ))
        self.matches = matches
