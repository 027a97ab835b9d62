"""The schema oracle on real CI files nobody here wrote: SchemaStore's CircleCI schema on
every real .circleci/config.yml of the corpus, its GitHub workflow schema on a fixed sample
of the real workflows (every 20th: the whole set takes minutes). Most real files pass; the
ones that do not are old (CircleCI version 2), unparsable, or use what the schema lags
behind, so the oracle neither rejects everything nor accepts anything."""

from __future__ import annotations

import json
import subprocess

import pytest
from tests.support import corpus
from tests.unit.ci.cases import SCHEMAS, tool

pytestmark = pytest.mark.corpus


@pytest.mark.parametrize(("kind", "provider", "every"), [("circleci", "circleci", 1),
                                                          ("github", "github", 20)])  # fmt: skip
def test_the_schema_accepts_most_real_files(kind: str, provider: str, every: int) -> None:
    files = corpus.require(kind)[::every]
    argv = [tool("check-jsonschema"), "--builtin-schema", SCHEMAS[provider], "-o", "json"]
    done = subprocess.run([*argv, *map(str, files)], capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    rejected = {e["filename"] for e in report["errors"]}
    rejected |= {e["filename"] for e in report["parse_errors"]}
    accepted = len(files) - len(rejected)
    assert accepted >= 0.9 * len(files), (accepted, len(files), sorted(rejected)[:10])
    assert rejected, "a schema that accepts every real file checks nothing"
