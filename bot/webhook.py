"""Webhook mode for several workers: our own small HTTP server in front of the Application.

Why not PTB's ``run_webhook``: its server answers 200 as soon as an update is queued. Here the
answer comes after the update was handled, behind :class:`bot.workers.UpdateGate` (taken once,
one at a time per chat). So a reverse proxy can spread updates over N workers, Telegram's
redelivery after an error is harmless, and a worker stopping (SIGTERM) first finishes what it
answered for: it stops accepting, waits for the updates in flight, stops the jobs, lets the job
lease lapse and closes the database.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.runtime import Runtime

log = logging.getLogger(__name__)

#: How long a stopping worker waits for the updates it is handling.
DRAIN_SECONDS = 30.0


@dataclass
class WebhookWorker:
    """One worker process: the Application behind an HTTP endpoint on ``listen:port``."""

    application: Any
    runtime: Runtime
    listen: str
    port: int
    path: str
    secret_token: str
    #: Updates handled at once by this worker (different chats; one chat is serialised anyway).
    concurrency: int = 4
    in_flight: int = 0
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _idle: asyncio.Event = field(default_factory=asyncio.Event)
    _slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)

    async def handle(self, body: bytes) -> None:
        """Handle one update body (already authenticated) through the gate."""
        update = Update.de_json(json.loads(body), self.application.bot)
        chat = update.effective_chat or update.effective_user
        gate = self.runtime.gate
        assert gate is not None, "a webhook worker runs with an UpdateGate"
        async with self._slots:
            await gate.run(
                update.update_id,
                chat.id if chat is not None else None,
                lambda: self.application.process_update(update),
            )

    def _routes(self) -> tornado.web.Application:
        worker = self

        class UpdateHandler(tornado.web.RequestHandler):
            async def post(self) -> None:
                given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
                if not hmac.compare_digest(given.encode(), worker.secret_token.encode()):
                    self.set_status(403)
                    return
                if worker.stopping.is_set():
                    # Telegram (or nginx's next upstream) delivers it again elsewhere.
                    self.set_status(503)
                    return
                worker.in_flight += 1
                worker._idle.clear()
                try:
                    await worker.handle(self.request.body)
                except (ValueError, KeyError, TypeError):
                    self.set_status(400)
                    return
                finally:
                    worker.in_flight -= 1
                    if worker.in_flight == 0:
                        worker._idle.set()
                self.set_status(200)

        return tornado.web.Application([(rf"/{self.path}/?", UpdateHandler)])

    async def serve(self, *, webhook_url: str = "", ready: asyncio.Event | None = None) -> None:
        """Run until SIGTERM or SIGINT (or :attr:`stopping` is set), then stop gracefully."""
        from bot.app import on_startup

        self._idle.set()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.stopping.set)
        await self.application.initialize()
        try:
            await on_startup(self.application)
            if webhook_url:
                await self.application.bot.set_webhook(
                    url=webhook_url,
                    secret_token=self.secret_token,
                    allowed_updates=Update.ALL_TYPES,
                )
            await self.application.start()
            server = tornado.httpserver.HTTPServer(self._routes(), xheaders=True)
            server.listen(self.port, self.listen)
            log.info("webhook worker listening on %s:%s/%s", self.listen, self.port, self.path)
            if ready is not None:
                ready.set()
            await self.stopping.wait()
            log.info("stopping: %s update(s) in flight", self.in_flight)
            server.stop()  # no new connections
            try:
                await asyncio.wait_for(self._idle.wait(), DRAIN_SECONDS)
            except TimeoutError:
                log.warning("stopping with %s update(s) unfinished", self.in_flight)
            await server.close_all_connections()
            await self.application.stop()
        finally:
            if self.runtime.leadership is not None:
                await self.runtime.leadership.release()
            await self.application.shutdown()
            await self.runtime.db.dispose()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)
