"""Coverage (coverage_days): the dense span, collection gaps and stray rows, and the baselines that respect them.

The main fixture is a twcs-like file written here, in the shape of a one-brand extract of the public dataset: two
months of autumn 2017, 0.7% stray conversations dated up to four years earlier (customers replying to old threads),
one collection-gap day and one incident. Every expected number is computed from the generated rows themselves.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.app.filters import Filters, Options, from_query_params
from dashboard.charts import GAP_COLOR, GAPS_ATTR, rgba, shade_incidents
from dashboard.db import database, schema, sql
from dashboard.ingest import import_files
from dashboard.report import summary

FIRST_DAY = date(2017, 10, 1)
LAST_DAY = date(2017, 11, 30)
GAP_DAY = date(2017, 11, 14)
INCIDENT = (datetime(2017, 11, 22, 10), datetime(2017, 11, 22, 16))
EARLY_INCIDENT = (datetime(2017, 10, 5, 10), datetime(2017, 10, 5, 12))
HOUR_WEIGHTS = np.array([1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 7, 7, 7, 7, 6, 6, 5, 5, 4, 3, 2, 1], dtype=float)
STRAY_SHARE = 0.007
WEEK = timedelta(days=7)
TWCS_TIME = "%a %b %d %H:%M:%S +0000 %Y"


def twcs_like_starts(seed: int = 5) -> list[datetime]:
    """Customer first-tweet times: 40-80 a day over the two months (2 on the gap day), 30 extra in the incident, and
    0.7% strays spread over the four years before the span."""
    rng = np.random.default_rng(seed)
    starts: list[datetime] = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        count = 2 if day == GAP_DAY else int(rng.integers(40, 81))
        hours = rng.choice(24, size=count, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
        seconds = rng.integers(0, 3600, size=count)
        base = datetime.combine(day, datetime.min.time())
        starts += [base + timedelta(hours=int(h), seconds=int(s)) for h, s in zip(hours, seconds, strict=True)]
        day += timedelta(days=1)
    span = (INCIDENT[1] - INCIDENT[0]).total_seconds()
    starts += [INCIDENT[0] + timedelta(seconds=int(s)) for s in rng.integers(0, int(span), size=30)]
    stray_count = round(len(starts) * STRAY_SHARE / (1 - STRAY_SHARE))
    oldest, newest = datetime(2013, 10, 1), datetime(2017, 9, 15)
    offsets = rng.integers(0, int((newest - oldest).total_seconds()), size=stray_count)
    starts += [oldest + timedelta(seconds=int(s)) for s in offsets]
    return sorted(starts)


def write_twcs_like(path: Path, starts: list[datetime]) -> Path:
    """A twcs file: each conversation a customer tweet and the brand's reply 5-60 minutes later, newest first."""
    rows = []
    for index, start in enumerate(starts):
        tweet, reply = 2 * index + 1, 2 * index + 2
        answered = start + timedelta(minutes=5 + index % 56)
        rows.append((reply, "AcmeCare", False, answered, f"@c{index} Sorry to hear that, please DM us", "", tweet))
        rows.append((tweet, f"{1000 + index}", True, start, "@AcmeCare my order never arrived, help", reply, ""))
    frame = pd.DataFrame(
        rows, columns=["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to"]
    ).sort_values("created_at", ascending=False)
    frame["created_at"] = frame["created_at"].map(lambda t: t.strftime(TWCS_TIME))
    frame = frame.rename(columns={"in_response_to": "in_response_to_tweet_id"})
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def twcs_like(tmp_path_factory) -> tuple[Path, pd.Series]:
    """The twcs-like file imported with two incidents (one too early for a baseline); the starts as a Series."""
    folder = tmp_path_factory.mktemp("twcs_like")
    starts = twcs_like_starts()
    csv = write_twcs_like(folder / "twcs_like.csv", starts)
    incidents = folder / "incidents.csv"
    incidents.write_text(
        "incident_id,title,started_at,ended_at,severity,services\n"
        f"INC-1,Delivery outage,{INCIDENT[0]:%Y-%m-%dT%H:%M:%SZ},{INCIDENT[1]:%Y-%m-%dT%H:%M:%SZ},major,delivery\n"
        f"INC-0,Early blip,{EARLY_INCIDENT[0]:%Y-%m-%dT%H:%M:%SZ},{EARLY_INCIDENT[1]:%Y-%m-%dT%H:%M:%SZ},low,app\n"
    )
    path = folder / "twcs_like.duckdb"
    import_files(path, "twcs", csv, incidents=incidents)
    return path, pd.Series(pd.to_datetime(starts))


