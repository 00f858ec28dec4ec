/*
 * Sahel Atlas, an analyst's own export: picked in the page, sent in chunks to the server
 * (dashboard/uploads.py), imported there, its report shown, then the new data set opened.
 *
 * Owns: chunkPlan (pure; unit-tested by tests/js/upload.test.js with node --test) and, in
 * the page, the file picker, the progress of the upload and of the import, and the report
 * (set as text: a file's content never becomes markup).
 */
(function (root) {
    "use strict";

    const CHUNK = 8 * 1024 * 1024; // dashboard/uploads.py CHUNK_BYTES
    const POLL_MS = 400;

    /* The [start, end) byte ranges of a file of `size` bytes, in order. */
    function chunkPlan(size, chunk) {
        const plan = [];
        for (let start = 0; start < size; start += chunk) {
            plan.push([start, Math.min(start + chunk, size)]);
        }
        return plan;
    }

    /* One line of the report per fact, as text. */
    function reportLines(report) {
        const n = function (x) { return Number(x || 0).toLocaleString("en"); };
        const lines = [report.file + " (" + String(report.format || "?").toUpperCase() + "): "
            + n(report.rows_read) + " rows read, " + n(report.imported) + " imported, "
            + n(report.rejected_count) + " rejected"];
        const unmatched = Object.keys(report.actors_unmatched || {});
        const matched = Object.keys(report.actors_matched || {});
        if (matched.length || unmatched.length) {
            lines.push("Actors: " + n(matched.length) + " matched to the atlas's groups, "
                + n(unmatched.length) + " new" + (unmatched.length ? " (" + unmatched.slice(0, 8).join("; ")
                + (unmatched.length > 8 ? "; …" : "") + ")" : ""));
        }
        (report.rejected || []).slice(0, 50).forEach(function (r) {
            lines.push("Line " + r.line + ": " + r.reason);
        });
        const more = Number(report.rejected_count || 0) - Math.min(50, (report.rejected || []).length);
        if (more > 0) {
            lines.push("… and " + n(more) + " more rejected rows");
        }
        return lines;
    }

    const api = {chunkPlan: chunkPlan, reportLines: reportLines, CHUNK: CHUNK};
    if (typeof module === "object" && module.exports) {
        module.exports = api;
        return;
    }

    function byId(id) {
        return document.getElementById(id);
    }

    function say(text) {
        byId("upload-status").textContent = text;
    }

    function progress(value, max) {
        const bar = byId("upload-progress");
        bar.hidden = false;
        bar.max = max;
        bar.value = value;
    }

    function showReport(report) {
        const box = byId("upload-report");
        box.textContent = "";
        const list = document.createElement("ul");
        reportLines(report).forEach(function (line) {
            const li = document.createElement("li");
            li.textContent = line;
            list.appendChild(li);
        });
        box.appendChild(list);
    }

    function post(url) {
        return function (body) {
            return fetch(url, {method: "POST", body: body, headers: {"Content-Type": "application/octet-stream"}})
                .then(function (r) {
                    return r.json().then(function (j) {
                        if (!r.ok) {
                            throw new Error(j.error || ("HTTP " + r.status));
                        }
                        return j;
                    });
                });
        };
    }

    function base() {
        return byId("upload").dataset.base; // the app's prefix, e.g. "/" or "/sahel/"
    }

    function upload(file) {
        const plan = chunkPlan(file.size, CHUNK);
        const limit = Number(byId("upload").dataset.limit);
        if (file.size > limit) {
            say(file.name + " is " + Math.round(file.size / 1e6) + " MB; this server takes files up to "
                + Math.round(limit / 1e6) + " MB.");
            return;
        }
        if (!plan.length) {
            say(file.name + " is empty.");
            return;
        }
        const format = byId("upload-format").value || "auto";
        let id = "";
        let k = 0;
        say("Uploading " + file.name + "…");
        const next = function () {
            if (k === plan.length) {
                say("Importing " + file.name + "…");
                progress(0, 0); // no value: the bar shows work in progress
                byId("upload-progress").removeAttribute("value");
                return post(base() + "data/import?id=" + id + "&format=" + encodeURIComponent(format))(null)
                    .then(poll);
            }
            const range = plan[k];
            const url = base() + "data/upload?id=" + id + "&offset=" + range[0] + "&total=" + file.size
                + "&name=" + encodeURIComponent(file.name);
            return post(url)(file.slice(range[0], range[1])).then(function (j) {
                id = j.id;
                k += 1;
                progress(j.received, file.size);
                return next();
            });
        };
        next().catch(function (err) {
            say("The upload stopped: " + err.message);
        });
    }

    function poll(job) {
        return fetch(base() + "data/import/" + job.id).then(function (r) { return r.json(); }).then(function (j) {
            if (j.state === "importing") {
                return new Promise(function (resolve) { setTimeout(resolve, POLL_MS); }).then(function () {
                    return poll(j);
                });
            }
            byId("upload-progress").hidden = true;
            if (j.state === "failed") {
                say("Nothing was imported from " + j.name + ": " + j.error);
                return null;
            }
            showReport(j.report);
            say("Imported. Opening the new data set…");
            const day = new URLSearchParams(window.location.search).get("date");
            const link = base() + "d/" + j.key + "/" + (day ? "?date=" + day : "");
            const a = byId("upload-open");
            a.href = link;
            a.hidden = false;
            window.location.assign(link);
            return j;
        });
    }

    document.addEventListener("click", function (e) {
        const button = e.target && e.target.closest && e.target.closest("button");
        if (!button || button.id !== "upload-button") {
            return;
        }
        let input = byId("upload-file");
        if (!input) {
            input = document.createElement("input");
            input.type = "file";
            input.id = "upload-file";
            input.accept = ".csv,text/csv";
            input.hidden = true;
            input.addEventListener("change", function () {
                if (input.files && input.files[0]) {
                    upload(input.files[0]);
                }
                input.value = "";
            });
            byId("upload").appendChild(input);
        }
        input.click();
    });

    root.SahelAtlas = root.SahelAtlas || {};
    root.SahelAtlas.upload = Object.assign({upload: upload}, api);
})(typeof window !== "undefined" ? window : globalThis);
