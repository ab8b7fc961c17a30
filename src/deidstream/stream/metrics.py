"""The catalogue of every metric deidstream exports, in one place.

Worker processes are forked from the supervisor, so metrics use prometheus-client's
multiprocess mode: each process writes its samples to files in
`PROMETHEUS_MULTIPROC_DIR`, and the supervisor's HTTP endpoint sums counters and
merges histograms across them. Counters of a worker that died stay in the totals.
`metrics_setup.multiprocess_directory` must be entered before prometheus_client
is first imported.

Labels carry only topics, partitions, entity types and quarantine reasons: never
keys, values or any other message content.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


MESSAGES_CONSUMED = Counter("deidstream_messages_consumed", "Input messages taken from Kafka.", ["topic"])
MESSAGES_CLEAN = Counter("deidstream_messages_clean", "Records acknowledged on the clean topic.", ["topic"])
MESSAGES_QUARANTINED = Counter(
    "deidstream_messages_quarantined", "Records acknowledged on the quarantine topic, by reason.", ["reason"]
)
TRACE_CONTEXT_DROPPED = Counter(
    "deidstream_trace_context_dropped",
    "Input trace context headers not copied to clean records: not in the W3C format, given twice, or a tracestate "
    "without a valid traceparent; by header.",
    ["header"],
)
ENTITIES_DETECTED = Counter("deidstream_entities_detected", "PHI entities replaced, by entity type.", ["type"])
BYTES_PROCESSED = Counter("deidstream_bytes_processed", "Bytes of input message values processed.")
CHARACTERS_PROCESSED = Counter("deidstream_characters_processed", "Characters of text run through detection.")
COMMITS = Counter("deidstream_commits", "Offset commits that succeeded.")
REBALANCES = Counter("deidstream_rebalances", "Partition assignments received from the group coordinator.")
COMMIT_FAILURES = Counter("deidstream_commit_failures", "Offset commits that failed (batch will be redelivered).")
PRODUCE_ERRORS = Counter("deidstream_producer_errors", "Records the broker did not acknowledge (retried).")
BATCH_SECONDS = Histogram(
    "deidstream_batch_seconds",
    "Time spent on one batch, by stage: decode, detect (NLP and recognizers), anonymize (policy and encode), produce.",
    ["stage"],
    buckets=LATENCY_BUCKETS,
)
BATCH_SIZE = Histogram("deidstream_batch_size", "Messages per batch.", buckets=BATCH_SIZE_BUCKETS)
END_TO_END_SECONDS = Histogram(
    "deidstream_end_to_end_seconds",
    "From the input's broker timestamp to the broker's acknowledgement of its output.",
    buckets=LATENCY_BUCKETS,
)

# Gauges: each worker reports its own partitions; `livemax`/`livesum` drop the samples of dead processes.
CONSUMER_LAG = Gauge(
    "deidstream_consumer_lag",
    "Messages between the partition's high watermark and the worker's position (librdkafka statistics).",
    ["topic", "partition"],
    multiprocess_mode="livemax",
)
ASSIGNED_PARTITIONS = Gauge(
    "deidstream_assigned_partitions", "Input partitions assigned to the workers.", multiprocess_mode="livesum"
)
IN_FLIGHT = Gauge("deidstream_in_flight_messages", "Messages taken but not yet committed.", multiprocess_mode="livesum")
BROKER_RTT_SECONDS = Gauge(
    "deidstream_broker_rtt_seconds",
    "Average broker round-trip time (librdkafka statistics).",
    ["client"],
    multiprocess_mode="livemax",
)
# Labelled so that only a process whose consumer reported has a sample: an unlabelled gauge starts at 0 in every
# process that imports this module, the supervisor's included, and the lowest would always be 0.
BROKERS_UP = Gauge(
    "deidstream_brokers_up",
    "Kafka brokers the client has a connection up to (librdkafka statistics), the lowest of the workers; "
    "0: no broker answers.",
    ["client"],
    multiprocess_mode="livemin",
)
PRODUCER_QUEUE = Gauge(
    "deidstream_producer_queue_messages",
    "Messages waiting in the producers' queues (librdkafka statistics).",
    multiprocess_mode="livesum",
)
QUARANTINE_BRAKE_ENGAGED = Gauge(
    "deidstream_quarantine_brake_engaged",
    "1 while a worker has stopped consuming the input topic because most of its recent messages went to quarantine.",
    ["topic"],
    multiprocess_mode="livemax",
)
# The patient directory (deidstream.directory): each worker process keeps its own copy of the directory topic.
DIRECTORY_PATIENTS = Gauge(
    "deidstream_directory_patients",
    "Patients in the directory, as read from the directory topic (the largest count over live processes).",
    multiprocess_mode="livemax",
)
DIRECTORY_LAG = Gauge(
    "deidstream_directory_lag",
    "Records of the directory topic written but not yet read by a worker process (the largest over processes).",
    multiprocess_mode="livemax",
)
DIRECTORY_LOADED = Gauge(
    "deidstream_directory_loaded",
    "1 once a worker process has read the directory topic to its end at start (readiness waits for every one).",
    ["topic"],  # a label, so that only the worker processes report it (one sample each), not the supervisor
    multiprocess_mode="liveall",
)
DIRECTORY_SEEDS = Counter(
    "deidstream_directory_seeds",
    "Places in message texts where an identifier the directory knows of the message's patient was found, by type.",
    ["type"],
)
DIRECTORY_LOOKUPS = Counter(
    "deidstream_directory_lookups",
    "Messages naming a patient looked up in the directory: found, or unknown (not registered, or forgotten).",
    ["result"],
)
DIRECTORY_UPDATES = Counter(
    "deidstream_directory_updates", "Directory records acknowledged on the directory topic (new identifiers)."
)
DIRECTORY_SKIPPED = Counter(
    "deidstream_directory_skipped",
    "Messages of directory source topics whose identifiers could not be recorded, by reason.",
    ["reason"],
)
DIRECTORY_REJECTED = Counter(
    "deidstream_directory_records_rejected",
    "Records of the directory topic a worker process could not read (wrong key, corrupt), by quarantine reason.",
    ["reason"],
)

# Reported by the supervisor.
PROCESSES_ALIVE = Gauge("deidstream_processes_alive", "Worker processes alive.", multiprocess_mode="max")
MODEL_LOADED = Gauge("deidstream_model_loaded", "1 once the model is loaded and warmed up.", multiprocess_mode="max")
INFO = Gauge(
    "deidstream_info",
    "Always 1; the labels say which build, model and policy (id@version, or none) run, and the site lists detection "
    "reads by name and size (name=terms,...; none), never what they hold.",
    ["version", "model", "policy", "site_lists"],
    multiprocess_mode="max",
)
