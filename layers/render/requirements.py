"""Print the `render` extra of pyproject.toml, so the layer and the package share one list."""

import tomllib
from pathlib import Path

pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
print("\n".join(pyproject["project"]["optional-dependencies"]["render"]))
