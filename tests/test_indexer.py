"""indexer: the search index written by a process of its own, its failures as one-line errors."""
import json
from pathlib import Path

import pytest

from generator import indexer
from generator.errors import UserError

RECORD = {"url": "papers/a/", "title": "A Title", "abstract": "Words.", "date": "2025-03-11", "arxiv": "",
          "tags": ["Robotics"], "authors": ["Ada Lovelace"]}


def jobs(folder: Path, output: Path) -> Path:
    path = folder / "records.jsonl"
    path.write_text(json.dumps({"output": str(output), "tags": ["Robotics"]}) + "\n" + json.dumps(RECORD) + "\n")
    return path


def test_the_process_writes_every_file_and_reports_them(tmp_path):
    done = indexer.run(jobs(tmp_path, tmp_path / "search"))
    written = [p for p in (tmp_path / "search").rglob("*") if p.is_file()]
    assert done == {"files": len(written), "bytes": sum(p.stat().st_size for p in written)}
    assert {p.relative_to(tmp_path / "search").as_posix() for p in written} >= {
        "index.pda", "papers/0.pda", "tags/0.pda", "terms/0.pda"}


def test_an_output_that_cannot_be_written_is_a_one_line_error(tmp_path):
    (tmp_path / "taken").write_text("a file where the index's folder would go")
    with pytest.raises(UserError) as error:
        indexer.run(jobs(tmp_path, tmp_path / "taken" / "search"))
    assert str(error.value) == f"cannot write the search index into {tmp_path / 'taken' / 'search'}: Not a directory"
