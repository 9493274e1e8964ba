"""`archive serve`: the live preview serves the generated site, searchable, and follows content/ edits."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from generator import search, serve

BASE = "paper-digest-archive/"  # the path of site_url in mkdocs.yml, where MkDocs' dev server serves


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(condition, seconds: float = 90.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (found := condition()) is not None:
            return found
        time.sleep(0.5)
    pytest.fail(f"gave up after {seconds:g} s")


def start_preview(project) -> tuple[subprocess.Popen, str]:
    """The preview, up and answering; start_new_session puts it and its dev server in one group."""
    port = free_port()
    # A session of its own, so that stopping it stops the dev server it starts, as Ctrl-C stops both.
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--addr", f"127.0.0.1:{port}"],
                               cwd=project.root, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{BASE}"
    try:
        wait_for(lambda: fetch(url))
    except BaseException:
        stop(process)
        raise
    return process, url


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)


@pytest.fixture
def preview(project):
    process, url = start_preview(project)
    yield project, url
    stop(process)


def test_the_preview_is_searchable_and_follows_edits(page, preview):
    project, url = preview
    assert fetch(url + "search-index/index.pda") is not None
    page.goto(url)
    page.locator(".md-search__input").click()
    page.keyboard.type("FlashAttention")
    results = page.locator(".pda-search .md-search-result__list[data-query=FlashAttention] h1")
    results.first.wait_for()
    assert "FlashAttention" in results.first.inner_text()

    about = project.content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added while previewing.\n", encoding="utf-8")
    wait_for(lambda: True if "added while previewing" in (fetch(url + "about/") or "") else None)


def test_stopping_the_preview_removes_its_search_index(project):
    process, _ = start_preview(project)
    try:
        assert (project.docs_dir / search.OUTPUT / "index.pda").is_file()
    finally:
        stop(process)
    assert not (project.docs_dir / search.OUTPUT).exists()


def test_stopped_by_sigterm_the_preview_stops_its_server_and_removes_its_index(project):
    process, url = start_preview(project)
    try:
        process.terminate()  # SIGTERM to the preview alone, as a service manager stops it
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            stop(process)
    assert not (project.docs_dir / search.OUTPUT).exists()
    wait_for(lambda: True if fetch(url) is None else None, seconds=15)  # its dev server is gone too


def test_the_index_stays_in_place_while_its_successor_is_written(project, monkeypatch):
    serve._preview(project)
    present = []
    write = search.write_index

    def watched(archive, folder, *args, **kwargs):
        present.append((project.docs_dir / search.OUTPUT / "index.pda").is_file())
        return write(archive, folder, *args, **kwargs)

    monkeypatch.setattr(search, "write_index", watched)
    serve._regenerate(project)
    assert present == [True] and (project.docs_dir / search.OUTPUT / "index.pda").is_file()
