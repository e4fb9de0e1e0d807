"""Alerts: the shipped rules fire on a planted spike in the newest data, posts reach a local webhook once, 5xx are
retried with backoff, and a second run sends nothing new. Only 127.0.0.1 is ever posted to."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from dashboard.alerts import cusum
from dashboard.alerts import rules as alerts
from dashboard.cli import main
from dashboard.core.errors import UserError
from dashboard.db import database
from dashboard.ingest.load import ImportResult, load
from tests.conftest import message_frame

FIRST_DAY = pd.Timestamp("2026-03-02")  # a Monday
SPIKE_START = FIRST_DAY + pd.Timedelta(days=35, hours=11)  # the newest three hours of data
SPIKE_END = SPIKE_START + pd.Timedelta(hours=3)
RULES = {"volume_uplift", "negative_start_share", "influencer_during_spike", "sla_attainment_drop"}
FAST = "[delivery]\nattempts = 3\nbackoff_seconds = 0.001\ntimeout_seconds = 5\n"


def conversation(n: int, start: pd.Timestamp, negative: bool, reply_minutes: float, followers: int = 10) -> list:
    """One customer message and one agent reply, pre-scored."""
    customer = {"conversation_id": f"c{n}", "message_id": f"c{n}-1", "sent_at": start, "author_type": "customer",
                "customer_id": "vip" if followers >= 10_000 else f"u{n % 40}", "channel": "twitter",
                "account": "@brand", "follower_count": followers,
                "text": "down again" if negative else "hi"}  # fmt: skip
    reply = {"conversation_id": f"c{n}", "message_id": f"c{n}-2", "author_type": "agent", "author_id": "a1",
             "channel": "twitter", "sent_at": start + pd.Timedelta(minutes=reply_minutes), "text": "on it"}  # fmt: skip
    return [customer, reply]


def planted_rows() -> list[dict]:
    """Five weeks of steady, promptly answered traffic (10% negative), then a spike: three times the volume, half
    negative, half answered after the 120-minute target, one influencer."""
    rows, n = [], 0
    for hour in pd.date_range(FIRST_DAY, SPIKE_END - pd.Timedelta(hours=1), freq="h"):
        spike = hour >= SPIKE_START
        count = 20 if spike else (6 if 8 <= hour.hour < 21 else 1)
        for i in range(count):
            n += 1
            late = spike and i % 2 == 0
            negative = i % 2 == 0 if spike else n % 10 == 0
            followers = 50_000 if spike and i == 3 else 10
            rows += conversation(
                n, hour + pd.Timedelta(minutes=60 * i / count), negative, 150 if late else 10, followers
            )
    return rows


@pytest.fixture(scope="module")
def spike_db(tmp_path_factory):
    """A database whose newest three hours are a spike."""
    path = tmp_path_factory.mktemp("alerts") / "spike.duckdb"
    frame = message_frame(planted_rows())
    negative = frame["text"] == "down again"
    frame = frame.assign(
        sentiment_score=negative.map({True: -0.6, False: 0.0}),
        sentiment_label=negative.map({True: "negative", False: "neutral"}),
    )
    con = database.connect(path)
    load(con, ImportResult("test", "planted"), frame)
    con.close()
    return path


@pytest.fixture
def db(spike_db, tmp_path):
    """A private copy, so each test has its own `<db>.alerts.json`."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(spike_db, path)
    return path


@pytest.fixture
def rules(tmp_path):
    """The shipped rules with millisecond backoff."""
    path = tmp_path / "rules.toml"
    path.write_text(FAST)
    return path


class Recorder(BaseHTTPRequestHandler):
    """Answers each POST with the next queued status (200 when none is left) and records what arrived."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.server.received.append((status, body))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook():
    """A local HTTP server on 127.0.0.1 (port chosen by the OS)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.statuses, server.received = [], []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def delivered(server) -> list[dict]:
    return [body for status, body in server.received if status == 200]


def test_the_shipped_rules_fire_on_the_spike(db, rules):
    lines = []
    sent = alerts.check(db, rules_path=rules, dry_run=True, out=lines.append)
    assert {alert.rule for alert in sent} == RULES
    assert all(SPIKE_START < pd.Timestamp(alert.window_end) <= SPIKE_END for alert in sent)  # the newest 3 hours
    printed = "\n".join(lines)
    assert "[high] Volume spike" in printed and '"alert"' in printed
    assert not alerts.state_path(db).exists()  # a dry run remembers nothing


def test_quiet_data_fires_nothing(db, rules):
    before = (SPIKE_START - pd.Timedelta(days=1)).isoformat()
    assert alerts.check(db, until=before, rules_path=rules, dry_run=True, out=lambda line: None) == []


