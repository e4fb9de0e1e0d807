"""Data page."""

from dashboard.ui import page_frame

filters = page_frame("Data")
