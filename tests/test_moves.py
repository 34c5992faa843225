"""The move model as users see it: exact sentence spans, confidence in JSON and SARIF, the checklist's
evidence, threshold overrides in config, explain, and a model file that does not match its hash."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from followup_lint.errors import ModelError
from followup_lint.moves import DATA, MoveModel, WordPiece, shown, get_model, ngrams, sha256

BLAME = (
    "Dear Ms. Ferreira,\n"
    "\n"
    "Thank you for the interview on Tuesday.\n"
    "\n"
    "I know my answer on the budget missed what you needed. To be honest, you kept cutting me off before I "
    "could finish a single example.\n"
    "\n"
    "I remain very interested in the role, and I would welcome another chance to talk.\n"
    "\n"
    "Good luck with the rest of the search.\n"
    "\n"
    "Best,\n"
    "Jon\n"
)
BLAME_SENTENCE = "To be honest, you kept cutting me off before I could finish a single example."


def run_cli(*args, cwd=None, input=None):
    return subprocess.run([sys.executable, "-m", "followup_lint", *args], capture_output=True, text=True,
                          cwd=cwd, input=input, timeout=300)


@pytest.fixture()
def draft(tmp_path):
    p = tmp_path / "after-the-interview.txt"
    p.write_text(BLAME, encoding="utf-8")
    return p


def test_the_shipped_model_matches_its_manifest():
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    for name, info in manifest["files"].items():
        assert sha256(DATA / name) == info["sha256"], name
    assert sum(info["bytes"] for info in manifest["files"].values()) <= 25_000_000
    assert "all-MiniLM-L6-v2" in manifest["provenance"]["vectors.npy, vocab.txt"]
    assert "Apache-2.0" in manifest["provenance"]["vectors.npy, vocab.txt"]


def test_a_model_file_that_does_not_match_its_hash_is_refused(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    with open(copy / "heads.npz", "r+b") as fh:
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelError) as exc:
        MoveModel.load(copy)
    assert "heads.npz" in str(exc.value) and "SHA-256" in str(exc.value)


def test_wordpiece_splits_unknown_words_into_known_pieces():
    wp = get_model().embedder.wordpiece
    assert isinstance(wp, WordPiece)
    ids = wp.pieces("Unreplyable")
    assert len(ids) > 1 and wp.unk not in ids
    assert wp.pieces("") == []


def test_ngrams_ignore_case_and_apostrophes():
    assert ngrams("I DON'T") == ngrams("i dont")


def test_scores_are_probabilities_per_sentence_and_move():
    model = get_model()
    scores = model.scores(["You kept cutting me off.", "Good luck with the search."])
    assert scores.shape == (2, len(model.moves))
    assert ((scores >= 0) & (scores <= 1)).all()
    wish = model.column("wish")
    assert scores[1, wish] > model.thresholds["wish"] > scores[0, wish]


def test_blame_is_reported_on_exactly_its_sentence_with_confidence_in_json(draft):
    out = run_cli("--format", "json", str(draft))
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    blame = [f for f in doc["findings"] if f["code"] == "FL301"]
    assert len(blame) == 1
    f = blame[0]
    assert BLAME[f["offset"]:f["end_offset"]] == BLAME_SENTENCE
    assert (f["line"], f["column"]) == (5, BLAME.splitlines()[4].index("To be honest") + 1)
    assert BLAME_SENTENCE in f["message"]
    assert 0.0 < f["confidence"] <= 1.0
    # findings from patterns say so with a null confidence
    assert all("confidence" in g for g in doc["findings"])


def test_sarif_carries_the_confidence(draft):
    out = run_cli("--format", "sarif", str(draft))
    doc = json.loads(out.stdout)
    results = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "FL301"]
    assert results and 0.0 < results[0]["properties"]["confidence"] <= 1.0
    assert results[0]["rank"] == pytest.approx(100 * results[0]["properties"]["confidence"], abs=0.1)


def test_the_checklist_shows_evidence_and_agrees_with_the_findings(draft):
    doc = json.loads(run_cli("--format", "json", str(draft)).stdout)
    (entry,) = doc["checklist"]
    moves = {m["move"]: m for m in entry["moves"]}
    assert moves["no blame"]["status"] == "violated"
    assert moves["no blame"]["evidence"]["code"] == "FL301"
    owned = moves["owned the disconnect"]
    assert owned["status"] == "present"
    assert "missed what you needed" in owned["evidence"]["sentence"]
    assert 0.0 < owned["evidence"]["score"] <= 1.0
    codes = {f["code"] for f in doc["findings"]}
    for m in entry["moves"]:
        if m["status"] == "present":
            assert not set(m["codes"]) & codes
    text = run_cli("--checklist", str(draft)).stdout
    assert "[x] owned the disconnect" in text and "“I know my answer on the budget missed" in text
    assert "[!] no blame" in text and "FL301" in text


def test_a_missing_move_names_the_closest_sentence(tmp_path):
    p = tmp_path / "no-ask.txt"
    p.write_text("Dear Ms. Ferreira,\n\nI know my answer on the budget missed what you needed, and that is on me."
                 "\n\nBest,\nJon\n", encoding="utf-8")
    doc = json.loads(run_cli("--format", "json", "--select", "FL501", str(p)).stdout)
    assert [f["code"] for f in doc["findings"]] == ["FL501"]
    assert 0.0 < doc["findings"][0]["confidence"] <= 1.0
    moves = {m["move"]: m for m in doc["checklist"][0]["moves"]}
    assert moves["another chance, no entitlement"]["status"] == "missing"


def test_a_closest_score_just_under_the_threshold_is_never_shown_as_reaching_it(tmp_path):
    # the threshold is set a hair above a sentence's own score (so the move is missing) where two decimals
    # would round that score up onto the threshold; the checklist and the JSON show enough decimals instead
    candidates = ["I would welcome any feedback you can share.", "Could we talk again next week?",
                  "I hope our paths cross again.", "Keep me in mind if anything else comes up.",
                  "I would be glad of a second conversation.", "Happy to send over my notes.",
                  "If there is ever room for another chat, I would like that.", "Let me know if anything changes."]
    model = get_model()
    scores = model.scores(candidates, [(0, 1)] * len(candidates))[:, model.column("ask")]
    rounds_up = [(t, float(x)) for t, x in zip(candidates, scores) if round(float(x), 2) > float(x) + 0.00004]
    assert rounds_up, "none of the sentences' ask scores rounds up at two decimals: add another"
    sentence, score = rounds_up[0]
    limit = round(score + 0.00004, 6)
    p = tmp_path / "no-ask.txt"
    p.write_text(f"Dear Ms. Ferreira,\n\n{sentence}\n\nBest,\nJon\n", encoding="utf-8")
    (tmp_path / ".followup-lint.yaml").write_text(
        f"options:\n  missing-another-chance:\n    min-score: {limit}\n", encoding="utf-8")
    doc = json.loads(run_cli("--format", "json", "--select", "FL501", str(p), cwd=tmp_path).stdout)
    assert [f["code"] for f in doc["findings"]] == ["FL501"]
    ev = {m["move"]: m for m in doc["checklist"][0]["moves"]}["another chance, no entitlement"]["evidence"]
    assert ev["closest"] == sentence and ev["score"] < limit and abs(ev["score"] - score) < 0.001
    out = run_cli("--checklist", "--select", "FL501", str(p), cwd=tmp_path).stdout
    line = next(ln for ln in out.splitlines() if "another chance" in ln)
    assert line.endswith(f"“{sentence}” ({shown(ev['score'])})")
    assert float(line.rsplit("(", 1)[1].rstrip(")")) < limit


def test_a_config_threshold_override_is_obeyed(draft, tmp_path):
    (tmp_path / ".followup-lint.yaml").write_text("options:\n  blames-interviewer:\n    min-score: 0.999\n",
                                                 encoding="utf-8")
    doc = json.loads(run_cli("--format", "json", str(draft), cwd=tmp_path).stdout)
    assert "FL301" not in {f["code"] for f in doc["findings"]}


@pytest.mark.parametrize("min_score, reported", [
    ("{blame: 0.999, blame-reader: 0.999, blame-process: 0.999, blame-circumstance: 0.999, hostility: 0.999}",
     False),
    ("{hostility: 0.999}", True),  # the moves it does not name keep their thresholds
])
def test_a_per_move_threshold_in_config_is_obeyed(draft, tmp_path, min_score, reported):
    (tmp_path / ".followup-lint.yaml").write_text(f"options:\n  blames-interviewer:\n    min-score: {min_score}\n",
                                                 encoding="utf-8")
    doc = json.loads(run_cli("--format", "json", str(draft), cwd=tmp_path).stdout)
    assert ("FL301" in {f["code"] for f in doc["findings"]}) is reported


def test_a_config_threshold_for_a_move_the_rule_does_not_judge_names_the_config(draft, tmp_path):
    (tmp_path / ".followup-lint.yaml").write_text("options:\n  blames-interviewer:\n    min-score: {ask: 0.5}\n",
                                                 encoding="utf-8")
    out = run_cli(str(draft), cwd=tmp_path)
    assert out.returncode == 2
    assert ".followup-lint.yaml" in out.stderr and "options.blames-interviewer.min-score" in out.stderr
    assert "'ask'" in out.stderr


def test_a_threshold_for_a_move_the_rule_does_not_judge_is_an_error(draft, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    from followup_lint.loader import builtin_rules_dir

    own = (builtin_rules_dir() / "blames-interviewer.yaml").read_text(encoding="utf-8")
    own = own.replace("id: blames-interviewer", "id: my-blame").replace("code: FL301", "code: XX301")
    own = own.replace("\nmin-score: {", "\nmin-score: {ask: 0.5, ")
    (rules / "my-blame.yaml").write_text(own, encoding="utf-8")
    out = run_cli("--rules-dir", str(rules), "--select", "XX301", str(draft), cwd=tmp_path)
    assert out.returncode == 2
    assert "my-blame.yaml" in out.stderr and "'ask'" in out.stderr and "min-score" in out.stderr


@pytest.mark.parametrize("sure, severity, code", [(1, "info", 0), (0, "error", 1)])
def test_an_unsure_finding_is_info_and_does_not_fail_the_run(draft, tmp_path, sure, severity, code):
    """sure-score: a judgement scored under it is still shown, as info, and never fails a run."""
    (tmp_path / ".followup-lint.yaml").write_text(f"select: [FL301]\noptions:\n  blames-interviewer:\n"
                                                 f"    sure-score: {sure}\n", encoding="utf-8")
    out = run_cli("--format", "json", str(draft), cwd=tmp_path)
    doc = json.loads(out.stdout)
    [finding] = doc["findings"]
    assert (finding["code"], finding["severity"]) == ("FL301", severity)
    assert finding["confidence"] < 1
    assert out.returncode == code


def test_a_bad_threshold_in_config_names_the_file_and_key(draft, tmp_path):
    cfg = tmp_path / ".followup-lint.yaml"
    cfg.write_text("options:\n  blames-interviewer:\n    min-score: 3\n", encoding="utf-8")
    out = run_cli(str(draft), cwd=tmp_path)
    assert out.returncode == 2
    assert ".followup-lint.yaml" in out.stderr and "min-score" in out.stderr


def _ladder(stdout: str, move: str) -> tuple[str, list[tuple[float, str]]]:
    """explain's heading line for ``move`` and the (score, side) of the sentences under it."""
    lines = stdout.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith(f"  {move} ("))
    rows = []
    for ln in lines[i + 1:]:
        if not ln.startswith("    "):
            break
        score, side = ln.split()[:2]
        rows.append((float(score), side))
    return lines[i], rows


