"""Recordings: a WebM or GIF of a date range or of the key moments, frame by frame."""

import base64
import csv
from datetime import date
from pathlib import Path

from tests.browser.helpers import label, open_day, wait_for_day, wait_for_map_idle
from tests.browser.media import read_gif, read_webm

ROOT = Path(__file__).resolve().parents[2]
# a recording waits for every frame to be drawn: minutes on a busy 2-core machine
RECORDING_MS = 240_000

# What a decoded picture shows: the dark text of the title band, the colours of the map
# band (a blank WebGL buffer would leave it one colour), and a digest to tell frames apart.
LOOK = """
    const look = (image, w, h) => {
        const c = document.createElement('canvas');
        c.width = w; c.height = h;
        const ctx = c.getContext('2d', {willReadFrequently: true});
        ctx.drawImage(image, 0, 0, w, h);
        const band = ctx.getImageData(0, 0, Math.round(w / 2), Math.round(h / 20)).data;
        let dark = 0;
        for (let i = 0; i < band.length; i += 4) if (band[i] < 80 && band[i + 1] < 80) dark++;
        const map = ctx.getImageData(0, Math.round(h / 2), w, 1).data;
        const colours = new Set();
        for (let i = 0; i < map.length; i += 4) {
            colours.add((map[i] >> 3) + ',' + (map[i + 1] >> 3) + ',' + (map[i + 2] >> 3));
        }
        const all = ctx.getImageData(0, 0, w, h).data;
        let sum = 0;
        for (let i = 0; i < all.length; i += 97) sum = (sum * 31 + all[i]) % 1000000007;
        return {dark, colours: colours.size, digest: sum};
    };
"""


def open_dialog(page, app_url: str, day: str) -> None:
    # each frame waits for the map to be drawn: give every wait the time a loaded machine
    # (load average 10 on 2 cores) takes, a first load of the page included
    page.set_default_timeout(60_000)
    open_day(page, app_url, day)
    wait_for_map_idle(page)
    page.click("#record")
    page.locator("#record-dialog").wait_for(state="visible")


def record(page, **fields) -> tuple[str, bytes]:
    """Fill the dialog, start, and return the downloaded file's name and bytes."""
    for name, value in fields.items():
        if name in ("what", "format"):
            page.check(f"#record-{name} input[value={value}]")
        else:
            page.fill(f"#record-{name.replace('_', '-')}", value)
    with page.expect_download(timeout=RECORDING_MS) as download:
        page.click("#record-start")
    file = download.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def decode_webm(page, codec: str, width: int, height: int, frames: list[bytes]) -> list[dict]:
    """Decode each frame with the browser's own VP8/VP9 decoder (WebCodecs) and look at it."""
    return page.evaluate(
        "async ([codec, width, height, frames]) => {"
        + LOOK
        + """
            const seen = [];
            let failed = null;
            const decoder = new VideoDecoder({
                output: (frame) => {
                    seen.push(look(frame, frame.displayWidth, frame.displayHeight));
                    frame.close();
                },
                error: (e) => { failed = String(e); },
            });
            decoder.configure({codec, codedWidth: width, codedHeight: height});
            frames.forEach(([key, b64], k) => {
                const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
                decoder.decode(new EncodedVideoChunk({type: key ? 'key' : 'delta',
                                                      timestamp: k, data}));
            });
            await decoder.flush();
            return failed ? [failed] : seen;
        }""",
        [codec, width, height, frames],
    )


