"""Configuration: discovery, validation and merging of settings.  One job: settings in, an immutable Config out.

Where settings come from, weakest first: the preset (``default``,
``thank-you``, one of the user's ``presets``, or a preset file), then the
nearest ``.followup-lint.yaml`` / ``.followup-lint.yml`` / ``pyproject.toml``
with a ``[tool.followup-lint]`` table (found by walking up from each linted
file; ``--config PATH`` forces one), then the command line.  Unknown keys and
bad values are a :class:`ConfigError` naming the file, the key and what was
expected (exit 2).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

import yaml

from . import selectors
from .context import FRONT_MATTER_KEYS, Context, context_from_mapping
from .errors import ConfigError
from .loader import _COMMON, _lines, field_name, load_rules, rule_schema
from .model import Rule
from .selectors import Selection, selector_lines

CONFIG_NAMES = (".followup-lint.yaml", ".followup-lint.yml", "pyproject.toml")
BUILTIN_PRESETS = ("default", "thank-you")
_SCHEMA: dict | None = None


def config_schema() -> dict:
    """The JSON Schema a configuration (and a preset) follows."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(resources.files("followup_lint").joinpath("schema/config.schema.json").read_text("utf-8"))
    return _SCHEMA


# -- validation -----------------------------------------------------------------

_TYPE_WORDS = {"string": "a string", "array": "a list", "object": "a mapping", "boolean": "true or false",
               "number": "a number", "integer": "a whole number", "null": "nothing"}


def _expected(err) -> str:
    """What the schema wanted, in words a user can act on."""
    v, val = err.validator, err.validator_value
    if v == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        return "unknown key" + (f"; expected one of: {', '.join(allowed)}" if allowed else "")
    if v == "enum":
        return f"expected one of {', '.join(map(str, val))}, got {err.instance!r}"
    if v == "type":
        types = val if isinstance(val, list) else [val]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        items = err.schema.get("items", {})
        if "array" in types and items.get("type") == "string":
            words = "a list of strings"
        return f"expected {words}, got {type(err.instance).__name__} {err.instance!r}"
    if v == "minLength":
        return "expected a non-empty string"
    return err.message


def schema_errors(data: Any, ref: str = "#") -> tuple[str, str] | None:
    """The first problem of ``data`` against the config schema (or a part of it): ``(key, expected)``."""
    import jsonschema

    root = config_schema()
    schema = root if ref == "#" else {"$ref": ref, "$defs": root["$defs"]}
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(data))
    if not errors:
        return None
    err = min(errors, key=lambda e: (-len(e.absolute_path), str(list(e.absolute_path))))
    path = list(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {}))
        extra = sorted(k for k in err.instance if k not in allowed)
        if extra:
            path.append(extra[0])
    return field_name(path) or "(top level)", _expected(err)