@pytest.fixture
def con(twcs_like):
    connection = database.connect(twcs_like[0], read_only=True)
    yield connection
    connection.close()


def everything(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime, **extra) -> dict:
    """Query parameters over every channel, account and priority."""
    options = sql.run_query(con, "filter_options").iloc[0]
    lists = {key: list(options[key]) for key in ("channels", "accounts", "priorities")}
    return {"start_at": start, "end_at": end, **lists, "tz": "UTC", **extra}


def covered_mask(starts: pd.Series) -> pd.Series:
    """Starts on a covered day: inside the two months and not on the gap day."""
    days = starts.dt.date
    return (days >= FIRST_DAY) & (days <= LAST_DAY) & (days != GAP_DAY)


def test_coverage_finds_the_dense_span_the_gap_and_the_strays(con, twcs_like):
    starts = twcs_like[1]
    days = sql.run_query(con, "coverage_status_daily")
    gaps = days[days["status"] == "gap"]
    strays = days[days["status"] == "stray"]
    outside = (starts.dt.date < FIRST_DAY) | (starts.dt.date > LAST_DAY)
    assert list(gaps["day"].dt.date) == [GAP_DAY]
    assert gaps["arrival_count"].iloc[0] == 2
    assert gaps["arrival_ratio"].iloc[0] == pytest.approx(2 / gaps["expected_count"].iloc[0])
    assert 40 <= gaps["expected_count"].iloc[0] <= 80
    assert strays["arrival_count"].sum() == outside.sum() > 0
    assert strays["day"].min().date() < date(2013, 12, 31)
    statuses = con.execute("select status, count(*) from coverage_days group by 1").fetchall()
    assert dict(statuses)["covered"] == (LAST_DAY - FIRST_DAY).days  # every span day but the gap
    options = sql.run_query(con, "filter_options").iloc[0]
    assert options["span_started_at"] == pd.Timestamp(FIRST_DAY)
    assert options["span_end_at"] == options["data_end_at"]  # the span reaches the last day: it ends with the data
    assert options["stray_count"] == outside.sum()


def test_sparse_data_counts_as_dense(build_db):
    # Three conversations over three weeks: too few a day to tell a gap from chance, so all of it is the span.
    t0 = datetime(2026, 3, 2, 9)
    rows = [
        {"message_id": f"m{i}", "conversation_id": f"c{i}", "sent_at": t0 + timedelta(days=10 * i), "channel": "chat"}
        | {"author_type": "customer", "text": "hi"}
        for i in range(3)
    ]
    con = build_db(rows)
    statuses = con.execute("select distinct status from coverage_days").fetchall()
    assert statuses == [("covered",)]


def test_partial_first_and_last_days_stay_in_the_span(build_db):
    # A live export cut at 00:30 (and started at 23:30): 1 conversation on each edge day, 30 a day between.
    t0 = datetime(2026, 3, 1, 23, 30)
    starts = [t0] + [datetime(2026, 3, d, 8) + timedelta(minutes=10 * k) for d in range(2, 7) for k in range(30)]
    starts.append(datetime(2026, 3, 7, 0, 20))
    rows = [
        {"message_id": f"m{i}", "conversation_id": f"c{i}", "sent_at": start, "channel": "chat"}
        | {"author_type": "customer", "text": "hi"}
        for i, start in enumerate(starts)
    ]
    con = build_db(rows)
    assert con.execute("select distinct status from coverage_days").fetchall() == [("covered",)]
    options = sql.run_query(con, "filter_options").iloc[0]
    assert options["span_started_at"] == pd.Timestamp("2026-03-01")
    assert options["span_end_at"] == options["data_end_at"] == pd.Timestamp(starts[-1])


