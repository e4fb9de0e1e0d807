"""DuckDB query files as Spark SQL: one definition, two engines.

A query is parsed with sqlglot as DuckDB, its table macros (queries/macros/*.sql) are expanded in place into subqueries
with the caller's arguments, a few DuckDB constructs that sqlglot does not carry over faithfully are rewritten once in
the syntax tree (below, one function each), and the tree is written as Spark SQL. $name parameters become Spark's
:name markers, bound by engine.py; no value is ever formatted into the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from dashboard.db import sql

MACROS_DIR = sql.QUERIES_DIR / "macros"
MACRO = re.compile(r"create\s+or\s+replace\s+macro\s+(\w+)\s*\(([^)]*)\)\s+as\s+(table\s+)?", re.IGNORECASE)
# Seconds per unit, for time_bucket's bucket widths.
SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}
# DuckDB's to_days / to_hours / to_minutes as Spark's make_dt_interval(days, hours, minutes, seconds) position.
INTERVAL_POSITION = {exp.ToDays: 0, "to_hours": 1, "to_minutes": 2}


class Macro:
    """A DuckDB macro from queries/macros: its parameter names and its body (a query, or a scalar expression)."""

    def __init__(self, name: str, params: list[str], body: exp.Expr, is_table: bool):
        self.name, self.params, self.body, self.is_table = name, params, body, is_table

    def expand(self, args: list[exp.Expression]) -> exp.Expression:
        """The body with each parameter replaced by the caller's argument expression."""
        if len(args) != len(self.params):
            raise ValueError(f"macro {self.name} takes {len(self.params)} arguments, got {len(args)}")
        values = dict(zip(self.params, args, strict=True))

        def substitute(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Column) and not node.table and node.name in values:
                return values[node.name].copy()
            return node

        return self.body.copy().transform(substitute)


@cache
def macros() -> dict[str, Macro]:
    """Every macro in queries/macros/, by lowercase name."""
    found = {}
    for path in sorted(MACROS_DIR.glob("*.sql")):
        text = _strip_comments(path.read_text())
        match = MACRO.search(text)
        if not match:
            continue
        name, params, is_table = match.group(1).lower(), match.group(2), bool(match.group(3))
        names = [param.strip() for param in params.split(",") if param.strip()]
        body_text = text[match.end() :].strip().rstrip(";")
        body = sqlglot.parse_one(body_text if is_table else f"select {body_text}", read="duckdb")
        found[name] = Macro(name, names, body if is_table else body.expressions[0], is_table)
    return found


def expand_macros(tree: exp.Expr) -> exp.Expr:
    """Replace every macro call (table macros in FROM, scalar macros anywhere) by its body, until none is left."""
    known = macros()
    for _ in range(20):  # macros call macros; a handful of levels at most
        changed = False

        def replace(node: exp.Expression) -> exp.Expression:
            nonlocal changed
            if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
                macro = known.get(node.this.name.lower())
                if macro and macro.is_table:
                    changed = True
                    args = list(node.this.expressions)
                    alias = (node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))).copy()
                    body = exp.Subquery(this=macro.expand(args))
                    if any(column.table for arg in args for column in arg.find_all(exp.Column)):
                        return exp.Lateral(this=body, alias=alias)  # arguments read an earlier FROM item
                    body.set("alias", alias)
                    return body
            if isinstance(node, exp.Anonymous) and not isinstance(node.parent, exp.Table):
                macro = known.get(node.name.lower())
                if macro and not macro.is_table:
                    changed = True
                    return exp.Paren(this=macro.expand(list(node.expressions)))
            return node

        tree = tree.transform(replace)
        if not changed:
            return tree
    raise ValueError("macro expansion did not finish (a macro calling itself?)")


def spark_rewrites(tree: exp.Expr, schema: dict[str, tuple[str, ...]] | None = None) -> exp.Expr:
    """Rewrite the DuckDB constructs whose sqlglot translation differs from DuckDB's meaning on Spark."""
    for _ in range(10):  # a rewritten node's own arguments are rewritten on the next pass
        changed = False

        def rewrite(node: exp.Expression) -> exp.Expression:
            nonlocal changed
            new = _rewrite_node(node)
            changed = changed or new is not node
            return new

        tree = tree.transform(rewrite)
        if not changed:
            break
    if schema:
        _drop_shadowed_star_columns(tree, schema)
    return tree


def _drop_shadowed_star_columns(tree: exp.Expr, schema: dict[str, tuple[str, ...]]) -> None:
    """`select x as c, *` where * also holds c: DuckDB reads the named c, Spark finds c ambiguous: so * except c."""
    ctes = {cte.alias_or_name: cte.this for cte in tree.find_all(exp.CTE)}
    for select in tree.find_all(exp.Select):
        stars = [node for node in select.expressions if isinstance(node, exp.Star)]
        named = {node.alias_or_name for node in select.expressions if not isinstance(node, exp.Star)}
        if len(stars) != 1 or not named:
            continue
        columns = _star_columns(select, ctes, schema)
        shadowed = sorted(named & set(columns or ()))
        if shadowed:
            stars[0].set("except_", [exp.column(name) for name in shadowed])


