"""The library under regviz/ never imports Streamlit: pages and ui/ do, regviz/ stays pure.

Why it matters: regviz is tested, benchmarked and used from scripts without a
Streamlit runtime, and its figures are pure functions.  The check reads every
module's source with ``ast`` instead of importing it, so an import hidden in a
function body (a lazy import) or made by name (``importlib.import_module``)
counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REGVIZ = Path(__file__).resolve().parents[1] / "regviz"
FORBIDDEN = "streamlit"


def _is_forbidden(module: str | None) -> bool:
    return module is not None and (module == FORBIDDEN or module.startswith(FORBIDDEN + "."))


def _imported_by_name(node: ast.Call) -> str | None:
    """The module of ``importlib.import_module("x")`` or ``__import__("x")``, if a literal."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def forbidden_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every import of streamlit anywhere in ``source``, as 'line N: module'."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module] if node.level == 0 else []
        elif isinstance(node, ast.Call):
            modules = [_imported_by_name(node)]
        else:
            continue
        found += [f"line {node.lineno}: {m}" for m in modules if _is_forbidden(m)]
    return found


def _modules() -> list[Path]:
    return sorted(REGVIZ.rglob("*.py"))


def test_the_library_has_modules_to_check():
    names = {path.relative_to(REGVIZ).as_posix() for path in _modules()}
    assert {"__init__.py", "api.py", "data.py", "figures/__init__.py"} <= names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(REGVIZ).as_posix())
def test_no_module_under_regviz_imports_streamlit(path: Path):
    found = forbidden_imports(path.read_text(encoding="utf-8"), str(path))
    assert not found, f"{path.relative_to(REGVIZ.parent)} imports streamlit: {found}"


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st",
        "import numpy, streamlit.components.v1",
        "from streamlit import cache_data",
        "from streamlit.runtime import exists",
        "def f():\n    if True:\n        import streamlit\n",
        "class A:\n    def m(self):\n        from streamlit import session_state\n",
        "import importlib\nst = importlib.import_module('streamlit')",
        "st = __import__('streamlit')",
    ],
)
def test_the_check_finds_streamlit_imports_wherever_they_hide(source: str):
    assert len(forbidden_imports(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "import streamlitish",
        "from regviz import streamlit_free",
        "from . import streamlit",  # a sibling module of that name, not the package
        "name = 'streamlit'",
    ],
)
def test_the_check_leaves_other_names_alone(source: str):
    assert forbidden_imports(source) == []


# --------------------------------------------------------------------------- sizes
# Issue 19's rule for a codebase a newcomer can read: no module past one sitting (600
# lines) and no function over 80 lines unless its docstring says why ("Long because ...").

ROOT = REGVIZ.parent
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
# Functions being split by the engineers editing these files; remove an entry once it is
# short (test_the_waiting_list_only_holds_long_functions fails until you do).
WAITING: set[tuple[str, str]] = set()


def _app_modules() -> list[Path]:
    """The app's own code: library, pages, ui, benchmarks, deploy tools, the entry point."""
    folders = ("regviz", "pages", "ui", "benchmarks", "deploy")
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py")) + [ROOT / "app.py"]


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """(name, lines) of every function longer than ``limit`` whose docstring does not
    say why in a sentence starting "Long because"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > limit and "Long because" not in (ast.get_docstring(node) or ""):
                found.append((node.name, lines))
    return found


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _app_modules(), ids=_rel)
def test_no_module_is_longer_than_one_sitting(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_rel(path)} has {lines} lines: split it along a seam"


@pytest.mark.parametrize("path", _app_modules(), ids=_rel)
def test_no_function_is_long_without_saying_why(path: Path):
    found = [(name, n) for name, n in long_functions(path.read_text(encoding="utf-8"))
             if (_rel(path), name) not in WAITING]
    assert not found, f"{_rel(path)}: {found} (split, or a docstring 'Long because ...')"


def test_the_waiting_list_only_holds_long_functions():
    still_long = {(_rel(p), name) for p in _app_modules()
                  for name, _ in long_functions(p.read_text(encoding="utf-8"))}
    assert not WAITING - still_long, f"now short, remove from WAITING: {WAITING - still_long}"


def test_the_length_check_counts_lines_and_accepts_a_reason():
    body = "".join(f"    x{i} = {i}\n" for i in range(81))
    assert long_functions(f"def f():\n{body}") == [("f", 82)]
    assert long_functions(f'def f():\n    """Long because of x."""\n{body}') == []
    assert long_functions(f"def f():\n{body}", limit=82) == []
