"""A local, in-process stand-in for the Telegram Bot API.

End-to-end tests run the real PTB ``Application`` against this server over real HTTP on
127.0.0.1, so the whole stack (request encoding, httpx, error mapping, deserialisation,
polling) is exercised without touching Telegram.  The server is standard library only and
runs in a background thread, so it works with whatever asyncio loop a test uses.

Typical use::

    with BotAPIStandIn() as api:
        app = Application.builder().token(api.token).base_url(api.base_url).build()
        ...
        api.push_message("/start")
        call = await api.wait_for_async("sendMessage")

How PTB 22 encodes requests (see ``telegram/request/_requestparameter.py``): every call is a
POST whose parameters are sent as ``application/x-www-form-urlencoded`` (or
``multipart/form-data`` when files are uploaded).  ``str`` values are sent verbatim; every
other value is ``json.dumps``-ed, so ints arrive as ``"42"``, bools as ``"true"`` and objects
and lists (reply_markup, commands, scope, results, ...) as JSON text.  A str that merely
*looks* like JSON is indistinguishable on the wire, which is why :func:`decode_form_params`
never decodes free-text fields such as ``text`` or ``caption``.
"""

from __future__ import annotations

import asyncio
import email.message
import itertools
import json
import re
import socket
import struct
import threading
import sys
import time
import traceback
import urllib.parse
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz012345"
DEFAULT_BOT_USERNAME = "talksbot_test_bot"
DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -4_000_001
DEFAULT_SUPERGROUP_ID = -1_001_234_567_890

# Parameters whose value is free text: never JSON-decoded or int-converted, because PTB sends
# str values verbatim and a text like "[1, 2]" or "42" must stay a str.
FREE_TEXT_KEYS: frozenset[str] = frozenset(
    {
        "text",
        "caption",
        "query",
        "data",
        "title",
        "description",
        "short_description",
        "name",
        "question",
        "explanation",
        "url",
        "switch_pm_text",
        "next_offset",
        "first_name",
        "last_name",
        "custom_title",
        "emoji",
        "message_text",
        "parse_mode",
        "language_code",
        "secret_token",
        "ip_address",
        "payload",
        "start_parameter",
        "sticker",
        "photo",
        "document",
        "video",
        "audio",
        "voice",
        "animation",
        "video_note",
        "thumbnail",
        "certificate",
        "game_short_name",
        "address",
    }
)
# Parameters ending in "_id" that are nevertheless strings in the Bot API.
STRING_ID_KEYS: frozenset[str] = frozenset(
    {
        "inline_message_id",
        "callback_query_id",
        "inline_query_id",
        "file_id",
        "file_unique_id",
        "custom_emoji_id",
        "business_connection_id",
        "shipping_query_id",
        "pre_checkout_query_id",
        "web_app_query_id",
        "message_effect_id",
        "gift_id",
        "telegram_payment_charge_id",
        "owned_gift_id",
        "sticker_set_name",
        "background_custom_emoji_id",
        "effect_id",
        "chat_instance",
        "result_id",
    }
)
# Non-"_id" parameters that are integers in the Bot API.
INT_KEYS: frozenset[str] = frozenset(
    {
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "duration",
        "width",
        "height",
        "length",
        "max_connections",
        "until_date",
        "date",
        "edit_date",
        "member_limit",
        "expire_date",
        "open_period",
        "close_date",
        "retry_after",
        "migrate_to_chat_id",
        "position",
    }
)
_INT_RE = re.compile(r"-?\d+")
_GET_UPDATES_CAP_DEFAULT = 2.0
_UPDATE_TYPES: tuple[str, ...] = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
)
_ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: message to edit not found",
    401: "Unauthorized",
    403: "Forbidden: bot was kicked from the group chat",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_MEMBER_STATUS_ALIASES: dict[str, str] = {"owner": "creator", "banned": "kicked"}
_MEMBER_STATUSES: frozenset[str] = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart upload, kept so tests can assert on uploaded bytes."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One recorded Bot API request (successful or not), in arrival order."""

    method: str
    params: JSONDict
    time: float
    failed_with: int | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)
    raw_params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True if the stand-in answered this call successfully."""
        return self.failed_with is None


@dataclass
class _Fault:
    """A queued injected failure for one method."""

    status: int
    description: str
    parameters: JSONDict | None
    remaining: int
    until: float | None = None
    """For a window (`fail_during`): fails every call until this monotonic time, `remaining` unused."""


class BotAPIError(Exception):
    """Raised inside a method handler to answer with a Bot-API-style error."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


# --------------------------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------------------------


