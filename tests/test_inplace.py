"""inplace.SiteUpdate: what an incremental build replaces in site/ can be put back exactly."""
from pathlib import Path

import pytest

from generator.inplace import SiteUpdate


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for relative, text in {"index.html": "home", "papers/a/index.html": "a", "papers/gone/index.html": "gone",
                           "search/terms/0.pda": "bucket0", "sitemap.xml": "old map"}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text)
    return site


def test_undo_puts_back_every_file_and_folder_set_aside_or_replaced(tmp_path):
    site = make_site(tmp_path)
    before = tree(site)
    update = SiteUpdate(site, tmp_path / "undo")
    for relative in ("papers/a/index.html", "papers/gone/index.html", "papers/new/index.html", "sitemap.xml"):
        update.set_aside(relative)
    (site / "papers/a/index.html").write_text("a, rebuilt")
    (site / "papers/new").mkdir()
    (site / "papers/new/index.html").write_text("new")
    update.set_aside("papers/a/index.html")  # twice: the original set aside first is kept
    new_buckets = tmp_path / "new-buckets"
    new_buckets.mkdir()
    (new_buckets / "1.pda").write_text("bucket0, rebuilt")
    update.replace("search/terms", new_buckets)
    assert tree(site)["search/terms/1.pda"] == "bucket0, rebuilt"
    (site / "sitemap-2.xml.gz").write_text("a sitemap file the archive had not needed before")
    update.track("sitemap-2.xml.gz")

    update.undo()

    assert tree(site) == before
    assert not (site / "papers" / "new").exists()  # the folder made for a new page goes too
    assert not (tmp_path / "undo").exists()


def test_done_keeps_the_changes_and_drops_emptied_page_folders(tmp_path):
    site = make_site(tmp_path)
    for relative in ("tags/x/index.html", "tags/x/page/2/index.html"):  # a tag removed, with its pages
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(relative)
    update = SiteUpdate(site, tmp_path / "undo")
    update.set_aside("papers/a/index.html")
    update.set_aside("papers/gone/index.html")  # a removed page: nothing is written in its place
    update.set_aside("tags/x/page/2/index.html")
    update.set_aside("tags/x/index.html")
    (site / "papers/a/index.html").write_text("a, rebuilt")

    update.done()

    assert tree(site) == {"index.html": "home", "search/terms/0.pda": "bucket0",
                          "papers/a/index.html": "a, rebuilt", "sitemap.xml": "old map"}
    assert not (site / "papers/gone").exists() and not (tmp_path / "undo").exists()
    assert not (site / "tags").exists()


def test_a_file_that_could_not_be_set_aside_is_never_removed_by_undo(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    update = SiteUpdate(site, tmp_path / "undo")
    update.set_aside("papers/a/index.html")

    def cross_device(source, target):
        raise OSError(18, "Invalid cross-device link")
    with monkeypatch.context() as patched:
        patched.setattr("generator.inplace.os.rename", cross_device)
        with pytest.raises(OSError):
            update.set_aside("sitemap.xml")
    update.undo()

    assert tree(site)["sitemap.xml"] == "old map" and tree(site)["papers/a/index.html"] == "a"
