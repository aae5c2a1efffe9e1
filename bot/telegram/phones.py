"""Phone numbers and links in what the bridge sends, written so that Telegram makes them tappable.

Telegram turns a number into a link only when it has its country code, so a Norwegian
eight-digit number (2-2-2-2, 3-2-3 or ungrouped, with or without +47) is sent as
"+47 23 43 10 00". Short numbers (113, 116 117) stay as they are: Telegram links none.
"""

from __future__ import annotations

import html
import re

_NORWEGIAN = re.compile(
    r"(?<![\d+])(?:\+47 ?)?(\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})(?!\d)"
)


def _international(match: re.Match[str]) -> str:
    digits = match[1].replace(" ", "")
    if digits.startswith("8"):  # 800 and 815 numbers are written 3-2-3
        return f"+47 {digits[:3]} {digits[3:5]} {digits[5:]}"
    return "+47 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))


def tappable_numbers(text: str) -> str:
    """`text` with each Norwegian eight-digit phone number in international form."""
    return _NORWEGIAN.sub(_international, text)


# A link the assistant writes as [text](https://…): a short source such as
# "[oslo.kommune.no, sjekket 23.11.2026](https://www.oslo.kommune.no/…)".
_LINK = re.compile(r"\[([^\]\n]{1,120})\]\((https://[^\s()<>\"]+)\)")


def with_links(text: str) -> str | None:
    """`text` as Telegram HTML with its links behind their words; None when it has no link."""
    if not _LINK.search(text):
        return None
    parts: list[str] = []
    last = 0
    for match in _LINK.finditer(text):
        parts.append(html.escape(tappable_numbers(text[last : match.start()])))
        parts.append(f'<a href="{html.escape(match[2])}">{html.escape(match[1])}</a>')
        last = match.end()
    parts.append(html.escape(tappable_numbers(text[last:])))
    return "".join(parts)