def _plain(value: Any) -> Any:
    """YAML dates and TOML datetimes -> strings, so the schema and JSON see plain data."""
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# -- the Config -------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """Effective settings for the drafts under one configuration file.  Immutable and hashable.

    Relative paths from the file are already resolved against its directory
    (``root``).  ``fingerprint()`` identifies the settings (the cache uses it).
    """

    path: str | None = None
    root: str = "."
    preset: str = "default"
    # rule selection, weakest layer first: the preset, the file, the command line (see selectors.resolve)
    selection: tuple[Selection, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    options: tuple[tuple[str, str], ...] = ()  # rule -> its changed fields as canonical JSON
    rules_dirs: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    model: str | None = None
    fail_on: str = "error"
    templates: bool = False
    context: Context = field(default_factory=Context)
    # (key, selector, line) for the selectors written in the file's severity, options and per-file-ignores
    lines: tuple[tuple[str, str, int], ...] = field(default=(), compare=False)

    @property
    def origin(self) -> str:
        """Where these settings came from, as an error names it."""
        return self.path or "configuration"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-serialisable) with every setting."""
        return {
            "path": self.path, "root": self.root, "preset": self.preset,
            "selection": [layer.to_dict() for layer in self.selection], "severity": dict(self.severity),
            "options": {k: json.loads(v) for k, v in self.options}, "rules-dirs": list(self.rules_dirs),
            "per-file-ignores": {g: list(c) for g, c in self.per_file_ignores}, "include": list(self.include),
            "exclude": list(self.exclude), "model": self.model, "fail-on": self.fail_on,
            "templates": self.templates, "context": {k: list(v) if isinstance(v, tuple) else v
                                                     for k, v in self.context.to_dict().items()},
        }

    def fingerprint(self) -> str:
        """A stable hash of everything that changes what the linter reports (not where the file is)."""
        data = self.to_dict()
        data.pop("path")
        if not (self.per_file_ignores or self.include or self.exclude):
            data.pop("root")  # globs resolve against the root; otherwise where the file lives does not matter
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()[:16]

    def rule_options(self) -> dict[str, dict[str, Any]]:
        return {k: json.loads(v) for k, v in self.options}

    def override(self, *, select: Sequence[str] = (), extend_select: Sequence[str] = (),
                 ignore: Sequence[str] = (), fail_on: str | None = None, model: str | None = None,
                 templates: bool | None = None, rules_dirs: Sequence[str] = ()) -> "Config":
        """Command-line options on top of the file: --select replaces, the others add or replace.

        ``--select`` replaces the file's (and the preset's) ``select`` only: the
        file's ``ignore`` and ``extend-select`` still apply after it, then
        ``--extend-select`` and ``--ignore``.
        """
        layers = list(self.selection)
        select, extend_select, ignore = tuple(select), tuple(extend_select), tuple(ignore)
        if select:
            cli_base = Selection("command line", select, option=True, kind="command line")
            layers = ([layer for layer in layers if layer.kind == "preset"] + [cli_base]
                      + [replace(layer, select=None) for layer in layers if layer.kind != "preset"])
        if extend_select or ignore:
            layers.append(Selection("command line", None, extend_select, ignore, option=True, kind="command line"))
        return replace(
            self,
            selection=tuple(layers),
            fail_on=fail_on or self.fail_on,
            model=model or self.model,
            templates=self.templates if templates is None else templates,
            rules_dirs=self.rules_dirs + tuple(os.path.abspath(d) for d in rules_dirs),
            context=replace(self.context, templates=self.templates if templates is None else templates),
        )

    def with_context(self, context: Context) -> "Config":
        """These settings with ``context``'s known fields over the configuration's own."""
        return replace(self, context=self.context.merged(context))

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """Selectors the per-file-ignores give for a draft at ``path``."""
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if glob_matches(pattern, path, self.root):
                out.extend(codes)
        return tuple(out)

    def wants(self, path: str) -> bool:
        """For directory runs: is ``path`` inside include (when given) and outside exclude?"""
        if self.exclude and any(glob_matches(g, path, self.root) for g in self.exclude):
            return False
        return not self.include or any(glob_matches(g, path, self.root) for g in self.include)

    # -- rules --------------------------------------------------------------------

    def rules(self, all_rules: Sequence[Rule] | None = None) -> list[Rule]:
        """The rules these settings enable, with their severities and options changed.

        Every selector must name an installed rule; one that does not is a
        ConfigError naming where it was written (the file and its line, or the
        command-line option).
        """
        rules = list(all_rules) if all_rules is not None else load_rules(self.rules_dirs)
        for layer in self.selection:
            layer.check(rules)
        for key, values in (("severity", [k for k, _ in self.severity]), ("options", [k for k, _ in self.options]),
                            ("per-file-ignores", [s for _, codes in self.per_file_ignores for s in codes])):
            selectors.check(rules, values, self.origin, key, lines=selectors.lines_of(self.lines, key))
        out = [c for c in (self.configured(r) for r in selectors.resolve(rules, self.selection)) if c is not None]
        return sorted(out, key=lambda r: r.code)

    def configured(self, r: Rule) -> Rule | None:
        """``r`` with this configuration's severity and options for it, or None if it turns the rule off.

        An option replaces the rule's own, except a per-move ``min-score`` mapping over a rule's mapping,
        which changes only the moves it names."""
        sev = selectors.most_specific(self.severity, r)
        if sev == "off":
            return None
        if sev:
            r = replace(r, severity=sev)
        opts = selectors.most_specific(self.options, r)
        if opts:
            mine = _checked_options(r, json.loads(opts), self.origin)
            if isinstance(mine.get("min-score"), dict) and isinstance(r.options.get("min-score"), dict):
                mine["min-score"] = {**r.options["min-score"], **mine["min-score"]}
            r = replace(r, options={**r.options, **mine})
        return r


def _checked_options(rule: Rule, opts: dict[str, Any], where: str) -> dict[str, Any]:
    """Options for a rule, validated against the rule schema's field of the same name."""
    import jsonschema

    props = rule_schema()["properties"]
    for key, value in opts.items():
        bounded = (rule.kind in ("metric", "occurrence", "sentiment") and key in ("min", "max")) \
            or (rule.kind == "move" and key in ("min-score", "sure-score"))
        if key in _COMMON or key not in props or (key not in rule.options and not bounded):
            own = sorted(k for k in rule.options if k in props)
            raise ConfigError(where, f"key 'options.{rule.id}.{key}': {rule.id} ({rule.kind}) has no option "
                                     f"{key!r}; expected one of: {', '.join(own) or '(none)'}")
        schema = {**props[key], "$defs": rule_schema().get("$defs", {})}
        try:
            jsonschema.validate(value, schema, cls=jsonschema.Draft202012Validator)
        except jsonschema.ValidationError as exc:
            raise ConfigError(where, f"key 'options.{rule.id}.{key}': {_expected(exc)}") from None
        if key == "min-score":
            from .moves import rule_moves, stray_threshold

            stray = stray_threshold(rule.options, value)
            if stray is not None:
                raise ConfigError(where, f"key 'options.{rule.id}.min-score': {rule.id} judges "
                                         f"{', '.join(rule_moves(rule.options))}, not {stray!r}")
    return opts


