"""The collector pause around a figures computation: back on afterwards, also after a failure
and when two computations overlap; left off when it was off before."""

from __future__ import annotations

import gc

import pytest

from bot.figures.service import bulk_rows


def test_the_collector_resumes_after_the_last_computation_and_after_a_failure() -> None:
    assert gc.isenabled()
    with bulk_rows():
        assert not gc.isenabled()
        with bulk_rows():
            assert not gc.isenabled()
        # The first computation still runs: still paused.
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk_rows():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with bulk_rows():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
