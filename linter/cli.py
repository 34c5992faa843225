"""The command line: it parses arguments, hands them to the run layer (``run.py``) and prints what comes back.

    followup-lint [check] [OPTIONS] PATH...   lint drafts (the default command)
    followup-lint rules                      list the rules
    followup-lint explain CODE|ID            a rule's description and examples

Exit codes (:class:`~.run.ExitStatus`): 0 nothing at or above --fail-on, 1
something is, 2 usage, configuration or input errors.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click

from . import progress as progress_bar
from .engine import Linter
from .errors import LintError
from .fixes import unified_diff
from .loader import load_rules
from .model import SEVERITIES
from .report import USER_FORMATS
from .run import ExitStatus, RunOptions, Session, report_options, write_report
from .selftest import run_examples
from .sources import parse_size
from .version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = ExitStatus.SUCCESS, ExitStatus.FAILURE, ExitStatus.ERROR
# --statistics prints a table: as text, or as JSON for scripts; other formats have no table shape.
STATISTICS_FORMATS = ("text", "concise", "grouped", "json")


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
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _split(values) -> list[str]:
    return [v for item in values for v in item.split(",") if v.strip()]


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="followup-lint")
def main():
    """A linter for the follow-up email you write after a job interview that went badly."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(USER_FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--output-file", "-o", "output_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the report to FILE instead of standard output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Use this configuration file for every draft (default: the nearest .followup-lint.yaml "
                   "or pyproject.toml [tool.followup-lint] above each draft).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (FL3) or ids, comma-separated.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="These rules in addition to the selected ones.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or ids, comma-separated.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding is at or above this severity.  [default: error]")
@click.option("--templates/--drafts", "templates", default=None,
              help="Template mode (placeholders expected) or draft mode (a leftover placeholder is an error). "
                   "[default: drafts, or `templates:` from the configuration]")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule produced instead of the findings.")
@click.option("--checklist", is_flag=True,
              help="Print each draft's checklist of the article's moves (present, missing, violated) and its figures.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record every current finding in FILE (then use --baseline FILE) and exit 0.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, also apply the suggested rewordings.")
@click.option("--diff", is_flag=True,
              help="Show the fixes (safe ones and suggestions) as a unified diff without writing; exit 1 if there are any.")
@click.option("--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm if installed).")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load the YAML rules in DIR (repeatable).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--show-source/--no-show-source", default=True, show_default=True,
              help="Show the line under each finding with the span underlined.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--stdin-filename", metavar="NAME", help="The name to report for a draft read from stdin (-).")
@click.option("--max-file-size", "max_file_size", default="256kB", show_default=True, metavar="SIZE",
              callback=lambda ctx, param, value: _size(value),
              help="Skip (with an error) drafts larger than this: bytes, or with k/MB.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Lint in N processes (default: the number of cores; one for a few files).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache of results.")
@click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Where to keep the cache (default: $FOLLOWUP_LINT_CACHE_DIR, else .followup_lint_cache "
                   "beside --config FILE, else here).")
