"""indexer: the search index written by a process of its own, its failures as one-line errors."""
import json
from pathlib import Path

import pytest

from generator import indexer
from generator.errors import UserError

RECORD = {"url": "papers/a/", "title": "A Title", "abstract": "Words.", "date": "2025-03-11", "arxiv": "",
          "tags": ["Robotics"], "authors": ["Ada Lovelace"]}


def jobs(folder: Path, output: Path, records=(RECORD,), previous: Path | None = None) -> Path:
    path = folder / "records.jsonl"
    header = {"output": str(output), "tags": ["Robotics"], "previous": str(previous) if previous else None}
    path.write_text("".join(json.dumps(line) + "\n" for line in (header, *records)))
    return path


def test_the_process_writes_every_file_and_reports_them(tmp_path):
    done = indexer.run(jobs(tmp_path, tmp_path / "search"))
    written = [p for p in (tmp_path / "search").rglob("*") if p.is_file()]
    assert done == {"files": len(written), "bytes": sum(p.stat().st_size for p in written), "kept": 0}
    assert {p.relative_to(tmp_path / "search").as_posix() for p in written} >= {
        "index.pda", "papers/0.pda", "tags/0.pda", "terms/all.pda"}


def test_an_output_that_cannot_be_written_is_a_one_line_error(tmp_path):
    (tmp_path / "taken").write_text("a file where the index's folder would go")
    with pytest.raises(UserError) as error:
        indexer.run(jobs(tmp_path, tmp_path / "taken" / "search"))
    assert str(error.value) == f"cannot write the search index into {tmp_path / 'taken' / 'search'}: Not a directory"


def test_files_the_same_as_the_previous_sites_are_linked_to_them(tmp_path):
    indexer.run(jobs(tmp_path, tmp_path / "first"))
    newer = {**RECORD, "url": "papers/b/", "title": "Another", "date": "2025-03-12", "tags": []}
    done = indexer.run(jobs(tmp_path, tmp_path / "second", (RECORD, newer), previous=tmp_path / "first"))
    inode = lambda folder, name: (tmp_path / folder / name).stat().st_ino  # noqa: E731
    assert inode("second", "papers/0.pda") == inode("first", "papers/0.pda")  # the same paper, its number kept
    assert inode("second", "tags/0.pda") == inode("first", "tags/0.pda")  # the new paper has no tag
    assert (tmp_path / "second" / "index.pda").read_bytes() != (tmp_path / "first" / "index.pda").read_bytes()
    assert done["kept"] == 2 and done["files"] > 4
