#!/usr/bin/env bash
# Creates each of $TOPICS with $PARTITIONS partitions on $BOOTSTRAP_SERVERS; topics that
# exist already are left as they are, so `docker compose up` can run it again.
set -euo pipefail
for topic in $TOPICS; do
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
        --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --describe
