"""Hostile text for the fuzz tests: what users, clients and other bots actually send."""

from __future__ import annotations

from hypothesis import strategies as st

MAX_QUESTION = 10_000

CONTROL = [chr(c) for c in (*range(0, 32), 127, *range(0x80, 0xA0))]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f"]
DIRECTION = [
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u061c",
]
FRAGMENTS = [
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    '<a href="javascript:alert(1)">',
    "</a>",
    "<script>",
    "</script>",
    "<br/>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&",
    "&amp;",
    "&lt;",
    "&#x0;",
    "&nbsp;",
    "<",
    ">",
    '"',
    "'",
    "<tg-spoiler>",
    "**",
    "__",
    "`",
    "```",
    "~~",
    "||",
    "[link](http://x)",
    "\\",
    "_*[]()~`>#+-=|{}.!",
    "кто возглавляет делегацию Украины",
    "Умеров",
    "Мединский",
    "Стамбул",
    "хто очолює",
    "ё",
    "Ї",
    "who leads Ukraine's team?",
    "and Russia's?",
    "where are the talks",
    "Erdoğan",
    "Umerov",
    "Medinsky",
    "مرحبا",
    "שלום",
    "你好",
    "🇺🇦",
    "👨‍👩‍👧",
    "\U0001f600",
    "\ud800",
    "\udfff",
    "e\u0301",
    "ﬁ",
    "Ⅻ",
    "①",
    "@talksbot_test_bot",
    "/ask",
    "/start",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    " ",
    "\u00a0",
    "\u3000",
]


def _join(parts: list[str]) -> str:
    return "".join(parts)[:MAX_QUESTION]


pieces = st.one_of(
    st.sampled_from(FRAGMENTS + CONTROL + INVISIBLE + DIRECTION),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0x400, max_codepoint=0x4FF), max_size=30),
)
"""One fragment: markup, scripts, invisible and control characters, or any Unicode at all."""

hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(pieces, max_size=40).map(_join),
    st.builds(lambda piece, times: (piece * times)[:MAX_QUESTION], pieces, st.integers(1, 2_000)),
    st.text(max_size=MAX_QUESTION),
)
"""Any Unicode up to 10,000 characters, biased towards the fragments above (lone surrogates included)."""
