"""A real browser against a real `archive serve` (datasette) on 127.0.0.1.

Headless Chromium (Debian's package, installed here when missing) is driven
through the DevTools protocol over --remote-debugging-pipe (NUL-separated JSON
on fds 3 and 4), so no driver or websocket library is needed.  The test types
医院 into the table search box, checks the rows shown, runs the canned
`search` query from its form, checks the <mark> highlights, and saves
screenshots in the test's tmp dir.
"""

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, for search_corpus
from search_corpus import brute_force, build_archive, corpus_docs  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ARCHIVE_BIN = Path(sys.executable).parent / "archive"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
    "--window-size=1280,1600",
]


def chromium_path() -> str:
    # Installs chromium and a CJK font where missing; a no-op otherwise.
    subprocess.run(["bash", str(REPO / "scripts" / "install_system_deps.sh"), "browser"], check=True)
    exe = shutil.which("chromium")
    assert exe, "chromium could not be installed"
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevTools:
    """Minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, exe: str, profile: Path):
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        cmd = " ".join([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"])
        # bash moves the pipes to fds 3 (commands in) and 4 (replies out).
        self.proc = subprocess.Popen(
            ["bash", "-c", f"exec {cmd} 3<&0 4>&1 </dev/null >/dev/null"],
            stdin=self.to_chrome_r,
            stdout=self.from_chrome_w,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(self.to_chrome_r)
        os.close(self.from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from chromium")
            ready, _, _ = select.select([self.from_chrome_r], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the debugging pipe")
                self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, timeout: float = 15, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self.to_chrome_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def open_page(self) -> None:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def js(self, expression: str):
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"JS error: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
            except RuntimeError:  # page in the middle of navigating
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"timed out waiting for: {expression}")

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")

    def type_and_enter(self, selector: str, text: str) -> None:
        self.js(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            )

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=10)
        os.close(self.to_chrome_w)
        os.close(self.from_chrome_r)


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "archive.db"
    rows = build_archive(path, corpus_docs(300), duplicates=3)
    port = free_port()
    proc = subprocess.Popen(
        [str(ARCHIVE_BIN), "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "datasette did not start: " + proc.stderr.read().decode()[-2000:]
                ) from None
            time.sleep(0.2)
    yield base, rows
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)


def test_search_box_and_canned_query_in_chromium(server, tmp_path):
    base, rows = server
    browser = DevTools(chromium_path(), tmp_path / "profile")
    try:
        browser.open_page()
        browser.navigate(f"{base}/archive/documents")
        browser.type_and_enter("input[name=_search]", "医院")
        browser.wait_for("location.search.includes('_search=') && document.readyState === 'complete'")
        shown = browser.js("[...document.querySelectorAll('td.col-id')].map(td => td.innerText.trim())")
        expected = brute_force(rows, "医院")
        assert expected and {int(x) for x in shown} == expected
        assert browser.js("document.querySelector('input[name=_search]').value") == "医院"
        browser.screenshot(tmp_path / "search_box.png")

        browser.navigate(f"{base}/archive/search")
        browser.type_and_enter("input[name=q]", "医院")
        browser.wait_for("location.search.includes('q=') && document.readyState === 'complete'")
        marks = browser.js("[...document.querySelectorAll('td mark')].map(m => m.textContent)")
        assert marks and set(marks) <= {"医院", "醫院"}
        rows_shown = browser.js("document.querySelectorAll('tbody tr').length")
        assert rows_shown == len(brute_force(rows, "医院"))
        # the snippet cell holds text and <mark> only: no other markup got through
        tags = browser.js(
            "[...document.querySelectorAll('td.col-snippet *')].map(e => e.tagName.toLowerCase())"
        )
        assert set(tags) == {"mark"}
        browser.screenshot(tmp_path / "canned_search.png")
        assert (tmp_path / "canned_search.png").stat().st_size > 1000
    finally:
        browser.close()
