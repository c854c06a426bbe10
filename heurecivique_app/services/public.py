"""The commune's public face: its page, live counters, success stories and printables.

Reads (selectors) are open to anyone: they return only public figures and the
stories the referent chose to publish. Writing a story is for the referent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from heurecivique_app.adapters import printables
from heurecivique_app.domain.community import PHOTO_NAME, SuccessStory
from heurecivique_app.domain.enums import MissionStatus, Role, VolunteerStatus
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import (
    Commune,
    Departement,
    HourEntry,
    Mission,
    Neighbourhood,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FormCheck, TextKind, required_text
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit


@dataclass(frozen=True)
class PublicCommune:
    """What anyone may see of a commune: name, colour, the town hall's contacts."""

    id: int
    name: str
    slug: str
    theme_color: str
    contact_phone: str
    contact_email: str
    town_hall_address: str = ""
    public_text: str = ""
    logo_name: str | None = None  # a stored photo's random name (served by /api/c/<slug>/logo)


@dataclass(frozen=True)
class Counters:
    """The public site's live figures."""

    volunteers: int
    minutes_this_month: int
    minutes_this_year: int
    actions_done: int


@dataclass(frozen=True)
class StoryView:
    """A published success story."""

    id: int
    title: str
    text: str
    photo_name: str | None  # only when the people shown consented
    created_at: datetime


def commune_by_slug(session: Session, slug: str) -> PublicCommune:
    """The commune of a public link (``/c/<slug>``), or NotFound."""
    commune = session.exec(select(Commune).where(Commune.slug == slug)).first()
    if commune is None or commune.id is None:
        raise NotFound()
    return PublicCommune(commune.id, commune.name, commune.slug, commune.theme_color,
                         commune.contact_phone, commune.contact_email,
                         commune.town_hall_address, commune.public_text, commune.logo_name)


def printable(commune: PublicCommune, *, kind: str, signup_url: str, locale: str) -> bytes:
    """The commune's printable PDF of ``kind``, in ``locale``.

    "poster" (A4) and "flyer" (A5) carry a QR code to ``signup_url``; "besoins" is
    the paper form « Besoins à compléter ».
    """
    if kind == "besoins":
        return printables.needs_flyer(commune, locale=locale)
    if kind == "poster":
        return printables.poster(commune, signup_url=signup_url, locale=locale)
    if kind == "flyer":
        return printables.flyer(commune, signup_url=signup_url, locale=locale)
    raise ValueError(f"unknown printable {kind!r}")


def home_commune(session: Session, *, slug: str = "") -> PublicCommune | None:
    """The commune a single-commune deployment serves: the one named, else the first."""
    if slug:
        return commune_by_slug(session, slug)
    commune = session.exec(select(Commune).order_by(col(Commune.id))).first()
    return None if commune is None else commune_by_slug(session, commune.slug)


def communes(session: Session) -> list[PublicCommune]:
    """Every commune of the deployment, by name: a new volunteer picks theirs."""
    rows = session.exec(select(Commune).order_by(col(Commune.name))).all()
    return [commune_by_slug(session, c.slug) for c in rows]


def commune_by_id(session: Session, commune_id: int) -> PublicCommune:
    """The public face of a commune by id, or NotFound."""
    commune = session.get(Commune, commune_id)
    if commune is None:
        raise NotFound()
    return commune_by_slug(session, commune.slug)


def counters(session: Session, *, commune_id: int, timezone: str,
             now: datetime | None = None) -> Counters:
    """Volunteers signed up and active, hours given this month and year, actions done."""
    month = month_key(now or utcnow(), timezone)
    volunteers = session.exec(
        select(func.count()).select_from(VolunteerProfile)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(User.commune_id == commune_id, User.is_active,
               col(User.role).in_([Role.VOLUNTEER.value, Role.RELAY.value]),
               VolunteerProfile.status == VolunteerStatus.ACTIVE)
    ).one()

    def minutes(condition: ColumnElement[bool]) -> int:
        return int(session.exec(
            select(func.coalesce(func.sum(HourEntry.minutes), 0))
            .join(Mission, Mission.id == HourEntry.mission_id)
            .where(Mission.commune_id == commune_id, condition)
        ).one())

    done = session.exec(
        select(func.count()).select_from(Mission)
        .where(Mission.commune_id == commune_id,
               col(Mission.status).in_([MissionStatus.DONE.value, MissionStatus.CLOSED.value]))
    ).one()
    return Counters(
        volunteers=int(volunteers),
        minutes_this_month=minutes(HourEntry.month == month),
        minutes_this_year=minutes(col(HourEntry.month).startswith(month[:4] + "-")),
        actions_done=int(done),
    )


