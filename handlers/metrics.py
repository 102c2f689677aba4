"""The bot's Prometheus metrics, in a registry of its own (one per running bot, so tests can run several).

Counters count since the process started, as Prometheus expects; `deltas()` hands what is new since
the last call to `knowledge.store.counters`, which keeps the totals that /stats shows across restarts.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ContextTypes

from knowledge.store.counters import add_counts

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("talksbot_updates", "Updates received, by type.", ["type"], registry=r)
        self.questions = Counter(
            "talksbot_questions", "Questions answered or declined, by language.", ["outcome", "language"], registry=r
        )
        self.answer_seconds = Histogram(
            "talksbot_answer_seconds", "Time to find and compose an answer.", buckets=LATENCY_BUCKETS, registry=r
        )
        self.send_seconds = Histogram(
            "talksbot_telegram_request_seconds",
            "Bot API request latency (long polls excluded), by method.",
            ["method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.telegram_errors = Counter("talksbot_telegram_errors", "Bot API errors, by code.", ["code"], registry=r)
        self.retries = Counter(
            "talksbot_telegram_retries", "Bot API requests tried again, by method.", ["method"], registry=r
        )
        self.briefings = Counter(
            "talksbot_briefings", "Daily briefings, by outcome (sent, failed, dropped).", ["outcome"], registry=r
        )
        self._flushed: dict[str, float] = {}

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def totals(self) -> dict[str, float]:
        """Every counter sample as `name{label=value,...}` -> value since start."""
        values: dict[str, float] = {}
        for family in self.registry.collect():
            if family.type != "counter":
                continue
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                    values[f"{sample.name}{{{labels}}}"] = sample.value
        return values

    def deltas(self) -> dict[str, int]:
        """What the counters gained since the previous call (the previous flush)."""
        current = self.totals()
        gained = {key: int(value - self._flushed.get(key, 0)) for key, value in current.items()}
        self._flushed = current
        return {key: value for key, value in gained.items() if value}

    def restore(self, deltas: dict[str, int]) -> None:
        """A flush failed: count these deltas again next time."""
        for key, value in deltas.items():
            self._flushed[key] = self._flushed.get(key, 0) - value


async def flush(metrics: Metrics, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Add what was counted since the last flush to the database's totals (kept for next time on failure)."""
    deltas = metrics.deltas()
    if not deltas:
        return
    try:
        await add_counts(sessions, deltas)
    except BaseException:
        metrics.restore(deltas)
        raise


def total(counts: dict[str, int], metric: str, **labels: str) -> int:
    """Sum of the persisted samples of `metric` whose labels include `labels`."""
    wanted = {f"{k}={v}" for k, v in labels.items()}
    result = 0
    for key, value in counts.items():
        name, _, rest = key.partition("{")
        if name == f"{metric}_total" and wanted <= set(rest.rstrip("}").split(",")):
            result += value
    return result


def metrics_of(context: ContextTypes.DEFAULT_TYPE) -> Metrics:
    return context.bot_data["metrics"]  # type: ignore[no-any-return]


def note_answer(context: ContextTypes.DEFAULT_TYPE, answered: bool, seconds: float, language: str = "en") -> None:
    """Called by the question handlers: counts the outcome and records it for the update's log line."""
    outcome = "answered" if answered else "declined"
    metrics = metrics_of(context)
    metrics.questions.labels(outcome, language).inc()
    metrics.answer_seconds.observe(seconds)
    context.outcome = outcome  # type: ignore[attr-defined]  # CallbackContext allows attributes
