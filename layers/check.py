"""What `make build` checks of the two layers it built, run with python3.13: their unzipped sizes
(printed, and together under Lambda's 250 MB with room for the functions: 100 MB), no distribution
in both, bytecode for every module, and that what was trimmed away is nothing the code uses: a
client for each AWS service the functions call, Babel's formats in each printed locale, the VAT
numbers of every member state.

Usage: check.py <sam build folder>
"""

import os
import re
import subprocess
import sys
from importlib.metadata import distributions
from pathlib import Path

LIMIT_MB = 100
ROOT = Path(__file__).resolve().parents[1]


def size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def make_variable(name: str) -> list[str]:
    text = (ROOT / "layers" / "lambda.mk").read_text()
    match = re.search(rf"^{name} := (.+)$", text, re.MULTILINE)
    if match is None:
        raise SystemExit(f"{name} is not in layers/lambda.mk")
    return match[1].split()


def names(folder: Path) -> set[str]:
    return {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower() for d in distributions(path=[str(folder)])}


def main(built: Path) -> None:
    built = built.resolve()
    shared, render = built / "SharedLayer" / "python", built / "RenderLayer" / "python"
    sizes = {"shared": size_mb(shared), "render": size_mb(render)}
    for layer, size in sizes.items():
        print(f"{layer} layer: {size:.1f} MB unzipped")
    if sum(sizes.values()) >= LIMIT_MB:
        raise SystemExit(f"the layers come to {sum(sizes.values()):.1f} MB, over {LIMIT_MB} MB")
    if both := names(shared) & names(render):
        raise SystemExit(f"in both layers: {', '.join(sorted(both))}")
    tag = sys.implementation.cache_tag
    for layer in (shared, render):
        missing = [
            p for p in layer.rglob("*.py") if not (p.parent / "__pycache__" / f"{p.stem}.{tag}.pyc").exists()
        ]
        if missing:
            raise SystemExit(f"{len(missing)} modules without {tag} bytecode, such as {missing[0]}")
    # boto3, botocore and Babel are pure Python: they run here from the arm64 layer as they are.
    probe = f"""
import datetime, decimal
import boto3, babel.dates, babel.numbers
from stdnum.eu import vat
from stdnum.fr import siren, siret
for service in {make_variable("BOTOCORE_SERVICES")!r}:
    boto3.client(service, region_name="eu-west-3", aws_access_key_id="x", aws_secret_access_key="x")
for locale in ("fr_FR", "en_GB"):
    babel.numbers.format_currency(decimal.Decimal("1234.50"), "EUR", locale=locale)
    babel.dates.format_date(datetime.date(2026, 12, 1), format="long", locale=locale)
for country in vat.MEMBER_STATES:
    vat._get_cc_module(country)
assert vat.is_valid("FR44732829320") and siren.is_valid("732829320") and siret.is_valid("73282932000074")
"""
    environment = {"PATH": os.environ.get("PATH", "")}
    subprocess.run(  # noqa: S603 - this interpreter, on a probe of ours
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(shared)!r})\n{probe}"],
        check=True,
        env=environment,
    )
    print("layers: the AWS clients and the printed locales load from what was kept")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
