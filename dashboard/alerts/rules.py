"""Alerts on the newest data (`python -m dashboard alerts check`): rules from TOML, Slack-compatible webhook posts.

Each rule looks at one window of the newest data (default: the last 3 hours) against normal time before it. An alert's
key is its rule plus the block of data it fired in (`repeat_hours`), and keys already sent are remembered in
`<db>.alerts.json` next to the database, so a rule alerts once per block however often `check` runs. Only the CLI
writes that file; the app never does. Delivery is alerts/webhook.py: a key is remembered only once its post got a 2xx,
and one alert failing never stops the others.
"""

from __future__ import annotations

import json
import math
import os
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.alerts import cusum, detect
from dashboard.alerts import webhook as delivery
from dashboard.alerts.webhook import DeliveryError
from dashboard.core.errors import UserError
from dashboard.db import database, sql

DEFAULT_RULES = Path(__file__).with_name("rules.toml")
WEBHOOK_ENV = "DASHBOARD_ALERT_WEBHOOK"


@dataclass(frozen=True)
class Alert:
    """One alert: what fired, how far past its threshold, over which window, and the evidence."""

    key: str
    rule: str
    severity: str
    title: str
    text: str
    value: float
    threshold: float
    window_start: str
    window_end: str
    details: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict:
        """The webhook body: Slack's `text` plus the structured alert."""
        return {"text": f"[{self.severity}] {self.title}: {self.text}", "alert": asdict(self)}


def _merge(base: dict, override: dict) -> dict:
    """`base` with `override`'s values, table by table."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def load_rules(path: Path | None = None) -> dict:
    """The shipped rules, overridden by a user's TOML file where it says so."""
    with DEFAULT_RULES.open("rb") as handle:
        rules = tomllib.load(handle)
    if path is None:
        return rules
    try:
        with Path(path).open("rb") as handle:
            override = tomllib.load(handle)
    except OSError as error:
        raise UserError(f"cannot read the rules file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path} is not valid TOML: {error}") from error
    unknown = set(override.get("rules", {})) - set(RULES)
    if unknown:
        raise UserError(f"{path}: unknown rules {', '.join(sorted(unknown))}; known: {', '.join(RULES)}")
    return _merge(rules, override)


def _timestamp(value: str | None, name: str) -> pd.Timestamp | None:
    """A UTC timestamp from an ISO 8601 argument (no offset means UTC), or None."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except ValueError as error:
        raise UserError(f"--{name} {value!r} is not an ISO 8601 time such as 2026-11-06T09:00") from error
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp


def alert_window(con: duckdb.DuckDBPyConnection, rules: dict, since: str | None, until: str | None) -> tuple:
    """[start, end) of the data to check: the newest `hours` of data unless --since / --until say otherwise."""
    bounds = sql.run_query(con, "alert_data_bounds").iloc[0]
    if pd.isna(bounds["last_started_at"]):
        raise UserError("the database holds no conversations: nothing to check")
    end = _timestamp(until, "until") or pd.Timestamp(bounds["last_started_at"]) + pd.Timedelta(seconds=1)
    start = _timestamp(since, "since") or end - pd.Timedelta(hours=rules["window"]["hours"])
    if start >= end:
        raise UserError(f"--since ({start}) must be before the end of the window ({end})")
    return start, end


def measure(con: duckdb.DuckDBPyConnection, start: pd.Timestamp, end: pd.Timestamp, rules: dict) -> dict:
    """The window's numbers against normal time before it, its volume against expected, detection's alarm over it
    (from the data up to its end), its influencers."""
    window = {"start_at": start.to_pydatetime(), "end_at": end.to_pydatetime()}
    before = {"start_at": (start - pd.Timedelta(days=rules["window"]["reference_days"])).to_pydatetime(),
              "end_at": window["start_at"]}  # fmt: skip
    recent = sql.run_query(con, "alert_window_metrics", **window).set_index("scope")
    reference = sql.run_query(con, "alert_window_metrics", **before).set_index("scope")
    empty = pd.Series(dtype=object)
    return {
        "recent": recent.loc["all"] if "all" in recent.index else empty,
        "reference": reference.loc["normal"] if "normal" in reference.index else empty,
        "volume": sql.run_query(con, "alert_window_volume", **window).iloc[0],
        "influencers": sql.run_query(con, "alert_influencer_conversations", **window),
        "detection": detect.alarm_summary(
            detect.score_buckets(detect.runner(con), detection_settings(rules), until=end), start, end
        ),
    }


def detection_settings(rules: dict) -> detect.Settings:
    """Detection as the volume rule runs it: 15-minute buckets at the rule's sensitivity."""
    return detect.Settings(15, float(rules["rules"]["volume_uplift"].get("sensitivity", 1.0)))


