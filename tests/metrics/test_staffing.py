"""Erlang C staffing: known queueing values, the agents-needed search, and the hourly plan."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.metrics import staffing


@pytest.mark.parametrize(
    ("traffic", "agents", "expected"),
    [(10, 12, 0.4494), (10, 11, 0.6821), (2, 3, 4 / 9), (1, 2, 1 / 3)],
)
def test_erlang_c_known_values(traffic, agents, expected):
    assert staffing.erlang_c(traffic, agents) == pytest.approx(expected, abs=1e-4)


def test_erlang_c_edges():
    assert staffing.erlang_c(0, 3) == 0.0
    assert staffing.erlang_c(5, 5) == 1.0  # no spare capacity: everyone waits
    assert staffing.erlang_c(5, 4) == 1.0


def test_service_level_textbook_example():
    # 10 Erlangs on 12 agents, 3-minute handling, 20-second target: 1 - 0.4494 * exp(-2 * (1/3) / 3)
    level = staffing.service_level(10, 12, handle_minutes=3, target_minutes=1 / 3)
    assert level == pytest.approx(1 - 0.449388 * math.exp(-2 / 9), abs=1e-5)
    assert staffing.service_level(10, 10, 3, 1) == 0.0
    assert staffing.service_level(0, 1, 3, 1) == 1.0


def test_agents_needed_matches_the_classic_80_in_20_example():
    # 100 contacts per 30 minutes, 3-minute handling, 80% answered within 20 seconds: 14 agents
    assert staffing.agents_needed(200, 3, 20 / 60, 0.80) == 14
    assert staffing.agents_needed(200, 3, 20 / 60, 0.90) > 14


def test_agents_needed_is_zero_without_work_and_never_falls_as_arrivals_rise():
    assert staffing.agents_needed(0, 15, 120, 0.8) == 0
    needed = [staffing.agents_needed(a, 19.4, 120, 0.8) for a in range(0, 200, 5)]
    assert needed == sorted(needed)
    assert staffing.agents_needed(20, 19.4, 120, 0.8) > 20 * 19.4 / 60  # more heads than the offered traffic


def test_staffing_plan_adds_traffic_need_and_gap():
    workload = pd.DataFrame(
        {
            "hour_at": pd.date_range("2026-03-02", periods=3, freq="h"),
            "arrival_count": [0, 30, 60],
            "answering_agent_count": [0, 12, 8],
        }
    )
    plan = staffing.staffing_plan(workload, handle_minutes=20, target_minutes=120, target_share=0.8)
    assert list(plan["traffic_erlangs"]) == [0, 10, 20]
    assert plan["agents_needed"].iloc[0] == 0
    assert plan["agents_needed"].iloc[1] == staffing.agents_needed(30, 20, 120, 0.8)
    assert list(plan["agent_gap"]) == list(plan["agents_needed"] - workload["answering_agent_count"])


def test_defaults_and_assumption_text_when_nothing_was_measured():
    empty = pd.Series({"handle_minutes": None, "first_response_target_minutes": None})
    assert staffing.handle_minutes_default(empty) == staffing.DEFAULT_HANDLE_MINUTES
    assert staffing.target_minutes_default(empty) == 120
    assert "defaults to 15 min" in staffing.assumption_text(empty)
    measured = pd.Series(
        {
            "handle_minutes": 19.37,
            "reply_gap_minutes": 12.7,
            "reply_gap_count": 70710,
            "replies_per_conversation": 1.525,
            "first_response_target_minutes": 60,
        }
    )
    assert staffing.handle_minutes_default(measured) == 19.4
    assert staffing.target_minutes_default(measured) == 60
    text = staffing.assumption_text(measured)
    assert "12.7 min over 70,710 gaps" in text and "(1.52) = 19.4 min" in text and "Erlang C" in text
