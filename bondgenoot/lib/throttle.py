"""A small throttle for public endpoints: at most ``limit`` hits per ``period`` seconds.

Pages without an account (answer and reply links, password reset, the parent portal's
sign-in links) can be posted by anyone, and each post may send an email or write a
record. ``allow`` counts hits per *scope* (what is being done) and *key* (who or what
it is done to: a token, an email address, a client address) in a fixed window.

    from bondgenoot.lib import throttle

    if not throttle.allow("reply", token, limit=10, period=3600):
        return throttled page (status 429)

Keys are hashed before they reach the cache, so a token or an address never sits in
it in clear. The counts live in the cache alias ``throttle`` (settings ``CACHES``):
per process with the default local-memory cache — with 4 gunicorn workers a limit of
10 lets through at most 40 — or shared and exact with a shared cache
(``THROTTLE_CACHE_URL``, see docs/operations.md).

``allow`` is a plain function so that a view can decide what a refusal looks like
(a page in the parent's language, or the same "we sent it" page that reveals nothing).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import caches

ALIAS = "throttle"
# Refusals are security events (ASVS 16.3.3): the first one of each window is logged,
# with the scope and the key's hash, never the key itself.
log = logging.getLogger("bondgenoot.security")


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window}"


def allow(scope: str, key: str, *, limit: int, period: int) -> bool:
    """Count one hit; False when ``key`` already had ``limit`` hits in this window."""
    cache = caches[ALIAS]
    window = int(time.time() // period)
    cache_key = _cache_key(scope, key, window)
    # add() only sets a missing key, so concurrent first hits do not reset each other.
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    if count == limit + 1:
        log.warning(
            "Throttled: %s (key %s) over %d per %d s", scope, cache_key.split(":")[2], limit, period
        )
    return count <= limit


def allow_all(checks: list[tuple[str, str, int, int]]) -> bool:
    """Count a hit in every (scope, key, limit, period); False when any is over."""
    results = [
        allow(scope, key, limit=limit, period=period) for scope, key, limit, period in checks
    ]
    return all(results)


def reset() -> None:
    """Forget every count (tests)."""
    caches[ALIAS].clear()
