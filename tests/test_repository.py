"""The repository itself: a fresh clone has all the tests need, and the package's imports point one way."""
from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
PACKAGE = ROOT / "linter"
SARIF_SCHEMA = TESTS / "schemas" / "sarif-schema-2.1.0.json"


def test_no_test_reads_outside_the_repository():
    """A newcomer's clone has no folder beside it: tests name only paths inside the repository."""
    outside = re.compile(r"""ROOT\.parent\b|\.parent\.parent\.parent\b|["']\.\./|["']/work/""")
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if outside.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_vendored_sarif_schema_is_the_published_one_with_its_source_noted():
    data = SARIF_SCHEMA.read_bytes()
    readme = (TESTS / "schemas" / "README.md").read_text("utf-8")
    assert hashlib.sha256(data).hexdigest() in readme  # the file is the one the note describes
    assert "oasis-tcs/sarif-spec" in readme and "OASIS" in readme and "licence" in readme.lower()
    schema = json.loads(data)
    assert schema["$id"].endswith("/sarif-schema-2.1.0.json")


def _module_graph() -> dict[str, set[str]]:
    """Intra-package imports, those inside functions included: module -> modules it imports."""
    pkg = "followup_lint"
    mods = {}
    for p in PACKAGE.rglob("*.py"):
        parts = [pkg, *p.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = p
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        base = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets = [target] + [f"{target}.{a.name}" for a in node.names]
            else:
                continue
            graph[mod] |= {t for t in targets if t in mods and t != mod and not mod.startswith(t + ".")}
    return graph


def test_the_package_has_no_import_cycles():
    graph = _module_graph()
    cycles = []
    for start in graph:  # a module that can reach itself again is on a cycle
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m == start:
                cycles.append(start)
                break
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
    assert cycles == []
