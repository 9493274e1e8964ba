"""Problems found in content, reported together as `file:line: message`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str
    level: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.level}: {self.message}"

    def github(self) -> str:
        """The problem as a GitHub workflow annotation, shown on the pull request's diff."""
        kind = "error" if self.level == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::{kind} file={self.file}{line}::{message}"


class ContentError(Exception):
    """Raised when content is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UserError(Exception):
    """An error the user can fix; the CLI prints it as one line, without a traceback."""


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]
