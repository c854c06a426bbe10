"""A commune's team: an administrator invites a referent by e-mail (through a real SMTP
server), the referent chooses a password; deactivation ends their sessions — on SQLite and
PostgreSQL. Only administrators manage staff, and only their own commune's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import factories as f
import pytest
from mailserver import run_jobs_by_smtp as send
from recovery_web import SITE, aim_routes, client
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.models import StaffInvitation, User
from heurecivique_app.domain.notifications import Job
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import auth, staff
from heurecivique_app.services.actor import Actor

PASSWORD = "la phrase de Léa"


@pytest.fixture
def engine(db_engine: Engine, monkeypatch) -> Iterator[Engine]:
    yield from aim_routes(db_engine, monkeypatch)


@pytest.fixture
def town(engine: Engine) -> dict:
    with session_scope(engine) as s:
        world = f.world(s)
        admin = f.user(s, commune_=world.commune, role=Role.COMMUNE_ADMIN)
        elsewhere = f.user(s, role=Role.COMMUNE_ADMIN)  # another commune's administrator
        return {"world": world, "admin": Actor.from_user(admin),
                "other_admin": Actor.from_user(elsewhere)}


def token_of(mail) -> str:
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"/api/auth/invitation\?token=([\w-]+)", text).group(1)


def invite(engine, actor, email="lea@vitre.example", role="referent"):
    with session_scope(engine) as s:
        return staff.invite(s, actor=actor, email=email, name="Léa Guérin", role=role,
                            site_url=SITE).id


def test_an_invited_referent_joins_through_the_e_mailed_link(engine, town, tmp_path) -> None:
    invite(engine, town["admin"])
    [mail] = send(engine, tmp_path)
    assert mail["To"] == "lea@vitre.example"
    assert town["admin"].display_name in mail.get_body(("plain",)).get_content()
    token = token_of(mail)
    with session_scope(engine) as s:
        assert all(token not in str(job.payload) for job in s.exec(select(Job)))
    web = client()
    path = f"/api/auth/invitation?token={token}"
    for _ in range(2):  # a mail scanner's GET changes nothing
        shown = web.get(path)
        assert shown.status_code == 200 and "Léa Guérin" in shown.text
        assert "as Referent" in shown.text
    short = web.post("/api/auth/invitation", data={"token": token, "password": "court",
                                                    "repeat": "court"})
    assert short.status_code == 400 and 'id="password-error"' in short.text
    done = web.post("/api/auth/invitation", data={"token": token, "password": PASSWORD,
                                                   "repeat": PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
    with session_scope(engine) as s:
        user = auth.authenticate(s, email="lea@vitre.example", password=PASSWORD)
        assert (user.role, user.commune_id) == ("referent", town["world"].commune.id)
    assert web.get(path).status_code == 410  # used up
    assert web.post("/api/auth/invitation", data={"token": token, "password": PASSWORD,
                                                   "repeat": PASSWORD}).status_code == 410


def test_links_expire_after_72_hours_and_a_withdrawn_one_is_void(engine, town, tmp_path) -> None:
    first = invite(engine, town["admin"])
    start = utcnow()  # the link's 72 hours count from its sending
    [mail] = send(engine, tmp_path, at=start)
    token = token_of(mail)
    with session_scope(engine) as s:
        late = start + timedelta(hours=staff.INVITATION_HOURS)
        assert staff.invitation_for(s, token=token, now=late - timedelta(minutes=1))
        assert staff.invitation_for(s, token=token, now=late) is None
    with session_scope(engine) as s:
        staff.cancel_invitation(s, actor=town["admin"], invitation_id=first)
    with session_scope(engine) as s:
        assert staff.invitation_for(s, token=token) is None
        assert staff.accept(s, token=token, password=PASSWORD, repeat=PASSWORD) is None
    # Inviting the same address again withdraws the open invitation.
    second = invite(engine, town["admin"])
    invite(engine, town["admin"])
    with session_scope(engine) as s:
        assert s.get(StaffInvitation, second).cancelled_at is not None


def test_only_administrators_manage_and_only_their_commune(engine, town) -> None:
    world = town["world"]
    before = row_counts(engine)
    for actor in (world.referent_actor, world.volunteer_actor):
        with pytest.raises(NotAllowed), session_scope(engine) as s:
            staff.invite(s, actor=actor, email="x@vitre.example", name="X", role="referent",
                         site_url=SITE)
        with pytest.raises(NotAllowed), session_scope(engine) as s:
            staff.set_active(s, actor=actor, user_id=world.referent.id, active=False)
    with pytest.raises(NotFound), session_scope(engine) as s:
        staff.set_active(s, actor=town["other_admin"], user_id=world.referent.id, active=False)
    with pytest.raises(NotFound), session_scope(engine) as s:  # a volunteer is not staff
        staff.set_active(s, actor=town["admin"], user_id=world.volunteer.id, active=False)
    with pytest.raises(ValidationFailed) as refused, session_scope(engine) as s:
        staff.invite(s, actor=town["admin"], email=world.volunteer.email, name="",
                     role="departement_admin", site_url=SITE)
    assert set(refused.value.errors) == {"name", "role"}
    with pytest.raises(ValidationFailed) as taken, session_scope(engine) as s:
        staff.invite(s, actor=town["admin"], email=world.volunteer.email, name="V",
                     role="referent", site_url=SITE)
    assert set(taken.value.errors) == {"email"}
    with pytest.raises(DomainError, match="own account"), session_scope(engine) as s:
        staff.set_active(s, actor=town["admin"], user_id=town["admin"].user_id, active=False)
    assert row_counts(engine) == before


def test_a_deactivated_referent_is_logged_out_and_cannot_log_in(engine, town) -> None:
    world = town["world"]
    with session_scope(engine) as s:
        token = auth.open_session(s, user=s.get(User, world.referent.id), ttl_hours=24)
    with session_scope(engine) as s:
        staff.set_active(s, actor=town["admin"], user_id=world.referent.id, active=False)
    with session_scope(engine) as s:
        assert auth.actor_for_token(s, token) is None
        with pytest.raises(DomainError, match="Wrong email or password"):
            auth.authenticate(s, email=world.referent.email, password=f.PASSWORD)
        names = [(m.name, m.active) for m in staff.staff_of(s, actor=town["admin"])]
        assert (world.referent.display_name, False) in names
    with session_scope(engine) as s:
        staff.set_active(s, actor=town["admin"], user_id=world.referent.id, active=True)
    with session_scope(engine) as s:
        assert auth.authenticate(s, email=world.referent.email, password=f.PASSWORD)
