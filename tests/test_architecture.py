"""The shape of the code: imports point one way (ingest ← index ← library ← ui), also between the rooms of index.

A package whose `__init__` imported its own modules while they imported it back formed a cycle;
two Streamlit sessions importing the project for the first time at once then met a
half-initialised module (ImportError, no chat box). `ingest` and `library` re-export on first use;
`index` and `ui` re-export plainly, their modules importing each other module by module, never
the package; these tests keep both ways free of cycles.
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
# `python -m ingest` is the documented command; its entry point runs the library's CLI. `python -m index`
# finds its index where the library setting says (library/paths.py), as every command does.
ENTRY_POINTS = {Path("ingest/__main__.py"): {"library"}, Path("index/__main__.py"): {"library"}}
LAZY_PACKAGES = ("ingest",)
PLAIN_PACKAGES = ("index", "ui", "library")
# The rooms of index/ and what each may import of index (itself included); the top-level modules
# (searcher, builder, loader, __main__) put the rooms together. docs/ARCHITECTURE.md draws it.
INDEX_ROOMS: dict[str, set[str]] = {
    "errors": {"errors"},
    "models": {"models"},
    "text": {"text"},
    "lexical": {"lexical", "text"},
    "dense": {"dense", "errors"},
    "store": {"store", "dense", "lexical", "text", "decline", "errors", "models"},
    "decline": {"decline", "text", "lexical", "dense", "models", "errors", "reading"},
    "reading": {"reading", "text", "decline", "models"},
    "search": {"search", "dense", "lexical", "store", "decline", "reading", "text", "models", "errors"},
}


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


def _plain_exports(package: str) -> tuple[ast.Module, dict[str, str], list[str]]:
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    exported: dict[str, str] = {}
    listed: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            assert node.module and node.module.startswith(package + "."), f"{package} re-exports from its modules only"
            exported.update({alias.asname or alias.name: node.module for alias in node.names})
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            listed = ast.literal_eval(node.value)
    return tree, exported, listed


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_a_package_re_exports_its_names_plainly(package: str) -> None:
    tree, exported, listed = _plain_exports(package)
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef)], "no __getattr__: plain re-exports"
    assert sorted(listed) == sorted(exported), "__all__ names exactly what is imported"
    folder = ROOT / package
    submodules = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir() if p.is_dir()}
    # A submodule of the same name would replace the export once imported (index.build vs index/build.py).
    assert not set(exported) & submodules


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_every_plain_export_is_what_its_module_defines(package: str) -> None:
    _, exported, _ = _plain_exports(package)
    code = (
        f"import importlib, {package}\n"
        f"for name, module in {exported!r}.items():\n"
        f"    assert getattr({package}, name) is getattr(importlib.import_module(module), name), name\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def _room(path: Path) -> str:
    parts = path.relative_to(ROOT / "index").with_suffix("").parts
    return parts[0]


def test_the_rooms_of_index_import_one_way() -> None:
    wrong = []
    for path in _modules("index"):
        room = _room(path)
        if room not in INDEX_ROOMS:
            continue  # the facade: searcher, builder, loader, the package and its command
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "index":
                modules = [f"index.{alias.name}" for alias in node.names]  # `from index import store`
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            for module in modules:
                parts = module.split(".")
                if parts[0] != "index":
                    continue
                if len(parts) == 1 or parts[1] not in INDEX_ROOMS[room]:
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, wrong


@pytest.mark.parametrize("package", ("library",))
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


# The chat is served by `python -m ui.serve` (`make run`), which imports `index` and `ui` (plain
# re-exports: every module of theirs) in its main thread before the web server starts. Then every
# session thread imports one of the modules the app's pages and sessions start from, all at once.
_RACE = """
import importlib, sys, threading
import index, ui  # what `python -m ui.serve` has imported before the first session starts
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
    "library,ui.article_edits,ingest.corpus,ui,ingest,index.store,ui.editor_gate"
)


def test_parallel_first_imports_after_the_server_s_own_never_see_a_half_initialised_module() -> None:
    # When package and modules imported each other lazily-unsafe, 12 of 12 such runs failed
    # (ImportError: cannot import name 'MODES' from partially initialized module 'index.searcher').
    for _ in range(6):
        done = subprocess.run(
            [sys.executable, "-c", _RACE, _ENTRY_MODULES], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]


def test_the_server_imports_index_and_ui_before_it_serves() -> None:
    # The guarantee the test above relies on: ui.serve's first imports (in its main thread) load both packages.
    code = (
        "import sys; import ui.serve; "
        "assert 'index.searcher' in sys.modules and 'ui.chat' in sys.modules, sorted(sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
