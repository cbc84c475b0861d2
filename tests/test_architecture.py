"""The shape of the code: imports point one way (ingest ← index ← library ← ui), and packages import lazily.

A package whose `__init__` imported its own modules formed a cycle with them; two Streamlit sessions
importing the project for the first time at once then met a half-initialised module (ImportError,
no chat box). The packages now re-export on first use and these tests keep it that way.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "index", "library", "ui", "eval", "bench")
# What each package may import of the project (itself included). Everything else is a dependency
# against the grain: ingest knows files and passages, index searches them, library changes them,
# ui shows them; eval and bench measure from the side (bench times the library's build on eval's articles).
ALLOWED: dict[str, set[str]] = {
    "ingest": {"ingest"},
    "index": {"ingest", "index"},
    "library": {"ingest", "index", "library"},
    "ui": {"ingest", "index", "library", "ui"},
    "eval": {"ingest", "index", "library", "eval"},
    "bench": {"ingest", "index", "library", "eval", "bench"},
}
# `python -m ingest` is the documented command; its entry point runs the library's CLI.
ENTRY_POINTS = {Path("ingest/__main__.py"): {"library"}}
LAZY_PACKAGES = ("ingest", "index", "ui")
# Packages that import what they re-export, plainly, so a reader and a tool see what depends on what.
PLAIN_PACKAGES = ("library",)


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported_packages(tree: ast.AST) -> set[str]:
    """Top-level project packages imported anywhere in a module (function bodies included)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in PACKAGES)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str) -> None:
    wrong = []
    for path in _modules(package):
        relative = path.relative_to(ROOT)
        allowed = ALLOWED[package] | ENTRY_POINTS.get(relative, set())
        against = _imported_packages(ast.parse(path.read_text(encoding="utf-8"))) - allowed
        if against:
            wrong.append(f"{relative} imports {sorted(against)}")
    assert not wrong, wrong


def _exports(package: str) -> tuple[ast.Module, dict[str, str], set[str]]:
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    typed: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "_EXPORTS":
            assert isinstance(node.value, ast.Dict)
            pairs = zip(node.value.keys, node.value.values, strict=True)
            mapping = {ast.literal_eval(key): ast.literal_eval(value) for key, value in pairs if key is not None}
        if isinstance(node, ast.If):  # the `if TYPE_CHECKING:` block
            for inner in node.body:
                assert isinstance(inner, ast.ImportFrom)
                typed.update(alias.asname or alias.name for alias in inner.names)
    return tree, mapping, typed


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_a_package_imports_none_of_its_modules_when_imported(package: str) -> None:
    tree, mapping, typed = _exports(package)
    runtime = [
        node for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "module", None) != "__future__"
    ]
    assert {getattr(n, "module", None) for n in runtime} <= {"importlib", "typing"}, "only import_module and typing"
    assert mapping and typed == set(mapping), "the type checkers' names and the lazy exports must be the same"
    folder = ROOT / package
    submodules = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir() if p.is_dir()}
    # A submodule of the same name would replace the export once imported (index.build vs index/build.py).
    assert not set(mapping) & submodules


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_export_resolves_to_what_its_module_defines(package: str) -> None:
    code = (
        f"import importlib, {package}\n"
        f"for name, module in {package}._EXPORTS.items():\n"
        f"    assert getattr({package}, name) is getattr(importlib.import_module(module), name), name\n"
        f"assert sorted({package}.__all__) == sorted({package}._EXPORTS)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_a_plain_package_imports_what_it_exports_and_nothing_lazily(package: str) -> None:
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"]
    imported: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            assert node.module and node.module.startswith(f"{package}."), "re-exports of its own modules only"
            imported.update(alias.asname or alias.name for alias in node.names)
    exported = next(
        ast.literal_eval(n.value) for n in tree.body
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
    )
    assert sorted(exported) == sorted(imported)


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_the_app_imports_a_plain_package_whole_never_one_of_its_modules(package: str) -> None:
    # A thread importing `library.add` takes that module's lock before its package's; another thread
    # initialising `library` (which imports library.add) then waits for it: a deadlock Python breaks
    # with an ImportError. Importing the package itself is serialised by one lock, so it is safe.
    wrong = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *_modules("ui")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            wrong += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(f"{package}.")]
    assert not wrong, wrong


# Every thread imports one of the modules the app's pages and sessions start from, all at once.
_RACE = """
import importlib, sys, threading
names = sys.argv[1].split(",")
start = threading.Barrier(len(names))
errors = []
def first_import(name):
    start.wait()
    try:
        importlib.import_module(name)
    except Exception as exc:
        errors.append(f"{name}: {type(exc).__name__}: {exc}")
threads = [threading.Thread(target=first_import, args=(n,)) for n in names]
for t in threads: t.start()
for t in threads: t.join()
print("\\n".join(errors))
sys.exit(1 if errors else 0)
"""
_ENTRY_MODULES = (
    "index.searcher,ui.chat,index.errors,ui.cards,index,ui.upload,ui.loading,index.models,"
    "library,ui.article_edits,ingest.corpus,ui,ingest,index.store"
)


def test_parallel_first_imports_in_fresh_interpreters_never_see_a_half_initialised_module() -> None:
    # Before the packages imported lazily, 12 of 12 such runs failed (ImportError: cannot import
    # name 'MODES' from partially initialized module 'index.searcher').
    for _ in range(6):
        done = subprocess.run(
            [sys.executable, "-c", _RACE, _ENTRY_MODULES], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]
