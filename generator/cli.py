"""The `archive` command: parses arguments and calls the library; errors become one-line messages."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .config import Project
from .errors import ContentError, UserError


def cmd_build(args: argparse.Namespace) -> int:
    from .site import build
    report = build(Project.find(), incremental=args.incremental)
    kind = "incrementally, " if report.incremental else ""
    rendered = f"{report.html_written} HTML page{'' if report.html_written == 1 else 's'} rendered"
    print(f"built site/ {kind}{report.pages} pages ({report.written} written, {report.unchanged} unchanged, "
          f"{report.removed} removed; {rendered}) in {report.total_seconds:.1f}s "
          f"(generate {report.generate_seconds:.1f}s, mkdocs {report.mkdocs_seconds:.1f}s, "
          f"finish {report.finish_seconds:.1f}s; search index {report.search_seconds:.1f}s alongside)")
    return 0


def _benchmark(args: argparse.Namespace, module: str, prefix: str) -> int:
    """Run a benchmark module's `run`, write its JSON results and print its table."""
    import importlib
    import json
    bench = importlib.import_module(f".{module}", __package__)
    if args.papers < 1:
        raise UserError("--papers must be at least 1")
    result = bench.run(Project.find(), args.papers)
    output = Path(args.output or f"{prefix}-{args.papers}.json")
    output.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(bench.table(result))
    print(f"results written to {output}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    return _benchmark(args, "bench", "bench")


def cmd_bench_search(args: argparse.Namespace) -> int:
    return _benchmark(args, "searchbench", "bench-search")


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve
    serve(Project.find(), args.addr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .content import load
    try:
        loaded = load(Project.find())
    except ContentError as exc:
        _print_problems(exc.problems, args.format)
        return 1
    _print_problems(list(loaded.problems), args.format)
    if args.format == "text":
        print(f"content OK: {len(loaded.archive.papers)} papers, {len(loaded.archive.days)} dates, "
              f"{len(loaded.corrections)} correction(s), {len(loaded.problems)} warning(s)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .content import load
    from .export import json_lines
    for line in json_lines(load(Project.find()).archive.papers):
        print(line)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from .content import load
    from .export import explain
    loaded = load(Project.find())
    papers = {p.slug: p for p in loaded.archive.papers}
    if args.slug not in papers:
        import difflib
        close = difflib.get_close_matches(args.slug, list(papers), n=1, cutoff=0.4)
        raise UserError(f"no paper '{args.slug}'" + (f": did you mean '{close[0]}'?" if close else ""))
    print(explain(papers[args.slug], loaded.tagger))
    return 0


def cmd_eval_tags(args: argparse.Namespace) -> int:
    from .evaluation import run_eval
    print(run_eval(Project.find(), Path(args.labels), args.split, args.rules_only))
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from . import fetch
    from .config import read_settings
    project = Project.find()
    days = _days(args, fetch.utc_now().date())
    agent = fetch.user_agent(read_settings(project.mkdocs_yml.read_text(encoding="utf-8")).repo_url)
    progress = _Progress(len(days))
    try:
        with fetch.make_client(agent) as client:
            fetcher = fetch.Fetcher(client, warn=lambda line: progress.print(f"warning: {line}", sys.stderr))
            fetch.fetch_days(project, days, fetcher, force=args.force, report=progress.print,
                             progress=progress.step)
    finally:
        progress.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from . import store
    from .content import read_text_file
    from .sources import SourceError, iso_utc, parse_saved
    project = Project.find()
    digests: dict = {}
    for name in args.files:  # parse every file before writing any
        path = Path(name)
        text = read_text_file(path)
        saved_at = iso_utc(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc))
        try:
            digest = parse_saved(text, path.name, saved_at, args.date)
        except SourceError as exc:
            raise UserError(f"{path}: {exc} (nothing imported)") from None
        if digest.date in digests:
            raise UserError(f"{digests[digest.date][0]} and {path} are both for {digest.date}: import one of them")
        digests[digest.date] = (path, digest)
    for date in sorted(digests):
        print(store.save(project, digests[date][1]).line())
    return 0


COMMANDS = {
    "build": (cmd_build, "generate the pages and build the site into site/ (replaced only on success)"),
    "serve": (cmd_serve, "live preview on localhost; regenerates when content/ changes"),
    "check": (cmd_check, "validate all content without building; exit 1 listing every error"),
    "export": (cmd_export, "every paper as JSON Lines on stdout, sorted by slug"),
    "explain": (cmd_explain, "show why a paper has its tags: rule terms and scores, the classifier's probability, "
                             "the similar labelled papers, corrections"),
    "eval-tags": (cmd_eval_tags, "precision, recall and F1 of the tagger against hand-labelled papers"),
    "fetch": (cmd_fetch, "download days' digests from the Daily Papers site into content/digests"),
    "import": (cmd_import, "add saved Daily Papers day pages or API responses to content/digests, offline"),
    "bench": (cmd_bench, "build a synthetic archive of N papers and measure time, memory and size against "
                         "a bare mkdocs-material site"),
    "bench-search": (cmd_bench_search, "measure a visitor's search in headless Chromium: the seed site, a synthetic "
                                       "index of N papers, and the built-in search it replaced"),
}


def _arguments(name: str, command: argparse.ArgumentParser) -> None:
    if name == "build":
        command.add_argument("--incremental", action="store_true", help="render only the pages whose content "
                             "changed since the last build, when only content changed (else a full build)")
    elif name == "bench":
        command.add_argument("--papers", type=int, default=1000, help="papers in the synthetic archive "
                             "(default %(default)s)")
        command.add_argument("--output", help="JSON results file (default bench-PAPERS.json)")
    elif name == "bench-search":
        command.add_argument("--papers", type=int, default=50000, help="papers in the synthetic search index "
                             "(default %(default)s)")
        command.add_argument("--output", help="JSON results file (default bench-search-PAPERS.json)")
    elif name == "serve":
        command.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default %(default)s)")
    elif name == "check":
        command.add_argument("--format", choices=("text", "github"), default="text",
                             help="'github' prints workflow annotations shown on a pull request's diff")
    elif name == "explain":
        command.add_argument("slug", help="the paper's slug, as in its URL papers/<slug>/")
    elif name == "eval-tags":
        command.add_argument("labels", help="YAML list of hand-labelled papers (title, abstract, tags, split)")
        command.add_argument("--split", default=None, help="report only this split (default: each split and all)")
        command.add_argument("--rules-only", action="store_true",
                             help="score the rules alone, without the classifier learned from the labels")
    elif name == "fetch":
        command.add_argument("--date", type=_day, help="the day to fetch (default: yesterday, UTC)")
        command.add_argument("--from", dest="start", type=_day, help="first day of a range, oldest first")
        command.add_argument("--to", dest="end", type=_day, help="last day of the range (default: yesterday, UTC)")
        command.add_argument("--force", action="store_true", help="fetch days already in content/digests again")
    elif name == "import":
        command.add_argument("files", nargs="+", metavar="FILE", help="a saved day page (.html) or API response "
                             "(.json, with the date in its name)")
        command.add_argument("--date", type=_day, help="the day of an API response whose name has no date")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-08-01") from None


def _days(args: argparse.Namespace, today: dt.date) -> list[dt.date]:
    """The days to fetch, oldest first: --date, --from/--to, or yesterday (today's digest is still growing)."""
    yesterday = today - dt.timedelta(days=1)
    if args.date and (args.start or args.end):
        raise UserError("give either --date or --from/--to, not both")
    if args.end and not args.start:
        raise UserError("--to needs --from (the first day of the range)")
    start = args.date or args.start or yesterday
    end = args.date or args.end or (yesterday if args.start else start)
    if start > end:
        raise UserError(f"--from {start} is after the range's last day {end}")
    if end > today:
        raise UserError(f"{end} is in the future: the site has no digest for it yet")
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


class _Progress:
    """A one-line progress bar on stderr for ranges, drawn only on a terminal; reports print above it."""

    WIDTH = 30

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.shown = total > 1 and self.stream.isatty()
        self.bar = ""

    def step(self, done: int, day: dt.date) -> None:
        filled = self.WIDTH * done // self.total
        self.bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.total} fetching {day}"
        self._draw(self.bar)

    def print(self, line: str, file=None) -> None:
        self._draw("")
        print(line, file=file or sys.stdout, flush=True)
        self._draw(self.bar)

    def close(self) -> None:
        self._draw("")

    def _draw(self, text: str) -> None:
        if self.shown:
            self.stream.write(f"\r\033[K{text}")
            self.stream.flush()


def _print_problems(problems, fmt: str) -> None:
    for problem in problems:
        print(problem.github() if fmt == "github" else problem, file=sys.stdout if fmt == "github" else sys.stderr)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="archive", description="Paper Digest Archive: daily ML-paper digests "
                                  "in, a browsable, searchable static site out.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (function, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        _arguments(name, command)
        command.set_defaults(run=function)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as exc:
        _print_problems(exc.problems, "text")
        errors = sum(1 for p in exc.problems if p.level == "error")
        print(f"archive: {errors} error(s) in content/: nothing was written", file=sys.stderr)
        return 1
    except UserError as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("archive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `archive export | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
