"""The shape of the code: files with one job, and blueprints that don't lean on each other."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "worker_app"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_python_file_in_worker_app_is_over_400_lines():
    """A file over about 400 lines is doing more than one job: it is slow to read and to review,
    and when several people change it at once their changes collide. Split it by job (a
    package with one module each, names re-exported from its __init__) before it grows."""
    files = sorted(APP.rglob("*.py"))
    assert len(files) > 50  # the walk looks where the code is
    too_long = {str(p.relative_to(ROOT)): n for p in files
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not too_long, f"over {MAX_LINES} lines: {too_long}"


def _views_modules() -> dict[str, Path]:
    """The modules that make a blueprint (call Blueprint(...)): each blueprint's views."""
    found = {}
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Blueprint"
               for node in ast.walk(tree)):
            found[_module_name(path)] = path
    return found


def _package(path: Path) -> str:
    return _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]


def _imported(source: str, package: str) -> set[str]:
    """Every module an import in this source may name, at any depth (function bodies too)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)  # from ..x import views
    return names


def test_no_blueprint_imports_another_blueprints_views():
    """Page helpers two blueprints share live in worker_app/pages.py (or a service), so a
    blueprint can change without breaking another's pages."""
    views = _views_modules()
    assert {"worker_app.today.views", "worker_app.support.views", "worker_app.staff.library"} <= set(views)
    leaning = {name: sorted(set(views) & (_imported(path.read_text(encoding="utf-8"), _package(path)) - {name}))
               for name, path in views.items()}
    assert not {name: others for name, others in leaning.items() if others}


def test_the_import_walk_sees_a_views_import():
    """The check above can fail: imports of another blueprint's views, relative or absolute,
    at the top or inside a function."""
    assert "worker_app.today.views" in _imported("def f():\n    from ..today.views import bp\n",
                                                 "worker_app.support")
    assert "worker_app.today.views" in _imported("from ..today import views\n", "worker_app.support")
    assert "worker_app.today.views" in _imported("import worker_app.today.views\n", "worker_app.support")
    assert "worker_app.pages" in _imported("from ..pages import day_context\n", "worker_app.support")


def test_templates_ask_can_never_the_role():
    """Who sees what is decided by policy.can(), in one place: a template asks can(Action.X)."""
    asking = [f"{p.relative_to(ROOT)}: {m.group(0)}"
              for p in sorted((ROOT / "templates").rglob("*.html"))
              for m in re.finditer(r"\.is_staff\b|\.role\s*(?:==|!=|in\b)", p.read_text(encoding="utf-8"))]
    assert not asking
