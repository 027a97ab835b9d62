"""The shell the generated jobs share, whatever the CI: hand images on to the jobs after this
one, take them back, and the scheduled update. ``handoff`` is a shell word naming the
directory the CI carries between jobs (a workspace, artifacts), e.g. ``/tmp/handoff`` or
``"$RUNNER_TEMP"/handoff``; one subdirectory per job that hands images on.
"""

from __future__ import annotations

import shlex

from dockwright.ci.plan import CIJob, Plan

UPDATE_BRANCH = "dockwright/update"
UPDATE_TITLE = "dockwright update"

# The image IDs the job's build steps made, from the run record (run.json).
_IDS = (
    '.jobs[] | select(.name == $job) | .steps[] | select(.kind == "build" and .image_id)'
    " | .image_id"
)


def save(plan: Plan, job: CIJob, handoff: str) -> list[str]:
    """``docker save`` the images ``job`` built, by ID, and copy the job cache."""
    state = shlex.quote(plan.state_dir)
    return [
        f"dir={handoff}/{job.name}",
        'mkdir -p "$dir"',
        f"jq -r --arg job {shlex.quote(job.record)} {shlex.quote(_IDS)} \\",
        f'  {state}/reports/run.json | sort -u > "$dir/images.txt"',
        'xargs docker save --output "$dir/images.tar" < "$dir/images.txt"',
        f'cp -R {state}/cache "$dir/cache"',
    ]


def load(plan: Plan, handoff: str) -> list[str]:
    """``docker load`` every image handed on, check the IDs are there, merge the caches."""
    state = shlex.quote(plan.state_dir)
    return [
        f"mkdir -p {state}/cache",
        f"for dir in {handoff}/*/; do",
        '  docker load --input "${dir}images.tar"',
        "  xargs docker image inspect --format '{{.Id}}' < \"${dir}images.txt\"",
        f'  cp -R "${{dir}}cache/." {state}/cache/',
        "done",
    ]


def install(plan: Plan) -> list[str]:
    """dockwright in a virtual environment of its own, on PATH from the next command on
    (``$BASH_ENV`` is sourced before each command, as CircleCI does)."""
    return [
        'python3 -m venv "$HOME/.dockwright-venv"',
        f'"$HOME/.dockwright-venv/bin/pip" install --quiet dockwright=={plan.version}',
        'echo \'export PATH="$HOME/.dockwright-venv/bin:$PATH"\' >> "$BASH_ENV"',
    ]


def update(
    plan: Plan,
    *,
    identity: tuple[str, str],
    unchanged: tuple[str, ...] = (),
    changed: tuple[str, ...] = (),
) -> list[str]:
    """Update; when that changed something, run the pipeline on it, publishing nothing (it
    is not merged yet), then the ``changed`` lines (which push it)."""
    name, email = identity
    return [
        f"git config user.name {shlex.quote(name)}",
        f"git config user.email {shlex.quote(email)}",
        "before=$(git rev-parse HEAD)",
        plan.update_command(),
        'if [ "$(git rev-parse HEAD)" = "$before" ]; then',
        '  echo "dockwright update: everything is up to date"',
        *(f"  {line}" for line in unchanged),
        "else",
        f"  {plan.run_command('--no-publish')}",
        *(f"  {line}" for line in changed),
        "fi",
    ]