# -- globs ----------------------------------------------------------------------------


def _glob_regex(pattern: str) -> re.Pattern:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def glob_matches(pattern: str, path: str, root: str = ".") -> bool:
    """Gitignore-like: a pattern without ``/`` matches the file name anywhere; otherwise the path under ``root``."""
    abspath = os.path.abspath(path)
    rel = os.path.relpath(abspath, os.path.abspath(root)).replace(os.sep, "/")
    rx = _glob_regex(pattern.rstrip("/"))
    if "/" not in pattern.rstrip("/"):
        return bool(rx.match(os.path.basename(abspath))) or any(rx.match(part) for part in rel.split("/")[:-1])
    return bool(rx.match(rel)) or bool(rx.match(rel + "/")) or any(
        rx.match("/".join(rel.split("/")[:n])) for n in range(1, rel.count("/") + 1))


# -- reading files ---------------------------------------------------------------------


def _read_mapping(path: Path) -> tuple[dict[str, Any] | None, dict[tuple, int]]:
    """The settings in a config file (None for a pyproject.toml without our table) and the line of each key."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot be read: {exc}") from None
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), f"is not valid TOML: {exc}") from None
        table = data.get("tool", {}).get("followup-lint")
        if table is None:
            return None, {}
        lines: dict[tuple, int] = {}
        for n, line in enumerate(text.splitlines(), 1):
            m = re.match(r"\s*\"?([A-Za-z0-9_-]+)\"?\s*=", line)
            if m:
                lines.setdefault((m.group(1),), n)
        return _plain(table), lines
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(str(path), f"is not valid YAML: {getattr(exc, 'problem', None) or exc}",
                          line=mark.line + 1 if mark else None) from None
    lines = {}
    _lines(node, (), lines)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "must be a YAML mapping of settings (select:, ignore:, context:, ...)", line=1)
    return _plain(data), lines


def _validated(data: dict, path: Path, lines: dict[tuple, int], ref: str = "#") -> None:
    problem = schema_errors(data, ref)
    if problem:
        key, expected = problem
        parts = tuple(int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[]+", key))
        line = next((lines[parts[:n]] for n in range(len(parts), 0, -1) if parts[:n] in lines), None)
        raise ConfigError(str(path), f"key {key!r}: {expected}", line=line)


def _preset_data(name: str, user_presets: dict[str, Any], base: Path, where: str,
                 lines: dict[tuple, int]) -> tuple[dict[str, Any], Selection]:
    """A preset's settings, and its rule selection (the weakest layer) named by where it is written."""

    def layer(data: dict, origin: str, prefix: str, at: dict[tuple, int], head: tuple = ()) -> Selection:
        return Selection(origin, tuple(data["select"]) if data.get("select") else None,
                         tuple(data.get("extend-select") or ()), tuple(data.get("ignore") or ()),
                         checked=False, kind="preset", prefix=prefix,
                         lines=selector_lines(data, at, ("select", "extend-select", "ignore"), head))

    if name in user_presets:
        data = user_presets[name]
        return data, layer(data, where, f"presets.{name}.", lines, ("presets", name))
    if name in BUILTIN_PRESETS:
        text = resources.files("followup_lint").joinpath(f"presets/{name}.yaml").read_text("utf-8")
        data = yaml.safe_load(text) or {}
        return data, layer(data, f"preset {name!r}", "", {})
    candidate = base / name
    if name.endswith((".yaml", ".yml")) and candidate.is_file():
        data, preset_lines = _read_mapping(candidate)
        _validated(data, candidate, preset_lines, "#/$defs/preset")
        return data, layer(data, str(candidate), "", preset_lines)
    choices = ", ".join([*BUILTIN_PRESETS, *user_presets])
    raise ConfigError(where, f"key 'preset': no preset {name!r}; expected one of {choices}, or a path to a preset .yaml file")


