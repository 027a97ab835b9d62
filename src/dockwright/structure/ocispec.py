"""What dockerd hands to runc for ``docker run --entrypoint ""``, as pure functions: the OCI
runtime config (:func:`build_spec`) and its parts.

* the env (``PATH`` default, ``HOSTNAME``, request env before image env);
* the user resolved from the rootfs's ``/etc/passwd`` and ``/etc/group`` like libcontainer's
  ``GetExecUser`` (``name``, ``uid``, ``name:group``, ``uid:gid``, supplementary groups);
* Docker's default capabilities plus cap-add, its mounts, bind mounts, masked and read-only
  paths, and ``/etc/hosts``, ``/etc/hostname`` and ``/etc/resolv.conf`` as Docker writes them.

What cannot be reproduced raises :class:`RuntimeUnsupported`; the caller uses the engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dockwright.errors import RuntimeUnsupported

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Docker's default capability set (moby oci/caps/defaults.go).
DEFAULT_CAPS = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
)  # fmt: skip
KNOWN_CAPS = frozenset(
    "CAP_" + c
    for c in (
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
        "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
        "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
        "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
        "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
        "PERFMON", "BPF", "CHECKPOINT_RESTORE",
    )
)  # fmt: skip
MASKED_PATHS = (
    "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
)  # fmt: skip
READONLY_PATHS = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")
# Docker's init layer (daemon/initlayer): created over the image, below the container.
HOSTS = (
    "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
    "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
)
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Process:
    """One run: what ``docker create`` would be given (entrypoint already cleared)."""

    argv: tuple[str, ...]
    env: tuple[str, ...] = ()  # request env, before the image's
    user: str = ""  # "" -> the image's USER
    cap_add: tuple[str, ...] = ()
    binds: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExecUser:
    uid: int
    gid: int
    sgids: tuple[int, ...] = field(default_factory=tuple)


# -- pure logic: env, users, capabilities, binds ---------------------------------------------


def replace_or_append(defaults: Sequence[str], overrides: Sequence[str]) -> list[str]:
    """moby's ReplaceOrAppendEnvValues: replace same-key entries in place, append the rest;
    an override without ``=`` unsets the key."""
    out = list(defaults)
    index = {e.partition("=")[0]: i for i, e in enumerate(out)}
    removed: set[int] = set()
    for value in overrides:
        key, sep, _ = value.partition("=")
        if not sep:
            if value in index:
                removed.add(index[value])
            continue
        if key in index:
            out[index[key]] = value
        else:
            out.append(value)
    return [e for i, e in enumerate(out) if i not in removed]


def merge_env(image_env: Sequence[str], request_env: Sequence[str]) -> list[str]:
    """The container config's env (what a commit keeps): request entries, then the image
    entries whose key the request does not set (moby's ``merge``)."""
    merged = list(request_env)
    if not merged:
        return list(image_env)
    keys = {e.split("=", 1)[0] for e in merged}
    return merged + [e for e in image_env if e.split("=", 1)[0] not in keys]


def container_env(config_env: Sequence[str], hostname: str) -> list[str]:
    """The env dockerd gives the process: the config env over ``PATH`` and ``HOSTNAME``."""
    return replace_or_append([f"PATH={DEFAULT_PATH}", f"HOSTNAME={hostname}"], config_env)


def _fields(line: str, count: int) -> list[str]:
    parts = line.split(":")
    return (parts + [""] * count)[:count]


def _atoi(text: str) -> int | None:
    try:
        return int(text, 10) if text.strip() == text and text else None
    except ValueError:
        return None


def _lines(data: bytes | None) -> Iterator[str]:
    for raw in (data or b"").decode(errors="replace").splitlines():
        line = raw.strip()
        if line:
            yield line


def resolve_user(spec: str, passwd: bytes | None, group: bytes | None) -> ExecUser:
    """libcontainer's ``GetExecUser`` with no defaults: ``user[:group]``, names or numbers.

    Raises :class:`RuntimeUnsupported` where dockerd would refuse to start the container."""
    user_arg, _, group_arg = spec.partition(":")
    group_arg = group_arg.split(":", 1)[0]
    uid_arg, gid_arg = _atoi(user_arg), _atoi(group_arg)
    uid, gid, home_name = 0, 0, ""
    users = []
    for line in _lines(passwd):
        name, _, u, g = _fields(line, 4)
        u_id, g_id = _atoi(u) or 0, _atoi(g) or 0
        if user_arg == "":
            match = u_id == 0
        elif uid_arg is not None:
            match = uid_arg == u_id
        else:
            match = name == user_arg
        if match:
            users.append((name, u_id, g_id))
    if users:
        home_name, uid, gid = users[0]
    elif user_arg:
        if uid_arg is None:
            raise RuntimeUnsupported(f"unable to find user {user_arg}: no matching entries")
        if not 0 <= uid_arg <= MAX_ID:
            raise RuntimeUnsupported(f"uid {uid_arg} out of range")
        uid = uid_arg
    sgids: tuple[int, ...] = ()
    if group_arg or home_name:
        groups = []
        for line in _lines(group):
            name, _, g, members = _fields(line, 4)
            g_id = _atoi(g) or 0
            if not group_arg:
                match = home_name in members.split(",")
            elif gid_arg is not None:
                match = gid_arg == g_id
            else:
                match = name == group_arg
            if match:
                groups.append(g_id)
        if group_arg:
            if groups:
                gid = groups[0]
            elif gid_arg is None:
                raise RuntimeUnsupported(f"unable to find group {group_arg}: no matching entries")
            elif not 0 <= gid_arg <= MAX_ID:
                raise RuntimeUnsupported(f"gid {gid_arg} out of range")
            else:
                gid = gid_arg
        else:
            sgids = tuple(groups)
    return ExecUser(uid, gid, sgids)


def capabilities(cap_add: Sequence[str]) -> list[str]:
    """Docker's defaults plus ``cap_add`` (``NET_ADMIN``, ``cap_net_admin`` ...)."""
    caps = list(DEFAULT_CAPS)
    for cap in cap_add:
        name = cap.upper()
        name = name if name.startswith("CAP_") else "CAP_" + name
        if name not in KNOWN_CAPS:  # "ALL" and unknown names: the engine decides
            raise RuntimeUnsupported(f"capability {cap!r}")
        if name not in caps:
            caps.append(name)
    return caps


def bind_mounts(binds: Sequence[str]) -> list[dict[str, Any]]:
    """``host:container[:ro|rw]`` for existing absolute host paths; the rest (volumes, paths
    the engine would create, propagation or SELinux modes) is the engine's job."""
    mounts = []
    for bind in binds:
        parts = bind.split(":")
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("ro", "rw")):
            raise RuntimeUnsupported(f"bind mount {bind!r}")
        source, dest = parts[0], parts[1]
        if not source.startswith("/") or not dest.startswith("/") or not os.path.exists(source):
            raise RuntimeUnsupported(f"bind mount {bind!r}")
        options = ["rbind", "rprivate"] + (["ro"] if parts[2:] == ["ro"] else [])
        mounts.append(
            {"destination": os.path.normpath(dest), "type": "bind", "source": source,
             "options": options}
        )  # fmt: skip
    return mounts