def test_default_range_is_the_dense_span_and_the_url_can_include_the_strays():
    options = Options(
        ("chat",), ("(none)",), ("normal",), date(2013, 10, 3), date(2017, 12, 1), (), FIRST_DAY, date(2017, 12, 1)
    )
    opened = from_query_params({}, options)
    assert (opened.first_day, opened.last_day) == (FIRST_DAY, date(2017, 12, 1))
    assert opened.to_query_params(options) == {}
    whole = Filters(date(2013, 10, 3), date(2017, 12, 1), ("chat",), ("(none)",), ("normal",), None)
    link = whole.to_query_params(options)
    assert link == {"from": "2013-10-03"}
    reopened = from_query_params(link, options)
    assert (reopened.first_day, reopened.last_day) == (date(2013, 10, 3), date(2017, 12, 1))
    # Without a span (an older caller) the whole range is the default, as before.
    plain = Options(("chat",), ("(none)",), ("normal",), date(2017, 1, 1), date(2017, 2, 1), ())
    assert plain.default_days == (date(2017, 1, 1), date(2017, 2, 1))


def test_weekday_hour_heatmap_averages_covered_hours_only(con, twcs_like):
    starts = twcs_like[1]
    params = everything(con, datetime(2013, 1, 1), datetime(2017, 12, 2))  # strays in range: still left out
    heat = sql.run_query(con, "volume_arrivals_weekday_hour", **params).set_index(["weekday", "hour_of_day"])
    covered = starts[covered_mask(starts)]
    counts = covered.groupby([covered.dt.isocalendar().day, covered.dt.hour]).size()
    # The range's hours run to the last start's hour; the gap day's hours are not counted.
    hours = pd.Series(pd.date_range(pd.Timestamp(FIRST_DAY), starts.max().floor("h"), freq="h"))
    hours = hours[hours.dt.date != GAP_DAY]
    hour_counts = hours.groupby([hours.dt.isocalendar().day, hours.dt.hour]).size()
    expected = counts / hour_counts.loc[counts.index]
    assert heat.loc[expected.index, "avg_conversations_per_hour"].to_numpy() == pytest.approx(expected.to_numpy())
    assert heat["hour_count"].max() == hour_counts.max()
    assert heat["avg_conversations_per_hour"].max() > 3  # busy hours average several an hour, not 0.1-0.9


def test_like_for_like_counts_covered_normal_hours(con, twcs_like):
    starts = twcs_like[1]
    params = everything(con, datetime(2013, 1, 1), datetime(2017, 12, 2), incident_id="INC-1")
    like = sql.run_query(con, "kpi_like_for_like_period", **params).set_index("comparison")
    data_end = con.execute("select max(last_message_at) from conversations").fetchone()[0]  # the range stops there
    hours = pd.Series(pd.date_range(pd.Timestamp(FIRST_DAY), pd.Timestamp(data_end), freq="h"))
    in_incident = pd.Series(False, index=hours.index)
    for start, end in (INCIDENT, EARLY_INCIDENT):
        in_incident |= (hours < pd.Timestamp(end)) & (hours + pd.Timedelta(hours=1) > pd.Timestamp(start))
    normal_hours = hours[(hours.dt.date != GAP_DAY) & ~in_incident]
    normal = starts[starts.dt.floor("h").isin(set(normal_hours))]
    row = like.loc["normal_all"]
    assert row["hour_count"] == len(normal_hours)
    assert row["conversation_count"] == len(normal)
    assert row["conversations_per_hour"] == pytest.approx(len(normal) / len(normal_hours))
    assert 1.5 < row["conversations_per_hour"] < 3.5  # 40-80 a day, not the 0.02 an hour of four mostly empty years
    assert row["week_count"] <= 10


