"""The import rules in pyproject.toml (`[tool.importlinter]`): layers one way, no cycles anywhere.

The rules are checked on the real tree, and on a copy with one bad import added, so a
rule that silently stopped matching anything would fail here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over the `deidstream` package found first in `tree`'s `src/`, with the project's rules."""
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_rules_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "bad_import", "broken_rule"),
    [
        ("detection/chunking.py", "import deidstream.detection.engine", "No cycles"),
        ("anonymization/spans.py", "import deidstream.anonymization.anonymizer", "No cycles"),
        ("detection/engine.py", "import deidstream.stream.worker", "Layers"),
        ("stream/pipeline.py", "import deidstream.tools.synthetic", "Layers"),
        # a recognizer reading another's constants, a veto reading a recognizer's, a lexicon reading the base
        (
            "detection/recognizers/names/phone_owner_name.py",
            "import deidstream.detection.recognizers.contacts.phone",
            "never import each other",
        ),
        (
            "detection/vetoes/function_word.py",
            "import deidstream.detection.vetoes.clinical_term",
            "never import each other",
        ),
        ("detection/vetoes/measurement.py", "import deidstream.detection.recognizers.dates.clinical_date", "Detection"),
        ("detection/lexicons/titles.py", "import deidstream.detection.base.veto", "Detection"),
        ("detection/recognizers/dates/age_over_89.py", "import deidstream.detection.presidio_adapter", "never on the"),
        ("tools/evaluation.py", "import deidstream.review.store", "Layers"),
    ],
)
def test_an_injected_cycle_or_upward_import_breaks_the_rules(
    tmp_path: Path, module: str, bad_import: str, broken_rule: str
) -> None:
    shutil.copytree(
        ROOT / "src" / "deidstream", tmp_path / "src" / "deidstream", ignore=shutil.ignore_patterns("model")
    )
    with (tmp_path / "src" / "deidstream" / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{bad_import}\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{broken_rule}" in result.stdout.split("Broken contracts", 1)[1]
