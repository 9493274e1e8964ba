"""Downloads days' digests from the Daily Papers site. All network I/O of the project is here.

The httpx client, the sleep and the clocks are passed in, so tests drive every retry and wait
with httpx.MockTransport and a fake clock, and never touch the network.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import time
from dataclasses import dataclass
from typing import Callable

import httpx

from . import store
from .config import Project
from .errors import UserError
from .models import Digest
from .sources import API_URL, DAY_PAGE_URL, SourceError, digest_file, iso_utc, parse_api, parse_day_page

VERSION = "0.1"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)  # a day page is ~250 kB; the site answers in about a second


class FetchError(UserError):
    """A source could not be downloaded; the message says what the server or network did."""


@dataclass(frozen=True)
class Policy:
    attempts: int = 4  # one request and three retries
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    retry_after_cap: float = 60.0  # a longer Retry-After gives up instead of stalling the command
    interval: float = 1.0  # at least this many seconds between two requests to the site


def user_agent(repo_url: str) -> str:
    """Names the tool and where to reach its maintainers, as the site asks of automated clients."""
    return f"paper-digest-archive/{VERSION}" + (f" (+{repo_url})" if repo_url else "")


def make_client(agent: str, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    # The site redirects some day URLs (e.g. to /papers/date/YYYY-MM-DD): follow them.
    return httpx.Client(headers={"User-Agent": agent}, timeout=TIMEOUT, follow_redirects=True,
                        transport=transport)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


class Fetcher:
    def __init__(self, client: httpx.Client, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, now: Callable[[], dt.datetime] = utc_now,
                 policy: Policy = Policy(), warn: Callable[[str], None] = lambda message: None):
        self.client, self.sleep, self.clock, self.now = client, sleep, clock, now
        self.policy, self.warn = policy, warn
        self._last: float | None = None  # clock reading at the previous request

    def get(self, url: str) -> httpx.Response:
        """A successful response, retrying connection errors, 429 and 5xx with backoff."""
        problem, delay = "", 0.0
        for attempt in range(1, self.policy.attempts + 1):
            if attempt > 1:
                self.sleep(delay)
            self._pace()
            try:
                response = self.client.get(url)
            except httpx.TransportError as exc:  # timeouts and connection errors
                problem, delay = _describe(exc), self._backoff(attempt)
                continue
            except httpx.RequestError as exc:  # e.g. too many redirects: retrying will not help
                raise FetchError(_describe(exc)) from None
            if response.is_success:
                return response
            problem = f"HTTP {response.status_code}"
            if response.status_code != 429 and response.status_code < 500:
                raise FetchError(problem)
            delay = self._delay(response, attempt)
        raise FetchError(f"{problem}, {self.policy.attempts} times")

    def day(self, date: dt.date) -> Digest:
        """The day's digest from the API, else from the day page; errors name both sources."""
        failures = []
        for name, template in (("API", API_URL), ("day page", DAY_PAGE_URL)):
            url = template.format(date=date.isoformat())
            try:
                response = self.get(url)
                stamp = iso_utc(self.now())
                if name == "API":
                    return parse_api(response.text, date, str(response.url), stamp)
                return parse_day_page(response.text, str(response.url), stamp, expected=date)
            except (FetchError, SourceError) as exc:
                failures.append(f"{name} ({url}): {exc}")
                if name == "API":
                    self.warn(f"{date}: {failures[-1]}; trying the day page")
        raise FetchError(f"{date}: nothing written: " + "; ".join(failures))

    def _pace(self) -> None:
        if self._last is not None:
            wait = self._last + self.policy.interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def _backoff(self, attempt: int) -> float:
        return min(self.policy.backoff * 2 ** (attempt - 1), self.policy.retry_after_cap)

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        seconds = retry_after(response.headers.get("Retry-After"), self.now())
        if seconds is None:
            return self._backoff(attempt)
        if seconds > self.policy.retry_after_cap:
            raise FetchError(f"HTTP {response.status_code}: the site asks to wait {seconds:.0f}s, more than "
                             f"the {self.policy.retry_after_cap:.0f}s this command waits: try again later")
        return seconds


def _describe(exc: httpx.RequestError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"connection failed ({type(exc).__name__}: {exc})"


def fetch_days(project: Project, days: list[dt.date], fetcher: Fetcher, *, force: bool = False,
               report: Callable[[str], None] = print,
               progress: Callable[[int, dt.date], None] = lambda done, day: None) -> None:
    """Fetch and store each day, oldest first. Days already stored are skipped unless `force`,
    so re-running an interrupted range continues where it stopped."""
    for done, day in enumerate(days):
        progress(done, day)
        path = project.digests / digest_file(day)
        if path.exists() and not force:
            report(f"{day}: already in {project.relative(path)} (skipped; --force fetches it again)")
            continue
        try:
            report(store.save(project, fetcher.day(day)).line())
        except UserError as exc:
            if len(days) == 1:
                raise
            raise UserError(f"{exc} (stopped after {done} of {len(days)} days: run the same command "
                            "again to continue)") from None
