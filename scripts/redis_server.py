"""Start a throw-away ``redis-server`` on 127.0.0.1 (tests and benchmarks of the shared LSH).

The server runs in the foreground of a child process with persistence off, on a
free port, and is stopped (SIGTERM, then SIGKILL) when the context exits.  When
``redis-server`` is missing it is installed from the distribution's packages by
``scripts/install_system_deps.sh redis`` (root or sudo; works in CI).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

INSTALL_SCRIPT = Path(__file__).resolve().parent / "install_system_deps.sh"


def ensure_redis_server() -> str:
    """Path of ``redis-server``, installing it first when it is missing."""
    found = shutil.which("redis-server")
    if found is None:
        subprocess.run(["bash", str(INSTALL_SCRIPT), "redis"], check=True, timeout=600)
        found = shutil.which("redis-server")
    if found is None:
        raise RuntimeError("redis-server is still missing after install_system_deps.sh redis")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_redis(workdir: Path, maxmemory: str | None = None) -> Iterator[str]:
    """Run a redis-server for the duration of the block; yield its ``redis://`` URL (db 0)."""
    exe = ensure_redis_server()
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    cmd += ["--dir", str(workdir), "--daemonize", "no", "--loglevel", "warning"]
    if maxmemory:
        cmd += ["--maxmemory", maxmemory]
    log = open(workdir / "redis.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start: {(workdir / 'redis.log').read_text()}"
                    ) from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
