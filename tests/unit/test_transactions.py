"""One transaction per request: services flush, only the boundary (a request, a flask command)
commits."""

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "worker_app" / "services"


def test_no_service_commits():
    """A service that commits part-way would leave half a change when the rest fails."""
    found = []
    for path in sorted(SERVICES.glob("**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("commit", "rollback")):
                found.append(f"{path.name}:{node.lineno} .{node.func.attr}()")
    assert len(list(SERVICES.glob("*.py"))) > 10  # the walk looks where the services are
    assert found == []


def test_savepoints_are_made_only_through_locking_savepoint():
    """session.begin_nested() alone is a transaction of its own on SQLite when it is a request's
    first write (pysqlite begins none before SAVEPOINT), and its RELEASE commits it at once."""
    found = []
    for path in sorted(SERVICES.parent.glob("**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "begin_nested":
                found.append(str(path.relative_to(SERVICES.parent)))
    assert found == ["services/locking.py"]
