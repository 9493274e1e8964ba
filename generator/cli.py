"""The `archive` command: parses arguments and calls the library; errors become one-line messages."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import Project
from .errors import ContentError, UserError


def cmd_build(args: argparse.Namespace) -> int:
    from .site import build
    report = build(Project.find())
    print(f"built site/: {report.pages} pages ({report.written} written, {report.unchanged} unchanged, "
          f"{report.removed} removed) in {report.generate_seconds + report.mkdocs_seconds:.1f}s "
          f"(generate {report.generate_seconds:.1f}s, mkdocs {report.mkdocs_seconds:.1f}s)")
    return 0


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
              f"{len(loaded.corrections)} corrections, {len(loaded.problems)} warning(s)")
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
    print(explain(papers[args.slug], loaded.rules))
    return 0


def cmd_eval_tags(args: argparse.Namespace) -> int:
    from .evaluation import run_eval
    print(run_eval(Project.find(), Path(args.labels), args.split))
    return 0


COMMANDS = {
    "build": (cmd_build, "generate the pages and build the site into site/ (replaced only on success)"),
    "serve": (cmd_serve, "live preview on localhost; regenerates when content/ changes"),
    "check": (cmd_check, "validate all content without building; exit 1 listing every error"),
    "export": (cmd_export, "every paper as JSON Lines on stdout, sorted by slug"),
    "explain": (cmd_explain, "show why a paper has its tags: rules, matched words, scores, corrections"),
    "eval-tags": (cmd_eval_tags, "precision, recall and F1 of the tagger against hand-labelled papers"),
}


def _arguments(name: str, command: argparse.ArgumentParser) -> None:
    if name == "serve":
        command.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default %(default)s)")
    elif name == "check":
        command.add_argument("--format", choices=("text", "github"), default="text",
                             help="'github' prints workflow annotations shown on a pull request's diff")
    elif name == "explain":
        command.add_argument("slug", help="the paper's slug, as in its URL papers/<slug>/")
    elif name == "eval-tags":
        command.add_argument("labels", help="YAML list of hand-labelled papers (title, abstract, tags, split)")
        command.add_argument("--split", default=None, help="report only this split (default: each split and all)")


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
