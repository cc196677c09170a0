"""Remove from the render layer what the shared layer already ships (python-stdnum, urllib3, ...):
every function that has the render layer has the shared one, and two copies would only make the
layers bigger, one shadowing the other.

Usage: drop_shared.py <render layer folder> <pip's JSON report of the shared layer's install>
"""

import json
import re
import sys
from importlib.metadata import distributions
from pathlib import Path


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(folder: Path, report: Path) -> None:
    shared = {canonical(item["metadata"]["name"]) for item in json.loads(report.read_text())["install"]}
    emptied: set[Path] = set()
    for distribution in distributions(path=[str(folder)]):
        name = distribution.metadata["Name"]
        if canonical(name) not in shared:
            continue
        for file in distribution.files or ():  # its RECORD, which lists the dist-info's own files
            path = Path(str(distribution.locate_file(file)))
            if path.is_file():
                path.unlink()
                emptied.add(path.parent)
        print(f"render layer: {name} left to the shared layer")
    for emptied_directory in sorted(emptied, key=lambda path: len(path.parts), reverse=True):
        directory = emptied_directory
        while directory != folder and directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
