"""`pip install .` (not editable) gives a working tool with its built-in rules: build the wheel,
install it into a fresh virtual environment, and run it there."""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("linter", "rules"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, text=True)
    (whl,) = out.glob("followup_lint-*.whl")
    return whl


def test_wheel_ships_rules_and_schema(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    rules = [n for n in names if n.startswith("followup_lint/rules/") and n.count("/") == 2 and n.endswith(".yaml")]
    assert len(rules) == len(list((ROOT / "rules").glob("*.yaml")))
    moves = [n for n in names if n.startswith("followup_lint/rules/moves/") and n.endswith(".yaml")]
    assert len(moves) == len(list((ROOT / "rules" / "moves").glob("*.yaml")))
    assert "followup_lint/schema/rule.schema.json" in names
    assert not any(n.startswith(("tests/", "linter/")) for n in names)


def test_installed_wheel_runs_from_a_fresh_venv(wheel, tmp_path):
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    py = env / "bin" / "python"
    # The dependencies (spaCy, the model, ...) come from this environment, offline; the
    # project itself only from the wheel.  The venv's own site-packages comes first on sys.path.
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # A folder of links to this environment's packages, minus followup-lint itself (installed
    # here too, editable or not), so pip sees nothing of the project outside the wheel.
    deps = tmp_path / "deps"
    deps.mkdir()
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}:
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            if name.lower().replace("-", "_").startswith(("followup_lint", "__editable__")) or (deps / name).exists():
                continue
            (deps / name).symlink_to(Path(folder, name))
    Path(purelib, "zz_followup_lint_test_deps.pth").write_text(f"{deps}\n")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)

    where = subprocess.run([str(py), "-c", "import followup_lint; print(followup_lint.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(env)), where

    tool = env / "bin" / "followup-lint"
    listing = subprocess.run([str(tool), "rules"], capture_output=True, text=True, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    shipped = [n for n in zipfile.ZipFile(wheel).namelist()
               if n.startswith("followup_lint/rules/") and n.count("/") == 2 and n.endswith(".yaml")]
    assert len(listing.stdout.splitlines()) == len(shipped)

    good = subprocess.run([str(tool), str(ROOT / "examples" / "drafts" / "good-recovery.txt")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([str(tool), "--format", "json", str(ROOT / "examples" / "drafts" / "bad-recovery.txt")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 1, bad.stderr
    assert '"code": "FL301"' in bad.stdout
