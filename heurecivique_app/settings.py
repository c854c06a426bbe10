"""One typed settings object. Nothing else in the project reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from heurecivique_app.domain.charter import CHARTER_VERSION

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SMTP_TLS_MODES = ("starttls", "ssl", "none")


def _smtp_tls(value: str | None) -> str:
    mode = (value or "starttls").strip().lower()
    if mode not in SMTP_TLS_MODES:
        raise ValueError(f"HC_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, not {value!r}")
    return mode


LOG_FORMATS = ("text", "json")


def _log_format(value: str | None) -> str:
    fmt = (value or "text").strip().lower()
    if fmt not in LOG_FORMATS:
        raise ValueError(f"HC_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {value!r}")
    return fmt


def _default_smtp_port(tls: str | None) -> str:
    return {"ssl": "465", "none": "25"}.get(_smtp_tls(tls), "587")


def _vapid(env: dict[str, str]) -> dict[str, str]:
    public = (env.get("HC_VAPID_PUBLIC_KEY") or "").strip()
    private = (env.get("HC_VAPID_PRIVATE_KEY") or "").strip()
    if bool(public) != bool(private):
        raise ValueError("HC_VAPID_PUBLIC_KEY and HC_VAPID_PRIVATE_KEY go together")
    return {"vapid_public_key": public, "vapid_private_key": private,
            "vapid_subject": (env.get("HC_VAPID_SUBJECT") or "").strip()}


@dataclass(frozen=True)
class Settings:
    """Runtime configuration, read once from the environment."""

    database_url: str
    redis_url: str | None
    session_ttl_hours: int
    cookie_secure: bool
    default_locale: str
    timezone: str
    charter_version: str
    # How long after a mission the accepted volunteer still sees the exact address.
    contact_visible_hours_after: int
    # A volunteer may cancel their participation in the app until this many hours
    # before the mission; after that they phone the referent.
    cancel_cutoff_hours: int = 24
    # Geography: "gazetteer" (offline, the default: demo and tests) or "ban"
    # (api-adresse.data.gouv.fr through geopy), its timeout and pace.
    geocoder: str = "gazetteer"
    geocoder_timeout_s: float = 3.0
    geocoder_min_delay_s: float = 0.1
    # Secret salt of the approximate points: changing it moves every public area.
    geo_salt: str = "heurecivique-demo-salt"
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        "contributors"
    )
    # Files written by the app: report and story photos, the e-mail outbox.
    data_dir: Path = PROJECT_ROOT / "data"
    # The site's public address for links printed on paper (QR codes); empty: the
    # address the request came in on.
    public_url: str = ""
    # Where relays' reports are forwarded (the town's technical services).
    technical_services_email: str = "services-techniques@mairie.example"
    max_photo_bytes: int = 5 * 1024 * 1024
    # The commune this deployment serves (its slug): the installed app's name and
    # colour. Empty: the first commune in the database.
    commune_slug: str = ""
    # Outgoing mail. Without a host the embedded mode writes .eml files to
    # <data_dir>/outbox instead of sending. smtp_tls: "starttls" (port 587),
    # "ssl" (implicit TLS, port 465) or "none" (a relay on the same machine).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "starttls"
    smtp_timeout_s: float = 20.0
    mail_from: str = "L'Heure Civique <heure-civique@localhost>"
    # Signs the one-click unsubscribe links: **set your own in production**.
    secret_key: str = "heurecivique-demo-secret"
    # The job runner (e-mail deliveries, reminders) inside each backend worker.
    jobs_enabled: bool = True
    # Behind a reverse proxy: take the client's address from X-Forwarded-For (login throttle).
    trust_forwarded_for: bool = False
    # Logs: "text" (the default) or "json" (one object a line, for a log collector); level.
    log_format: str = "text"
    log_level: str = "INFO"
    # Prometheus metrics on /metrics for a scraper sending "Authorization: Bearer <token>";
    # empty (the default): no /metrics at all (404).
    metrics_token: str = ""
    # POST /hand-off with "Authorization: Bearer <token>" asks a worker to hand its tabs to
    # the others before it is stopped (deploy/rolling-restart.sh); empty: no such route.
    hand_off_token: str = ""
    # Web push. The VAPID key pair (base64url, as `npx web-push generate-vapid-keys` or
    # py-vapid print them): empty, the app creates one at first start and keeps it in
    # the database (services/push.py says why). Both or neither.
    vapid_public_key: str = ""
    vapid_private_key: str = ""
    # Who push services may contact about our messages (a mailto: or https: address);
    # empty: the public address, else mailto: the sender of e-mails.
    vapid_subject: str = ""
    push_timeout_s: float = 10.0
    # Several workers: one holding this many tabs over its share (and 10 % over) moves
    # some to the others (realtime/rebalance.py); the e2e tests lower it.
    rebalance_slack: int = 10

    @property
    def https(self) -> bool:
        """Whether the site is served over HTTPS (HSTS, Secure cookies)."""
        return self.public_url.startswith("https://")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("HC_DATA_DIR", PROJECT_ROOT / "data"))
        public_url = (env.get("HC_PUBLIC_URL") or "").rstrip("/")
        default_db = f"sqlite:///{data_dir / 'heurecivique.db'}"
        return cls(
            database_url=env.get("DATABASE_URL") or default_db,
            redis_url=env.get("REDIS_URL") or None,
            session_ttl_hours=int(env.get("HC_SESSION_TTL_HOURS", "336")),
            # Secure cookies by default as soon as the public address is HTTPS.
            cookie_secure=_env_bool(env.get("HC_COOKIE_SECURE"),
                                    public_url.startswith("https://")),
            default_locale=env.get("HC_DEFAULT_LOCALE", "fr"),
            timezone=env.get("HC_TIMEZONE", "Europe/Paris"),
            charter_version=env.get("HC_CHARTER_VERSION", CHARTER_VERSION),
            contact_visible_hours_after=int(env.get("HC_CONTACT_VISIBLE_HOURS", "48")),
            cancel_cutoff_hours=int(env.get("HC_CANCEL_CUTOFF_HOURS", "24")),
            geocoder=env.get("HC_GEOCODER", "gazetteer"),
            geocoder_timeout_s=float(env.get("HC_GEOCODER_TIMEOUT_S", "3")),
            geocoder_min_delay_s=float(env.get("HC_GEOCODER_MIN_DELAY_S", "0.1")),
            geo_salt=env.get("HC_GEO_SALT") or "heurecivique-demo-salt",
            map_tile_url=env.get("HC_MAP_TILE_URL") or cls.map_tile_url,
            map_attribution=env.get("HC_MAP_ATTRIBUTION") or cls.map_attribution,
            data_dir=data_dir,
            public_url=public_url,
            technical_services_email=env.get(
                "HC_TECH_SERVICES_EMAIL", "services-techniques@mairie.example"),
            max_photo_bytes=int(env.get("HC_MAX_PHOTO_BYTES", str(5 * 1024 * 1024))),
            commune_slug=env.get("HC_COMMUNE", ""),
            smtp_host=env.get("HC_SMTP_HOST", ""),
            smtp_port=int(env.get("HC_SMTP_PORT") or _default_smtp_port(env.get("HC_SMTP_TLS"))),
            smtp_user=env.get("HC_SMTP_USER", ""),
            smtp_password=env.get("HC_SMTP_PASSWORD", ""),
            smtp_tls=_smtp_tls(env.get("HC_SMTP_TLS")),
            smtp_timeout_s=float(env.get("HC_SMTP_TIMEOUT_S", "20")),
            mail_from=env.get("HC_MAIL_FROM") or cls.mail_from,
            secret_key=env.get("HC_SECRET_KEY") or cls.secret_key,
            jobs_enabled=_env_bool(env.get("HC_JOBS"), True),
            trust_forwarded_for=_env_bool(env.get("HC_TRUST_FORWARDED_FOR"), False),
            log_format=_log_format(env.get("HC_LOG_FORMAT")),
            log_level=(env.get("HC_LOG_LEVEL") or "INFO").strip().upper(),
            metrics_token=env.get("HC_METRICS_TOKEN", "").strip(),
            hand_off_token=env.get("HC_HAND_OFF_TOKEN", "").strip(),
            **_vapid(env),
            push_timeout_s=float(env.get("HC_PUSH_TIMEOUT_S") or "10"),
            rebalance_slack=int(env.get("HC_REBALANCE_SLACK") or "10"),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached)."""
    return Settings.from_env()
