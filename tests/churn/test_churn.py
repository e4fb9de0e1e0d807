"""Churn risk: leak-free features (given/expect), the heuristic without outcomes, determinism, and the model's evidence.

The model test builds its own 20,000-conversation demo once for this module: the shared 4,000-conversation demo holds
too few churned customers per split to train on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.churn import features as cf
from dashboard.churn import metrics as churn_metrics
from dashboard.churn import model as churn
from dashboard.churn import scoring as churn_scoring
from dashboard.db import database, sql

T0 = datetime(2026, 3, 2, 10, 0)


def msg(conversation: str, customer: str, n: int, minutes: float, author: str, text: str = "hello") -> dict:
    """One message of `conversation` by `customer` (or an agent), `minutes` after T0."""
    return {
        "conversation_id": conversation,
        "message_id": f"{conversation}-{n}",
        "sent_at": T0 + timedelta(minutes=minutes),
        "author_type": author,
        "author_id": customer if author == "customer" else "agent-1",
        "customer_id": customer if author == "customer" else None,
        "text": text,
        "channel": "twitter",
        "account": "@brand",
    }


def customers(**churned_at: datetime | None) -> pd.DataFrame:
    """A customers frame: one row per keyword (customer id), plan basic, five years of tenure."""
    return pd.DataFrame(
        {
            "customer_id": list(churned_at),
            "plan": "basic",
            "monthly_value": 25.0,
            "customer_since": pd.Timestamp("2021-01-01").date(),
            "churned_at": pd.to_datetime(list(churned_at.values())),
        }
    )


def features(con, scored_at: datetime) -> pd.DataFrame:
    """The feature rows at `scored_at`, indexed by customer."""
    return cf.features_at(con, pd.Timestamp(scored_at)).set_index("customer_id")


def test_features_at_t_ignore_everything_after_t(build_db):
    rows = [
        msg("a1", "ann", 1, 0, "customer", "My bill is wrong again, this is awful."),
        msg("a1", "ann", 2, 30, "agent", "Sorry, fixing it."),
        msg("a1", "ann", 3, 40, "customer", "Still wrong. Terrible service."),
        # After the scoring time: must not count at all.
        msg("a2", "ann", 1, 3 * 24 * 60, "customer", "Worst company ever, cancel everything!"),
    ]
    con = build_db(rows, customers=customers(ann=None))
    at = T0 + timedelta(days=1)
    row = features(con, at).loc["ann"]
    assert (row["conversation_90d_count"], row["conversation_30d_count"]) == (1, 1)
    assert row["negative_start_count"] == 1 and row["negative_end_count"] == 1
    assert row["last_end_sentiment"] == "negative" and row["last_conversation_id"] == "a1"
    assert row["days_since_last_contact"] == pytest.approx(1.0)
    # Recomputing after the later conversation sees it; at `at` the answer did not change.
    assert features(con, T0 + timedelta(days=4)).loc["ann", "conversation_90d_count"] == 2
    assert features(con, at).loc["ann"].equals(row)


def test_sla_breach_and_unanswered_count_only_deadlines_passed_before_t(build_db):
    rows = [
        msg("u", "bob", 1, 0, "customer", "Hello?"),  # never answered; deadline T0 + 120 min
        msg("late", "bob", 1, 10, "customer", "Anyone?"),
        msg("late", "bob", 2, 300, "agent", "Sorry for the wait."),  # answered after its deadline (T0 + 130 min)
    ]
    con = build_db(rows, customers=customers(bob=None))
    expect = {  # minutes after T0 -> (unanswered_count, sla_breach_count)
        60: (0, 0),  # both still inside their target: pending, not breached
        125: (1, 1),  # u's deadline passed unanswered (also a breach); late's not yet
        200: (2, 2),  # both deadlines passed, neither answered yet
        400: (1, 2),  # late was answered (too late): a breach, no longer unanswered
    }
    for minutes, (unanswered, breaches) in expect.items():
        row = features(con, T0 + timedelta(minutes=minutes)).loc["bob"]
        assert (row["unanswered_count"], row["sla_breach_count"]) == (unanswered, breaches), minutes


def test_end_sentiment_counts_only_once_the_conversation_ended_before_t(build_db):
    rows = [
        msg("e", "cid", 1, 0, "customer", "Help please"),
        msg("e", "cid", 2, 10, "agent", "On it."),
        msg("e", "cid", 3, 600, "customer", "This is awful, I hate this."),
    ]
    con = build_db(rows, customers=customers(cid=None))
    assert features(con, T0 + timedelta(minutes=60)).loc["cid", "negative_end_count"] == 0
    assert features(con, T0 + timedelta(minutes=601)).loc["cid", "negative_end_count"] == 1


def test_customers_churned_before_t_are_left_out_and_labels_cover_90_days(build_db):
    rows = [msg("x", "gone", 1, 0, "customer"), msg("y", "soon", 1, 0, "customer"), msg("z", "late", 1, 0, "customer")]
    churned = {"gone": T0 + timedelta(hours=1), "soon": T0 + timedelta(days=30), "late": T0 + timedelta(days=120)}
    con = build_db(rows, customers=customers(**churned))
    at = T0 + timedelta(days=1)
    assert set(features(con, at).index) == {"soon", "late"}
    labels = sql.run_query(con, "churn_labels_customer", scored_at=at).set_index("customer_id")["is_churned"]
    assert labels.to_dict() == {"soon": True, "late": False}


def test_no_outcomes_gives_the_heuristic_and_no_metrics(build_db, tmp_path):
    rows = [
        msg("h1", "hal", 1, 0, "customer", "Nobody answers, this is terrible."),
        msg("h2", "ivy", 1, 0, "customer", "Quick question"),
        msg("h2", "ivy", 2, 5, "agent", "Sure."),
    ]
    con = build_db(rows, customers=customers(hal=None, ivy=None))
    model = churn.model_for(con, tmp_path / "given.duckdb")
    assert model.is_heuristic and "no churn outcomes" in model.metadata["reason"]
    assert "metrics" not in model.metadata
    now = cf.features_at(con, pd.Timestamp(T0 + timedelta(days=1)))
    scope = now[["customer_id"]].assign(is_incident_customer=False)
    table = churn_scoring.risk_table(model, now, scope).set_index("customer_id")
    # hal: 1 unanswered (25) + 1 SLA breach (10) + 1 negative start (5) = 40 points; ivy: nothing.
    assert table["risk"].to_dict() == {"hal": 40.0, "ivy": 0.0}
    assert table.loc["hal", "reasons"].startswith("Unanswered past SLA deadline: 1")
    with pytest.raises(churn.NotTrainable):
        churn.train(con)


def test_snapshot_times_keep_the_label_window_inside_the_data():
    window = cf.DataWindow(pd.Timestamp("2026-07-19 00:23"), pd.Timestamp("2026-11-16 02:21"), 10, 1)
    times = cf.snapshot_times(window)
    assert [t.date().isoformat() for t in times] == ["2026-07-28", "2026-08-04", "2026-08-11", "2026-08-18"]
    assert all(t + pd.Timedelta(days=cf.HORIZON_DAYS) <= window.data_end_at for t in times)


def test_top_decile_lift_counts_ties_at_their_mean_rate():
    y = pd.Series([1, 0, 0, 0, 0, 0, 0, 0, 0, 0] * 2)
    assert churn_metrics.top_fraction_lift(y, pd.Series(range(20, 0, -1))) == pytest.approx(5.0)
    assert churn_metrics.top_fraction_lift(y, pd.Series([1.0] * 20)) == pytest.approx(1.0)


@pytest.fixture(scope="module")
def demo_20k(tmp_path_factory):
    """A 20,000-conversation demo (about 10 s), enough churned customers for every split."""
    from dashboard.demo.build import build_demo

    path = tmp_path_factory.mktemp("churn") / "demo.duckdb"
    build_demo(path, conversations=20_000, seed=3)
    con = database.connect(path, read_only=True)
    yield path, con
    con.close()


@pytest.fixture(scope="module")
def trained(demo_20k):
    """The model trained on the 20k demo."""
    return churn.train(demo_20k[1], seed=0)


def test_model_beats_the_rule_baseline_on_a_time_split(trained):
    meta = trained.metadata
    assert meta["test_snapshot"] > meta["validation_snapshot"] > max(meta["train_snapshots"])
    metrics = meta["metrics"]
    assert metrics["model"]["pr_auc"] > metrics["rule"]["pr_auc"]
    assert metrics["model"]["roc_auc"] > 0.5
    assert 0 < metrics["model"]["brier"] < metrics["base_rate"]


def test_training_is_deterministic_and_survives_save_and_load(demo_20k, trained, tmp_path):
    path, con = demo_20k
    again = churn.train(con, seed=0)
    assert again.metadata["metrics"] == trained.metadata["metrics"]
    churn.save(trained, tmp_path / "db.duckdb")
    loaded = churn.load(tmp_path / "db.duckdb")
    now = cf.features_at(con, cf.data_window(sql.run_query(con, "churn_data_window")).data_end_at)
    pd.testing.assert_series_equal(churn.predict(loaded, now), churn.predict(trained, now))
    assert (tmp_path / "models" / "churn.json").is_file()


def test_reasons_and_incident_effect_on_the_demo(demo_20k, trained):
    _, con = demo_20k
    window = cf.data_window(sql.run_query(con, "churn_data_window"))
    now = cf.features_at(con, window.data_end_at)
    scope = now[["customer_id"]].assign(is_incident_customer=False)
    table = churn_scoring.risk_table(trained, now, scope, top=20)
    assert table["risk"].is_monotonic_decreasing and table["reasons"].str.len().gt(0).all()
    incident = sql.run_query(con, "incidents_list").iloc[0]
    ids = con.execute(
        "select distinct customer_id from conversations where incident_id = $i", {"i": incident.incident_id}
    ).df()
    before = cf.features_at(con, pd.Timestamp(incident.started_at))
    after = cf.features_at(con, pd.Timestamp(incident.ended_at) + pd.Timedelta(days=1))
    effect = churn_scoring.incident_effect(trained, before, after, ids["customer_id"])
    assert 0 < effect["expected_churned"] < effect["customers"]
    assert effect["added_churned"] < effect["expected_churned"]


def test_the_influencer_threshold_is_the_registrys_bound_parameter(demo_con):
    scored_at = demo_con.execute("select max(last_message_at) from conversations").fetchone()[0]
    default = sql.run_query(demo_con, "churn_features_customer", scored_at=scored_at)
    anyone_followed = sql.run_query(demo_con, "churn_features_customer", scored_at=scored_at, influencer_followers=1)
    assert sql.DEFAULTS["influencer_followers"] == 10_000
    assert anyone_followed["is_influencer"].sum() > default["is_influencer"].sum() > 0


class Planted:
    """A pickle payload that would create a marker file when unpickled (what a planted churn.joblib could do)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_saved_model_files_are_private_and_hold_no_code(trained, tmp_path):
    import os
    import stat

    path = churn.save(trained, tmp_path / "db.duckdb")
    assert path.name == "churn.skops"
    for file in (path, tmp_path / "models" / "churn.json"):
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    import skops.io as sio

    assert set(sio.get_untrusted_types(file=path)) <= set(churn.TRUSTED_TYPES)


