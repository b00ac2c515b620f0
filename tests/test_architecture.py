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
