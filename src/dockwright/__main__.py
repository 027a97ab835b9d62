from dockwright.cli.main import entry

entry()
