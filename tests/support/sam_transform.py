"""template.yaml as CloudFormation's SAM transform expands it, by AWS's own translator. It runs in SAM
CLI's venv (`.venv-sam`, which `make test` makes): the translator pins a pydantic of its own, which
would change the OpenAPI document that ours generates.

Run as a script, it prints the expanded resources as JSON.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAM_PYTHON = ROOT / ".venv-sam" / "bin" / "python"


def expanded_resources() -> dict[str, Any]:
    output = subprocess.run(
        [str(SAM_PYTHON), "-I", __file__, str(ROOT / "template.yaml")],  # -I: not this folder on sys.path
        capture_output=True,
        text=True,
        check=True,
        env={"AWS_DEFAULT_REGION": "eu-west-3", "PATH": ""},
    ).stdout
    resources: dict[str, Any] = json.loads(output)
    return resources


def _expand(template: Path) -> dict[str, Any]:
    from samtranslator.translator.transform import transform  # noqa: PLC0415 - SAM's venv only
    from samtranslator.yaml_helper import yaml_parse  # noqa: PLC0415

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    # The translator wants packaged code; where it lives changes nothing of what calls what.
    text = re.sub(r"(CodeUri|ContentUri): \S+", r"\1: s3://artifacts/code.zip", template.read_text())
    resources: dict[str, Any] = transform(yaml_parse(text), {}, NoManagedPolicies())["Resources"]
    return resources


if __name__ == "__main__":
    print(json.dumps(_expand(Path(sys.argv[1]))))
