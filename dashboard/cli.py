"""The command line: `python -m dashboard --help` lists the commands (README: Command line).

Each command is a small function that parses nothing itself: argparse does that, and the work lives in the package
modules, imported inside the command so `--help` stays fast. User mistakes raise UserError and end as one line on
stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.core.errors import UserError
from dashboard.core.paths import database_path


def cmd_demo(args: argparse.Namespace) -> None:
    from dashboard.demo.build import build_demo

    path = database_path(args.db)
    stats = build_demo(path, conversations=args.conversations, seed=args.seed, progress=True)
    print(
        f"demo database {path}: {stats['conversations']:,} conversations, {stats['messages']:,} messages, "
        f"{stats['incidents']} incidents in {stats['seconds']:.1f} s"
    )


def cmd_import(args: argparse.Namespace) -> None:
    from dashboard.ingest import import_files
    from dashboard.ingest.settings import settings_from

    settings = settings_from(args.earliest, args.latest, args.max_incident_days, args.skip_invalid)
    result = import_files(
        database_path(args.db), args.format, Path(args.file), args.customers, args.incidents, settings
    )
    print(result.summary())


def cmd_report(args: argparse.Namespace) -> None:
    from dashboard.core import timezones
    from dashboard.report.build import report_file

    if timezones.valid(args.tz) != args.tz:
        raise UserError(f"unknown time zone {args.tz!r}: use an IANA name such as Europe/Zurich or UTC")
    text = report_file(database_path(args.db), args.incident, as_html=args.format == "html", tz=args.tz)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(text)


def cmd_sentiment(args: argparse.Namespace) -> None:
    from dashboard.sentiment.score_file import score_csv

    count = score_csv(Path(args.input), args.text_column, Path(args.out))
    print(f"scored {count:,} rows into {args.out}")


def cmd_bench(args: argparse.Namespace) -> None:
    if args.sessions:
        from dashboard.app.load_bench import run_load_bench

        run_load_bench(args.url, args.sessions, args.timeout, args.server_pid, args.client)
        return
    from dashboard.app.bench import run_bench
    from dashboard.core import timezones

    if timezones.valid(args.tz) != args.tz:
        raise UserError(f"unknown time zone {args.tz!r}: use an IANA name such as Europe/Zurich or UTC")
    run_bench(database_path(args.db), conversations=args.conversations, repeat=args.repeat, tz=args.tz)


def cmd_migrate(args: argparse.Namespace) -> None:
    from dashboard.db.database import migrate

    print(migrate(database_path(args.db)))


def cmd_churn(args: argparse.Namespace) -> None:
    from dashboard.churn.scoring import run_command

    print(run_command(database_path(args.db), args.action, out=args.out, top=args.top))


def cmd_rescore(args: argparse.Namespace) -> None:
    from dashboard.ingest.rescore import rescore

    print(rescore(database_path(args.db), progress=True).summary())


def cmd_detect(args: argparse.Namespace) -> None:
    from dashboard.alerts.detect import (
        BUCKET_MINUTES,
        Settings,
        describe_evaluation,
        evaluate,
        run_detection,
        uplift_text,
    )
    from dashboard.db import database

    if args.evaluate:
        con = database.connect(database_path(args.db), read_only=True)
        try:
            for bucket in [args.bucket] if args.bucket else BUCKET_MINUTES:
                print(describe_evaluation(evaluate(con, Settings(bucket, args.sensitivity))))
        finally:
            con.close()
        return
    if args.benchmark:
        from dashboard.alerts.evaluate import benchmark

        benchmark(args.benchmark)
        return
    windows = run_detection(database_path(args.db), Settings(args.bucket or 15, args.sensitivity))
    for window in windows.itertuples():
        match = f"matches {window.matches}" if isinstance(window.matches, str) else "matches no recorded incident"
        uplift = uplift_text(window.volume_uplift)
        print(f"{window.incident_id}: {window.started_at} to {window.ended_at}, {uplift}, {match}")
    print(f"stored {len(windows)} detected incidents (previous detected incidents replaced)")


def cmd_alerts(args: argparse.Namespace) -> None:
    from dashboard.alerts.rules import check

    allow = True if args.allow_link_local else None  # None: $DASHBOARD_ALERT_ALLOW_LINK_LOCAL decides
    db = database_path(args.db)
    check(db, args.since, args.until, args.webhook, args.dry_run, args.rules, allow_link_local=allow)


def cmd_alerts_backtest(args: argparse.Namespace) -> None:
    from dashboard.alerts.backtest import run_command

    print(run_command(database_path(args.db), days=args.days, rules_path=args.rules))


def cmd_export(args: argparse.Namespace) -> None:
    from dashboard.db import database
    from dashboard.spark.lake import export_parquet

    con = database.connect(database_path(args.db), read_only=True)
    try:
        manifest = export_parquet(con, Path(args.dir))
    finally:
        con.close()
    counts = ", ".join(f"{name} {table['rows']:,}" for name, table in manifest["tables"].items())
    print(f"lake {args.dir}: {counts} rows in {manifest['seconds']:.1f} s")


def cmd_spark_build(args: argparse.Namespace) -> None:
    from dashboard.spark import build, engine

    result = build.build(engine.session(master=args.master), Path(args.lake), rescore=args.rescore)
    print(
        f"lake {args.lake}: {result['conversations']:,} conversations and {result['conversation_facts']:,} facts "
        f"built on Spark in {result['seconds']:.1f} s"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Incident analytics for social care.")
    parser.add_argument("--db", help="database path (default: $DASHBOARD_DB, else data/dashboard.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="build the demo database")
    demo.add_argument("--conversations", type=int, default=60_000, help="how many conversations (default 60,000)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.set_defaults(run=cmd_demo)

    load = commands.add_parser("import", help="import a care export or a twcs file")
    load.add_argument("format", choices=["care", "twcs"], help="file format (docs/import_formats.md)")
    load.add_argument("file", help="CSV (or Parquet, for care) file of messages")
    load.add_argument("--customers", help="companion customers file (care)")
    load.add_argument("--incidents", help="companion incidents file")
    load.add_argument("--skip-invalid", action="store_true", help="skip and count bad rows instead of stopping")
    load.add_argument("--earliest", help="first plausible date, YYYY-MM-DD (default 2000-01-01)")
    load.add_argument("--latest", help="last plausible date, YYYY-MM-DD (default: the day after the import)")
    load.add_argument("--max-incident-days", type=float, help="longest plausible incident in days (default 31)")
    load.set_defaults(run=cmd_import)

    report = commands.add_parser("report", help="incident-versus-normal report")
    report.add_argument("--incident", help="incident id (default: the latest incident)")
    report.add_argument("--format", choices=["json", "html"], default="json")
    report.add_argument("--out", help="write to this file instead of stdout")
    report.add_argument("--tz", default="UTC", help="time zone the HTML report shows times in (default UTC)")
    report.set_defaults(run=cmd_report)

    score = commands.add_parser("sentiment", help="score the texts of a CSV file with the product's analyzer")
    score.add_argument("--in", dest="input", required=True, help="input CSV")
    score.add_argument("--text-column", required=True, help="column holding the text")
    score.add_argument("--out", required=True, help="output CSV (input plus sentiment_score, sentiment_label)")
    score.set_defaults(run=cmd_sentiment)

    bench = commands.add_parser("bench", help="time every page's queries")
    bench.add_argument("--conversations", type=int, help="build a demo database of this size first (in a temp file)")
    bench.add_argument("--repeat", type=int, default=3, help="warm repetitions (default 3)")
    bench.add_argument("--tz", default="UTC", help="display time zone of the hourly and daily buckets (default UTC)")
    bench.add_argument("--sessions", type=int, help="instead: N concurrent browser sessions against --url (load)")
    bench.add_argument("--url", default="http://127.0.0.1:8501", help="running server for --sessions")
    bench.add_argument("--server-pid", type=int, help="with --sessions: report this server process's CPU seconds")
    bench.add_argument("--timeout", type=float, default=120.0, help="with --sessions: seconds before a page errors")
    bench.add_argument("--client", choices=("browser", "protocol"), default="browser",
                       help="with --sessions: Chromium, or Streamlit's websocket protocol (server alone)")  # fmt: skip
    bench.set_defaults(run=cmd_bench)

    detect = commands.add_parser("detect", help="find incident windows from the data (stored as source 'detected')")
    detect.add_argument("--sensitivity", type=float, default=1.0, help="higher finds smaller spikes (default 1)")
    detect.add_argument("--bucket", type=int, choices=[15, 60], help="bucket size in minutes (default 15)")
    detect.add_argument(
        "--evaluate", action="store_true", help="score detection against the recorded incidents; writes nothing"
    )
    detect.add_argument(
        "--benchmark",
        choices=["tune", "held-out", "fresh"],
        help="judge detection on freshly generated databases (two synthetic generators, demo seeds; twcs samples from "
        "$DASHBOARD_TWCS_SAMPLES); ignores --db",
    )
    detect.set_defaults(run=cmd_detect)

    alerts = commands.add_parser("alerts", help="alert rules on the newest data, posted to a webhook")
    alert_commands = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    check = alert_commands.add_parser("check", help="evaluate the rules and send each new alert once")
    check.add_argument("--since", help="check data from this time (ISO 8601, UTC; default: the newest 3 hours)")
    check.add_argument("--until", help="check data up to this time (default: the end of the data)")
    check.add_argument("--webhook", help="URL to post to (default: the rules file, else $DASHBOARD_ALERT_WEBHOOK)")
    check.add_argument("--dry-run", action="store_true", help="print what would be sent; send and remember nothing")
    check.add_argument("--rules", help="TOML rules file (default: dashboard/alerts/rules.toml)")
    check.add_argument("--allow-link-local", action="store_true",
                       help="allow a link-local or cloud metadata webhook address (refused by default)")  # fmt: skip
    check.set_defaults(run=cmd_alerts)
    backtest = alert_commands.add_parser("backtest", help="replay the rules hourly over past data, scored on incidents")
    backtest.add_argument("--days", type=float, default=30, help="replay the last N days of data (default 30)")
    backtest.add_argument("--rules", help="TOML rules file (default: dashboard/alerts/rules.toml)")
    backtest.set_defaults(run=cmd_alerts_backtest)

    migrate = commands.add_parser("migrate", help="bring an older database to the current schema")
    migrate.set_defaults(run=cmd_migrate)

    churn = commands.add_parser("churn", help="train, evaluate or apply the churn-risk model")
    churn.add_argument("action", choices=["train", "evaluate", "score"], help="train and save / re-measure / score now")
    churn.add_argument("--out", help="score: write every scored customer, with reasons, to this CSV")
    churn.add_argument("--top", type=int, default=20, help="score: how many customers to print (default 20)")
    churn.set_defaults(run=cmd_churn)

    rescore = commands.add_parser("rescore", help="re-score every message's sentiment with the current analyzer")
    rescore.set_defaults(run=cmd_rescore)

    export = commands.add_parser("export", help="write every table as Parquet (a lake for Spark) with a manifest")
    export.add_argument("format", choices=["parquet"], help="file format")
    export.add_argument("dir", help="lake folder (tables as <dir>/<table>/, plus manifest.json)")
    export.set_defaults(run=cmd_export)

    spark = commands.add_parser("spark", help="run the product's definitions on Apache Spark over a lake")
    spark_commands = spark.add_subparsers(dest="spark_command", required=True, metavar="ACTION")
    spark_build = spark_commands.add_parser("build", help="derive conversations and facts from the lake's messages")
    spark_build.add_argument("--lake", required=True, help="lake folder written by `export parquet`")
    spark_build.add_argument("--master", help="Spark master URL (default $SPARK_MASTER, else local[2])")
    spark_build.add_argument("--rescore", action="store_true", help="score every message's sentiment again")
    spark_build.set_defaults(run=cmd_spark_build)
    return parser


def use_configured_engine() -> None:
    """With DASHBOARD_ENGINE=spark, load the Spark engine so every query runs on Spark over DASHBOARD_LAKE."""
    if os.environ.get("DASHBOARD_ENGINE", "duckdb") == "spark":
        import dashboard.spark.engine  # noqa: F401  (registers itself with dashboard.db.sql)


def main(argv: list[str] | None = None) -> int:
    """Run one command; user mistakes print one line and return 2."""
    from dashboard.db.database import private_files

    args = build_parser().parse_args(argv)
    try:
        use_configured_engine()
        with private_files():  # the database, its WAL, models and exports hold customer data: owner-only
            args.run(args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0
