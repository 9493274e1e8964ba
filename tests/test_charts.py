"""Charts: inline SVG drawn from the data, titled, themed by classes, each with its data as text."""
import datetime as dt
import re
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

from generator import charts, insights
from generator.config import Project
from generator.content import load
from conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def svg(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def tooltips(root: ET.Element, shape: str = "rect") -> list[str]:
    return [element.find(f"{SVG}title").text for element in root.iter(f"{SVG}{shape}")]


def test_column_chart_draws_one_titled_column_per_point_scaled_to_the_largest():
    root = svg(charts.column_chart("Papers per digest date", [("2025-03-11", 129), ("2025-03-17", 148)], "paper"))
    assert root.get("role") == "img" and root.get("aria-label") == root.find(f"{SVG}title").text == "Papers per digest date"
    assert tooltips(root) == ["2025-03-11: 129 papers", "2025-03-17: 148 papers"]
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")]
    assert abs(heights[0] / heights[1] - 129 / 148) < 0.01


def test_bar_chart_labels_each_bar_with_its_value_and_escapes_text():
    root = svg(charts.bar_chart("Most featured", [("<script>x</script> & co", 3), ("One", 1)], "time"))
    assert tooltips(root) == ["<script>x</script> & co: 3 times", "One: 1 time"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["<script>x</script> & co", "3", "One", "1"]
    assert "<script>" not in str(charts.bar_chart("t", [("<script>", 1)], "time"))


def test_heat_grid_shades_each_cell_by_its_value():
    root = svg(charts.heat_grid("Tags", ["LLM", "Video"], ["2025-03", "2025-04"], [[8, 0], [2, 4]], "paper"))
    cells = {r.find(f"{SVG}title").text: r.get("class") for r in root.iter(f"{SVG}rect")}
    assert cells == {"LLM, 2025-03: 8 papers": "pda-chart__cell pda-chart__cell--4",
                     "LLM, 2025-04: 0 papers": "pda-chart__cell pda-chart__cell--0",
                     "Video, 2025-03: 2 papers": "pda-chart__cell pda-chart__cell--1",
                     "Video, 2025-04: 4 papers": "pda-chart__cell pda-chart__cell--2"}


def test_calendar_has_a_cell_per_day_and_links_the_digest_dates():
    counts = {dt.date(2024, 2, 29): 10, dt.date(2024, 12, 31): 40}
    root = svg(charts.calendar(2024, counts, href=lambda d: f"{d.isoformat()}/"))
    days = tooltips(root)
    assert len(days) == 366 and days[0] == "2024-01-01: no digest"
    assert "2024-02-29: 10 papers" in days and days[-1] == "2024-12-31: 40 papers"
    links = {a.get("href"): a.find(f"{SVG}rect/{SVG}title").text for a in root.iter(f"{SVG}a")}
    assert links == {"2024-02-29/": "2024-02-29: 10 papers", "2024-12-31/": "2024-12-31: 40 papers"}
    assert root.get("aria-label") == "Digest dates of 2024: 2 dates"
    assert len(tooltips(svg(charts.calendar(2025, {}, href=str)))) == 365


def test_charts_take_colours_from_the_theme_and_load_nothing():
    markup = str(charts.calendar(2025, {dt.date(2025, 3, 11): 1}, href=lambda d: "x/")) + str(
        charts.column_chart("c", [("a", 1)], "paper")) + str(charts.heat_grid("g", ["r"], ["c"], [[1]], "paper"))
    assert not re.search(r'\b(fill|stroke|style)=', markup)  # classes only: archive.css picks theme variables
    assert re.findall(r"https?://[^\"]+", markup) == ["http://www.w3.org/2000/svg"] * 3
    css = (ROOT / "overrides" / "assets" / "stylesheets" / "archive.css").read_text()
    for name in ("pda-chart__bar", "pda-chart__cell--0", "pda-chart__cell--4"):
        assert re.search(rf"\.{name}\b[^}}]*var\(--md-", css), name


def test_tags_by_month_counts_each_paper_once_a_month():
    archive = load(Project(ROOT)).archive
    columns = insights.months(archive)
    assert columns == ["2025-03", "2025-04", "2025-05", "2025-06"]
    grid = dict(zip((t.slug for t in archive.tags), insights.tags_by_month(archive, columns)))
    june = [p for p in archive.papers if dt.date(2025, 6, 26) in p.dates]
    assert grid["attention"][3] == sum("attention" in p.tags for p in june)
    assert grid["attention"][1:3] == [0, 0]


def test_trends_page_shows_three_charts_each_with_its_data(seed_site):
    page = BeautifulSoup((seed_site.site_dir / "stats" / "index.html").read_text(), "html.parser")
    figures = page.select("figure.pda-chart svg")
    assert [f["aria-label"] for f in figures] == [
        "Papers per digest date", "Papers per tag and month", "Most-featured papers: times featured"]
    tables = page.select("article table")
    assert len(tables) == 3
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in tables[0].select("tbody tr")]
    assert rows == [["2025-03-11", "129"], ["2025-03-17", "148"], ["2025-06-26", "67"]]
    columns = [title.get_text() for title in figures[0].select("rect title")]
    assert columns == [f"{date}: {count} papers" for date, count in rows]
    featured = [[td.get_text() for td in tr.find_all("td")][:2] for tr in tables[2].select("tbody tr")]
    assert [title.get_text() for title in figures[2].select("rect title")] == [f"{t}: {n} times" for t, n in featured]
    assert "Trends" in [a.get_text(strip=True) for a in page.select(".md-tabs a")]  # in the navigation


def test_dates_page_has_a_calendar_per_year(seed_site):
    page = BeautifulSoup((seed_site.site_dir / "dates" / "index.html").read_text(), "html.parser")
    calendar = page.select_one("figure.pda-calendar svg")
    assert calendar["aria-label"] == "Digest dates of 2025: 3 dates"
    assert [a["href"] for a in calendar.find_all("a")] == ["2025-03-11/", "2025-03-17/", "2025-06-26/"]


def test_trends_page_keeps_only_the_recent_dates_per_date():
    import datetime as dt
    from generator import insights
    from generator.models import Archive, Day
    days = tuple(Day(dt.date(2024, 1, 1) + dt.timedelta(n), ("p",), ("d.json",)) for n in range(300))
    recent = insights.papers_per_date(Archive(papers=(), days=days, tags=()))
    assert len(recent) == insights.RECENT_DATES
    assert recent[-1][0] == dt.date(2024, 1, 1) + dt.timedelta(299)
