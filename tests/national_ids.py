"""Valid Norwegian national ID numbers for tests, computed independently of core.privacy."""

from __future__ import annotations

from datetime import date

# The check digits, computed here on their own (not with core.privacy's code).
K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def with_check_digits(nine: str) -> str | None:
    """`nine` digits plus both check digits, or None when a check digit would be 10."""
    k1 = (11 - sum(w * int(d) for w, d in zip(K1, nine, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    ten = nine + str(k1)
    k2 = (11 - sum(w * int(d) for w, d in zip(K2, ten, strict=True)) % 11) % 11
    if k2 == 10:
        return None
    return ten + str(k2)


def national_id(birth: date, individual: int, kind: str = "fnr") -> str | None:
    """An ID for `birth` and the 3-digit `individual` number; None if no check digit fits.

    kind: "fnr" (fødselsnummer), "d" (D-number: day + 40), "h" (H-number: month + 40) or
    "synthetic" (test numbers: month + 80).
    """
    day, month = birth.day, birth.month
    if kind == "d":
        day += 40
    elif kind == "h":
        month += 40
    elif kind == "synthetic":
        month += 80
    return with_check_digits(f"{day:02d}{month:02d}{birth.year % 100:02d}{individual:03d}")


def valid_id(birth: date, individual: int = 123, kind: str = "fnr") -> str:
    """The first valid ID for `birth` from `individual` on."""
    for number in range(individual, 1000):
        found = national_id(birth, number, kind)
        if found is not None:
            return found
    raise AssertionError("no valid individual number")  # pragma: no cover


def broken(valid: str) -> str:
    """`valid` with its last check digit changed, so the checksum fails."""
    return valid[:10] + str((int(valid[10]) + 1) % 10)
