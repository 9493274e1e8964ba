"""Shared fixtures: a throwaway copy of the project, the built seed site, a local server, Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from generator.config import Project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


def copy_project(destination: Path, source: Path = ROOT) -> Project:
    """The project's sources (config, content, theme overrides) in a folder of their own."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(source / "content", destination / "content")
    shutil.copytree(source / "overrides", destination / "overrides")
    return Project(destination)


def project_of_digests(destination: Path, digests: dict[str, tuple[str, str]]) -> Project:
    """A copy of the project whose only content is `digests` (file name -> (ISO date, text))."""
    project = copy_project(destination)
    for path in project.digests.iterdir():
        path.unlink()
    shutil.rmtree(project.corrections)  # they name seed papers, which are gone
    for name, (date, text) in digests.items():
        (project.digests / name).write_text(text, encoding="utf-8")
    project.dates_file.write_text("".join(f"{name}: {date}\n" for name, (date, _) in digests.items()),
                                  encoding="utf-8")
    return project


@pytest.fixture(scope="session", autouse=True)
def tagger_cache(tmp_path_factory):
    """Trained taggers are kept in the user's cache (incremental.trained): the suite has one of its own,
    shared by every build of a copy of the project, as a user's checkouts share theirs."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Project:
    """The seed archive, built once with the real `mkdocs build`."""
    from generator.site import build
    built = copy_project(tmp_path_factory.mktemp("seed") / "project")
    build(built)
    return built


class SiteServer:
    def __init__(self, folder: Path):
        self.folder = folder
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def seed_server(seed_site):
    server = SiteServer(seed_site.site_dir)
    yield server
    server.close()


def chromium_path() -> str:
    """Debian's chromium; a missing browser skips the test, but fails it under CI=true."""
    path = shutil.which("chromium")
    if path:
        return path
    message = "Debian's chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + ": CI must run the browser tests")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that records JavaScript errors in `page.errors`."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("console", lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None)
    # A request cancelled by leaving the page (net::ERR_ABORTED) is no error of the site.
    opened.on("requestfailed", lambda request: opened.errors.append(f"request failed: {request.url}")
              if "ERR_ABORTED" not in (request.failure or "") else None)
    yield opened
    context.close()
