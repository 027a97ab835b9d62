"""Every scheme's order is total and consistent: antisymmetric, transitive, and sorting
agrees with pairwise comparison. PEP 440 agrees with the ``packaging`` library."""

from __future__ import annotations

import functools
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.update.versioning import VERSIONINGS

_num = st.integers(min_value=0, max_value=30).map(str)


@st.composite
def docker_tags(draw: st.DrawFn) -> str:
    release = ".".join(draw(st.lists(_num, min_size=1, max_size=4)))
    pre = draw(st.sampled_from(["", "", "a", "b1", "rc2", "B", "_x"]))
    suffix = draw(st.sampled_from(["", "", "alpine", "slim-bookworm", "rc1", "Alpine", "SNAPSHOT"]))
    v = draw(st.sampled_from(["", "v"]))
    return v + release + pre + (f"-{suffix}" if suffix else "")


@st.composite
def semvers(draw: st.DrawFn) -> str:
    core = ".".join(draw(st.lists(_num, min_size=3, max_size=3)))
    ids = draw(
        st.lists(st.sampled_from(["alpha", "beta", "rc", "0", "1", "11", "2", "x-y"]), max_size=3)
    )
    build = draw(st.sampled_from(["", "+b1"]))
    return core + (("-" + ".".join(ids)) if ids else "") + build


@st.composite
def pep440s(draw: st.DrawFn) -> str:
    epoch = draw(st.sampled_from(["", "", "1!"]))
    release = ".".join(draw(st.lists(_num, min_size=1, max_size=4)))
    pre = draw(st.sampled_from(["", "", "a1", "b2", "rc1", "alpha", "-RC.3", "c4", "pre2"]))
    post = draw(st.sampled_from(["", "", ".post1", "-2", "post", ".rev3"]))
    dev = draw(st.sampled_from(["", "", ".dev0", "dev5"]))
    local = draw(st.sampled_from(["", "", "+abc", "+5", "+abc.5", "+1.x"]))
    return epoch + release + pre + post + dev + local


@st.composite
def coerced_values(draw: st.DrawFn) -> str:
    parts = ".".join(draw(st.lists(_num, min_size=1, max_size=3)))
    return (
        draw(st.sampled_from(["", "v", "release-"]))
        + parts
        + draw(st.sampled_from(["", "-rc1", "+b"]))
    )


SCHEMES = {
    "docker": docker_tags(),
    "semver": semvers(),
    "pep440": pep440s(),
    "semver-coerced": coerced_values(),
}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_order_is_total_and_consistent(name: str) -> None:
    scheme = VERSIONINGS[name]
    strategy = SCHEMES[name]

    @settings(max_examples=80, deadline=None)
    @given(st.lists(strategy, min_size=3, max_size=6))
    def check(values: list[str]) -> None:
        for v in values:
            assert scheme.is_version(v), v
            assert scheme.compare(v, v) == 0
        for a in values:
            for b in values:
                assert scheme.compare(a, b) == -scheme.compare(b, a), (a, b)
                for c in values:
                    if scheme.compare(a, b) <= 0 and scheme.compare(b, c) <= 0:
                        assert scheme.compare(a, c) <= 0, (a, b, c)
        ordered = sorted(values, key=functools.cmp_to_key(scheme.compare))
        for x, y in itertools.pairwise(ordered):
            assert scheme.compare(x, y) <= 0

    check()


@settings(max_examples=200, deadline=None)
@given(pep440s(), pep440s())
def test_pep440_agrees_with_packaging(a: str, b: str) -> None:
    from packaging.version import Version

    scheme = VERSIONINGS["pep440"]
    va, vb = Version(a), Version(b)
    expected = (va > vb) - (va < vb)
    assert scheme.compare(a, b) == expected, (a, b)
