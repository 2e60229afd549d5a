"""The web page in a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Needs the `chromium` Debian package (`apt-get install chromium`); skipped, with that reason, only
when it is absent. Playwright's own browser download is never used.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.test_api import AUTH, TOKEN, Server, api, client, module_db  # noqa: F401 - fixtures

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Playwright's per-action and per-assertion wait: generous for a loaded CI machine, short enough to fail fast.
ACTION_TIMEOUT_MS = 10_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("chromium") is None and not CHROMIUM.exists(),
    reason="Chromium is not installed at /usr/bin/chromium: apt-get install -y chromium (Debian package)",
)


@pytest.fixture
def page():
    playwright_sync = pytest.importorskip("playwright.sync_api", reason="pip install 'playwright>=1.45,<2'")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            pg = context.new_page()
            pg.set_default_timeout(ACTION_TIMEOUT_MS)
            # expect(...) keeps its own 5 s default otherwise: give assertions the same patience.
            playwright_sync.expect.set_options(timeout=ACTION_TIMEOUT_MS)
            errors: list[str] = []
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            yield pg
            assert not errors, f"JavaScript errors: {errors}"
        finally:
            browser.close()


# axe-core impacts that fail the test; "moderate" and "minor" findings are written to the artifacts.
AXE_FAILING_IMPACTS = {"serious", "critical"}


def check_view(page, name: str) -> None:
    """Screenshot the view into test-artifacts/ and fail on serious or critical axe-core violations."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)
    results = Axe().run(page)
    violations = results.response["violations"]
    (ARTIFACTS / f"axe-{name}.txt").write_text(results.generate_report() if violations else "no violations\n")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in AXE_FAILING_IMPACTS
    ]
    assert not bad, f"{name}: " + "; ".join(bad)