def _star_columns(select: exp.Select, ctes: dict, schema: dict, depth: int = 0) -> list[str] | None:
    """The columns an unqualified * in `select` stands for, when its FROM is one table, CTE or subquery; else None."""
    source = select.args.get("from_") or select.args.get("from")
    if source is None or select.args.get("joins") or depth > 10:
        return None
    source = source.this
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
        if source.name in ctes:
            return _output_columns(ctes[source.name], ctes, schema, depth + 1)
        return list(schema.get(source.name, ())) or None
    if isinstance(source, exp.Subquery):
        return _output_columns(source.this, ctes, schema, depth + 1)
    return None


def _output_columns(query: exp.Expression, ctes: dict, schema: dict, depth: int) -> list[str] | None:
    while isinstance(query, (exp.Union, exp.Subquery)):
        query = query.this
    if not isinstance(query, exp.Select):
        return None
    names: list[str] = []
    for node in query.expressions:
        if isinstance(node, exp.Star):
            columns = _star_columns(query, ctes, schema, depth)
            if columns is None:
                return None
            names += [name for name in columns if name not in {e.name for e in node.args.get("except_") or []}]
        elif isinstance(node, exp.Column) and isinstance(node.this, exp.Star):
            return None
        else:
            names.append(node.alias_or_name)
    return names


def _rewrite_node(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous) and node.this.name.lower() == "query_table":
        return _query_table(node)
    if isinstance(node, exp.DayOfWeekIso):  # Monday 1 .. Sunday 7; Spark's weekday() is Monday 0
        return exp.Paren(this=exp.Add(this=_fn("weekday", node.this), expression=exp.Literal.number(1)))
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _ordered_list(node.this)
    if isinstance(node, exp.DateBin):
        return _time_bucket(node)
    if isinstance(node, exp.ToDays) or (isinstance(node, exp.Anonymous) and node.name.lower() in INTERVAL_POSITION):
        position = INTERVAL_POSITION[exp.ToDays if isinstance(node, exp.ToDays) else node.name.lower()]
        value = node.this if isinstance(node, exp.ToDays) else node.expressions[0]
        parts = [exp.Literal.number(0)] * 4
        parts[position] = value.copy()
        return _fn("make_dt_interval", *parts)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "timezone":
        return _timezone(node)
    if isinstance(node, exp.PercentileCont) and node.expression is not None:
        return _fn("percentile", node.this.copy(), node.expression.copy())
    if isinstance(node, exp.PercentileDisc) and node.expression is not None:  # quantile_disc(x, q)
        order = exp.Order(expressions=[exp.Ordered(this=node.this.copy())])
        return exp.WithinGroup(this=exp.PercentileDisc(this=node.expression.copy()), expression=order)
    if isinstance(node, exp.TimeToUnix):  # epoch(): seconds with their fraction, as DuckDB gives them
        micros = _fn("unix_micros", exp.cast(node.this.copy(), "timestamp"))
        return exp.Paren(this=exp.Div(this=micros, expression=exp.Literal.number(1_000_000)))
    if isinstance(node, exp.Cast) and node.to.is_type("json"):  # Spark reads JSON from strings
        return node.this
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Explode):  # Spark cannot nest a generator in a cast
        array_type = exp.DataType(this=exp.DataType.Type.ARRAY, expressions=[node.to.copy()], nested=True)
        return exp.Explode(this=exp.cast(node.this.this.copy(), array_type))
    if isinstance(node, exp.IntDiv):  # DuckDB's // floors doubles too; Spark's div takes integers only
        return _fn("floor", exp.Div(this=node.this.copy(), expression=node.expression.copy()))
    if isinstance(node, exp.Literal) and node.is_number and "." in node.name and isinstance(node.parent, exp.Div):
        # DuckDB divides decimals as doubles; Spark keeps a decimal quotient with 6 digits of scale
        return exp.cast(node.copy(), "double")
    if isinstance(node, exp.DateDiff) and node.args.get("date_part_boundary"):
        return _boundary_diff(node)
    if isinstance(node, exp.Log) and node.expression is not None and node.this.name == "10":
        # Spark's log(10, x) is ln(x)/ln(10), an ulp off at powers of ten (bin edges); log10 is exact there
        return _fn("log10", node.expression.copy())
    if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
        node.set("materialized", None)
    return node


