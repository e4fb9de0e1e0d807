"""twcs read as a care lead would: agent signatures become per-agent ids, conversations started outside the file have
no start, and what the importer noticed about the file is stored with the import and shown on the Data page."""

from __future__ import annotations

import shutil
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.db import database, schema, sql
from dashboard.metrics import staffing
from dashboard.report.build import all_values_params

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "twcs_care_lead.csv"
TIMEOUT = 120
# Every brand tweet in the fixture and the agent id its signature gives (None: unsigned).
SIGNED = {
    "101": "SkyAir/JK",  # "^JK"
    "103": "SkyAir/Jane",  # "^Jane 2/2": part counter after the signature
    "201": "SkyAir/Becky",  # "^ Becky https://...": space after the mark, link after the signature
    "301": None,  # FruitCare never signs; "Wi-Fi" and "by DM" are not signatures
    "303": None,  # "w/our team" is no signature
    "311": None,
    "501": "NetCo/MT",  # "-MT"
    "511": "NetCo/Jane",  # "- Jane"
    "513": "NetCo/JV",  # "--JV"
    "515": "NetCo/Sha",  # "Thanks-Sha"
    "601": "TuneCo/CB",  # "/CB"
    "603": "TuneCo/MT",  # "/MT https://..."
    "701": "FlyCo/JS",  # "*JS" after two spaces
    "703": "FlyCo/KellenF",  # "*KellenF" on its own line
    "801": "ShopCo/AB",  # "~AB"
    "803": "ShopCo/KB",  # "... Let us know. KB": bare initials closing a sentence
}


