"""Config files: YAML with positions (:mod:`.nodes`) and a declarative schema (:mod:`.schema`).

The one validator behind ``dockwright.yaml``, ``.hadolint.yaml`` and structure-test files.
"""
