"""Cutting an HTML message too long for Telegram into messages that each fit and each parse.

Cuts fall between paragraphs, then lines, then words; a cut inside <b>...</b> closes the tags at
the end of one part and opens them again at the start of the next, so no part is invalid HTML.
"""

from __future__ import annotations

import re

MAX_CHARS = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z-]*)[^>]*>")
_WORDS = re.compile(r"(?<= )(?![^<]*>)")
"""After each space outside a tag: `<a href="...">` is one word."""
_TAG_ROOM = 1024
"""Kept free in each part (at most half of it) for closing and reopening tags, a long <a href> included."""


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate is one unit too


def split_html(text: str, limit: int = MAX_CHARS) -> list[str]:
    """`text` unchanged if it fits, else parts of at most `limit` UTF-16 units with balanced tags."""
    if telegram_length(text) <= limit:
        return [text]
    budget = max(1, limit - min(_TAG_ROOM, limit // 2))
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, budget):
        if current and telegram_length(current) + telegram_length(piece) > budget:
            parts.append(current)
            current = ""
        current += piece
    if current:
        parts.append(current)
    return [part for part in _balance(parts) if part.strip()]


def _pieces(text: str, budget: int) -> list[str]:
    """Paragraphs, or lines, or words, or (for one enormous word) slices: each within budget."""
    out: list[str] = []
    for paragraph in re.split(r"(?<=\n\n)", text):
        if telegram_length(paragraph) <= budget:
            out.append(paragraph)
            continue
        for line in re.split(r"(?<=\n)", paragraph):
            if telegram_length(line) <= budget:
                out.append(line)
                continue
            for word in _WORDS.split(line):
                out.extend(_slices(word, budget) if telegram_length(word) > budget else [word])
    return out


def _slices(word: str, budget: int) -> list[str]:
    """Hard cuts, never inside a tag or an entity like &amp;."""
    out: list[str] = []
    while telegram_length(word) > budget:
        cut = budget // 2  # UTF-16 units are at most two per code point
        head = word[:cut]
        for opener, closer in (("<", ">"), ("&", ";")):
            start = head.rfind(opener)
            if start > head.rfind(closer):  # the cut falls inside: cut before it, or after it if it leads
                end = word.find(closer, start)
                head = head[:start] if start > 0 or end < 0 else word[: end + 1]
        out.append(head)
        word = word[len(head) :]
    out.append(word)
    return out


def _balance(parts: list[str]) -> list[str]:
    """Close the tags still open at the end of each part and reopen them in the next."""
    balanced: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, opening tag as written)
    for part in parts:
        prefix = "".join(tag for _, tag in open_tags)
        for found in _TAG.finditer(part):
            name = found.group(2).lower()
            if found.group(1):
                for index in range(len(open_tags) - 1, -1, -1):
                    if open_tags[index][0] == name:
                        del open_tags[index]
                        break
            else:
                open_tags.append((name, found.group(0)))
        suffix = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        balanced.append(prefix + part + suffix)
    return balanced
