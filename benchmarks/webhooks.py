"""Two webhook workers behind nginx on loopback take 1,000 updates from 50 users in a burst.

    .venv/bin/python benchmarks/webhooks.py [--users 50] [--per-user 20] [--replays 100]

Real processes end to end: a throwaway PostgreSQL server (as the test suite starts one), a fake
Bot API (a small HTTP server here, recording every sendMessage), two ``python -m bot run
--webhook`` workers, and nginx running ``deploy/nginx.conf`` with its upstreams pointed at them.
Each user sends ``/client W-<update_id>`` updates one after another (as Telegram delivers a
chat's updates), all users at once; then ``--replays`` updates are delivered again (Telegram
retrying), half of them to both workers at the same time. Every update's answer names its id,
so from the answers the bot sent:
  lost: updates never answered; duplicated: answers beyond one per update;
  out of order: answers in a chat for an older update after a newer one.
Skips (exit 0, one line) when nginx or PostgreSQL is not installed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

# Run as a script: the repository root (for ``tests.support``) goes on the path first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import tornado.httpserver
import tornado.web

ROOT = Path(__file__).resolve().parents[1]

SECRET = "benchmark-secret-token-0123456789abcdef"
TOKEN = "123456:BENCHMARK"
ANSWER = re.compile(r"W-(\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeBotApi:
    """The Bot API the workers talk to: records sendMessage, says yes to everything else."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self._message_ids = iter(range(1, 10**9))

    def app(self) -> tornado.web.Application:
        api = self

        class Method(tornado.web.RequestHandler):
            def post(self, method: str) -> None:
                params: dict[str, Any] = {}
                if self.request.body:
                    kind = self.request.headers.get("Content-Type", "")
                    if "json" in kind:
                        params = json.loads(self.request.body)
                    else:
                        params = {k: v[0].decode() for k, v in self.request.body_arguments.items()}
                self.write({"ok": True, "result": api.answer(method, params)})

            get = post

        return tornado.web.Application([(r"/bot[^/]+/(\w+)", Method)])

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": 123456,
                "is_bot": True,
                "first_name": "Weekdate",
                "username": "weekdate_bench_bot",
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            self.sent.append((chat_id, str(params.get("text", ""))))
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params.get("text", ""),
            }
        return True


def write_config(folder: Path, team: str) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'[telegram]\nmode = "webhook"\n'
        '[telegram.webhook]\nurl = "https://bot.example.nl/telegram"\nlisten = "127.0.0.1"\n'
        f'secret_token = "{SECRET}"\n'
        f'[[teams]]\nname = "{team}"\n',
        encoding="utf-8",
    )
    return path


