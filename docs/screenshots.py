"""Re-take the README screenshots: start the app, then `python docs/screenshots.py http://localhost:8501 docs`.

Needs Playwright (requirements-dev.txt) and Debian's Chromium at /usr/bin/chromium; saves overview.png,
sentiment.png and volume.png of the default view (the latest incident) once each page has finished running.
"""

import sys
import time

from playwright.sync_api import sync_playwright

base, out = sys.argv[1], sys.argv[2]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
shots = {"overview": ("", 1850), "sentiment": ("sentiment", 2850), "volume": ("volume", 2900)}
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for name, (slug, height) in shots.items():
        pg = b.new_page(viewport={"width": 1600, "height": height})
        pg.goto(f"{base}/{slug}")
        pg.wait_for_selector(".js-plotly-plot", timeout=90000)
        quiet = 0
        while quiet < 8:
            time.sleep(0.5)
            quiet = quiet + 1 if pg.locator('[data-testid="stStatusWidget"]').count() == 0 else 0
        time.sleep(3)
        pg.screenshot(path=f"{out}/{name}.png")
        print(name, pg.locator('[data-testid="stException"]').count())
        pg.close()
    b.close()
