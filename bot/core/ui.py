"""What a feature hands to the outbound layer: replies, buttons and documents, as plain values.

Features and services never build Telegram objects; :mod:`bot.outbound` turns these into Bot API
calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """An inline button: the label shown and the callback data sent back, or a link to open."""

    label: str
    data: str = ""
    url: str = ""


Keyboard = Sequence[Sequence[Button]]


@dataclass(frozen=True)
class Reply:
    """A rendered message (Telegram HTML) with optional inline buttons.

    ``protect_content`` asks Telegram to block forwarding and saving. It is on unless a view
    turns it off: almost every reply names a client reference, and a view that forgets to ask
    for protection must not be the way a client detail gets forwarded. Only texts meant to be
    passed on (an invitation link) turn it off. Telegram enforces it in its apps only, so it
    is a brake, not a guarantee.
    """

    text: str
    keyboard: Keyboard = ()
    protect_content: bool = True


@dataclass(frozen=True)
class Document:
    """A file to send (a PDF, a calendar invitation), with an optional caption.

    Files are for keeping (printing the agenda, adding it to a calendar), so they are not
    protected; their caption says where they belong.
    """

    data: bytes
    filename: str
    caption: str = ""
    protect_content: bool = False


def keyboard_rows(buttons: Sequence[Button], per_row: int = 2) -> list[list[Button]]:
    """Lay ``buttons`` out in rows of ``per_row``."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


#: A document whose bytes are made only when it is sent (a PDF takes a while to render and
#: must not hold a database transaction open); the same maker is called once per delivery.
DocumentMaker = Callable[[], Document]


@dataclass
class Outbox:
    """Messages a service queues during its transaction, delivered after it commits."""

    replies: list[tuple[int, Reply]] = field(default_factory=list)
    documents: list[tuple[int, Document | DocumentMaker]] = field(default_factory=list)

    def reply(self, chat_id: int, reply: Reply) -> None:
        """Queue ``reply`` for ``chat_id``."""
        self.replies.append((chat_id, reply))

    def text(self, chat_id: int, text: str, keyboard: Keyboard = ()) -> None:
        """Queue a rendered text (with optional buttons) for ``chat_id``."""
        self.replies.append((chat_id, Reply(text, keyboard)))

    def document(self, chat_id: int, document: Document | DocumentMaker) -> None:
        """Queue a document, or a maker that renders it at delivery, for ``chat_id``."""
        self.documents.append((chat_id, document))

    def __bool__(self) -> bool:
        return bool(self.replies or self.documents)