def nginx_config(folder: Path, listen: int, workers: list[int]) -> Path:
    """deploy/nginx.conf with the compose upstreams replaced by the loopback workers."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstream = "".join(
        f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in workers
    )
    text = re.sub(r"(        server worker\d+:8443[^\n]*\n)+", upstream, text)
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{listen};")
    text = text.replace("/var/log/nginx/access.log", str(folder / "access.log"))
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        text = text.replace("http {", f"http {{\n    {temp}_temp_path {folder / temp};", 1)
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


async def wait_port(port: int, what: str, proc: subprocess.Popen[bytes] | None = None) -> None:
    for _ in range(300):
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"{what} stopped at start (exit {proc.returncode})")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise SystemExit(f"{what} did not start on port {port}")


def find_nginx() -> str | None:
    """nginx on PATH, or where Debian puts it (sbin is not on every PATH)."""
    found = shutil.which("nginx")
    if found is None and Path("/usr/sbin/nginx").exists():
        found = "/usr/sbin/nginx"
    return found


def start_worker(
    config: Path, port: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """``python -m bot run --webhook --port PORT`` with its stderr in ``log``."""
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "run", "--webhook",
             "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip


def start_nginx(nginx: str, folder: Path, conf: Path) -> subprocess.Popen[bytes]:
    """nginx in the foreground, its pid file and error log in ``folder``."""
    directives = f"daemon off; pid {folder / 'nginx.pid'}; error_log {folder / 'nginx.err'};"
    return subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(conf), "-g", directives],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def update(update_id: int, user_id: int) -> bytes:
    text = f"/client W-{update_id:05d}"
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Bench"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Bench"},
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
    }
    return json.dumps({"update_id": update_id, "message": message}).encode()


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-user", type=int, default=20)
    parser.add_argument("--replays", type=int, default=100)
    args = parser.parse_args()
    nginx = find_nginx()
    if nginx is None:
        print("webhooks: skipped, nginx is not installed (apt-get install nginx)")
        return 0
    from tests.support.postgres import postgres_server

    try:
        server_cm = postgres_server()
        admin_dsn = server_cm.__enter__()
    except RuntimeError as missing:
        print(f"webhooks: skipped, {missing}")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="weekdate-webhooks-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        return await run(args, nginx, admin_dsn, folder, procs)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
        server_cm.__exit__(None, None, None)
        shutil.rmtree(folder, ignore_errors=True)


async def run(
    args: argparse.Namespace,
    nginx: str,
    admin_dsn: str,
    folder: Path,
    procs: list[subprocess.Popen[bytes]],
) -> int:
    from bot.core.roles import Role
    from storage import staff, teams
    from storage.db import Database, create_engine
    from tests.support.postgres import migrated_database

    url = await migrated_database(admin_dsn)
    team = "Team Werk"
    users = [700_000 + i for i in range(args.users)]
    db = Database(create_engine(url))
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    async with db.transaction() as session:
        (made,) = await teams.ensure_teams(session, [team], now)
        for user in users:
            await staff.upsert_staff(
                session,
                telegram_user_id=user,
                display_name=f"Consulent {user}",
                team_id=made.id,
                roles=[Role.CONSULENT],
                now=now,
            )
    await db.dispose()

    api = FakeBotApi()
    api_port = free_port()
    api_server = tornado.httpserver.HTTPServer(api.app())
    api_server.listen(api_port, "127.0.0.1")
    config = write_config(folder, team)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{api_port}/bot",
        "TELEGRAM_BASE_FILE_URL": f"http://127.0.0.1:{api_port}/file/bot",
        "LOG_LEVEL": "WARNING",
    }
    worker_ports = [free_port(), free_port()]
    for port in worker_ports:
        procs.append(start_worker(config, port, env, folder / f"w{port}.log"))
    for port, proc in zip(worker_ports, procs, strict=True):
        try:
            await wait_port(port, f"worker on {port}", proc)
        except SystemExit:
            print((folder / f"w{port}.log").read_text(errors="replace")[-2000:], file=sys.stderr)
            raise
    proxy_port = free_port()
    conf = nginx_config(folder, proxy_port, worker_ports)
    procs.append(start_nginx(nginx, folder, conf))
    await wait_port(proxy_port, "nginx", procs[-1])
    api.sent.clear()

    # Update ids as Telegram numbers them: one sequence, the users' messages interleaved.
    ids = iter(range(1, 10**9))
    plan: dict[int, list[int]] = {user: [] for user in users}
    for _round in range(args.per_user):
        for user in users:
            plan[user].append(next(ids))
    total = sum(len(v) for v in plan.values())
    endpoint = f"http://127.0.0.1:{proxy_port}/telegram"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def deliver(url: str, update_id: int, user: int) -> None:
            for _attempt in range(5):  # Telegram retries an update that was not answered 200
                response = await client.post(url, content=update(update_id, user), headers=headers)
                statuses[response.status_code] += 1
                if response.status_code == 200:
                    return
                await asyncio.sleep(0.2)

        async def chat(user: int) -> None:
            for update_id in plan[user]:
                await deliver(endpoint, update_id, user)

        started = time.perf_counter()
        await asyncio.gather(*(chat(user) for user in users))
        elapsed = time.perf_counter() - started

        # Redeliveries: some through nginx, some straight to both workers at the same time.
        rng = random.Random(15)
        owner = {update_id: user for user, sent in plan.items() for update_id in sent}
        replays = rng.sample(sorted(owner), min(args.replays, len(owner)))
        direct = [f"http://127.0.0.1:{p}/telegram" for p in worker_ports]
        half = len(replays) // 2
        await asyncio.gather(
            *(deliver(endpoint, u, owner[u]) for u in replays[:half]),
            *(deliver(url, u, owner[u]) for u in replays[half:] for url in direct),
        )
    await asyncio.sleep(0.5)
    api_server.stop()

    answered: Counter[int] = Counter()
    order: dict[int, list[int]] = defaultdict(list)
    for chat_id, text in api.sent:
        found = ANSWER.search(text)
        if found:
            update_id = int(found.group(1))
            answered[update_id] += 1
            order[chat_id].append(update_id)
    lost = sum(1 for u in owner if answered[u] == 0)
    duplicated = sum(n - 1 for n in answered.values() if n > 1)
    out_of_order = 0
    for sequence in order.values():
        newest = 0
        for update_id in sequence:
            if update_id < newest:
                out_of_order += 1
            newest = max(newest, update_id)
    print(f"webhooks: 2 workers behind nginx, PostgreSQL, {len(users)} users, {total} updates")
    print(f"lost: {lost}")
    print(f"duplicated: {duplicated}")
    print(f"out of order: {out_of_order}")
    print(f"updates/s: {total / elapsed:.0f} ({elapsed:.2f} s for the burst)")
    print(f"redelivered: {len(replays)} ({half} via nginx, {len(replays) - half} to both workers)")
    print(f"HTTP statuses: {dict(sorted(statuses.items()))}")
    strays = [text for _chat, text in api.sent if not ANSWER.search(text)]
    if strays:
        print(f"answers naming no update: {len(strays)}, e.g. {strays[0]!r}")
    goal = lost == 0 and duplicated == 0 and out_of_order == 0
    print("goal (0 lost, 0 duplicated, 0 out of order): " + ("met" if goal else "NOT met"))
    return 0 if goal else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
