"""Web push end to end: a change enqueues a push job, the runner encrypts and signs it for a
push service on loopback, the test decrypts it with the browser's keys; 404/410 drop the
subscription, a timeout or a 5xx is tried again later — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import factories as f
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pushservice import Browser, PushService, b64url_decode, push_service
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.mail import EmlOutbox
from heurecivique_app.adapters.webpush import new_vapid_keys
from heurecivique_app.api import push as api_push
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.models import User
from heurecivique_app.domain.notifications import Job, JobStatus, MessageKind
from heurecivique_app.domain.push import PUSH, PushSubscription, VapidKey
from heurecivique_app.jobs.kinds import KINDS
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import accounts, auth, matching, notifications, push
from heurecivique_app.settings import Settings

TZ = "Europe/Paris"


def _settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"HC_DATA_DIR": str(tmp_path), "HC_TIMEZONE": TZ,
                              "HC_PUBLIC_URL": "https://heure.vitre.example",
                              "HC_PUSH_TIMEOUT_S": "0.5", **env})


def _runner(engine: Engine, settings: Settings, at: datetime) -> Runner:
    return Runner(JobContext(engine=engine, mailer=EmlOutbox(settings.data_dir),
                             settings=settings, clock=lambda: at), KINDS, worker="test")


def _subscribe(engine: Engine, user_id: int, service: PushService, name: str,
               browser: Browser) -> None:
    # Written directly: the service refuses plain-HTTP loopback endpoints (tested below).
    with session_scope(engine) as s:
        s.add(PushSubscription(user_id=user_id, endpoint=service.endpoint(name),
                               p256dh=browser.p256dh, auth=browser.auth))


def _propose(engine: Engine, w: f.World) -> None:
    with session_scope(engine) as s:
        matching.propose_mission(s, actor=w.referent_actor, mission_id=w.mission.id,
                                 volunteer_ids=[w.volunteer.id], timezone=TZ)


def _push_jobs(engine: Engine) -> list[Job]:
    with session_scope(engine) as s:
        return list(s.exec(select(Job).where(Job.kind == push.SEND_PUSH).order_by(Job.id)))


def _subscriptions(engine: Engine) -> list[PushSubscription]:
    with session_scope(engine) as s:
        return list(s.exec(select(PushSubscription).order_by(PushSubscription.id)))


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        w = f.world(s)
        w.volunteer.locale = "en"
        s.add(w.volunteer)
    return w


def _verify_vapid(authorization: str, public_key: str, audience: str) -> dict:
    """Check the VAPID header (RFC 8292): ``vapid t=<ES256 JWT>, k=<our public key>``."""
    scheme, _, rest = authorization.partition(" ")
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert scheme == "vapid" and fields["k"] == public_key
    head, claims, signature = fields["t"].split(".")
    raw = b64url_decode(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    body = json.loads(b64url_decode(claims))
    assert body["aud"] == audience
    return body


def test_a_proposal_is_pushed_encrypted_and_signed(db_engine, world, tmp_path) -> None:
    browser = Browser()
    with push_service() as service:
        _subscribe(db_engine, world.volunteer.id, service, "phone", browser)
        _propose(db_engine, world)
        [job] = _push_jobs(db_engine)
        assert job.key.endswith(f"|{world.volunteer.id}|{PUSH}")
        settings = _settings(tmp_path)
        runner = _runner(db_engine, settings, job.due_at + timedelta(minutes=1))
        assert runner.run_until_idle() == 2  # the e-mail and the push
        assert runner.run_until_idle() == 0
        [got] = service.to("phone")
    message = browser.decrypt(got.body)
    assert message == {
        "title": f"A mission for you: {world.mission.title}",
        "body": message["body"], "url": f"/missions/{world.mission.id}",
        "tag": f"mission-{world.mission.id}"}
    assert world.referent.display_name in message["body"]
    # Nothing the recipient does not see on the mission's page before accepting.
    for private in (world.beneficiary.phone, world.beneficiary.address, world.volunteer.email):
        assert private and private not in json.dumps(message)
    headers = {k.lower(): v for k, v in got.headers.items()}
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    with session_scope(db_engine) as s:
        stored = s.get(VapidKey, 1)
        assert stored is not None
        claims = _verify_vapid(headers["authorization"], stored.public_key, service.url)
    assert claims["sub"] == "https://heure.vitre.example"
    [sub] = _subscriptions(db_engine)
    assert sub.last_success_at is not None and sub.last_failure_at is None
    assert [j.status for j in _push_jobs(db_engine)] == [JobStatus.DONE]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_dropped(db_engine, world, tmp_path,
                                                                   status) -> None:
    with push_service() as service:
        _subscribe(db_engine, world.volunteer.id, service, "old", Browser())
        _subscribe(db_engine, world.volunteer.id, service, "new", Browser())
        service.status["/push/old"] = status
        _propose(db_engine, world)
        [job] = _push_jobs(db_engine)
        _runner(db_engine, _settings(tmp_path), job.due_at).run_until_idle()
        assert len(service.to("old")) == 1 and len(service.to("new")) == 1
    assert [s.endpoint for s in _subscriptions(db_engine)] == [service.endpoint("new")]
    [job] = _push_jobs(db_engine)
    assert job.status == JobStatus.DONE
    # The last browser gone too: nothing to send to, the job is skipped (no retry).
    with session_scope(db_engine) as s:
        matching.propose_mission(s, actor=world.referent_actor, mission_id=f.mission(
            s, neighbourhood_=world.neighbourhood).id, volunteer_ids=[world.volunteer.id],
            timezone=TZ)
    with push_service() as service2:
        with session_scope(db_engine) as s:
            [sub] = s.exec(select(PushSubscription)).all()
            sub.endpoint = service2.endpoint("new")
            s.add(sub)
        service2.status["/push/new"] = status
        later = _push_jobs(db_engine)[-1]
        _runner(db_engine, _settings(tmp_path), later.due_at).run_until_idle()
    assert _subscriptions(db_engine) == []
    assert _push_jobs(db_engine)[-1].status == JobStatus.SKIPPED


@pytest.mark.parametrize("trouble", ["timeout", "503"])
def test_a_push_service_that_times_out_is_tried_again_later(db_engine, world, tmp_path,
                                                            trouble) -> None:
    browser, other = Browser(), Browser()
    with push_service() as service:
        _subscribe(db_engine, world.volunteer.id, service, "slow", browser)
        _subscribe(db_engine, world.volunteer.id, service, "fine", other)
        if trouble == "timeout":
            service.pause_s["/push/slow"] = 2.0  # the sender waits 0.5 s
        else:
            service.status["/push/slow"] = 503
        _propose(db_engine, world)
        [job] = _push_jobs(db_engine)
        first = job.due_at + timedelta(seconds=1)
        _runner(db_engine, _settings(tmp_path), first).run_until_idle()
        [job] = _push_jobs(db_engine)
        assert job.status == JobStatus.PENDING and job.attempts == 1
        assert job.due_at > first and ("ReadTimeout" in job.last_error
                                       or "503" in job.last_error)
        slow, fine = _subscriptions(db_engine)
        assert slow.last_failure_at is not None and fine.last_success_at is not None
        # The service is back: the retry reaches the slow browser, and only it.
        service.pause_s.clear()
        service.status.clear()
        assert _runner(db_engine, _settings(tmp_path), job.due_at).run_until_idle() == 1
        assert len(service.to("fine")) == 1
        got = [r for r in service.to("slow") if r.body]
        assert browser.decrypt(got[-1].body)["url"] == f"/missions/{world.mission.id}"
    assert [j.status for j in _push_jobs(db_engine)] == [JobStatus.DONE]


def test_push_respects_the_choices_and_the_quiet_hours(db_engine, world, tmp_path) -> None:
    with push_service() as service:
        _subscribe(db_engine, world.volunteer.id, service, "phone", Browser())
    with session_scope(db_engine) as s:
        notifications.set_preferences(s, actor=world.volunteer_actor, channel=PUSH,
                                      enabled={MessageKind.PROPOSAL: False})
        assert notifications.preferences(s, actor=world.volunteer_actor)[MessageKind.PROPOSAL]
        assert not notifications.preferences(s, actor=world.volunteer_actor,
                                             channel=PUSH)[MessageKind.PROPOSAL]
    _propose(db_engine, world)
    assert _push_jobs(db_engine) == []  # e-mail still goes, push turned off
    with session_scope(db_engine) as s:
        assert len(s.exec(select(Job).where(Job.kind == notifications.SEND_EMAIL)).all()) == 1
    # A reminder decided at 22:00 local waits for 08:00; a same-day change does not.
    night = datetime(2026, 12, 7, 22, 0, tzinfo=ZoneInfo(TZ))
    with session_scope(db_engine) as s:
        for urgent in (False, True):
            notifications.notify(s, kind=MessageKind.REMINDER, event=f"night:{urgent}",
                                 user_ids=[world.volunteer.id], urgent=urgent, now=night,
                                 params=notifications.mission_params(world.mission, "Centre"),
                                 commune=notifications.commune_look(s, world.commune.id),
                                 timezone=TZ)
    calm, urgent_job = _push_jobs(db_engine)
    assert calm.due_at.astimezone(ZoneInfo(TZ)) == datetime(2026, 12, 8, 8, 0,
                                                             tzinfo=ZoneInfo(TZ))
    assert urgent_job.due_at == night and urgent_job.payload["urgent"] is True


def test_no_push_job_for_people_without_a_browser_or_for_account_mail(db_engine, world) -> None:
    _propose(db_engine, world)  # no subscription
    assert _push_jobs(db_engine) == []
    with session_scope(db_engine) as s:
        s.add(PushSubscription(user_id=world.volunteer.id, endpoint="https://push.example/x",
                               p256dh=Browser().p256dh, auth=Browser().auth))
    with session_scope(db_engine) as s:
        notifications.notify(s, kind=MessageKind.ACCOUNT_EXISTS, event="exists:1",
                             user_ids=[world.volunteer.id], params={"login_url": "x"},
                             commune=notifications.commune_look(s, world.commune.id),
                             timezone=TZ, urgent=True)
    assert _push_jobs(db_engine) == []


def test_subscribing_checks_the_endpoint_and_the_keys(db_engine, world) -> None:
    browser = Browser()
    good = "https://fcm.googleapis.com/fcm/send/abc:def"
    actor = world.volunteer_actor
    for endpoint in ("http://fcm.googleapis.com/x", "https://127.0.0.1/x", "https://localhost/x",
                     "https://push.example:8443/x", "javascript:alert(1)", 12,
                     "https://" + "a" * 1000):
        with pytest.raises(ValidationFailed) as refused, session_scope(db_engine) as s:
            push.subscribe(s, actor=actor, endpoint=endpoint, p256dh=browser.p256dh,
                           auth=browser.auth)
        assert set(refused.value.errors) == {"endpoint"}
    with pytest.raises(ValidationFailed) as refused, session_scope(db_engine) as s:
        push.subscribe(s, actor=actor, endpoint=good, p256dh=browser.auth, auth=browser.auth)
    assert set(refused.value.errors) == {"keys"}
    with session_scope(db_engine) as s:
        push.subscribe(s, actor=actor, endpoint=good, p256dh=browser.p256dh, auth=browser.auth)
        push.subscribe(s, actor=actor, endpoint=good, p256dh=browser.p256dh, auth=browser.auth)
        assert push.device_count(s, actor=actor) == 1
    # The same browser, then signed in as someone else: it notifies them now.
    with session_scope(db_engine) as s:
        push.subscribe(s, actor=world.referent_actor, endpoint=good, p256dh=browser.p256dh,
                       auth=browser.auth)
        assert push.device_count(s, actor=actor) == 0
        assert not push.unsubscribe(s, actor=actor, endpoint=good)  # not theirs any more
        assert push.unsubscribe(s, actor=world.referent_actor, endpoint=good)
    assert _subscriptions(db_engine) == []


def test_the_vapid_pair_is_created_once_even_by_two_workers_at_once(db_engine) -> None:
    start = threading.Barrier(2)
    made: list[tuple[str, str]] = []
    got: list[push.VapidKeys] = []

    def generate() -> tuple[str, str]:
        pair = new_vapid_keys()
        made.append(pair)
        return pair

    def worker() -> None:
        start.wait()
        with session_scope(db_engine) as s:
            got.append(push.vapid_keys(s, configured=None, generate=generate))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 2 and got[0] == got[1]
    assert (got[0].private_key, got[0].public_key) in made
    with session_scope(db_engine) as s:
        assert len(s.exec(select(VapidKey)).all()) == 1
        again = push.vapid_keys(s, configured=None, generate=lambda: ("x", "y"))
        assert again == got[0]  # kept: a new pair would orphan every subscription
        mine = push.VapidKeys(private_key="p", public_key="q")
        assert push.vapid_keys(s, configured=mine, generate=generate) == mine


def test_vapid_settings_go_in_pairs(tmp_path) -> None:
    private, public = new_vapid_keys()
    settings = _settings(tmp_path, HC_VAPID_PUBLIC_KEY=public, HC_VAPID_PRIVATE_KEY=private)
    assert (settings.vapid_public_key, settings.vapid_private_key) == (public, private)
    with pytest.raises(ValueError, match="go together"):
        _settings(tmp_path, HC_VAPID_PUBLIC_KEY=public)


def _routes(engine: Engine, monkeypatch, user_id: int | None = None):
    @contextmanager
    def scope():
        with session_scope(engine) as session:
            yield session

    monkeypatch.setattr(api_push, "session_scope", scope)
    web = TestClient(Starlette(routes=api_push.routes), base_url="https://heure.vitre.example")
    if user_id is not None:
        with session_scope(engine) as s:
            web.cookies.set(auth.SESSION_COOKIE,
                            auth.open_session(s, user=s.get(User, user_id), ttl_hours=24))
    return web


def test_the_subscription_routes_take_the_person_from_the_session(db_engine, world,
                                                                  monkeypatch) -> None:
    browser = Browser()
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/x1", "expirationTime": None,
            "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
    anonymous = _routes(db_engine, monkeypatch)
    key = anonymous.get("/api/push/key").json()["publicKey"]
    assert anonymous.get("/api/push/key").json()["publicKey"] == key  # created once
    assert len(b64url_decode(key)) == 65
    assert anonymous.post("/api/push/subscriptions", json=body).status_code == 401
    web = _routes(db_engine, monkeypatch, world.volunteer.id)
    # Not JSON, or from another site's page: refused before anything is read.
    assert web.post("/api/push/subscriptions", data={"endpoint": "x"}).status_code == 415
    assert web.post("/api/push/subscriptions", json=body,
                    headers={"Origin": "https://evil.example"}).status_code == 403
    assert web.post("/api/push/subscriptions", json=[1]).status_code == 400
    refused = web.post("/api/push/subscriptions", json={**body, "endpoint": "http://10.0.0.1/"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"endpoint"}
    # A user id in the body means nothing: the subscription is the session's person's.
    done = web.post("/api/push/subscriptions", json={**body, "user_id": world.referent.id})
    assert done.status_code == 201
    [sub] = _subscriptions(db_engine)
    assert (sub.user_id, sub.endpoint, sub.p256dh, sub.auth) == (
        world.volunteer.id, body["endpoint"], browser.p256dh, browser.auth)
    # Someone else cannot remove it; its owner can.
    other = _routes(db_engine, monkeypatch, world.referent.id)
    assert other.request("DELETE", "/api/push/subscriptions",
                         json={"endpoint": body["endpoint"]}).status_code == 204
    assert len(_subscriptions(db_engine)) == 1
    assert web.request("DELETE", "/api/push/subscriptions",
                       json={"endpoint": body["endpoint"]}).status_code == 204
    assert _subscriptions(db_engine) == []


def test_my_data_lists_my_browsers_and_deleting_the_account_forgets_them(db_engine, world) -> None:
    with session_scope(db_engine) as s:
        s.add(PushSubscription(user_id=world.volunteer.id, endpoint="https://push.example/d",
                               p256dh=Browser().p256dh, auth=Browser().auth))
    with session_scope(db_engine) as s:
        [device] = accounts.export_data(s, actor=world.volunteer_actor)["notification_devices"]
        assert device["push_service"] == "push.example" and device["last_delivered_at"] is None
        accounts.delete_account(s, actor=world.volunteer_actor)
    assert _subscriptions(db_engine) == []
