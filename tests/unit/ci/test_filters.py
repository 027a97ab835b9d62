"""Filters as each CI says them, checked against dockwright's own reading of them
(``filtered_out``): GitLab's rules decide exactly as dockwright does (RE2 says every regex
used here); GitHub's ``if:`` lets through at least what dockwright lets through, and exactly
that where its expressions can say the filter."""

from __future__ import annotations

import re
from typing import cast

import pytest
import yaml

from dockwright.ci import github, gitlab
from dockwright.ci.plan import CIJob, Options, Plan, Repository
from dockwright.pipeline.workflow import Filters, Ref, RefFilter, filtered_out

FILTERS = [
    Filters(),
    Filters(tags=RefFilter(only=("/.*/",))),
    Filters(branches=RefFilter(only=("main",)), tags=RefFilter(only=("/^v.*/",))),
    Filters(branches=RefFilter(only=("main", "/release\\/.*/"))),
    Filters(branches=RefFilter(ignore=("/dependabot\\/.*/", "gh-pages"))),
    Filters(branches=RefFilter(ignore=("/.*/",)), tags=RefFilter(only=("/v[0-9]+(\\.[0-9]+)*/",))),
    Filters(tags=RefFilter(ignore=("/.*-rc[0-9]*/",))),
    Filters(tags=RefFilter()),  # neither only nor ignore: no tag
]
REFS = [Ref(branch=b) for b in ("main", "feature", "release/1.2", "dependabot/pip/x", "gh-pages")]
REFS += [Ref(tag=t) for t in ("v1", "v1.2.3", "v1.2.3-rc1", "1.0", "nightly")]


def _plan(filters: Filters, *, publishes: bool = False) -> Plan:
    repositories = (Repository("example.com/app"),) if publishes else ()
    job = CIJob("job", "job", ("job",), ("build",), filters=filters, repositories=repositories)
    from dockwright.ci.plan import CIWorkflow

    return Plan("dockwright.yaml", "0.1.0", Options(), (CIWorkflow("w", (job,)),), False)


# -- GitLab: first rule that matches decides ------------------------------------------------


def _gitlab_expr(expr: str, env: dict[str, str]) -> bool:
    for term in expr.split(" || "):
        m = re.fullmatch(r"(\$\w+)(?: (==|=~) (.+))?", term)
        assert m, term
        value = env.get(m.group(1)[1:])
        if m.group(2) is None:
            hit = bool(value)
        elif m.group(2) == "==":
            hit = value == m.group(3)[1:-1]
        else:
            pattern = m.group(3)[1:-1].replace("\\/", "/")
            hit = value is not None and re.search(pattern, value) is not None
        if hit:
            return True
    return False


def _gitlab_runs(rules: list[dict[str, str]], env: dict[str, str]) -> bool:
    for rule in rules:
        if "if" not in rule or _gitlab_expr(rule["if"], env):
            return rule.get("when", "on_success") != "never"
    return False


@pytest.mark.parametrize("filters", FILTERS)
def test_gitlab_rules_decide_as_dockwright_does(filters: Filters) -> None:
    doc = yaml.safe_load(gitlab.render(_plan(filters)))
    rules = cast(list[dict[str, str]], doc["job"]["rules"])
    for ref in REFS:
        env = {"CI_COMMIT_TAG": ref.tag} if ref.tag else {"CI_COMMIT_BRANCH": ref.branch}
        env["CI_PIPELINE_SOURCE"] = "push"
        assert _gitlab_runs(rules, env) == (filtered_out(filters, ref) is None), ref
        # a merge request pipeline: the source branch decides, as dockwright's CIRCLE_BRANCH
        if ref.branch:
            mr = {"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": ref.branch,
                  "CI_PIPELINE_SOURCE": "merge_request_event"}  # fmt: skip
            assert _gitlab_runs(rules, mr) == (filtered_out(filters, ref) is None), ref
    assert not _gitlab_runs(rules, {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"})


def test_gitlab_publishes_nothing_from_a_merge_request() -> None:
    doc = yaml.safe_load(gitlab.render(_plan(Filters(), publishes=True)))
    rules = doc["job"]["rules"]
    mr = {
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "main",
        "CI_PIPELINE_SOURCE": "merge_request_event",
    }
    assert not _gitlab_runs(rules, mr)
    assert _gitlab_runs(rules, {"CI_COMMIT_BRANCH": "main", "CI_PIPELINE_SOURCE": "push"})


# -- GitHub: an expression, evaluated ---------------------------------------------------------


def _github_if(expr: str, event: str, ref: Ref, head: str = "") -> bool:
    """Evaluate the subset of GitHub's expressions the generator writes."""
    full = f"refs/tags/{ref.tag}" if ref.tag else f"refs/heads/{ref.branch}"
    values = {"github.event_name": event, "github.ref": full,
              "github.ref_name": ref.tag or ref.branch, "github.head_ref": head}  # fmt: skip
    text = expr.replace("!=", " NE ").replace("&&", " and ").replace("||", " or ")
    text = text.replace("!", " not ").replace(" NE ", " != ")
    text = re.sub(r"github\.\w+", lambda m: repr(values[m.group(0)]), text)
    return bool(eval(text, {"startsWith": str.startswith}))


@pytest.mark.parametrize("filters", FILTERS)
def test_github_if_lets_through_what_dockwright_lets_through(filters: Filters) -> None:
    doc = yaml.safe_load(github.render(_plan(filters)))
    expr = str(doc["jobs"]["job"]["if"])
    said = "applies the filters" not in github.render(_plan(filters))
    for ref in REFS:
        runs = _github_if(expr, "push", ref)
        expected = filtered_out(filters, ref) is None
        assert runs == expected if said else runs or not expected, (ref, expr)
    assert not _github_if(expr, "schedule", Ref(branch="main"))


def test_github_reads_a_pull_request_by_its_head_branch_and_never_publishes_from_one() -> None:
    filters = Filters(branches=RefFilter(only=("feature",)))
    expr = str(yaml.safe_load(github.render(_plan(filters)))["jobs"]["job"]["if"])
    assert _github_if(expr, "pull_request", Ref(branch="42/merge"), head="feature")
    assert not _github_if(expr, "pull_request", Ref(branch="42/merge"), head="other")
    publishing = str(
        yaml.safe_load(github.render(_plan(filters, publishes=True)))["jobs"]["job"]["if"]
    )
    assert not _github_if(publishing, "pull_request", Ref(branch="42/merge"), head="feature")
    assert _github_if(publishing, "push", Ref(branch="feature"))


def test_github_says_which_filters_it_leaves_to_dockwright() -> None:
    text = github.render(_plan(Filters(tags=RefFilter(only=("/v[0-9]+/",)))))
    assert "    # `dockwright run` applies the filters /v[0-9]+/: GitHub cannot say them\n" in text
