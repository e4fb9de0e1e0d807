"""Webhook delivery against misbehaving local servers (127.0.0.1 only): redirects are failures and never followed,
a stalled or drip-feeding server cannot hold an alert past its deadline, retries carry one Idempotency-Key, bad URLs
give one masked line, and link-local / metadata addresses are refused unless allowed. Each test takes under 5 s."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard.alerts import webhook
from dashboard.alerts.webhook import DeliveryError, Settings

QUICK = Settings(attempts=3, backoff_seconds=0.01, timeout_seconds=1.0, deadline_seconds=1.5)
PAYLOAD = {"text": "[high] Volume spike", "alert": {"key": "volume_uplift@2026-04-06T12:00"}}
KEY = "volume_uplift@2026-04-06T12:00"


class Handler(BaseHTTPRequestHandler):
    """Behaves as the server's `mode` says and records (method, path, headers, body) of every request."""

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append((self.command, self.path, dict(self.headers), body))

    def do_GET(self) -> None:
        self._record()
        self.send_response(200)
        self.end_headers()

    def do_POST(self) -> None:
        self._record()
        mode = self.server.modes.pop(0) if len(self.server.modes) > 1 else self.server.modes[0]
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/elsewhere?token=s3cret")
            self.end_headers()
        elif mode == "stall":
            time.sleep(3)
        elif mode == "drip":  # one byte of the status line every 0.2 s: never a whole answer within the deadline
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self.send_response(int(mode))
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    """A local server; set `modes` to the answers, in order (the last one repeats)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.modes, httpd.received = ["200"], []
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_a_2xx_is_delivered_with_a_stable_idempotency_key(server):
    assert webhook.send(server.url, PAYLOAD, KEY, QUICK) == 1
    method, path, headers, body = server.received[0]
    assert (method, path, json.loads(body)) == ("POST", "/hook", PAYLOAD)
    assert headers["Idempotency-Key"] == webhook.idempotency_key(KEY)
    assert webhook.idempotency_key(KEY) != webhook.idempotency_key("volume_uplift@2026-04-06T15:00")


def test_retries_reuse_the_same_idempotency_key(server):
    server.modes = ["503", "500", "200"]
    waits = []
    assert webhook.send(server.url, PAYLOAD, KEY, QUICK, sleep=waits.append) == 3
    assert {headers["Idempotency-Key"] for _, _, headers, _ in server.received} == {webhook.idempotency_key(KEY)}
    assert waits == [0.01, 0.02]


def test_a_redirect_is_a_failure_and_is_not_followed(server):
    server.modes = ["redirect"]
    with pytest.raises(DeliveryError, match="HTTP 302.*not followed") as error:
        webhook.send(server.url, PAYLOAD, KEY, QUICK)
    assert [method for method, *_ in server.received] == ["POST"]  # no GET to the Location
    assert "s3cret" not in str(error.value)


@pytest.mark.parametrize("mode", ["stall", "drip"])
def test_a_slow_server_cannot_hold_an_alert_past_its_deadline(server, mode):
    server.modes = [mode]
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="no answer within"):
        webhook.send(server.url, PAYLOAD, KEY, QUICK)
    assert time.monotonic() - started < QUICK.deadline_seconds + 0.5
    assert len(server.received) == 1  # the body arrived; a timed-out post is not resent in the same run


def test_a_refusal_is_reported_once_without_retries(server):
    server.modes = ["404"]
    with pytest.raises(DeliveryError, match="refused the alert: HTTP 404"):
        webhook.send(server.url, PAYLOAD, KEY, QUICK)
    assert len(server.received) == 1


def test_the_deadline_bounds_retries_too(server):
    server.modes = ["503"]
    slow_backoff = Settings(attempts=10, backoff_seconds=0.4, timeout_seconds=1.0, deadline_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="deadline"):
        webhook.send(server.url, PAYLOAD, KEY, slow_backoff)
    assert time.monotonic() - started < 1.5
    assert len(server.received) == 2  # tries at 0 s and 0.4 s; the next wait (0.8 s) would pass the deadline


def test_a_connection_error_is_retried_and_reported():
    with pytest.raises(DeliveryError, match="after 3 attempts"):
        webhook.send("http://127.0.0.1:9/hook", PAYLOAD, KEY, QUICK, sleep=lambda seconds: None)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://exa mple.com/hook", "spaces"),
        ("http://[::1/hook", "IPv6 host is not closed"),
        ("http://example.com:abc/hook", "port is not a number"),
        ("ftp://example.com/hook", "http\\(s\\)"),
        ("http:///hook", "names no host"),
    ],
)
def test_bad_urls_give_one_clear_line(url, message):
    with pytest.raises(DeliveryError, match=message) as error:
        webhook.parse(url)
    assert "\n" not in str(error.value)


def test_messages_never_show_secrets():
    url = "https://user:hunter2@hooks.example.com/services/T0001/B0002/XyZsecretToken123?token=abc#frag"
    assert webhook.mask(url) == "https://***@hooks.example.com/services/***/***/***?***"
    with pytest.raises(DeliveryError) as error:
        webhook.parse(url.replace("https", "gopher"))
    for secret in ("hunter2", "user", "XyZsecretToken123", "abc", "frag"):
        assert secret not in str(error.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fe80::1]/hook",
    ],
)
def test_link_local_and_metadata_addresses_are_refused_unless_allowed(url):
    with pytest.raises(DeliveryError, match="link-local or cloud metadata"):
        webhook.parse(url)
    assert webhook.parse(url, allow_link_local=True).host


def test_a_host_resolving_to_a_forbidden_address_is_refused_before_sending(server, monkeypatch):
    monkeypatch.setattr(webhook, "_forbidden", lambda address: address == "127.0.0.1")
    with pytest.raises(DeliveryError, match="resolves to a link-local"):
        webhook.send(server.url.replace("127.0.0.1", "localhost"), PAYLOAD, KEY, QUICK)
    assert server.received == []


def test_the_allow_flag_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(webhook.ALLOW_ENV, "1")
    assert Settings.from_rules({}).allow_link_local
    monkeypatch.delenv(webhook.ALLOW_ENV)
    assert not Settings.from_rules({"timeout_seconds": 5}).allow_link_local
    assert Settings.from_rules({"timeout_seconds": 5}, allow_link_local=True).allow_link_local
