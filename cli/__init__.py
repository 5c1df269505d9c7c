"""The `implicit-atlas` command line: thin click commands over `implicit_atlas.graph`."""
