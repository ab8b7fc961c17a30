"""Fault scenarios at full length: a worker SIGKILLed mid-batch, the broker stopped for 30 s, the quarantine topic
missing at start, records refused for their size. Prints the README's table (N in, distinct out, duplicates, lost).

    python benchmarks/faults.py [--pause-s 30]

Each scenario runs on its own embedded broker with real `deidstream run` processes;
`tests/test_faults.py` runs the short versions.
"""

from __future__ import annotations

import argparse

from deidstream.tools.bench import faults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pause-s", type=float, default=30.0, help="how long the broker stays stopped")
    options = parser.parse_args()
    results = [
        faults.sigkill_mid_batch(messages=80),
        faults.broker_paused(pause_s=options.pause_s, messages=60),
        faults.quarantine_topic_missing(create_after_s=5, messages=20),
        faults.produce_refused_for_size(messages=20),
    ]
    print(faults.TABLE_HEADER)
    for result in results:
        print(result.row())
    if any(result.lost for result in results):
        raise SystemExit("inputs were lost")


if __name__ == "__main__":
    main()
