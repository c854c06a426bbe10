"""Setting up a territory from nothing: a commune, its neighbourhoods, its first staff.

Used by the operators' command line (``python -m heurecivique_app.manage``) on a
fresh production database, which needs no demo data. Every input is checked
first, with every field's error at once, and nothing is written unless all of
it is valid; a slug, INSEE code or e-mail already taken is refused the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, select

from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.domain.enums import STAFF_ROLES, Role
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.models import Commune, Departement, Neighbourhood, User
from heurecivique_app.domain.territory import (
    clean_colour,
    clean_departement_code,
    clean_insee_code,
    clean_slug,
    slug_of,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    french_phone,
    optional_text,
    required_text,
    whole_number,
)
from heurecivique_app.domain.volunteering import clean_email, clean_password
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

TAKEN = N_("This is already taken by another commune.")


@dataclass(frozen=True)
class CommuneForm:
    """A commune as typed (strings, unchecked)."""

    departement_code: str
    departement_name: str
    insee_code: str
    name: str
    slug: str = ""
    colour: str = "#1d4ed8"
    contact_phone: str = ""
    contact_email: str = ""
    town_hall_address: str = ""
    public_text: str = ""


def check_commune(session: Session, form: CommuneForm, *,
                  current: Commune | None = None) -> tuple[dict, Departement | None]:
    """The clean values of a commune's form, and its département if it exists already.

    ``current`` is the commune being edited: its own slug and INSEE code are not "taken".

    Raises:
        ValidationFailed: with every field's error.
    """
    check = FormCheck()
    check.take("departement_code", lambda: clean_departement_code(form.departement_code))
    check.take("name", lambda: required_text(form.name, max_length=120, kind=TextKind.LINE))
    check.take("slug", lambda: clean_slug(form.slug or slug_of(form.name or "")))
    check.take("colour", lambda: clean_colour(form.colour))
    check.take("contact_phone", lambda: french_phone(form.contact_phone) or "")
    check.take("contact_email", lambda: clean_email(form.contact_email)
               if (form.contact_email or "").strip() else "")
    check.take("town_hall_address", lambda: optional_text(
        form.town_hall_address, max_length=255, kind=TextKind.LINE))
    check.take("public_text", lambda: optional_text(form.public_text, max_length=2000))
    code = check.clean.get("departement_code", "")
    check.take("insee_code", lambda: clean_insee_code(form.insee_code, code))
    departement = session.exec(select(Departement).where(Departement.code == code)).first()
    if departement is None:
        check.take("departement_name", lambda: required_text(
            form.departement_name, max_length=120, kind=TextKind.LINE))
    clean = check.result()
    taken = {}
    for field, column in (("slug", Commune.slug), ("insee_code", Commune.insee_code)):
        other = session.exec(select(Commune).where(column == clean[field])).first()
        if other is not None and (current is None or other.id != current.id):
            taken[field] = TAKEN
    if taken:
        raise ValidationFailed(taken)
    return clean, departement


def _fill(commune: Commune, clean: dict) -> None:
    commune.insee_code, commune.name, commune.slug = (clean["insee_code"], clean["name"],
                                                      clean["slug"])
    commune.theme_color = clean["colour"]
    commune.contact_phone, commune.contact_email = clean["contact_phone"], clean["contact_email"]
    commune.town_hall_address = clean["town_hall_address"]
    commune.public_text = clean["public_text"]


def create_commune(session: Session, *, form: CommuneForm, actor: Actor | None = None
                   ) -> Commune:
    """Create a commune, and its département if it is new.

    Raises:
        ValidationFailed: with every field's error; nothing is written.
    """
    clean, departement = check_commune(session, form)
    if departement is None:
        departement = Departement(code=clean["departement_code"], name=clean["departement_name"])
        session.add(departement)
        session.flush()
    assert departement.id is not None
    commune = Commune(departement_id=departement.id, insee_code="", name="", slug="")
    _fill(commune, clean)
    session.add(commune)
    session.flush()
    audit(session, actor=actor, action="commune.created", entity="commune",
          entity_id=commune.id, commune_id=commune.id, insee_code=commune.insee_code)
    return commune


def update_commune(session: Session, *, commune: Commune, form: CommuneForm,
                   actor: Actor | None = None) -> Commune:
    """Change a commune's identity, contacts and texts; its département stays.

    Raises:
        ValidationFailed: with every field's error; nothing is written.
    """
    departement = session.get(Departement, commune.departement_id)
    assert departement is not None
    form = replace(form, departement_code=departement.code)
    clean, _ = check_commune(session, form, current=commune)
    _fill(commune, clean)
    session.add(commune)
    audit(session, actor=actor, action="commune.updated", entity="commune",
          entity_id=commune.id, commune_id=commune.id)
    return commune


def _commune(session: Session, slug: str) -> Commune:
    commune = session.exec(select(Commune).where(Commune.slug == (slug or "").strip())).first()
    if commune is None or commune.id is None:
        raise ValidationFailed({"commune": N_("No commune has this slug.")})
    return commune


def _coordinate(value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:  # NaN fails both sides
        raise FieldError(N_("Enter a number, e.g. 48.1236."))
    return number


def add_neighbourhood(session: Session, *, commune_slug: str, name: str, lat: str, lon: str,
                      radius_m: str = "600", actor: Actor | None = None) -> Neighbourhood:
    """Add a neighbourhood drawn as a centre and a radius (where no contours exist).

    Raises:
        ValidationFailed: a field is wrong or the name is already used in the commune.
    """
    commune = _commune(session, commune_slug)
    check = FormCheck()
    check.take("name", lambda: required_text(name, max_length=120, kind=TextKind.LINE))
    check.take("radius_m", lambda: whole_number(radius_m, low=100, high=10_000))
    check.take("lat", lambda: _coordinate(lat, -90, 90))
    check.take("lon", lambda: _coordinate(lon, -180, 180))
    clean = check.result()
    slug = slug_of(clean["name"]) or "quartier"
    if session.exec(select(Neighbourhood).where(Neighbourhood.commune_id == commune.id,
                                                Neighbourhood.slug == slug)).first():
        raise ValidationFailed({"name": N_("This commune already has a neighbourhood of this "
                                           "name.")})
    hood = Neighbourhood(commune_id=commune.id, slug=slug, name=clean["name"],
                         lat=clean["lat"], lon=clean["lon"], radius_m=clean["radius_m"])
    session.add(hood)
    session.flush()
    audit(session, actor=actor, action="neighbourhood.created", entity="neighbourhood",
          entity_id=hood.id, commune_id=commune.id)
    return hood


def create_staff_account(session: Session, *, commune_slug: str, email: str, name: str,
                         password: str, role: str = Role.COMMUNE_ADMIN) -> User:
    """The first staff account of a commune (or a département's coordinator), confirmed.

    Raises:
        ValidationFailed: a field is wrong, the role is not a staff role, or the e-mail
            already has an account; nothing is written.
    """
    commune = _commune(session, commune_slug)
    check = FormCheck()
    check.take("email", lambda: clean_email(email))
    check.take("name", lambda: required_text(name, max_length=120, kind=TextKind.LINE))
    check.take("password", lambda: clean_password(password))
    clean = check.result()
    if role not in STAFF_ROLES:
        raise ValidationFailed({"role": N_("Choose a value from the list.")})
    if session.exec(select(User).where(User.email == clean["email"])).first():
        raise ValidationFailed({"email": N_("This e-mail address already has an account.")})
    user = User(commune_id=commune.id, email=clean["email"], display_name=clean["name"],
                password_hash=hash_password(clean["password"]), role=role,
                email_confirmed=True)
    session.add(user)
    session.flush()
    audit(session, actor=None, action="staff.created", entity="user", entity_id=user.id,
          commune_id=commune.id, role=role)
    return user
