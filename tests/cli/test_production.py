"""Production serving: `check --deploy` is clean with the documented variables, and `homeward serve
--production` runs gunicorn workers that honour HOMEWARD_HTTPS behind a TLS proxy."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOMEWARD = Path(sys.executable).parent / "homeward"


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    drop = ("HOMEWARD_", "DATABASE_URL", "DJANGO_")  # conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env |= {"HOMEWARD_VAR": str(var_dir), "HOMEWARD_HOME": str(REPO), **extra}
    return env


PRODUCTION = {
    "HOMEWARD_HTTPS": "1",
    "HOMEWARD_SECRET_KEY": secrets.token_urlsafe(50),
    "HOMEWARD_PSEUDONYM_KEY": secrets.token_urlsafe(50),
    "HOMEWARD_AUDIT_KEY": secrets.token_urlsafe(50),
    "HOMEWARD_ALLOWED_HOSTS": "homeward.example.nhs.uk,127.0.0.1",
}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--settings=homeward.settings"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_prints_no_warnings_with_the_production_variables(tmp_path):
    result = _check_deploy(_env(tmp_path, **PRODUCTION))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "WARNING" not in output, output


def test_without_https_check_deploy_names_what_is_missing(tmp_path):
    output = "".join(_check_deploy(_env(tmp_path)).stderr)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.skipif(not HOMEWARD.exists(), reason="the homeward console script is not installed")
def test_serve_production_runs_gunicorn_workers_behind_a_tls_proxy(tmp_path):
    env = _env(tmp_path, **PRODUCTION)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--settings=homeward.settings", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    server = subprocess.Popen(
        [str(HOMEWARD), "serve", "--production", "--workers", "2", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = _get(port, "/account/sign-in/", {"X-Forwarded-Proto": "https"})
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
        assert response.status == 200 and response.getheader("Server", "").startswith("gunicorn")
        assert response.getheader("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert "Secure" in response.getheader("Set-Cookie", "")
        assert "no-store" in response.getheader("Cache-Control", "")
        plain = _get(port, "/account/sign-in/")
        assert (
            plain.status == 301
            and plain.getheader("Location") == f"https://127.0.0.1:{port}/account/sign-in/"
        )
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(workers) == 2, workers  # the master (this process, exec'd into gunicorn) and 2 workers
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
