"""Run containers of a local overlay2 image directly with the OCI runtime (runc), no daemon.

The Docker daemon spends ~250 ms per short-lived container (create, start, wait, logs,
remove); ``runc run`` on an overlay mount of the image's layer directories takes ~40 ms. This
module holds the lifecycle of those runs; what each run's OCI config holds (env, user,
capabilities, mounts, as dockerd would write it) is :mod:`dockwright.structure.ocispec`'s.

* :class:`Scratch`: the scratch tree, the overlay mounts and the runc containers of one image,
  each tracked so that :meth:`Scratch.close` removes what is left, also on errors and Ctrl-C;
* :class:`RuncImage`: the image's layers (read in place, never written) under Docker's *init
  layer* (empty ``/etc/hosts``, ``/etc/hostname``, ``/etc/resolv.conf``, ``/.dockerenv``,
  ``/dev/console``, ``/etc/mtab -> /proc/mounts``), and a read-only view of them;
* :class:`Session`: one fresh upper directory per run, each run's upper stacked under the
  next one, which is what committing a container does.

Differences: the container gets a network namespace of its own with only loopback (Docker's
bridge adds ``eth0`` with outbound access), and no seccomp profile (Docker applies its default
profile). Anything else that cannot be reproduced raises :class:`RuntimeUnsupported`, and the
caller uses the engine instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dockwright import proc
from dockwright.errors import CommandError, DockwrightError, RuntimeUnsupported
from dockwright.structure.ocispec import (
    Container,
    Process,
    build_spec,
    etc_files,
    merge_env,
    resolve_user,
)
from dockwright.structure.rootfs import read_scoped

RUNC = "runc"
ID_PREFIX = "dockwright-"
INIT_LAYER = (
    ("/dev/pts", "dir"), ("/dev/shm", "dir"), ("/proc", "dir"), ("/sys", "dir"),
    ("/.dockerenv", "file"), ("/etc/resolv.conf", "file"), ("/etc/hosts", "file"),
    ("/etc/hostname", "file"), ("/dev/console", "file"), ("/etc/mtab", "/proc/mounts"),
)  # fmt: skip
MAX_MOUNT_DATA = 4000  # the kernel takes one page of mount options


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None  # None: killed at the timeout
    stdout: str
    stderr: str


# -- the image's layers -----------------------------------------------------------------------


def overlay_layers(graph_driver: Mapping[str, Any]) -> tuple[str, ...]:
    """The image's layer directories, top first, from ``docker image inspect``'s GraphDriver;
    each as its short ``l/`` link when Docker made one (mount options are one page)."""
    if graph_driver.get("Name") != "overlay2":
        raise RuntimeUnsupported(f"graph driver {graph_driver.get('Name')!r} is not overlay2")
    data = graph_driver.get("Data") or {}
    dirs = [str(data.get("UpperDir") or ""), *str(data.get("LowerDir") or "").split(":")]
    dirs = [d for d in dirs if d]
    if not dirs:
        raise RuntimeUnsupported("the image has no layer directories")
    out = []
    for layer in dirs:
        if not os.path.isdir(layer) or not os.access(layer, os.R_OK | os.X_OK):
            raise RuntimeUnsupported(f"layer directory {layer} is not readable")
        link = os.path.join(os.path.dirname(layer), "link")
        short = ""
        with contextlib.suppress(OSError), open(link, encoding="ascii") as handle:
            short = os.path.join(os.path.dirname(os.path.dirname(layer)), "l", handle.read())
        same = short and os.path.realpath(short) == os.path.realpath(layer)
        out.append(short if same else layer)
    if any("," in d or ":" in d for d in out):
        raise RuntimeUnsupported("a layer directory name cannot go into overlay options")
    return tuple(out)


def unavailable_reason(runc: str = RUNC) -> str:
    """Why this machine cannot run containers with runc ('' when it can)."""
    if os.geteuid() != 0:
        return "not running as root"
    if shutil.which(runc) is None:
        return f"{runc} not found"
    try:
        with open("/proc/filesystems", encoding="ascii") as handle:
            if "overlay" not in handle.read():
                return "the kernel has no overlay filesystem"
    except OSError:
        return "cannot read /proc/filesystems"
    return ""


class Scratch:
    """The scratch tree of one image's runs: directories under ``root``, overlay mounts and
    runc containers, each tracked until it is gone. Thread-safe; once :meth:`close` began,
    nothing new can be mounted or started."""

    def __init__(self, runc: str = RUNC) -> None:
        self.runc = runc
        self._root = ""  # made on first use: an unused Scratch leaves nothing behind
        self._lock = threading.Lock()
        self._mounts: set[str] = set()
        self._containers: set[str] = set()
        self._closed = False

    def directory(self, parent: str | None = None) -> str:
        """A new directory under ``parent`` (default: the scratch root)."""
        if parent is None:
            with self._lock:
                if self._closed:
                    raise RuntimeUnsupported("the runtime was closed")
                if not self._root:
                    self._root = tempfile.mkdtemp(prefix="dockwright-runc-")
                    os.chmod(self._root, 0o711)
                parent = self._root
        path = tempfile.mkdtemp(dir=parent)
        os.chmod(path, 0o711)
        return path

    @staticmethod
    def layer_dirs(parent: str) -> tuple[str, str]:
        """A fresh overlay upper directory and its work directory under ``parent``."""
        upper, work = os.path.join(parent, "diff"), os.path.join(parent, "work")
        os.mkdir(upper, 0o755)
        os.chmod(upper, 0o755)  # the container's "/" (umask-proof), as Docker's diff dir
        os.mkdir(work, 0o700)
        return upper, work

    def mount(self, target: str, lowers: Sequence[str], upper: str = "", work: str = "") -> None:
        """Overlay ``lowers`` (top first) at ``target``: read-only, or writable into ``upper``."""
        options = "lowerdir=" + ":".join(lowers)
        options = f"{options},upperdir={upper},workdir={work}" if upper else "ro," + options
        if len(options) > MAX_MOUNT_DATA:
            raise RuntimeUnsupported("too many layers for one overlay mount")
        os.makedirs(target, exist_ok=True)
        with self._lock:
            if self._closed:
                raise RuntimeUnsupported("the runtime was closed")
            self._mounts.add(target)
        try:
            proc.run(["mount", "-t", "overlay", "overlay", "-o", options, target], timeout=60)
        except DockwrightError as exc:
            with self._lock:
                self._mounts.discard(target)
            raise RuntimeUnsupported(f"overlay mount failed: {exc}") from exc

    def umount(self, target: str) -> None:
        try:
            proc.run(["umount", target], timeout=60)
        except CommandError:
            # Still busy (a process we could not kill): detach it so nothing stays visible.
            with contextlib.suppress(DockwrightError):
                proc.run(["umount", "-l", target], timeout=60)
        with self._lock:
            self._mounts.discard(target)

    @contextlib.contextmanager
    def running(self, container: str) -> Iterator[None]:
        """Track ``container`` while the block runs; unless :meth:`exited` says ``runc run``
        returned (and so removed it), its runc container is deleted at the end."""
        with self._lock:
            if self._closed:
                raise RuntimeUnsupported("the runtime was closed")
            self._containers.add(container)
        try:
            yield
        finally:
            with self._lock:
                left = container in self._containers
                self._containers.discard(container)
            if left:
                self._delete(container)

    def exited(self, container: str) -> None:
        """``runc run`` returned: it removed the container itself, nothing is left to delete."""
        with self._lock:
            self._containers.discard(container)

    def _delete(self, container: str) -> None:
        with contextlib.suppress(DockwrightError):
            proc.run([self.runc, "delete", "--force", container], check=False, timeout=60)

    def close(self) -> None:
        """Kill what still runs, unmount everything, remove the scratch tree. Idempotent; safe
        to call again once running workers finished."""
        with self._lock:
            self._closed = True
            containers = sorted(self._containers)
            mounts = sorted(self._mounts, key=len, reverse=True)
        for container in containers:
            self._delete(container)
        for target in mounts:
            self.umount(target)
        with self._lock:
            busy = bool(self._mounts or self._containers)
            root = self._root
        if root and not busy:
            shutil.rmtree(root, ignore_errors=True)


class RuncImage:
    """One image's layers, runnable with runc. Thread-safe; :meth:`close` leaves nothing."""

    def __init__(self, layers: Sequence[str], image_env: Sequence[str], workdir: str,
                 user: str, *, runc: str = RUNC) -> None:  # fmt: skip
        self.layers = tuple(layers)
        self.image_env = tuple(image_env)
        self.workdir = os.path.normpath(workdir) if workdir.startswith("/") else "/"
        self.user = user
        self.runc = runc
        self.scratch = Scratch(runc)
        self._lock = threading.Lock()
        self._init: str | None = None
        self._view: str | None = None

    def init_layer(self) -> str:
        """Docker's init layer over this image, made once (same steps as daemon/initlayer)."""
        with self._lock:
            if self._init is not None:
                return self._init
        scratch = self.scratch
        base = scratch.directory()
        upper, work = scratch.layer_dirs(base)
        merged = os.path.join(base, "merged")
        scratch.mount(merged, self.layers, upper, work)
        try:
            for path, kind in INIT_LAYER:
                prev = merged
                for part in path.strip("/").split("/"):
                    prev = os.path.join(prev, part)
                    with contextlib.suppress(OSError):
                        os.unlink(prev)  # files and links in the way go (directories stay)
                full = merged + path
                if os.path.exists(full):
                    continue
                _makedirs(os.path.dirname(full), merged)
                if kind == "dir":
                    _makedirs(full, merged)
                elif kind == "file":
                    fd = os.open(full, os.O_CREAT | os.O_WRONLY, 0o755)
                    os.fchmod(fd, 0o755)
                    os.fchown(fd, 0, 0)
                    os.close(fd)
                else:
                    os.symlink(kind, full)
        finally:
            scratch.umount(merged)
        with self._lock:
            if self._init is None:
                self._init = upper
            return self._init

    def view_root(self) -> str:
        """A read-only mount of the image as a created container sees it (init layer included)."""
        init = self.init_layer()
        with self._lock:
            if self._view is not None:
                return self._view
        target = os.path.join(self.scratch.directory(), "rootfs")
        self.scratch.mount(target, (init, *self.layers))
        with self._lock:
            if self._view is None:
                self._view = target
                return target
        self.scratch.umount(target)  # another thread won
        return self._view

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A chain of runs: each run sees the files earlier runs of the session left."""
        session = Session(self, self.init_layer())
        try:
            yield session
        finally:
            session.close()

    def close(self) -> None:
        """Kill what still runs, unmount everything, remove the scratch tree (see
        :meth:`Scratch.close`)."""
        self.scratch.close()


def _makedirs(path: str, root: str) -> None:
    """``MkdirAllAndChownNew(path, 0755, root)``: only new directories get mode and owner."""
    if os.path.isdir(path) or path == root:
        return
    _makedirs(os.path.dirname(path), root)
    os.mkdir(path, 0o755)
    os.chmod(path, 0o755)
    os.chown(path, 0, 0)


class Session:
    """The runs of one test (setup steps, then the command), each on a fresh upper layer
    stacked over the previous runs' ones, like ``docker commit`` between them."""

    def __init__(self, image: RuncImage, init: str) -> None:
        self.image = image
        self.scratch = image.scratch
        self.base = self.scratch.directory()
        self.lowers: list[str] = [init, *image.layers]
        self.env: list[str] = list(image.image_env)  # the committed config's env

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    def run(self, process: Process, timeout: float) -> Outcome:
        scratch = self.scratch
        bundle = scratch.directory(self.base)
        upper, work = scratch.layer_dirs(bundle)
        rootfs = os.path.join(bundle, "rootfs")
        container = ID_PREFIX + secrets.token_hex(16)
        scratch.mount(rootfs, self.lowers, upper, work)
        try:
            config_env = self._write_bundle(process, bundle, rootfs, container)
            log = os.path.join(bundle, "runc.log")
            argv = [self.image.runc, "--log", log, "--log-format", "json", "run", "--bundle",
                    bundle, container]  # fmt: skip
            with scratch.running(container):
                try:
                    done = proc.run(argv, check=False, input=b"", timeout=timeout)
                except CommandError as exc:
                    if exc.returncode != -1:
                        raise RuntimeUnsupported(f"runc: {exc}") from exc
                    return Outcome(None, "", "")  # killed at the timeout: delete what is left
                scratch.exited(container)
            error = _runc_error(log)
            if error:  # e.g. executable not found: the engine words it
                raise RuntimeUnsupported(f"runc could not start the process: {error}")
            self.env = config_env
            return Outcome(done.returncode, done.stdout, done.stderr)
        finally:
            scratch.umount(rootfs)
            shutil.rmtree(work, ignore_errors=True)
            self.lowers.insert(0, upper)  # committed: the next run starts from here

    def _write_bundle(
        self, process: Process, bundle: str, rootfs: str, container: str
    ) -> list[str]:
        """Write the bundle's ``config.json`` and ``/etc`` files for one run; return the env a
        commit of it would keep."""
        hostname = secrets.token_hex(6)
        user = resolve_user(
            process.user or self.image.user,
            read_scoped(rootfs, "/etc/passwd"),
            read_scoped(rootfs, "/etc/group"),
        )
        files = {}
        for name, text in etc_files(hostname).items():
            path = os.path.join(bundle, name)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(path, 0o644)
            files[name] = path
        config_env = merge_env(self.env, process.env)
        where = Container(container, hostname, rootfs, self.image.workdir, files)
        spec = build_spec(process, user, config_env, where)
        with open(os.path.join(bundle, "config.json"), "w", encoding="utf-8") as handle:
            json.dump(spec, handle)
        return config_env


def _runc_error(log: str) -> str:
    """The first error runc logged (it logs nothing at error level for a process that ran)."""
    try:
        with open(log, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ""
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("level") in ("error", "fatal"):
            return str(entry.get("msg", ""))
    return ""
