"""The patient directory: what registration messages said about each patient, kept on a compacted topic.

Registration and demographics (ADT^A01/A04/A08, FHIR Patient and RelatedPerson)
arrive on directory source topics; the names, record numbers, phones, e-mails,
streets, towns and birth dates their fields give are merged into the patient's
entry and written to the directory topic, keyed by a keyed token of the patient
key and encrypted (`codec`). Every worker process reads that topic to its end at
start and follows it (`follower`) into a local store (`store`, an SQLite file, like
a Kafka Streams state store and its changelog); a later message that names its
patient, in any format, is then searched for what the directory knows of them
(`local`). `feed` merges new identifiers into an entry; `registry` reads a registry
export and `commands` load, forget and count from the command line.
"""