def config_from_mapping(data: dict[str, Any], path: str | None = None, lines: dict[tuple, int] | None = None,
                        *, origin: str | None = None, preset: str | None = None) -> Config:
    """Validated settings -> Config.

    ``path`` is the file they came from (relative paths resolve against its
    directory); ``origin`` names settings that come from no file in errors;
    ``preset`` replaces the settings' own ``preset``.
    """
    if preset is not None:
        data = {**data, "preset": preset}
    base = Path(path).resolve().parent if path else Path.cwd()
    where = path or origin or "configuration"
    lines = lines or {}
    _validated(data, Path(where), lines)
    preset_name = data.get("preset", "default")
    preset, preset_layer = _preset_data(preset_name, data.get("presets") or {}, base, where, lines)
    file_layer = Selection(where, tuple(data["select"]) if data.get("select") else None,
                           tuple(data.get("extend-select") or ()), tuple(data.get("ignore") or ()),
                           lines=selector_lines(data, lines, ("select", "extend-select", "ignore")))
    severity = {**(preset.get("severity") or {}), **(data.get("severity") or {})}
    options: dict[str, dict] = {}
    for source in (preset.get("options") or {}, data.get("options") or {}):
        for k, v in source.items():
            options[k] = {**options.get(k, {}), **v}
    templates = bool(data.get("templates", False))
    context = context_from_mapping(data.get("context") or {}, where)
    return Config(
        path=str(path) if path else None, root=str(base), preset=preset_name,
        selection=(preset_layer, file_layer),
        severity=tuple(sorted(severity.items())),
        options=tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in options.items())),
        rules_dirs=tuple(str((base / d).resolve()) for d in data.get("rules-dirs") or ()),
        per_file_ignores=tuple((g, tuple(c)) for g, c in (data.get("per-file-ignores") or {}).items()),
        include=tuple(data.get("include") or ()), exclude=tuple(data.get("exclude") or ()),
        model=data.get("model"), fail_on=data.get("fail-on", "error"), templates=templates,
        context=replace(context, templates=templates),
        lines=selector_lines(data, lines, ("severity", "options", "per-file-ignores")),
    )


def front_matter_context(draft) -> Context | None:
    """The context a draft's YAML front matter gives, or None; bad front matter is a ConfigError naming the draft."""
    if draft.front_matter is None:
        return None
    raw = draft.source[draft.front_matter.start:draft.front_matter.end].strip()
    body = raw.strip("-").strip()
    try:
        data = yaml.safe_load(body) if body else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(draft.path, f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                          line=mark.line + 2 if mark else 1) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(draft.path, "the front matter must be a YAML mapping (company:, role:, interviewer:)", line=1)
    wanted = {k: data[k] for k in FRONT_MATTER_KEYS if k in data}
    if isinstance(wanted.get("company"), str):  # `company: Acme` is a fine shorthand
        wanted["company"] = {"name": wanted["company"]}
    if isinstance(wanted.get("interview-date"), (datetime.date, datetime.datetime)):
        wanted["interview-date"] = wanted["interview-date"].isoformat()
    problem = schema_errors(wanted, "#/$defs/context")
    if problem:
        key, expected = problem
        raise ConfigError(draft.path, f"front matter key {key!r}: {expected}", line=1)
    return context_from_mapping(wanted, draft.path)


def load_config(path: str | os.PathLike, *, preset: str | None = None) -> Config:
    """Read one configuration file (YAML, or pyproject.toml's [tool.followup-lint]); ``preset`` replaces its own."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(str(p), "does not exist (given with --config)" if not p.exists() else "is not a file")
    data, lines = _read_mapping(p)
    if data is None:
        raise ConfigError(str(p), "has no [tool.followup-lint] table")
    return config_from_mapping(data, str(p), lines, preset=preset)


def find_config_file(start: str | os.PathLike) -> Path | None:
    """The nearest configuration file at or above ``start`` (a file or a directory)."""
    d = Path(os.path.abspath(start))
    if not d.is_dir():
        d = d.parent
    for directory in (d, *d.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                if name == "pyproject.toml" and "followup-lint" not in candidate.read_text("utf-8", "replace"):
                    continue
                return candidate
    return None


class ConfigResolver:
    """Finds the configuration for each draft: ``forced`` wins; else the nearest file; else the defaults.

    Remembers what it found per directory for the length of one run.
    """

    def __init__(self, forced: "str | os.PathLike | Config | None" = None):
        self.forced = forced if isinstance(forced, Config) else load_config(forced) if forced else None
        self._by_dir: dict[str, Config] = {}
        self._by_file: dict[str, Config] = {}

    def for_path(self, path: str) -> Config:
        if self.forced is not None:
            return self.forced
        d = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        if d not in self._by_dir:
            found = find_config_file(d)
            if found is None:
                self._by_dir[d] = Config()
            else:
                key = str(found)
                if key not in self._by_file:
                    data, lines = _read_mapping(found)
                    self._by_file[key] = Config() if data is None else config_from_mapping(data, key, lines)
                self._by_dir[d] = self._by_file[key]
        return self._by_dir[d]


__all__ = ["Config", "ConfigResolver", "config_from_mapping", "config_schema", "find_config_file",
           "front_matter_context", "glob_matches", "load_config", "schema_errors"]
