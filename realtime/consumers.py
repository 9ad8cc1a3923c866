"""Websocket consumers for /ws/ops/, /ws/agency/, /ws/reports/{id}/ and /ws/alerts/.

Protocol (see docs/realtime.md):
- Auth: `?token=KEY` in the query string, or a first message `{"type": "auth", "token": KEY}`
  within REALTIME_AUTH_TIMEOUT seconds, or (staff only, browser pages) the Django session when the
  Origin header is present and allowed. Refused sockets are closed with a 44xx code and get no data.
  A kind open to everyone (`anonymous`, the warnings) starts at once without any of these.
- `{"type": "subscribe", ...}` narrows a kind that allows it (realtime/subscriptions.py) to what this
  client asked for, answered by `subscribed`; events it does not want are not sent, live or replayed.
- After auth the server sends `hello` (its `seq` is the newest event in the log), then live events.
- `{"type": "resume", "after": N}` (or `?after=N` / `"after"` in the auth message) replays every
  event after N in order, then continues live: no gap, no duplicate at the seam.
- A client that cannot keep up (its send buffer is full) is closed with 4429; it reconnects and
  resumes, so it loses nothing and slows nobody else.

Why the structure: channel-layer messages are drained by the consumer's dispatch loop into a bounded
per-socket queue that a separate writer task sends. A slow socket therefore never stalls the layer
(the in-memory and Redis layers silently drop group messages to a full channel), and replay runs as
its own task so live events keep being received (and buffered) while the log is read.

Why so few thread hops: a fan-out is one dispatch per socket on the event loop. Every database
question goes to realtime's own database thread (realtime/db.py) in as few calls as possible (one to
admit a socket, one per heartbeat), and a channel-layer event touches no database at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
import weakref
from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import AsyncConsumer, get_handler_name
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.http import parse_cookie

from realtime import access, db, log, streams, wire
from realtime.streams import Stream, StreamKind
from realtime.subscriptions import SubscribeRefused

logger = logging.getLogger("realtime")

# Close codes (documented in docs/realtime.md and sent in the close frame).
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_SLOW = 4429

_layer_gates: dict[int, asyncio.Semaphore] = {}


def _layer_gate() -> asyncio.Semaphore:
    """Bounds concurrent group_add/discard per event loop, so 1,000 sockets connecting at once
    queue for Redis connections instead of exhausting the pool ("Too many connections")."""
    loop_id = id(asyncio.get_running_loop())
    gate = _layer_gates.get(loop_id)
    if gate is None:
        gate = _layer_gates[loop_id] = asyncio.Semaphore(settings.REALTIME_LAYER_CONCURRENCY)
    return gate


@dataclass(frozen=True)
class _Failure:
    error: BaseException


@dataclass(frozen=True)
class Credential:
    """What the socket authenticated with, kept to re-check it: a device token or a session key, or
    neither on a stream open to everyone (`StreamKind.anonymous`)."""

    token: str | None = None
    session_key: str | None = None

    @property
    def none(self) -> bool:
        return self.token is None and self.session_key is None


class _SentSeqs:
    """The seqs already sent on this socket, so replay and live never send one twice.

    Bounded (a thousand sockets must not each hold every seq of a long day): when it grows past
    `limit` the older half is forgotten and everything at or below the newest forgotten seq counts as
    sent. A live event arriving that late would long since have been fetched by a gap repair.
    """

    def __init__(self, limit: int = 2_000) -> None:
        self.limit = limit
        self.seen: set[int] = set()
        self.floor = 0
        self.high = 0

    def add(self, seq: int) -> bool:
        if seq <= self.floor or seq in self.seen:
            return False
        self.seen.add(seq)
        self.high = max(self.high, seq)
        if len(self.seen) > self.limit:
            ordered = sorted(self.seen)
            cut = ordered[len(ordered) // 2]
            self.floor = cut
            self.seen = {s for s in ordered if s > cut}
        return True


class StreamConsumer(AsyncConsumer):
    """One socket on one kind of stream (realtime/streams.py); routing.py mounts one per kind."""

    def __init__(self, kind: StreamKind) -> None:
        self.kind = kind

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """channels' AsyncConsumer.__call__ with a leaner dispatch loop.

        channels' `await_many_dispatch` waits with `asyncio.wait` on a fresh receive task per message
        (task creation and callback bookkeeping for every socket on every event). Here one pump per
        source feeds an inbox; messages are still handled one at a time, in arrival order.
        """
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.base_send = send
        inbox: asyncio.Queue[Any] = asyncio.Queue()

        async def pump(source: Any) -> None:
            try:
                while True:
                    inbox.put_nowait(await source())
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # surface it in the dispatch loop, as channels would
                inbox.put_nowait(_Failure(exc))

        db.socket_opened()
        pumps = [
            asyncio.create_task(pump(receive)),
            asyncio.create_task(pump(functools.partial(self.channel_layer.receive, self.channel_name))),
        ]
        try:
            while True:
                message = await inbox.get()
                if isinstance(message, _Failure):
                    raise message.error
                await self.dispatch(message)
        except StopConsumer:
            pass
        finally:
            db.socket_closed()
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """channels' dispatch without its `aclose_old_connections()` before every message: that is a
        round trip to a worker thread per socket per event (profiled: the largest cost of a 1,000-socket
        fan-out). These handlers use the database only through realtime.db, which keeps its connection
        healthy itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- lifecycle --------------------------------------------------------------------------------
    async def websocket_connect(self, message: dict[str, Any]) -> None:
        self.user: Any = None
        self.credential: Credential | None = None
        self.stream: Stream | None = None
        self.group: str | None = None
        self.closing = False
        self.replaying = False
        self.pending: list[tuple[int, int | None, str]] = []
        # Every event of this stream up to `position` has been sent (or predates the client's start).
        self.position = 0
        self.sent = _SentSeqs()
        # What this socket subscribed to (kinds with a narrowing); None: the whole stream.
        self.listening: Any = None
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=settings.REALTIME_SEND_BUFFER)
        self.tasks: set[asyncio.Task[Any]] = set()
        query = parse_qs(self.scope.get("query_string", b"").decode("latin1"))
        self.query_after = _int_or_none(query.get("after", [None])[0])
        # Accept first: only an open socket can be closed with a meaningful code.
        await self.send({"type": "websocket.accept"})
        token = query.get("token", [""])[0]
        if token:
            await self._admit(Credential(token=token), self.query_after)
            return
        session_key = self._session_key() if self.scope.get("origin_ok") else None
        # A session that does not authenticate (gone, a citizen's) leaves the auth message to come.
        if session_key and await self._admit(Credential(session_key=session_key), self.query_after, fallback=True):
            return
        if self.kind.anonymous:
            await self._admit(Credential(), self.query_after)
            return
        self._spawn(self._auth_deadline())

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        if self.closing:
            return
        text = message.get("text")
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if self.user is None:
                await self._close(CLOSE_BAD_MESSAGE)
            else:
                self._control("error", {"code": "bad_message"})
            return
        kind = data.get("type")
        if self.user is None:
            if kind != "auth" or not isinstance(data.get("token"), str):
                await self._close(CLOSE_UNAUTHENTICATED)
                return
            after = _int_or_none(data.get("after"))
            await self._admit(Credential(token=data["token"]), after if after is not None else self.query_after)
            return
        if kind == "resume":
            after = _int_or_none(data.get("after"))
            if after is None or after < 0:
                self._control("error", {"code": "bad_resume"})
            elif self.replaying:
                self._control("error", {"code": "resume_in_progress"})
            else:
                self._begin_replay(after)
        elif kind == "subscribe" and self.kind.narrowing is not None:
            await self._subscribe(data)
        elif kind == "ping":
            self._control("pong", {})
        elif kind == "auth":
            self._control("error", {"code": "already_authenticated"})
        else:
            self._control("error", {"code": "unknown_type"})

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        self.closing = True
        for task in list(self.tasks):
            task.cancel()
        if self.group is not None:
            async with _layer_gate():
                with contextlib.suppress(Exception):
                    await self.channel_layer.group_discard(self.group, self.channel_name)
        raise StopConsumer()

    # --- channel-layer events -----------------------------------------------------------------------
    async def rt_event(self, message: dict[str, Any]) -> None:
        if self.closing or self.stream is None:
            return
        seq, prev, text = int(message["seq"]), message.get("prev"), message["text"]
        if self.replaying:
            self._hold(seq, prev, text)
            return
        self._accept_live(seq, prev, text)

    # --- internals ----------------------------------------------------------------------------------
    def _session_key(self) -> str | None:
        for name, value in self.scope.get("headers", []):
            if name == b"cookie":
                return parse_cookie(value.decode("latin1")).get(settings.SESSION_COOKIE_NAME) or None
        return None

    async def _admit(self, credential: Credential, after: int | None, *, fallback: bool = False) -> bool:
        """Authenticate and authorise in one database call, then start; False if `fallback` and the
        credential does not authenticate (the caller waits for another)."""
        code, user, stream = await db.call(self._admission, credential)
        if code == CLOSE_UNAUTHENTICATED and fallback:
            return False
        if code is not None or stream is None:
            await self._close(code or CLOSE_FORBIDDEN)
            return True
        await self._start(user, stream, credential, after)
        return True

    def _admission(self, credential: Credential) -> tuple[int | None, Any, Stream | None]:
        """Sync (realtime's database thread): (close code or None, user, stream)."""
        policy = access.policy()
        # No credential at all: only a stream open to everyone admits it, and nothing can lapse.
        anonymous = credential.none and self.kind.anonymous
        user = AnonymousUser() if anonymous else self._credential_user(policy, credential)
        if user is None:
            return CLOSE_UNAUTHENTICATED, None, None
        stream = self._authorise(user)
        return (None if stream is not None else CLOSE_FORBIDDEN), user, stream

    async def _start(self, user: Any, stream: Stream, credential: Credential, after: int | None) -> None:
        self.user, self.stream, self.credential = user, stream, credential
        self.group = streams.group_of(stream)
        # Subscribe BEFORE reading the log: whatever commits from now on arrives live.
        async with _layer_gate():
            await self.channel_layer.group_add(self.group, self.channel_name)
        current = await _read_head()
        self.position = current if after is None else after
        self._spawn(self._writer())
        self._spawn(self._heartbeat())
        self._control(
            "hello",
            {"stream": stream.kind, "id": stream.key, "heartbeat": settings.REALTIME_HEARTBEAT_SECONDS},
            seq=current,
        )
        if after is not None:
            self._begin_replay(after, recheck=False)  # the credential was checked a moment ago

    def _authorise(self, user: Any) -> Stream | None:
        """Sync (database thread): which stream this user gets on this path, or None (forbidden)."""
        route = self.scope.get("url_route", {}).get("kwargs", {})
        return self.kind.authorise(access.policy(), user, route)

    def _recheck(self) -> int | None:
        """Sync (database thread): the close code this socket deserves now, or None while its
        credential is still valid and its user is still allowed on the very same stream.

        A revoked token, a deactivated user or an ended session -> 4401; a changed role, an agency
        user moved to another agency, a report no longer theirs -> 4403 (the codes of a refused connect).
        """
        assert self.credential is not None
        code, _, stream = self._admission(self.credential)
        if code is not None:
            return code
        return None if stream == self.stream else CLOSE_FORBIDDEN

    def _heartbeat_check(self) -> tuple[int | None, int | None]:
        """Sync (database thread): the recheck's close code, and the stream's head (one hop per beat)."""
        code = self._recheck()
        if code is not None or self.replaying or self.stream is None:
            return code, None
        return None, _stream_head(self.stream)

    @staticmethod
    def _credential_user(policy: access.SocketAccess, credential: Credential) -> Any | None:
        if credential.token is not None:
            return policy.token_user(credential.token)
        # The session is read afresh on every check: a logout deletes it, a password change
        # invalidates its hash, a deactivated user is not returned.
        store = import_module(settings.SESSION_ENGINE).SessionStore(credential.session_key)
        user = auth.get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
        if getattr(user, "is_authenticated", False) and policy.may_use_session(user):
            return user
        return None

    async def _still_allowed(self) -> bool:
        """Re-check the credential (before every replay); close if it lapsed."""
        return await self._closed_if(await db.call(self._recheck))

    async def _closed_if(self, code: int | None) -> bool:
        if code is None:
            return True
        logger.info("closing websocket %s with %s: its credential or access changed", self.channel_name, code)
        await self._close(code)
        return False

    async def _subscribe(self, message: dict[str, Any]) -> None:
        narrowing = self.kind.narrowing
        assert narrowing is not None
        try:
            listening = await db.call(narrowing.parse, message)
        except SubscribeRefused as refused:
            self._control("error", {"code": refused.code, "message": refused.message})
            return
        self.listening = listening
        self._control("subscribed", narrowing.describe(listening))

    def _wanted(self, text: str) -> bool:
        """Whether this socket's subscription lets the event through (always, without one)."""
        if self.listening is None or self.kind.narrowing is None:
            return True
        return self.kind.narrowing.wants(self.listening, json.loads(text))

    def _accept_live(self, seq: int, prev: int | None, text: str) -> None:
        if prev is not None and prev > self.position:
            # The layer dropped something between what we sent and this event: repair from the log.
            logger.info("gap on %s: prev %s > position %s; replaying", self.channel_name, prev, self.position)
            self._hold(seq, prev, text)
            self._begin_replay(self.position, announce=False)
            return
        self._deliver(seq, text)
        self.position = max(self.position, seq)

    def _hold(self, seq: int, prev: int | None, text: str) -> None:
        self.pending.append((seq, prev, text))
        if len(self.pending) > settings.REALTIME_SEND_BUFFER * 8:
            self._too_slow()

    def _begin_replay(self, after: int, *, announce: bool = True, recheck: bool = True) -> None:
        self.replaying = True
        self._spawn(self._replay(after, announce=announce, recheck=recheck))

    def _spawn(self, coro: Any) -> None:
        # Finished tasks drop out of the set, so a long-lived socket does not accumulate them.
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _replay(self, after: int, *, announce: bool = True, recheck: bool = True) -> None:
        assert self.stream is not None
        stream = self.stream
        replayed = 0
        stopped = False
        try:
            # The log holds everything this stream ever carried: never hand it to a lapsed credential.
            if recheck and not await self._still_allowed():
                stopped = True
                return
            plan = await db.call(log.plan_resume, stream, after)
            if not plan.ok:
                # The client must reload its state (REST), then carries on with the live events.
                self._control("reload", {"reason": plan.reason, "after": after, "oldest": plan.oldest}, seq=plan.head)
                self.position = plan.head
                return
            cursor = after
            while True:
                batch = await db.call(log.read_after, stream, cursor, settings.REALTIME_REPLAY_BATCH)
                if not batch:
                    break
                for seq, text in batch:
                    cursor = seq
                    if text is not None and self._wanted(text) and self.sent.add(seq):
                        await self.queue.put(text)  # replay waits for the socket; live never does
                        replayed += 1
            self.position = max(self.position, cursor)
            if announce:
                self._control("resumed", {"after": after, "replayed": replayed})
        except (asyncio.CancelledError, GeneratorExit):
            stopped = True  # the socket is gone (or the server stops): nothing left to flush
            raise
        except Exception:
            logger.exception("replay failed")
            self._control("reload", {"reason": "replay_failed", "after": after})
        finally:
            if not stopped:
                self._flush_pending()

    def _flush_pending(self) -> None:
        """Live events that arrived during a replay, minus those the replay already sent."""
        pending, self.pending = sorted(self.pending, key=lambda item: item[0]), []
        self.replaying = False
        for seq, prev, text in pending:
            if self.replaying:  # a gap among them started another repair: keep holding
                self._hold(seq, prev, text)
            else:
                self._accept_live(seq, prev, text)

    def _deliver(self, seq: int, text: str) -> None:
        if self._wanted(text) and self.sent.add(seq):
            self._enqueue(text)

    def _control(self, kind: str, data: dict[str, Any], *, seq: int | None = None) -> None:
        self._enqueue(wire.dumps({"seq": self.sent.high if seq is None else seq, "type": kind, "data": data}))

    def _enqueue(self, text: str) -> None:
        if self.closing:
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self._too_slow()

    def _too_slow(self) -> None:
        if self.closing:
            return
        logger.info("closing slow websocket %s (buffer full)", self.channel_name)
        self._spawn(self._close(CLOSE_TOO_SLOW))

    async def _writer(self) -> None:
        try:
            while True:
                text = await self.queue.get()
                await self.send({"type": "websocket.send", "text": text})
        except asyncio.CancelledError:
            raise
        except Exception:
            # The peer went away mid-send (the server will deliver websocket.disconnect): stop quietly.
            self.closing = True

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(settings.REALTIME_HEARTBEAT_SECONDS)
            code, head = await db.call(self._heartbeat_check)
            if not await self._closed_if(code):
                return
            if not self.queue.full():
                self._control("heartbeat", {})
            # A lost *last* event has no successor to reveal it: compare with the stream's head.
            if head is not None and head > self.position and not self.replaying:
                # Checked a moment ago, in the same call as the head.
                self._begin_replay(self.position, announce=False, recheck=False)

    async def _auth_deadline(self) -> None:
        await asyncio.sleep(settings.REALTIME_AUTH_TIMEOUT)
        if self.user is None:
            await self._close(CLOSE_UNAUTHENTICATED)

    async def _close(self, code: int) -> None:
        if self.closing:
            return
        self.closing = True
        current = asyncio.current_task()
        for task in list(self.tasks):
            if task is not current:
                task.cancel()
        await self.send({"type": "websocket.close", "code": code})


