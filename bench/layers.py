"""The two layers' unzipped sizes, as `make build` made them (`make bench` builds first), against
the 100 MB both must stay under together (layers/check.py fails the build past it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / ".aws-sam" / "build"


def measure() -> list[tuple[str, str, str, str]]:
    spec = importlib.util.spec_from_file_location("layer_check", ROOT / "layers" / "check.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("layers/check.py is missing")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    sizes = {
        layer: check.size_mb(BUILT / f"{layer.title()}Layer" / "python") for layer in ("shared", "render")
    }
    rows = [
        (
            f"{layer} layer, unzipped",
            f"{size:.1f} MB",
            f"{size / check.LIMIT_MB:.2f}",
            f"of the {check.LIMIT_MB} MB both share",
        )
        for layer, size in sizes.items()
    ]
    total = sum(sizes.values())
    rows.append(
        (
            "both layers, unzipped",
            f"{total:.1f} MB",
            f"{total / check.LIMIT_MB:.2f}",
            "154 MB before issue 13",
        )
    )
    return rows
