"""The one rule for tests whose tools or reference data are absent: skip with a message, but
fail under `CI=true`, where everything `scripts/setup-tests.sh` installs must be there."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(msg: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{msg} (required under CI=true)", pytrace=False)
    pytest.skip(msg)