def stories(session: Session, *, commune_id: int, limit: int = 6) -> list[StoryView]:
    """The commune's published stories, newest first."""
    rows = session.exec(
        select(SuccessStory)
        .where(SuccessStory.commune_id == commune_id, SuccessStory.published)
        .order_by(col(SuccessStory.created_at).desc()).limit(limit)
    ).all()
    return [StoryView(s.id or 0, s.title, s.text,
                      s.photo_name if s.photo_consent else None, s.created_at) for s in rows]


def story_photo_name(session: Session, *, story_id: int) -> str:
    """The photo of a published story whose people consented; NotFound otherwise."""
    story = session.get(SuccessStory, story_id)
    if story is None or not story.published or not story.photo_consent or not story.photo_name:
        raise NotFound()
    return story.photo_name


def publish_story(
    session: Session, *, actor: Actor, title: str, text: str,
    photo_name: str | None = None, photo_consent: bool = False,
) -> SuccessStory:
    """Publish a success story on the commune's public site.

    Raises:
        NotAllowed: not a referent.
        ValidationFailed: missing title/text, or a photo without the consent of the
            people shown; nothing is written.
    """
    require_staff(actor, actor.commune_id)
    check = FormCheck()
    check.take("title", lambda: required_text(title, max_length=120, kind=TextKind.LINE))
    check.take("text", lambda: required_text(text, max_length=4000))
    if photo_name and not PHOTO_NAME.match(photo_name):
        check.errors["photo"] = N_("Send a JPEG, PNG or WebP photo.")
    elif photo_name and not photo_consent:
        check.errors["photo_consent"] = N_(
            "A photo is published only with the consent of the people shown.")
    clean = check.result()
    story = SuccessStory(commune_id=actor.commune_id, title=clean["title"], text=clean["text"],
                         photo_name=photo_name or None, photo_consent=bool(photo_consent),
                         created_by_id=actor.user_id)
    session.add(story)
    session.flush()
    audit(session, actor=actor, action="story.published", entity="success_story",
          entity_id=story.id, commune_id=actor.commune_id, photo=bool(photo_name))
    return story


@dataclass(frozen=True)
class DepartementSite:
    """The département's public page: its participating communes and their figures summed."""

    code: str
    name: str
    contact_email: str
    join_text: str
    # Each commune, with the middle of its neighbourhoods (None while it has none).
    communes: list[tuple[PublicCommune, float | None, float | None]]
    totals: Counters


def departement_site(session: Session, *, code: str, timezone: str,
                     now: datetime | None = None) -> DepartementSite:
    """What ``/d/<code>`` shows: public figures only, the communes' counters summed.

    Raises:
        NotFound: no département has this code.
    """
    departement = session.exec(select(Departement).where(
        Departement.code == (code or "").strip().upper())).first()
    if departement is None or departement.id is None:
        raise NotFound()
    towns = session.exec(select(Commune).where(Commune.departement_id == departement.id)
                         .order_by(col(Commune.name))).all()
    middles = {row[0]: (row[1], row[2]) for row in session.exec(
        select(Neighbourhood.commune_id, func.avg(Neighbourhood.lat), func.avg(Neighbourhood.lon))
        .where(col(Neighbourhood.commune_id).in_([t.id for t in towns]))
        .group_by(Neighbourhood.commune_id)).all()}
    communes, figures = [], []
    for town in towns:
        lat, lon = middles.get(town.id, (None, None))
        communes.append((commune_by_slug(session, town.slug),
                         float(lat) if lat is not None else None,
                         float(lon) if lon is not None else None))
        figures.append(counters(session, commune_id=town.id or 0, timezone=timezone, now=now))
    totals = Counters(*(sum(getattr(f, name) for f in figures)
                        for name in ("volunteers", "minutes_this_month", "minutes_this_year",
                                     "actions_done")))
    return DepartementSite(departement.code, departement.name, departement.contact_email,
                           departement.join_text, communes, totals)
