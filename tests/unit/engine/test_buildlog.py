"""Facts read from BuildKit's plain-progress log: steps, cache hits, the failing instruction."""

from __future__ import annotations

from dockwright.dockerfile.parser import parse
from dockwright.engine.buildlog import count_steps, failed_step

DOCKERFILE = """\
FROM dockwright.local/busybox:1.35 AS base
ENV A=1
WORKDIR /x
RUN echo hi
FROM base
LABEL x=y
RUN echo one && echo two && \\
 false
"""

FAILED_LOG = """\
#1 [internal] load build definition from Dockerfile.f
#1 sha256:0d2f
#1 DONE 0.0s

#7 [base 1/3] FROM dockwright.local/busybox:1.35
#7 sha256:8e01
#7 CACHED

#4 [base 2/3] WORKDIR /x
#4 DONE 0.0s

#5 [base 3/3] RUN echo hi
#5 0.262 hi
#5 DONE 0.3s

#6 [stage-1 1/1] RUN echo one && echo two &&   false
#6 sha256:a0a9
#6 0.406 one
#6 0.406 two
#6 ERROR: executor failed running [/bin/sh -c echo one && echo two &&   false]: exit code: 1
------
 > [stage-1 1/1] RUN echo one && echo two &&   false:
------
executor failed running [/bin/sh -c echo one && echo two &&   false]: exit code: 1
"""


def test_steps_and_cache_hits_are_counted_without_internal_vertices() -> None:
    counts = count_steps(FAILED_LOG)
    assert (counts.steps, counts.cached) == (4, 1)


def test_a_warm_log_counts_every_step_cached() -> None:
    log = "#4 [1/2] FROM a\n#4 CACHED\n\n#5 [2/2] RUN x\n#5 CACHED\n#6 exporting to image\n"
    counts = count_steps(log)
    assert (counts.steps, counts.cached) == (2, 2)


def test_the_failed_step_of_an_unnamed_later_stage_is_found_by_index() -> None:
    step = failed_step(FAILED_LOG, parse(DOCKERFILE))
    assert step is not None
    assert step.name == "[stage-1 1/1] RUN echo one && echo two &&   false"
    assert step.line == 7
    assert step.output == ("one", "two")


def test_steps_of_a_named_stage_skip_metadata_instructions() -> None:
    log = FAILED_LOG.replace(" > [stage-1 1/1] RUN", " > [base 3/3] RUN echo hi:\n > x")
    step = failed_step(log, parse(DOCKERFILE))
    assert step is not None and step.line == 4 and step.output == ("hi",)


def test_a_single_stage_step_has_no_stage_label() -> None:
    log = "#5 [2/2] RUN false\n#5 ERROR: exit code: 1\n------\n > [2/2] RUN false:\n------\n"
    step = failed_step(log, parse("FROM a\nUSER me\n\nRUN false\n"))
    assert step is not None and step.line == 4 and step.output == ()


def test_a_log_without_a_failed_step_gives_none() -> None:
    assert failed_step("#1 [internal] load\nerror: no context\n", parse("FROM a\n")) is None


def test_the_unfinished_line_buildkit_repeats_after_the_error_is_not_output_twice() -> None:
    log = (
        "#5 [2/2] RUN cat /x && false\n#5 sha256:caea\n#5 0.287 abcdef\n"
        "#5 ERROR: executor failed running [/bin/sh -c cat /x && false]: exit code: 1\n"
        "#5 0.287 abcdef\n------\n > [2/2] RUN cat /x && false:\n------\n"
    )
    step = failed_step(log, parse("FROM a\nRUN cat /x && false\n"))
    assert step is not None and step.output == ("abcdef",)
