"""The deployment recipe of deploy/, run for the e2e tests.

nginx (its own process, from deploy/nginx/heurecivique.conf.in rendered by
deploy/nginx/render.py) terminates TLS with a certificate made here, in front of
two backend workers (``python -m heurecivique_app.serve worker``, as the systemd
units run them) on PostgreSQL and Redis, serving the frontend that ``serve build``
made for the proxy's public address.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

from conftest import METRICS_TOKEN, ROOT, _free_port, _server_env, _wait_until_up

NGINX = os.environ.get("HC_NGINX", "/usr/sbin/nginx")
_spec = importlib.util.spec_from_file_location("hc_nginx_render",
                                               ROOT / "deploy/nginx/render.py")
render_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_site)

# The certificate is made here and trusted by nobody: every client skips the check.
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(urllib.request.HTTPSHandler(context=INSECURE),
                                      _NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """GET ``url`` without following redirects: status, headers, raw body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _answers(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:  # not listening yet
        return False


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key), valid two days."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


HAND_OFF_TOKEN = "e2e-hand-off"


class Worker:
    """One backend worker on its own port, as ``heurecivique@<port>.service`` runs it."""

    def __init__(self, name: str, data_dir: Path, env: dict[str, str]) -> None:
        self.name = name
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / f"worker-{name}.log"
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: int = 180) -> None:
        self.launch()
        self.wait_until_ready(timeout)

    def launch(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "heurecivique_app.serve", "worker",
                 "--port", str(self.port)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def wait_until_ready(self, timeout: int = 180) -> None:
        _wait_until_up(self.url, self.process, self.log, timeout)
        status, _, body = fetch(self.url + "/readyz")
        assert status == 200, body

    def terminate(self) -> None:
        """SIGTERM, as ``systemctl stop`` sends it (to the unit's whole group)."""
        os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM and wait for the exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.terminate()
        self.wait(timeout)

    def wait(self, timeout: float = 30) -> None:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"worker {self.name} ignored SIGTERM for {timeout} s") from None

    def websockets(self) -> int:
        """The sockets open on this worker, from its own /metrics."""
        status, _, body = fetch(self.url + "/metrics",
                                {"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert status == 200, status
        found = re.search(r"^hc_websocket_connections ([0-9.]+)$", body.decode(), re.M)
        assert found, body[:2000]
        return int(float(found.group(1)))


class Nginx:
    """nginx as a process of the test (own prefix, pid, logs), never the system's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.https_port = _free_port()
        self.http_port = _free_port()
        self.public_url = f"https://127.0.0.1:{self.https_port}"
        self.process: subprocess.Popen | None = None
        self.workers: list[Worker] = []

    def _write_site(self, down: tuple[Worker, ...] = ()) -> None:
        site = render_site.render(public_url=self.public_url,
                                  workers=[w.port for w in self.workers],
                                  web_root=str(self.web_root), cert=str(self.cert),
                                  key=str(self.key), http_port=self.http_port,
                                  https_port=self.https_port, down=tuple(w.port for w in down))
        if not _ipv6_loopback():  # a CI container without IPv6
            site = "\n".join(line for line in site.splitlines()
                             if not line.strip().startswith("listen [::]"))
        (self.folder / "heurecivique.conf").write_text(site)

    def configure(self, workers: list[Worker], web_root: Path) -> Path:
        self.workers, self.web_root = workers, web_root
        self.cert, self.key = self_signed_certificate(self.folder)
        self._write_site()
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / temp).mkdir(exist_ok=True)
        f = self.folder
        # What Debian's /etc/nginx/nginx.conf gives the site file, with the test's paths.
        conf = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {f}/nginx.pid;
error_log {f}/error.log info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {f}/access.log;
    client_body_temp_path {f}/body;
    proxy_temp_path {f}/proxy;
    fastcgi_temp_path {f}/fastcgi;
    uwsgi_temp_path {f}/uwsgi;
    scgi_temp_path {f}/scgi;
    include {f}/heurecivique.conf;
}}
"""
        path = self.folder / "nginx.conf"
        path.write_text(conf)
        return path

    def start(self, conf: Path) -> None:
        command = [NGINX, "-p", str(self.folder), "-c", str(conf), "-g", "daemon off;"]
        checked = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=(self.folder / "stderr.log").open("wb"),
                                        start_new_session=True)
        deadline = time.monotonic() + 15
        while not _answers(self.public_url + "/healthz"):
            assert self.process.poll() is None, (self.folder / "error.log").read_text()
            assert time.monotonic() < deadline, (self.folder / "error.log").read_text()
            time.sleep(0.2)

    def take_out(self, *down: Worker) -> None:
        """Put ``down`` out of the pool (none: all in) and reload, as
        deploy/rolling-restart.sh does; returns once the new nginx workers run."""
        log = self.folder / "error.log"
        started = log.read_text().count("start worker process ")
        self._write_site(down)
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while log.read_text().count("start worker process ") == started:
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def build_frontend(env: dict[str, str], log: Path) -> None:
    """``serve build``: the production frontend for HC_PUBLIC_URL."""
    with log.open("ab") as out:
        done = subprocess.run([sys.executable, "-m", "heurecivique_app.serve", "build"],
                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    assert done.returncode == 0, log.read_text()[-4000:]


def proxy_env(data_dir: Path, public_url: str, database_url: str,
              redis_url: str) -> dict[str, str]:
    """The workers' environment, as /etc/heurecivique/env sets it (deploy/README.md)."""
    return _server_env(data_dir, {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "HC_PUBLIC_URL": public_url,
        "HC_TRUST_FORWARDED_FOR": "1",
        "HC_JOBS": "0",  # the recipe runs the jobs as a unit of their own
        "HC_HAND_OFF_TOKEN": HAND_OFF_TOKEN,
    })
