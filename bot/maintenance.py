"""The maintainers' commands: `talksbot packs`, `unload`, `ingest` and `unanswered`.

They manage what the database holds and show what users asked; a running bot picks up any change
to the packs by itself (`bot.pack_watch`) or at /reload.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

COMMANDS = ("packs", "unload", "ingest", "unanswered")


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    packs = commands.add_parser("packs", help="list the knowledge packs in the database")
    packs.add_argument("--json", action="store_true", help="print one JSON array of packs")

    unload = commands.add_parser("unload", help="remove a knowledge pack from the database")
    unload.add_argument("pack_id", metavar="PACK_ID")

    ingest = commands.add_parser(
        "ingest",
        help="add a source document to a pack folder and list what no fact quotes yet",
        description="Add FILE (plain text) to the pack as a source: normalised, hashed and listed in "
        "sources.yaml. Prints the sentences no fact quotes yet. Loads nothing.",
    )
    ingest.add_argument("file", type=Path, metavar="FILE")
    ingest.add_argument("--title", required=True)
    ingest.add_argument("--publisher", required=True)
    ingest.add_argument("--url", required=True)
    ingest.add_argument("--date", required=True, type=_date, help="publication date, YYYY-MM-DD")
    ingest.add_argument("--lang", default="en", help="language of the document (default en)")
    ingest.add_argument("--pack", required=True, type=Path, metavar="DIR", help="the pack folder")

    unanswered = commands.add_parser(
        "unanswered", help="questions the bot declined in Telegram, near-identical ones grouped, most asked first"
    )
    unanswered.add_argument("--limit", type=int, default=20, help="how many groups to list (default 20)")
    unanswered.add_argument(
        "--json",
        action="store_true",
        help="print one JSON array of {question, count, last_asked, variants, nearest_intent}",
    )
    unanswered.add_argument("--since", type=float, metavar="DAYS", help="only questions asked in the last DAYS days")
    unanswered.add_argument("--lang", metavar="L", help="only questions in language L (en, uk, ru)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2025-05-15: {text!r}") from None


def run(args: argparse.Namespace, url: str) -> int:
    if args.command == "ingest":
        return _ingest(args)
    return asyncio.run(_with_store(args, url))


def _ingest(args: argparse.Namespace) -> int:
    from knowledge.ingest import IngestError, ingest

    try:
        result = ingest(
            args.file,
            args.pack,
            title=args.title,
            publisher=args.publisher,
            url=args.url,
            date=args.date,
            language=args.lang,
        )
    except IngestError as exc:
        print(f"talksbot: error: {exc}", file=sys.stderr)
        return 1
    where = f"sources/{result.source_id}.txt"
    print(
        f"added source {result.source_id} ({where}, sha256 {result.sha256[:12]})"
        if result.added
        else f"source {result.source_id} already holds this text; nothing added"
    )
    print(
        f"{len(result.uncovered)} sentences no fact quotes yet:"
        if result.uncovered
        else "every sentence is quoted by a fact"
    )
    for sentence in result.uncovered:
        print(f"- {sentence}")
    return 0


async def _with_store(args: argparse.Namespace, url: str) -> int:
    from knowledge.store.store import Store

    store = await Store.open(url)
    try:
        if args.command == "packs":
            return await _packs(store, args.json)
        if args.command == "unload":
            return await _unload(store, args.pack_id)
        return await _unanswered(store, args)
    finally:
        await store.close()


async def _packs(store: object, as_json: bool) -> int:
    from knowledge.store.registry import list_packs

    entries = await list_packs(store.sessions)  # type: ignore[attr-defined]
    if as_json:
        print(json.dumps([entry.to_json() for entry in entries], ensure_ascii=True))
        return 0
    if not entries:
        print("no packs loaded")
    for e in entries:
        print(
            f"{e.id}  version {e.version or '-'}  fingerprint {e.fingerprint[:12]}  {e.facts} facts  "
            f"loaded {e.loaded_at:%Y-%m-%d %H:%M:%S} UTC"
        )
    return 0


async def _unload(store: object, pack_id: str) -> int:
    from knowledge.store.registry import unload_pack

    if not await unload_pack(store.sessions, pack_id):  # type: ignore[attr-defined]
        print(f"talksbot: error: no pack {pack_id!r} is loaded (see talksbot packs)", file=sys.stderr)
        return 1
    print(f"unloaded pack {pack_id}; running bots switch at their next poll or /reload")
    return 0


async def _unanswered(store: object, args: argparse.Namespace) -> int:
    from knowledge.answer import Answerer
    from knowledge.question_groups import group_questions
    from knowledge.store.unanswered import most_asked

    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=args.since)) if args.since is not None else None
    rows = await most_asked(store.sessions, limit=None, since=since, language=args.lang)  # type: ignore[attr-defined]
    knowledge = await store.knowledge()  # type: ignore[attr-defined]
    groups = group_questions(rows, Answerer(knowledge).matcher if knowledge.packs else None)[: args.limit]
    if args.json:
        print(json.dumps([group.to_json() for group in groups], ensure_ascii=True))
        return 0
    if not groups:
        print("no unanswered questions logged")
    for group in groups:
        near = f"  (nearest intent: {group.nearest_intent})" if group.nearest_intent else "  (no intent near)"
        print(f"{group.count:5}  {group.question}{near}")
    return 0
