"""Container engines behind one typed protocol (Docker: Engine API, plus the CLI for builds)."""

from dockwright.engine.base import (
    Builder,
    BuildRequest,
    BuildResult,
    ContainerSpec,
    Engine,
    EngineVersion,
    ImageConfig,
    ImageInfo,
    PathStat,
    RegistryAuth,
    RunResult,
)

__all__ = [
    "BuildRequest",
    "BuildResult",
    "Builder",
    "ContainerSpec",
    "Engine",
    "EngineVersion",
    "ImageConfig",
    "ImageInfo",
    "PathStat",
    "RegistryAuth",
    "RunResult",
]
