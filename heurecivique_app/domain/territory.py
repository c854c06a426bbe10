"""The checks of a territory's identity: département and INSEE codes, slugs, colours.

Pure: the services (services/territory.py) add what needs the database, such as
a slug or code already taken.
"""

from __future__ import annotations

import re
import unicodedata

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import FieldError, TextKind, required_text

# Metropolitan départements are 01–95 with Corsica's 2A and 2B; overseas ones are 971–976.
_DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SLUG_MAX = 80


def clean_departement_code(value: str | None) -> str:
    """A département's code as INSEE writes it ("35", "2A", "974")."""
    code = required_text(value, max_length=3, kind=TextKind.LINE).upper()
    if not _DEPARTEMENT.match(code):
        raise FieldError(N_("Enter a département code, e.g. 35, 2A or 974."))
    return code


def clean_insee_code(value: str | None, departement_code: str) -> str:
    """A commune's INSEE code (5 characters), which must start with its département's code."""
    code = required_text(value, max_length=5, kind=TextKind.LINE).upper()
    if len(code) != 5 or not code.startswith(departement_code) or not code[2:].isdigit():
        raise FieldError(N_("Enter the commune's INSEE code: 5 characters starting with its "
                            "département's code, e.g. 35360."))
    return code


def slug_of(name: str) -> str:
    """The address-friendly form of a name: « Vitré-Centre » → ``vitre-centre``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:SLUG_MAX].strip("-")


def clean_slug(value: str | None) -> str:
    """A slug typed by an operator: lower-case letters, digits and single dashes."""
    slug = required_text(value, max_length=SLUG_MAX, kind=TextKind.LINE)
    if not _SLUG.match(slug):
        raise FieldError(N_("Use lower-case letters, digits and dashes only, e.g. vitre."))
    return slug


# The public site and the flyers write white text on the commune's colour (WCAG AA).
MIN_CONTRAST = 4.5


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The contrast ratio of white text on ``colour`` (1 to 21)."""
    return 1.05 / (luminance(colour) + 0.05)


def clean_colour(value: str | None) -> str:
    """A colour as ``#rrggbb``, dark enough for white text on it."""
    colour = required_text(value, max_length=7, kind=TextKind.LINE)
    if not _COLOUR.match(colour):
        raise FieldError(N_("Enter a colour as #rrggbb, e.g. #0f766e."))
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        raise FieldError(N_("This colour is too light for white text on it (contrast "
                            "{ratio}:1, at least 4.5:1 is needed): choose a darker one."),
                         ratio=f"{ratio:.1f}")
    return colour.lower()