def test_each_alert_is_posted_once(db, rules, webhook):
    sent = alerts.check(db, webhook=webhook.url, rules_path=rules, out=lambda line: None)
    bodies = delivered(webhook)
    assert len(bodies) == len(sent) == 4
    assert all(body["text"].startswith("[") and body["alert"]["key"] for body in bodies)
    assert {body["alert"]["rule"] for body in bodies} == {alert.rule for alert in sent}
    assert alerts.check(db, webhook=webhook.url, rules_path=rules, out=lambda line: None) == []
    assert len(webhook.received) == 4  # the second run sent nothing
    assert set(json.loads(alerts.state_path(db).read_text())["sent"]) == {alert.key for alert in sent}


def test_a_failing_server_is_retried_with_backoff(db, rules, webhook):
    webhook.statuses = [500, 503]
    waits = []
    alerts.check(db, webhook=webhook.url, rules_path=rules, sleep=waits.append, out=lambda line: None)
    assert [status for status, _ in webhook.received][:3] == [500, 503, 200]
    assert waits == [0.001, 0.002]
    assert len(delivered(webhook)) == 4
    assert webhook.received[0][1] == webhook.received[2][1]  # the same alert, retried


def test_giving_up_remembers_nothing_and_exits_with_one_line(db, rules, webhook, capsys):
    webhook.statuses = [500] * 12  # every attempt at every one of the four alerts
    code = main(["--db", str(db), "alerts", "check", "--webhook", webhook.url, "--rules", str(rules)])
    assert code == 2
    err = capsys.readouterr().err
    assert "4 of 4 alerts not delivered" in err and "after 3 attempts (last: HTTP 500)" in err
    assert len(err.strip().splitlines()) == 1
    assert not alerts.state_path(db).exists()
    assert len(webhook.received) == 12


def test_a_refusal_is_not_retried_and_the_other_alerts_still_go(db, rules, webhook):
    webhook.statuses = [400]
    with pytest.raises(alerts.DeliveryError, match="1 of 4 alerts not delivered.*HTTP 400"):
        alerts.check(db, webhook=webhook.url, rules_path=rules, out=lambda line: None)
    assert [status for status, _ in webhook.received] == [400, 200, 200, 200]
    refused = webhook.received[0][1]["alert"]["key"]
    assert refused not in alerts.load_state(alerts.state_path(db))["sent"]
    assert len(alerts.load_state(alerts.state_path(db))["sent"]) == 3


def test_rules_file_overrides_and_checks(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[rules.volume_uplift]\nenabled = false\nmin_uplift = 2.0\n")
    rules = alerts.load_rules(path)
    assert rules["rules"]["volume_uplift"] == {**alerts.load_rules()["rules"]["volume_uplift"],
                                               "enabled": False, "min_uplift": 2.0}  # fmt: skip
    path.write_text("[rules.unheard_of]\nenabled = true\n")
    with pytest.raises(UserError, match="unknown rules unheard_of"):
        alerts.load_rules(path)
    path.write_text("not = [toml")
    with pytest.raises(UserError, match="not valid TOML"):
        alerts.load_rules(path)


def test_a_disabled_rule_stays_quiet(db, tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(FAST + "[rules.influencer_during_spike]\nenabled = false\n")
    fired = alerts.check(db, rules_path=path, dry_run=True, out=lambda line: None)
    assert "influencer_during_spike" not in {alert.rule for alert in fired}


def test_webhook_must_be_http(db, rules):
    with pytest.raises(UserError, match="http"):
        alerts.check(db, webhook="file:///etc/passwd", rules_path=rules, out=lambda line: None)


def test_cli_dry_run(db, rules, capsys):
    assert main(["--db", str(db), "alerts", "check", "--dry-run", "--rules", str(rules)]) == 0
    out = capsys.readouterr().out
    assert "4 firing, 4 new" in out and "Influencers during a spike" in out
    assert main(["--db", str(db), "alerts", "check", "--since", "yesterday-ish", "--dry-run"]) == 2


def test_the_volume_rules_fire_only_on_detection_and_never_show_nan():
    volume = pd.Series({"actual_count": 90.0, "expected_count": float("nan"), "volume_uplift": float("nan")})
    quiet = {"volume": volume, "detection": {"alarm": False, "alarm_at": None, "score": 2.0}}
    rule = alerts.load_rules()["rules"]["volume_uplift"]
    assert alerts.volume_uplift(quiet, rule) is None
    loud = {**quiet, "detection": {"alarm": True, "alarm_at": pd.Timestamp("2026-02-09 10:15"), "score": 6.0}}
    value, threshold, _, text, _ = alerts.volume_uplift(loud, rule)
    assert (value, threshold) == (6.0, cusum.THRESHOLD)
    assert (
        text == "90 conversations against no expected volume yet (volume — (not enough history)); detected 09 Feb 10:15"
    )
