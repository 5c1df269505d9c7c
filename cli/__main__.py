from implicit_atlas.cli.main import cli

cli()
