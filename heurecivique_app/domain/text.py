"""Marks user-facing strings for extraction without translating them here.

The domain never knows the user's language: it carries message ids (English
source text) that the i18n layer translates at the edge.
"""


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark ``message`` for extraction by pybabel; return it unchanged."""
    return message
