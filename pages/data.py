"""Data: what is loaded, how complete it is, where collection has gaps, and how good the sentiment scores are."""

import streamlit as st

from dashboard.app.data import query
from dashboard.app.frame import download_csv, has_rows, local_incidents, page_frame, stray_rows
from dashboard.charts import operations as ops_charts
from dashboard.core.safe_text import safe_figure
from dashboard.sentiment import quality

filters = page_frame(
    "Data",
    "Tables, imports and quality checks cover the whole database; the volume chart follows the shared filters.",
)
incidents = local_incidents(filters.tz)
tables = query("table_rows_list")
daily = query("volume_arrivals_daily", **filters.params())
coverage = query("coverage_status_daily")
imports = query("import_log_list")
import_notes = query("import_notes_list")
outside = query("conversation_started_outside_overall").iloc[0]
checks = query("quality_checks_list")
analyzers = query("sentiment_analyzers_list")
report = quality.load_sentiment_quality()

st.subheader("Tables")
st.dataframe(
    tables,
    hide_index=True,
    placeholder="—",
    width="stretch",
    column_config={
        "table_name": "Table",
        "row_count": st.column_config.NumberColumn("Rows", format="localized"),
        "time_column": "Time column",
        "first_at": st.column_config.DatetimeColumn("First (UTC)", format="YYYY-MM-DD HH:mm"),
        "last_at": st.column_config.DatetimeColumn("Last (UTC)", format="YYYY-MM-DD HH:mm"),
        "days_covered": st.column_config.NumberColumn("Days covered", format="localized"),
    },
)
download_csv(tables, "data_tables", "Tables (CSV)")

st.subheader("Volume per day and collection gaps")
if has_rows(daily):
    gaps = daily[daily["is_gap"]]
    st.plotly_chart(
        safe_figure(ops_charts.volume_gaps(daily, incidents, filters.incident_id, filters.tz)), width="stretch"
    )
    st.caption(
        "Coverage is judged on the whole database: the dense span is the run of well-filled days holding the most "
        "conversations (a stretch of up to 7 thin days inside it does not break it; rows outside it are stray); a "
        "collection gap is a day inside it with under 10% of its expected volume (the median day within a week "
        "either side): data went missing, so it is shaded on every time chart and left out of every baseline. "
        f"{len(gaps):,} gap day(s) of {len(daily):,} in this range."
    )
    if not gaps.empty:
        st.warning("Gap days: " + ", ".join(f"{day:%Y-%m-%d}" for day in gaps["started_date"]))
    download_csv(daily, "volume_arrivals_daily", "Volume per day (CSV)")
stray_rows(coverage, filters)

st.subheader("Data-quality checks")
st.dataframe(
    checks.drop(columns=["check_order"]),
    hide_index=True,
    placeholder="—",
    width="stretch",
    column_config={
        "check_name": st.column_config.TextColumn("Check", width="large"),
        "status": st.column_config.TextColumn("Status", help="warning: problems found; ok: none; info: for context."),
        "problem_count": st.column_config.NumberColumn("Found", format="localized"),
        "checked_count": st.column_config.NumberColumn("Out of", format="localized"),
        "problem_share": st.column_config.NumberColumn("Share", format="percent"),
        "explanation": st.column_config.TextColumn("Why it matters"),
    },
)
st.caption(
    "The data end is the newest message. What an importer noticed about its file (reply links that leave a twcs "
    "file, conversations started outside it, missing brand replies) is under Import notes below."
)
download_csv(checks, "quality_checks_list", "Checks (CSV)")

st.subheader("Import history")
if has_rows(imports, "No imports recorded."):
    st.dataframe(
        imports,
        hide_index=True,
        placeholder="—",
        width="stretch",
        column_config={
            "imported_at": st.column_config.DatetimeColumn("Imported (UTC)", format="YYYY-MM-DD HH:mm"),
            "rows_loaded": st.column_config.NumberColumn("Messages loaded", format="localized"),
            "rows_skipped": st.column_config.NumberColumn("Rows skipped", format="localized"),
            "skipped_reasons": st.column_config.JsonColumn("Skipped, by reason"),
            "analyzer": "Sentiment analyzer",
        },
    )
    download_csv(imports, "data_imports", "Import history (CSV)")

# Import notes: what each importer noticed about its file, kept with the import, and what it means for the numbers.
st.subheader("Import notes")
if has_rows(import_notes, "No import left notes."):
    st.dataframe(
        import_notes.drop(columns=["note_order"]),
        hide_index=True,
        width="stretch",
        column_config={
            "imported_at": st.column_config.DatetimeColumn("Imported (UTC)", format="YYYY-MM-DD HH:mm"),
            "file": "File",
            "kind": "Note",
            "count": st.column_config.NumberColumn("Count", format="localized"),
            "detail": st.column_config.TextColumn("What the importer found", width="large"),
            "meaning": st.column_config.TextColumn("What it means for the numbers", width="large"),
        },
    )
    download_csv(import_notes, "import_notes_list", "Import notes (CSV)")
st.caption(
    f"{int(outside['started_outside_count']):,} of {int(outside['conversation_count']):,} conversations in the "
    "database started outside their file: they have no start sentiment and are left out of negative-start shares "
    "and recovery."
)

st.subheader("Sentiment analyzer")
current = quality.product_analyzer()
st.markdown(f"New imports are scored with **{current}**.")
if has_rows(analyzers, "No import recorded which analyzer scored it."):
    st.dataframe(
        analyzers,
        hide_index=True,
        placeholder="—",
        width="stretch",
        column_config={
            "analyzer": st.column_config.TextColumn("Scored by (import log)", width="large"),
            "import_count": "Imports",
            "rows_loaded": st.column_config.NumberColumn("Messages", format="localized"),
            "first_imported_at": st.column_config.DatetimeColumn("First import", format="YYYY-MM-DD HH:mm"),
            "last_imported_at": st.column_config.DatetimeColumn("Last import", format="YYYY-MM-DD HH:mm"),
        },
    )
    download_csv(analyzers, "data_analyzers", "Analyzers used (CSV)")
    if set(analyzers["analyzer"]) - {current}:
        st.warning("Some data was scored by another analyzer: re-score it with `python -m dashboard rescore`.")
if report is None:
    st.info(
        "No measured quality yet: run `python -m dashboard.sentiment.evaluate` "
        "to write dashboard/sentiment/quality.json."
    )
else:
    scores = quality.sentiment_quality_table(report)
    st.dataframe(
        scores,
        hide_index=True,
        placeholder="—",
        width="stretch",
        column_config={
            "analyzer": st.column_config.TextColumn("Analyzer", width="large"),
            "is_product": st.column_config.CheckboxColumn("In use"),
            **{
                column: st.column_config.NumberColumn(column.replace("_", " ").capitalize(), format="%.2f")
                for column in scores.columns
                if column.endswith(("_precision", "_recall"))
            },
            "accuracy": st.column_config.NumberColumn("Accuracy", format="%.2f"),
            "macro_f1": st.column_config.NumberColumn("Macro-F1", format="%.2f"),
            "texts_per_second": st.column_config.NumberColumn(
                "Texts / CPU-s", format="localized", help="Texts scored per CPU-second by one process"
            ),
        },
    )
    st.caption(quality.quality_caption(report) + " Precision and recall per class (negative, neutral, positive).")
    download_csv(scores, "sentiment_quality", "Analyzer quality (CSV)")
