"""bench.evaluate_moves and bench.moves_corpus on small labelled sets written here: the scoring rules, as documented."""
from __future__ import annotations

import textwrap

import pytest

from bench.evaluate_moves import SCORED, Tally, score, table
from bench.moves_corpus import load_labelled, sentences
from followup_lint.model import Finding

DRAFT = textwrap.dedent("""\
    Dear Ms. Obi,

    Thanks for Tuesday.
    i know my answer on the rota question missed what you needed.
    Honestly the panel barely looked up from their laptops.

    Best,
    Ren
    """)
LABELS = textwrap.dedent("""\
    writer: tiny
    note: blames the panel, no ask, no wish
    clean: false
    ending: negative
    sentences:
      - text: "Thanks for Tuesday."
        moves: [none]
      - text: "i know my answer on the rota question missed what you needed."
        moves: [disconnect, responsibility]
      - text: "Honestly the panel barely looked up from their laptops."
        moves: [blame-reader]
    """)


@pytest.fixture()
def labelled(tmp_path):
    (tmp_path / "one.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "one.yaml").write_text(LABELS, encoding="utf-8")
    return load_labelled([tmp_path])


def finding(code, start, end, severity="error"):
    return Finding(path="one.txt", rule_id=code.lower(), code=code, severity=severity, advice="x", message=code,
                   start=start, end=end, line=1, column=1, end_line=1, end_column=1)


def test_labels_are_placed_on_the_source(labelled):
    (d,) = labelled
    spans = [(DRAFT[s:e], sorted(m)) for s, e, m in d.labelled]
    assert spans[1] == ("i know my answer on the rota question missed what you needed.",
                        ["disconnect", "responsibility"])


def test_a_line_per_thought_is_a_sentence_each_with_its_labels(labelled):
    sents = sentences(labelled)
    assert [sorted(s.labels) for s in sents] == [[], ["disconnect", "responsibility"], ["blame-reader"]]
    assert [s.index for s in sents] == [0, 1, 2] and {s.count for s in sents} == {3}


def test_a_quote_missing_from_its_draft_is_an_error(tmp_path):
    (tmp_path / "one.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "one.yaml").write_text(LABELS.replace("barely looked up", "never looked up"), encoding="utf-8")
    with pytest.raises(ValueError, match="one.yaml"):
        load_labelled([tmp_path])


def test_scoring_missing_moves_faults_and_the_ending(labelled):
    blame_at = DRAFT.index("Honestly")
    findings = [
        finding("FL301", blame_at, blame_at + 20),          # TP: overlaps the labelled blame
        finding("FL302", 0, 5),                             # FP: blame on a sentence not labelled blame
        finding("FL501", 0, 5),                             # TP: no sentence asks
        finding("FL201", 0, 5),                             # FP: the draft does own the gap
        finding("FL602", blame_at, blame_at + 5, "warning"),  # TP: ends negatively
    ]
    tallies, alarms = score(labelled, [findings])
    assert (tallies["no blame"].tp, tallies["no blame"].fp, tallies["no blame"].fn) == (1, 1, 0)
    assert (tallies["another chance"].tp, tallies["another chance"].fp) == (1, 0)
    assert (tallies["disconnect"].tp, tallies["disconnect"].fp) == (0, 1)
    assert tallies["well-wishing"].fn == 1          # no wish, and FL601 did not fire
    assert tallies["positive ending"].tp == 1
    assert alarms["clean"] == 0
    out = table("t", tallies, alarms, 1, "cmd")
    assert "| no blame | fault | 1 | 1 | 0 | 0.50 | 1.00 | 0.67 |" in out


def test_every_scored_move_names_rules_that_exist(rules):
    codes = {r.code for r in rules}
    for move, (_, _, wanted) in SCORED.items():
        assert wanted <= codes, move


def test_precision_and_recall_of_an_empty_tally_are_not_a_division_by_zero():
    assert Tally().prf() == (1.0, 1.0, 1.0)


def test_every_sentence_label_in_the_repository_is_verbatim_and_a_known_move():
    from bench.moves_corpus import BLIND_GLOB, ROOT, writer_dirs
    from followup_lint.moves import MOVES

    dirs = writer_dirs() + writer_dirs((BLIND_GLOB,))
    drafts = load_labelled(dirs)  # raises, naming the file, if a sentence is not in its draft
    assert len({d.writer for d in drafts}) >= 28 and len(drafts) > 1000
    for d in drafts:
        for _, _, moves in d.labelled:
            assert moves <= set(MOVES), d.path
        assert d.meta.get("ending") in ("positive", "negative"), d.path
        assert isinstance(d.meta.get("clean"), bool), d.path
    assert ROOT.joinpath("tests", "LABELLING.md").is_file()