def _fn(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _ordered_list(order: exp.Order) -> exp.Expression:
    """list(x order by k): collect (k, x) pairs, sort them by k, keep x. list(distinct x order by x): a sorted set."""
    value, keys = order.this, [ordered.this for ordered in order.expressions]
    if isinstance(value, exp.Distinct):
        return _fn("array_sort", _fn("collect_set", value.expressions[0].copy()))
    pairs = _fn("named_struct", exp.Literal.string("k"), keys[0].copy(), exp.Literal.string("v"), value.copy())
    sorted_pairs = _fn("array_sort", _fn("collect_list", pairs))
    lambda_ = exp.Lambda(this=exp.column("v", table="s"), expressions=[exp.to_identifier("s")])
    return _fn("transform", sorted_pairs, lambda_)


def _boundary_diff(node: exp.DateDiff) -> exp.Expression:
    """date_diff(unit, a, b) counts unit boundaries crossed (DuckDB); Spark counts whole units: so truncate both."""
    unit = node.args["unit"]
    return exp.DateDiff(
        this=exp.TimestampTrunc(this=node.this.copy(), unit=unit.copy()),
        expression=exp.TimestampTrunc(this=node.expression.copy(), unit=unit.copy()),
        unit=unit.copy(),
    )


def _time_bucket(node: exp.DateBin) -> exp.Expression:
    """time_bucket(interval n unit, ts): ts floored to a multiple of n units since the epoch (sessions run in UTC)."""
    interval = node.this
    width = int(interval.this.name) * SECONDS[interval.unit.name.upper()]
    seconds = _fn("unix_seconds", exp.cast(node.expression.copy(), "timestamp"))
    floored = exp.Mul(
        this=_fn("floor", exp.Div(this=seconds, expression=exp.Literal.number(width))),
        expression=exp.Literal.number(width),
    )
    return exp.cast(_fn("timestamp_seconds", floored), "timestamp_ntz")


def _timezone(node: exp.Anonymous) -> exp.Expression:
    """timezone(tz, ts at time zone 'UTC'): the naive UTC time ts as naive local time in tz."""
    zone, value = node.expressions
    if isinstance(value, exp.AtTimeZone) and value.args["zone"].name.upper() == "UTC":
        value = value.this
    return exp.cast(_fn("from_utc_timestamp", value.copy(), zone.copy()), "timestamp_ntz")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def to_spark(text: str, schema: dict[str, tuple[str, ...]] | None = None) -> str:
    """A DuckDB query text (macros allowed) as one Spark SQL query; schema (table -> columns) resolves `*`.

    A `create ... as <query>` text (queries/derived) gives its query: the caller decides where the rows go.
    """
    tree = sqlglot.parse_one(_strip_comments(text), read="duckdb")
    if isinstance(tree, exp.Create) and isinstance(tree.expression, exp.Query):
        tree = tree.expression
    return spark_rewrites(expand_macros(tree), schema).sql(dialect="spark")


def update_as_select(text: str, columns: Sequence[str]) -> str:
    """A DuckDB `update T as t set c = e from S as s where w` as a Spark query giving T's rows after the update.

    Spark cannot update Parquet in place, so the statement becomes `select` of T's `columns` (those set replaced by
    `case when <row matched> then e else t.c end`) from T left-joined to S on w: each row of T once, changed where
    DuckDB's UPDATE would change it. S must match a row of T at most once (as in DuckDB, where more is undefined).
    """
    tree = expand_macros(sqlglot.parse_one(_strip_comments(text), read="duckdb"))
    if not isinstance(tree, exp.Update):
        raise ValueError("update_as_select takes an UPDATE statement")
    target, source = tree.this, (tree.args.get("from_") or tree.args.get("from"))
    if source is None or tree.args.get("where") is None:
        raise ValueError("update_as_select needs `update ... set ... from ... where ...`")
    target_alias = target.alias_or_name
    source_alias = source.this.alias_or_name
    matched = exp.to_identifier("update_matched")
    marked = (
        exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier(source_alias)), exp.alias_(exp.true(), matched))
        .from_(source.this.copy())
        .subquery(source_alias)
    )
    assignments = {eq.this.name: eq.expression for eq in tree.expressions}
    unknown = set(assignments) - set(columns)
    if unknown:
        raise ValueError(f"update sets columns the table does not have: {sorted(unknown)}")
    selected = []
    for column in columns:
        old = exp.column(column, table=target_alias)
        if column in assignments:
            hit = exp.column(matched, table=source_alias)
            new = exp.Case(ifs=[exp.If(this=hit, true=assignments[column].copy())], default=old)
            selected.append(exp.alias_(new, column))
        else:
            selected.append(old)
    query = exp.select(*selected).from_(target.copy()).join(marked, on=tree.args["where"].this.copy(), join_type="left")
    return spark_rewrites(query).sql(dialect="spark")


@cache
def spark_query_text(name: str, schema: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> str:
    """queries/<name>.sql as Spark SQL (transpiled once per process and schema)."""
    return to_spark(sql.query_text(name), dict(schema))


def spark_file_text(path: Path, schema: dict[str, tuple[str, ...]] | None = None) -> str:
    """Any DuckDB query file (for example queries/derived/*.sql) as Spark SQL."""
    return to_spark(path.read_text(), schema)


def _query_table(node: exp.Table) -> exp.Expression:
    """DuckDB's query_table('name') (how a macro reads the table it is given) is that table, under the same alias."""
    (name,) = node.this.expressions
    if not isinstance(name, exp.Literal) or not name.is_string:
        raise ValueError(f"query_table needs a literal table name on Spark, got {name.sql()}")
    table = exp.to_table(name.name)
    if node.args.get("alias"):
        table.set("alias", node.args["alias"].copy())
    return table
