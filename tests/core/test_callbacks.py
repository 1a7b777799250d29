"""The callback family registry: one namespace a family, payloads checked when a button is made."""

from __future__ import annotations

import re

import pytest

from bot.core.callbacks import decode, families, family


def test_a_namespace_belongs_to_one_family() -> None:
    first = family("tst1", "test", {"go": (int,)})
    assert family("tst1", "test", {"go": (int,)}) is first  # declaring the same again is fine
    with pytest.raises(ValueError, match="taken"):
        family("tst1", "iets anders", {"go": (int,)})
    assert first in families()


def test_payload_types_are_checked_when_a_button_is_made() -> None:
    buttons = family("tst2", "test", {"open": (int,), "move": (str, int)})
    assert buttons.encode("open", 42) == "tst2:open:42"
    assert buttons.encode("move", "2026-03-03", 1) == "tst2:move:2026-03-03:1"
    for action, args in (("open", ("42",)), ("open", (True,)), ("open", ()), ("gone", (1,))):
        with pytest.raises(ValueError):
            buttons.encode(action, *args)


def test_a_family_decodes_only_its_own_taps() -> None:
    buttons = family("tst3", "test", {"open": (int,)})
    tap = buttons.decode(buttons.encode("open", 7))
    assert tap is not None and tap.action == "open" and tap.int_arg(0) == 7
    assert buttons.decode("tst4:open:7") is None and buttons.decode(None) is None
    assert decode("tst3:open:7") == tap


def test_open_families_take_any_action_with_their_argument_types() -> None:
    forms = family("tst5", "test", any_action=(str, object))
    assert forms.encode("intake", "step", 3) == "tst5:intake:step:3"
    with pytest.raises(ValueError):
        forms.encode("intake", "step")


def test_every_button_family_of_the_product_has_its_one_handler() -> None:
    from telegram.ext import Application, CallbackQueryHandler

    from handlers import register_handlers

    application = Application.builder().token("1:local").build()
    register_handlers(application)
    patterns = [
        handler.pattern.pattern
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    ]
    product = {f.pattern for f in families() if not f.ns.startswith("tst")}
    assert sorted(patterns) == sorted(product)
    # incl. prv (the privacy warning), uit (leaves after vervuld), ovz, zoek, kaart, kand, mijn
    assert len(product) == 13
