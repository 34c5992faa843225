"""Rule files -> Rule objects, validated against the shipped JSON Schema.

YAML is read with the safe loader (a rule can never construct objects or run
code).  Errors name the file, the line, the rule and the field.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import RuleError
from .model import Rule

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COMMON = ("id", "code", "name", "severity", "kind", "scope", "advice", "message", "description",
           "examples", "fix", "unless", "when", "tags")
_SCHEMA = None


def rule_schema() -> dict:
    """The JSON Schema rule files follow (also for editors: see the README)."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(resources.files("followup_lint").joinpath("schema/rule.schema.json").read_text("utf-8"))
    return _SCHEMA


def builtin_rules_dir() -> Path:
    return Path(str(resources.files("followup_lint.rules")))


def rule_files(directory: str | os.PathLike) -> list[Path]:
    d = Path(directory)
    if not d.is_dir():
        raise RuleError(str(d), "is not a directory of rule files")
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@dataclass
class _Located:
    data: Any
    lines: dict[tuple, int]


def _read_yaml(path: Path) -> _Located:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(str(path), f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); "
                                   "save rule files as UTF-8") from None
    except OSError as exc:
        raise RuleError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.constructor.ConstructorError as exc:
        # The safe loader refuses tags such as !!python/object: a rule is data and can never run code.
        mark = getattr(exc, "problem_mark", None)
        tag = re.search(r"tag '([^']*)'", str(exc))
        what = f"the YAML tag {tag.group(1).replace('tag:yaml.org,2002:', '!!')}" if tag else "a YAML tag"
        raise RuleError(str(path), f"uses {what}, which rule files may not use (rules are plain data; "
                                   "tags that build objects are refused)",
                        line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(str(path), f"is not valid YAML: {getattr(exc, 'problem', None) or exc}",
                        line=mark.line + 1 if mark else None) from None
    lines: dict[tuple, int] = {}
    _lines(node, (), lines)
    return _Located(data, lines)


def _lines(node, path: tuple, out: dict[tuple, int]) -> None:
    if node is None:
        return
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[path + (key,)] = k.start_mark.line + 1
            _lines(v, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _lines(v, path + (i,), out)


def field_name(path: Iterable) -> str:
    """A JSON path as a user reads it: ``options.max``, ``moves[2].phrases``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def validate(data: Any, path: Path, lines: dict[tuple, int]) -> None:
    """Validate one rule mapping against the schema; the first error becomes a RuleError."""
    import jsonschema

    rule_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(data, dict):
        raise RuleError(str(path), "must be a YAML mapping of rule fields", line=1)
    bad = _non_text_key(data, ())
    if bad is not None:
        where, key = bad
        line, written = _key_line(lines, where, key)
        raise RuleError(str(path), f"the field name {written} was read as {key!r}, not as text (YAML reads unquoted "
                                   "on, off, yes, no, true and false as true/false, and digits as numbers); put it "
                                   "in quotes", rule=rule_id if isinstance(rule_id, str) else None,
                        field=field_name(where) or None, line=line)
    validator = jsonschema.Draft202012Validator(rule_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return
    err = jsonschema.exceptions.best_match(errors)
    where = tuple(err.absolute_path)
    field = field_name(where) or None
    if err.validator == "additionalProperties" and not where:
        extra = sorted(set(data) - set(rule_schema()["properties"]))
        field = extra[0] if extra else None
        msg = f"unknown field (rule fields are: {', '.join(_COMMON)}, plus the kind's own)"
        where = (field,) if field else ()
    elif err.validator == "required":
        msg = err.message.replace("is a required property", "is required")
    elif err.validator == "enum":
        msg = f"{err.instance!r} is not one of {', '.join(map(str, err.validator_value))}"
    elif err.validator == "pattern":
        msg = f"{err.instance!r} does not have the expected form ({err.validator_value})"
    else:
        msg = err.message
    line = lines.get(where) or lines.get(where[:1]) or 1
    raise RuleError(str(path), msg, rule=rule_id, field=field, line=line)


def _non_text_key(data: Any, where: tuple) -> tuple[tuple, Any] | None:
    """The first mapping key that YAML did not read as a string (``on:`` is True), with where it is."""
    if isinstance(data, dict):
        for k, v in data.items():
            if not isinstance(k, str):
                return where, k
            found = _non_text_key(v, where + (k,))
            if found:
                return found
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found = _non_text_key(v, where + (i,))
            if found:
                return found
    return None


def _key_line(lines: dict[tuple, int], where: tuple, key: Any) -> tuple[int, str]:
    """The line of a key YAML turned into a non-string (the line map has it as written, e.g. 'on')."""
    for p, line in lines.items():
        if len(p) == len(where) + 1 and p[:-1] == where and isinstance(p[-1], str):
            try:
                value = yaml.load(p[-1], Loader=_Loader)
            except yaml.YAMLError:
                continue
            if value == key and type(value) is type(key):
                return line, p[-1]
    return lines.get(where) or 1, repr(key)


def _check_range(data: dict, path: Path, lines: dict[tuple, int]) -> None:
    """What the schema cannot say: a ``min`` above the ``max`` would make the rule fire on everything."""
    lo, hi = data.get("min"), data.get("max")
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
        raise RuleError(str(path), f"min ({lo}) is greater than max ({hi}), so every draft would fail",
                        rule=data.get("id"), field="min", line=lines.get(("min",)))


def field_line(path: str | os.PathLike, field: str | None) -> int | None:
    """The line of ``field`` (e.g. ``when.has.patterns[1]``) in a rule file, for errors found after loading."""
    if not field or not path:
        return None
    keys: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        keys.append(int(index) if index else name)
    try:
        node = yaml.compose(Path(path).read_text("utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    lines: dict[tuple, int] = {}
    _lines(node, (), lines)
    for n in range(len(keys), 0, -1):
        if tuple(keys[:n]) in lines:
            return lines[tuple(keys[:n])]
    return None


def load_rule(path: Path, cache=None) -> Rule:
    """Read and validate one rule file (a :class:`~.cache.Cache` remembers valid ones by their bytes)."""
    key = None
    if cache is not None:
        from .cache import rule_from_cache

        try:
            key = cache.rule_key(path, path.read_bytes())
        except OSError:
            key = None
        cached = cache.get(key, kind="rules") if key else None
        if cached is not None:
            try:
                return rule_from_cache(cached)
            except (TypeError, ValueError):
                pass
    located = _read_yaml(path)
    rule = rule_from_data(located.data, path, located.lines)
    if key is not None:
        from .cache import rule_round_trips

        cached = rule_round_trips(rule)
        if cached is not None:
            cache.put(key, cached, kind="rules")
    return rule


def rule_from_data(data: Any, path: Path | str = "<rule>", lines: dict[tuple, int] | None = None) -> Rule:
    """Validate a rule mapping (as read from YAML) and build the Rule."""
    path = Path(path)
    validate(data, path, lines or {})
    _check_range(data, path, lines or {})
    options = {k: v for k, v in data.items() if k not in _COMMON}
    rule = Rule(
        id=data["id"], code=data["code"], name=data["name"], severity=data["severity"],
        kind=data["kind"], scope=data["scope"], advice=data["advice"], message=data["message"],
        description=data["description"].strip(), examples=data["examples"], options=options,
        path=str(path), fix=data.get("fix", "unsafe"), unless=data.get("unless"), when=data.get("when"),
        tags=tuple(data.get("tags") or ()),
    )
    return rule


_SPEC_KEYS = ("phrases", "regex", "lemmas", "patterns", "dependency")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Move:
    """A named match spec from a rules folder's ``moves/`` library, shared by several rules."""

    name: str
    spec: dict
    path: str


def load_moves(directories: Iterable[Path]) -> dict[str, Move]:
    """Every ``moves/*.yaml`` beside the rule files: ``name``, ``description`` and match-spec keys."""
    moves: dict[str, Move] = {}
    for d in directories:
        folder = Path(d) / "moves"
        if not folder.is_dir():
            continue
        for f in sorted(folder.glob("*.yaml")):
            located = _read_yaml(f)
            data = located.data
            if not isinstance(data, dict):
                raise RuleError(str(f), "a move file must be a mapping with name, description and match keys", line=1)
            name = data.get("name")
            if not isinstance(name, str) or not _NAME.fullmatch(name):
                raise RuleError(str(f), "a move needs a kebab-case 'name'", field="name",
                                line=located.lines.get(("name",), 1))
            unknown = sorted(set(data) - {"name", "description", *_SPEC_KEYS})
            if unknown:
                raise RuleError(str(f), f"unknown field in a move (allowed: name, description, {', '.join(_SPEC_KEYS)})",
                                field=unknown[0], line=located.lines.get((unknown[0],), 1))
            spec = {k: data[k] for k in _SPEC_KEYS if k in data}
            for k, v in spec.items():
                if not isinstance(v, list) or not v:
                    raise RuleError(str(f), "must be a non-empty list", field=k, line=located.lines.get((k,), 1))
            if not spec:
                raise RuleError(str(f), f"a move needs at least one of {', '.join(_SPEC_KEYS)}", line=1)
            if name in moves:
                raise RuleError(str(f), f"duplicate move name (also in {moves[name].path})", field="name",
                                line=located.lines.get(("name",), 1))
            moves[name] = Move(name, spec, str(f))
    return moves


def resolve_uses(rule: Rule, moves: dict[str, Move]) -> Rule:
    """Replace every ``use: [move, ...]`` in the rule's match specs by the moves' own keys."""

    def expand(value: Any, where: str) -> Any:
        if isinstance(value, list):
            return [expand(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if not isinstance(value, dict):
            return value
        out = {k: expand(v, f"{where}.{k}" if where else k) for k, v in value.items() if k != "use"}
        for name in value.get("use") or ():
            move = moves.get(name)
            if move is None:
                known = ", ".join(sorted(moves)) or "none"
                field = f"{where}.use" if where else "use"
                raise RuleError(rule.path, f"no move named {name!r} (known moves: {known})", rule=rule.id,
                                field=field, line=field_line(rule.path, field))
            for k, v in move.spec.items():
                out[k] = list(out.get(k) or []) + list(v)
        return out

    if not _mentions_use(rule):
        return rule
    return replace(rule, options=expand(rule.options, ""), unless=expand(rule.unless, "unless"),
                   when=expand(rule.when, "when"))


def _mentions_use(rule: Rule) -> bool:
    def uses(value: Any) -> bool:
        if isinstance(value, dict):
            return "use" in value or any(uses(v) for v in value.values())
        if isinstance(value, list):
            return any(uses(v) for v in value)
        return False

    return uses(rule.options) or uses(rule.unless) or uses(rule.when)


def load_rules(directories: Iterable[str | os.PathLike] = (), *, builtin: bool = True, cache=None) -> list[Rule]:
    """Built-in rules plus every rule file in ``directories``; ids and codes must be unique.

    A rule may ``use`` the named moves of any loaded folder's ``moves/`` library.
    """
    dirs: list[Path] = [builtin_rules_dir()] if builtin else []
    dirs += [Path(d) for d in directories]
    moves = load_moves(dirs)
    rules: list[Rule] = []
    by_id: dict[str, Rule] = {}
    by_code: dict[str, Rule] = {}
    for d in dirs:
        for f in rule_files(d):
            rule = resolve_uses(load_rule(f, cache), moves)
            if rule.id in by_id:
                raise RuleError(str(f), f"duplicate rule id (also in {by_id[rule.id].path})", rule=rule.id, field="id",
                                line=field_line(f, "id"))
            if rule.code in by_code:
                raise RuleError(str(f), f"duplicate code {rule.code} (also used by {by_code[rule.code].id} in "
                                        f"{by_code[rule.code].path})", rule=rule.id, field="code",
                                line=field_line(f, "code"))
            by_id[rule.id] = rule
            by_code[rule.code] = rule
            rules.append(rule)
    rules.sort(key=lambda r: r.code)
    return rules
