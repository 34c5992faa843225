"""The examples a newcomer runs first: the bad draft is caught where it goes wrong, the good one is clean."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from followup_lint.cli import main

DRAFTS = Path(__file__).resolve().parent.parent / "examples" / "drafts"


def position(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    before = text[:at]
    return before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1


def findings(path: Path):
    from followup_lint import lint_paths

    (result,) = lint_paths([str(path)])
    assert result.errors == []
    return result.findings


def test_bad_draft_is_caught_where_it_goes_wrong():
    path = DRAFTS / "bad-recovery.txt"
    text = path.read_text()
    by_code = {}
    for f in findings(path):
        by_code.setdefault(f.code, []).append((f.line, f.column))
    # blame: the whole sentence in which the interviewer "rushed" the writer, quoted in the message
    rushed = text.index("you rushed")
    (blame,) = [f for f in findings(path) if f.code == "FL301" and f.start <= rushed < f.end]
    assert text[blame.start:blame.end].startswith("Honestly, you rushed me") and blame.start <= rushed < blame.end
    assert (blame.line, blame.column) == position(text, "Honestly, you rushed")
    assert 0.5 < blame.confidence <= 1.0
    # "Nobody told me ..." is blame too; whether of the people, the process or a swipe at the reader is
    # arguable (the model's blame heads have flipped between them from one training run to the next)
    blame_codes = ("FL301", "FL302", "FL304")
    assert position(text, "Nobody told me") in [at for code in blame_codes for at in by_code.get(code, [])]
    # entitlement: "I deserve another chance"
    assert any(line == position(text, "I deserve")[0] for line, _ in by_code["FL502"])
    # ownership never acknowledged: reported at the start of the first paragraph
    assert position(text, "I'm writing") in by_code["FL201"]
    # a weak ending: no well-wishing and a negative last paragraph, both at the last paragraph
    last = position(text, "Sorry again")
    assert last in by_code.get("FL601", []) + by_code.get("FL602", [])


def test_bad_draft_exits_1_with_the_summary():
    result = CliRunner().invoke(main, [str(DRAFTS / "bad-recovery.txt"), "--color", "never"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Found ")


def test_good_draft_is_clean():
    path = DRAFTS / "good-recovery.txt"
    assert findings(path) == []
    result = CliRunner().invoke(main, [str(path)])
    assert result.exit_code == 0
    assert result.output == "No problems found in 1 draft.\n"
