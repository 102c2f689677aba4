"""The bot's requests to the Bot API over aiohttp, each one telling whether it went out whole.

PTB's own HTTPXRequest spends about 1.5 ms of CPU on every request (httpx and httpcore), more than
answering a question takes; aiohttp spends about 0.2 ms. PTB leaves the HTTP library to a
`BaseRequest` subclass, and this is one. Long polls keep PTB's HTTPXRequest: they are few.

A request that failed before its body was completely written cannot have been carried out by
Telegram, and fails with `Unsent`, so the rate limiter may send it again. aiohttp's `UploadTracker`
says whether the body was written.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECTIONS = 8
"""Connections kept to the Bot API by default (SEND_CONNECTIONS)."""


UPLOAD_SETTLES_SECONDS = 1.0
"""How long a failed request waits for its upload's outcome (unknown counts as written)."""


class Unsent(NetworkError):
    """A request that failed before it was completely written: Telegram cannot have carried it out."""


class AiohttpRequest(BaseRequest):
    """`BaseRequest` over one aiohttp session: a pool of keep-alive connections, PTB's timeouts.

    `pool_timeout` bounds the wait for a free connection, `connect_timeout` a new connection,
    `read_timeout` the wait for an answer once the request is written; the write itself is bounded
    by the sum of all four (aiohttp has no write timeout of its own).
    """

    __slots__ = ("_connections", "_media_write_timeout", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = CONNECTIONS,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._connections = connection_pool_size
        self._timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        has_files = request_data is not None and request_data.contains_files
        read, write, connect, pool = (
            given if not isinstance(given, DefaultValue) else default
            for given, default in zip(
                (read_timeout, write_timeout, connect_timeout, pool_timeout),
                (
                    self._timeouts[0],
                    self._media_write_timeout if has_files else self._timeouts[1],
                    self._timeouts[2],
                    self._timeouts[3],
                ),
                strict=True,
            )
        )
        timeout = aiohttp.ClientTimeout(
            total=_sum_or_none(read, write, connect, pool),
            connect=_sum_or_none(connect, pool),
            sock_connect=connect,
            sock_read=read,
        )
        tracker = aiohttp.UploadTracker()
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout, upload_tracker=tracker
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as err:
            what = f"aiohttp.{err.__class__.__name__}: {err}"
            if not tracker.upload_complete.done():  # an upload still being torn down: its outcome is due
                await asyncio.wait({tracker.upload_complete}, timeout=UPLOAD_SETTLES_SECONDS)
            if _unwritten(tracker):
                raise Unsent(f"not sent ({what})") from err
            if isinstance(err, asyncio.TimeoutError):
                raise TimedOut(f"no answer in time ({what})") from err
            raise NetworkError(what) from err


def _unwritten(tracker: aiohttp.UploadTracker) -> bool:
    """Known not to have been written whole (unknown counts as written: a send is then not repeated)."""
    done = tracker.upload_complete
    return done.done() and (done.cancelled() or done.exception() is not None)


def _sum_or_none(*seconds: float | None) -> float | None:
    return None if any(part is None for part in seconds) else sum(part for part in seconds if part is not None)


def _body(request_data: RequestData | None) -> Any:
    """Parameters form-encoded, as PTB's HTTPXRequest sends them; multipart when there are files."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
