"""JUnit XML for CI dashboards: one ``testsuite`` per draft, one ``testcase`` per enabled rule.

A rule with findings in a draft is a failed test case (one ``failure``
listing them); a draft that could not be read is a test case with an
``error``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET


def write(results, out, options) -> None:
    suites = ET.Element("testsuites", name="followup-lint")
    total = failures = errors = 0
    for r in results:
        suite = ET.SubElement(suites, "testsuite", name=r.path)
        by_code: dict[str, list] = {}
        for f in r.findings:
            by_code.setdefault(f.code, []).append(f)
        cases = [(rule.code, rule.id) for rule in options.rules] or sorted({(f.code, f.rule_id) for f in r.findings})
        known = {c for c, _ in cases}
        cases += sorted({(f.code, f.rule_id) for f in r.findings if f.code not in known})
        n_fail = n_err = 0
        if r.errors:
            case = ET.SubElement(suite, "testcase", name="read and lint", classname=r.path)
            for e in r.errors:
                ET.SubElement(case, "error", message=str(e), type=type(e).__name__).text = str(e)
            n_err += 1
        else:
            for code, rule_id in cases:
                case = ET.SubElement(suite, "testcase", name=f"{code} {rule_id}", classname=r.path)
                found = by_code.get(code, [])
                if found:
                    n_fail += 1
                    first = found[0]
                    failure = ET.SubElement(case, "failure", message=first.message, type=first.severity)
                    failure.text = "\n".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} [{f.rule_id}]"
                                             for f in found)
        tests = len(suite)
        suite.set("tests", str(tests))
        suite.set("failures", str(n_fail))
        suite.set("errors", str(n_err))
        total += tests
        failures += n_fail
        errors += n_err
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
