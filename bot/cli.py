"""The `talksbot` command: ask questions, check and load knowledge packs, evaluate, run the bot.

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot import maintenance
from knowledge.store.errors import StoreError
from knowledge.language import LANGUAGES
from knowledge.pack import PackError

EXAMPLES = """examples:
  talksbot ask "Who leads Ukraine's team?"
  talksbot ask --json "Who leads Russia's delegation?" "Where are the talks?"
  printf 'who is umerov\\nwhere are the talks\\n' | talksbot ask --json
  talksbot check knowledge/packs/istanbul-2025-05
  talksbot eval
  talksbot unanswered --limit 10
  TELEGRAM_BOT_TOKEN=... talksbot run

settings come from the environment or a .env file: DATABASE_URL (default: a SQLite file in
DATA_DIR, itself defaulting to ~/.local/share/talksbot), VECTOR_CACHE_DIR, TELEGRAM_BOT_TOKEN, TELEGRAM_BASE_URL,
ADMIN_USER_IDS, LOG_LEVEL, LOG_FORMAT, WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_LISTEN, WEBHOOK_PORT,
WEBHOOK_PATH, METRICS_PORT, BRIEFING_TZ.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talksbot",
        description="Answers questions about the news event of its knowledge pack (bundled: the direct "
        "Russia-Ukraine talks in Istanbul, May 2025), "
        "each answer with its source and a verbatim quote.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"talksbot {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ask = commands.add_parser(
        "ask",
        help="answer questions from the command line",
        description="Answer questions. With no question, read one question per line "
        "from standard input (with --json: print one JSON object per line).",
    )
    ask.add_argument("questions", nargs="*", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question, one per line")
    ask.add_argument("--lang", choices=LANGUAGES, help="reply in this language (default: the question's)")
    ask.add_argument(
        "--log",
        action="store_true",
        help="log declined questions like the Telegram bot does (to test `talksbot unanswered`)",
    )

    check = commands.add_parser("check", help="validate a knowledge pack without writing anything")
    check.add_argument(
        "pack_dir", nargs="?", type=Path, metavar="PACK_DIR", help="pack folder (default: the bundled pack)"
    )

    load = commands.add_parser("load", help="load a knowledge pack into the database (idempotent, all or nothing)")
    load.add_argument(
        "pack_dir", nargs="?", type=Path, metavar="PACK_DIR", help="pack folder (default: the bundled pack)"
    )

    evaluate = commands.add_parser("eval", help="measure answer quality on a question set")
    evaluate.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="YAML question sets, or folders of them, each reported alone and then pooled "
        "(default: the bundled pack's eval.yaml)",
    )

    maintenance.add_commands(commands)

    run = commands.add_parser("run", help="run the Telegram bot (long polling, or a webhook)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve a webhook at WEBHOOK_URL instead of long polling (also implied by WEBHOOK_URL)",
    )

    bench = commands.add_parser("bench", help="measure answering speed and memory")
    bench.add_argument("--quick", action="store_true", help="a short run that only proves the benchmark works")
    bench.add_argument("--intents", type=int, default=100_000, help="synthetic intents to add (default 100000)")
    bench.add_argument("--json", action="store_true", help="end with one line: a JSON object of the figures")
    bench.add_argument(
        "--lang",
        choices=("uk", "ru"),
        help="instead: time Ukrainian or Russian questions (bundled pack, sentence encoder) stage by stage",
    )
    bench.add_argument(
        "--questions",
        type=Path,
        metavar="FILE",
        help="with --lang: the questions of this eval file in that language instead of the built-in ones",
    )
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("talksbot")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (StoreError, PackError) as exc:
        _fail(str(exc) if not isinstance(exc, PackError) else _pack_problems(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return 1


def _fail(message: str) -> None:
    print(f"talksbot: error: {message}", file=sys.stderr)


def _pack_problems(exc: PackError) -> str:
    """One line: the first problems themselves, not just a count."""
    shown = "; ".join(map(str, exc.problems[:3]))
    more = f" (+{len(exc.problems) - 3} more)" if len(exc.problems) > 3 else ""
    return f"invalid knowledge pack: {shown}{more}"


def _dispatch(args: argparse.Namespace) -> int:
    import asyncio

    from bot.settings import SettingsError, load_settings

    if args.command == "check":
        return _check(args.pack_dir)
    try:
        settings = load_settings()
    except SettingsError as exc:
        _fail(str(exc))
        return 1
    if args.command == "ask":
        return asyncio.run(
            _ask(
                settings.effective_database_url,
                args.questions,
                args.json,
                settings.index_dir,
                settings.effective_vector_cache_dir,
                args.lang,
                args.log,
            )
        )
    if args.command == "load":
        return asyncio.run(_load(settings.effective_database_url, args.pack_dir, settings.effective_vector_cache_dir))
    if args.command == "eval":
        return asyncio.run(
            _eval(settings.effective_database_url, args.files, settings.index_dir, settings.effective_vector_cache_dir)
        )
    if args.command in maintenance.COMMANDS:
        return maintenance.run(args, settings.effective_database_url)
    if args.command == "run":
        from bot.app import run_bot

        return run_bot(settings, webhook=args.webhook)
    if args.command == "bench":
        if args.lang:
            from bot.bench_languages import run_language_bench

            return run_language_bench(
                args.lang,
                rounds=1 if args.quick else 5,
                questions_file=args.questions,
                as_json=args.json,
                cache_dir=settings.effective_vector_cache_dir,
            )
        from bot.bench import run_bench

        return run_bench(quick=args.quick, intents=args.intents, as_json=args.json)
    raise AssertionError(args.command)


def _check(pack_dir: Path | None) -> int:
    from knowledge.encoder import ENCODER_PACKAGE, encoder_installed
    from knowledge.pack import bundled_pack_dir, read_pack
    from knowledge.validate import check_pack

    directory = pack_dir or bundled_pack_dir()
    pack = read_pack(directory)
    report = check_pack(pack)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not report.ok:
        raise PackError(report.problems)
    print(
        f"pack {pack.id} is valid: {len(pack.sources)} sources, {len(pack.facts)} facts, "
        f"{len(pack.entities)} entities, {len(pack.intents)} intents"
    )
    if not encoder_installed():
        print(
            f"note: the sentence encoder ({ENCODER_PACKAGE}) is missing: Ukrainian and Russian questions "
            "are matched by keywords against the translated statements",
            file=sys.stderr,
        )
    return 0


async def _load(url: str, pack_dir: Path | None, cache_dir: Path) -> int:
    """Load the pack, then encode what Ukrainian and Russian questions are compared with (when the
    encoder is installed), so the first such question does not wait half a minute for it."""
    from knowledge.crosslingual import prepare_vectors
    from knowledge.encoder import encoder_installed
    from knowledge.store.store import Store

    store = await Store.open(url)
    try:
        result = await store.load(pack_dir)
        print(result.describe(), flush=True)
        if encoder_installed():
            knowledge = await store.knowledge()
            print("encoding the targets of Ukrainian and Russian questions ...", file=sys.stderr, flush=True)
            if prepare_vectors(knowledge, cache_dir):
                print(f"target vectors ready in {cache_dir}", file=sys.stderr)
    finally:
        await store.close()
    return 0


async def _eval(url: str, files: list[Path], index_dir: Path, cache_dir: Path) -> int:
    from knowledge.evaluation import default_eval_file, evaluate, pooled, question_files, read_questions
    from knowledge.store.store import Store

    sets = [(path, read_questions(path)) for path in question_files(files or [default_eval_file()])]
    store = await Store.open(url, index_dir, cache_dir)
    try:
        answerer = await store.answerer()
        outdated = await store.bundled_pack_outdated()
    finally:
        await store.close()
    if outdated:
        print(
            "note: the bundled pack has changed since it was loaded; this measures the loaded version "
            "(run `talksbot load` to measure the pack as it is on disk)",
            file=sys.stderr,
        )
    reports = [evaluate(answerer, questions) for _, questions in sets]
    for (path, _), report in zip(sets, reports):
        if len(reports) > 1:
            print(f"== {path}")
        print(report.summary())
    total = pooled(reports)
    if len(reports) > 1:
        print(f"== pooled over {len(reports)} sets")
        print(total.summary(with_failures=False))
    return 0 if total.meets_targets else 1


async def _ask(
    url: str,
    questions: list[str],
    as_json: bool,
    index_dir: Path,
    cache_dir: Path,
    lang: str | None = None,
    log: bool = False,
) -> int:
    from knowledge.store.store import Store
    from knowledge.store.unanswered import record_unanswered

    if not questions and sys.stdin.isatty():
        _fail('give a question, e.g. talksbot ask "Who leads Ukraine\'s team?" (or pipe questions in, one a line)')
        return 2
    store = await Store.open(url, index_dir, cache_dir)
    try:
        answerer = await store.answerer()
    finally:
        if not log:
            await store.close()
    source: Iterable[str] = [_clean(q) for q in questions] if questions else _stdin_lines()
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8", errors="replace")  # whatever the locale says
    for question in source:
        reply = answerer.ask(question, lang=lang)
        if log and not reply.answered:
            await record_unanswered(store.sessions, question, dt.datetime.now(dt.timezone.utc))
        if as_json:
            out.write(json.dumps(reply.to_json(), ensure_ascii=True) + "\n")  # ASCII: valid JSON on any terminal
        else:
            out.write(reply.plain_text() + "\n" + ("\n" if len(questions) != 1 else ""))
        out.flush()
    if log:
        await store.close()
    return 0


def _clean(text: str) -> str:
    """Replace anything that is not valid Unicode (e.g. undecodable argv bytes) so output stays valid."""
    return text.encode("utf-8", "replace").decode("utf-8", "replace")


def _stdin_lines() -> Iterator[str]:
    """Standard input split on newlines only, decoded leniently: one question per input line."""
    for raw in sys.stdin.buffer:
        yield raw.rstrip(b"\n").rstrip(b"\r").decode("utf-8", "replace")


if __name__ == "__main__":
    sys.exit(main())
