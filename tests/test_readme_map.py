"""The README's "How it works" map matches the tree: every module is in it, and everything in it exists.

The map is a code block of ``name  job`` lines, indented two spaces per folder
level; a line may name several files (``a.py, b.py``, continued on the next
line after a trailing comma), and ``#`` lines describe the group below them.
"""
import re

from support.environment import ROOT

PACKAGE = ROOT / "taskflask"


def map_block():
    """The code block under the README's "How it works" heading."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## How it works\n", 1)[1]
    return section.split("```\n", 2)[1]


def mapped_paths():
    """Every path the map names, relative to the repository root (folders end with /)."""
    paths, folders = [], []  # folders: (indent, path) of the folders enclosing the current line
    for line in map_block().splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = folders[-1][1] if folders else ""
        names = [name.strip() for name in re.split(r"\s{2,}", text, maxsplit=1)[0].split(",") if name.strip()]
        paths += [parent + name for name in names]
        if len(names) == 1 and names[0].endswith("/"):
            folders.append((indent, parent + names[0]))
    return paths


def package_contents():
    """Every module (an __init__.py counts as its package's folder) and package under taskflask/."""
    contents = {"taskflask/"}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if "__pycache__" in relative.parts:
            continue
        contents.add(f"{relative.parent}/" if path.name == "__init__.py" else str(relative))
    return contents


def test_the_map_names_every_module_and_package():
    missing = package_contents() - set(mapped_paths())
    assert not missing, f"add to README.md's map: {sorted(missing)}"


def test_everything_the_map_names_exists():
    gone = [path for path in mapped_paths() if not (ROOT / path).exists()]
    assert not gone, f"README.md's map names what does not exist: {gone}"


def test_the_map_names_each_path_once():
    paths = mapped_paths()
    assert len(paths) == len(set(paths)), sorted({path for path in paths if paths.count(path) > 1})
