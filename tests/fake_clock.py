"""A clock for the rate limiters that tests move forward instead of waiting."""

from __future__ import annotations

import time

import pytest


class Clock:
    """Stands in for the `time` module where the limiters read it."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


def install_clock(monkeypatch: pytest.MonkeyPatch, *modules: str) -> Clock:
    """One clock read as `time` by `api.ratelimit` and by each of `modules`."""
    clock = Clock()
    for module in ("api.ratelimit", *modules):
        monkeypatch.setattr(f"{module}.time", clock)
    return clock
