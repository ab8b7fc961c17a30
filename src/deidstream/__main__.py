"""`python -m deidstream`: the same as the `deidstream` command."""

from deidstream.cli import main

# Guarded: `deidstream bench` starts stages in spawned interpreters, which import this module again.
if __name__ == "__main__":
    main()
