"""Headless Chromium for the map's browser tests and bench: network blocked, requests and
console errors recorded.

Chromium is started through selenium and /usr/bin/chromedriver with flags that stop it from
talking to anything on its own (see the project's notes on headless checks). Every request the
page makes is read back from Chrome's performance log, so a test can assert that nothing but the
file itself was loaded; http(s) and websocket URLs are also blocked outright, so a regression
shows up as a recorded request, not as a hang.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMEDRIVER_NAMES = ("chromedriver", "chromium-driver")
BLOCKED_URL_PATTERNS = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1400,900",
)


def find_binaries() -> tuple[str | None, str | None]:
    """(chromium, chromedriver) paths, or None where not installed."""
    chromium = os.environ.get("IMPLICIT_ATLAS_CHROMIUM") or next(
        (p for p in map(shutil.which, CHROMIUM_NAMES) if p), None
    )
    driver = next((p for p in map(shutil.which, CHROMEDRIVER_NAMES) if p), None)
    if driver is None and Path("/usr/bin/chromedriver").exists():
        driver = "/usr/bin/chromedriver"
    return chromium, driver


def require_browser() -> tuple[str, str]:
    """Chromium and chromedriver paths; fail in CI (env CI set) when missing, else skip."""
    chromium, driver = find_binaries()
    try:
        import selenium  # noqa: F401
    except ImportError:
        chromium = None
    if chromium and driver:
        return chromium, driver
    message = (
        "headless Chromium, chromedriver and selenium are needed for the map's browser tests "
        "(apt-get install chromium chromium-driver; pip install -e '.[test]')"
    )
    if os.environ.get("CI"):
        pytest.fail(message + " -- they are required in CI")
    pytest.skip(message)


@dataclass
class PageLoad:
    """What happened while a page was open: requests made and console errors logged."""

    url: str
    requests: list[str] = field(default_factory=list)
    console: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outside_requests(self) -> list[str]:
        """Requests other than the page file itself, inline data: URLs and the browser's own
        chrome:// pages (its start page loads those before any test page is opened)."""
        own = ("data:", "chrome://", "chrome-untrusted://", "about:")
        return [u for u in self.requests if u != self.url and not u.startswith(own)]

    @property
    def console_errors(self) -> list[str]:
        return [entry["message"] for entry in self.console if entry.get("level") == "SEVERE"]


class Browser:
    """One headless Chromium session; open pages with :meth:`open`."""

    def __init__(self, chromium: str, chromedriver: str):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._profile = tempfile.mkdtemp(prefix="atlas-chrome-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in CHROME_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self._profile}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        self.driver.set_page_load_timeout(60)
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED_URL_PATTERNS})

    def open(self, path: Path, *, wait_ready: float = 30.0) -> PageLoad:
        """Load `path`, wait until the map says it is ready, and return what it requested."""
        self.drain()
        url = path.resolve().as_uri()
        self.driver.get(url)
        deadline = time.monotonic() + wait_ready
        while time.monotonic() < deadline:
            if self.js("return document.body && document.body.dataset.ready === 'true'"):
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"{path} never became ready within {wait_ready}s")
        load = PageLoad(url=url)
        self.collect(load)
        return load

    def collect(self, load: PageLoad) -> PageLoad:
        """Add the requests and console entries logged since the last call to `load`."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                load.requests.append(message["params"]["request"]["url"])
        load.console.extend(self.driver.get_log("browser"))
        return load

    def drain(self) -> None:
        self.driver.get_log("performance")
        self.driver.get_log("browser")

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)


@contextmanager
def browser_session() -> Iterator[Browser]:
    chromium, driver = require_browser()
    browser = Browser(chromium, driver)
    try:
        yield browser
    finally:
        browser.quit()
