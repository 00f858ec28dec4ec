/*
 * Sahel Atlas, recordings: a WebM video or an animated GIF of a date range or of the key
 * moments (the plan: assets/atlas/recordplan.js), each frame the view as the PNG shows it
 * (map, events, title, day, legend and sources burned in: export.js's compose), drawn only
 * once the map is complete and stamped with its exact time. Nothing is grabbed from the
 * screen in real time: a slow frame takes longer to make, not a shorter time in the file.
 *
 * Owns, in the page: the Record dialog, showFrame (the one place that moves the page to a
 * frame and waits until it is drawn), the encoders (assets/vendor/: mediabunny over
 * WebCodecs for WebM, gifenc for GIF, imported when a recording starts) and the restoring
 * of the view afterwards.
 */
(function (root) {
    "use strict";

    const DRAW_TIMEOUT_MS = 30000;
    /* The widest frame kept: a GIF's palette work grows with its pixels. */
    const MAX_WIDTH = {webm: 1920, gif: 960};
    // the vendored libraries sit beside this file's folder, under the app's own path
    const VENDOR = new URL("../vendor/", document.currentScript.src).href;
    const state = {running: false, cancelled: false};

    function A() {
        return root.SahelAtlas;
    }

    /* The plan's functions (recordplan.js, loaded after this file). */
    function planner() {
        return root.SahelAtlas.recordplan;
    }

    function byId(id) {
        return document.getElementById(id);
    }

    function ready(map) {
        return map.loaded() && map.areTilesLoaded() && !map.isMoving();
    }

    /* Whether the town markers the event canvas drew are those of `day`. */
    function townsShown(day) {
        const drawn = window.dash_clientside.sahelAtlas.townsDrawn();
        return Boolean(drawn) && drawn.day === day;
    }

    function atView(map, view) {
        const c = map.getCenter();
        return Math.abs(c.lng - view.lon) < 1e-6 && Math.abs(c.lat - view.lat) < 1e-6
            && Math.abs(map.getZoom() - view.zoom) < 1e-6;
    }

    /* Move the page to a frame and resolve once it is fully drawn: the events of its day
       painted in its window with the town markers of that day, the map at its view,
       loaded and still. The page moves as Back or
       Forward would move it (its URL read again): day, window and view in one step, and
       no history entry. This is the one function that moves the day for a recording. */
    function showFrame(frame) {
        const layer = A().layer;
        const map = layer.mapOf();
        if (frame.view && !atView(map, frame.view)) {
            layer.state.viewTarget = null; // jump even if the map was moved off the last one
        }
        window.history.replaceState(window.history.state, "", frame.search);
        window.dispatchEvent(new PopStateEvent("popstate", {state: window.history.state}));
        if (frame.view) {
            layer.showView(frame.view, false);
        }
        const drawn = function () {
            const s = layer.state;
            return s.day === frame.day && s.painted === frame.day
                && (frame.window === undefined || s.windowDays === frame.window)
                && townsShown(frame.day) && ready(map)
                && (!frame.view || atView(map, frame.view));
        };
        const deadline = performance.now() + DRAW_TIMEOUT_MS;
        return new Promise(function (resolve, reject) {
            const check = function () {
                if (drawn() || performance.now() > deadline) {
                    if (drawn()) {
                        resolve();
                    } else {
                        reject(new Error("the map did not finish drawing "
                            + A().dates.labelOf(frame.day) + " within 30 s"));
                    }
                    return;
                }
                window.requestAnimationFrame(check);
            };
            window.requestAnimationFrame(check);
        });
    }

    /* The frame as a picture, read in a frame MapLibre draws (its WebGL canvas is cleared
       after each), once that frame is of the complete map. */
    function capture(map, words) {
        return new Promise(function (resolve, reject) {
            const timer = setTimeout(function () {
                map.off("render", onRender);
                reject(new Error("the map drew no frame to record within 30 s"));
            }, DRAW_TIMEOUT_MS);
            const onRender = function () {
                if (!ready(map)) {
                    return;
                }
                map.off("render", onRender);
                clearTimeout(timer);
                resolve(A().exports.compose(map, words));
            };
            map.on("render", onRender);
            map.triggerRepaint();
        });
    }

    /* The words burned into a key moment's frame: its title, and its sources. */
    function momentWords(moment) {
        const cited = moment.sources.map(function (s) {
            return s.publisher + (s.published ? ", " + s.published : "");
        });
        return {
            title: "Sahel Atlas · " + moment.label + " · " + moment.title,
            sources: "Sources: " + (cited.length ? cited.join(" · ") : "Sahel Atlas") + " · borders: Natural Earth",
        };
    }

    /* A WebM writer: VP9 (else VP8) through WebCodecs, muxed by mediabunny. */
    async function webmWriter(canvas, plan) {
        const mb = await import(VENDOR + "mediabunny-1.61.0/mediabunny.min.mjs");
        const size = {width: canvas.width, height: canvas.height, quality: mb.QUALITY_HIGH};
        const codec = typeof VideoEncoder === "undefined" ? null
            : await mb.getFirstEncodableVideoCodec(["vp9", "vp8"], size);
        if (!codec) {
            throw new Error("this browser cannot encode WebM video on this page (WebCodecs needs "
                + "https or localhost): choose GIF");
        }
        const output = new mb.Output({format: new mb.WebMOutputFormat(), target: new mb.BufferTarget()});
        const source = new mb.CanvasSource(canvas, {codec: codec, quality: mb.QUALITY_HIGH, keyFrameInterval: 2});
        output.addVideoTrack(source, plan.fps ? {frameRate: plan.fps} : {});
        await output.start();
        return {
            add: function (time, duration) { return source.add(time, duration); },
            finish: async function () {
                await output.finalize();
                return new Blob([output.target.buffer], {type: "video/webm"});
            },
            cancel: function () { return output.cancel(); },
        };
    }

    /* An animated GIF writer: a palette of 256 colours per frame, by gifenc. */
    async function gifWriter(canvas, plan) {
        const gifenc = await import(VENDOR + "gifenc-1.0.3/gifenc.esm.js");
        const gif = gifenc.GIFEncoder();
        const delays = planner().gifDelays(plan.frames);
        const ctx = canvas.getContext("2d", {willReadFrequently: true});
        let k = 0;
        return {
            add: function () {
                const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
                const palette = gifenc.quantize(pixels, 256);
                const index = gifenc.applyPalette(pixels, palette);
                gif.writeFrame(index, canvas.width, canvas.height, {palette: palette, delay: delays[k]});
                k += 1;
                return Promise.resolve();
            },
            finish: function () {
                gif.finish();
                return Promise.resolve(new Blob([gif.bytes()], {type: "image/gif"}));
            },
            cancel: function () { return Promise.resolve(); },
        };
    }

    function download(blob, name) {
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
    }

    function say(text) {
        byId("record-status").textContent = text;
    }

    function progress(done, total) {
        const bar = byId("record-progress");
        bar.max = total;
        bar.value = done;
    }

    function setRunning(on) {
        state.running = on;
        byId("record-start").disabled = on;
        byId("record-cancel").textContent = on ? "Cancel" : "Close";
        byId("record-dialog").querySelectorAll("input").forEach(function (input) { input.disabled = on; });
    }

    /* The view to come back to: the one the URL holds (rounded, as the page wrote it; the
       page jumps there when it reads the URL again), else the map's own. */
    function viewToRestore(search, map) {
        const params = new URLSearchParams(search);
        const asked = ["lat", "lon", "zoom"].map(function (k) { return parseFloat(params.get(k)); });
        if (asked.every(Number.isFinite)) {
            return {lat: asked[0], lon: asked[1], zoom: asked[2]};
        }
        const c = map.getCenter();
        return {lat: c.lat, lon: c.lng, zoom: map.getZoom()};
    }

    /* Record `plan`, frame by frame; the view the page had is shown again afterwards. */
    async function record(plan, data) {
        const layer = A().layer;
        const map = layer.mapOf();
        const before = {
            day: layer.state.day, window: layer.state.windowDays, search: window.location.search,
            view: viewToRestore(window.location.search, map),
        };
        const times = planner().frameTimes(plan.frames);
        let canvas = null;
        let writer = null;
        setRunning(true);
        state.cancelled = false;
        try {
            for (let k = 0; k < plan.frames.length; k++) {
                if (state.cancelled) {
                    break;
                }
                const frame = plan.frames[k];
                say("Frame " + (k + 1) + " of " + plan.frames.length + ": " + A().dates.labelOf(frame.day));
                await showFrame({
                    day: frame.day, search: planner().frameSearch(before.search, frame, data),
                    window: frame.moment ? frame.moment.window : undefined,
                    view: frame.moment ? {lat: frame.moment.lat, lon: frame.moment.lon, zoom: frame.moment.zoom} : null,
                });
                const picture = await capture(map, frame.moment ? momentWords(frame.moment) : null);
                if (!canvas) {
                    // one size for every frame; even sides, as 4:2:0 video wants
                    const scale = Math.min(1, MAX_WIDTH[plan.format] / picture.width);
                    canvas = document.createElement("canvas");
                    canvas.width = 2 * Math.round(picture.width * scale / 2);
                    canvas.height = 2 * Math.round(picture.height * scale / 2);
                    writer = await (plan.format === "gif" ? gifWriter : webmWriter)(canvas, plan);
                }
                const ctx = canvas.getContext("2d");
                ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
                await writer.add(times[k], frame.duration);
                progress(k + 1, plan.frames.length);
            }
            if (state.cancelled) {
                if (writer) {
                    await writer.cancel();
                }
                say("Cancelled: nothing was saved.");
            } else {
                const name = planner().fileName(plan);
                download(await writer.finish(), name);
                say("Saved " + name + ": " + plan.frames.length + " frames, "
                    + times[times.length - 1].toFixed(1) + " s.");
            }
        } catch (err) {
            if (writer) {
                await writer.cancel().catch(function () {});
            }
            say("Not recorded: " + (err && err.message ? err.message : String(err)));
        } finally {
            try {
                await showFrame({day: before.day, search: before.search, window: before.window, view: before.view});
            } catch (err) {
                say(byId("record-status").textContent + " The view could not be restored: " + err.message);
            }
            setRunning(false);
        }
    }

    function field(id) {
        return byId(id).value;
    }

    function checked(id) {
        const input = byId(id).querySelector("input:checked");
        return input ? input.value : "";
    }

    function start() {
        const data = A().layer.state.data;
        const map = A().layer.mapOf();
        if (state.running || !data || !map) {
            return;
        }
        const plan = planner().recordingPlan({
            what: checked("record-what"), from: field("record-from"), to: field("record-to"),
            daysPerFrame: field("record-days-per-frame"), fps: field("record-fps"),
            secondsPerMoment: field("record-seconds-per-moment"), format: checked("record-format"),
        }, data);
        if (plan.problem) {
            say(plan.problem);
            return;
        }
        if (plan.format === "webm" && typeof VideoEncoder === "undefined") {
            say("This browser cannot encode WebM video on this page (WebCodecs needs https or "
                + "localhost): choose GIF.");
            return;
        }
        progress(0, plan.frames.length);
        record(plan, data);
    }

    /* Open the dialog with the range of the 30 days from the day shown. */
    function open() {
        const layer = A().layer.state;
        if (!layer.data || layer.day === null) {
            return;
        }
        const dates = A().dates;
        const last = Math.min(layer.day + 30, layer.data.range[1]);
        window.dash_clientside.set_props("record-from", {value: dates.isoOf(Math.max(last - 30, layer.data.range[0]))});
        window.dash_clientside.set_props("record-to", {value: dates.isoOf(last)});
        byId("record-dialog").hidden = false;
        say("");
        progress(0, 1);
        byId("record-from").focus();
    }

    function close() {
        byId("record-dialog").hidden = true;
        const button = byId("record");
        if (button) {
            button.focus();
        }
    }

    document.addEventListener("keydown", function (e) {
        const dialog = byId("record-dialog");
        if (e.key === "Escape" && dialog && !dialog.hidden && !state.running) {
            close();
            e.stopImmediatePropagation(); // Esc closes this dialog, nothing else
        }
    }, true);

    document.addEventListener("click", function (e) {
        const el = e.target && e.target.closest && e.target.closest("button");
        if (!el) {
            return;
        }
        if (el.id === "record") {
            open();
        } else if (el.id === "record-start") {
            start();
        } else if (el.id === "record-cancel") {
            if (state.running) {
                state.cancelled = true;
                say("Cancelling…");
            } else {
                close();
            }
        }
    });

    root.SahelAtlas = root.SahelAtlas || {};
    root.SahelAtlas.record = {showFrame: showFrame, state: state};
})(typeof window !== "undefined" ? window : globalThis);