def test_a_planted_joblib_is_never_loaded(demo_20k, tmp_path):
    import pickle
    import shutil

    db = tmp_path / "db.duckdb"
    shutil.copy(demo_20k[0], db)
    marker = tmp_path / "ran"
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "churn.joblib").write_bytes(pickle.dumps(Planted(marker)))
    con = database.connect(db, read_only=True)
    try:
        model = churn.model_for(con, db)
    finally:
        con.close()
    assert not marker.exists()
    assert "churn.joblib was ignored" in model.metadata["source"] and "churn train" in model.metadata["source"]


def test_a_model_file_with_untrusted_types_is_refused(tmp_path):
    import skops.io as sio

    from dashboard.core.errors import UserError

    (tmp_path / "models").mkdir()
    model_path, _ = churn.model_paths(tmp_path / "db.duckdb")
    model_path.write_bytes(sio.dumps({"estimator": Planted(tmp_path / "ran"), "metadata": "{}"}))
    with pytest.raises(UserError, match="not allowed.*churn train"):
        churn.load(tmp_path / "db.duckdb")
    model_path.write_bytes(b"not a model")
    with pytest.raises(UserError, match="not a readable churn model"):
        churn.load(tmp_path / "db.duckdb")
    assert not (tmp_path / "ran").exists()
