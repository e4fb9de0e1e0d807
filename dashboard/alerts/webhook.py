"""Webhook delivery for alerts: one JSON POST per alert that is either accepted (2xx) or reported, never lost.

- Only a 2xx counts as sent. Redirects are never followed: a 3xx would turn the POST into a body-less GET elsewhere,
  so it is reported as a failure (point the webhook at the final URL instead).
- Each alert has one overall deadline covering every attempt, wait and byte received: a server that answers one byte
  a second cannot stretch it (a watchdog shuts the socket when the deadline passes).
- Each post carries an `Idempotency-Key` derived from the alert's key (rule and block of data), the same on every
  retry and every later run, so receivers that honour it never see a duplicate.
- 429, 5xx and connection failures before an answer are retried with exponential backoff inside the deadline; an
  attempt that timed out after the body was sent is not retried in the same run (the server may have it).
- URLs are checked before anything is sent, and every message shows them masked (userinfo, query string and
  token-like path segments become ***). Link-local and cloud metadata addresses are refused, also when a host name
  resolves to one, unless explicitly allowed ($DASHBOARD_ALERT_ALLOW_LINK_LOCAL=1 or --allow-link-local).

Plain Python (http.client, no extra dependency); no streamlit.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.core.errors import UserError

RETRY_STATUSES = {429, 500, 502, 503, 504}
ALLOW_ENV = "DASHBOARD_ALERT_ALLOW_LINK_LOCAL"
METADATA_HOSTS = {
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "instance-data",
    "instance-data.ec2.internal",
}
METADATA_ADDRESSES = {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
PLAIN_SEGMENT = re.compile(r"[A-Za-z][A-Za-z_.-]{0,23}")  # words such as hook, services, api, webhooks
MAX_ANSWER_BYTES = 64 * 1024


class DeliveryError(UserError):
    """The webhook did not accept an alert (or a URL was refused before anything was sent)."""


@dataclass(frozen=True)
class Settings:
    """How hard to try: attempts and backoff for retryable failures, a per-attempt cap and an overall deadline."""

    attempts: int = 4
    backoff_seconds: float = 1.0
    timeout_seconds: float = 10.0
    deadline_seconds: float = 30.0
    allow_link_local: bool = False

    @classmethod
    def from_rules(cls, delivery: dict, allow_link_local: bool | None = None) -> Settings:
        """Settings from the rules' [delivery] table; the allow flag defaults to $DASHBOARD_ALERT_ALLOW_LINK_LOCAL."""
        if allow_link_local is None:
            allow_link_local = os.environ.get(ALLOW_ENV, "").strip().lower() in {"1", "true", "yes"}
        timeout = float(delivery.get("timeout_seconds", cls.timeout_seconds))
        return cls(
            attempts=max(1, int(delivery.get("attempts", cls.attempts))),
            backoff_seconds=float(delivery.get("backoff_seconds", cls.backoff_seconds)),
            timeout_seconds=timeout,
            deadline_seconds=float(delivery.get("deadline_seconds", max(timeout, cls.deadline_seconds))),
            allow_link_local=allow_link_local,
        )


@dataclass(frozen=True)
class Target:
    """A validated webhook URL, split for http.client, with its masked form for messages."""

    scheme: str
    host: str
    port: int
    path: str
    headers: dict
    masked: str


def mask(url: str) -> str:
    """The URL with its secrets hidden: userinfo, query, fragment and token-like path segments become ***."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparseable URL>"
    host = f"[{host}]" if ":" in host else host
    userinfo = "***@" if "@" in parts.netloc else ""
    segments = [s if not s or PLAIN_SEGMENT.fullmatch(s) else "***" for s in parts.path.split("/")]
    query = "?***" if parts.query else ""
    return f"{parts.scheme}://{userinfo}{host}{port}{'/'.join(segments)}{query}"


def _forbidden(address: str) -> bool:
    """True for link-local addresses (169.254.0.0/16, fe80::/10) and the clouds' metadata endpoints."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_link_local or ip in METADATA_ADDRESSES


