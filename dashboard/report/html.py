"""The executive incident report as one self-contained HTML file (`python -m dashboard report --format html`).

`render` turns a report dict (build.full_report: the JSON report plus timeline, surging terms, at-risk customers and
summary under new keys) into HTML with plotly.js inlined once, so the file opens with no network. A report without
the extra keys (plain build.incident_report) still renders: its missing sections say so. Labels, definitions and
number formats come from the registry (dashboard/core/definitions.py).
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.core import definitions as defs
from dashboard.core import safe_text, timezones
from dashboard.report import summary

fmt = defs.display  # a number as every display shows it: fmt(value, unit)


def _when(incident: dict, tz: str = "UTC") -> str:
    """The incident window in words, in time zone tz: '6 Nov 2026 08:00 – 7 Nov 00:00 UTC (16 h)'."""
    start, end = (timezones.to_local(incident[key], tz) for key in ("started_at", "ended_at"))
    hours = (pd.Timestamp(incident["ended_at"]) - pd.Timestamp(incident["started_at"])).total_seconds() / 3600
    return f"{start:%-d %b %Y %H:%M} – {end:%-d %b %H:%M} {tz} ({hours:,.0f} h)"


def _tiles(report: dict) -> str:
    """The headline numbers as cards: uplift, negative starts, SLA attainment, first response, at-risk customers."""
    metrics = report["metrics"]
    uplift = defs.get("volume_uplift")
    cards = [
        (
            uplift.label,
            uplift.format(metrics["volume_uplift"]["uplift"]),
            metrics["volume_uplift"].get("note") or "vs expected",
            "uplift",
        )
    ]
    for name in ("negative_start_share", "sla_attainment", "median_first_response_minutes"):
        metric, values = defs.get(name), metrics[name]
        cards.append(
            (metric.label, metric.format(values["incident"]), f"normal {metric.format(values['normal'])}", name)
        )
    at_risk = report.get("at_risk_customers")
    if at_risk:
        share = f"{fmt(at_risk['conversation_share'], 'share')} of conversations"
        cards.append((defs.get("at_risk_customer_count").label, fmt(at_risk["count"], "count"), share, "risk"))
    return "".join(
        f'<div class="tile" data-metric="{key}"><div class="label">{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div><div class="note">{html.escape(note)}</div></div>'
        for label, value, note, key in cards
    )


def _kpi_table(report: dict) -> str:
    """Incident against normal time for every report metric, with definitions; uplift last with actual and expected."""
    rows = []
    for name in defs.REPORT_METRICS:
        metric, values = defs.get(name), report["metrics"].get(name) or {}
        rows.append(
            f"<tr><th>{html.escape(metric.label)}</th><td>{metric.format(values.get('incident'))}</td>"
            f"<td>{metric.format(values.get('normal'))}</td><td class='def'>{html.escape(metric.text)}</td></tr>"
        )
    uplift, metric, expected = report["metrics"]["volume_uplift"], defs.get("volume_uplift"), defs.get("expected_count")
    sizes = f"actual {fmt(uplift['actual'], 'count')} / expected {fmt(uplift['expected'], 'count')}"
    definition = f"{metric.text} {expected.label}: {expected.text}"
    rows.append(
        f"<tr><th>{html.escape(metric.label)}</th><td>{metric.format(uplift['uplift'])}</td><td>{sizes}</td>"
        f"<td class='def'>{html.escape(definition)}</td></tr>"
    )
    head = "<tr><th>Metric</th><th>Incident</th><th>Normal</th><th>Definition</th></tr>"
    return f"<table class='kpis'>{head}{''.join(rows)}</table>"


def _volume_figure(report: dict) -> go.Figure | None:
    """Hourly actual against the expected band, the incident shaded (charts.volume_timeline)."""
    if not report.get("timeline"):
        return None
    hourly = pd.DataFrame(report["timeline"]).rename(columns={"actual": "conversation_count"})
    hourly = hourly.rename(columns={"expected": "expected_count"}).assign(hour_at=lambda f: pd.to_datetime(f.hour_at))
    tz = report.get("display_time_zone", "UTC")
    hourly = timezones.local_columns(hourly, tz, "hour_at")  # UTC hours, labelled on the local clock
    incident = timezones.local_columns(pd.DataFrame([report["incident"]]), tz, "started_at", "ended_at")
    fig = charts.volume_timeline(hourly, incident, report["incident"]["incident_id"], tz=tz)
    return fig.update_layout(title={"text": "Conversations per hour: actual against expected (±2 sd band)"})


def _shares_figure(report: dict) -> go.Figure:
    """Incident against normal for the share metrics, side by side."""
    names = [(name, defs.get(name).label) for name in defs.REPORT_METRICS if defs.get(name).unit == "share"]
    fig = go.Figure()
    for period, color in (("incident", charts.INCIDENT_COLOR), ("normal", charts.EXPECTED_COLOR)):
        values = [report["metrics"][name][period] for name, _ in names]
        fig.add_bar(
            x=[label for _, label in names],
            y=values,
            name=period.capitalize(),
            marker_color=color,
            text=[fmt(v, "share") for v in values],
            textposition="outside",
        )
    charts.style(fig, "Shares: incident against normal time", None, "Share of conversations", height=340)
    return fig.update_yaxes(tickformat=".0%", range=[0, 1.1])


def _charts(report: dict) -> str:
    """Both charts as HTML divs, plotly.js inlined once (with the first), so the file needs no network."""
    parts, first = [], True
    for fig in (_volume_figure(report), _shares_figure(report)):
        if fig is None:
            parts.append("<p class='missing'>No hourly timeline in this report.</p>")
            continue
        safe_text.safe_figure(fig).update_layout(template="plotly_white", paper_bgcolor="white")
        config = {"displaylogo": False, "responsive": True}
        parts.append(fig.to_html(full_html=False, include_plotlyjs=first, config=config))
        first = False
    return "".join(f"<div class='chart'>{part}</div>" for part in parts)


def _terms(report: dict) -> str:
    """The surging terms table (terms.py: weighted log-odds), or a note when the report has none."""
    terms = report.get("terms")
    if not terms:
        return "<p class='missing'>No surging terms in this report.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(t['term'])}</td><td>{t['incident_count']:,} ({t['incident_share']:.1%})</td>"
        f"<td>{t['normal_count']:,} ({t['normal_share']:.1%})</td><td>{t['z_score']:.1f}</td></tr>"
        for t in terms
    )
    head = (
        "<tr><th>Term (in first messages)</th><th>Incident conversations</th>"
        "<th>Normal conversations, 28 days before</th><th>z-score</th></tr>"
    )
    return f"<table class='terms'>{head}{rows}</table>"


def _sizes(report: dict) -> str:
    """Both periods' sizes in words, so every comparison states them."""
    counts = report["metrics"]["conversation_count"]
    scope = report.get("scope") or {}
    normal_span = (
        f" between {pd.Timestamp(scope['start_at']):%-d %b %Y} and {pd.Timestamp(scope['end_at']):%-d %b %Y}"
        if scope
        else ""
    )
    return (
        f"Incident period: {fmt(counts['incident'], 'count')} conversations starting inside the window. "
        f"Normal period: {fmt(counts['normal'], 'count')} conversations starting outside every incident{normal_span}."
    )


CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:1100px;margin:24px auto;
padding:0 20px;line-height:1.45}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;font-size:14px}.summary{font-size:16px;background:#f6f8fa;border-left:4px solid #E4572E;
padding:10px 14px}.tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{flex:1 1 160px;border:1px solid #d0d7de;
border-radius:8px;padding:10px 12px}.tile .label{font-size:13px;color:#57606a}.tile .value{font-size:28px;
font-weight:600}.tile .note{font-size:13px;color:#57606a}table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}td.def{color:#57606a;
font-size:13px}.missing{color:#57606a;font-style:italic}.chart{margin:8px 0}footer{margin-top:28px;color:#57606a;
font-size:12px}
"""


def render(report: dict) -> str:
    """The whole report as one self-contained HTML page."""
    incident, details = report["incident"], report.get("details") or {}
    meta = " · ".join(
        html.escape(str(part))
        for part in (incident["incident_id"], details.get("source"), details.get("severity"), details.get("services"))
        if part
    )
    at_risk = report.get("at_risk_customers")
    risk = (
        f"<p><b>{fmt(at_risk['count'], 'count')}</b> customers at elevated churn risk "
        f"({fmt(at_risk['conversation_count'], 'count')} conversations). {html.escape(at_risk['definition'])}</p>"
        if at_risk
        else "<p class='missing'>No at-risk customer count in this report.</p>"
    )
    words = report.get("summary") or summary.incident_summary(report)
    generated = html.escape(report.get("generated_at", ""))
    tz = report.get("display_time_zone", "UTC")
    zone = html.escape(tz)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident report: {html.escape(incident["title"])}</title><style>{CSS}</style></head>
<body>
<h1>{html.escape(incident["title"])}</h1>
<div class="meta">{meta} · {html.escape(_when(incident, tz))}</div>
<h2>Summary</h2><p class="summary">{html.escape(words)}</p>
<h2>Headline numbers</h2><div class="tiles">{_tiles(report)}</div>
<h2>Volume</h2>{_charts(report)}
<h2>Incident against normal time</h2><p class="meta">{html.escape(_sizes(report))}</p>{_kpi_table(report)}
<h2>Surging terms</h2>{_terms(report)}
<h2>Customers at risk</h2>{risk}
<footer>Care incident analytics · generated {generated} (UTC) · times in {zone} · each number's definition is
in the table above and in the README's Metric definitions.
</footer>
</body></html>
"""
