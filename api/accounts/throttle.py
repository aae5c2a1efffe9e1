"""Failed logins wait longer and longer, then lock, per username and per client address.

Counted before the password is checked (argon2 costs 64 MiB and a good fraction of a second),
so a flood of wrong passwords, even in parallel, gets cheap 429s. The tiers are settings: with
"5 per minute; 10 per 15 minutes; 20 per day", the 6th try within a minute waits for that
minute to pass, the 11th within 15 minutes for those, and after 20 in a day the account is
locked for the rest of it. Successful logins from an address count against it too.
"""

from api.ratelimit import Counter, RateLimiter
from core.config import Settings

LOCKED = "Too many failed logins. Wait as long as Retry-After says, then try again."


def _counters(settings: Settings, username: str, address: str) -> tuple[Counter, Counter]:
    return (
        (settings.login_limits_per_username, "login-username", username),
        (settings.login_limits_per_address, "login-address", address),
    )


async def count_attempt(limiter: RateLimiter, username: str, address: str) -> None:
    """Count a login as failed until it proves good, so parallel tries count too.

    429 when this username or address has failed too often lately.
    """
    await limiter.take(LOCKED, *_counters(limiter.settings, username, address))


async def forget_failures(limiter: RateLimiter, username: str) -> None:
    """After a good login, the username's earlier failures no longer count (the address's do)."""
    await limiter.clear(limiter.settings.login_limits_per_username, "login-username", username)
