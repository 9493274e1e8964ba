"""Writes the search index (search.py) in a process of its own.

Run as `python -m generator.indexer JOBS`: JOBS is a JSON-lines file, a header (the output folder,
the previous site's index folder, the tag names in the vocabulary's order) and then one record per
paper, oldest first (searchindex.Record). The index's files are built (searchindex.build) and
written, each one the same as the previous site's linked to it instead, and their count, size and
how many were linked printed as JSON.

A process, not a thread of the build: the index takes seconds of pure Python a thousand papers,
and its tens of thousands of small file writes each release Python's lock and then wait for the
generator's busy thread to give it back (5 ms a time by default); a process of its own runs on the
core the generator leaves idle.
"""
from __future__ import annotations

import json
import os
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
    previous = Path(header["previous"]) if header.get("previous") else None
    try:
        for folder in sorted({str(Path(name).parent) for name in files}):
            (output / folder).mkdir(parents=True, exist_ok=True)
        kept = sum(_write(output / name, data, previous / name if previous else None) for name, data in files.items())
    except OSError as exc:
        raise UserError(f"cannot write the search index into {output}: {exc.strerror}") from None
    return {"files": len(files), "bytes": sum(len(data) for data in files.values()), "kept": kept}


def _write(path: Path, data: bytes, before: Path | None) -> bool:
    """Write `data` at `path`, or link `before` there if it holds the same bytes (then True): a
    file of the live site is never written in place, so sharing it is safe."""
    try:
        if before is not None and before.stat().st_size == len(data) and before.read_bytes() == data:
            os.link(before, path)
            return True
    except OSError:  # gone, unreadable, or another filesystem: written instead
        pass
    with path.open("xb") as file:  # a new file: never written through a link to the live site's
        file.write(data)
    return False


def _record(data: dict) -> searchindex.Record:
    return searchindex.Record(**{**data, "tags": tuple(data["tags"]), "authors": tuple(data["authors"])})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
