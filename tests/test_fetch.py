"""Fetching goes through httpx.MockTransport only: retries, waits and failures are driven, never networked."""
import datetime as dt
import io
import json

import httpx
import pytest

from generator import cli, fetch
from generator.errors import UserError
from conftest import FIXTURES

FETCH = FIXTURES / "fetch"
AUG_1 = dt.date(2024, 8, 1)
API_1 = "https://huggingface.co/api/daily_papers?date=2024-08-01"
PAGE_1 = "https://huggingface.co/papers?date=2024-08-01"
START = dt.datetime(2024, 8, 2, 6, 0, tzinfo=dt.timezone.utc)


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def clock(self) -> float:
        return self.elapsed

    def now(self) -> dt.datetime:
        return START + dt.timedelta(seconds=self.elapsed)


class Site:
    """Answers each URL with the next of its scripted responses; records every request and when it came."""

    def __init__(self, time: FakeTime, script: dict):
        self.time, self.script = time, {url: list(answers) for url, answers in script.items()}
        self.requests: list[tuple[float, str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append((self.time.elapsed, url, request.headers["User-Agent"]))
        answers = self.script.get(url) or [404]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            return httpx.Response(answer)
        return answer

    def urls(self) -> list[str]:
        return [url for _, url, _ in self.requests]


def ok(name: str) -> httpx.Response:
    return httpx.Response(200, content=(FETCH / name).read_bytes())


def fetcher(site: Site, warnings: list | None = None) -> fetch.Fetcher:
    client = fetch.make_client(fetch.user_agent("https://github.com/example/archive"),
                               transport=httpx.MockTransport(site))
    return fetch.Fetcher(client, sleep=site.time.sleep, clock=site.time.clock, now=site.time.now,
                         warn=(warnings.append if warnings is not None else lambda line: None))


def test_day_comes_from_the_api_with_its_url_retrieval_time_and_user_agent():
    site = Site(FakeTime(), {API_1: [ok("api-2024-08-01.json")]})
    digest = fetcher(site).day(AUG_1)
    assert len(digest.entries) == 13
    assert (digest.source_url, digest.retrieved_at) == (API_1, "2024-08-02T06:00:00Z")
    assert site.requests == [(0.0, API_1, "paper-digest-archive/0.1 (+https://github.com/example/archive)")]


def test_falls_back_to_the_day_page_when_the_api_fails():
    warnings: list[str] = []
    site = Site(FakeTime(), {API_1: [404], PAGE_1: [ok("hf-daily-papers-2024-08-01.html")]})
    digest = fetcher(site, warnings).day(AUG_1)
    assert (len(digest.entries), digest.source_url) == (13, PAGE_1)
    assert warnings == [f"2024-08-01: API ({API_1}): HTTP 404; trying the day page"]
    assert site.urls() == [API_1, PAGE_1]


def test_falls_back_when_the_api_answers_invalid_json():
    site = Site(FakeTime(), {API_1: [ok("api-invalid.json")], PAGE_1: [ok("hf-daily-papers-2024-08-01.html")]})
    assert len(fetcher(site).day(AUG_1).entries) == 13


def test_follows_the_site_redirect_to_the_new_day_url():
    moved = "https://huggingface.co/papers/date/2024-08-01"
    site = Site(FakeTime(), {API_1: [404], PAGE_1: [httpx.Response(301, headers={"Location": moved})],
                             moved: [ok("hf-daily-papers-2024-08-01.html")]})
    assert fetcher(site).day(AUG_1).source_url == moved


def test_429_then_503_then_200_waits_as_retry_after_says():
    time = FakeTime()
    site = Site(time, {API_1: [httpx.Response(429, headers={"Retry-After": "7"}),
                               httpx.Response(503, headers={"Retry-After": "Fri, 02 Aug 2024 06:00:10 GMT"}),
                               ok("api-2024-08-01.json")]})
    assert len(fetcher(site).day(AUG_1).entries) == 13
    # 7 s as asked; then the HTTP date is 10 s after the start, and 7 s have passed: 3 s more.
    assert time.sleeps == [7.0, 3.0]
    assert [at for at, _, _ in site.requests] == [0.0, 7.0, 10.0]


def test_5xx_without_retry_after_backs_off_exponentially_then_gives_up_on_both_sources():
    time = FakeTime()
    site = Site(time, {API_1: [500], PAGE_1: [502]})
    with pytest.raises(fetch.FetchError) as error:
        fetcher(site).day(AUG_1)
    assert str(error.value) == (f"2024-08-01: nothing written: API ({API_1}): HTTP 500, 4 times; "
                                f"day page ({PAGE_1}): HTTP 502, 4 times")
    assert time.sleeps == [2.0, 4.0, 8.0, 1.0, 2.0, 4.0, 8.0]  # the 1.0 keeps one request per second


def test_retry_after_beyond_the_cap_gives_up_instead_of_stalling():
    time = FakeTime()
    site = Site(time, {API_1: [httpx.Response(429, headers={"Retry-After": "3600"})], PAGE_1: [404]})
    with pytest.raises(fetch.FetchError) as error:
        fetcher(site).day(AUG_1)
    assert str(error.value) == (f"2024-08-01: nothing written: API ({API_1}): HTTP 429: the site asks to wait "
                                f"3600s, more than the 60s this command waits: try again later; "
                                f"day page ({PAGE_1}): HTTP 404")
    assert time.sleeps == [1.0]
    assert site.urls() == [API_1, PAGE_1]


def test_timeouts_are_retried_then_reported():
    time = FakeTime()
    site = Site(time, {API_1: [httpx.ReadTimeout("timed out")], PAGE_1: [httpx.ConnectTimeout("timed out")]})
    with pytest.raises(fetch.FetchError) as error:
        fetcher(site).day(AUG_1)
    assert str(error.value) == (f"2024-08-01: nothing written: API ({API_1}): timed out (ReadTimeout), 4 times; "
                                f"day page ({PAGE_1}): timed out (ConnectTimeout), 4 times")
    assert len(site.requests) == 8


def test_connection_error_is_retried_until_it_succeeds():
    site = Site(FakeTime(), {API_1: [httpx.ConnectError("connection refused"), ok("api-2024-08-01.json")]})
    assert len(fetcher(site).day(AUG_1).entries) == 13
    assert site.time.sleeps == [2.0]


def test_client_has_explicit_timeouts():
    client = fetch.make_client("agent")
    assert (client.timeout.connect, client.timeout.read) == (10.0, 20.0)


def test_changed_structure_on_both_sources_names_what_was_missing():
    site = Site(FakeTime(), {API_1: [ok("api-not-a-list.json")], PAGE_1: [ok("no-daily-papers-div.html")]})
    with pytest.raises(fetch.FetchError) as error:
        fetcher(site).day(AUG_1)
    assert str(error.value) == (
        f"2024-08-01: nothing written: API ({API_1}): the API response is an object, not a list of papers: the "
        f"site's structure changed; day page ({PAGE_1}): no div[data-target=DailyPapers] in the page: the "
        "site's structure changed")


def days(first: int, last: int) -> list[dt.date]:
    return [dt.date(2024, 8, d) for d in range(first, last + 1)]


def api_url(day: int) -> str:
    return f"https://huggingface.co/api/daily_papers?date=2024-08-0{day}"


def three_days(site_time: FakeTime, failing_day_2: bool = False) -> Site:
    day_2 = [httpx.ConnectError("connection refused")] if failing_day_2 else [ok("api-empty.json")]
    day_3 = json.loads((FETCH / "api-2024-08-01.json").read_text(encoding="utf-8"))[:2]
    return Site(site_time, {api_url(1): [ok("api-2024-08-01.json")], api_url(2): day_2,
                            api_url(3): [httpx.Response(200, json=day_3)]})


def test_range_reports_each_day_and_sends_at_most_one_request_per_second(project):
    site = three_days(FakeTime())
    lines: list[str] = []
    fetch.fetch_days(project, days(1, 3), fetcher(site), report=lines.append)
    assert lines == ["2024-08-01: 13 papers written to content/digests/2024-08-01.json",
                     "2024-08-02: no papers (nothing written)",
                     "2024-08-03: 2 papers written to content/digests/2024-08-03.json"]
    assert [at for at, _, _ in site.requests] == [0.0, 1.0, 2.0]
    assert not (project.digests / "2024-08-02.json").exists()


def test_interrupted_range_continues_where_it_stopped(project):
    failing = three_days(FakeTime(), failing_day_2=True)
    lines: list[str] = []
    with pytest.raises(UserError) as error:
        fetch.fetch_days(project, days(1, 3), fetcher(failing), report=lines.append)
    assert str(error.value).endswith("(stopped after 1 of 3 days: run the same command again to continue)")
    assert lines == ["2024-08-01: 13 papers written to content/digests/2024-08-01.json"]
    written = (project.digests / "2024-08-01.json").stat().st_mtime_ns

    site = three_days(FakeTime())
    lines.clear()
    fetch.fetch_days(project, days(1, 3), fetcher(site), report=lines.append)
    assert lines == ["2024-08-01: already in content/digests/2024-08-01.json (skipped; --force fetches it again)",
                     "2024-08-02: no papers (nothing written)",
                     "2024-08-03: 2 papers written to content/digests/2024-08-03.json"]
    assert site.urls() == [api_url(2), api_url(3)]
    assert (project.digests / "2024-08-01.json").stat().st_mtime_ns == written


def test_fetching_the_same_day_twice_changes_nothing(project):
    lines: list[str] = []
    fetch.fetch_days(project, [AUG_1], fetcher(three_days(FakeTime())), report=lines.append)
    path = project.digests / "2024-08-01.json"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    later = FakeTime()
    later.elapsed = 86400.0  # a day later: another retrieval time, the same papers
    fetch.fetch_days(project, [AUG_1], fetcher(three_days(later)), force=True, report=lines.append)
    assert lines[-1] == "2024-08-01: unchanged (13 papers already in content/digests/2024-08-01.json)"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_failed_day_writes_nothing(project):
    site = Site(FakeTime(), {api_url(1): [ok("api-missing-summary.json")], PAGE_1: [ok("truncated-page.html")]})
    with pytest.raises(UserError) as error:
        fetch.fetch_days(project, [AUG_1], fetcher(site))
    assert str(error.value) == (
        f"2024-08-01: nothing written: API ({API_1}): paper 1 (2407.21705) has no 'paper.summary' (its "
        f"abstract): the site's structure changed; day page ({PAGE_1}): the page is truncated: it ends before "
        "its closing </html> tag, and no complete div[data-target=DailyPapers] was found")
    assert sorted(p.name for p in project.digests.iterdir() if not p.name.endswith(".txt")) == ["dates.yml"]


@pytest.mark.parametrize("argv, expected", [
    ([], [dt.date(2024, 8, 9)]),
    (["--date", "2024-08-01"], [AUG_1]),
    (["--from", "2024-08-07"], days(7, 9)),
    (["--from", "2024-08-01", "--to", "2024-08-03"], days(1, 3)),
    (["--date", "2024-08-10"], [dt.date(2024, 8, 10)]),
])
def test_days_default_to_yesterday_utc(argv, expected):
    args = cli.parser().parse_args(["fetch", *argv])
    assert cli._days(args, dt.date(2024, 8, 10)) == expected


@pytest.mark.parametrize("argv, message", [
    (["--date", "2024-08-01", "--from", "2024-08-01"], "give either --date or --from/--to, not both"),
    (["--to", "2024-08-03"], "--to needs --from (the first day of the range)"),
    (["--from", "2024-08-05", "--to", "2024-08-01"], "--from 2024-08-05 is after the range's last day 2024-08-01"),
    (["--date", "2024-08-11"], "2024-08-11 is in the future: the site has no digest for it yet"),
])
def test_impossible_ranges_are_refused(argv, message):
    args = cli.parser().parse_args(["fetch", *argv])
    with pytest.raises(UserError) as error:
        cli._days(args, dt.date(2024, 8, 10))
    assert str(error.value) == message


def test_fetch_command_end_to_end(project, monkeypatch, capsys):
    site = Site(FakeTime(), {API_1: [ok("api-2024-08-01.json")]})
    real = fetch.make_client
    monkeypatch.setattr(fetch, "make_client", lambda agent: real(agent, transport=httpx.MockTransport(site)))
    monkeypatch.chdir(project.root)
    assert cli.main(["fetch", "--date", "2024-08-01"]) == 0
    assert cli.main(["fetch", "--date", "2024-08-01"]) == 0
    assert capsys.readouterr().out == (
        "2024-08-01: 13 papers written to content/digests/2024-08-01.json\n"
        "2024-08-01: already in content/digests/2024-08-01.json (skipped; --force fetches it again)\n")
    assert site.requests[0][2] == "paper-digest-archive/0.1 (+https://github.com/paper-digest-archive/paper-digest-archive)"


def test_fetch_command_failure_is_one_line(project, monkeypatch, capsys):
    site = Site(FakeTime(), {API_1: [404], PAGE_1: [404]})
    real = fetch.make_client
    monkeypatch.setattr(fetch, "make_client", lambda agent: real(agent, transport=httpx.MockTransport(site)))
    monkeypatch.chdir(project.root)
    assert cli.main(["fetch", "--date", "2024-08-01"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (f"warning: 2024-08-01: API ({API_1}): HTTP 404; trying the day page\n"
                            f"archive: 2024-08-01: nothing written: API ({API_1}): HTTP 404; "
                            f"day page ({PAGE_1}): HTTP 404\n")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_is_drawn_on_a_terminal_for_ranges_only(capsys):
    terminal = Terminal()
    progress = cli._Progress(4, terminal)
    progress.step(1, AUG_1)
    progress.print("2024-08-01: no papers (nothing written)")
    progress.close()
    bar = "[#######.......................] 1/4 fetching 2024-08-01"
    assert terminal.getvalue() == f"\r\033[K{bar}\r\033[K\r\033[K{bar}\r\033[K"
    assert capsys.readouterr().out == "2024-08-01: no papers (nothing written)\n"
    quiet = Terminal()
    cli._Progress(1, quiet).step(0, AUG_1)
    cli._Progress(4, io.StringIO()).step(0, AUG_1)
    assert quiet.getvalue() == ""