def decode_form_value(key: str, value: Any) -> Any:
    """Turn one form value back into the Python value PTB had before encoding it.

    Objects/arrays are JSON-decoded, "true"/"false" become bools, and ints are converted only
    for id-like keys, because a bare "42" is ambiguous (PTB sends str values verbatim).
    """
    if not isinstance(value, str) or key in FREE_TEXT_KEYS:
        return value
    stripped = value.strip()
    if stripped[:1] in ("{", "["):
        try:
            decoded = json.loads(stripped)
        except ValueError:
            return value
        if isinstance(decoded, dict | list):
            return decoded
        return value
    if value in ("true", "false"):
        return value == "true"
    is_int_key = key in INT_KEYS or (key.endswith("_id") and key not in STRING_ID_KEYS)
    if is_int_key and _INT_RE.fullmatch(value):
        return int(value)
    return value


def decode_form_params(raw: dict[str, Any]) -> JSONDict:
    """Decode every value of a form body (see :func:`decode_form_value`)."""
    return {key: decode_form_value(key, value) for key, value in raw.items()}


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into text fields and file parts.

    Hand-rolled (rather than ``cgi``/``email``) so binary payloads round-trip byte-exactly.
    """
    header = email.message.Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str):
        raise BotAPIError(400, "Bad Request: multipart body without boundary")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, payload = chunk.partition(b"\r\n\r\n")
        part = email.message.Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, sep, val = line.partition(":")
            if sep:
                part[name.strip()] = val.strip()
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        if filename is not None or part.get_content_type() not in ("text/plain",):
            files[name] = UploadedFile(
                filename=filename,
                content_type=part.get("content-type"),
                data=payload,
            )
        else:
            fields[name] = payload.decode("utf-8")
    return fields, files


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, which is what Telegram entity offsets count."""
    return len(text.encode("utf-16-le")) // 2


def _update_type(update: JSONDict) -> str | None:
    """The Bot API update type of an update dict (its one non-update_id key)."""
    for key in update:
        if key != "update_id":
            return key
    return None


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its stand-in and can drop keep-alive connections."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128
    """socketserver's default listen backlog of 5 overflows when a bot opens 20 connections at once;
    the kernel then resets some of them, a failure the real Bot API does not have."""

    def __init__(self, standin: BotAPIStandIn) -> None:
        self.standin = standin
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away (PTB cancels long-polls on stop); keep real bugs."""
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, OSError):
            self.standin.server_errors.append("".join(traceback.format_exception(exc)))


class _Handler(BaseHTTPRequestHandler):
    """Translates HTTP requests into :meth:`BotAPIStandIn._dispatch` calls."""

    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like api.telegram.org
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle + delayed ACK
    # add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.open_connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.open_connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Silence per-request stderr logging; calls are recorded instead."""

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        split = urllib.parse.urlsplit(self.path)
        if self.server.standin._take_reset(split.path.rpartition("/")[2]):
            # Reset before the body is read: the request was not carried out, whatever the client sent.
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.server.standin._take_drop(split.path.rpartition("/")[2]):
            self.close_connection = True  # no answer at all: the client sees the connection reset
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, payload = self.server.standin._handle_http(
            split.path, split.query, self.headers.get("Content-Type", ""), body
        )
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            if self.server.standin.refusing:
                self.send_header("Connection", "close")  # no more requests on this connection
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True


# --------------------------------------------------------------------------------------------
# The stand-in
# --------------------------------------------------------------------------------------------


