"""What Telegram accepts as `parse_mode=HTML`, checked with html.parser: a test oracle for replies.

Telegram refuses a whole message over one bad tag or a bare `<`, so every reply the bot renders must
pass this before it is sent. Rules (Bot API "HTML style"): only the tags below, properly nested and
closed; `<a>` only with `href`; every other `<`, `>` and `&` written as an entity.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class InvalidTelegramHTML(AssertionError):
    pass


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise InvalidTelegramHTML(f"tag <{tag}> is not allowed")
        names = {name for name, _ in attrs}
        if tag == "a" and names != {"href"}:
            raise InvalidTelegramHTML(f"<a> needs exactly an href, got {sorted(names)}")
        if tag == "a" and not re.fullmatch(r"(https?|tg)://\S+", dict(attrs)["href"] or "", re.IGNORECASE):
            raise InvalidTelegramHTML(f"<a> with an href Telegram refuses: {dict(attrs)['href']!r:.60}")
        if tag != "a" and names:
            raise InvalidTelegramHTML(f"<{tag}> takes no attributes")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise InvalidTelegramHTML(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise InvalidTelegramHTML(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise InvalidTelegramHTML(f"unescaped angle bracket in {data[:40]!r}")

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            raise InvalidTelegramHTML(f"unknown entity &{name};")

    def handle_charref(self, name: str) -> None:
        pass

    def handle_comment(self, data: str) -> None:
        raise InvalidTelegramHTML("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        raise InvalidTelegramHTML("declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        raise InvalidTelegramHTML("processing instructions are not allowed")

    def unknown_decl(self, data: str) -> None:
        raise InvalidTelegramHTML("declarations are not allowed")


def check_telegram_html(text: str) -> None:
    """Raise `InvalidTelegramHTML` unless Telegram would parse `text` as HTML."""
    for found in re.finditer(r"&[^;\s]*;?", text):  # html.parser forgives a bare '&'; Telegram does not
        if not _ENTITY.fullmatch(found.group(0)):
            raise InvalidTelegramHTML(f"unescaped '&' in {text[max(0, found.start() - 20) : found.end() + 20]!r}")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:  # html.parser keeps what it could not parse (e.g. a '<' at the very end)
        raise InvalidTelegramHTML(f"unparsed rest {checker.rawdata[:40]!r}")
    if checker.open:
        raise InvalidTelegramHTML(f"unclosed {checker.open}")
