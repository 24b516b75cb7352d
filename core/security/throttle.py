"""Login throttling: limits per address and per (account, address), and a growing wait per account.

A hard per-account block would let anyone lock the real user out by
guessing wrong on purpose. Instead:

- every attempt counts against the client's address (``per_address``);
- failed attempts count against the pair (account, address)
  (``per_account_address``), so one address cannot keep guessing at one
  account;
- after ``free_failures`` failed attempts at an account, from anywhere,
  the account waits before the next attempt is even checked: ``first_delay``
  seconds, doubled at each further failure, never more than ``max_delay``.
  Attempts during the wait are refused unchecked (a flood from many
  addresses gets a handful of guesses, not one budget per address) and do
  not lengthen it, so the real user waits at most ``max_delay``.

Counters live in a ``limits`` storage shared by every worker (see
:mod:`core.web.limiter`).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import cached_property

from limits import parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter


@dataclass(frozen=True)
class LoginPolicy:
    per_address: str = "30 per minute"
    per_account_address: str = "10 per 15 minutes"
    free_failures: int = 5
    first_delay: int = 1  # seconds
    max_delay: int = 60
    failure_memory: int = 900  # seconds a run of failures at one account is remembered


class LoginThrottle:
    """The policy applied on a shared storage; ``login`` is the account name as typed."""

    def __init__(self, storage: Storage, policy: LoginPolicy = LoginPolicy()):
        self.storage = storage
        self.policy = policy
        self.windows = FixedWindowRateLimiter(storage)

    @cached_property
    def _per_address(self):
        return parse(self.policy.per_address)

    @cached_property
    def _per_pair(self):
        return parse(self.policy.per_account_address)

    def attempt(self, login: str, address: str) -> int:
        """Count an attempt from ``address`` at ``login``; the seconds to wait first (0: go ahead and check it)."""
        if not self.windows.hit(self._per_address, "login-address", address):
            return self._window_wait(self._per_address, "login-address", address)
        account = _account(login)
        if not self.windows.test(self._per_pair, "login-pair", account, address):
            return self._window_wait(self._per_pair, "login-pair", account, address)
        if self.storage.get(_wait_key(account)):
            return max(1, math.ceil(self.storage.get_expiry(_wait_key(account)) - time.time()))
        return 0

    def failed(self, login: str, address: str) -> int:
        """A wrong password or code; returns the wait it imposes on the account (0: none yet)."""
        account = _account(login)
        self.windows.hit(self._per_pair, "login-pair", account, address)
        beyond = self.storage.incr(f"login-failures|{account}", self.policy.failure_memory) - self.policy.free_failures
        if beyond <= 0:
            return 0
        delay = min(self.policy.max_delay, self.policy.first_delay * 2 ** min(beyond - 1, 16))
        self.storage.clear(_wait_key(account))
        self.storage.incr(_wait_key(account), delay)
        return delay

    def succeeded(self, login: str) -> None:
        """The account's owner got in: forget its run of failures."""
        account = _account(login)
        self.storage.clear(f"login-failures|{account}")
        self.storage.clear(_wait_key(account))

    def first_refusal(self, login: str, address: str, wait: int) -> bool:
        """Whether this is the first refusal of its kind in ``wait`` seconds (to log it once, not per attempt)."""
        return self.storage.incr(f"login-refusal-noted|{_account(login)}|{address}", max(wait, 1)) == 1

    def _window_wait(self, item, *identifiers) -> int:
        reset = self.windows.get_window_stats(item, *identifiers).reset_time
        return max(1, math.ceil(reset - time.time()))


def _account(login: str) -> str:
    return (login or "").strip().lower()[:120]


def _wait_key(account: str) -> str:
    return f"login-wait|{account}"
