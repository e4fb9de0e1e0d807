"""Churn risk: how many customers will this incident cost us, and whom do we call first?"""

import pandas as pd
import streamlit as st

from dashboard.app.data import churn_model, query
from dashboard.app.drilldown import link_params
from dashboard.app.frame import download_csv, has_rows, page_frame
from dashboard.charts import churn as churn_charts
from dashboard.charts import insights as insight_charts
from dashboard.churn import features as cf
from dashboard.churn import metrics as churn_metrics
from dashboard.churn import scoring as churn_scoring
from dashboard.core.safe_text import md, safe_figure
from dashboard.metrics import recovery

filters = page_frame(
    "Churn risk", "Who is likely to leave within 90 days of contacting care, why, and what the incident added."
)
model = churn_model()
window = cf.data_window(query("churn_data_window"))
features_now = cf.prepare(query("churn_features_customer", scored_at=window.data_end_at.to_pydatetime()))
scope = query("churn_contacts_customer", **filters.params())
is_probability = not model.is_heuristic

if model.is_heuristic:
    st.warning(
        f"No churn model: {model.metadata['reason']}. The risk below is a transparent heuristic, not a probability, "
        f"and its accuracy is unmeasured: {cf.HEURISTIC_FORMULA}."
    )
else:
    meta = model.metadata
    st.caption(
        f"{meta['chosen_name']}, version {meta['model_version']}, "
        f"trained {pd.Timestamp(meta['trained_at']):%d %b %Y %H:%M} UTC on conversations "
        f"{pd.Timestamp(meta['data_window'][0]):%d %b} – {pd.Timestamp(meta['data_window'][1]):%d %b %Y}; "
        f"{meta['source']}. Risk is scored now ({window.data_end_at:%d %b %Y %H:%M} UTC) for customers with a "
        "contact in the 90 days before."
    )

st.subheader("What the incident added")
if not filters.incident_id:
    st.info("Choose an incident in the sidebar to estimate the churn it added.")
elif model.is_heuristic:
    st.info("Expected churn needs probabilities; with the heuristic score there is no estimate to show.")
else:
    incident = query("incidents_list").set_index("incident_id").loc[filters.incident_id]
    after_at = min(pd.Timestamp(incident["ended_at"]) + pd.Timedelta(days=1), window.data_end_at)
    effect = churn_scoring.incident_effect(
        model,
        cf.prepare(query("churn_features_customer", scored_at=pd.Timestamp(incident["started_at"]).to_pydatetime())),
        cf.prepare(query("churn_features_customer", scored_at=after_at.to_pydatetime())),
        scope.loc[scope["is_incident_customer"], "customer_id"],
    )
    definition = (
        f"Scored just before the incident ({pd.Timestamp(incident['started_at']):%d %b %H:%M}) and a day after it "
        f"ended ({after_at:%d %b %H:%M}). Added = sum over incident customers of (probability after − probability "
        f"before); revenue weights each by the customer's monthly value. {effect['without_history']:,} customers had "
        "no contact in the 90 days before and start from the measured churn rate of such customers "
        f"({model.metadata['no_contact_rate']:.1%}). Includes what any contact adds, not only the incident's harm."
    )
    tiles = st.columns(4)
    tiles[0].metric("Incident customers", f"{effect['customers']:,}", help="Customers with a conversation in the "
                    "selected incident (within the filters) who had not churned before it.")  # fmt: skip
    tiles[1].metric("Expected to churn (90 days)", f"{effect['expected_churned']:,.0f}",
                    help="Sum of their churn probabilities a day after the incident. " + definition)  # fmt: skip
    tiles[2].metric("Churn added (customers)", f"{effect['added_churned']:+,.1f}", help=definition)
    tiles[3].metric("Monthly revenue at risk added", f"{effect['added_revenue']:+,.0f}", help=definition)

groups = churn_scoring.risk_by_group(model, features_now, scope)
if has_rows(groups, "No customer in these filters had a contact in the 90 days before the data end."):
    st.plotly_chart(safe_figure(churn_charts.risk_distribution(groups, is_probability)), width="stretch")

st.subheader("Whom to call first")
only_incident = st.toggle("Only customers who contacted during the selected incident", value=bool(filters.incident_id))
chosen = scope[scope["is_incident_customer"]] if only_incident else scope
table = churn_scoring.risk_table(model, features_now, chosen, top=200)
if has_rows(table, "No customer to rank in these filters."):
    st.caption(f"Reasons: {churn_scoring.reason_method(model)}")
    links = link_params(filters)
    for row in table.head(10).itertuples():
        left, middle, right = st.columns([2, 6, 2], vertical_alignment="center")
        risk_text = f"{row.risk:.0%}" if is_probability else f"{row.risk:.0f} pts"
        value = "" if pd.isna(row.monthly_value) else f", {row.monthly_value:,.0f}/month"
        left.markdown(f"**{md(row.customer_id)}** · {risk_text}  \n{md(row.plan)} plan{value}")
        middle.markdown(md(row.reasons) or "no single feature stands out")
        right.page_link("pages/conversations.py", label="Last conversation", icon=":material/forum:",
                        query_params={**links, "conversation": row.last_conversation_id})  # fmt: skip
    with st.expander(f"All {len(table):,} ranked customers"):
        st.dataframe(table, hide_index=True, placeholder="—", column_config={
            "risk": st.column_config.NumberColumn("risk", format="percent" if is_probability else "%.0f")})  # fmt: skip
    download_csv(table, "churn_risk_customers", "Download for the retention team (CSV)")

st.subheader("Churn after contact in the data")
rates = query("churn_after_contact_rates", **filters.params())
if not window.has_outcomes:
    st.info("The data holds no churn dates (customers.churned_at is empty), so churn after contact cannot be measured.")
elif has_rows(rates):
    st.plotly_chart(safe_figure(churn_charts.after_contact(rates)), width="stretch")
    st.caption(
        "Churned after contact: churned within 90 days after the conversation started. Conversations in the last 90 "
        "days have not had their full window yet, so a group seen for less of its window reads low: compare groups "
        "with similar coverage (the share of the 90 days the data already shows, above each bar)."
    )

st.subheader("Evidence: how good is the model?")
if model.is_heuristic:
    st.info("Nothing was measured: without churn outcomes there is no test set, so no model metrics are shown.")
else:
    metrics = model.metadata["metrics"]
    st.dataframe(churn_metrics.metrics_table(metrics), hide_index=True, placeholder="—")
    left, right = st.columns(2)
    left.plotly_chart(safe_figure(churn_charts.calibration(metrics)), width="stretch")
    right.plotly_chart(safe_figure(churn_charts.lift(metrics)), width="stretch")
    with st.expander("Model card", expanded=False):
        st.markdown(churn_metrics.model_card(model.metadata))

st.subheader("Care exposure: churn after incident contacts (fully observed windows)")
exposure = recovery.churn_exposure(query("churn_exposure_group", **filters.params()))
if not window.has_outcomes:
    st.info("The data holds no churn dates, so churn after incident contacts cannot be measured.")
else:
    for column, horizon in zip(st.columns(2), recovery.CHURN_HORIZONS, strict=True):
        column.plotly_chart(safe_figure(insight_charts.churn_exposure_chart(exposure, horizon)), width="stretch")
    st.caption(insight_charts.churn_exposure_note(exposure))
    download_csv(exposure, "churn_exposure", "Churn exposure with intervals (CSV)")
