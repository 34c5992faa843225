"""Rule selectors: what a name for rules means, wherever a rule is named.

One meaning for ``--select``/``--ignore``/``--extend-select``, the
configuration's ``select``/``ignore``/``extend-select``, presets,
``per-file-ignores``, ``severity`` and ``options`` keys, and suppression
comments in a draft.  As in Ruff, a selector is one of

``ALL``        every rule (any case: ``all`` is the same)
a code         ``FL301``: that rule (any case)
a prefix       ``FL3``: every rule whose code starts with it (letters, then digits)
a rule id      ``blames-interviewer``: that rule

and when several selectors name the same rule, the most specific one wins
(``ALL`` < a prefix, longer beats shorter < a code or an id); between a
select and an ignore of the same specificity the ignore wins.  So
``select: [FL3], ignore: [FL301]`` runs FL302 and FL303, and
``ignore: [FL3], select: [FL301]`` runs FL301 alone.

A selector that names no rule is a :class:`~.errors.ConfigError` that says
where it came from: the command-line option, or the configuration file,
its line and its key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .errors import ConfigError
from .model import Rule

ALL = "ALL"
_PREFIX = re.compile(r"[A-Za-z]+[0-9]*")
HINT = ("expected ALL, a code such as FL301, a prefix such as FL3, or a rule id "
        "(`followup-lint rules` lists them)")


def normalize(selector: str) -> str:
    """The selector as written, without surrounding white space."""
    return selector.strip()


def specificity(selector: str, code: str, rule_id: str) -> int | None:
    """How specifically ``selector`` names the rule ``code``/``rule_id``; None when it does not name it.

    ``ALL`` is 0, a prefix its length, an exact code or an id 100.
    """
    s = normalize(selector)
    if not s:
        return None
    if s == rule_id:
        return 100
    up = s.upper()
    if up == ALL:
        return 0
    if _PREFIX.fullmatch(s) and code.startswith(up):
        return 100 if up == code else len(up)
    return None


def selects(selector: str, code: str, rule_id: str) -> bool:
    """Does ``selector`` name the rule ``code``/``rule_id``?"""
    return specificity(selector, code, rule_id) is not None


def names_any(selector: str, rules: Iterable[Rule]) -> bool:
    return any(selects(selector, r.code, r.id) for r in rules)


def unknown(rules: Sequence[Rule], selectors: Iterable[str]) -> list[str]:
    """The selectors that name no rule at all (probably a typo); ``ALL`` always names something."""
    out = []
    for s in selectors:
        s = normalize(s)
        if s and s.upper() != ALL and not names_any(s, rules) and s not in out:
            out.append(s)
    return out


def check(rules: Sequence[Rule], selectors: Iterable[str], where: str | None, key: str, *,
          lines: dict[str, int] | None = None, option: bool = False) -> None:
    """Raise a ConfigError naming ``where`` (a file, or the command line) when a selector names no rule.

    ``lines`` gives the line of each selector in the file; ``option`` says ``key``
    is a command-line option (``--select``) rather than a configuration key.
    """
    bad = unknown(rules, selectors)
    if bad:
        what = f"option {key}" if option else f"key {key!r}"
        line = (lines or {}).get(bad[0])
        raise ConfigError(where, f"{what}: no rule matches {', '.join(map(repr, bad))}; {HINT}", line=line)


def most_specific(table: dict[str, Any] | Iterable[tuple[str, Any]], rule: Rule) -> Any:
    """A per-rule setting (``severity``, ``options``): the value of the most specific key naming ``rule``.

    Keys of the same specificity: the later one wins.  None when no key names the rule.
    """
    best, value = -1, None
    for key, v in (table.items() if isinstance(table, dict) else table):
        spec = specificity(key, rule.code, rule.id)
        if spec is not None and spec >= best:
            best, value = spec, v
    return value


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection, with where it came from (a preset, a file, the command line).

    ``select`` None means the layer does not choose the base set (it only adds and removes).
    """

    origin: str
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    checked: bool = True  # a preset's ignore may name rules that are not installed: not checked
    option: bool = False  # the command line: keys are options (--select), not configuration keys
    kind: str = "file"  # "preset", "file" or "command line"
    prefix: str = ""  # where the keys sit in the file, e.g. "presets.short." for a preset defined there
    lines: tuple[tuple[str, str, int], ...] = ()  # (key, selector, line in the file), for errors

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "select": None if self.select is None else list(self.select),
                "extend-select": list(self.extend_select), "ignore": list(self.ignore)}

    def check(self, rules: Sequence[Rule]) -> None:
        keys = (("select", self.select or ()), ("extend-select", self.extend_select))
        if self.checked:
            keys += (("ignore", self.ignore),)
        for key, values in keys:
            if self.option:
                check(rules, values, None, f"--{key}", option=True)
            else:
                check(rules, values, self.origin, self.prefix + key, lines=lines_of(self.lines, key))