def parse(url: str, allow_link_local: bool = False) -> Target:
    """Check a webhook URL (http or https, a host, a numeric port, no spaces); raise one masked line when it is bad."""
    shown = mask(url)
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url.strip()) or url != url.strip():
        raise DeliveryError(f"the webhook URL {shown} contains spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:
        reason = "a bracketed IPv6 host is not closed" if "IPv6" in str(error) else "the port is not a number 0-65535"
        raise DeliveryError(f"the webhook URL {shown} is not valid: {reason}") from error
    if parts.scheme not in {"http", "https"}:
        raise DeliveryError(f"the webhook must be an http(s) URL, not {parts.scheme or 'no'} scheme ({shown})")
    host = parts.hostname
    if not host:
        raise DeliveryError(f"the webhook URL {shown} names no host")
    if not allow_link_local and (host.rstrip(".").lower() in METADATA_HOSTS or _forbidden(host)):
        raise DeliveryError(
            f"the webhook URL {shown} points at a link-local or cloud metadata address; refused "
            f"(set ${ALLOW_ENV}=1 or pass --allow-link-local if that is really intended)"
        )
    headers = {}
    if parts.username is not None:
        credentials = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default_port, path, headers, shown)


def idempotency_key(alert_key: str) -> str:
    """A stable key for one alert (its rule and block of data): the same on every retry and every run."""
    return hashlib.sha256(f"care-dashboard-alert:{alert_key}".encode()).hexdigest()[:32]


class _Refused(OSError):
    """The host resolved to an address that is not allowed."""


def _connection(target: Target, timeout: float, allow_link_local: bool) -> http.client.HTTPConnection:
    """An HTTP(S) connection whose socket is checked against forbidden addresses before anything is sent."""

    def create_connection(address, *args, **kwargs) -> socket.socket:
        sock = socket.create_connection(address, *args, **kwargs)
        if not allow_link_local and _forbidden(sock.getpeername()[0]):
            sock.close()
            raise _Refused("the host resolves to a link-local or cloud metadata address; refused")
        return sock

    if target.scheme == "https":
        context = ssl.create_default_context()
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=context
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    conn._create_connection = create_connection  # type: ignore[attr-defined]  # private hook, not in typeshed
    return conn


def _attempt(target: Target, body: bytes, headers: dict, seconds: float, allow: bool) -> tuple[int, str, bool]:
    """One POST within `seconds` overall: (status, reason, body_sent); status 0 means no answer."""
    conn = _connection(target, seconds, allow)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        if conn.sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(conn.sock, socket.SHUT_RDWR)  # the plain socket's, also under TLS

    watchdog = threading.Timer(seconds, cut)
    watchdog.daemon = True
    watchdog.start()
    sent = False
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        sent = True
        response = conn.getresponse()
        response.read(MAX_ANSWER_BYTES) if response.status < 300 else None
        return response.status, response.reason, sent
    except _Refused as error:
        raise DeliveryError(f"{target.masked}: {error} (set ${ALLOW_ENV}=1 to allow)") from error
    except (OSError, http.client.HTTPException, ValueError) as error:
        if expired.is_set() or isinstance(error, TimeoutError):
            return 0, f"no answer within {seconds:.3g} s", sent
        return 0, type(error).__name__ if not str(error) else str(error).splitlines()[0], sent
    finally:
        watchdog.cancel()
        conn.close()


def send(url: str, payload: dict, alert_key: str, settings: Settings,
         sleep: Callable[[float], None] = time.sleep) -> int:  # fmt: skip
    """POST one alert until a 2xx, within its deadline; return the attempts used or raise DeliveryError."""
    target = parse(url, settings.allow_link_local)
    body = json.dumps(payload, default=str).encode("utf-8")
    headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key(alert_key), **target.headers}
    deadline = time.monotonic() + settings.deadline_seconds
    reason = "deadline passed before the first attempt"
    for attempt in range(1, settings.attempts + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        seconds = min(settings.timeout_seconds, remaining)
        status, why, sent = _attempt(target, body, headers, seconds, settings.allow_link_local)
        if 200 <= status < 300:
            return attempt
        if 300 <= status < 400:
            raise DeliveryError(f"{target.masked} answered HTTP {status} {why}: redirects are not followed, "
                                "so the alert was not delivered; use the final URL")  # fmt: skip
        if status and status not in RETRY_STATUSES:
            raise DeliveryError(f"{target.masked} refused the alert: HTTP {status} {why}")
        reason = f"HTTP {status}" if status else why
        if not status and sent and "no answer" in why:
            raise DeliveryError(f"{target.masked}: {why} after sending; not retried in this run (it may have "
                                "arrived), the next check resends it with the same Idempotency-Key")  # fmt: skip
        wait = settings.backoff_seconds * 2 ** (attempt - 1)
        if attempt < settings.attempts:
            if time.monotonic() + wait >= deadline:
                reason += f"; the {settings.deadline_seconds:g} s deadline leaves no time for another attempt"
                break
            sleep(wait)
    raise DeliveryError(f"{target.masked} did not accept the alert after {attempt} attempts (last: {reason})")
