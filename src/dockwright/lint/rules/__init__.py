"""One module per rule; the table in :mod:`dockwright.lint.codes` names them."""
