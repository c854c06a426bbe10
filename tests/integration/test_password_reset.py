"""A forgotten password, end to end: the form, the job, a real SMTP server, the link, the
new password — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import factories as f
import pytest
from mailserver import run_jobs_by_smtp as send_jobs
from recovery_web import SITE, aim_routes, client, signed_in_client
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import AuditEntry, User
from heurecivique_app.domain.notifications import Job
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import auth, recovery

NEW_PASSWORD = "un nouveau mot de passe"


@pytest.fixture
def engine(db_engine: Engine, monkeypatch) -> Iterator[Engine]:
    yield from aim_routes(db_engine, monkeypatch)


@pytest.fixture
def world(engine: Engine) -> f.World:
    with session_scope(engine) as s:
        return f.world(s)


def jobs(engine: Engine) -> list[Job]:
    with session_scope(engine) as s:
        return list(s.exec(select(Job).where(Job.kind == recovery.RESET_LINK_JOB)))


def reset_path(mail) -> str:
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"https://heure\.vitre\.example(/api/auth/reset\?token=[\w-]+)",
                     text).group(1)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(engine, world) -> None:
    web = client()
    known = web.post("/api/auth/forgot", data={"email": world.volunteer.email.upper()})
    unknown = web.post("/api/auth/forgot", data={"email": "personne@example.fr"})
    malformed = web.post("/api/auth/forgot", data={"email": "pas une adresse"})
    assert known.status_code == unknown.status_code == malformed.status_code == 200
    assert known.text == unknown.text == malformed.text
    assert 'id="reset-sent"' in known.text
    assert [job.user_id for job in jobs(engine)] == [world.volunteer.id]


def test_a_reset_through_smtp_sets_the_password_and_ends_every_session(engine, world,
                                                                      tmp_path) -> None:
    with session_scope(engine) as s:
        thief = auth.open_session(s, user=s.get(User, world.volunteer.id), ttl_hours=24)
        tried = utcnow() - timedelta(minutes=10)
        for step in range(10):  # someone tried passwords until the address locked
            auth.log_in(s, email=world.volunteer.email, password="wrong", address="10.0.0.9",
                        now=tried + timedelta(seconds=40 * step))
        assert auth.log_in(s, email=world.volunteer.email, password=f.PASSWORD,
                           address="10.0.0.1").locked
    web = client()
    assert web.post("/api/auth/forgot", data={"email": world.volunteer.email}).status_code == 200
    [mail] = send_jobs(engine, tmp_path)
    assert mail["To"] == world.volunteer.email
    path = reset_path(mail)
    token = path.rsplit("=", 1)[1]
    assert all(token not in json.dumps(job.payload) for job in jobs(engine))
    for _ in range(2):  # a mail scanner's GET, then the person's: nothing is used up
        page = web.get(path)
        assert page.status_code == 200 and 'id="reset-submit"' in page.text
    # Refused new passwords: the error is next to its field, and the link still works.
    short = web.post("/api/auth/reset", data={"token": token, "password": "court",
                                              "repeat": "court"})
    assert short.status_code == 400 and 'aria-describedby="password-error"' in short.text
    assert "at least 10 characters" in short.text
    differ = web.post("/api/auth/reset", data={"token": token, "password": NEW_PASSWORD,
                                               "repeat": NEW_PASSWORD + "!"})
    assert differ.status_code == 400 and 'id="repeat-error"' in differ.text
    done = web.post("/api/auth/reset", data={"token": token, "password": NEW_PASSWORD,
                                             "repeat": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
    with session_scope(engine) as s:
        assert auth.actor_for_token(s, thief) is None  # every session ended
        outcome = auth.log_in(s, email=world.volunteer.email, password=NEW_PASSWORD,
                              address="10.0.0.1")
        assert outcome.user is not None and outcome.user.id == world.volunteer.id
        with pytest.raises(DomainError, match="Wrong email or password"):
            auth.authenticate(s, email=world.volunteer.email, password=f.PASSWORD)
        actions = set(s.exec(select(AuditEntry.action)
                             .where(AuditEntry.entity_id == world.volunteer.id)))
        assert {"auth.reset_requested", "auth.password_reset", "auth.unlocked"} <= actions
    again = web.post("/api/auth/reset", data={"token": token, "password": "encore un autre mdp",
                                              "repeat": "encore un autre mdp"})
    assert again.status_code == 410 and 'id="reset-invalid"' in again.text
    assert web.get(path).status_code == 410


def test_a_link_lasts_30_minutes_and_a_new_one_voids_nothing_until_used(engine, world,
                                                                        tmp_path) -> None:
    # Early in one of the 5-minute windows the requests are counted in.
    window = recovery.REQUEST_WINDOW_MINUTES * 60
    start = datetime.fromtimestamp(int(utcnow().timestamp()) // window * window + 10, UTC)
    with session_scope(engine) as s:
        recovery.request_reset(s, email=world.volunteer.email, site_url=SITE, now=start)
        # Within the same few minutes a second request queues nothing more.
        recovery.request_reset(s, email=world.volunteer.email, site_url=SITE,
                               now=start + timedelta(seconds=5))
    assert len(jobs(engine)) == 1
    [mail] = send_jobs(engine, tmp_path, at=start)
    token = reset_path(mail).rsplit("=", 1)[1]
    with session_scope(engine) as s:
        late = start + timedelta(minutes=recovery.RESET_MINUTES)
        assert recovery.reset_is_usable(s, token=token, now=late - timedelta(seconds=1))
        assert not recovery.reset_is_usable(s, token=token, now=late)
        assert recovery.reset_password(s, token=token, password=NEW_PASSWORD,
                                       repeat=NEW_PASSWORD, now=late) is False
        for bad in ("", "made-up", None, 12, "é" * 10):
            assert not recovery.reset_is_usable(s, token=bad)


def test_closed_accounts_get_no_link(engine, world) -> None:
    with session_scope(engine) as s:
        user = s.get(User, world.volunteer.id)
        user.is_active = False
        s.add(user)
    with session_scope(engine) as s:
        recovery.request_reset(s, email=world.volunteer.email, site_url=SITE)
    assert jobs(engine) == []


# --- a signed-in user's change of password -------------------------------------------------


def test_a_change_needs_the_current_password_and_ends_the_other_sessions(engine, world) -> None:
    web, mine = signed_in_client(engine, world.referent.id)
    _, other = signed_in_client(engine, world.referent.id)
    assert 'id="password-submit"' in web.get("/api/auth/password").text
    wrong = web.post("/api/auth/password", data={"current": "pas le bon", "password": NEW_PASSWORD,
                                                 "repeat": NEW_PASSWORD})
    assert wrong.status_code == 400 and 'aria-describedby="current-error"' in wrong.text
    with session_scope(engine) as s:
        assert auth.authenticate(s, email=world.referent.email, password=f.PASSWORD)
        failed = s.exec(select(AuditEntry).where(AuditEntry.action == "auth.failed")).all()
        assert len(failed) == 1  # counted by the login throttle like a login
    done = web.post("/api/auth/password", data={"current": f.PASSWORD, "password": NEW_PASSWORD,
                                                "repeat": NEW_PASSWORD})
    assert done.status_code == 200 and 'id="password-changed"' in done.text
    with session_scope(engine) as s:
        assert auth.actor_for_token(s, mine) is not None  # this browser stays in
        assert auth.actor_for_token(s, other) is None  # the other devices are out
        assert auth.authenticate(s, email=world.referent.email, password=NEW_PASSWORD)


def test_a_change_is_refused_to_strangers_and_to_other_sites(engine, world) -> None:
    stranger = client()
    assert stranger.get("/api/auth/password").headers["location"].startswith("/login?next=")
    posted = stranger.post("/api/auth/password", data={"current": f.PASSWORD,
                                                       "password": NEW_PASSWORD,
                                                       "repeat": NEW_PASSWORD})
    assert posted.status_code == 303
    web, _ = signed_in_client(engine, world.volunteer.id)
    forged = web.post("/api/auth/password", headers={"Origin": "https://evil.example"},
                      data={"current": f.PASSWORD, "password": NEW_PASSWORD,
                            "repeat": NEW_PASSWORD})
    assert forged.status_code == 403
    with session_scope(engine) as s:
        assert auth.authenticate(s, email=world.volunteer.email, password=f.PASSWORD)


def test_a_user_sees_their_open_sessions_and_ends_another_one(engine, world) -> None:
    web, mine = signed_in_client(engine, world.volunteer.id)
    _, tablet = signed_in_client(engine, world.volunteer.id)
    _, someone_elses = signed_in_client(engine, world.referent.id)
    page = web.get("/api/auth/password").text
    assert page.count("<li>") == 2 and page.count('class="end-session"') == 1
    with session_scope(engine) as s:
        listed = recovery.open_sessions(s, actor=f.actor(s.get(User, world.volunteer.id)),
                                        current=mine)
        other_id = next(row.session_id for row in listed if not row.this_device)
        referent_login = recovery.open_sessions(
            s, actor=f.actor(s.get(User, world.referent.id)), current=None)[0].session_id
    # Someone else's session id is not found, and stays open.
    assert web.post("/api/auth/sessions/end",
                    data={"session_id": str(referent_login)}).status_code == 404
    assert web.post("/api/auth/sessions/end", data={"session_id": "pas un id"}).status_code == 404
    ended = web.post("/api/auth/sessions/end", data={"session_id": str(other_id)})
    assert ended.status_code == 303
    with session_scope(engine) as s:
        assert auth.actor_for_token(s, tablet) is None
        assert auth.actor_for_token(s, mine) is not None
        assert auth.actor_for_token(s, someone_elses) is not None
