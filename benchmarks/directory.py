"""The patient directory at scale: N generated patients loaded, read by a fresh worker process, looked up.

    python benchmarks/directory.py [--patients 1000000] [--partitions 4] [--processes 2]

Prints the README's table: the time a process takes to read the directory topic
to its end (target at most 60 s for 1,000,000 patients), the memory it takes
(target at most 300 MB per worker process), and the cost per message of the
look-up and of seeding a note. See `deidstream.tools.bench.directory`.
"""

from __future__ import annotations

import argparse
import json
import sys

from deidstream.tools.bench.directory import run_directory_bench


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2, help="worker processes of `deidstream run`")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", help="also write the figures as JSON to this file")
    options = parser.parse_args()
    bench = run_directory_bench(
        options.patients, options.partitions, options.processes, options.seed,
        lambda line: print(f"bench: {line}", file=sys.stderr, flush=True),
    )  # fmt: skip
    print(bench.table())
    if options.output:
        with open(options.output, "w", encoding="utf-8") as output:
            json.dump(bench.figures, output, indent=2)


if __name__ == "__main__":
    main()
