"""What every browser test shares: Debian's Chromium, a `streamlit run` server on a free loopback port, and waiting
for a page to finish running."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PROJECT = Path(__file__).resolve().parents[2]
NO_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
START_SECONDS = 60


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    database: Path, folder: Path, port: int | None = None, env: dict[str, str] | None = None, args: tuple = ()
) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on `database` (log in `folder`), yielding its base URL once healthy."""
    port = port or free_port()
    log = (folder / "streamlit.log").open("w")
    environment = {**(os.environ if env is None else env), "DASHBOARD_DB": str(database)}
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", *args]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"streamlit did not start within {START_SECONDS} s")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
