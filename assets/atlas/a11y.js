/*
 * Sahel Atlas, accessibility: the date slider announces a date, not a day number.
 *
 * Owns: sliderText (the slider's accessible name and value text for a day number; pure,
 * unit-tested by tests/js/a11y.test.js with node --test) and, in the page, an observer
 * that keeps the handle's aria-valuetext ("11 Jan 2013") and aria-label ("Date") in step
 * with its aria-valuenow, which dcc.Slider sets to the day number (15716).
 *
 * It also moves each Dash 4 dropdown's tab stop from its hidden input
 * (.dash-dropdown-focus-target: aria-hidden yet focusable, axe-core's "aria-hidden-focus",
 * and a stop that Shift+Tab leaves focus on) to the dropdown's own button, which carries
 * its name and opens it with Enter, Space or the arrows.
 */
(function (root) {
    "use strict";

    const SLIDER = "#date-slider";
    const FOCUS_TARGETS = 'input.dash-dropdown-focus-target[aria-hidden="true"]:not([tabindex="-1"])';

    function dates() {
        return typeof module === "object" && module.exports
            ? require("./dates.js")
            : root.SahelAtlas.dates;
    }

    /* {label, text} for the handle showing `valueNow` (a day number, as a string or a
       number), or null for anything that is not a whole number. */
    function sliderText(valueNow) {
        const day = Number(valueNow);
        if (valueNow === null || valueNow === "" || !Number.isInteger(day)) {
            return null;
        }
        return {label: "Date", text: dates().labelOf(day)};
    }

    function describeHandles(container) {
        container.querySelectorAll('[role="slider"]').forEach(function (handle) {
            const said = sliderText(handle.getAttribute("aria-valuenow"));
            if (said && handle.getAttribute("aria-valuetext") !== said.text) {
                handle.setAttribute("aria-valuetext", said.text);
            }
            if (said && handle.getAttribute("aria-label") !== said.label) {
                handle.setAttribute("aria-label", said.label);
            }
        });
    }

    function fixDropdowns(document) {
        document.querySelectorAll(FOCUS_TARGETS).forEach(function (input) {
            const button = input.nextElementSibling;
            if (button && button.matches("button.dash-dropdown")) {
                input.tabIndex = -1;
                button.tabIndex = 0;
            }
        });
    }

    /* Dash 4 renders a checklist as a listbox of options that each hold a checkbox: an
       input with no name and controls nested in controls. Make it a named group of
       labelled checkboxes (the container names it through its data-label). */
    function plainChecklists(document) {
        document.querySelectorAll('.dash-checklist[role="listbox"]').forEach(function (list) {
            list.setAttribute("role", "group");
            const name = list.closest("[data-label]");
            if (name) {
                list.setAttribute("aria-label", name.dataset.label);
            }
        });
        document.querySelectorAll('.dash-checklist [role="option"]').forEach(function (option) {
            option.removeAttribute("role");
            option.removeAttribute("aria-selected");
        });
    }

    function unfocusHidden(document) {
        plainChecklists(document);
        fixDropdowns(document);
    }

    /* Watch the slider once Dash has rendered it: its handle's value, and a new handle
       should React replace it. */
    function watch(document) {
        function attach(container) {
            describeHandles(container);
            new MutationObserver(function () { describeHandles(container); }).observe(container, {
                subtree: true,
                childList: true,
                attributes: true,
                attributeFilter: ["aria-valuenow"],
            });
        }
        // dropdowns and checklists come and go (a re-rendered one): check each change
        unfocusHidden(document);
        new MutationObserver(function () { unfocusHidden(document); }).observe(document.body, {
            childList: true,
            subtree: true,
        });
        const now = document.querySelector(SLIDER);
        if (now) {
            attach(now);
            return;
        }
        const waiting = new MutationObserver(function () {
            const container = document.querySelector(SLIDER);
            if (container) {
                waiting.disconnect();
                attach(container);
            }
        });
        waiting.observe(document.body, {childList: true, subtree: true});
    }

    const api = {sliderText: sliderText};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.a11y = api;
        if (root.document.readyState === "loading") {
            root.document.addEventListener("DOMContentLoaded", function () { watch(root.document); });
        } else {
            watch(root.document);
        }
    }
})(typeof window !== "undefined" ? window : globalThis);