def lines_of(lines: Iterable[tuple[str, str, int]], key: str) -> dict[str, int]:
    """The line of each selector under ``key``, from ``(key, selector, line)`` triples."""
    return {sel: n for k, sel, n in lines if k == key}


def selector_lines(data: dict[str, Any], lines: dict[tuple, int], keys: Iterable[str],
                   head: tuple = ()) -> tuple[tuple[str, str, int], ...]:
    """``(key, selector, line)`` for every selector written under ``keys`` of a settings mapping.

    ``lines`` maps a key path (as the YAML reader gives it) to its line; list
    items, mapping keys (severity, options) and per-file-ignores' lists are covered.
    """
    out = []
    for key in keys:
        value = data.get(key)
        at = head + (key,)
        if isinstance(value, list):
            out += [(key, s, lines.get(at + (i,)) or lines.get(at)) for i, s in enumerate(value)]
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, list):  # per-file-ignores: glob -> selectors
                    out += [(key, s, lines.get(at + (k, i)) or lines.get(at + (k,)) or lines.get(at))
                            for i, s in enumerate(v)]
                else:  # severity, options: selector -> value
                    out.append((key, k, lines.get(at + (k,)) or lines.get(at)))
    return tuple((k, s, n) for k, s, n in out if isinstance(s, str) and n)


def resolve(rules: Sequence[Rule], layers: Sequence[Selection]) -> list[Rule]:
    """The rules the layers enable, weakest layer first (Ruff's resolution).

    A layer with ``select`` starts the set afresh from its own select and
    extend-select; a layer without only adds (extend-select) and removes
    (ignore).  Within a layer the most specific selector wins for each rule,
    and an ignore beats a select of the same specificity.
    """
    enabled = {r.id: True for r in rules}  # no selection at all: every rule
    for layer in layers:
        picks = [(s, True) for s in (*(layer.select or ()), *layer.extend_select)]
        picks += [(s, False) for s in layer.ignore]
        for r in rules:
            best: tuple[int, bool] | None = None  # (specificity, is an ignore)
            on = None
            for sel, select in picks:
                spec = specificity(sel, r.code, r.id)
                if spec is not None and (best is None or (spec, not select) >= best):
                    best, on = (spec, not select), select
            if on is not None:
                enabled[r.id] = on
            elif layer.select is not None:
                enabled[r.id] = False
    return [r for r in rules if enabled[r.id]]


def select_rules(rules: Sequence[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Filter rules with one layer: ``select`` (empty: every rule) minus ``ignore``, most specific wins."""
    select = tuple(s for s in select if normalize(s))
    return resolve(rules, [Selection("", select or None, (), tuple(ignore))])


__all__ = ["ALL", "HINT", "Selection", "check", "lines_of", "most_specific", "names_any", "resolve",
           "select_rules", "selector_lines", "selects", "specificity", "unknown"]
