"""Screenshots of the built site for the README: `python docs/screenshots.py` after `archive build`.

Uses Debian's chromium through Playwright, like the browser tests.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {"home.png": "", "paper.png": "papers/flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness/"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> int:
    chromium = shutil.which("chromium")
    if not chromium or not (ROOT / "site").is_dir():
        print("needs Debian's chromium and a built site/ (archive build)", file=sys.stderr)
        return 1
    handler = functools.partial(QuietHandler, directory=str(ROOT / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        for name, path in SHOTS.items():
            page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
            page.screenshot(path=str(ROOT / "docs" / "images" / name))
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