def resolv_conf(host: str = "/etc/resolv.conf") -> str:
    """The host's resolv.conf without loopback nameservers (Docker's filter); Google's
    resolvers when none is left, as Docker does."""
    try:
        with open(host, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        lines = []
    kept = []
    for line in lines:
        words = line.split()
        loopback = len(words) >= 2 and (words[1].startswith("127.") or words[1] == "::1")
        if words[:1] == ["nameserver"] and loopback:
            continue
        kept.append(line)
    if not any(line.split()[:1] == ["nameserver"] for line in kept):
        kept += ["nameserver 8.8.8.8", "nameserver 8.8.4.4"]
    return "\n".join(kept) + "\n"


def etc_files(hostname: str) -> dict[str, str]:
    """``/etc/hosts``, ``/etc/hostname`` and ``/etc/resolv.conf`` as dockerd writes them (each
    is bind-mounted over the container's own), keyed by their name under ``/etc``."""
    return {"hosts": HOSTS, "hostname": hostname + "\n", "resolv.conf": resolv_conf()}


def default_mounts() -> list[dict[str, Any]]:
    """Docker's mounts for every container: ``/proc``, ``/dev`` and its children, ``/sys``."""
    nosuid = ["nosuid", "noexec", "nodev"]
    return [
        {"destination": "/proc", "type": "proc", "source": "proc", "options": nosuid},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": [*nosuid, "ro"]},
        {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
         "options": ["ro", *nosuid]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": nosuid},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": [*nosuid, "mode=1777", "size=65536k"]},
    ]  # fmt: skip


@dataclass(frozen=True)
class Container:
    """Where and as whom one run happens: the OCI bundle's parts that are not the process."""

    id: str
    hostname: str
    rootfs: str  # host path of the container's "/"
    workdir: str  # "/" when the image sets none
    files: Mapping[str, str]  # name under /etc -> host path of its bind-mount source


def build_spec(
    process: Process, user: ExecUser, config_env: Sequence[str], container: Container
) -> dict[str, Any]:
    """The OCI runtime config (``config.json``) dockerd would give runc for this run;
    ``config_env`` is the container config's env (request entries, then the image's)."""
    mounts = default_mounts()
    for name, source in container.files.items():
        mounts.append(
            {"destination": f"/etc/{name}", "type": "bind", "source": source,
             "options": ["rbind", "rprivate"]}
        )  # fmt: skip
    mounts += bind_mounts(process.binds)
    caps = capabilities(process.cap_add)
    # dockerd lists the primary group among the supplementary ones too
    groups = [user.gid, *(g for g in user.sgids if g != user.gid)]
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": user.uid, "gid": user.gid, "additionalGids": groups},
            "args": list(process.argv),
            "env": container_env(config_env, container.hostname),
            "cwd": container.workdir,
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
            "noNewPrivileges": False,
        },
        "root": {"path": container.rootfs, "readonly": False},
        "hostname": container.hostname,
        "mounts": mounts,
        "linux": {
            "cgroupsPath": f"/{container.id}",
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
            "maskedPaths": list(MASKED_PATHS),
            "readonlyPaths": list(READONLY_PATHS),
        },
    }
