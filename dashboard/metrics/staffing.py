"""Staffing estimate: agents needed each hour to answer within the SLA target, by the Erlang C queueing model.

Plain Python (no streamlit), tested with pytest. Erlang C treats each agent as handling one conversation at a time and
arrivals as random (Poisson) within the hour; social care agents often juggle several threads, so read the result as
an upper bound on heads, and as a fair comparison between hours.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

MAX_AGENTS = 10_000
DEFAULT_HANDLE_MINUTES = 15.0
DEFAULT_TARGET_MINUTES = 120


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that an arriving conversation has to wait, for `traffic` Erlangs offered to `agents` agents."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = 1.0  # Erlang B by its stable recursion, then converted to Erlang C
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(traffic: float, agents: int, handle_minutes: float, target_minutes: float) -> float:
    """Share of conversations answered within `target_minutes`: 1 − C · exp(−(agents − traffic) · target / handle)."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waiting = erlang_c(traffic, agents)
    return 1.0 - waiting * math.exp(-(agents - traffic) * target_minutes / handle_minutes)


@lru_cache(maxsize=4096)
def agents_needed(arrivals_per_hour: float, handle_minutes: float, target_minutes: float, target_share: float) -> int:
    """The fewest agents for which at least `target_share` of conversations get a reply within `target_minutes`."""
    if arrivals_per_hour <= 0 or handle_minutes <= 0:
        return 0
    traffic = arrivals_per_hour * handle_minutes / 60.0
    agents = max(1, math.floor(traffic) + 1)
    while service_level(traffic, agents, handle_minutes, target_minutes) < target_share and agents < MAX_AGENTS:
        agents += 1
    return agents


def staffing_plan(
    workload: pd.DataFrame,
    handle_minutes: float,
    target_minutes: float,
    target_share: float,
    agents_known: bool = True,
) -> pd.DataFrame:
    """The hourly workload plus offered traffic (Erlangs), agents needed, and the gap to the agents who answered.

    Without per-agent ids (agents_known false) the per-agent columns are dropped rather than shown as zero agents.
    """
    arrivals = workload["arrival_count"].astype(float)
    needed = [agents_needed(float(a), float(handle_minutes), float(target_minutes), target_share) for a in arrivals]
    plan = workload.assign(traffic_erlangs=arrivals * handle_minutes / 60.0, agents_needed=needed)
    plan["agent_gap"] = plan["agents_needed"] - plan["answering_agent_count"]
    if not agents_known:
        plan = plan.drop(columns=[c for c in PER_AGENT_COLUMNS if c in plan.columns])
    return plan


PER_AGENT_COLUMNS = ("identified_answer_count", "answering_agent_count", "answered_per_agent", "agent_gap")
NO_AGENT_IDS = "This data has no per-agent ids: agents who answered is not known."


def has_agent_ids(coverage: pd.Series) -> bool:
    """Whether any first reply in the filters names its agent (workload_agent_ids_coverage)."""
    return _known(coverage.get("identified_answer_count")) and coverage["identified_answer_count"] > 0


def agent_ids_text(coverage: pd.Series) -> str:
    """What the per-agent numbers rest on: none, or the share of first replies that name their agent."""
    if not has_agent_ids(coverage):
        return (
            f"{NO_AGENT_IDS} Replies are signed by a brand account, not a person (or the file has no author ids), "
            "so only arrivals, backlog and the agents needed are shown."
        )
    share = coverage["identified_answer_share"]
    text = (
        f"Agents who answered: {int(coverage['agent_count']):,} distinct agents named in "
        f"{int(coverage['identified_answer_count']):,} of {int(coverage['answered_count']):,} first replies."
    )
    if share < 1:
        text += (
            f" The other {1 - share:.0%} carry no per-agent id (unsigned brand replies): agents who answered is a "
            "lower bound and the gap an upper bound."
        )
    return text


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def handle_minutes_default(handling: pd.Series) -> float:
    """The measured handling time (workload_handle_time_overall), else DEFAULT_HANDLE_MINUTES."""
    value = handling.get("handle_minutes")
    return round(float(value), 1) if _known(value) and value > 0 else DEFAULT_HANDLE_MINUTES


def target_minutes_default(handling: pd.Series) -> int:
    """The first-response target most conversations in scope carry, else the default 120 minutes."""
    value = handling.get("first_response_target_minutes")
    return int(value) if _known(value) else DEFAULT_TARGET_MINUTES


def assumption_text(handling: pd.Series) -> str:
    """How the handling time was measured, with its numbers, and what Erlang C assumes."""
    if not _known(handling.get("handle_minutes")):
        measured = (
            f"No agent replies to measure in this range: handling time defaults to {DEFAULT_HANDLE_MINUTES:g} min."
        )
    else:
        measured = (
            "Handling time = the median gap between an agent's consecutive replies "
            f"({handling['reply_gap_minutes']:.1f} min over {int(handling['reply_gap_count']):,} gaps; gaps over "
            "60 min count as breaks) × agent replies per answered conversation "
            f"({handling['replies_per_conversation']:.2f}) = "
            f"{handling['handle_minutes']:.1f} min, over every agent reply in the range's last 28 days. Gaps include "
            "idle time, so this overstates handling time when agents are quiet."
        )
    return (
        f"{measured} Erlang C assumes one conversation at a time per agent and random arrivals within the hour; "
        "agents who answered = distinct agent_id first-answering conversations that hour."
    )
