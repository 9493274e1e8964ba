"""Writes the search index (search.py) in a process of its own.

Run as `python -m generator.indexer JOBS`: JOBS is a JSON-lines file, a header (the output folder
and the tag names, in the vocabulary's order) and then one record per paper, newest first
(searchindex.Record). The index's files are built (searchindex.build) and written, and their
count and size printed as JSON.

A process, not a thread of the build: the index takes seconds of pure Python a thousand papers,
and its tens of thousands of small file writes each release Python's lock and then wait for the
generator's busy thread to give it back (5 ms a time by default); a process of its own runs on the
core the generator leaves idle.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from . import searchindex
from .errors import UserError


class Cancelled(Exception):
    """The build failed elsewhere while its search index was being built."""


def run(jobs: Path, cancelled: threading.Event | None = None) -> dict:
    """Run the indexer on JOBS and wait; a set `cancelled` kills it at once."""
    command = [sys.executable, "-m", "generator.indexer", str(jobs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with process:
        while True:
            try:
                out, err = process.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled.is_set():
                    process.kill()
                    raise Cancelled() from None
    if process.returncode:
        detail = err.strip().splitlines()
        raise UserError(detail[-1] if detail else f"cannot build the search index: the indexer failed ({process.returncode})")
    return json.loads(out)


def main(argv: list[str]) -> int:
    try:
        print(json.dumps(index_all(Path(argv[0]))))
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def index_all(jobs: Path) -> dict:
    with jobs.open(encoding="utf-8") as file:
        header = json.loads(file.readline())
        records = [_record(json.loads(line)) for line in file]
    files = searchindex.build(records, header["tags"])
    output = Path(header["output"])
    try:
        for folder in sorted({str(Path(name).parent) for name in files}):
            (output / folder).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (output / name).write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write the search index into {output}: {exc.strerror}") from None
    return {"files": len(files), "bytes": sum(len(data) for data in files.values())}


def _record(data: dict) -> searchindex.Record:
    return searchindex.Record(**{**data, "tags": tuple(data["tags"]), "authors": tuple(data["authors"])})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
