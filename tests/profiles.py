"""Hypothesis profiles: how many examples a property test tries comes from here, never from the test itself.

`quick` for everyday work; `thorough` where CI runs (CI=true) or when asked (`--hypothesis-profile thorough`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("quick", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=400, deadline=None)


def load() -> None:
    settings.load_profile("thorough" if os.environ.get("CI") else "quick")


def share(fraction: float) -> settings:
    """The settings of a property test whose examples cost far more than most (a workbook written and imported
    through the CLI): that fraction of the profile's examples."""
    return settings(max_examples=max(2, round(settings.default.max_examples * fraction)),
                    suppress_health_check=[HealthCheck.too_slow])
