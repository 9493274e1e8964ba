"""writer.write_tree: the generated folder ends up holding exactly the wanted files, touching no others."""
import os

from generator.writer import WriteReport, write_tree


def test_write_tree_writes_keeps_and_removes_exactly(tmp_path):
    for relative, text in {"same.md": "same", "changed.md": "old", "papers/gone/index.md": "gone",
                           "papers/kept/index.md": "kept", "tags/x/page/2/index.md": "stale",
                           "tags/x/index.md": "stale tag"}.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    (tmp_path / "empty" / "nested").mkdir(parents=True)
    os.utime(tmp_path / "same.md", (1, 1))

    report = write_tree(tmp_path, {"same.md": "same", "changed.md": "new", "dates/2024/index.md": "new page"},
                        keep=frozenset({"papers/kept/index.md"}))

    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["changed.md", "dates/2024/index.md", "papers/kept/index.md", "same.md"]
    folders = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_dir())
    assert folders == ["dates", "dates/2024", "papers", "papers/kept"]
    assert (tmp_path / "changed.md").read_text() == "new"
    assert (tmp_path / "same.md").stat().st_mtime == 1  # unchanged text: the file is not touched
    assert report == WriteReport(written=2, unchanged=2, removed=3)
    assert report.changed == {"changed.md", "dates/2024/index.md", "papers/gone/index.md",
                              "tags/x/page/2/index.md", "tags/x/index.md"}


def test_write_tree_with_a_listing_removes_what_it_lists_without_walking(tmp_path):
    for relative in ("kept.md", "papers/gone/index.md", "papers/other/index.md", "unlisted.md"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(relative)

    report = write_tree(tmp_path, {"kept.md": "kept.md", "papers/other/index.md": "papers/other/index.md"},
                        listed=frozenset({"kept.md", "papers/gone/index.md", "papers/other/index.md"}))

    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["kept.md", "papers/other/index.md", "unlisted.md"]  # the listing is trusted
    assert not (tmp_path / "papers" / "gone").exists()
    assert report == WriteReport(written=0, unchanged=2, removed=1) and report.changed == {"papers/gone/index.md"}
