"""Events under a town stay reachable: a click on several things lists them to pick from."""

import pytest

from tests.browser.helpers import click_map_at, open_day, wait_for_day

CHOOSER = ".map-chooser"
FOCUSED = "() => document.activeElement && document.activeElement.textContent"


@pytest.fixture(autouse=True)
def _patient(page):
    """Conditions may take longer than the suite's 15 s on a busy machine: wait for them."""
    page.set_default_timeout(60_000)


def _items(page) -> list[str]:
    return page.locator(f"{CHOOSER} button").all_inner_texts()


def test_sa705_a_click_on_konna_lists_the_town_and_its_events_and_reaches_the_25_killed(
    page, app_url
):
    open_day(page, app_url, "2013-01-11")
    click_map_at(page, "konna")  # where three events of 10-11 Jan lie under the town
    chooser = page.locator(CHOOSER)
    chooser.wait_for(state="visible")
    assert chooser.locator(".map-chooser-title").inner_text() == "3 events and a town here:"
    items = _items(page)
    assert items[0].startswith("Konna") and len(items) == 4
    assert items[3].startswith("10 Jan 2013 · Non-state actor overtakes territory")
    assert "25 killed" in items[3]
    assert chooser.locator("a, img, script").count() == 0  # text only
    # the list has the focus: the keyboard walks it, and the page's keys do not step a day
    assert page.evaluate(FOCUSED) == items[0].replace("\n", "")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert "25 killed" in page.evaluate(FOCUSED)
    page.keyboard.press("Enter")
    detail = page.locator("#event-detail")
    detail.get_by_text("Konna, 10 Jan 2013").wait_for()
    assert "25" in detail.locator("dl").inner_text()
    page.wait_for_function("() => new URLSearchParams(location.search).get('event') === 'ML3-0001'")
    chooser.wait_for(state="hidden")
    assert page.evaluate("() => new URLSearchParams(location.search).get('date')") == "2013-01-11"


def test_sa706_esc_closes_the_list_and_the_town_is_picked_from_it(page, app_url):
    open_day(page, app_url, "2013-01-11")
    click_map_at(page, "konna")
    chooser = page.locator(CHOOSER)
    chooser.wait_for(state="visible")
    page.keyboard.press("Escape")
    chooser.wait_for(state="hidden")
    # Esc only closed the list: nothing was opened, the day has not moved
    assert "event=" not in page.url and "place=" not in page.url
    assert page.locator("#event-detail").get_by_text("Click an event").is_visible()
    click_map_at(page, "konna")
    chooser.wait_for(state="visible")
    chooser.get_by_role("button", name="Konna").click()
    page.locator("#event-detail").get_by_text("Control of Konna").wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).get('place') === 'konna'")
    chooser.wait_for(state="hidden")
    wait_for_day(page, "2013-01-11")


def test_sa707_the_situation_panel_s_event_rows_open_their_event(page, app_url):
    open_day(page, app_url, "2013-01-11")
    row = page.locator('#situation li.event[data-event-id="ML3-0001"] button')
    row.click()
    detail = page.locator("#event-detail")
    detail.get_by_text("Konna, 10 Jan 2013").wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).get('event') === 'ML3-0001'")
    # and from the keyboard: a row is a button, Enter opens it
    other = page.locator('#situation li.event[data-event-id="ML1-0048"] button')
    other.focus()
    page.keyboard.press("Enter")
    detail.get_by_text("Bamako").first.wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).get('event') === 'ML1-0048'")
