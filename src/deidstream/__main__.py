"""`python -m deidstream`: the same as the `deidstream` command."""

from deidstream.cli import main

main()
