"""`python -m streams` runs the factstream CLI."""

from streams.cli import main

main(prog_name="factstream")