class _HeadReader:
    """The log head for every socket that asked since the last read, in one query.

    After a restart 1,000 sockets connect at once and each must read the head after it subscribed.
    A read that starts after a socket asked is after its subscription too, so the sockets waiting
    when a read starts share it: a few queries instead of 1,000 queued on the database thread.
    """

    def __init__(self) -> None:
        self.waiting: list[asyncio.Future[int]] = []

    async def read(self) -> int:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.waiting.append(future)
        if len(self.waiting) == 1:
            asyncio.get_running_loop().create_task(self._serve())
        return await future

    async def _serve(self) -> None:
        batch, self.waiting = self.waiting, []
        try:
            head = await db.call(log.head)
        except BaseException as error:
            for future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for future in batch:
            if not future.done():
                future.set_result(head)


_head_readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _HeadReader] = weakref.WeakKeyDictionary()


async def _read_head() -> int:
    loop = asyncio.get_running_loop()
    reader = _head_readers.get(loop)
    if reader is None:
        reader = _head_readers[loop] = _HeadReader()
    return await reader.read()


_heads: dict[Stream, tuple[float, int | None]] = {}


def _stream_head(stream: Stream) -> int | None:
    """The stream's newest seq, cached for a second: a thousand operators' heartbeats share a query."""
    now = time.monotonic()
    cached = _heads.get(stream)
    if cached is not None and now - cached[0] < 1.0:
        return cached[1]
    head = log.last_in(stream)
    if len(_heads) > 10_000:
        _heads.clear()
    _heads[stream] = (now, head)
    return head


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
