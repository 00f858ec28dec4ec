"""An analyst uploads an export in the page, sees its report and then its events."""

from pathlib import Path

from tests.browser.helpers import shown_events, wait_for_day

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upload"


def test_sa501_an_uploaded_export_opens_with_its_report_and_events(page, app_url):
    page.goto(f"{app_url}/?date=2012-04-15")
    wait_for_day(page, "2012-04-15")
    with page.expect_file_chooser() as chooser:
        page.click("#upload-button")
    chooser.value.set_files(str(FIXTURES / "acled_sample.csv"))
    # the report, then the new data set in its own page
    page.wait_for_url("**/d/*/?date=2012-04-15")
    wait_for_day(page, "2012-04-15")
    report = page.locator("#data-panel .import-report summary")
    report.get_by_text("acled_sample.csv (ACLED): 4 rows read, 4 imported, 0 rejected").wait_for()
    assert "Only your imported events are shown" in page.locator("#data-panel").inner_text()
    # its event of 31 Mar 2012 (Gao) is on the map; the shipped events are not
    page.wait_for_function("() => window.dash_clientside.sahelAtlas.shownEvents().length === 1")
    gao = shown_events(page)[0]
    assert abs(gao["lat"] - 16.2667) < 1e-3 and abs(gao["lon"] + 0.05) < 1e-3
    # and its hover names the export's own source
    detail = page.evaluate(
        "() => fetch('data/event-hover?i=0').then(r => r.json()).then(j => j.id)"
    )
    assert detail == "MLI90001"


def test_sa502_a_file_that_is_not_an_export_says_why(page, app_url):
    page.goto(f"{app_url}/?date=2012-04-15")
    wait_for_day(page, "2012-04-15")
    with page.expect_file_chooser() as chooser:
        page.click("#upload-button")
    chooser.value.set_files(str(FIXTURES / "acled_missing_column.csv"))
    status = page.locator("#upload-status")
    status.get_by_text("Nothing was imported from acled_missing_column.csv").wait_for()
    assert "missing column(s): latitude" in status.inner_text()
    assert page.url.startswith(f"{app_url}/?")  # still on the same page
