"""Onboarding a territory from the admin pages: départements, communes, quarters, first staff.

Who may do what is checked here, never in the pages:

- the platform's administrator: every département and every commune;
- a département's coordinator: the communes of their département (create, edit);
- a commune's administrator: their own commune (edit, logo, quarters, staff);
- anyone else: nothing (``NotAllowed``). Someone who may not see a commune gets
  ``NotFound`` for it, as elsewhere, so ids reveal nothing.

The checks of the fields themselves live in services/territory.py (shared with
the operators' command line) and domain/contours.py (GeoJSON). Every write is
one unit of work: a refused input leaves nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from heurecivique_app.adapters.photos import PhotoStore
from heurecivique_app.domain.contours import Contour, read_contours
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.models import Commune, Departement, Neighbourhood, StaffInvitation
from heurecivique_app.domain.territory import clean_departement_code, slug_of
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import FormCheck, TextKind, optional_text, required_text
from heurecivique_app.domain.volunteering import clean_email
from heurecivique_app.services import staff, territory
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

# The largest GeoJSON file the import reads (a town's IRIS contours weigh 100–500 kB).
MAX_GEOJSON_BYTES = 2 * 1024 * 1024
# A logo is small: it sits in the public site's header and on the flyers.
MAX_LOGO_BYTES = 1024 * 1024
ONBOARDING_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.DEPARTEMENT_ADMIN, Role.COMMUNE_ADMIN})
OUTSIDE_DEPARTEMENT = N_("You coordinate another département: choose yours.")


@dataclass(frozen=True)
class DepartementForm:
    """A département as typed (strings, unchecked)."""

    code: str
    name: str
    contact_email: str = ""
    join_text: str = ""


def _own_departement_id(session: Session, actor: Actor) -> int | None:
    home = session.get(Commune, actor.commune_id)
    return home.departement_id if home is not None else None


def require_onboarding(actor: Actor) -> None:
    """Only administrators (platform, département, commune) open the admin pages."""
    if actor.role not in ONBOARDING_ROLES:
        raise NotAllowed()


def may_manage(session: Session, actor: Actor, commune: Commune) -> bool:
    """Whether ``actor`` may edit ``commune`` (see the module docstring)."""
    if actor.role == Role.PLATFORM_ADMIN:
        return True
    if actor.role == Role.DEPARTEMENT_ADMIN:
        return commune.departement_id == _own_departement_id(session, actor)
    return actor.role == Role.COMMUNE_ADMIN and commune.id == actor.commune_id


def managed_commune(session: Session, *, actor: Actor, commune_id: int) -> Commune:
    """The commune if ``actor`` may edit it.

    Raises:
        NotAllowed: the actor is no administrator.
        NotFound: no such commune, or one they may not see.
    """
    require_onboarding(actor)
    commune = session.get(Commune, commune_id)
    if commune is None or not may_manage(session, actor, commune):
        raise NotFound()
    return commune


def communes_for(session: Session, *, actor: Actor) -> list[tuple[Commune, Departement]]:
    """The communes ``actor`` may edit, with their département, by département then name."""
    require_onboarding(actor)
    query = select(Commune, Departement).join(Departement,
                                              Departement.id == Commune.departement_id)
    if actor.role == Role.DEPARTEMENT_ADMIN:
        query = query.where(Commune.departement_id == _own_departement_id(session, actor))
    elif actor.role != Role.PLATFORM_ADMIN:
        query = query.where(Commune.id == actor.commune_id)
    return list(session.exec(query.order_by(col(Departement.code), col(Commune.name))).all())


def departements_for(session: Session, *, actor: Actor) -> list[Departement]:
    """The départements in which ``actor`` may create a commune."""
    require_onboarding(actor)
    query = select(Departement).order_by(col(Departement.code))
    if actor.role == Role.DEPARTEMENT_ADMIN:
        query = query.where(Departement.id == _own_departement_id(session, actor))
    elif actor.role != Role.PLATFORM_ADMIN:
        return []
    return list(session.exec(query).all())


def save_departement(session: Session, *, actor: Actor, form: DepartementForm) -> Departement:
    """Create a département, or change the name and public texts of the one with this code.

    Raises:
        NotAllowed: not the platform's administrator.
        ValidationFailed: with every field's error; nothing is written.
    """
    if actor.role != Role.PLATFORM_ADMIN:
        raise NotAllowed()
    check = FormCheck()
    check.take("code", lambda: clean_departement_code(form.code))
    check.take("name", lambda: required_text(form.name, max_length=120, kind=TextKind.LINE))
    check.take("contact_email", lambda: clean_email(form.contact_email)
               if (form.contact_email or "").strip() else "")
    check.take("join_text", lambda: optional_text(form.join_text, max_length=2000))
    clean = check.result()
    departement = session.exec(select(Departement).where(
        Departement.code == clean["code"])).first() or Departement(code=clean["code"], name="")
    departement.name, departement.contact_email = clean["name"], clean["contact_email"]
    departement.join_text = clean["join_text"]
    session.add(departement)
    session.flush()
    audit(session, actor=actor, action="departement.saved", entity="departement",
          entity_id=departement.id, commune_id=None, code=departement.code)
    return departement


def create_commune(session: Session, *, actor: Actor, form: territory.CommuneForm) -> Commune:
    """Create a commune (and a new département, for the platform's administrator only).

    The platform's administrator creates one anywhere, a département's coordinator
    in their own département.

    Raises:
        NotAllowed: neither of them.
        ValidationFailed: with every field's error; nothing is written.
    """
    require_onboarding(actor)
    if actor.role == Role.DEPARTEMENT_ADMIN:
        own = session.get(Departement, _own_departement_id(session, actor))
        if own is None or (form.departement_code or "").strip().upper() != own.code:
            raise ValidationFailed({"departement_code": OUTSIDE_DEPARTEMENT})
    elif actor.role != Role.PLATFORM_ADMIN:
        raise NotAllowed()
    return territory.create_commune(session, form=form, actor=actor)


def update_commune(session: Session, *, actor: Actor, commune_id: int,
                   form: territory.CommuneForm) -> Commune:
    """Change a commune's name, codes, colour, contacts and public text.

    Raises:
        NotFound: a commune the actor may not edit.
        ValidationFailed: with every field's error; nothing is written.
    """
    commune = managed_commune(session, actor=actor, commune_id=commune_id)
    return territory.update_commune(session, commune=commune, form=form, actor=actor)


def departement_code(session: Session, commune: Commune) -> str:
    """The code of the commune's département ("35")."""
    departement = session.get(Departement, commune.departement_id)
    return departement.code if departement is not None else ""


def store_logo(session: Session, *, actor: Actor, commune_id: int, data: bytes,
               photos: PhotoStore) -> None:
    """Check, store and show an uploaded logo (a JPEG, PNG or WebP of at most 1 MB).

    adapters/photos.py re-encodes it without its metadata, like every photo.

    Raises:
        NotFound: a commune the actor may not edit (checked before anything is stored).
        ValidationFailed: on ``logo``, not an image or too big.
    """
    managed_commune(session, actor=actor, commune_id=commune_id)
    try:
        name = photos.save(data, max_bytes=MAX_LOGO_BYTES)
    except DomainError as refused:
        raise ValidationFailed({"logo": refused.message},
                               params={"logo": refused.params}) from refused
    set_logo(session, actor=actor, commune_id=commune_id, logo_name=name)


def set_logo(session: Session, *, actor: Actor, commune_id: int, logo_name: str | None) -> None:
    """Show a stored image as the commune's logo, or none.

    The image was checked and re-encoded by adapters/photos.py (:func:`store_logo`).
    """
    commune = managed_commune(session, actor=actor, commune_id=commune_id)
    commune.logo_name = logo_name
    session.add(commune)
    audit(session, actor=actor, action="commune.logo_changed", entity="commune",
          entity_id=commune.id, commune_id=commune.id, removed=logo_name is None)


def neighbourhoods_of(session: Session, *, actor: Actor, commune_id: int) -> list[Neighbourhood]:
    """The commune's quarters, by name."""
    managed_commune(session, actor=actor, commune_id=commune_id)
    return list(session.exec(select(Neighbourhood).where(
        Neighbourhood.commune_id == commune_id).order_by(col(Neighbourhood.name))).all())


def _read_file(session: Session, commune_id: int, data: bytes) -> list[Contour]:
    if len(data) > MAX_GEOJSON_BYTES:
        raise ValidationFailed({"geojson": N_("The file is too big (at most {size} MB).")},
                               params={"geojson": {"size": MAX_GEOJSON_BYTES // 2**20}})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed({"geojson": N_("This file is not GeoJSON: export the quarters "
                                              "as a .geojson file.")}) from exc
    drawn = session.exec(select(Neighbourhood.name, Neighbourhood.contour).where(
        Neighbourhood.commune_id == commune_id, col(Neighbourhood.contour).is_not(None))).all()
    return read_contours(text, keep=[(name, contour) for name, contour in drawn if contour])


def preview_contours(session: Session, *, actor: Actor, commune_id: int,
                     data: bytes) -> list[Contour]:
    """The quarters a GeoJSON file would give, checked, without writing anything.

    Raises:
        NotFound: a commune the actor may not edit.
        ValidationFailed: on ``geojson``, what is wrong with the file.
    """
    managed_commune(session, actor=actor, commune_id=commune_id)
    return _read_file(session, commune_id, data)


def import_contours(session: Session, *, actor: Actor, commune_id: int,
                    data: bytes) -> tuple[int, int]:
    """Import a GeoJSON file of quarters: (how many created, how many redrawn).

    A quarter of the same name as one the commune has (a circle, or an earlier
    contour) gets the new contour and keeps its board, missions and volunteers;
    the others are created. The new contours may not overlap each other nor the
    commune's other contours.

    Raises:
        NotFound: a commune the actor may not edit.
        ValidationFailed: on ``geojson``, what is wrong with the file; nothing is written.
    """
    managed_commune(session, actor=actor, commune_id=commune_id)
    contours = _read_file(session, commune_id, data)
    existing = {h.slug: h for h in session.exec(select(Neighbourhood).where(
        Neighbourhood.commune_id == commune_id)).all()}
    created = redrawn = 0
    for contour in contours:
        slug = slug_of(contour.name) or "quartier"
        hood = existing.get(slug)
        if hood is None:
            hood = Neighbourhood(commune_id=commune_id, slug=slug, name=contour.name,
                                 lat=contour.lat, lon=contour.lon)
            existing[slug] = hood
            created += 1
        else:
            redrawn += 1
        hood.lat, hood.lon, hood.radius_m = contour.lat, contour.lon, contour.radius_m
        hood.contour = contour.geojson
        session.add(hood)
    session.flush()
    audit(session, actor=actor, action="neighbourhoods.imported", entity="commune",
          entity_id=commune_id, commune_id=commune_id, created=created, redrawn=redrawn)
    return created, redrawn


def add_circle(session: Session, *, actor: Actor, commune_id: int, name: str, lat: str,
               lon: str, radius_m: str) -> Neighbourhood:
    """Add a quarter drawn as a centre and a radius, where the town has no contours.

    Raises:
        NotFound: a commune the actor may not edit.
        ValidationFailed: a field is wrong or the name is taken; nothing is written.
    """
    commune = managed_commune(session, actor=actor, commune_id=commune_id)
    return territory.add_neighbourhood(session, commune_slug=commune.slug, name=name, lat=lat,
                                       lon=lon, radius_m=radius_m, actor=actor)


def invite_staff(session: Session, *, actor: Actor, commune_id: int, email: object,
                 name: object, role: object, site_url: str) -> StaffInvitation:
    """Invite a referent or an administrator to a commune the actor may edit.

    Raises:
        NotFound: a commune the actor may not edit.
        ValidationFailed: a field is wrong, or the address has an account already.
    """
    managed_commune(session, actor=actor, commune_id=commune_id)
    return staff.invite_to_commune(session, actor=actor, commune_id=commune_id, email=email,
                                   name=name, role=role, site_url=site_url)
