"""A signed-in user's change of e-mail address, end to end: the form, the job, a real SMTP
server, the link sent to the new address, the notice to the old one — on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta

import factories as f
import pytest
from mailserver import run_jobs_by_smtp as send_jobs
from recovery_web import SITE, aim_routes, client, signed_in_client
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import AuditEntry, EmailChange, PasswordReset, User
from heurecivique_app.domain.notifications import Job
from heurecivique_app.domain.types import utcnow
from heurecivique_app.i18n import LOCALE_COOKIE
from heurecivique_app.services import accounts, auth, email_change, recovery

NEW = "camille.nouvelle@example.fr"


@pytest.fixture
def engine(db_engine: Engine, monkeypatch) -> Iterator[Engine]:
    yield from aim_routes(db_engine, monkeypatch)


@pytest.fixture
def world(engine: Engine) -> f.World:
    with session_scope(engine) as s:
        return f.world(s)


def link_jobs(engine: Engine) -> list[Job]:
    with session_scope(engine) as s:
        return list(s.exec(select(Job).where(Job.kind == email_change.EMAIL_CHANGE_LINK_JOB)))


def link_path(mail) -> str:
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"https://heure\.vitre\.example(/api/auth/email\?token=[\w-]+)",
                     text).group(1)


def ask(web: TestClient, new_email: str, current: str = f.PASSWORD):
    return web.post("/api/auth/email/change", data={"new_email": new_email,
                                                    "current_email": current})


def actions(engine: Engine, user_id: int) -> list[str]:
    with session_scope(engine) as s:
        return list(s.exec(select(AuditEntry.action).where(AuditEntry.entity_id == user_id)))


def test_a_change_through_smtp_moves_the_address_and_tells_the_old_one(engine, world,
                                                                       tmp_path) -> None:
    old = world.volunteer.email
    web, mine = signed_in_client(engine, world.volunteer.id)
    _, tablet = signed_in_client(engine, world.volunteer.id)
    with session_scope(engine) as s:  # a reset link sent to the old address earlier
        recovery.request_reset(s, email=old, site_url=SITE)
    [_] = send_jobs(engine, tmp_path)
    assert 'id="email-change-submit"' in web.get("/api/auth/password").text
    asked = ask(web, "  Camille.Nouvelle@Example.FR ")
    assert asked.status_code == 200 and 'id="email-change-sent"' in asked.text
    [mail] = send_jobs(engine, tmp_path)
    assert mail["To"] == NEW  # the link goes to the NEW address, never the old one
    assert mail["Subject"] == "Confirmez votre nouvelle adresse e-mail HeureCivique"  # fr
    path = link_path(mail)
    token = path.rsplit("=", 1)[1]
    assert all(token not in json.dumps(job.payload) for job in link_jobs(engine))
    with session_scope(engine) as s:
        row = s.exec(select(EmailChange)).one()
        assert row.token_hash and token not in row.token_hash
        assert s.get(User, world.volunteer.id).email == old  # nothing changes before the link
    for _ in range(2):  # a mail scanner's GET, then the person's: nothing is used up
        page = web.get(path)
        assert page.status_code == 200 and 'id="email-confirm-submit"' in page.text
        assert NEW in page.text
    done = web.post("/api/auth/email", data={"token": token})
    assert done.status_code == 200 and 'id="email-changed"' in done.text
    with session_scope(engine) as s:
        user = s.get(User, world.volunteer.id)
        assert user.email == NEW and user.email_confirmed
        assert auth.actor_for_token(s, mine) is not None  # this browser stays in
        assert auth.actor_for_token(s, tablet) is None  # the other devices are out
        assert auth.authenticate(s, email=NEW, password=f.PASSWORD)
        with pytest.raises(DomainError, match="Wrong email or password"):
            auth.authenticate(s, email=old, password=f.PASSWORD)
        # The reset link sent to the old address is void.
        assert all(r.used_at is not None for r in s.exec(select(PasswordReset)))
    [notice] = send_jobs(engine, tmp_path)
    assert notice["To"] == old
    text = notice.get_body(("plain",)).get_content()
    assert "c…@example.fr" in text and NEW not in text
    assert {"auth.email_change_requested", "auth.email_changed"} <= set(
        actions(engine, world.volunteer.id))
    # Single use.
    again = web.post("/api/auth/email", data={"token": token})
    assert again.status_code == 410 and 'id="email-change-invalid"' in again.text
    assert web.get(path).status_code == 410


def test_the_notice_and_the_pages_speak_french_first(engine, world, tmp_path) -> None:
    web, _ = signed_in_client(engine, world.volunteer.id)
    web.cookies.set(LOCALE_COOKIE, "fr")
    page = web.get("/api/auth/password").text
    assert "Changer mon adresse e-mail" in page
    assert 'id="email-change-sent"' in ask(web, NEW).text
    [mail] = send_jobs(engine, tmp_path)
    assert "Confirmez" in mail["Subject"]
    confirm = web.get(link_path(mail)).text
    assert "Confirmer ma nouvelle adresse" in confirm


def test_a_wrong_current_password_is_counted_by_the_login_throttle(engine, world) -> None:
    web, _ = signed_in_client(engine, world.referent.id)
    wrong = ask(web, NEW, current="pas le bon")
    assert wrong.status_code == 400 and 'aria-describedby="current_email-error"' in wrong.text
    assert "This is not your current password." in wrong.text
    with session_scope(engine) as s:
        failed = s.exec(select(AuditEntry).where(AuditEntry.action == "auth.failed")).all()
        assert len(failed) == 1  # counted like a login
        assert s.exec(select(EmailChange)).all() == []
    assert link_jobs(engine) == []
    # A malformed address and one's own are refused at their field (no one else's data).
    bad = ask(web, "pas une adresse")
    assert bad.status_code == 400 and 'id="new_email-error"' in bad.text
    own = ask(web, world.referent.email.upper())
    assert own.status_code == 400 and "already your e-mail address" in own.text
    # Tries until the throttle waits: then it says so, still without sending anything.
    for _ in range(12):
        last = ask(web, NEW, current="toujours pas")
    assert last.status_code == 400 and "Too many attempts" in last.text
    assert link_jobs(engine) == []


def test_a_taken_address_is_answered_like_a_free_one_and_gets_nothing(engine, world,
                                                                      tmp_path) -> None:
    web, _ = signed_in_client(engine, world.volunteer.id)
    taken = ask(web, world.referent.email)
    free = ask(web, NEW)
    assert taken.status_code == free.status_code == 200
    assert taken.text == free.text and 'id="email-change-sent"' in taken.text
    mails = send_jobs(engine, tmp_path)
    assert [m["To"] for m in mails] == [NEW]  # nothing to the taken address
    assert "auth.email_change_refused" in actions(engine, world.volunteer.id)
    # Within a few minutes a second request queues nothing more (no inbox flooding).
    assert ask(web, "autre@example.fr").text == free.text
    assert len(link_jobs(engine)) == 1


def test_a_link_lasts_24_hours_and_fails_if_the_address_was_taken_meanwhile(engine, world,
                                                                            tmp_path) -> None:
    start = utcnow()
    with session_scope(engine) as s:
        email_change.request_change(s, actor=f.actor(s.get(User, world.volunteer.id)),
                                    new_email=NEW, current=f.PASSWORD, address="10.0.0.1",
                                    site_url=SITE, now=start)
    [mail] = send_jobs(engine, tmp_path, at=start)
    token = link_path(mail).rsplit("=", 1)[1]
    late = start + timedelta(hours=email_change.LINK_HOURS)
    with session_scope(engine) as s:
        assert email_change.pending_address(s, token=token, now=late - timedelta(seconds=1))
        assert email_change.pending_address(s, token=token, now=late) is None
        assert not email_change.confirm_change(s, token=token, keep_session=None, now=late)
        for bad in ("", "made-up", None, 12, "é" * 10):
            assert email_change.pending_address(s, token=bad) is None
    # Someone signs up with the address before the link is followed: it cannot be used.
    with session_scope(engine) as s:
        other = s.get(User, world.referent.id)
        other.email = NEW
        s.add(other)
    with session_scope(engine) as s:
        assert not email_change.confirm_change(s, token=token, keep_session=None,
                                               now=start + timedelta(minutes=1))
        assert s.get(User, world.volunteer.id).email == world.volunteer.email
        assert email_change.pending_address(s, token=token, now=start) is None  # used up


def test_a_change_is_refused_to_strangers_and_to_other_sites(engine, world, tmp_path) -> None:
    stranger = client()
    assert ask(stranger, NEW).headers["location"].startswith("/login?next=")
    web, _ = signed_in_client(engine, world.volunteer.id)
    forged = web.post("/api/auth/email/change", headers={"Origin": "https://evil.example"},
                      data={"new_email": NEW, "current_email": f.PASSWORD})
    assert forged.status_code == 403
    assert link_jobs(engine) == []
    assert ask(web, NEW).status_code == 200
    [mail] = send_jobs(engine, tmp_path)
    token = link_path(mail).rsplit("=", 1)[1]
    forged_confirm = client().post("/api/auth/email", data={"token": token},
                                   headers={"Origin": "https://evil.example"})
    assert forged_confirm.status_code == 403
    assert client().post("/api/auth/email", data={"token": "made-up"}).status_code == 410
    with session_scope(engine) as s:
        assert s.get(User, world.volunteer.id).email == world.volunteer.email


def test_deleting_the_account_erases_its_requests_and_their_link_is_never_sent(engine, world,
                                                                              tmp_path) -> None:
    web, _ = signed_in_client(engine, world.volunteer.id)
    assert ask(web, NEW).status_code == 200
    with session_scope(engine) as s:
        accounts.delete_account(s, actor=f.actor(s.get(User, world.volunteer.id)))
    with session_scope(engine) as s:
        assert s.exec(select(EmailChange)).all() == []
    assert send_jobs(engine, tmp_path) == []
