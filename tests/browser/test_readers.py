"""Readers: the legend in view, the double ring of contested towns, labels and axe-core."""

from datetime import date
from pathlib import Path

import pytest

from dashboard.domain import control_on
from tests.browser.conftest import PAGE_TIMEOUT_MS
from tests.browser.helpers import open_day, wait_for_day

ROOT = Path(__file__).resolve().parents[2]
#: Installed from npm by scripts/test (pinned there too) and served by this test, no CDN.
AXE = ROOT / "build/npm/node_modules/axe-core/axe.min.js"
AXE_VERSION = "4.14.1"


def _holders(dataset, day: str) -> set[str]:
    return {
        g
        for place in dataset.control_places
        for p in [control_on(dataset.periods, place, date.fromisoformat(day))]
        if p
        for g in p.groups
    }


def _legend_box(page) -> dict:
    return page.evaluate(
        """() => {
            const r = document.querySelector('#legend').getBoundingClientRect();
            const m = document.querySelector('#map').getBoundingClientRect();
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                    width: innerWidth, height: innerHeight, map: {left: m.left, top: m.top,
                    right: m.right, bottom: m.bottom}};
        }"""
    )


def _listed(page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            "#legend-groups [data-group]", "els => els.map(e => e.dataset.group)"
        )
    )


def _assert_inside(box: dict) -> None:
    assert 0 <= box["left"] < box["right"] <= box["width"], box
    assert 0 <= box["top"] < box["bottom"] <= box["height"], box
    m = box["map"]
    assert m["left"] <= box["left"] and box["right"] <= m["right"], box
    assert m["top"] <= box["top"] and box["bottom"] <= m["bottom"], box


def test_sa601_the_legend_is_in_view_and_lists_the_day_s_holders(page, app_url, dataset):
    open_day(page, app_url, "2013-01-11")
    legend = page.locator("#legend")
    assert legend.is_visible()
    _assert_inside(_legend_box(page))
    assert _listed(page) == _holders(dataset, "2013-01-11")
    assert page.locator('#legend-groups [data-group="mujao"] .family').inner_text() == "J"
    assert legend.locator("[data-event-type]").count() == 6
    assert "contested (double ring)" in legend.inner_text()
    # Konna is contested that day: its dark ring has a white gap inside
    gap = page.evaluate(
        """() => {
            const drawn = window.dash_clientside.sahelAtlas.townsDrawn();
            return drawn.gap[drawn.ids.indexOf('konna')];
        }"""
    )
    assert gap == "#ffffff"
    # another day, other holders
    page.locator("#date-input").fill("2012-05-01")
    page.locator("#date-input").press("Enter")
    wait_for_day(page, "2012-05-01")
    want = _holders(dataset, "2012-05-01")
    assert want != _holders(dataset, "2013-01-11")
    page.wait_for_function(
        """(want) => {
            const got = [...document.querySelectorAll('#legend-groups [data-group]')]
                .map(e => e.dataset.group).sort();
            return JSON.stringify(got) === JSON.stringify(want);
        }""",
        arg=sorted(want),
    )
    # its title folds it away
    legend.locator("summary").click()
    page.wait_for_function("() => !document.querySelector('#legend').open")
    assert not page.locator("#legend-groups").is_visible()


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True, ids=["phone"])
def test_sa602_the_legend_stays_compact_on_a_phone(page, app_url, dataset):
    open_day(page, app_url, "2013-01-11")
    box = _legend_box(page)
    _assert_inside(box)
    map_height = box["map"]["bottom"] - box["map"]["top"]
    assert box["bottom"] - box["top"] <= map_height / 2 + 1
    assert box["right"] - box["left"] <= 0.8 * (box["map"]["right"] - box["map"]["left"])
    assert _listed(page) == _holders(dataset, "2013-01-11")


def test_sa603_controls_are_labelled_and_the_slider_says_a_date(page, app_url):
    open_day(page, app_url, "2013-01-11")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    labelled = page.evaluate("() => document.querySelector('label[for=\"date-input\"]').control.id")
    assert labelled == "date-input"
    handle = page.locator('#date-slider [role="slider"]')
    page.wait_for_function(
        """() => document.querySelector('#date-slider [role="slider"]')
            .getAttribute('aria-valuetext') === '11 Jan 2013'"""
    )
    assert handle.get_attribute("aria-label") == "Date"
    page.locator("#step-forward-day").click()
    wait_for_day(page, "2013-01-12")
    page.wait_for_function(
        """() => document.querySelector('#date-slider [role="slider"]')
            .getAttribute('aria-valuetext') === '12 Jan 2013'"""
    )
    # every control of the controls row is reached with Tab alone
    name = """e => e.id || e.getAttribute('aria-label') || e.className || e.tagName"""
    wanted = page.eval_on_selector_all(
        ".controls button, .controls input, .controls [role=slider], .controls [tabindex]",
        f"els => els.filter(e => e.offsetParent !== null && e.tabIndex >= 0).map({name})",
    )
    # a dropdown is reached on its own element, not on the hidden input Dash keeps in it
    wanted = [w for w in wanted if w != "dash-dropdown-focus-target"]
    wanted += ["play-speed", "window-select"]
    page.locator("#previous-change").focus()
    reached = []
    for _ in range(80):  # through the row, the slider and the filters below it
        reached.append(page.evaluate(f"() => ({name})(document.activeElement)"))
        if not page.evaluate("() => Boolean(document.activeElement.closest('.controls'))"):
            break
        page.keyboard.press("Tab")
    assert set(wanted) <= set(reached), (wanted, reached)
    # a dropdown reached by Tab opens from the keyboard
    page.locator("#window-select").focus()
    page.keyboard.press("Enter")
    page.locator('[role="listbox"], [role="option"]').first.wait_for()
    page.keyboard.press("Escape")


#: The views axe-core checks: the default page, presenter mode and the compare view, each
#: with what shows it whole.
AXE_VIEWS = {
    "default": ("/?date=2013-01-11", "() => true"),
    "presenter": (
        "/?date=2013-01-10&present=1",
        "() => { const p = document.getElementById('presenter');"
        " return Boolean(p && p.getBoundingClientRect().width > 0"
        " && document.getElementById('presenter-title').textContent); }",
    ),
    "compare": (
        "/?date=2013-02-01&compare=2012-06-01",
        "() => { const t = window.SahelAtlas.twin.shown(); return Boolean(t && t.loaded); }",
    ),
}


@pytest.mark.parametrize("view", list(AXE_VIEWS))
def test_sa604_axe_finds_no_serious_or_critical_violation(browser, app_url, view):
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run scripts/test, which installs it")
    path, whole = AXE_VIEWS[view]
    # The page's CSP lets no inline script run, the test's own axe-core included: this
    # context alone bypasses it (tests/browser/test_security.py checks the CSP itself).
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(app_url + path)
    wait_for_day(page, path.split("date=")[1][:10])
    page.wait_for_function(whole)
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("() => axe.version") == AXE_VERSION
    violations = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))"""
    )
    context.close()
    assert violations == []
