"""Where our reading of a structure-test file differs from container-structure-test 1.19.1 on
purpose, shown against CST itself: a regular expression RE2 cannot compile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.structure.config import load_config

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent
CST = Path(sys.executable).parent / "container-structure-test"


@pytest.mark.skipif(not CST.exists(), reason="container-structure-test not installed")
def test_invalid_regex_cst_fails_the_test_we_reject_the_file(image: str) -> None:
    config = HERE / "invalid" / "regex.yaml"
    done = subprocess.run(
        [str(CST), "test", "--image", image, "--config", str(config), "--output", "json"],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    results = {r["Name"]: r for r in json.loads(done.stdout)["Results"]}
    assert results["Command Test: invalid excluded regex"]["Errors"] == [
        "Excluded string '(' found in output ''"
    ]
    assert results["Command Test: invalid expected regex"]["Errors"] == [
        "Expected string '[z-a]' not found in output ''"
    ]
    assert not results["Metadata Test"]["Pass"]
    assert "Error compiling regex" in done.stderr
    with pytest.raises(ConfigError) as info:
        load_config(str(config))
    assert [str(p) for p in info.value.problems] == [
        f"{config}:5: at commandTests[0].excludedOutput[0]: expected a regular expression (RE2) "
        "for test 'invalid excluded regex'; found '(' (missing ): ()",
        f"{config}:8: at commandTests[1].expectedOutput[0]: expected a regular expression (RE2) "
        "for test 'invalid expected regex'; found '[z-a]' (invalid character class range: z-a)",
        f"{config}:11: at metadataTest.envVars[0].value: expected a regular expression (RE2) for "
        "the metadata test; found '(' (missing ): ()",
    ]
