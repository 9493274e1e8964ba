"""Writes the Pagefind index of the search (search.py) in a process of its own.

Run as `python -m generator.indexer JOBS`: JOBS is a JSON-lines file, a header (output folder,
the previous site's shards, Pagefind's options, each paper's first featured date) and then one
line per shard mapping each paper's URL to its record. Each shard whose records differ from the
previous site's (by its stamp) is indexed: its records written out as files, Pagefind run on them,
its page list gzipped again. Then the dates file is written and the numbers of the shards reused
are printed as JSON.

A process, not a thread of the build: its tens of thousands of small file writes and reads each
release Python's lock and then wait for the generator's busy thread to give it back (5 ms a time
by default), which made 800 records take 16 s to write; a process of its own takes well under one.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from importlib import metadata
from pathlib import Path

import deflate

from .errors import UserError

SHARDS = "shards"  # pagefind/shards/0/ is the primary index, with Pagefind's script and WebAssembly
PAGEFIND_OPTIONS = ("--force-language", "en", "--silent")
META_LEVEL = 12  # libdeflate's strongest gzip for each shard's page list (recompress)
STAMP = "pda-records.sha256"  # in each shard: what it was indexed from, to reuse it while unchanged
DATES = "pda-dates.json"  # each result id's date first featured, loaded only to sort by it
# Pagefind's own search UIs: the site has its own, in overrides/assets/javascripts/search.js.
SHARED = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")  # primary only
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class Cancelled(Exception):
    """The build failed elsewhere while its search index was being built."""


def run(jobs: Path, cancelled: threading.Event | None = None) -> dict:
    """Run the indexer on JOBS and wait; a set `cancelled` kills it and its Pagefind at once."""
    command = [sys.executable, "-m", "generator.indexer", str(jobs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # its own process group, Pagefind included
    with process:
        while True:
            try:
                out, err = process.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled.is_set():
                    os.killpg(process.pid, signal.SIGKILL)
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
        output, previous = Path(header["output"]), header["previous"] and Path(header["previous"])
        folders, reused, written = [], [], []
        for number, line in enumerate(file):
            target, old = output / SHARDS / str(number), previous / str(number) if previous else None
            if index_shard(json.loads(line), target, old, number == 0, tuple(header["options"])):
                reused.append(number)
                target = old
            else:
                written += [p for p in target.rglob("*") if p.is_file()]
            folders.append(target)
    if not folders or not (folders[0] / "pagefind.js").is_file():
        raise UserError("cannot build the search index: Pagefind wrote no pagefind.js")
    output.mkdir(parents=True, exist_ok=True)
    known = _previous_dates(previous.parent / DATES) if previous and reused else {}
    dates = output / DATES
    write_json(dates, dates_by_result_id(header["featured"], folders, known))
    written.append(dates)
    return {"reused": reused, "files": len(written), "bytes": sum(p.stat().st_size for p in written)}


def index_shard(records: dict[str, str], target: Path, old: Path | None, primary: bool, options: tuple[str, ...]) -> bool:
    """Index one shard into `target`, unless `old` was made from the same records: then True."""
    stamp = _stamp(records, options)
    if old and (old / STAMP).is_file() and (old / STAMP).read_text(encoding="utf-8") == stamp \
            and (not primary or (old / "pagefind.js").is_file()):
        return True
    with tempfile.TemporaryDirectory(prefix="search-records-") as folder:
        write_records(records, Path(folder))
        run_pagefind(Path(folder), target.resolve(), options)
    for name in UNUSED if primary else UNUSED + SHARED:
        (target / name).unlink(missing_ok=True)
    for meta in target.glob("*.pf_meta"):
        recompress(meta)
    (target / STAMP).write_text(stamp, encoding="utf-8")
    return False


def _stamp(records: dict[str, str], options: tuple[str, ...]) -> str:
    """The records, the Pagefind that indexes them and how: a shard is reused only if all are the same."""
    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        raise UserError("cannot build the search index: Pagefind is not installed (pip install 'pagefind[bin]')") from None
    digest = hashlib.sha256(" ".join([version, *options, *UNUSED, *SHARED, f"meta-{META_LEVEL}"]).encode())
    for url in sorted(records):
        digest.update(url.encode() + b"\0" + records[url].encode() + b"\0")
    return digest.hexdigest()


def recompress(path: Path) -> None:
    """Gzip a Pagefind file again, smaller: every search downloads every shard's page list (its
    .pf_meta, 7 bytes a paper as Pagefind writes it), which libdeflate's level 12 makes 14 % smaller
    in a twentieth of a second per 10,000 papers. The index chunks gain 4 % for 60 times the time."""
    data = gzip.decompress(path.read_bytes())
    path.write_bytes(deflate.gzip_compress(data, META_LEVEL))


def write_records(records: dict[str, str], folder: Path) -> None:
    for url, html in records.items():
        path = folder / url / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(html, encoding="utf-8")


def run_pagefind(records: Path, output: Path, options: tuple[str, ...]) -> None:
    # The Pagefind binary from PyPI's pagefind[bin], run as `python -m pagefind` (which execs it): it
    # exits only once every file is written (the Python API's service can stop with files half-written).
    command = [sys.executable, "-m", "pagefind", "--site", str(records), "--output-path", str(output), *options]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as exc:
        raise UserError(f"cannot build the search index: {exc.strerror}") from None
    if done.returncode:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise UserError("cannot build the search index: Pagefind failed: "
                        f"{detail[-1] if detail else 'no output'} (is pagefind[bin] installed?)")


def dates_by_result_id(featured: dict[str, str], shard_folders: list[Path],
                       known: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Result ids (Pagefind's fragment names) by date first featured, newest first.

    Pagefind's own sort index is part of the page list every search loads (100 KB more at 50,000
    papers); this table is loaded only when a visitor sorts by date. `known` holds the dates of the
    previous site's results: a fragment of a reused shard is read only if it is not there.
    """
    known = known or {}
    by_date: dict[str, list[str]] = {}
    # By name (a hash), not by folder: reused shards are read where they stand, in the previous site.
    fragments = (p for folder in shard_folders for p in folder.glob("fragment/*.pf_fragment"))
    for path in sorted(fragments, key=lambda p: p.name):
        date = known.get(path.stem)
        if date is None:
            data = gzip.decompress(path.read_bytes())
            date = featured[json.loads(data[data.index(b"{"):])["url"]]  # after Pagefind's "pagefind_dcd"
        by_date.setdefault(date, []).append(path.stem)
    return {date: by_date[date] for date in sorted(by_date, reverse=True)}


def _previous_dates(path: Path) -> dict[str, str]:
    """Result id -> date, from the previous site's dates file (empty if it cannot be read)."""
    try:
        return {rid: date for date, ids in json.loads(path.read_text(encoding="utf-8")).items() for rid in ids}
    except (OSError, ValueError, AttributeError):
        return {}


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
