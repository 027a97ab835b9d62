"""Job filters as CircleCI applies them: branches for a branch build, tags for a tag build,
`only` before `ignore`, `/re/` matching the whole name."""

from __future__ import annotations

import pytest

from dockwright.pipeline.runner import ref_of
from dockwright.pipeline.workflow import Filters, Ref, RefFilter, filtered_out, matches
from dockwright.tags.context import Context

MAIN = RefFilter(only=("main",))
RELEASES = RefFilter(only=("/v[0-9]+(\\.[0-9]+)*/",))


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("main", "main", True),
        ("main", "main2", False),
        ("/main/", "main2", False),  # the whole name must match
        ("/main.*/", "main2", True),
        ("/feature\\/.*/", "feature/x", True),
        ("/", "/", True),  # too short to be a regex: a plain name
        ("//", "", True),  # the empty regex matches only the empty name
    ],
)
def test_matches(pattern: str, value: str, expected: bool) -> None:
    assert matches(pattern, value) is expected


@pytest.mark.parametrize(
    ("filters", "ref", "expected"),
    [
        (Filters(), Ref(branch="feature"), None),
        (Filters(branches=MAIN), Ref(branch="main"), None),
        (
            Filters(branches=MAIN),
            Ref(branch="feature"),
            "branch feature does not match branches.only main",
        ),
        (
            Filters(branches=RefFilter(only=("main", "/release-.*/"))),
            Ref(branch="dev"),
            "branch dev does not match branches.only [main, /release-.*/]",
        ),
        (
            Filters(branches=RefFilter(ignore=("/wip-.*/",))),
            Ref(branch="wip-1"),
            "branch wip-1 matches branches.ignore /wip-.*/",
        ),
        # only is considered before ignore: it decides when it is given
        (Filters(branches=RefFilter(only=("main",), ignore=("/.*/",))), Ref(branch="main"), None),
        # a branch build does not look at tags filters
        (Filters(tags=RELEASES), Ref(branch="feature"), None),
        # a tag build runs only jobs with a tags filter that lets the tag through
        (
            Filters(),
            Ref(tag="v1.2"),
            "tag v1.2: the job has no tags filter, so it runs for branches only",
        ),
        (Filters(tags=RELEASES), Ref(tag="v1.2"), None),
        (
            Filters(tags=RELEASES),
            Ref(tag="nightly"),
            "tag nightly does not match tags.only /v[0-9]+(\\.[0-9]+)*/",
        ),
        # ... and does not look at branches filters
        (Filters(branches=RefFilter(ignore=("/.*/",)), tags=RELEASES), Ref(tag="v2"), None),
        (
            Filters(tags=RefFilter()),
            Ref(tag="v2"),
            "tag v2: its tags filter has neither only nor ignore",
        ),
        (Filters(branches=MAIN), Ref(), "branch (none) does not match branches.only main"),
    ],
)
def test_filtered_out(filters: Filters, ref: Ref, expected: str | None) -> None:
    assert filtered_out(filters, ref) == expected


def test_the_ref_of_a_pull_request_is_its_head_branch() -> None:
    pr = Context(ref="refs/pull/7/merge")
    assert ref_of(pr, {"CIRCLE_BRANCH": "feature"}) == Ref(branch="feature")
    assert ref_of(pr, {"GITHUB_HEAD_REF": "topic"}) == Ref(branch="topic")
    assert ref_of(Context(ref="refs/tags/v1"), {"CIRCLE_BRANCH": "x"}) == Ref(tag="v1")
    assert ref_of(Context(ref="refs/heads/main"), {}) == Ref(branch="main")
