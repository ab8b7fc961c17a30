"""Demo producer for the compose stack: publishes `deidstream dev`'s sample reports to a topic, round after round.

Each round is the radiology sample, a few synthetic reports and one undecodable
message (which the workers quarantine), so the dashboard shows flow, entities and
quarantine. Runs in the deidstream image, which has deidstream and confluent-kafka.
"""

from __future__ import annotations

import argparse
import time

from confluent_kafka import Producer

from deidstream.tools.dev import sample_messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--reports", type=int, default=5, help="synthetic reports per round")
    parser.add_argument("--interval-s", type=float, default=5.0, help="pause between rounds")
    parser.add_argument("--rounds", type=int, default=0, help="stop after this many rounds; 0: never")
    args = parser.parse_args()

    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True})
    messages = sample_messages(args.reports)
    published_rounds = 0
    while args.rounds == 0 or published_rounds < args.rounds:
        for key, value in messages:
            producer.produce(args.topic, key=key.encode(), value=value)
        if producer.flush(30) > 0:
            raise SystemExit("the broker did not acknowledge every sample within 30 s")
        published_rounds += 1
        print(f"round {published_rounds}: published {len(messages)} messages to {args.topic}", flush=True)
        if args.rounds == 0 or published_rounds < args.rounds:
            time.sleep(args.interval_s)


if __name__ == "__main__":
    main()
