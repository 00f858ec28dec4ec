"""Dash's @babel/polyfill URL answers with regenerator-runtime alone."""

import re

import pytest

from dashboard.polyfill import RUNTIME
from dashboard.server import create_app


@pytest.fixture(scope="module")
def client():
    return create_app(strict=True).server.test_client()


def test_the_vendored_runtime_is_regenerator_runtime_with_its_licence():
    text = RUNTIME.read_text(encoding="utf-8")
    assert "regeneratorRuntime = runtime;" in text and "core-js" not in text
    assert "MIT License" in (RUNTIME.parent / "LICENSE").read_text(encoding="utf-8")


def test_the_page_s_polyfill_script_is_the_runtime_revalidated(client):
    page = client.get("/").text
    polyfill = [s for s in re.findall(r'<script src="([^"]+)"', page) if "polyfill@7" in s]
    assert len(polyfill) == 1, polyfill
    response = client.get(polyfill[0])
    assert response.status_code == 200
    assert response.get_data() == RUNTIME.read_bytes()
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    again = client.get(polyfill[0], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # the fingerprinted and the plain URL alike; other files of Dash's are Dash's own
    plain = client.get("/_dash-component-suites/dash/deps/polyfill@7.12.1.min.js")
    assert plain.get_data() == RUNTIME.read_bytes()
    react = [s for s in re.findall(r'<script src="([^"]+)"', page) if "/deps/react@" in s]
    assert b"regeneratorRuntime = runtime" not in client.get(react[0]).get_data()