def check(paths, fmt, output_file, config_path, select, extend_select, ignore, fail_on, templates, statistics,
          checklist, baseline_path, write_baseline_path, fix, unsafe_fixes, diff, model, rules_dirs, color,
          show_source, quiet, stdin_filename, max_file_size, jobs, no_cache, cache_dir):
    """Lint drafts: files, directories (searched for .txt, .md, .eml, .html) or - for stdin."""
    if not paths:
        raise click.UsageError("give at least one draft, directory, or - for stdin")
    if statistics and fmt not in STATISTICS_FORMATS:
        raise click.UsageError(f"--statistics prints a table as text or as JSON (--format json); "
                               f"--format {fmt} has no such table")
    options = RunOptions(config=config_path, select=tuple(_split(select)), extend_select=tuple(_split(extend_select)),
                         ignore=tuple(_split(ignore)), fail_on=fail_on, model=model, templates=templates,
                         rules_dirs=tuple(rules_dirs), max_bytes=max_file_size, jobs=jobs, cache=not no_cache,
                         cache_dir=cache_dir, stdin_filename=stdin_filename, baseline=baseline_path,
                         write_baseline=write_baseline_path)
    try:
        session = Session(options)
        if fix or diff:
            done = session.fix(paths, unsafe=unsafe_fixes, diff=diff, stdin=sys.stdin.buffer)
        else:
            run = session.check(paths, stdin=sys.stdin.buffer, progress=lambda stream, total: progress_bar.progress(
                stream, total, enabled=progress_bar.wanted(fmt, total)))
    except LintError as exc:  # a configuration, the rules or the model cannot be loaded: nothing was linted
        raise _fail(str(exc))
    if fix or diff:
        sys.exit(_print_fixes(done, quiet=quiet))

    if run.baseline_written is not None:
        n = run.baseline_written
        click.echo(f"followup-lint: wrote {n} finding{'s' if n != 1 else ''} to {write_baseline_path}; "
                   f"use --baseline {write_baseline_path} to report only new ones", err=True)
        sys.exit(run.exit_status)
    if run.stale_baseline and not quiet:
        stale = run.stale_baseline
        click.echo(f"followup-lint: note: {stale} baseline entr{'ies' if stale != 1 else 'y'} in {baseline_path} "
                   "no longer match anything; refresh it with --write-baseline", err=True)

    to_terminal = output_file is None and sys.stdout.isatty()
    use_color = color == "always" or (color == "auto" and fmt == "text" and to_terminal)
    report = "statistics" if statistics else "checklist" if checklist else fmt
    try:
        out = open(output_file, "w", encoding="utf-8", newline="") if output_file else sys.stdout
    except OSError as exc:
        raise _fail(f"{output_file}: cannot be written ({exc.strerror or exc})")
    with out if output_file else contextlib.nullcontext(out):
        write_report(report, run, out, report_options(run.rules, fmt, color=use_color, show_source=show_source,
                                                      quiet=quiet))
    for r in run.results:
        for e in r.errors:
            click.echo(f"followup-lint: error: {e}", err=True)
        if r.draft is not None and not quiet:
            for note in r.draft.notes:
                click.echo(f"followup-lint: note: {r.path}: {note}", err=True)
    sys.exit(run.exit_status)


def _print_fixes(done, *, quiet: bool) -> int:
    """--fix / --diff: the diff or the fixed stdin draft on stdout, notes and a summary on stderr."""
    for e in done.errors:
        click.echo(f"followup-lint: error: {e}", err=True)
    for outcome in done.outcomes:
        if done.diff and outcome.changed:
            sys.stdout.write(unified_diff(outcome))
        elif not done.diff and outcome is done.stdin:
            sys.stdout.write(outcome.fixed)
        if not quiet:
            for f, why in outcome.refused:
                click.echo(f"followup-lint: note: {f.path}:{f.line}:{f.column}: {f.code} not fixed ({why})", err=True)
    if not quiet:
        verb = "would fix" if done.diff else "fixed"
        noun = "draft" if done.changed == 1 else "drafts"
        msg = f"followup-lint: {verb} {done.applied} problem{'s' if done.applied != 1 else ''} in {done.changed} {noun}"
        if done.withheld:
            msg += (f"; {done.withheld} suggested rewording{'s' if done.withheld != 1 else ''} not applied "
                    "(add --unsafe-fixes)")
        click.echo(msg + ".", err=True)
    return done.exit_status


@main.command("rules")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rules_dirs, fmt):
    """List the rules: code, id, severity, the advice each enforces."""
    try:
        rules = load_rules(rules_dirs)
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
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Show the rule as this configuration sets it (default: the nearest .followup-lint.yaml "
                   "above the current directory).")
