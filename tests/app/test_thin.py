"""No NaN, inf or None reaches a person, and thin data reads as thin: every page (AppTest) and every command's output
on an empty database, a one-conversation database and a database with no follower counts and a single channel."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.filters import NO_INCIDENT
from dashboard.app.pages import PAGES
from dashboard.cli import main
from tests.app import thin_data as thin

TIMEOUT = 120
BUILDERS = {
    "empty": thin.build_empty,
    "one_conversation": thin.build_one_conversation,
    "no_followers": thin.build_no_followers,
}
COMMANDS = [
    ["report"],
    ["report", "--format", "html"],
    ["detect", "--evaluate"],
    ["alerts", "check", "--dry-run"],
    ["alerts", "backtest"],
    ["churn", "train"],
    ["churn", "evaluate"],
    ["churn", "score"],
    ["detect"],  # last: it writes the detected windows
]


@pytest.fixture(scope="module", params=list(BUILDERS))
def thin_db(request, tmp_path_factory):
    """Each thin database in turn (read only, except by the last command of the command test)."""
    return BUILDERS[request.param](tmp_path_factory.mktemp(request.param) / "thin.duckdb")


def open_page(db, path: str, monkeypatch) -> AppTest:
    """`path` on database `db`, run without an exception."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    if path != "streamlit_app.py":
        at.switch_page(path).run()
    assert not at.exception, f"{path}: {at.exception}"
    return at


def figures_shown(at: AppTest) -> dict[str, list[str]]:
    """{where: the nan/inf/None figures there} over everything the page shows."""
    found: dict[str, list[str]] = {}
    for where, text in thin.displayed_strings(at):
        words = thin.missing_words(text)
        if words:
            found.setdefault(where, []).append(f"{words[0]!r} in {text[:100]!r}")
    return found


@pytest.mark.parametrize("path", [page.file for page in PAGES])
def test_no_page_shows_nan_inf_or_none(thin_db, monkeypatch, path):
    at = open_page(thin_db, path, monkeypatch)
    assert at.title, f"{path} shows no title"
    assert not figures_shown(at), f"{path} shows missing values as figures: {figures_shown(at)}"


def test_no_command_prints_nan_inf_or_none(thin_db, capsys):
    for command in COMMANDS:
        status = main(["--db", str(thin_db), *command])
        out, err = capsys.readouterr()
        assert status in (0, 2), f"{command}: exit status {status}"
        assert "Traceback" not in err and len(err.strip().splitlines()) <= 2, f"{command}: {err}"
        if status == 2:
            assert err.startswith("error: ") or "\nerror: " in err, f"{command}: {err}"
        text = re.sub(r"<script[^>]*>.*?</script>", "", out, flags=re.S)  # plotly.js itself is not a figure
        assert not thin.missing_words(text), f"{command}: {thin.missing_words(text)} in {text[:400]}"


def test_the_json_report_writes_missing_values_as_null(tmp_path, capsys):
    db = thin.build_one_conversation(tmp_path / "one.duckdb")
    assert main(["--db", str(db), "report"]) == 0
    out = capsys.readouterr().out
    assert '"normal": null' in out and "NaN" not in out


def test_a_rate_from_a_small_base_shows_its_base_and_is_grey(tmp_path, monkeypatch):
    db = thin.build_no_followers(tmp_path / "thin.duckdb")
    at = open_page(db, "streamlit_app.py", monkeypatch)
    tiles = {metric.label: metric for metric in at.metric}
    recovery = tiles["Recovery rate"]
    assert recovery.value == "100% (n=1)"  # one negative start in the incident, and it recovered
    assert recovery.proto.color == recovery.proto.GRAY
    assert "Fewer than 20" in recovery.proto.help
    assert tiles["Negative-start share"].value == "33% (n=3)"


def test_a_missing_value_reads_as_a_dash_with_its_reason(tmp_path, monkeypatch):
    db = thin.build_no_followers(tmp_path / "thin.duckdb")
    at = open_page(db, "pages/sla.py", monkeypatch)
    weighted = [m for m in at.metric if m.label.startswith("Follower-weighted")]
    assert weighted and all(m.value == "—" for m in weighted)
    assert all("nothing to weight by" in m.proto.help for m in weighted)


def test_the_overview_without_incidents_offers_the_busiest_hours(tmp_path, monkeypatch):
    db = thin.build_no_followers(tmp_path / "none.duckdb", with_incident=False)
    at = open_page(db, "streamlit_app.py", monkeypatch)
    assert any("python -m dashboard detect" in info.value for info in at.info)
    peaks = at.dataframe[0].value
    assert len(peaks) == 5 and peaks["conversation_count"].is_monotonic_decreasing


def test_the_overview_with_no_incident_chosen_lists_the_incidents(tmp_path, monkeypatch):
    db = thin.build_no_followers(tmp_path / "thin.duckdb")
    at = open_page(db, "streamlit_app.py", monkeypatch)
    at.selectbox(key="filter_incident").set_value(NO_INCIDENT).run()
    assert not at.exception
    assert any("Choose an incident" in info.value for info in at.info)
    assert list(at.dataframe[0].value["incident_id"]) == ["INC-7"]


def test_report_without_incidents_suggests_detect(tmp_path, capsys):
    db = thin.build_no_followers(tmp_path / "none.duckdb", with_incident=False)
    assert main(["--db", str(db), "report"]) == 2
    assert "python -m dashboard detect" in capsys.readouterr().err


def test_a_single_channel_hides_the_channel_comparisons(tmp_path, monkeypatch):
    db = thin.build_no_followers(tmp_path / "thin.duckdb")
    at = open_page(db, "pages/channels.py", monkeypatch)
    assert any("one channel (chat)" in info.value for info in at.info)
    assert not at.get("plotly_chart") and not at.dataframe
