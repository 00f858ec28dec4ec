/*
 * Sahel Atlas, keys and small controls: the keys the whole page answers (not only a
 * focused slider), the keys list, and "Copy link".
 *
 * Owns: keyAction (which control a key press stands for; pure, unit-tested by
 * tests/js/keys.test.js with node --test) and, in the page, the document's keydown
 * listener, which presses the same buttons a person would (their clicks take the fast
 * path of stepper.js), so that a key is one history entry like the button's click.
 */
(function (root) {
    "use strict";

    /* The action of a key press: {click: id} to press a button, {day: "first"|"last"},
       {help: "toggle"|"close"}, or null to leave the key to the browser (typing in a field,
       a focused slider's own arrows, a shortcut with Ctrl/Alt/Meta). */
    function keyAction(key, mods, target) {
        if (mods.ctrl || mods.alt || mods.meta) {
            return null;
        }
        const typing = target.typing;
        if (key === "Escape") {
            return {help: "close"};
        }
        if (typing) {
            return null;
        }
        if (key === "?") {
            return {help: "toggle"};
        }
        if (target.slider && ["ArrowLeft", "ArrowRight", "Home", "End"].indexOf(key) >= 0) {
            return null; // the slider's own keys move it
        }
        switch (key) {
            case "ArrowLeft":
                return {click: mods.shift ? "step-back-month" : "step-back-day"};
            case "ArrowRight":
                return {click: mods.shift ? "step-forward-month" : "step-forward-day"};
            case " ":
                return target.button ? null : {click: "play"}; // a focused button takes Space itself
            case "Home":
                return {day: "first"};
            case "End":
                return {day: "last"};
            case "n":
            case "N":
                return {click: "next-change"};
            case "p":
            case "P":
                return {click: "previous-change"};
            default:
                return null;
        }
    }

    /* What kind of element has the key press (for keyAction). */
    function targetOf(el) {
        const tag = (el && el.tagName) || "";
        return {
            typing: tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || Boolean(el && el.isContentEditable),
            slider: Boolean(el && el.getAttribute && el.getAttribute("role") === "slider"),
            button: tag === "BUTTON" || tag === "A",
        };
    }

    function toggleHelp(show) {
        const help = document.getElementById("keys-help");
        if (!help) {
            return;
        }
        help.hidden = show === undefined ? !help.hidden : !show;
        if (!help.hidden) {
            const close = document.getElementById("keys-close");
            if (close) {
                close.focus();
            }
        }
    }

    function notice(text) {
        const box = document.getElementById("view-notice");
        if (box) {
            box.textContent = text;
        }
    }

    function copyLink() {
        const url = window.location.href;
        const done = function () { notice("Link copied: " + url); };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(url).then(done, function () {
                notice("Copy this link: " + url);
            });
        } else {
            notice("Copy this link: " + url); // no clipboard here (e.g. plain http on a LAN)
        }
    }

    function onKey(e) {
        const action = keyAction(e.key, {ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey, shift: e.shiftKey},
            targetOf(e.target));
        if (!action) {
            return;
        }
        if (action.help) {
            const help = document.getElementById("keys-help");
            if (action.help === "close" && (!help || help.hidden)) {
                return;
            }
            toggleHelp(action.help === "close" ? false : undefined);
        } else if (action.click) {
            const button = document.getElementById(action.click);
            if (!button) {
                return;
            }
            button.click();
        } else if (action.day) {
            const layer = root.SahelAtlas.layer.state;
            if (!layer.data) {
                return;
            }
            const day = layer.data.range[action.day === "first" ? 0 : 1];
            if (!root.SahelAtlas.stepper.go(day, "date-input.value")) {
                window.dash_clientside.set_props("date-input", {value: root.SahelAtlas.dates.isoOf(day)});
            }
        }
        e.preventDefault();
    }

    function onClick(e) {
        const id = e.target && e.target.closest && (e.target.closest("button") || {}).id;
        if (id === "copy-link") {
            copyLink();
        } else if (id === "keys-button") {
            toggleHelp();
        } else if (id === "keys-close") {
            toggleHelp(false);
            const button = document.getElementById("keys-button");
            if (button) {
                button.focus();
            }
        }
    }

    const api = {keyAction: keyAction};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.SahelAtlas = root.SahelAtlas || {};
        root.SahelAtlas.keys = api;
        document.addEventListener("keydown", onKey);
        document.addEventListener("click", onClick);
    }
})(typeof window !== "undefined" ? window : globalThis);