def rows(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def import_file(db: Path, path: Path) -> str:
    out = StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(db), "import", "twcs", str(path)]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def care_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture imported once; returns the database and the printed summary."""
    db = tmp_path_factory.mktemp("care_lead") / "twcs.duckdb"
    return db, import_file(db, FIXTURE)


def test_each_signature_form_becomes_a_brand_agent_id(care_db):
    db, _ = care_db
    found = dict(rows(db, "select message_id, author_id from messages where author_type = 'agent'"))
    assert found == SIGNED


def test_customers_keep_their_own_ids_and_first_repliers_are_agents(care_db):
    db, _ = care_db
    assert rows(db, "select author_id from messages where message_id = '100'") == [("c1",)]
    agents = dict(rows(db, "select conversation_id, agent_id from conversations where first_response_at is not null"))
    assert agents == {"100": "SkyAir/JK", "200": "SkyAir/Becky", "300": None, "310": None, "500": "NetCo/MT",
                      "510": "NetCo/Jane", "600": "TuneCo/CB", "700": "FlyCo/JS", "800": "ShopCo/AB"}  # fmt: skip


def test_a_brand_that_never_signs_has_no_agent_ids_and_the_staffing_says_so(care_db):
    db, _ = care_db
    con = database.connect(db, read_only=True)
    params = {**all_values_params(con), "tz": "UTC"}
    unsigned = sql.run_query(con, "workload_agent_ids_coverage", **{**params, "accounts": ["FruitCare"]}).iloc[0]
    signed = sql.run_query(con, "workload_agent_ids_coverage", **{**params, "accounts": ["NetCo", "SkyAir"]}).iloc[0]
    workload = sql.run_query(con, "workload_load_hourly", **{**params, "accounts": ["FruitCare"]})
    con.close()
    assert (unsigned["answered_count"], unsigned["identified_answer_count"], unsigned["agent_count"]) == (2, 0, 0)
    assert not staffing.has_agent_ids(unsigned)
    assert "no per-agent ids: agents who answered is not known" in staffing.agent_ids_text(unsigned)
    assert workload["answering_agent_count"].sum() == 0 and workload["answered_count"].sum() == 2
    plan = staffing.staffing_plan(workload, 10.0, 120, 0.8, agents_known=False)
    assert not set(staffing.PER_AGENT_COLUMNS) & set(plan.columns)
    assert plan["agents_needed"].max() >= 1
    # SkyAir: conversations 100 and 200 answered by JK and Becky; NetCo: 500 by MT, 510 by Jane (400 unanswered).
    assert (signed["answered_count"], signed["identified_answer_count"], signed["agent_count"]) == (4, 4, 4)
    assert "4 distinct agents named in 4 of 4 first replies" in staffing.agent_ids_text(signed)


def test_a_conversation_started_outside_the_file_has_no_start(care_db):
    db, _ = care_db
    flagged = rows(db, "select conversation_id from conversations where started_outside_file")
    assert flagged == [("200",)]  # root tweet 200 answers tweet 199, which the file does not hold
    # Its first tweet reads negative, but it is no start: no start sentiment, not in negative-start shares or recovery.
    assert rows(db, "select sentiment_label from messages where message_id = '200'") == [("negative",)]
    facts = rows(
        db,
        "select start_sentiment_label, is_negative_start, has_start_sentiment, is_recovered, is_answered "
        "from conversation_facts where conversation_id = '200'",
    )
    assert facts == [(None, None, False, None, True)]
    con = database.connect(db, read_only=True)
    kpi = sql.run_query(con, "kpi_incident_vs_normal", **all_values_params(con), incident_id="").iloc[0]
    known = con.execute("select count(*) filter (where has_start_sentiment) from conversation_facts").fetchone()[0]
    negative = con.execute("select count(*) filter (where is_negative_start) from conversation_facts").fetchone()[0]
    con.close()
    assert (kpi["conversation_count"], known) == (11, 10)
    assert kpi["negative_start_share"] == pytest.approx(negative / known)


def test_import_notes_are_printed_and_stored_with_the_import(care_db):
    db, summary = care_db
    notes = {kind: (count, detail) for kind, count, detail in rows(db, "select kind, count, detail from import_notes")}
    assert {kind: count for kind, (count, _) in notes.items()} == {
        "reply_links_outside": 2,  # in_response_to 199 and response 401 are not in the file
        "started_outside_file": 1,
        "no_brand_reply": 2,  # 400 (its reply 401 is outside the file) and 900 (GhostBrand never tweets)
        "brand_outbound_absent": 1,
        "agent_signatures": 13,
        "unsigned_brands": 1,
    }
    assert notes["no_brand_reply"][1] == (
        "2 of 11 (18%) conversations have no brand tweet in the file; "
        "1 of them have a reply that the file does not hold"
    )
    assert notes["agent_signatures"][1] == (
        "13 of 16 (81%) brand tweets are signed by an agent: 13 agents at 5 of 6 brands"
    )
    assert "(FruitCare)" in notes["unsigned_brands"][1]
    assert all(detail in summary for _, detail in notes.values())
    imported = rows(db, "select distinct n.imported_at = l.imported_at from import_notes as n, import_log as l")
    assert imported == [(True,)]


def test_the_data_page_shows_each_note_with_what_it_means(care_db, monkeypatch):
    db, _ = care_db
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert "Import notes" in [header.value for header in at.subheader]
    shown = next(frame.value for frame in at.dataframe if "meaning" in frame.value.columns)
    assert set(shown["kind"]) == {"reply_links_outside", "started_outside_file", "no_brand_reply",
                                  "brand_outbound_absent", "agent_signatures", "unsigned_brands"}  # fmt: skip
    meaning = dict(zip(shown["kind"], shown["meaning"], strict=True))
    assert "unanswered" in meaning["no_brand_reply"] and "start sentiment" in meaning["started_outside_file"]
    assert any(
        caption.value.startswith("1 of 11 conversations in the database started outside") for caption in at.caption
    )


def test_the_volume_page_hides_agents_who_answered_without_per_agent_ids(tmp_path, monkeypatch):
    # Only FruitCare's conversations: a brand that never signs, so no reply names an agent.
    lines = FIXTURE.read_text().splitlines()
    kept = [lines[0], *(line for line in lines[1:] if "FruitCare" in line or ",c3," in line or ",c4," in line)]
    path = tmp_path / "unsigned.csv"
    path.write_text("\n".join(kept) + "\n")
    db = tmp_path / "unsigned.duckdb"
    import_file(db, path)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/volume.py").run()
    assert not at.exception, at.exception
    infos = " ".join(info.value for info in at.info)
    assert "This data has no per-agent ids: agents who answered is not known." in infos
    peaks = at.dataframe[-1].proto.column_order if at.dataframe else []
    assert "agent_gap" not in peaks and "answering_agent_count" not in peaks and "agents_needed" in peaks


def test_a_version_2_database_gains_the_outside_flag_and_the_notes_table(demo_db, tmp_path):
    path = tmp_path / "v2.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("drop table conversation_facts")
        con.execute("alter table conversations drop column started_outside_file")
        con.execute("drop table import_notes")
        con.execute("create table conversation_facts as select * from conversations")
        con.execute("update schema_info set value = '2' where key = 'schema_version'")
    assert database.migrate(path).endswith(f"schema version 2 -> {schema.SCHEMA_VERSION}")
    con = database.connect(path, read_only=True)
    assert con.execute("select count(*) filter (where started_outside_file) from conversation_facts").fetchone() == (0,)
    assert con.execute("select count(*) from import_notes").fetchone() == (0,)
    assert sql.run_query(con, "kpi_incident_vs_normal", **all_values_params(con), incident_id="").shape[0] == 1
    con.close()
