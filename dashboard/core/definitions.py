"""Every metric's key, label, definition, unit and display format, and the constants the definitions quote.

The one registry the KPI tiles and their tooltips, the JSON and HTML reports, the KPI CSV, the Channels page and the
README's "Metric definitions" section all read. Texts are plain (no markup), so the same words read right in a
tooltip, an HTML table and a CSV cell; `python -m dashboard.core.readme` writes them into the README.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

SLA_TARGET_SHARE = 0.90  # the attainment target the SLA page and time to recover judge against
DEFAULT_FIRST_RESPONSE_TARGET_MINUTES = 120  # every channel's first-response target unless sla_policies says else
AT_RISK_MINUTES = 30  # "at risk now": pending and due within this many minutes after the end of the data
INFLUENCER_FOLLOWERS = 10_000  # followers from which a customer counts as an influencer
CHURN_HORIZON_DAYS = 90  # churned after contact: within this many days after the conversation started
EARLY_CHURN_HORIZON_DAYS = 30  # an early read of the same, beside the 90 days
CHURN_HORIZONS = (CHURN_HORIZON_DAYS, EARLY_CHURN_HORIZON_DAYS)
POSITIVE_AT = 0.05  # compound score from which a message is positive
NEGATIVE_AT = -0.05  # compound score up to which a message is negative
BASELINE_WEEKS = 4  # expected volume: the same hour of the week over this many previous weeks
BAND_SDS = 2.0  # time to recover: volume is back at or under expected + 2 sd
NEGATIVE_TOLERANCE = 0.05  # time to recover: hourly negative-start share may exceed normal time's by 5 points
RUN_HOURS = 2  # time to recover: consecutive hours (with data) that must all be back
MISSING = "—"  # how every display shows a value that does not exist (never nan, inf or None)


@dataclass(frozen=True)
class Definition:
    """One metric or term: its key (the column and report key), label, definition, unit and which way is better."""

    key: str
    label: str
    text: str
    unit: str = ""  # share, minutes, count or uplift; empty for a term that is not a number on its own
    higher_is_better: bool | None = None

    def format(self, value: Any) -> str:
        """The value as every display shows it (see `display`)."""
        return display(value, self.unit)

    def format_delta(self, difference: Any) -> str:
        """A difference of two values: shares and uplifts in percentage points, minutes and counts signed."""
        number = _number(difference)
        if number is None:
            return MISSING
        if self.unit in ("share", "uplift"):
            return f"{number * 100:+.1f} pp"
        return f"{number:+,.0f} min" if self.unit == "minutes" else f"{number:+,.0f}"

    @property
    def column_format(self) -> str:
        """The st.column_config.NumberColumn format showing the value as `format` does."""
        return {"share": "percent", "uplift": "percent", "minutes": "%.0f"}.get(self.unit, "localized")

    @property
    def column_label(self) -> str:
        """The label with its unit where the number alone would not say it (a table heading)."""
        return f"{self.label} (min)" if self.unit == "minutes" else self.label


def _number(value: Any) -> float | None:
    """A plain float, or None for missing and non-finite values (None, NaN, pandas NA, inf)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def display(value: Any, unit: str) -> str:
    """A number as tiles, reports and tables show it: shares as whole percentages, minutes rounded, counts with
    thousands separators, uplifts signed; MISSING when there is no value."""
    number = _number(value)
    if number is None:
        return MISSING
    if unit == "share":
        return f"{number:.0%}"
    if unit == "uplift":
        return f"{number:+.0%}"
    if unit == "minutes":
        return f"{number:,.0f} min"
    return f"{number:,.0f}"