Finding = tuple[float, float, str, str, dict]  # value, threshold, title, text, details


def _number(series: pd.Series, name: str) -> float | None:
    value = series.get(name)
    return None if value is None or pd.isna(value) else float(value)


def volume_uplift(m: dict, rule: dict) -> Finding | None:
    """Detection (dashboard/alerts/detect.py) alarmed inside the window: volume above expected for long enough."""
    detection = m["detection"]
    if not detection["alarm"]:
        return None
    actual, expected, uplift = (_number(m["volume"], c) for c in ("actual_count", "expected_count", "volume_uplift"))
    expected_text = "no expected volume yet" if expected is None else f"{expected:,.0f} expected"
    text = (
        f"{actual or 0:,.0f} conversations against {expected_text} ({detect.uplift_text(uplift)}); detected "
        f"{detection['alarm_at']:%d %b %H:%M}"
    )
    threshold = cusum.THRESHOLD / rule.get("sensitivity", 1.0)
    return detection["score"], threshold, "Volume spike", text, {"actual": actual, "expected": expected}


def negative_start_share(m: dict, rule: dict) -> Finding | None:
    """Negative starts at `min_share` or more, `min_ratio` times the reference share and `min_z` binomial sds above."""
    share, normal = _number(m["recent"], "negative_start_share"), _number(m["reference"], "negative_start_share")
    count = _number(m["recent"], "conversation_count") or 0
    if share is None or normal is None or count < rule["min_conversations"] or share < rule["min_share"]:
        return None
    z = (share - normal) / math.sqrt(max(normal * (1 - normal), 1e-6) / count)
    if share < rule["min_ratio"] * normal or z < rule["min_z"]:
        return None
    text = f"{share:.0%} of {count:,.0f} conversations started negative (normal {normal:.0%})"
    details = {"normal_share": normal, "conversations": count, "z": z}
    return share, rule["min_share"], "Negative starts up", text, details


def influencer_during_spike(m: dict, rule: dict) -> Finding | None:
    """Influencer or media conversations while detection has a volume spike in the window."""
    uplift = _number(m["volume"], "volume_uplift")
    count = _number(m["recent"], "influencer_conversation_count") or 0
    if not m["detection"]["alarm"]:
        return None
    if count < rule["min_conversations"]:
        return None
    top = m["influencers"].head(5)
    names = ", ".join(
        f"{row.account or row.channel} on {row.channel} ({'media' if row.is_media else f'{row.follower_count:,.0f}'})"
        for row in top.itertuples()
    )
    details = {"conversations": json.loads(top.to_json(orient="records", date_format="iso"))}
    text = f"{count:,.0f} influencer or media conversations during a spike ({detect.uplift_text(uplift)}): {names}"
    return count, rule["min_conversations"], "Influencers during a spike", text, details


def sla_attainment_drop(m: dict, rule: dict) -> Finding | None:
    """SLA attainment `max_drop` or more below the reference, over at least `min_due` due conversations."""
    attainment, normal = _number(m["recent"], "sla_attainment"), _number(m["reference"], "sla_attainment")
    due = _number(m["recent"], "sla_due_count") or 0
    if attainment is None or normal is None or due < rule["min_due"] or normal - attainment < rule["max_drop"]:
        return None
    text = f"{attainment:.0%} of {due:,.0f} due conversations answered in time (normal {normal:.0%})"
    return normal - attainment, rule["max_drop"], "SLA attainment dropping", text, {"attainment": attainment}


RULES: dict[str, Callable[[dict, dict], Finding | None]] = {
    "volume_uplift": volume_uplift,
    "negative_start_share": negative_start_share,
    "influencer_during_spike": influencer_during_spike,
    "sla_attainment_drop": sla_attainment_drop,
}


