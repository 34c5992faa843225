"""The command line: argument handling and exit codes only; linting lives in the engine.

    followup-lint [check] [OPTIONS] PATH...   lint drafts (the default command)
    followup-lint rules                      list the rules
    followup-lint explain CODE|ID            a rule's description and examples

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage,
configuration or input errors.
"""
from __future__ import annotations

import sys

import click

from . import __version__
from .errors import LintError
from .model import SEVERITIES, severity_rank

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultGroup(click.Group):
    """``followup-lint draft.txt`` means ``followup-lint check draft.txt``."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"followup-lint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _size(value: str) -> int:
    from .sources import parse_size

    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _split(values) -> list[str]:
    return [v for item in values for v in item.split(",") if v.strip()]


def _load(rules_dirs, select, ignore):
    from .engine import select_rules, unknown_selectors
    from .loader import load_rules

    rules = load_rules(rules_dirs)
    unknown = unknown_selectors(rules, select + ignore)
    if unknown:
        raise LintError(None, f"no rule matches {', '.join(map(repr, unknown))} "
                              "(use a code such as FL301, a prefix such as FL3, or a rule id)")
    return select_rules(rules, select, ignore)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="followup-lint")
def main():
    """A linter for the follow-up email you write after a job interview that went badly."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (FL3) or ids, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or ids, comma-separated.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm if installed).")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load the YAML rules in DIR (repeatable).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--show-source/--no-show-source", default=True, show_default=True,
              help="Show the line under each finding with the span underlined.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--stdin-filename", metavar="NAME", help="The name to report for a draft read from stdin (-).")
@click.option("--max-file-size", "max_file_size", default="1MB", show_default=True, metavar="SIZE",
              callback=lambda ctx, param, value: _size(value),
              help="Skip (with an error) drafts larger than this: bytes, or with k/MB.")
def check(paths, fmt, select, ignore, fail_on, model, rules_dirs, color, show_source, quiet, stdin_filename,
          max_file_size):
    """Lint drafts: files, directories (searched for .txt, .md, .eml, .html) or - for stdin."""
    from .engine import FileResult, Linter, iter_results
    from .report import ReportOptions, writer
    from .sources import discover, read_stdin

    if not paths:
        raise click.UsageError("give at least one draft, directory, or - for stdin")
    try:
        rules = _load(rules_dirs, _split(select), _split(ignore))
        linter = Linter(rules, model=model)
    except LintError as exc:
        raise _fail(str(exc))

    files, missing = discover(list(paths))
    results: list[FileResult] = [FileResult(e.path, errors=[e]) for e in missing]
    try:
        disk = [f for f in files if f != "-"]
        if "-" in files:
            name = stdin_filename or "<stdin>"
            try:
                results.extend(linter.lint_drafts([read_stdin(sys.stdin.buffer, name, max_bytes=max_file_size)]))
            except LintError as exc:
                results.append(FileResult(name, errors=[exc]))
        results.extend(iter_results(linter, disk, max_bytes=max_file_size))
    except LintError as exc:  # the model or a rule failed for every file
        raise _fail(str(exc))

    use_color = color == "always" or (color == "auto" and fmt == "text" and sys.stdout.isatty())
    options = ReportOptions(color=use_color, show_source=show_source, quiet=quiet, tool_version=__version__)
    writer(fmt)(results, sys.stdout, options)
    for r in results:
        for e in r.errors:
            click.echo(f"followup-lint: error: {e}", err=True)
        if r.draft is not None and not quiet:
            for note in r.draft.notes:
                click.echo(f"followup-lint: note: {r.path}: {note}", err=True)

    if any(r.errors for r in results):
        sys.exit(EXIT_ERROR)
    threshold = severity_rank(fail_on)
    failing = any(severity_rank(f.severity) >= threshold for r in results for f in r.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


@main.command("rules")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rules_dirs, fmt):
    """List the rules: code, id, severity, the advice each enforces."""
    import json

    try:
        rules = _load(rules_dirs, [], [])
    except LintError as exc:
        raise _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "id": r.id, "name": r.name, "severity": r.severity,
                                "kind": r.kind, "scope": r.scope, "advice": r.advice} for r in rules], indent=2))
        return
    wid = max(len(r.id) for r in rules) if rules else 0
    for r in rules:
        click.echo(f"{r.code}  {r.id:<{wid}}  {r.severity:<7}  {r.advice:<18}  {r.name}")


@main.command()
@click.argument("rule")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR")
def explain(rule, rules_dirs):
    """Show what a rule checks, why, and its examples."""
    try:
        rules = _load(rules_dirs, [], [])
    except LintError as exc:
        raise _fail(str(exc))
    found = [r for r in rules if r.code == rule.upper() or r.id == rule]
    if not found:
        raise _fail(f"no rule {rule!r}; `followup-lint rules` lists them")
    r = found[0]
    click.echo(f"{r.code} {r.id}: {r.name}")
    click.echo(f"severity: {r.severity}    advice: {r.advice}    kind: {r.kind}    scope: {r.scope}\n")
    click.echo(r.description + "\n")
    for label, key in (("Drafts that trigger it", "fail"), ("Drafts that pass", "pass")):
        click.echo(f"{label}:")
        for ex in r.examples.get(key, []):
            lines = ex.strip().splitlines() or [""]
            click.echo("  - " + lines[0])
            for ln in lines[1:]:
                click.echo("    " + ln)
        click.echo("")


@main.command()
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (FL3) or ids, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or ids, comma-separated.")
@click.option("--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm if installed).")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load the YAML rules in DIR (repeatable).")
def lsp(select, ignore, model, rules_dirs):
    """Run the language server over stdio (for editors; see the README)."""
    from .engine import Linter

    try:
        linter = Linter(_load(rules_dirs, _split(select), _split(ignore)), model=model)
    except LintError as exc:
        raise _fail(str(exc))
    try:
        from .lsp import serve
    except ImportError as exc:  # pragma: no cover - pygls is a dependency
        raise _fail(f"the language server needs pygls ({exc}); pip install 'pygls>=2.1'")
    serve(lambda path: linter)


if __name__ == "__main__":  # pragma: no cover
    main()