AT_RISK_TEXT = (
    "ended negative (last customer message scored negative after an agent reply) or went unanswered past its "
    "first-response deadline"
)
AT_RISK_PLURAL = AT_RISK_TEXT.replace("past its", "past their")
DEFINITIONS: tuple[Definition, ...] = (
    Definition("started", "Started", "A conversation starts at its first customer message (started_at)."),
    Definition(
        "conversation_count",
        "Conversations",
        "Conversations starting in the period: inside the incident window, or in normal time (outside every incident).",
        "count",
    ),
    Definition(
        "first_response_minutes",
        "First response time (FRT)",
        "The first agent message after the start, minus the start. Bot messages do not count.",
        "minutes",
        False,
    ),
    Definition(
        "median_first_response_minutes",
        "Median first response",
        "The median first response time over answered conversations. The chosen incident's is exact; normal time's "
        "is read from first-response bins (10 per decade) and may differ from the exact median by about 1% (within "
        "2.5% on the demo data; more when a filter leaves few answered conversations).",
        "minutes",
        False,
    ),
    Definition(
        "p90_first_response_minutes",
        "p90 first response",
        "The 90th percentile of first response time over answered conversations, exact for the chosen incident and "
        "read from first-response bins for normal time (as the median).",
        "minutes",
        False,
    ),
    Definition(
        "sla_attainment",
        "SLA attainment",
        "Conversations answered within their policy's first-response target "
        f"({DEFAULT_FIRST_RESPONSE_TARGET_MINUTES} minutes on every channel by default, table sla_policies) ÷ "
        "conversations whose outcome is known: answered ones, and unanswered ones whose deadline passed before the "
        "end of the data (breaches). Unanswered conversations still inside their target are pending and left out. "
        f"The attainment target is {SLA_TARGET_SHARE:.0%}.",
        "share",
        True,
    ),
    Definition("resolution_minutes", "Resolution time", "closed_at (or the last message) minus the start.", "minutes"),
    Definition(
        "sentiment_label",
        "Start / end sentiment",
        "The analyzer's compound score (-1..1) of the conversation's first / last customer message; positive at "
        f"≥ {POSITIVE_AT:g}, negative at ≤ {NEGATIVE_AT:g}, neutral otherwise. End sentiment exists only when the "
        "customer wrote again after an agent reply. A twcs conversation started outside the file has no start "
        "sentiment (its first tweet in the file is a reply, not a start), so it is left out of start sentiment, "
        "negative-start shares, recovery and neutral → positive. It still counts as an arrival, and first response "
        "and SLA are timed from its first customer tweet in the file: that customer did wait for that reply.",
    ),
    Definition(
        "negative_start_share",
        "Negative-start share",
        "Conversations starting negative ÷ conversations with a start sentiment (unscored ones and those started "
        "outside a twcs file are left out).",
        "share",
        False,
    ),
    Definition(
        "recovery_rate",
        "Recovery rate",
        "Of conversations that start negative and have an end sentiment, the share ending positive.",
        "share",
        True,
    ),
    Definition(
        "neutral_to_positive_rate",
        "Neutral → positive",
        "Of conversations that start neutral and have an end sentiment, the share ending positive.",
        "share",
        True,
    ),
    Definition(
        "incident_period",
        "Incident period",
        "A conversation belongs to an incident when it starts inside [started_at, ended_at] (both ends included); "
        "everything else is normal time. Comparisons state both periods' sizes.",
    ),
    Definition(
        "coverage",
        "Coverage",
        "Where the data is dense (table coverage_days, rebuilt with every write). Each UTC day from the first to the "
        "last conversation start has its arrivals; the level is the arrival-weighted median day, so stray rows on "
        "many near-empty days cannot pull it down. A day is low when its arrivals are under 10% of the level and the "
        "level is at least 10 a day (sparse data counts as dense throughout). Active days joined across low "
        "stretches of at most 7 days form runs; the dense span is the run holding the most conversations. Inside it, "
        "a day with under 10% of its expected volume (the median day of the span within 7 days either side, at least "
        "10) is a collection gap; the others are covered. Days outside the span are stray (with conversations) or "
        "outside (empty). The default date range is the dense span; gaps are shaded on every time chart, named in "
        "the Overview summary and left out of every baseline, of like-for-like normal time and of the weekday x hour "
        "averages. Covered hours are the hours of covered days.",
    ),
    Definition(
        "expected_count",
        "Expected volume",
        f"For each hour, the mean arrivals of the same hour of the week over the previous {BASELINE_WEEKS} weeks, "
        "using only covered hours that overlap no incident: an hour before coverage starts, on a gap day or a stray "
        "day is missing, not zero. With fewer than 2 of those weeks usable the hour has not enough history and no "
        "expected volume. Over a window, hours cut by its edges count pro rata. One definition (macro "
        "volume_baseline) serves the tiles, the report, the alert rules and detection.",
        "count",
    ),
    Definition("actual_count", "Actual volume", "Conversations starting inside the incident window.", "count"),
    Definition(
        "volume_uplift",
        "Volume uplift",
        'Actual ÷ expected volume − 1 over the incident window; empty, with the words "not enough history", when '
        "any hour of the window has no expected volume.",
        "uplift",
        False,
    ),
    Definition(
        "volume_share",
        "Share of volume",
        "A channel's conversations ÷ all conversations of the period.",
        "share",
    ),
    Definition(
        "influencer_conversation_count",
        "Influencer conversations",
        f"Conversations whose customer has {INFLUENCER_FOLLOWERS:,} or more followers (follower_count) or is media "
        "(is_media).",
        "count",
        False,
    ),
    Definition(
        "at_risk_conversation_count",
        "At-risk conversations",
        f"Conversations that {AT_RISK_PLURAL}.",
        "count",
        False,
    ),
    Definition(
        "at_risk_conversation_share",
        "At-risk conversation share",
        "At-risk conversations ÷ all conversations of the period.",
        "share",
        False,
    ),
    Definition(
        "at_risk_customer_count",
        "At-risk customers",
        f"Distinct customers in the incident with a conversation that {AT_RISK_TEXT}: the care outcomes followed by "
        "more churn (Churn risk page: rates by outcome, and each customer's modelled probability).",
        "count",
        False,
    ),
    Definition(
        "churn_after_contact_rate",
        "Churn after contact",
        f"Conversations whose customer's churned_at falls within {CHURN_HORIZON_DAYS} days after the start ÷ "
        f"conversations with a customer. Conversations in the last {CHURN_HORIZON_DAYS} days of data have had less "
        "time to churn.",
        "share",
        False,
    ),
)
TERMS: tuple[Definition, ...] = (
    Definition(
        "like_for_like",
        "Like-for-like comparison",
        "The incident against the same clock hours of the week (every hour its window overlaps) in the other weeks "
        "of the date range, keeping only covered hours that overlap no incident; all normal time is every covered hour "
        "outside incidents. Each KPI keeps its own denominator "
        "(conversations; negative starts with an end sentiment; conversations past their deadline; answered ones); "
        "volume is conversations per hour over those hours. Both comparisons state conversations, hours and weeks.",
    ),
    Definition(
        "sla_status",
        "SLA status",
        "Every conversation is met, breached and answered (replied after its target), breached and unanswered (no "
        "reply, deadline before the end of the data) or pending (no reply, deadline after it); shares are of all the "
        "period's conversations.",
    ),
    Definition(
        "at_risk_count",
        "At risk now",
        f"Pending conversations whose deadline falls within {AT_RISK_MINUTES} minutes after the end of the data (any "
        "date; the channel, account and priority filters apply).",
        "count",
        False,
    ),
    Definition(
        "recovery_by_response",
        "Recovery by response time",
        "The recovery rate within first-response buckets < 15 min, 15–60 min, 1–2 h, 2–8 h, > 8 h (lower bound "
        "included) and never; denominator: the bucket's negative starts with an end sentiment. Never-answered "
        "conversations have no end sentiment by definition, so that bucket shows counts and no rate. Intervals are "
        "95% Wilson.",
    ),
    Definition(
        "time_to_recover",
        "Time to recover",
        f"Per incident and measure, minutes from the incident's start until the measure is back for {RUN_HOURS} "
        "consecutive hours with data, counted from its first bad hour inside the window: hourly arrivals at or under "
        f"expected + {BAND_SDS:g} sd, hourly SLA attainment at or above {SLA_TARGET_SHARE:.0%}, hourly negative-start "
        f"share at most normal time's + {NEGATIVE_TOLERANCE * 100:g} points. Never out: no bad hour inside the "
        "window. Not back: no such run before the end of the data, of the date range or the start of the next "
        "incident (the hours searched are shown instead). Hours by start time (UTC); the last, incomplete hour is "
        "never judged; this is the first time a measure is back, not necessarily for good.",
        "minutes",
        False,
    ),
    Definition(
        "follower_weighted_negative_share",
        "Follower-weighted negative-start share",
        "Σ (followers of conversations starting negative) ÷ Σ followers, over the period's conversations whose "
        "customer has a follower count.",
        "share",
        False,
    ),
    Definition(
        "influencer_triage",
        "Influencer triage",
        "Influencer or media conversations with no reply yet (pending or breached) or answered after their "
        "deadline, newest first.",
    ),
    Definition(
        "churn_by_care_exposure",
        "Churn by care exposure",
        "Of contacts (conversations of customers who had not churned when they started) during any incident or in "
        f"normal time, the share whose customer churned within {CHURN_HORIZON_DAYS} days ({EARLY_CHURN_HORIZON_DAYS} "
        "days as an early read), overall and split by answered within SLA (due ones) and by ending positive. Only "
        "contacts whose whole window lies before the end of the data count; a customer counts once per contact. "
        "Intervals are 95% Wilson (scipy.stats.binomtest).",
        "share",
        False,
    ),
    Definition(
        "agents_answered",
        "Agents who answered",
        "Distinct agent ids first-answering conversations in the hour (Volume & workload); load per agent = "
        "conversations first-answered by a named agent ÷ those agents. Replies without a per-agent id (twcs brands "
        "that never sign, care files without agent author ids) count as answered but toward no agent, and add no gap "
        "to the handling-time estimate. With no per-agent id in the filters the page says so and shows no agents who "
        "answered, load per agent or gap; with some, it states the share of first replies that name their agent.",
    ),
    Definition(
        "alert_backtest",
        "Alert backtest",
        "The alert rules replayed as hourly alerts check runs over the last N days, one alert per rule and repeat "
        "block. An alert matches a recorded incident when its window overlaps the incident's; its delay is the "
        "check's time minus the incident's start (median over matched incidents).",
    ),
)
REGISTRY: dict[str, Definition] = {item.key: item for item in (*DEFINITIONS, *TERMS)}
# The incident-versus-normal metrics of the report, in report order (volume uplift follows as its own entry).
REPORT_METRICS = (
    "conversation_count",
    "negative_start_share",
    "recovery_rate",
    "neutral_to_positive_rate",
    "sla_attainment",
    "median_first_response_minutes",
    "p90_first_response_minutes",
    "influencer_conversation_count",
)


def get(key: str) -> Definition:
    """The registry entry of a metric or term (KeyError names the unknown key)."""
    return REGISTRY[key]