def evaluate(measures: dict, rules: dict, start: pd.Timestamp, end: pd.Timestamp) -> list[Alert]:
    """Every enabled rule that fires on these numbers, keyed by rule and block of data."""
    block = end.floor(f"{rules['window']['repeat_hours']}h")
    alerts = []
    for name, check_rule in RULES.items():
        rule = rules["rules"].get(name, {})
        if not rule.get("enabled", True):
            continue
        finding = check_rule(measures, rule)
        if finding:
            value, threshold, title, text, details = finding
            window = f"{start:%d %b %H:%M}–{end:%d %b %H:%M} UTC"
            alerts.append(
                Alert(
                    f"{name}@{block:%Y-%m-%dT%H:%M}",
                    name,
                    rule.get("severity", "medium"),
                    title,
                    f"{text}; {window}",
                    value,
                    threshold,
                    start.isoformat(),
                    end.isoformat(),
                    details,
                )  # fmt: skip
            )
    return alerts


def state_path(db_path: Path) -> Path:
    """Where sent alert keys are remembered: `<db>.alerts.json` next to the database."""
    return Path(f"{db_path}.alerts.json")


def load_state(path: Path) -> dict:
    """Sent alert keys with when they were sent (empty when nothing was sent yet)."""
    return json.loads(path.read_text()) if path.exists() else {"sent": {}}


def save_state(path: Path, state: dict) -> None:
    """Write the state atomically, so an interrupted run never leaves half a file."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(state, indent=2, sort_keys=True))
    partial.replace(path)


def webhook_url(explicit: str | None, rules: dict) -> str:
    """--webhook, else the rules file's webhook, else $DASHBOARD_ALERT_WEBHOOK; a valid http(s) URL."""
    url = explicit or rules["delivery"].get("webhook") or os.environ.get(WEBHOOK_ENV)
    if not url:
        raise UserError(f"no webhook: pass --webhook URL, set [delivery] webhook in the rules, or ${WEBHOOK_ENV}")
    delivery.parse(url, allow_link_local=True)  # shape only (masked messages); send() applies the address policy
    return url


def check(db_path: Path, since: str | None = None, until: str | None = None, webhook: str | None = None,
          dry_run: bool = False, rules_path: Path | None = None, sleep: Callable[[float], None] = time.sleep,
          out: Callable[[str], None] = print, allow_link_local: bool | None = None) -> list[Alert]:  # fmt: skip
    """Evaluate the rules on the newest data and send each new alert once (or print it, with dry_run)."""
    rules = load_rules(rules_path)
    con = database.connect(Path(db_path), read_only=True)
    try:
        start, end = alert_window(con, rules, since, until)
        alerts = evaluate(measure(con, start, end, rules), rules, start, end)
    finally:
        con.close()
    path = state_path(db_path)
    state = load_state(path)
    new = [alert for alert in alerts if alert.key not in state["sent"]]
    out(f"checked {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC: {len(alerts)} firing, {len(new)} new")
    if dry_run:
        for alert in new:
            out(json.dumps(alert.payload(), indent=2, default=str, ensure_ascii=False))
        return new
    url = webhook_url(webhook, rules) if new else None
    settings = delivery.Settings.from_rules(rules["delivery"], allow_link_local)
    failed = []
    for alert in new:  # one failure never stops the rest; only a 2xx is remembered as sent
        assert url is not None  # set whenever there are new alerts
        try:
            attempts = delivery.send(url, alert.payload(), alert.key, settings, sleep)
        except DeliveryError as error:
            failed.append(f"{alert.key}: {error}")
            out(f"not sent {alert.key}: {error}")
            continue
        state["sent"][alert.key] = pd.Timestamp.now("UTC").isoformat(timespec="seconds")
        save_state(path, state)
        out(f"sent {alert.key} ({attempts} attempt{'s' * (attempts > 1)}): {alert.title}")
    if failed:
        summary = f"{len(failed)} of {len(new)} alerts not delivered (retried on the next check)"
        raise DeliveryError(f"{summary}: {failed[0]}")
    return new
