"""Sentiment flow page."""

from dashboard.ui import page_frame

filters = page_frame("Sentiment flow")
