"""``dockwright ci``: CI configurations that run the pipeline of dockwright.yaml.

:mod:`dockwright.ci.plan` works out what runs where; each generator (one module, registered
in :data:`dockwright.ci.registry.GENERATORS`) renders the plan as its CI's file.
"""
