"""`python -m dashboard bench --sessions N --url URL`: N people opening pages at once against a running server.

One headless Chromium holds N browser contexts (separate cookies, so separate Streamlit sessions). A warm-up visit
fills the server's caches first; then every session opens each page at the same moment, and the time from navigation
until the page's main content has rendered (its title, its first KPI tile or chart, no exception, and Streamlit's
"running" indicator gone) is reported as p50 / p95 per page, with errors (exceptions, timeouts) counted. With
`--server-pid`, the server's CPU seconds (user + system, /proc) during the measured part are reported too, and the
browser's own CPU seconds always are, so a saturated browser can be told apart from a slow server.

Needs Playwright and a Chromium (default /usr/bin/chromium, or $CHROMIUM); no streamlit import here.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.app import pages as registry
from dashboard.core.errors import UserError

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip
# The pages timed: the executive entry page and the heaviest care page, by their titles in the page registry.
LOADED_PAGES = ("Overview", "SLA")
PAGES = {page.title: f"/{page.url_path}" for page in registry.PAGES if page.title in LOADED_PAGES}
# Rendered: the title, something drawn (KPI tile, chart or table), no exception box, and no "running" indicator.
RENDERED = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main || !main.querySelector('h1')) return false;
    if (document.querySelector('[data-testid="stException"]')) return 'error';
    const drawn = main.querySelector('[data-testid="stMetric"], .js-plotly-plot, [data-testid="stDataFrame"]');
    return Boolean(drawn) && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class PageResult:
    """One page's render times (seconds) across sessions, and how many sessions failed."""

    page: str
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        """The `share` quantile of the render times (nearest rank), nan when nothing rendered."""
        if not self.seconds:
            return float("nan")
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def cpu_seconds(pid: int, with_children: bool = True) -> float:
    """User + system CPU seconds of a process (and, optionally, its whole tree, exited children too), from /proc."""
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            own = int(fields[11]) + int(fields[12])  # utime, stime
            exited = int(fields[13]) + int(fields[14]) if with_children else 0  # of children already reaped
            total += (own + exited) / TICKS_PER_SECOND
            if with_children:
                for task in Path(f"/proc/{current}/task").iterdir():
                    children = (task / "children").read_text().split()
                    pids += [int(child) for child in children]
        except (OSError, IndexError, ValueError):
            continue
    return total


async def _visit(browser, url: str, timeout: float) -> tuple[float | None, str | None]:
    """Open `url` in a fresh context; seconds until rendered, or an error description."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    started = time.monotonic()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        deadline = started + timeout
        stable_since = None
        while time.monotonic() < deadline:
            state = await page.evaluate(RENDERED)
            if state == "error":
                return None, "exception shown"
            if state:
                stable_since = stable_since or time.monotonic()
                if time.monotonic() - stable_since >= 0.3:  # still rendered 0.3 s later: the run has finished
                    return stable_since - started, None
            else:
                stable_since = None
            await asyncio.sleep(0.1)
        return None, f"not rendered within {timeout:g} s"
    except Exception as error:  # a browser-side failure counts as an error, not a crash of the benchmark
        return None, type(error).__name__
    finally:
        await context.close()


async def _protocol_visit(url: str, page_name: str, timeout: float) -> tuple[float | None, str | None]:
    """One session over Streamlit's own websocket protocol (no browser): seconds until the script run finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.typing import Subprotocol

    started = time.monotonic()
    stream = url.replace("http", "ws", 1) + "/_stcore/stream"
    try:
        async with websockets.connect(stream, subprotocols=[Subprotocol("streamlit")], max_size=None) as socket:
            request = BackMsg()
            request.rerun_script.query_string, request.rerun_script.page_name = "", page_name
            await socket.send(request.SerializeToString())
            while True:
                message = ForwardMsg()
                message.ParseFromString(await asyncio.wait_for(socket.recv(), started + timeout - time.monotonic()))
                kind = message.WhichOneof("type")
                if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                    return None, "exception shown"
                if kind == "script_finished":
                    return time.monotonic() - started, None
    except TimeoutError:
        return None, f"not finished within {timeout:g} s"
    except Exception as error:  # a refused or dropped connection counts as an error
        return None, type(error).__name__


async def _measure(visit, sessions: int, server_pid: int | None) -> tuple[list[PageResult], dict]:
    """Warm each page once, then open every page in `sessions` concurrent sessions; results and CPU used."""
    for path in PAGES.values():  # warm the server's caches, as after the first visitor of the day
        await visit(path)
    before = (cpu_seconds(server_pid) if server_pid else 0.0, _browser_cpu_seconds())
    wall = time.monotonic()
    results = []
    for page, path in PAGES.items():
        result = PageResult(page)
        for seconds, error in await asyncio.gather(*(visit(path) for _ in range(sessions))):
            result.seconds.append(seconds) if error is None else result.errors.append(error)
        results.append(result)
    usage = {
        "wall_seconds": time.monotonic() - wall,
        "server_cpu_seconds": cpu_seconds(server_pid) - before[0] if server_pid else None,
        "client_cpu_seconds": _browser_cpu_seconds() - before[1],
    }
    return results, usage


async def _run(url: str, sessions: int, timeout: float, server_pid: int | None, client: str) -> tuple[list, dict]:
    """Run the measurement with Chromium (`browser`) or Streamlit's websocket protocol (`protocol`, server only)."""
    if client == "protocol":
        return await _measure(lambda path: _protocol_visit(url, path.strip("/"), timeout), sessions, server_pid)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            return await _measure(lambda path: _visit(browser, url + path, timeout), sessions, server_pid)
        finally:
            await browser.close()


def _browser_cpu_seconds() -> float:
    """CPU seconds of this process's descendants: the Playwright driver and the Chromium it launched."""
    return cpu_seconds(os.getpid()) - cpu_seconds(os.getpid(), with_children=False)


def run_load_bench(url: str, sessions: int, timeout: float = 120.0, server_pid: int | None = None,
                   client: str = "browser") -> list[PageResult]:  # fmt: skip
    """Open Overview and SLA in `sessions` concurrent sessions; print and return p50/p95 and errors."""
    if client == "browser" and not CHROMIUM.exists():
        raise UserError(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set $CHROMIUM")
    if sessions < 1:
        raise UserError("--sessions must be at least 1")
    results, usage = asyncio.run(_run(url.rstrip("/"), sessions, timeout, server_pid, client))
    done = "page rendered in Chromium" if client == "browser" else "script run finished (websocket, no browser)"
    print(f"{sessions} concurrent sessions against {url} (warm cache), time until {done}")
    for result in results:
        print(f"  {result.page:<9} p50 {result.percentile(0.5):6.2f} s  p95 {result.percentile(0.95):6.2f} s  "
              f"rendered {len(result.seconds)}/{sessions}  errors {len(result.errors)}"
              + (f" ({', '.join(sorted(set(result.errors)))})" if result.errors else ""))  # fmt: skip
    cpu = ", ".join(f"{k.replace('_', ' ')} {v:.1f}" for k, v in usage.items() if v is not None)
    print(f"  {cpu}")
    if results and all(r.seconds for r in results):
        print(f"  mean {statistics.mean(s for r in results for s in r.seconds):.2f} s")
    return results