@pytest.mark.parametrize("score, limit, expected", [
    (0.7, None, "0.70"), (0.325, None, "0.325"), (0.6998, 0.7, "0.6998"), (0.7003, 0.7, "0.70"),
    (0.73, 0.7, "0.73"), (0.3249, 0.325, "0.32"), (0.3251, 0.325, "0.33"),
])
def test_explain_never_rounds_a_score_onto_the_other_side_of_the_threshold(score, limit, expected):
    assert shown(score, limit) == expected


@pytest.mark.parametrize("config, limit, source", [
    (None, None, "the model's own"),
    ("options:\n  blames-interviewer:\n    min-score: {blame: 0.7}\n", 0.70, "set by the rule or your config"),
])
def test_explain_shows_the_threshold_and_the_sentences_either_side_of_it(tmp_path, config, limit, source):
    if config:
        (tmp_path / ".followup-lint.yaml").write_text(config, encoding="utf-8")
    out = run_cli("explain", "FL301", cwd=tmp_path)
    assert out.returncode == 0
    assert "Judged by the move model" in out.stdout
    head, rows = _ladder(out.stdout, "blame")
    shown = float(head.split("makes the move at a score of ")[1].split()[0])
    assert source in head
    if limit is not None:
        assert shown == limit
    # two sentences that make it, just above the line, then two that do not, just under it
    assert [side for _, side in rows] == ["makes", "makes", "does", "does"]
    assert all(s >= shown for s, _ in rows[:2]) and all(s < shown for s, _ in rows[2:])
    # the rule's own per-move thresholds are kept where the configuration names another move
    member, _ = _ladder(out.stdout, "blame-reader")
    assert "0.50 or more" in member