def expected_for(starts: pd.Series, hour: pd.Timestamp) -> float | None:
    """The README's baseline, by hand: mean arrivals at the same hour 1-4 weeks earlier over covered, incident-free
    weeks; None with fewer than two."""
    lags = [hour - k * WEEK for k in range(1, 5)]
    usable = [
        lag
        for lag in lags
        if FIRST_DAY <= lag.date() <= LAST_DAY
        and lag.date() != GAP_DAY
        and not any(
            lag < pd.Timestamp(e) and lag + pd.Timedelta(hours=1) > pd.Timestamp(s)
            for s, e in (INCIDENT, EARLY_INCIDENT)
        )
    ]
    if len(usable) < 2:
        return None
    floor = starts.dt.floor("h")
    return float(np.mean([(floor == lag).sum() for lag in usable]))


@pytest.mark.parametrize(
    "hour",
    [
        pd.Timestamp("2017-11-21 14:00"),  # a week after the gap: the gap week is missing, not zero
        pd.Timestamp("2017-10-09 14:00"),  # one covered week before it: not enough history
        pd.Timestamp("2017-10-16 14:00"),  # two covered weeks: a baseline
        pd.Timestamp("2017-11-29 11:00"),  # the incident week before is left out
    ],
)
def test_expected_volume_skips_uncovered_weeks(con, twcs_like, hour):
    starts = twcs_like[1]
    params = everything(con, hour.to_pydatetime(), (hour + pd.Timedelta(hours=1)).to_pydatetime())
    by_tz = sql.run_query(con, "volume_expected_hourly", **params).set_index("hour_at")
    macro_sql = "select * from volume_baseline($start_at, $end_at, $channels, $accounts, $priorities)"
    macro_params = {key: params[key] for key in ("start_at", "end_at", "channels", "accounts", "priorities")}
    macro = con.execute(macro_sql, macro_params).df().set_index("hour_at")
    want = expected_for(starts, hour)
    for frame in (by_tz, macro):
        got = frame.at[hour, "expected_count"]
        assert (pd.isna(got) and want is None) or got == pytest.approx(want)


def test_gap_is_left_out_of_the_overview_baseline(con, twcs_like):
    # Expected volume a week after the gap, summed over the day: the gap's near-zero day would pull it ~25% down.
    day = pd.Timestamp(GAP_DAY) + WEEK
    params = everything(con, day.to_pydatetime(), (day + pd.Timedelta(days=1)).to_pydatetime())
    hourly = sql.run_query(con, "volume_expected_hourly", **params)
    starts = twcs_like[1]
    by_hand = sum(expected_for(starts, day + pd.Timedelta(hours=h)) for h in range(24))
    assert hourly["expected_count"].sum() == pytest.approx(by_hand)
    assert hourly["baseline_weeks"].max() == 3