def test_sa901_a_date_range_is_recorded_as_a_webm_of_one_frame_per_day(page, app_url):
    open_dialog(page, app_url, "2013-01-11")
    name, body = record(page, **{"from": "2013-01-08", "to": "2013-01-12", "fps": "5"})
    assert name == "sahel-atlas-2013-01-08-2013-01-12.webm"
    webm = read_webm(body)
    assert webm.doc_type == "webm"
    # five frames, one per day, at exact times 1/5 s apart, and a file of 1 s
    assert [t for t, _, _ in webm.frames] == [0, 200, 400, 600, 800]
    assert webm.frames[0][1]  # it starts on a key frame
    assert webm.duration_ms == 1000
    assert webm.codec in ("V_VP9", "V_VP8")
    gl = page.evaluate(
        "() => { const c = document.querySelector('#map .js-plotly-plot')._fullLayout.map"
        "._subplot.map.getCanvas(); return {w: c.width, h: c.height}; }"
    )
    # the map (to an even number of pixels, as 4:2:0 video wants), and bands for the words
    assert abs(webm.width - gl["w"]) <= 1 and webm.height > gl["h"]
    assert webm.width % 2 == 0 and webm.height % 2 == 0
    # the browser plays it: every frame decodes, the first shows the title and the drawn map
    seen = decode_webm(
        page,
        "vp09.00.10.08" if webm.codec == "V_VP9" else "vp8",
        webm.width,
        webm.height,
        [[key, base64.b64encode(data).decode()] for _, key, data in webm.frames],
    )
    assert len(seen) == 5, seen
    assert seen[0]["dark"] > 100  # the title was written
    assert seen[0]["colours"] > 5  # the map was drawn, not a blank buffer
    assert len({s["digest"] for s in seen}) == 5  # five different days, not one picture
    assert page.locator("#record-status").inner_text() == (
        "Saved sahel-atlas-2013-01-08-2013-01-12.webm: 5 frames, 1.0 s."
    )
    # the page shows the view it had before
    wait_for_day(page, "2013-01-11")
    assert page.locator("#date-label").inner_text() == label("2013-01-11")
    # a longer recording, cancelled after its first frame: nothing is saved, the view is back
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.fill("#record-from", "2013-01-01")
    page.fill("#record-to", "2013-03-01")
    page.click("#record-start")
    page.wait_for_function("() => document.getElementById('record-progress').value >= 1")
    page.click("#record-cancel")
    page.wait_for_function("() => !document.getElementById('record-start').disabled")
    assert page.locator("#record-status").inner_text() == "Cancelled: nothing was saved."
    assert downloads == []
    wait_for_day(page, "2013-01-11")
    page.keyboard.press("Escape")
    page.locator("#record-dialog").wait_for(state="hidden")


def test_sa902_the_key_moments_are_recorded_as_a_gif_each_held_its_seconds(page, app_url):
    open_dialog(page, app_url, "2013-01-11")
    # a bad date is refused in words, and nothing starts
    page.fill("#record-from", "2012-02-30")
    page.click("#record-start")
    page.wait_for_function(
        "() => document.getElementById('record-status').textContent"
        ".startsWith('from: “2012-02-30” is not a date')"
    )
    with (ROOT / "geodata" / "moments.csv").open(encoding="utf-8") as f:
        wanted = [
            row["date"] for row in csv.DictReader(f) if "2012-03-20" <= row["date"] <= "2012-04-30"
        ]
    assert len(wanted) >= 2
    name, body = record(
        page,
        what="moments",
        format="gif",
        **{"from": "2012-03-20", "to": "2012-04-30", "seconds_per_moment": "2"},
    )
    assert name == f"sahel-atlas-{wanted[0]}-{wanted[-1]}.gif"
    gif = read_gif(body)
    assert gif.delays_ms == [2000] * len(wanted)
    assert 0 < gif.width <= 960  # frames are at most 960 px wide
    seen = page.evaluate(
        "async (b64) => {"
        + LOOK
        + """
            const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
            const decoder = new ImageDecoder({data, type: 'image/gif'});
            await decoder.tracks.ready;
            await decoder.completed;
            const count = decoder.tracks.selectedTrack.frameCount;
            const first = (await decoder.decode({frameIndex: 0})).image;
            const out = {count, first: look(first, first.displayWidth, first.displayHeight)};
            first.close();
            return out;
        }""",
        base64.b64encode(body).decode(),
    )
    assert seen["count"] == len(wanted)
    assert seen["first"]["dark"] > 100 and seen["first"]["colours"] > 5
    # the moment's view was shown, and the page is back on its own day
    wait_for_day(page, "2013-01-11")
    assert date.fromisoformat(wanted[0]) < date(2013, 1, 11)
