"""The `archive` command: parses arguments and calls the library; errors become one-line messages."""
from __future__ import annotations

import argparse
import sys

from .config import Project
from .errors import ContentError, UserError


def cmd_build(args: argparse.Namespace) -> int:
    from .site import build
    report = build(Project.find())
    print(f"built site/: {report.pages} pages ({report.written} written, {report.unchanged} unchanged, "
          f"{report.removed} removed) in {report.generate_seconds + report.mkdocs_seconds:.1f}s "
          f"(generate {report.generate_seconds:.1f}s, mkdocs {report.mkdocs_seconds:.1f}s)")
    return 0


COMMANDS = {
    "build": (cmd_build, "generate the pages and build the site into site/ (replaced only on success)"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="archive", description="Paper Digest Archive: daily ML-paper digests "
                                  "in, a browsable, searchable static site out.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (function, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(run=function)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(1 for p in exc.problems if p.level == "error")
        print(f"archive: {errors} error(s) in content/: nothing was written", file=sys.stderr)
        return 1
    except UserError as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("archive: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
