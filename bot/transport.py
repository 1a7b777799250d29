"""The local transport: an in-process stand-in for the Bot API.

:class:`LocalTransport` is a PTB ``BaseRequest``: every call the bot makes is recorded and
answered like Telegram would, with no network. :class:`LocalDriver` feeds updates in as a user
would (text, commands, button taps, photos, group events). Console mode and the tests both use
them, so what a test asserts is what a person sees in the console.

Faults can be injected per method and chat (429 with ``retry_after``, 403, a timeout) to test
the reminder engine's outcomes.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "Weekdate",
    "username": "weekdate_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class BotCall:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    #: Uploaded files by part name: (file name, bytes); console mode saves them.
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        """The chat the call was for, when it names one."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The message text (or caption) of the call, empty when there is none."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline button, row by row."""
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if not isinstance(markup, dict):
            return []
        return [
            (button.get("text", ""), button.get("callback_data", button.get("url", "")))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class Fault:
    """A failure to return instead of a normal answer."""

    method: str
    chat_id: int | None
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    timeout: bool = False
    times: int = 1


@dataclass
class LocalTransport(BaseRequest):
    """Records every Bot API call and answers it in-process."""

    calls: list[BotCall] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    #: What ``getMe`` answers; a test may turn on ``can_read_all_group_messages``.
    me: dict[str, Any] = field(default_factory=lambda: dict(BOT_USER))
    #: Files users sent (``file_id`` -> content), served by ``getFile`` and the download.
    uploads: dict[str, bytes] = field(default_factory=dict)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    def fail(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        status: int = 0,
        description: str = "",
        retry_after: int | None = None,
        timeout: bool = False,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id``, if given) fail."""
        self.faults.append(Fault(method, chat_id, status, description, retry_after, timeout, times))

    def _take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.chat_id in (None, chat_id) and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if method == "GET" and api_method in self.uploads:
            # The download of a file a user sent (``File.download_*``): its bytes, not JSON.
            self.calls.append(BotCall("downloadFile", {"file_id": api_method}))
            return 200, self.uploads[api_method]
        params = dict(request_data.parameters) if request_data is not None else {}
        call = BotCall(api_method, params)
        if request_data is not None and request_data.contains_files:
            for name, (filename, content, *_) in request_data.multipart_data.items():
                params.setdefault(name, "<file>")
                data = content if isinstance(content, bytes) else content.read()
                call.files[name] = (filename or name, data)
        fault = self._take_fault(api_method, call.chat_id)
        if fault is not None:
            if fault.timeout:
                raise TimedOut("local transport: injected timeout")
            body: dict[str, Any] = {
                "ok": False,
                "error_code": fault.status,
                "description": fault.description,
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.status, json.dumps(body).encode()
        self.calls.append(call)
        return 200, json.dumps({"ok": True, "result": self._result(call)}).encode()

    def _message(self, call: BotCall, **extra: Any) -> dict[str, Any]:
        chat_id = call.chat_id or 0
        message: dict[str, Any] = {
            "message_id": int(call.params.get("message_id") or next(self._message_ids)),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
            **extra,
        }
        if "text" in call.params:
            message["text"] = call.params["text"]
        if "reply_markup" in call.params:
            markup = call.params["reply_markup"]
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        return message

    def _result(self, call: BotCall) -> Any:
        method = call.method
        if method == "getMe":
            return self.me
        if method == "getUpdates":
            return []
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            return self._message(call)
        if method == "sendDocument":
            return self._message(
                call,
                document={"file_id": "local", "file_unique_id": "local", "file_name": "bestand"},
            )
        if method == "sendPhoto":
            return self._message(
                call, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
            )
        if method == "sendMediaGroup":
            media = call.params.get("media")
            count = len(json.loads(media) if isinstance(media, str) else media or [])
            return [
                self._message(
                    call, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
                )
                for _ in range(count)
            ]
        if method == "getFile":
            file_id = str(call.params.get("file_id"))
            size = len(self.uploads.get(file_id, b""))
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": size,
                "file_path": file_id,
            }
        if method == "getChat":
            return {"id": call.chat_id, "type": "private"}
        return True

    # --- reading what was sent ---------------------------------------------------------------

    def take(self) -> list[BotCall]:
        """Every call recorded since the last ``take``, then forget them."""
        calls, self.calls = self.calls, []
        return calls

    def messages(self, chat_id: int | None = None) -> list[BotCall]:
        """Recorded ``sendMessage``/``sendDocument`` calls, optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.method in ("sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup")
            and (chat_id is None or c.chat_id == chat_id)
        ]


def _command_entity(text: str) -> dict[str, Any]:
    """The ``entities`` Telegram adds to a message that starts with a command."""
    if not text.startswith("/"):
        return {}
    length = len(text.split()[0]) if text.split() else 1
    return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}


@dataclass(frozen=True)
class LocalUser:
    """A Telegram user as the driver plays them."""

    id: int
    first_name: str = "Tester"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": False, "first_name": self.first_name}


@dataclass
class LocalDriver:
    """Sends updates into an application as users would, and collects what the bot did."""

    application: Application[Any, Any, Any, Any, Any, Any]
    transport: LocalTransport
    clock_now: Any = None  # a callable returning an aware datetime, for message dates
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10_000))

    def _date(self) -> int:
        now = self.clock_now() if self.clock_now else datetime.now(UTC)
        return int(now.timestamp())

    @staticmethod
    def private_chat(user: LocalUser) -> dict[str, Any]:
        return {"id": user.id, "type": "private", "first_name": user.first_name}

    @staticmethod
    def group_chat(chat_id: int, title: str = "Team") -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": title}

    async def _process(self, payload: dict[str, Any]) -> list[BotCall]:
        self.transport.take()
        payload["update_id"] = next(self._update_ids)
        update = Update.de_json(payload, self.application.bot)
        await self.application.process_update(update)
        return self.transport.take()

    def _user_message(
        self, user: LocalUser, chat: dict[str, Any] | None, **content: Any
    ) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": self._date(),
            "chat": chat or self.private_chat(user),
            "from": user.as_dict(),
            **content,
        }

    async def text(
        self, user: LocalUser, text: str, chat: dict[str, Any] | None = None
    ) -> list[BotCall]:
        """``user`` types ``text`` (a command when it starts with ``/``)."""
        message = self._user_message(user, chat, text=text, **_command_entity(text))
        return await self._process({"message": message})

    async def edited_text(
        self, user: LocalUser, text: str, chat: dict[str, Any] | None = None
    ) -> list[BotCall]:
        """``user`` edits an earlier message to read ``text``."""
        message = self._user_message(
            user, chat, text=text, edit_date=self._date(), **_command_entity(text)
        )
        return await self._process({"edited_message": message})

    async def photo(
        self, user: LocalUser, caption: str | None = None, chat: dict[str, Any] | None = None
    ) -> list[BotCall]:
        """``user`` sends a photo (with an optional caption)."""
        photo = [{"file_id": "x", "file_unique_id": "x", "width": 10, "height": 10}]
        message = self._user_message(user, chat, photo=photo)
        if caption is not None:
            message["caption"] = caption
        return await self._process({"message": message})

    async def document(
        self,
        user: LocalUser,
        filename: str,
        content: bytes,
        chat: dict[str, Any] | None = None,
    ) -> list[BotCall]:
        """``user`` sends a file; the bot can fetch it with ``getFile`` and download it."""
        file_id = f"upload{len(self.transport.uploads) + 1}"
        self.transport.uploads[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": filename,
            "file_size": len(content),
        }
        message = self._user_message(user, chat, document=document)
        return await self._process({"message": message})

    async def sticker(self, user: LocalUser, chat: dict[str, Any] | None = None) -> list[BotCall]:
        """``user`` sends a sticker."""
        sticker = {
            "file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
            "is_animated": False, "is_video": False, "type": "regular",
        }  # fmt: skip
        return await self._process({"message": self._user_message(user, chat, sticker=sticker)})

    async def tap(
        self,
        user: LocalUser,
        data: str,
        *,
        message_id: int = 1,
        chat: dict[str, Any] | None = None,
    ) -> list[BotCall]:
        """``user`` taps the inline button whose callback data is ``data``."""
        return await self._process(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": user.as_dict(),
                    "chat_instance": "local",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": self._date(),
                        "chat": chat or self.private_chat(user),
                        "from": BOT_USER,
                        "text": "…",
                    },
                }
            }
        )

    async def bot_added(self, adder: LocalUser, chat: dict[str, Any]) -> list[BotCall]:
        """``adder`` adds the bot to the group ``chat``."""
        return await self._process(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": adder.as_dict(),
                    "date": self._date(),
                    "old_chat_member": {"user": BOT_USER, "status": "left"},
                    "new_chat_member": {"user": BOT_USER, "status": "member"},
                }
            }
        )

    async def bot_status(
        self, by: LocalUser, chat: dict[str, Any], old: str, new: str
    ) -> list[BotCall]:
        """``by`` changes the bot's membership of ``chat`` from ``old`` to ``new`` (a status:
        ``member``, ``administrator``, ``left``, ``kicked``)."""
        bot_member: dict[str, Any] = {"user": BOT_USER, "status": new}
        if new == "administrator":
            bot_member |= {
                "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                "can_delete_messages": True, "can_manage_video_chats": False,
                "can_restrict_members": False, "can_promote_members": False,
                "can_change_info": False, "can_invite_users": False, "can_post_stories": False,
                "can_edit_stories": False, "can_delete_stories": False,
            }  # fmt: skip
        if new == "kicked":
            bot_member["until_date"] = 0
        old_member: dict[str, Any] = {"user": BOT_USER, "status": old}
        if old == "kicked":
            old_member["until_date"] = 0
        return await self._process(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": by.as_dict(),
                    "date": self._date(),
                    "old_chat_member": old_member,
                    "new_chat_member": bot_member,
                }
            }
        )

    async def joined_service_message(self, adder: LocalUser, chat: dict[str, Any]) -> list[BotCall]:
        """The service message Telegram posts in ``chat`` when ``adder`` adds the bot."""
        message = self._user_message(adder, chat, new_chat_members=[BOT_USER])
        return await self._process({"message": message})

    async def group_migrated(
        self, user: LocalUser, old: dict[str, Any], new: dict[str, Any]
    ) -> list[BotCall]:
        """Telegram turns the group ``old`` into the supergroup ``new``: a service message in
        each (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id`` in the new)."""
        calls = await self._process(
            {"message": self._user_message(user, old, migrate_to_chat_id=new["id"])}
        )
        return calls + await self._process(
            {"message": self._user_message(user, new, migrate_from_chat_id=old["id"])}
        )