def test_story_view_and_accessibility_of_every_view(page, api: Server):  # noqa: F811
    """The story of Northfield Steel: first report, restatement, the later figure as an update."""
    from playwright.sync_api import expect

    s = api.seeded
    page.goto(f"{api.url}/#/story")
    page.wait_for_selector("form.story-form")
    check_view(page, "story-empty")
    # from a claim's entity to its story, as an editor would
    page.goto(f"{api.url}/#/claim/{s.jobs_1200}")
    page.wait_for_selector("li.mention")
    expect(page.locator("p.meta").first).to_contain_text("2 mentions in 2 distinct articles from 2 outlets")
    expect(page.locator("h3", has_text="Sources")).to_have_text("Sources: 2 outlets")
    check_view(page, "claim")
    page.get_by_role("link", name="Northfield Steel", exact=True).click()
    first = page.locator(f"li.story-claim[data-id='{s.jobs_1200}']")
    first.wait_for()
    claims = page.locator("li.story-claim")
    assert [claims.nth(i).get_attribute("data-id") for i in range(claims.count())] == [
        s.jobs_1200,
        s.jobs_1500,
    ]
    expect(first.locator("li.first-report")).to_contain_text("Gazette")
    expect(first.locator("li.restatement")).to_contain_text("Wire")
    expect(first.locator("li.link.updated_by")).to_contain_text("1,500")
    later = page.locator(f"li.story-claim[data-id='{s.jobs_1500}']")
    expect(later.locator("li.link.updates")).to_contain_text("1,200")
    expect(page.locator("p.story-summary")).to_contain_text(
        "2 claims in 3 articles from 3 outlets (Gazette, Wire, Daily)"
    )
    check_view(page, "story")
    # a story with a stance reversal and its speaker, typed into the form and sent with the keyboard
    page.fill("form.story-form input[name=entity]", "fuel duty")
    page.keyboard.press("Enter")
    page.locator(f"li.story-claim[data-id='{s.tax_no_raise}']").wait_for()
    expect(page.locator("p.story-summary")).to_contain_text("speakers: Jane Minister")
    assert page.locator("li.link.contradicts").count() == 2
    # the other views, each screenshot and checked
    for name, url, ready in (
        ("claims", "#/claims?q=jobs", "article.claim"),
        ("speakers", "#/speakers", "article.speaker"),
        ("timeline", f"#/speaker/{quote('Jane Minister')}", "li.entry"),
        ("contradictions", "#/contradictions?status=all", "article.contradiction"),
    ):
        page.goto(f"{api.url}/{url}")
        page.wait_for_selector(ready)
        check_view(page, name)
    # an article without a publication time: its date is the ingest time, and the page says so
    import psycopg

    with psycopg.connect(api.db_url) as conn:
        conn.execute("UPDATE articles SET date_source = 'ingested' WHERE source = 'Daily'")
    page.goto(f"{api.url}/#/claim/{s.jobs_1500}")
    page.wait_for_selector("p.ingest-order")
    expect(page.locator("li.mention").first).to_contain_text("ingested at 2026-")
    expect(page.locator("p.claim-meta, p.meta").first).to_contain_text("first seen ingested at")
    page.goto(f"{api.url}/#/speaker/{quote('Jane Minister')}")
    page.wait_for_selector("p.ingest-order")
    expect(page.locator("li.entry").nth(1)).to_contain_text("ingested at")
    # an empty list says so below its heading, not above it
    page.goto(f"{api.url}/#/contradictions?status=all&kind=antonym")
    page.wait_for_selector("p.empty")
    assert page.locator("#status").inner_text() == ""
    assert page.evaluate(
        "document.querySelector('h2').compareDocumentPosition("
        "document.querySelector('p.empty')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )


def test_search_claim_timeline_and_review_round_trip(page, api: Server, client):  # noqa: F811
    from playwright.sync_api import expect

    s = api.seeded
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{api.url}/")
    page.fill("#q", "jobs")
    page.click("form#search button[type=submit]")
    page.wait_for_selector(f"article.claim[data-id='{s.jobs_1200}']")
    # The front page lists that claim too: wait until the search results have replaced it.
    expect(page.locator("article.claim")).to_have_count(2)

    # a claim with its mentions and sources; markup in claims stays text
    page.goto(f"{api.url}/#/claim/{s.jobs_1200}")
    page.wait_for_selector("li.mention")
    assert page.locator("li.mention").count() == 2
    assert "Gazette" in page.locator("ul.sources").inner_text()
    page.goto(f"{api.url}/#/claim/{s.xss}")
    # The previous claim's heading is still there until the new one renders: wait for the text.
    expect(page.locator("h2.claim-text")).to_contain_text("<script>")
    assert page.evaluate("window.__xss") is None

    # a speaker's timeline with the stance reversal marked
    page.goto(f"{api.url}/#/speaker/{quote('Jane Minister')}")
    page.wait_for_selector("li.entry")
    assert page.locator("li.entry.reversal").count() == 2
    page.screenshot(path=str(ARTIFACTS / "web-timeline.png"), full_page=True)

    # without a token the review is refused in the page, nothing stored
    page.goto(f"{api.url}/#/contradictions?status=open")
    card = page.locator(f"article.contradiction[data-id='{s.numeric}']")
    card.wait_for()
    assert card.locator(".side").count() == 2 and card.locator("blockquote.evidence").count() == 2
    card.locator("button.confirm").click()
    page.wait_for_selector("#status.error")
    assert client.get("/contradictions", params={"status": "confirmed"}).json()["items"] == [] or all(
        x["id"] != s.numeric
        for x in client.get("/contradictions", params={"status": "confirmed"}).json()["items"]
    )

    # with name and token: confirm a contradiction, reject a duplicate, both stored
    assert page.evaluate("document.querySelector('#reviewer-box').open")  # the page asked for them
    page.fill("#reviewer", "web editor")
    page.fill("#token", TOKEN)
    page.locator("#token").dispatch_event("change")
    page.locator("#reviewer").dispatch_event("change")
    card.locator("button.confirm").click()
    card.locator(".review-state.confirmed").wait_for()
    stored = client.get("/contradictions", params={"status": "confirmed"}).json()["items"]
    assert any(x["id"] == s.numeric and x["review"]["reviewer"] == "web editor" for x in stored)

    page.goto(f"{api.url}/#/claim/{s.jobs_1200}")
    mention = page.locator(f"li.mention[data-id='{s.duplicate_mention}']")
    mention.wait_for()
    mention.locator("button.reject").click()
    mention.locator(".review-state.rejected").wait_for()
    shown = client.get(f"/claims/{s.jobs_1200}").json()
    assert shown["mentions"][1]["review"]["verdict"] == "rejected"
    assert shown["mentions"][1]["review"]["reviewer"] == "web editor"

    # the reviewed contradiction has left the open list
    page.goto(f"{api.url}/#/contradictions?status=open")
    page.wait_for_selector("article.contradiction")
    assert page.locator(f"article.contradiction[data-id='{s.numeric}']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "web-contradictions.png"), full_page=True)


def test_story_of_the_sample_articles_from_the_pipeline(page, deployment, tmp_path):
    """The four sample articles through the real pipeline, then the Northfield Steel story in the page.

    The closure is reported first by the Harbor Gazette and restated by the Coastal Wire; the
    Gazette's 1,200 jobs meet the Wire's 1,500; the chief executive speaks in both.
    """
    from playwright.sync_api import expect

    from factstream.cli import sample_paths
    from factstream.settings import Settings
    from tests.test_api import start_server

    summary = deployment.ingest(*map(str, sample_paths()))
    assert summary["stored"] == 4, deployment.worker_logs()
    cfg = Settings(
        database_url=deployment.database_url, state_dir=tmp_path / "api", kafka_bootstrap="127.0.0.1:1"
    )
    url, server, thread = start_server(cfg)
    try:
        page.goto(f"{url}/#/story?entity={quote('Northfield Steel')}")
        page.locator("li.story-claim").first.wait_for()
        assert page.locator("li.story-claim").count() >= 4
        summary_line = page.locator("p.story-summary")
        for outlet in ("Harbor Gazette", "Coastal Wire"):
            expect(summary_line).to_contain_text(outlet)
        expect(summary_line).to_contain_text("Maria Lindqvist")
        # the closure, first reported by the Gazette, restated by the other outlets
        closure = page.locator(
            "li.story-claim", has_text="Harbor City plant in May", has=page.locator("li.restatement")
        ).first
        expect(closure.locator("li.first-report")).to_contain_text("Harbor Gazette")
        expect(closure.locator("ul.said")).to_contain_text("Coastal Wire")
        jobs = page.locator("li.story-claim", has=page.locator("a", has_text="1,200 jobs")).first
        expect(jobs.locator("li.link")).to_contain_text("1,500")
        check_view(page, "story-samples")
    finally:
        server.should_exit = True
        thread.join(10)


BBC_POLITICS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc" / "politics"


@pytest.mark.skipif(not BBC_POLITICS.is_dir(), reason="needs ../shared/corpus/bbc/politics beside it")
def test_story_of_a_bbc_politics_figure_across_articles(page, deployment, tmp_path):
    """A developing story from real news: every BBC politics article naming Robert Kilroy-Silk.

    The BBC files carry no date, so the page says its order is ingest order; the summary counts
    claims, distinct articles and outlets honestly; a statement carried by several articles is one
    claim with its first report and restatements; "Mr Kilroy-Silk" is the same speaker as "Robert
    Kilroy-Silk".
    """
    from playwright.sync_api import expect

    from factstream.settings import Settings
    from tests.test_api import start_server

    files = sorted(p for p in BBC_POLITICS.glob("*.txt") if "Kilroy-Silk" in p.read_text(encoding="latin-1"))
    assert len(files) >= 5
    summary = deployment.ingest(*map(str, files), "--source", "BBC")
    assert summary["stored"] == len(files), deployment.worker_logs()
    cfg = Settings(
        database_url=deployment.database_url, state_dir=tmp_path / "api", kafka_bootstrap="127.0.0.1:1"
    )
    url, server, thread = start_server(cfg)
    try:
        page.goto(f"{url}/#/story?entity={quote('Kilroy-Silk')}")
        page.locator("li.story-claim").first.wait_for()
        summary_line = page.locator("p.story-summary")
        expect(summary_line).to_contain_text(f"in {len(files)} articles from 1 outlet (BBC)")
        expect(page.locator("p.ingest-order")).to_be_visible()
        # a statement several articles carry is one claim: first report, then restatements
        restated = page.locator("li.story-claim", has=page.locator("li.restatement")).first
        expect(restated.locator("li.first-report")).to_contain_text("BBC")
        speakers = summary_line.inner_text().split("speakers: ", 1)[1].split(", ")
        assert "Robert Kilroy-Silk" in speakers, speakers
        assert "Kilroy-Silk" not in speakers and "Mr Kilroy-Silk" not in speakers, speakers
        check_view(page, "story-bbc")
    finally:
        server.should_exit = True
        thread.join(10)
