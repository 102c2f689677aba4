"""Hypothesis profiles for the fuzz tests: `ci` (the default) and `long` (HYPOTHESIS_PROFILE=long).

`ci` gives a few thousand examples across the fuzz tests in about a minute of CPU on a 2-core
machine; `long` is for a night run. No deadline: a shared machine makes single examples slow at
random, and a slow example is not a bug these tests look for.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SHARED = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
}
settings.register_profile("ci", max_examples=1000, **_SHARED)
settings.register_profile("long", max_examples=50_000, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def scaled(examples: int) -> int:
    """`examples` under the ci profile, proportionally more under `long`: for tests whose examples
    cost more than most (a whole bot round trip) and so run fewer of them."""
    return examples * settings.default.max_examples // 1000
