"""A throwaway PostgreSQL server for the test suite: real PostgreSQL, no mocks.

Uses ``TEST_POSTGRES_URL`` when set (a server you run, e.g. in CI). Otherwise starts a private
cluster from the Debian ``postgresql`` package (``make test`` installs it when missing) in a
temporary folder on a free loopback port, and stops it at the end of the session. As root,
PostgreSQL refuses to run, so the cluster runs as the ``postgres`` system user. Under
pytest-xdist every worker process has its own session, so its own cluster (it starts in about
half a second).

Test databases are cloned from a template migrated once per process (``CREATE DATABASE …
TEMPLATE``), which is cheaper than migrating every fresh database.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from storage.db import create_engine, upgrade


def _bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise RuntimeError(
            f"PostgreSQL's {name} is missing: run `make test` (it installs postgresql) "
            "or set TEST_POSTGRES_URL"
        )
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield an admin DSN (``postgresql://…/postgres``) of a running server."""
    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
        return
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    data = tempfile.mkdtemp(prefix="weekdate-pg-")
    if as_root:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    run(_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = (
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    run(_bin("pg_ctl"), "-D", data, "-o", options, "-w", "-l", f"{data}/log", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(_bin("pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


async def fresh_database(admin_dsn: str, *, template: str | None = None) -> str:
    """Create an empty database (or a copy of ``template``); return its SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(admin_dsn)
    try:
        copy = f' TEMPLATE "{template}"' if template else ""
        await connection.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await connection.close()
    base = admin_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


#: admin DSN -> name of the database migrated to head in this process.
_templates: dict[str, str] = {}


async def migrated_database(admin_dsn: str) -> str:
    """A new database at the head migration, cloned from a template migrated once per process."""
    if admin_dsn not in _templates:
        url = await fresh_database(admin_dsn)
        engine = create_engine(url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()  # a template must have no open connection
        _templates[admin_dsn] = url.rsplit("/", 1)[1]
    return await fresh_database(admin_dsn, template=_templates[admin_dsn])