class BotAPIStandIn:
    """A fake Bot API server with recorded calls, an update queue and fault injection.

    State is deliberately small (chats, users, messages, commands, member statuses) but kept
    coherent, so every answer deserialises cleanly in PTB.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "TalksBot Test",
        long_poll_cap: float = _GET_UPDATES_CAP_DEFAULT,
    ) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id: int = int(prefix) if prefix.isdigit() else 123456789
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.long_poll_cap = long_poll_cap
        self.calls: list[Call] = []
        self.server_errors: list[str] = []

        self._cond = threading.Condition(threading.RLock())
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._chats: dict[int | str, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int | str, int], JSONDict] = {}
        self._last_message_id: dict[int | str, int] = {}
        self._bot_messages: list[JSONDict] = []
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._members: dict[tuple[int | str, int], JSONDict] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._stalls: dict[str, list[float]] = {}
        self._drops: dict[str, int] = {}
        self._resets: dict[str, int] = {}
        self._refusing_until = 0.0
        self._reopen: threading.Timer | None = None
        self._webhook_url = ""
        self._ids = itertools.count(1)
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> BotAPIStandIn:
        """Bind 127.0.0.1 on a free port and serve from a daemon thread."""
        if self._server is not None:
            return self
        self._stopping = False
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"BotAPIStandIn:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes long-polls and drops keep-alive connections so this is quick."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._reopen is not None:
            self._reopen.cancel()
            self._reopen.join()
        server.shutdown()
        with server.connections_lock:
            connections = list(server.open_connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> BotAPIStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (only valid after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("BotAPIStandIn is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url``; PTB appends the token itself."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``base_file_url`` (file downloads are not served)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ---------------------------------------------------------------- call inspection

    def calls_to(self, method: str, *, include_failed: bool = True) -> list[Call]:
        """All recorded calls of ``method`` (case-insensitive), retries included by default."""
        wanted = method.lower()
        with self._cond:
            return [c for c in self.calls if c.method.lower() == wanted and (include_failed or c.ok)]

    def sent_messages(self) -> list[JSONDict]:
        """Decoded params of every *successful* sendMessage call, in order."""
        return [c.params for c in self.calls_to("sendMessage", include_failed=False)]

    def bot_messages(self, chat_id: int | str | None = None) -> list[JSONDict]:
        """Message objects the stand-in returned for the bot's own sends (e.g. for callbacks)."""
        with self._cond:
            return [m for m in self._bot_messages if chat_id is None or m["chat"]["id"] == chat_id]

    def clear_calls(self) -> None:
        """Forget recorded calls (state such as chats, messages and updates is kept)."""
        with self._cond:
            self.calls.clear()

    def _find(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None,
        include_failed: bool,
    ) -> Call | None:
        wanted = method.lower()
        for c in self.calls:
            if c.method.lower() != wanted or (not include_failed and not c.ok):
                continue
            if predicate is None or predicate(c):
                return c
        return None

    def _timeout_error(self, method: str, timeout: float) -> AssertionError:
        with self._cond:
            interesting = [c for c in self.calls if c.method != "getUpdates"]
            polls = len(self.calls) - len(interesting)
        lines = [
            f"{c.method}{' [failed ' + str(c.failed_with) + ']' if c.failed_with else ''} {c.params!r}"
            for c in interesting[-20:]
        ]
        listing = "\n  ".join(lines) if lines else "(none)"
        return AssertionError(
            f"no matching {method} call within {timeout}s; "
            f"{len(interesting)} other call(s) (+{polls} getUpdates), most recent:\n  {listing}"
        )

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 30.0,
        *,
        include_failed: bool = False,
    ) -> Call:
        """Block until a matching call has been recorded (earliest match wins).

        Blocking: must not be called from the thread running the event loop that drives the
        bot (it would starve the bot); use :meth:`wait_for_async` there.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("wait_for() would block the event loop; use wait_for_async()")
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._find(method, predicate, include_failed)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
        raise self._timeout_error(method, timeout)

    async def wait_for_async(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 30.0,
        *,
        include_failed: bool = False,
    ) -> Call:
        """Like :meth:`wait_for` but polls with ``asyncio.sleep`` so the loop keeps running."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                found = self._find(method, predicate, include_failed)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout_error(method, timeout)
            await asyncio.sleep(0.01)

    # ---------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        parameters: JSONDict | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail like the real Bot API would.

        429 answers carry ``parameters.retry_after`` (default 1) so PTB raises RetryAfter;
        pass ``parameters={"migrate_to_chat_id": ...}`` with 400 to get ChatMigrated.
        Multiple calls queue up in order.
        """
        params = dict(parameters) if parameters else None
        if status == 429:
            seconds = 1 if retry_after is None else retry_after
            params = {**(params or {}), "retry_after": seconds}
            desc = description or f"Too Many Requests: retry after {seconds}"
        elif params and "migrate_to_chat_id" in params and description is None:
            desc = "Bad Request: group chat was upgraded to a supergroup chat"
        elif description is not None:
            desc = description
        elif status in _ERROR_DESCRIPTIONS:
            desc = _ERROR_DESCRIPTIONS[status]
        else:
            try:
                desc = HTTPStatus(status).phrase
            except ValueError:
                desc = f"Error {status}"
        with self._cond:
            self._faults.setdefault(method.lower(), []).append(
                _Fault(status=status, description=desc, parameters=params, remaining=times)
            )

    def stall_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method`` but answer each ``seconds`` late, as
        when Telegram is slow: a client that times out cannot tell whether the call took effect."""
        with self._cond:
            self._stalls.setdefault(method.lower(), []).extend([seconds] * times)

    def fail_during(self, method: str, seconds: float, *, status: int = 502, retry_after: int = 1) -> None:
        """Fail every call of ``method`` for the next ``seconds`` (an outage window), like `fail_next`."""
        self.fail_next(method, status=status, retry_after=retry_after)
        with self._cond:
            self._faults[method.lower()][-1].until = time.monotonic() + seconds

    def clear_faults(self) -> None:
        """End every injected failure, stall and drop still queued or in its window."""
        with self._cond:
            self._faults.clear()
            self._stalls.clear()
            self._drops.clear()
            self._resets.clear()

    def drop_next(self, method: str, *, times: int = 1) -> None:
        """Close the connection of the next ``times`` calls of ``method`` before carrying them out,
        without an answer, as a proxy or a flaky network does."""
        with self._cond:
            self._drops[method.lower()] = self._drops.get(method.lower(), 0) + times

    def reset_next(self, method: str, *, times: int = 1) -> None:
        """Reset the connection of the next ``times`` calls of ``method`` once their headers are read,
        before their body is: nothing is carried out. A client still writing a large body sees its
        write fail; one whose small body was already out cannot tell this from `drop_next`."""
        with self._cond:
            self._resets[method.lower()] = self._resets.get(method.lower(), 0) + times

    def _take_reset(self, method: str) -> bool:
        return self._take_one(self._resets, method)

    def refuse_connections(self, seconds: float) -> None:
        """For ``seconds``, as when Telegram's front end restarts: new connections are refused (the
        port is closed) and open ones are closed after the answer they are giving, so every request
        meanwhile fails before it is sent (a connect error). Requests already read are answered."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._refusing_until = time.monotonic() + seconds
        server.shutdown()  # the accept loop; connections being served go on in their threads
        server.socket.close()
        self._thread = None
        self._reopen = threading.Timer(seconds, self._listen_again)
        self._reopen.daemon = True
        self._reopen.start()

    @property
    def refusing(self) -> bool:
        return time.monotonic() < self._refusing_until

    def _listen_again(self) -> None:
        server = self._server
        if server is None or self._stopping:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(server.server_address)
        listener.listen(server.request_queue_size)
        server.socket = listener
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"BotAPIStandIn:{self.port}", daemon=True
        )
        self._thread.start()

    def _take_drop(self, method: str) -> bool:
        return self._take_one(self._drops, method)

    def _take_one(self, counts: dict[str, int], method: str) -> bool:
        with self._cond:
            left = counts.get(method.lower(), 0)
            if left:
                counts[method.lower()] = left - 1
            return left > 0

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method.lower())
        while queue and queue[0].until is not None and time.monotonic() >= queue[0].until:
            queue.pop(0)  # a window that has passed
        if not queue:
            return None
        fault = queue[0]
        if fault.until is not None:
            return fault
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    # ---------------------------------------------------------------- member / chat config

    def set_chat_member_status(self, chat_id: int | str, user_id: int, status: str, **fields: Any) -> None:
        """Configure what getChatMember answers; extra ``fields`` override defaults
        (e.g. ``can_restrict_members=False``)."""
        status = _MEMBER_STATUS_ALIASES.get(status, status)
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        with self._cond:
            self._members[(chat_id, user_id)] = {"status": status, **fields}

    def set_chat(self, chat_id: int | str, chat_type: str, **fields: Any) -> JSONDict:
        """Declare a chat explicitly (type, title, username...) so answers stay consistent."""
        with self._cond:
            chat = {"id": chat_id, "type": chat_type, **fields}
            self._chats[chat_id] = chat
            return dict(chat)

    # ---------------------------------------------------------------- updates

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for getUpdates, assigning an increasing update_id if missing.

        Chats, users and messages found inside are remembered so later answers match them.
        """
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._remember(update)
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
            self._cond.notify_all()
        return update

    def push_raw(self, update: JSONDict) -> JSONDict:
        """Queue an arbitrary update dict (e.g. a migrate_to_chat_id message)."""
        return self.push_update(update)

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed through getUpdates' offset."""
        with self._cond:
            return list(self._updates)

    def _remember(self, obj: Any) -> None:
        """Walk an update and record chats/users/messages it mentions."""
        if isinstance(obj, list):
            for item in obj:
                self._remember(item)
            return
        if not isinstance(obj, dict):
            return
        chat = obj.get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int | str) and "type" in chat:
            self._chats[chat["id"]] = {**self._chats.get(chat["id"], {}), **chat}
            message_id = obj.get("message_id")
            if isinstance(message_id, int):
                self._messages[(chat["id"], message_id)] = obj
                self._bump_message_id(chat["id"], message_id)
        for key in ("from", "user", "new_chat_member", "old_chat_member"):
            user = obj.get(key)
            if isinstance(user, dict) and isinstance(user.get("id"), int) and "is_bot" in user:
                self._users[user["id"]] = user
        for value in obj.values():
            if isinstance(value, dict | list):
                self._remember(value)

    def _bump_message_id(self, chat_id: int | str, message_id: int) -> None:
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)

    def _new_message_id(self, chat_id: int | str) -> int:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return message_id

    def _user(self, user_id: int, first_name: str | None, username: str | None) -> JSONDict:
        known = self._users.get(user_id, {})
        user: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or known.get("first_name") or f"User{user_id}",
        }
        if username or known.get("username"):
            user["username"] = username or known.get("username")
        if known.get("language_code"):
            user["language_code"] = known["language_code"]
        return user

    def _chat_for_push(
        self,
        chat_id: int | None,
        chat_type: str | None,
        user: JSONDict,
        chat_title: str | None,
    ) -> JSONDict:
        if chat_type is None:
            chat_type = self._infer_chat_type(chat_id) if chat_id is not None else "private"
        if chat_id is None:
            chat_id = {
                "private": user["id"],
                "group": DEFAULT_GROUP_ID,
                "supergroup": DEFAULT_SUPERGROUP_ID,
                "channel": DEFAULT_SUPERGROUP_ID,
            }.get(chat_type, user["id"])
        if chat_type == "private":
            chat: JSONDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
            return chat
        known = self._chats.get(chat_id, {})
        title = chat_title or known.get("title") or "Test Group"
        return {"id": chat_id, "type": chat_type, "title": title}

    def _infer_chat_type(self, chat_id: int | str) -> str:
        known = self._chats.get(chat_id)
        if known is not None:
            return str(known["type"])
        if isinstance(chat_id, str):
            return "channel"
        if chat_id > 0:
            return "private"
        if str(chat_id).startswith("-100") and chat_id < -1_000_000_000_000:
            return "supergroup"
        return "group"

    def _build_message(
        self,
        *,
        text: str | None,
        chat_id: int | None,
        chat_type: str | None,
        user_id: int,
        first_name: str,
        username: str | None,
        message_id: int | None,
        reply_to_message: JSONDict | int | None,
        entities: list[JSONDict] | None,
        chat_title: str | None,
        extra: JSONDict | None = None,
    ) -> JSONDict:
        with self._cond:
            user = self._user(user_id, first_name, username)
            chat = self._chat_for_push(chat_id, chat_type, user, chat_title)
            if message_id is None:
                message_id = self._new_message_id(chat["id"])
            message: JSONDict = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": user,
            }
            if text is not None:
                message["text"] = text
                if entities is None and text.startswith("/"):
                    command = text.split(maxsplit=1)[0] if text.strip() else text
                    length = _utf16_len(command)
                    entities = [{"type": "bot_command", "offset": 0, "length": length}]
            if entities:
                message["entities"] = entities
            if isinstance(reply_to_message, int):
                reply_to_message = self._messages.get((chat["id"], reply_to_message)) or {
                    "message_id": reply_to_message,
                    "date": int(time.time()),
                    "chat": chat,
                }
            if reply_to_message is not None:
                message["reply_to_message"] = reply_to_message
            if extra:
                message.update(extra)
            return message

    def push_message(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = "Alice",
        username: str | None = None,
        message_id: int | None = None,
        reply_to_message: JSONDict | int | None = None,
        entities: list[JSONDict] | None = None,
        chat_title: str | None = None,
    ) -> JSONDict:
        """Queue a ``message`` update from a user.

        ``chat_type`` defaults to "private" without ``chat_id``, else is inferred from the id
        (negative: group; ``-100...``: supergroup) or from an earlier update.  Text starting
        with "/" gets a ``bot_command`` entity so CommandHandler matches.
        """
        message = self._build_message(
            text=text,
            chat_id=chat_id,
            chat_type=chat_type,
            user_id=user_id,
            first_name=first_name,
            username=username,
            message_id=message_id,
            reply_to_message=reply_to_message,
            entities=entities,
            chat_title=chat_title,
        )
        return self.push_update({"message": message})

    def push_edited_message(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = "Alice",
        username: str | None = None,
        message_id: int | None = None,
        reply_to_message: JSONDict | int | None = None,
        entities: list[JSONDict] | None = None,
        chat_title: str | None = None,
    ) -> JSONDict:
        """Queue an ``edited_message`` update; without ``message_id`` edits the chat's latest."""
        with self._cond:
            message = self._build_message(
                text=text,
                chat_id=chat_id,
                chat_type=chat_type,
                user_id=user_id,
                first_name=first_name,
                username=username,
                message_id=message_id or -1,
                reply_to_message=reply_to_message,
                entities=entities,
                chat_title=chat_title,
            )
            chat_key = message["chat"]["id"]
            if message_id is None:
                latest = self._last_message_id.get(chat_key)
                message["message_id"] = latest or self._new_message_id(chat_key)
            original = self._messages.get((chat_key, message["message_id"]))
            if original is not None:
                message["date"] = original["date"]
            message["edit_date"] = max(int(time.time()), message["date"])
            return self.push_update({"edited_message": message})

    def push_callback_query(
        self,
        data: str,
        *,
        message: JSONDict | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = "Alice",
        username: str | None = None,
        chat_instance: str | None = None,
    ) -> JSONDict:
        """Queue a ``callback_query`` pressed on ``message`` (default: the bot's last message)."""
        with self._cond:
            if message is None:
                if not self._bot_messages:
                    raise ValueError("no bot message to attach the callback query to")
                message = self._bot_messages[-1]
            user = self._user(user_id, first_name, username)
            query = {
                "id": f"cbq-{next(self._ids)}",
                "from": user,
                "message": message,
                "chat_instance": chat_instance or f"ci{message['chat']['id']}",
                "data": data,
            }
            return self.push_update({"callback_query": query})

    def push_inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = "Alice",
        username: str | None = None,
        offset: str = "",
        chat_type: str | None = "private",
    ) -> JSONDict:
        """Queue an ``inline_query`` update."""
        with self._cond:
            inline: JSONDict = {
                "id": f"iq-{next(self._ids)}",
                "from": self._user(user_id, first_name, username),
                "query": query,
                "offset": offset,
            }
            if chat_type is not None:
                inline["chat_type"] = chat_type
            return self.push_update({"inline_query": inline})

    def push_sticker(
        self,
        *,
        emoji: str = "👍",
        chat_id: int | None = None,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = "Alice",
        username: str | None = None,
        chat_title: str | None = None,
    ) -> JSONDict:
        """Queue a sticker message (a message with no text)."""
        n = next(self._ids)
        sticker = {
            "file_id": f"sticker-file-{n}",
            "file_unique_id": f"sticker-uniq-{n}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        message = self._build_message(
            text=None,
            chat_id=chat_id,
            chat_type=chat_type,
            user_id=user_id,
            first_name=first_name,
            username=username,
            message_id=None,
            reply_to_message=None,
            entities=None,
            chat_title=chat_title,
            extra={"sticker": sticker},
        )
        return self.push_update({"message": message})

    def push_photo(
        self,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = "Alice",
        username: str | None = None,
        chat_title: str | None = None,
    ) -> JSONDict:
        """Queue a photo message (no text; optional caption)."""
        extra: JSONDict = {"photo": self._photo_sizes()}
        if caption is not None:
            extra["caption"] = caption
        message = self._build_message(
            text=None,
            chat_id=chat_id,
            chat_type=chat_type,
            user_id=user_id,
            first_name=first_name,
            username=username,
            message_id=None,
            reply_to_message=None,
            entities=None,
            chat_title=chat_title,
            extra=extra,
        )
        return self.push_update({"message": message})

    def _photo_sizes(self) -> list[JSONDict]:
        n = next(self._ids)
        return [
            {"file_id": f"photo-{n}-s", "file_unique_id": f"pu-{n}-s", "width": 90, "height": 90, "file_size": 1200},
            {"file_id": f"photo-{n}-m", "file_unique_id": f"pu-{n}-m", "width": 320, "height": 320, "file_size": 14000},
        ]

    # ---------------------------------------------------------------- HTTP entry point

    def _handle_http(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, JSONDict]:
        """Parse one request, record it and produce (status, JSON body)."""
        if not path.startswith("/bot") or "/" not in path[4:]:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, _, method = path[4:].rpartition("/")
        try:
            raw, files = self._parse_body(query, content_type, body)
            params = raw if "json" in content_type.lower() else decode_form_params(raw)
        except BotAPIError as err:
            return err.status, self._error_body(err)
        for name, upload in files.items():
            params.setdefault(name, upload)
        call = Call(method=method, params=params, time=time.time(), files=files, raw_params=raw)

        if token != self.token:
            return self._record_failure(call, BotAPIError(401, "Unauthorized"))
        with self._cond:
            fault = self._take_fault(method)
        if fault is not None:
            return self._record_failure(call, BotAPIError(fault.status, fault.description, fault.parameters))
        if method.lower() == "getupdates":
            # Record before long-polling so wait_for() sees the poll immediately.
            self._record(call)
        try:
            result = self._dispatch(method, params)
        except BotAPIError as err:
            if method.lower() == "getupdates":
                call.failed_with = err.status
                return err.status, self._error_body(err)
            return self._record_failure(call, err)
        except Exception as exc:  # a stand-in bug: surface it loudly rather than hang
            self.server_errors.append(f"{method}: {exc!r}")
            return self._record_failure(call, BotAPIError(500, f"stand-in error: {exc!r}"))
        if method.lower() != "getupdates":
            self._record(call)
        with self._cond:
            stalls = self._stalls.get(method.lower())
            stall = stalls.pop(0) if stalls else 0.0
        if stall:
            time.sleep(stall)  # carried out, but the answer comes late (a client may time out)
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _error_body(err: BotAPIError) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": err.status, "description": err.description}
        if err.parameters:
            body["parameters"] = err.parameters
        return body

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _record_failure(self, call: Call, err: BotAPIError) -> tuple[int, JSONDict]:
        call.failed_with = err.status
        self._record(call)
        return err.status, self._error_body(err)

    @staticmethod
    def _parse_body(query: str, content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        files: dict[str, UploadedFile] = {}
        ctype = content_type.split(";", 1)[0].strip().lower()
        if not body:
            return raw, files
        if ctype == "application/json":
            try:
                loaded = json.loads(body.decode("utf-8"))
            except ValueError as exc:
                raise BotAPIError(400, "Bad Request: can't parse JSON body") from exc
            if not isinstance(loaded, dict):
                raise BotAPIError(400, "Bad Request: JSON body must be an object")
            raw.update(loaded)
        elif ctype == "multipart/form-data":
            fields, files = parse_multipart(body, content_type)
            raw.update(fields)
        else:  # application/x-www-form-urlencoded (httpx's default for data=)
            raw.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return raw, files

    # ---------------------------------------------------------------- method implementations

    def _dispatch(self, method: str, params: JSONDict) -> Any:
        name = method.lower()
        handler = getattr(self, f"_api_{name}", None)
        if handler is not None:
            return handler(params)
        if name.startswith("send") and name not in ("sendchataction", "sendmediagroup"):
            return self._send_generic(name[4:], params)
        return True

    def _chat_object(self, chat_id: int | str) -> JSONDict:
        """A Chat for ``chat_id``: the remembered one, or one inferred from the id."""
        known = self._chats.get(chat_id)
        if known is not None:
            chat = {"id": known["id"], "type": known["type"]}
            for key in ("title", "username", "first_name", "last_name", "is_forum"):
                if key in known:
                    chat[key] = known[key]
            return chat
        if isinstance(chat_id, str):  # "@channelusername"
            numeric = -1_000_000_000_000 - zlib.crc32(chat_id.encode()) % 1_000_000_000
            chat = {"id": numeric, "type": "channel", "title": chat_id.lstrip("@"), "username": chat_id.lstrip("@")}
            self._chats[chat_id] = chat
            return dict(chat)
        chat_type = self._infer_chat_type(chat_id)
        if chat_type == "private":
            user = self._users.get(chat_id, {})
            chat = {"id": chat_id, "type": "private", "first_name": user.get("first_name", f"User{chat_id}")}
            if user.get("username"):
                chat["username"] = user["username"]
            return chat
        return {"id": chat_id, "type": chat_type, "title": "Test Group"}

    @staticmethod
    def _require(params: JSONDict, key: str) -> Any:
        if key not in params or params[key] in ("", None):
            raise BotAPIError(400, f"Bad Request: parameter {key} is required")
        return params[key]

    def _new_bot_message(self, params: JSONDict, content: JSONDict) -> JSONDict:
        chat_id = self._require(params, "chat_id")
        with self._cond:
            chat = self._chat_object(chat_id)
            message: JSONDict = {
                "message_id": self._new_message_id(chat_id),
                "date": int(time.time()),
                "chat": chat,
                "from": dict(self.bot_user),
                **content,
            }
            reply = params.get("reply_parameters")
            reply_id = reply.get("message_id") if isinstance(reply, dict) else params.get("reply_to_message_id")
            if isinstance(reply_id, int) and (chat_id, reply_id) in self._messages:
                message["reply_to_message"] = self._messages[(chat_id, reply_id)]
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                # Only inline keyboards appear on Message; reply keyboards are not echoed.
                message["reply_markup"] = markup
            self._messages[(chat_id, message["message_id"])] = message
            self._bot_messages.append(message)
            return message

    def _api_getme(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_getupdates(self, params: JSONDict) -> list[JSONDict]:
        if self._webhook_url:
            raise BotAPIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = params.get("limit", 100)
        limit = max(1, min(100, int(limit))) if isinstance(limit, int | str) else 100
        timeout = params.get("timeout", 0)
        try:
            wait = max(0.0, min(float(timeout), self.long_poll_cap))
        except (TypeError, ValueError):
            wait = 0.0
        allowed = params.get("allowed_updates")
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                if isinstance(offset, int) and offset > 0:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                candidates = self._updates
                if isinstance(offset, int) and offset < 0:
                    candidates = candidates[offset:]
                if isinstance(allowed, list) and allowed:
                    candidates = [u for u in candidates if _update_type(u) in allowed]
                if candidates or self._stopping:
                    return [dict(u) for u in candidates[:limit]]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)

    def _api_setwebhook(self, params: JSONDict) -> bool:
        with self._cond:
            self._webhook_url = str(params.get("url", ""))
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
        return True

    def _api_deletewebhook(self, params: JSONDict) -> bool:
        with self._cond:
            self._webhook_url = ""
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
        return True

    def _api_getwebhookinfo(self, params: JSONDict) -> JSONDict:
        with self._cond:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    def _api_sendmessage(self, params: JSONDict) -> JSONDict:
        text = self._require(params, "text")
        return self._new_bot_message(params, {"text": str(text)})

    def _send_generic(self, kind: str, params: JSONDict) -> JSONDict:
        """sendPhoto/sendSticker/...: a Message with a minimal but valid media object."""
        n = next(self._ids)
        base = {"file_id": f"{kind}-file-{n}", "file_unique_id": f"{kind}-uniq-{n}"}
        content: JSONDict
        if kind == "photo":
            content = {"photo": self._photo_sizes()}
        elif kind == "sticker":
            content = {
                "sticker": {
                    **base,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        elif kind in ("video", "animation"):
            content = {kind: {**base, "width": 640, "height": 360, "duration": 1}}
        elif kind in ("audio", "voice"):
            content = {kind: {**base, "duration": 1}}
        elif kind == "videonote":
            content = {"video_note": {**base, "length": 240, "duration": 1}}
        elif kind == "document":
            content = {"document": base}
        elif kind == "location":
            content = {
                "location": {
                    "latitude": float(params.get("latitude", 0)),
                    "longitude": float(params.get("longitude", 0)),
                }
            }
        elif kind == "dice":
            content = {"dice": {"emoji": params.get("emoji", "🎲"), "value": 1}}
        else:
            content = {}
        if isinstance(params.get("caption"), str):
            content["caption"] = params["caption"]
        return self._new_bot_message(params, content)

    def _api_sendmediagroup(self, params: JSONDict) -> list[JSONDict]:
        media = params.get("media")
        count = len(media) if isinstance(media, list) else 1
        return [self._send_generic("photo", params) for _ in range(count)]

    def _api_forwardmessage(self, params: JSONDict) -> JSONDict:
        return self._new_bot_message(params, {})

    def _api_copymessage(self, params: JSONDict) -> JSONDict:
        return {"message_id": self._new_bot_message(params, {})["message_id"]}

    def _edit(self, params: JSONDict, changes: JSONDict) -> JSONDict | bool:
        if params.get("inline_message_id"):
            return True
        chat_id = self._require(params, "chat_id")
        message_id = self._require(params, "message_id")
        with self._cond:
            original = self._messages.get((chat_id, message_id))
            if original is None:
                original = {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self._chat_object(chat_id),
                    "from": dict(self.bot_user),
                }
                self._bump_message_id(chat_id, message_id)
            edited = {k: v for k, v in original.items() if k != "reply_markup"}
            edited.update(changes)
            # Like Telegram: an edit without reply_markup removes the inline keyboard.
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                edited["reply_markup"] = markup
            edited["edit_date"] = max(int(time.time()), int(edited["date"]))
            self._messages[(chat_id, message_id)] = edited
            self._bot_messages = [
                edited if (m["chat"]["id"], m["message_id"]) == (chat_id, message_id) else m for m in self._bot_messages
            ]
            return edited

    def _api_editmessagetext(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, {"text": str(self._require(params, "text"))})

    def _api_editmessagecaption(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, {"caption": str(params.get("caption", ""))})

    def _api_editmessagereplymarkup(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, {})

    @staticmethod
    def _scope_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code", ""))

    def _api_setmycommands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise BotAPIError(400, "Bad Request: parameter commands is required")
        with self._cond:
            self._commands[self._scope_key(params)] = commands
        return True

    def _api_getmycommands(self, params: JSONDict) -> list[JSONDict]:
        with self._cond:
            return list(self._commands.get(self._scope_key(params), []))

    def _api_deletemycommands(self, params: JSONDict) -> bool:
        with self._cond:
            self._commands.pop(self._scope_key(params), None)
        return True

    def _member_object(self, chat_id: int | str, user_id: int) -> JSONDict:
        config = dict(self._members.get((chat_id, user_id), {"status": "member"}))
        status = config.pop("status")
        user = dict(self.bot_user) if user_id == self.bot_id else self._user(user_id, None, None)
        member: JSONDict = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=True,
                can_edit_stories=True,
                can_delete_stories=True,
                can_pin_messages=True,
            )
        elif status == "restricted":
            member.update(
                is_member=True,
                can_send_messages=False,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_manage_topics=False,
                can_edit_tag=False,
                can_react_to_messages=False,
                until_date=0,
            )
        elif status == "kicked":
            member["until_date"] = 0
        member.update(config)
        return member

    def _api_getchatmember(self, params: JSONDict) -> JSONDict:
        chat_id = self._require(params, "chat_id")
        user_id = self._require(params, "user_id")
        with self._cond:
            return self._member_object(chat_id, int(user_id))

    def _api_getchatadministrators(self, params: JSONDict) -> list[JSONDict]:
        chat_id = self._require(params, "chat_id")
        with self._cond:
            return [
                self._member_object(chat_id, uid)
                for (cid, uid), cfg in self._members.items()
                if cid == chat_id and cfg["status"] in ("creator", "administrator")
            ]

    def _api_getchatmembercount(self, params: JSONDict) -> int:
        chat_id = self._require(params, "chat_id")
        with self._cond:
            return 2 + sum(
                1
                for (cid, _), cfg in self._members.items()
                if cid == chat_id and cfg["status"] not in ("left", "kicked")
            )

    def _api_getchat(self, params: JSONDict) -> JSONDict:
        chat_id = self._require(params, "chat_id")
        with self._cond:
            chat = self._chat_object(chat_id)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _api_getfile(self, params: JSONDict) -> JSONDict:
        file_id = str(self._require(params, "file_id"))
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": 0, "file_path": f"files/{file_id}"}

    # ---------------------------------------------------------------- misc

    def __repr__(self) -> str:
        state = f"port={self.port}" if self._server is not None else "stopped"
        return f"<BotAPIStandIn {state} calls={len(self.calls)}>"