# -- messages that stay true in every combination of findings (issue 9, item 7) ----------------------

def test_missing_ownership_and_missing_can_do_better_do_not_contradict_each_other(lint):
    text = "Dear Ms. Ode,\n\nThank you for Tuesday. I am still keen on the role.\n\nBest,\nKai\n"
    found = {f.code: f for f in lint(text)}
    assert {"FL201", "FL203"} <= set(found)
    assert "owns the gap" not in found["FL203"].message
    assert "never says you can do better" in found["FL203"].message


def test_the_piled_up_apology_message_counts_the_one_it_underlines(lint):
    text = ("Dear Ms. Ode,\n\nI'm sorry I was late. Sorry my answer on rotas missed what you needed. "
            "I apologise for rambling, and sorry again.\n\nBest,\nKai\n")
    (f,) = [f for f in lint(text) if f.code == "FL702"]
    assert text[f.start:f.end] == "apologise"
    assert f.message.startswith("This is apology 3 of 4 in the note")


@pytest.mark.parametrize("footer", ["Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android"])
def test_a_mail_apps_footer_is_not_the_writers_and_is_never_underlined(lint, footer):
    text = ("Hi Dana,\n\nI know my answer on rotas missed what you needed, and I can do better. "
            f"I'm still keen and would love another chat.\n\n{footer}\n")
    found = lint(text)
    assert [f for f in found if f.code == "FL601"]
    assert all(footer not in text[f.start:f.end] for f in found)