def explain(rule, rules_dirs, config_path):
    """Show what a rule checks, why, its thresholds as configured here, and its examples."""
    from .config import ConfigResolver

    try:
        found = [r for r in load_rules(rules_dirs) if r.code == rule.upper() or r.id == rule]
        if not found:
            raise _fail(f"no rule {rule!r}; `followup-lint rules` lists them")
        # as the configuration in force sets it (a rule it turns off is still explained, as shipped)
        r = ConfigResolver(config_path).for_path(os.getcwd()).configured(found[0]) or found[0]
    except LintError as exc:
        raise _fail(str(exc))
    click.echo(f"{r.code} {r.id}: {r.name}")
    click.echo(f"severity: {r.severity}    advice: {r.advice}    kind: {r.kind}    scope: {r.scope}\n")
    click.echo(r.description + "\n")
    if r.kind == "move":
        from .moves import explain_lines

        for line in explain_lines(r):
            click.echo(line)
        click.echo("")
    for label, key in (("Drafts that trigger it", "fail"), ("Drafts that pass", "pass")):
        click.echo(f"{label}:")
        for ex in r.examples.get(key, []):
            lines = ex.strip().splitlines() or [""]
            click.echo("  - " + lines[0])
            for ln in lines[1:]:
                click.echo("    " + ln)
        click.echo("")


@main.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Use this configuration file for every document (default: the nearest one above each document).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (FL3) or ids, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or ids, comma-separated.")
@click.option("--templates/--drafts", "templates", default=None,
              help="Template mode or draft mode.  [default: drafts, or `templates:` from the configuration]")
@click.option("--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm if installed).")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load the YAML rules in DIR (repeatable).")
def lsp(config_path, select, ignore, templates, model, rules_dirs):
    """Run the language server over stdio (for editors; see the README)."""
    options = RunOptions(config=config_path, select=tuple(_split(select)), ignore=tuple(_split(ignore)), model=model,
                         templates=templates, rules_dirs=tuple(rules_dirs))
    try:
        session = Session(options)
    except LintError as exc:
        raise _fail(str(exc))
    try:
        from .lsp import serve  # pygls loads only for this command
    except ImportError as exc:  # pragma: no cover - pygls is a dependency
        raise _fail(f"the language server needs pygls ({exc}); pip install 'pygls>=2.1'")
    serve(session)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on (this machine only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="The port; 0 picks a free one.")
@click.option("--no-browser", is_flag=True, help="Only print the page's URL; do not open a browser.")
@click.option("--max-file-size", "max_file_size", default="256kB", show_default=True, metavar="SIZE",
              callback=lambda ctx, param, value: _size(value), help="Refuse (413) drafts larger than this.")
def serve(host, port, no_browser, max_file_size):
    """Serve a page on this machine: paste a draft, see every finding highlighted (Ctrl-C stops it)."""
    from .web import serve as run_server

    sys.exit(run_server(host=host, port=port, open_browser=not no_browser, max_bytes=max_file_size))


@main.command("test-rules")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), metavar="DIR",
              help="Test the rules in DIR (repeatable); without it, the built-in rules.")
@click.option("--model", metavar="NAME", help="spaCy pipeline to use.")
def test_rules(rules_dirs, model):
    """Run rules over their own examples: fail examples must trigger them, pass examples must not."""
    try:
        rules = load_rules(rules_dirs)
        linter = Linter(rules, model=model)
        wanted = {str(Path(d).resolve()) for d in rules_dirs}
        tested = [r for r in rules if not wanted or str(Path(r.path).resolve().parent) in wanted]
        failures = list(run_examples(linter, tested))
    except LintError as exc:
        raise _fail(str(exc))
    for f in failures:
        click.echo(str(f))
    total = sum(len(r.examples.get("fail", [])) + len(r.examples.get("pass", [])) for r in tested)
    click.echo(f"{total - len(failures)} passed, {len(failures)} failed "
               f"({len(tested)} rule{'s' if len(tested) != 1 else ''}).")
    sys.exit(EXIT_FINDINGS if failures else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
