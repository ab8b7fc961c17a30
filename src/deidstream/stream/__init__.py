"""The Kafka loop: consume a batch, run it through decode -> detect -> anonymize -> encode, produce, commit.

Everything that knows about partitions, offsets, delivery and the quarantine topic
lives here; the steps it drives (formats, detection, anonymization) know nothing of Kafka.
"""
