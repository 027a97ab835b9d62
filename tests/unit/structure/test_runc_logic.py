"""Pure parts of the runc path: env merging, user resolution, capabilities, binds, resolv.conf,
the OCI config, in-image symlink resolution."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockwright.errors import RuntimeUnsupported
from dockwright.structure.ocispec import (
    DEFAULT_CAPS,
    DEFAULT_PATH,
    Container,
    ExecUser,
    Process,
    bind_mounts,
    build_spec,
    capabilities,
    container_env,
    merge_env,
    replace_or_append,
    resolv_conf,
    resolve_user,
)
from dockwright.structure.rootfs import scoped
from dockwright.structure.runc import overlay_layers

PASSWD = b"""root:x:0:0:root:/root:/bin/sh
app:x:1001:1001::/home/app:/bin/sh

  dup:x:1001:7::/:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""
GROUP = b"""root:x:0:
adm:x:4:app,other
app:x:1001:
staff:x:50:app
nogroup:x:65534:
"""


def test_env_request_first_then_image_over_defaults() -> None:
    config = merge_env(["PATH=/bin", "A=image", "B=image"], ["A=req", "C=req"])
    assert config == ["A=req", "C=req", "PATH=/bin", "B=image"]
    assert container_env(config, "h1") == ["PATH=/bin", "HOSTNAME=h1", "A=req", "C=req", "B=image"]
    assert container_env([], "h") == [f"PATH={DEFAULT_PATH}", "HOSTNAME=h"]
    assert merge_env(["X=1"], []) == ["X=1"]


def test_replace_or_append_unsets_and_replaces_in_place() -> None:
    assert replace_or_append(["A=1", "B=2"], ["B=3", "A", "C=4"]) == ["B=3", "C=4"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", ExecUser(0, 0, ())),
        ("root", ExecUser(0, 0, ())),
        ("app", ExecUser(1001, 1001, (4, 50))),
        ("1001", ExecUser(1001, 1001, (4, 50))),  # first match wins
        ("app:staff", ExecUser(1001, 50, ())),  # explicit group: no supplementary groups
        ("app:4", ExecUser(1001, 4, ())),
        ("1234:5678", ExecUser(1234, 5678, ())),
        ("1234", ExecUser(1234, 0, ())),
        ("nobody", ExecUser(65534, 65534, ())),
    ],
)
def test_resolve_user_like_libcontainer(spec: str, expected: ExecUser) -> None:
    assert resolve_user(spec, PASSWD, GROUP) == expected


def test_resolve_user_without_files_and_errors() -> None:
    assert resolve_user("5:6", None, None) == ExecUser(5, 6, ())
    for spec in ("ghost", "app:ghosts", "99999999999"):
        with pytest.raises(RuntimeUnsupported):
            resolve_user(spec, PASSWD, GROUP)


def test_capabilities() -> None:
    assert capabilities([]) == list(DEFAULT_CAPS)
    assert capabilities(["net_admin", "CAP_SYS_ADMIN", "chown"])[-2:] == [
        "CAP_NET_ADMIN",
        "CAP_SYS_ADMIN",
    ]
    for bad in ("ALL", "FLY"):
        with pytest.raises(RuntimeUnsupported):
            capabilities([bad])


def test_bind_mounts(tmp_path: Path) -> None:
    src = str(tmp_path)
    assert bind_mounts([f"{src}:/mnt/x/", f"{src}:/ro:ro"]) == [
        {"destination": "/mnt/x", "type": "bind", "source": src, "options": ["rbind", "rprivate"]},
        {"destination": "/ro", "type": "bind", "source": src,
         "options": ["rbind", "rprivate", "ro"]},
    ]  # fmt: skip
    for bad in ("volume:/x", f"{src}/missing:/x", f"{src}:/x:z", f"{src}:rel"):
        with pytest.raises(RuntimeUnsupported):
            bind_mounts([bad])


def test_resolv_conf_drops_loopback(tmp_path: Path) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text("search lan\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n")
    assert resolv_conf(str(conf)) == "search lan\nnameserver 10.0.0.1\n"
    conf.write_text("nameserver 127.0.0.53\n")
    assert resolv_conf(str(conf)) == "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"


def test_scoped_symlinks_stay_inside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "passwd").write_text("x")
    os.symlink("/etc", root / "abs")
    os.symlink("../../../etc", root / "etc" / "up")
    os.symlink("loop", root / "loop")
    assert scoped(str(root), "/abs/passwd") == str(root / "etc" / "passwd")
    assert scoped(str(root), "/etc/up/passwd") == str(root / "etc" / "passwd")
    assert scoped(str(root), "/../../etc") == str(root / "etc")
    assert scoped(str(root), "/abs", follow_last=False) == str(root / "abs")
    with pytest.raises(OSError):
        scoped(str(root), "/loop")


def test_overlay_layers_wants_overlay2(tmp_path: Path) -> None:
    with pytest.raises(RuntimeUnsupported, match="not overlay2"):
        overlay_layers({"Name": "vfs", "Data": {}})
    with pytest.raises(RuntimeUnsupported, match="not readable"):
        overlay_layers({"Name": "overlay2", "Data": {"UpperDir": str(tmp_path / "gone")}})
    layer = tmp_path / "abc" / "diff"
    layer.mkdir(parents=True)
    (tmp_path / "l").mkdir()
    os.symlink("../abc/diff", tmp_path / "l" / "SHORT")
    (tmp_path / "abc" / "link").write_text("SHORT")
    lower = tmp_path / "def" / "diff"
    lower.mkdir(parents=True)
    data = {"UpperDir": str(layer), "LowerDir": str(lower)}
    assert overlay_layers({"Name": "overlay2", "Data": data}) == (
        str(tmp_path / "l" / "SHORT"),
        str(lower),
    )


def test_build_spec_is_what_dockerd_hands_runc(tmp_path: Path) -> None:
    process = Process(("id", "-u"), cap_add=("NET_ADMIN",), binds=(f"{tmp_path}:/mnt:ro",))
    user = ExecUser(1001, 1001, (4, 1001, 50))
    where = Container("dockwright-abc", "h1", "/b/rootfs", "/app", {"hosts": "/b/hosts"})
    spec = build_spec(process, user, ["A=1"], where)
    assert spec["process"] == {
        "terminal": False,
        "user": {"uid": 1001, "gid": 1001, "additionalGids": [1001, 4, 50]},
        "args": ["id", "-u"],
        "env": [f"PATH={DEFAULT_PATH}", "HOSTNAME=h1", "A=1"],
        "cwd": "/app",
        "capabilities": {key: [*DEFAULT_CAPS, "CAP_NET_ADMIN"]
                         for key in ("bounding", "effective", "permitted")},
        "noNewPrivileges": False,
    }  # fmt: skip
    assert (spec["root"], spec["hostname"]) == ({"path": "/b/rootfs", "readonly": False}, "h1")
    assert [m["destination"] for m in spec["mounts"]] == [
        "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
        "/etc/hosts", "/mnt",
    ]  # fmt: skip
    assert spec["mounts"][-2:] == [
        {"destination": "/etc/hosts", "type": "bind", "source": "/b/hosts",
         "options": ["rbind", "rprivate"]},
        {"destination": "/mnt", "type": "bind", "source": str(tmp_path),
         "options": ["rbind", "rprivate", "ro"]},
    ]  # fmt: skip
    assert spec["linux"]["cgroupsPath"] == "/dockwright-abc"
    assert [n["type"] for n in spec["linux"]["namespaces"]] == [
        "pid", "network", "ipc", "uts", "mount",
    ]  # fmt: skip
