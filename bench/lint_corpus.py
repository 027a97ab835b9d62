"""A deterministic generator of real-world-shaped Dockerfiles for the lint benchmark.

Each file is assembled from a seeded random choice of base image, package manager,
language toolchain, build stages, heredocs, pragmas, ONBUILD, SHELL and the usual
ENV/ARG/COPY/USER/HEALTHCHECK lines, with the good and bad habits hadolint looks for
(unpinned packages, missing cleanups, `cd`, `sudo`, shell-form CMD, ...).
"""

from __future__ import annotations

import random
from pathlib import Path

BASES = {
    "apt": ["debian:12", "debian:bookworm-slim", "ubuntu:22.04", "ubuntu", "debian:latest"],
    "apk": ["alpine:3.19", "alpine", "alpine:3.18"],
    "yum": ["centos:7", "amazonlinux:2"],
    "dnf": ["fedora:39", "rockylinux:9"],
    "zypper": ["opensuse/leap:15.5"],
}
LANG_BASES = {
    "python": ["python:3.12-slim", "python:3.11", "python"],
    "node": ["node:20-alpine", "node:18", "node"],
    "go": ["golang:1.22", "golang:1.21-alpine"],
    "ruby": ["ruby:3.3", "ruby:3.2-slim"],
}
PACKAGES = ["curl", "wget", "git", "ca-certificates", "gnupg", "jq", "make", "gcc", "unzip",
            "tar", "xz-utils", "openssl", "tzdata", "bash", "vim", "less", "procps"]  # fmt: skip


def _pkgs(rng: random.Random, pin: str | None) -> str:
    chosen = rng.sample(PACKAGES, rng.randint(1, 6))
    if pin is not None and rng.random() < 0.5:
        chosen = [f"{p}{pin}{rng.randint(1, 9)}.{rng.randint(0, 20)}" for p in chosen]
    return " ".join(chosen)


def _install(rng: random.Random, manager: str) -> str:
    cont = " \\\n    "
    if manager == "apt":
        flags = "-y --no-install-recommends" if rng.random() < 0.6 else "-y"
        tool = "apt-get" if rng.random() < 0.85 else "apt"
        run = f"RUN {tool} update{cont}&& {tool} install {flags} {_pkgs(rng, '=')}"
        if rng.random() < 0.6:
            run += f"{cont}&& rm -rf /var/lib/apt/lists/*"
        if rng.random() < 0.2:
            run = (
                "RUN --mount=type=cache,target=/var/cache/apt "
                "--mount=type=cache,target=/var/lib/apt "
                f"apt-get update && apt-get install -y {_pkgs(rng, '=')}"
            )
        return run
    if manager == "apk":
        flags = "--no-cache " if rng.random() < 0.6 else ""
        return f"RUN apk add {flags}{_pkgs(rng, '=')}"
    if manager == "yum":
        run = f"RUN yum install -y {_pkgs(rng, '-')}"
        return run + (f"{cont}&& yum clean all" if rng.random() < 0.5 else "")
    if manager == "dnf":
        run = f"RUN dnf install -y {_pkgs(rng, '-')}"
        return run + (f"{cont}&& dnf clean all" if rng.random() < 0.5 else "")
    return f"RUN zypper install -y {_pkgs(rng, '=')}"


def _lang(rng: random.Random, lang: str) -> list[str]:
    if lang == "python":
        pin = "==2.31.0" if rng.random() < 0.5 else ""
        cache = "--no-cache-dir " if rng.random() < 0.5 else ""
        return [
            "COPY requirements.txt /app/",
            f"RUN pip install {cache}-r /app/requirements.txt",
            f"RUN pip install {cache}requests{pin} gunicorn",
        ]
    if lang == "node":
        return [
            "COPY package*.json ./",
            "RUN npm ci --omit=dev" if rng.random() < 0.5 else "RUN npm install express",
            "RUN yarn install && yarn build" if rng.random() < 0.3 else "RUN npm run build",
        ]
    if lang == "go":
        return [
            "COPY go.mod go.sum ./",
            "RUN go mod download",
            "COPY . .",
            "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app",
        ]
    return ["COPY Gemfile Gemfile.lock ./", "RUN gem install bundler && bundle install"]


def dockerfile(rng: random.Random, index: int) -> str:
    lines: list[str] = []
    if rng.random() < 0.1:
        lines.append("# syntax=docker/dockerfile:1")
    if rng.random() < 0.15:
        lines.append("# hadolint global ignore=DL3008,DL3018")
    lines.append(f"# image {index}: generated for the lint benchmark")
    lines.append("ARG VERSION=1.0.0")
    lang = rng.choice([*LANG_BASES, None, None])
    manager = rng.choice(list(BASES))
    multi = rng.random() < 0.45
    if multi:
        base = rng.choice(LANG_BASES[lang]) if lang else rng.choice(BASES[manager])
        lines.append(f"FROM {base} AS build")
        lines.append("WORKDIR /src")
        lines.extend(_lang(rng, lang) if lang else [_install(rng, manager), "COPY . /src"])
        lines.append("RUN make build && cp -r dist /out")
        lines.append("")
    base = rng.choice(BASES[manager])
    lines.append(f"FROM {base}")
    if rng.random() < 0.2:
        lines.append("MAINTAINER Team <team@example.com>")
    lines.append(f'LABEL org.opencontainers.image.version="${{VERSION}}" build="{index}"')
    lines.append("ENV LANG=C.UTF-8 APP_HOME=/app")
    if rng.random() < 0.15:
        lines.append('SHELL ["/bin/bash", "-o", "pipefail", "-c"]')
    if rng.random() < 0.2:
        lines.append("# hadolint ignore=DL3008,DL3015")
    lines.append(_install(rng, manager))
    if rng.random() < 0.4:
        lines.append(
            "RUN curl -fsSL https://example.com/install.sh | sh"
            if rng.random() < 0.5
            else "RUN wget https://example.com/tool.tgz && tar xzf tool.tgz -C /usr/local"
        )
    if rng.random() < 0.3:
        lines.extend(["RUN <<EOF", "set -eux", "mkdir -p /app/data", "echo $APP_HOME > /etc/app",
                      "EOF"])  # fmt: skip
    if rng.random() < 0.25:
        lines.append("RUN cd /app && sudo chown -R 1000 .")
    if lang and not multi:
        lines.extend(_lang(rng, lang))
    if multi:
        lines.append("COPY --from=build /out /app")
    lines.append("ADD config/ /etc/app/" if rng.random() < 0.3 else "COPY config/ /etc/app/")
    if rng.random() < 0.15:
        lines.append("ONBUILD RUN apt-get install -y make")
    lines.append("WORKDIR /app")
    lines.append("EXPOSE 8080")
    if rng.random() < 0.5:
        lines.append("HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1")
    lines.append("USER 1000" if rng.random() < 0.6 else "USER root")
    lines.append(
        'CMD ["/app/run", "--port", "8080"]' if rng.random() < 0.6 else "CMD /app/run --port 8080"
    )
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, count: int, seed: int = 20240611) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        path = root / f"app{i:04d}" / "Dockerfile"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dockerfile(rng, i))
        paths.append(path)
    return paths
