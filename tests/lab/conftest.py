"""The chapters as a reader of ``make lab`` sees them: JupyterLab in a real browser.

Run with ``make lab-test``, or directly:

    .venv/bin/python -m pytest tests/lab

A JupyterLab server is started headless on 127.0.0.1 (a free port, a random token), as
``make lab`` starts it (``NNLIB_WIDGETS=live``, no ``PYTHONSTARTUP``, the Makefile's
``PYTHONWARNINGS`` and ``OPENBLAS_NUM_THREADS``), on a temporary copy of ``book/``, so no
checkpoint, output or workspace is ever written into the checkout. Its user settings,
workspaces and runtime files live in the same temporary folder: your own JupyterLab
settings do not change what is tested, and the news feed and update check are off.

Debian's Chromium (``/usr/bin/chromium``, or ``NNBOOK_CHROMIUM``) is driven by
Playwright, launched as ``tests/browser`` launches it (never a downloaded browser);
every request to a host other than 127.0.0.1 is recorded (and fails a test).

Each chapter of ``_toc.yml`` is opened in a new tab and run once (Run >
Run All Cells), its interactive figures moved from the keyboard; what the tests assert
is measured during that visit and kept in a ``LabVisit`` (``lab_support.py``). Screenshots go to
``_build/lab-screenshots/`` (or ``NNBOOK_LAB_SHOTS``).

If Chromium is missing the tests are skipped with a message; CI sets
``NNBOOK_REQUIRE_BROWSER=1``, which turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_support import CHROMIUM, _free_port, chromium, chromium_available, missing  # noqa: E402

from lab_support import PAGE_TIMEOUT_MS, visit_chapter  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
sys.path.insert(0, str(ROOT / "scripts"))
from nnbuild import toc_pages  # noqa: E402
SHOT_DIR = Path(os.environ.get("NNBOOK_LAB_SHOTS", ROOT / "_build" / "lab-screenshots")).resolve()
# The environment of `make lab` (see the Makefile): the Makefile's exports, then the
# lab target's own two.
LAB_ENV = {
    "PYTHONWARNINGS": "error::RuntimeWarning",
    "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1"),
    "PYTHONSTARTUP": "",
    "NNLIB_WIDGETS": "live",
}
# JupyterLab settings for the test server: every cell attached to the page (the default
# "contentVisibility" leaves far-off cells unrendered, so their text cannot be read), and
# no requests to jupyter.org for news or updates.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
START_TIMEOUT = 120          # s: the server answering /api/status


def toc_chapters():
    """The chapter notebooks of ``_toc.yml``, in reading order (``01_structure.ipynb``...)."""
    out = []
    for f, _part in toc_pages(ROOT):
        p = ROOT / (f if f.endswith(".ipynb") else f + ".ipynb")
        if p.is_file() and p.parent == BOOK:
            out.append(p.name)
    return out


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs a whole chapter in JupyterLab (tens of seconds each)")


def pytest_generate_tests(metafunc):
    if "chapter" in metafunc.fixturenames:
        chapters = toc_chapters()
        metafunc.parametrize("chapter", chapters, ids=[c[: -len(".ipynb")] for c in chapters])


# -- the server ------------------------------------------------------------------------

class LabServer:
    def __init__(self, base, token, root, log):
        self.base, self.token, self.root, self.log = base, token, root, log

    def api(self, path, method="GET"):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def url(self, notebook):
        # ?reset: a fresh workspace (a restored one gets in the way).
        return f"{self.base}lab/tree/{urllib.parse.quote(notebook)}?reset&token={self.token}"

    def log_tail(self, n=40):
        try:
            return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _descendants(pid):
    """Every live process below ``pid`` (kernels run in sessions of their own)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _stop(proc):
    """SIGTERM the server's process group (JupyterLab then shuts its kernels down), then
    SIGKILL whatever is left of it and of its descendants."""
    if proc.poll() is not None:
        return
    below = _descendants(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="session")
def lab():
    """A JupyterLab server on a temporary copy of book/, stopped at the end (or on failure)."""
    if not chromium_available():
        missing(f"Chromium is missing: no executable {CHROMIUM} "
                 "(apt-get install chromium, or set NNBOOK_CHROMIUM)")
    tmp = Path(tempfile.mkdtemp(prefix="nnbook-lab-"))
    root = tmp / "book"
    shutil.copytree(BOOK, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = tmp / "settings"
    for name, values in LAB_SETTINGS.items():
        f = settings / (name + ".jupyterlab-settings")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    env = dict(os.environ, **LAB_ENV,
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    port, token = _free_port(), secrets.token_hex(24)
    cmd = [sys.executable, "-m", "jupyterlab", str(root), "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = tmp / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}/", token, root, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                server.api("api/status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start on port {port}:\n{server.log_tail()}",
                                pytrace=False)
                time.sleep(0.3)
        yield server
    finally:
        _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(lab):
    """Debian's Chromium through Playwright: one browser context (its HTTP cache spares each
    chapter a cold load of JupyterLab's scripts); each chapter opens in a new tab, with a
    fresh workspace (?reset)."""
    with chromium(timeout_ms=PAGE_TIMEOUT_MS) as context:
        yield context


@pytest.fixture(scope="session")
def lab_visits():
    return {}


@pytest.fixture
def lab_visit(chapter, lab, browser, lab_visits):
    """The measurements of one chapter, running it the first time a test asks for it."""
    if chapter not in lab_visits:
        lab_visits[chapter] = visit_chapter(lab, browser, chapter, SHOT_DIR)
    return lab_visits[chapter]


@pytest.fixture(scope="session", autouse=True)
def _expose_visits(request, lab_visits):
    request.config._nnbook_lab_visits = lab_visits


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Each chapter's load, run and interaction times, so a run's numbers are on record."""
    visits = getattr(config, "_nnbook_lab_visits", None)
    if not visits:
        return
    tr = terminalreporter
    tr.section("JupyterLab: seconds per chapter (page load, Run All, moving the figures)")
    total = 0.0
    for name, v in visits.items():
        s = v.seconds
        total += sum(s.values())
        tr.write_line(f"{s.get('load', 0):6.1f} {s.get('run', 0):6.1f} {s.get('interact', 0):6.1f}"
                      f"  {len(v.figures)} figure(s)  {name}")
    tr.write_line(f"{total:6.1f} s in all; screenshots: {SHOT_DIR}")
