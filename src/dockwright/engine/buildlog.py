"""What a BuildKit ``--progress plain`` log tells: how many Dockerfile steps ran, how many came
from the cache, and, when the build failed, which instruction (file:line) and its last output.

The log is read for these facts only; the image id always comes from ``--iidfile`` or
``--metadata-file``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockwright.dockerfile.model import Dockerfile, Instruction

# "#7 [builder 2/3] RUN make" (the first line of a vertex names it); "#7 CACHED"
_VERTEX = re.compile(r"^#(\d+) (.*)$")
_STEP = re.compile(r"^\[(?:(?P<stage>[^\]\s]+) )?(?P<n>\d+)/(?P<of>\d+)\] (?P<text>.*)$")
# BuildKit's summary of a failed step: "------\n > [2/3] RUN make:\n------"
_FAILED = re.compile(r"^ > (\[[^\]]+\] .*):$", re.MULTILINE)


@dataclass(frozen=True)
class StepCounts:
    steps: int  # Dockerfile instructions BuildKit ran or answered from cache
    cached: int  # of which from cache


def count_steps(log: str) -> StepCounts:
    """Dockerfile steps of a plain-progress log and those marked CACHED ([internal] ones are
    not steps)."""
    names: dict[str, str] = {}
    cached: set[str] = set()
    for line in log.splitlines():
        m = _VERTEX.match(line)
        if not m:
            continue
        vertex, text = m.groups()
        if vertex not in names:
            names[vertex] = text
        elif text == "CACHED":
            cached.add(vertex)
    steps = {v for v, text in names.items() if _STEP.match(text)}
    return StepCounts(len(steps), len(steps & cached))


@dataclass(frozen=True)
class FailedStep:
    name: str  # BuildKit's name of the step, e.g. "[2/3] RUN make"
    line: int | None  # its line in the Dockerfile, when found
    output: tuple[str, ...]  # its last output lines


def failed_step(log: str, dockerfile: Dockerfile | None, tail: int = 20) -> FailedStep | None:
    """The step a failed build stopped at, its Dockerfile line and its last output lines."""
    m = _FAILED.search(log)
    if m is None:
        return None
    name = m.group(1)
    vertex = None
    output: list[str] = []
    for text_line in log.splitlines():
        v = _VERTEX.match(text_line)
        if v is None:
            continue
        if vertex is None and v.group(2) == name:
            vertex = v.group(1)
        elif v.group(1) == vertex:
            text = v.group(2)
            if text.startswith(("ERROR", "DONE", "CANCELED")):
                break  # BuildKit repeats an unfinished last line after this: not output
            # "#7 0.431 output" (time-stamped output) versus "#7 ERROR: ..." / "#7 DONE"
            words = text.split(" ", 1)
            if len(words) == 2 and re.fullmatch(r"\d+\.\d+", words[0]):
                output.append(words[1])
    line = _line_of(name, dockerfile) if dockerfile is not None else None
    return FailedStep(name, line, tuple(output[-tail:]))


def _line_of(name: str, dockerfile: Dockerfile) -> int | None:
    """The line of the instruction BuildKit calls ``name``: ``[STAGE N/M]`` is the Nth step of
    that stage (``stage-I`` for an unnamed one)."""
    m = _STEP.match(name)
    if m is None:
        return None
    stages = dockerfile.stages
    label = m.group("stage")
    if label is None:
        stage = stages[-1] if stages else None
    elif label.startswith("stage-") and label[6:].isdigit():
        index = int(label[6:])
        stage = stages[index] if index < len(stages) else None
    else:
        stage = next((s for s in stages if (s.name or "").lower() == label.lower()), None)
    if stage is None:
        return None
    # FROM is a step of its own when it names an image, not scratch or an earlier stage.
    earlier = {(s.name or "").lower() for s in stages[: stage.index]} - {""}
    base = stage.image.lower()
    from_step = base != "scratch" and base not in earlier
    steps: list[Instruction] = [stage.from_instruction] if from_step else []
    steps += [i for i in stage.instructions if i.keyword not in _NO_STEP]
    n = int(m.group("n"))
    return steps[n - 1].start_line if n <= len(steps) else None


# Instructions that only change metadata get no step number of their own in BuildKit's log.
_NO_STEP = frozenset(
    {"ARG", "ENV", "LABEL", "EXPOSE", "ENTRYPOINT", "CMD", "USER", "VOLUME", "STOPSIGNAL"}
    | {"HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER"}
)
