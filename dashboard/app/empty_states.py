"""What a page offers when there is nothing to compare yet: no incident chosen, or only one channel (a UI module)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.safe_text import md

BUSIEST_HOURS = 5


def busiest_hours(hourly: pd.DataFrame, count: int = BUSIEST_HOURS) -> pd.DataFrame:
    """The `count` hours with the most arrivals (volume_expected_hourly rows), busiest first, with their expected."""
    if hourly is None or hourly.empty:
        return pd.DataFrame(columns=["hour_at", "conversation_count", "expected_count"])
    columns = [c for c in ("hour_at", "conversation_count", "expected_count") if c in hourly.columns]
    return hourly.nlargest(count, "conversation_count")[columns].reset_index(drop=True)


def offer_incidents(incidents: pd.DataFrame, hourly: pd.DataFrame, tz: str) -> None:
    """No incident to compare: list the incidents (detected windows first) to pick, else the busiest hours and how to
    find incidents in the data."""
    if incidents is not None and len(incidents):
        detected = incidents[incidents["source"] == "detected"]
        shown = (detected if len(detected) else incidents).head(10)
        st.info(
            "Choose an incident in the sidebar to compare it with normal time. "
            + ("Windows detected from the data:" if len(detected) else "Incidents in the database:"),
            icon=":material/search:",
        )
        st.dataframe(
            shown[["incident_id", "title", "started_at", "ended_at", "conversation_count"]],
            hide_index=True,
            placeholder="—",
            column_config={
                "incident_id": "Incident",
                "title": "Title",
                "started_at": st.column_config.DatetimeColumn(f"Start ({tz})", format="D MMM YYYY, HH:mm"),
                "ended_at": st.column_config.DatetimeColumn(f"End ({tz})", format="D MMM YYYY, HH:mm"),
                "conversation_count": st.column_config.NumberColumn("Conversations", format="localized"),
            },
        )
        return
    st.info(
        "No incident is recorded yet, so there is nothing to compare with normal time. Find the spikes in the data "
        "with `python -m dashboard detect`, or import an incidents file. The busiest hours in this view:",
        icon=":material/search:",
    )
    peaks = busiest_hours(hourly)
    if len(peaks):
        st.dataframe(
            peaks,
            hide_index=True,
            placeholder="—",
            column_config={
                "hour_at": st.column_config.DatetimeColumn(f"Hour ({tz})", format="ddd D MMM YYYY, HH:mm"),
                "conversation_count": st.column_config.NumberColumn("Conversations", format="localized"),
                "expected_count": st.column_config.NumberColumn(
                    "Expected", format="%.1f", help="Mean of the same hour of the week over the previous four weeks."
                ),
            },
        )


def single_channel(channels: pd.Series) -> bool:
    """True (after a note) when the view holds one channel only: a comparison across channels would be empty."""
    names = sorted(set(channels.dropna()))
    if len(names) > 1:
        return False
    which = f" ({md(names[0])})" if names else ""
    st.info(
        f"Every conversation in this view comes from one channel{which}, so there is no other channel to compare "
        "it with. Its numbers are on the Overview, Sentiment flow and SLA pages."
    )
    return True
