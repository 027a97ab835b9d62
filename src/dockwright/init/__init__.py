"""``dockwright init``: a starter dockwright.yaml and structure tests for a repository.

:mod:`~dockwright.init.find` finds the Dockerfiles and names their images,
:mod:`~dockwright.init.derive` reads structure tests off a built image,
:mod:`~dockwright.init.render` writes both files with every key explained, and
:mod:`~dockwright.init.starter` does it all: build, derive, check the tests pass, write.
"""