def test_incident_uplift_uses_covered_history_and_says_when_there_is_none(con, twcs_like):
    starts = twcs_like[1]
    base = everything(con, datetime(2013, 1, 1), datetime(2017, 12, 2))
    late = sql.run_query(con, "volume_uplift_incident", **base, incident_id="INC-1").iloc[0]
    hours = pd.date_range(pd.Timestamp(INCIDENT[0]), pd.Timestamp(INCIDENT[1]), freq="h", inclusive="left")
    assert late["expected_count"] == pytest.approx(sum(expected_for(starts, h) for h in hours))
    assert late["volume_uplift"] == pytest.approx(late["actual_count"] / late["expected_count"] - 1)
    headlines = sql.run_query(con, "incident_headlines_list", **base).set_index("incident_id")
    assert headlines.at["INC-1", "expected_count"] == pytest.approx(late["expected_count"])
    channels = sql.run_query(con, "channel_uplift_incident", **base, incident_id="INC-1")
    assert channels["expected_count"].sum() == pytest.approx(late["expected_count"])
    early = sql.run_query(con, "volume_uplift_incident", **base, incident_id="INC-0").iloc[0]
    assert early["actual_count"] > 0 and pd.isna(early["expected_count"]) and pd.isna(early["volume_uplift"])
    assert pd.isna(headlines.at["INC-0", "volume_uplift"])
    assert sql.run_query(con, "channel_uplift_incident", **base, incident_id="INC-0")["expected_count"].isna().all()
    tile = summary._uplift_tile(early, "")
    assert (tile.value, tile.delta) == ("—", "not enough history")
    report = summary.report_from_frames(
        {"incident_id": "INC-0", "title": "Early blip", "started_at": EARLY_INCIDENT[0], "ended_at": EARLY_INCIDENT[1]},
        pd.DataFrame(),
        early,
    )
    assert report["metrics"]["volume_uplift"]["note"] == "not enough history"
    assert "not enough history" in summary.incident_summary(report)


def test_data_page_flags_the_gap_day_in_any_range(con):
    params = everything(con, datetime(2017, 11, 1), datetime(2017, 12, 1))
    daily = sql.run_query(con, "volume_arrivals_daily", **params)
    assert list(daily.loc[daily["is_gap"], "started_date"].dt.date) == [GAP_DAY]
    assert set(daily["status"]) == {"covered", "gap"}


def test_gaps_are_shaded_and_named(con):
    gaps = sql.run_query(con, "coverage_status_daily").query("status == 'gap'")
    incidents = sql.run_query(con, "incidents_list")
    incidents.attrs[GAPS_ATTR] = tuple(zip(gaps["started_at"], gaps["ended_at"], strict=True))
    fig = shade_incidents(go.Figure(), incidents, "INC-1")
    gap_bands = [shape for shape in fig.layout.shapes if shape.fillcolor == rgba(GAP_COLOR, 0.22)]
    assert [(pd.Timestamp(s.x0), pd.Timestamp(s.x1)) for s in gap_bands] == [
        (pd.Timestamp(GAP_DAY), pd.Timestamp(GAP_DAY) + pd.Timedelta(days=1))
    ]
    note = summary.gap_note(gaps)
    assert "14 Nov 2017 (2 conversations" in note and "left out of expected volumes" in note
    assert summary.gap_note(gaps.iloc[0:0]) == ""


def test_a_version_2_database_gains_coverage_on_migration(twcs_like, tmp_path):
    path = tmp_path / "v2.duckdb"
    path.write_bytes(twcs_like[0].read_bytes())
    with duckdb.connect(str(path)) as old:
        old.execute("drop table coverage_days")
        old.execute("update schema_info set value = '2' where key = 'schema_version'")
    assert database.migrate(path).endswith(f"2 -> {schema.SCHEMA_VERSION}")
    con = database.connect(path, read_only=True)
    assert con.execute("select count(*) from coverage_days where status = 'gap'").fetchone() == (1,)
    con.close()


def test_level_is_the_median_over_conversations_of_their_start_days_arrivals(demo_con):
    # coverage_days reads per-hour counts; its level must equal the median taken over every conversation
    median = demo_con.execute(
        """
        select quantile_disc(a.arrival_count, 0.5)
        from conversations as c
        inner join (select started_at::date as day, count(*) as arrival_count from conversations group by 1) as a
            on c.started_at::date = a.day
        """
    ).fetchone()[0]
    assert demo_con.execute("select distinct level_count from coverage_days").fetchall() == [(median,)]
    hourly = demo_con.execute("select sum(conversation_count) from conversation_starts_hourly").fetchone()[0]
    assert hourly == demo_con.execute("select count(*) from conversations").fetchone()[0]
