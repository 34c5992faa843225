"""Each check kind, with small inline rules, over small drafts."""
from __future__ import annotations

import pytest

from followup_lint.engine import Linter, render, select_rules
from followup_lint.errors import RuleError
from followup_lint.loader import rule_from_data
from followup_lint.sources import draft_from_text

EXAMPLES = {"fail": ["x"], "pass": ["y"]}


def make_rule(**fields):
    data = {"id": "test-rule", "code": "TT001", "name": "Test rule", "severity": "warning",
            "scope": "body", "advice": "brevity", "message": "found {match}",
            "description": "A rule for the tests.", "examples": EXAMPLES}
    data.update(fields)
    return rule_from_data(data, "test-rule.yaml")


def run(rule, text, path="d.txt"):
    return Linter([rule]).lint_draft(draft_from_text(text, path)).findings


def quoted(text, findings):
    return [text[f.start:f.end] for f in findings]


LETTER = "Dear Dana,\n\n{body}\n\nBest regards,\nLee\n"


def test_existence_phrases_are_whole_words_any_case_any_apostrophe():
    rule = make_rule(kind="existence", phrases=["I'm sorry", "fault"])
    text = LETTER.format(body="I’m SORRY. It was my fault, not a default setting.")
    assert quoted(text, run(rule, text)) == ["I’m SORRY", "fault"]


def test_existence_regex_and_lemmas():
    rule = make_rule(kind="existence", regex=[r"\bby (monday|friday)\b"], lemmas=["blame"])
    text = LETTER.format(body="Please answer by Friday. I blamed the traffic.")
    assert quoted(text, run(rule, text)) == ["by Friday", "blamed"]


def test_existence_never_matches_inside_a_placeholder_quote_or_signature():
    rule = make_rule(kind="existence", phrases=["company"], scope="document")
    text = "Dear Dana,\n\nI like {{ company }}.\n\nBest,\nLee\n-- \nLee, company man\n\n> company\n"
    assert run(rule, text) == []


def test_message_quotes_the_match_and_finding_has_exact_position():
    rule = make_rule(kind="existence", phrases=["no idea"], message="“{match}” sounds unsure")
    text = LETTER.format(body="Honestly I had no idea.")
    (f,) = run(rule, text)
    assert f.message == "“no idea” sounds unsure"
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 16, 3, 23)


def test_substitution_carries_a_fix_and_keeps_capitals():
    rule = make_rule(kind="substitution", swap={"miscommunication": "gap in my answers"},
                     message="say “{replacement}” instead of “{match}”", fix="safe")
    text = LETTER.format(body="Miscommunication happened. There was a miscommunication.")
    first, second = run(rule, text)
    assert first.message == "say “Gap in my answers” instead of “Miscommunication”"
    assert first.fix.safe and first.fix.edits[0].text == "Gap in my answers"
    assert second.fix.edits[0].text == "gap in my answers"
    assert text[second.fix.edits[0].start:second.fix.edits[0].end] == "miscommunication"


def test_occurrence_max_points_at_the_first_one_over():
    rule = make_rule(kind="occurrence", lemmas=["sorry"], phrases=["apologise", "apologize"], max=1,
                     scope="document", message="{count} apologies")
    text = LETTER.format(body="Sorry for the mess. I apologise again. Sorry!")
    (f,) = run(rule, text)
    assert f.message == "3 apologies"
    assert text[f.start:f.end] == "apologise"


def test_occurrence_min():
    rule = make_rule(kind="occurrence", phrases=["thank"], min=1, scope="document", message="no thanks")
    assert len(run(rule, LETTER.format(body="I can do better."))) == 1
    assert run(rule, LETTER.format(body="Thank you for the time.")) == []


def test_metric_words_points_past_the_limit():
    rule = make_rule(kind="metric", metric="words", max=5, message="{value} words, aim for {max}")
    text = LETTER.format(body="one two three four five six seven")
    (f,) = run(rule, text)
    assert f.message == "7 words, aim for 5"
    assert text[f.start:f.end] == "six seven"


def test_metric_words_per_sentence_scope_sentence():
    rule = make_rule(kind="metric", metric="words", max=6, scope="sentence", message="{value}")
    text = LETTER.format(body="Short one here. This sentence has far too many words in it to read. Fine.")
    (f,) = run(rule, text)
    assert text[f.start:f.end] == "This sentence has far too many words in it to read."
    assert f.message == "11"


def test_metric_exclamations_and_questions_and_readability():
    bang = make_rule(kind="metric", metric="exclamations", max=1, scope="document", message="{value}")
    assert [f.message for f in run(bang, LETTER.format(body="Great! Really! Thanks!"))] == ["3"]
    readable = make_rule(kind="metric", metric="readability", min=30, message="{value}")
    dense = ("Notwithstanding institutional considerations, organizational communicational "
             "misalignment characterized our multidimensional conversation.")
    assert len(run(readable, LETTER.format(body=dense))) == 1
    assert run(readable, LETTER.format(body="I can do better. I want to try again.")) == []


def test_greeting_is_not_the_first_sentence():
    rule = make_rule(kind="metric", metric="words", max=3, scope="sentence", message="{value}")
    text = "Dear Ms. Smith,\nThank you so much.\n\nBest,\nLee"
    (f,) = run(rule, text)
    assert text[f.start:f.end] == "Thank you so much."


def test_pattern_uses_spacy_token_attributes():
    rule = make_rule(kind="pattern", patterns=[[{"LOWER": "i"}, {"LEMMA": "deserve"}]])
    text = LETTER.format(body="I deserved better. You deserve thanks. I really deserve it.")
    assert quoted(text, run(rule, text)) == ["I deserved"]


def test_dependency_pattern_finds_you_as_subject_not_thank_you():
    rule = make_rule(kind="dependency", scope="sentence", dependency=[[
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": ["rush", "confuse"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subj", "RIGHT_ATTRS": {"DEP": "nsubj", "LOWER": "you"}},
    ]])
    text = LETTER.format(body="Thank you for the time. You rushed me. I confused you.")
    assert quoted(text, run(rule, text)) == ["You rushed"]


def test_unless_drops_hits_in_a_sentence_with_negation():
    rule = make_rule(kind="existence", lemmas=["blame"], scope="sentence",
                     unless={"patterns": [[{"DEP": "neg"}]]})
    text = LETTER.format(body="I don't blame anyone. I blame the schedule.")
    assert quoted(text, run(rule, text)) == ["blame"]
    assert run(rule, text)[0].start == text.index("I blame") + 2


def test_when_lacks_gates_the_rule_on_the_whole_draft():
    rule = make_rule(kind="existence", phrases=["went great"], when={"lacks": {"phrases": ["disconnect"]}})
    assert len(run(rule, LETTER.format(body="It went great."))) == 1
    assert run(rule, LETTER.format(body="It went great, though I see a disconnect.")) == []


def test_required_reports_the_missing_move_where_it_belongs():
    rule = make_rule(kind="required", scope="document", report_at="closing",
                     move={"phrases": ["all the best", "wish you"]}, message="no well-wishing")
    text = LETTER.format(body="I can do better.")
    (f,) = run(rule, text)
    assert text[f.start:f.end] == "Best regards,"
    assert run(rule, LETTER.format(body="I wish you the best.")) == []


def test_required_without_the_part_falls_back_to_the_last_paragraph():
    rule = make_rule(kind="required", scope="document", report_at="closing",
                     move={"phrases": ["wish you"]}, message="no well-wishing")
    text = "Dear Dana,\n\nFirst part.\n\nSecond part here."
    (f,) = run(rule, text)
    assert text[f.start:f.end] == "Second part here."


def test_placeholder_satisfies_a_name():
    rule = make_rule(kind="required", scope="greeting", report_at="greeting",
                     move={"patterns": [[{"POS": "PROPN"}]]}, message="greet by name")
    assert run(rule, "Dear {{ interviewer }},\n\nI can do better.\n\nBest,\nLee") == []
    assert len(run(rule, "Dear sir,\n\nI can do better.\n\nBest,\nLee")) == 1


def test_sentiment_bounds():
    rule = make_rule(kind="sentiment", scope="last_paragraph", min=0.0, message="tone {value}")
    sad = LETTER.format(body="I can do better.\n\nThis was awful and I am miserable about it.")
    (f,) = run(rule, sad)
    assert f.message.startswith("tone -")
    assert run(rule, LETTER.format(body="I can do better.\n\nI wish you a wonderful season.")) == []


def test_order_reports_the_move_that_comes_too_early():
    rule = make_rule(kind="order", scope="document", message="{move} before {before}", moves=[
        {"name": "ownership", "phrases": ["disconnect"]},
        {"name": "interest", "phrases": ["still interested"]},
        {"name": "well-wishing", "phrases": ["all the best"]},
    ])
    text = LETTER.format(body="All the best to you. I am still interested. I see the disconnect.")
    (f,) = run(rule, text)
    assert f.message == "interest before ownership"
    assert run(rule, LETTER.format(body="I see the disconnect. I am still interested. All the best.")) == []


def test_findings_are_sorted_by_position():
    a = make_rule(kind="existence", phrases=["zeta"], id="rule-a", code="TT002")
    b = make_rule(kind="existence", phrases=["alpha"], id="rule-b", code="TT003")
    text = LETTER.format(body="alpha zeta alpha")
    out = Linter([a, b]).lint_draft(draft_from_text(text, "d.txt")).findings
    assert [f.code for f in out] == ["TT003", "TT002", "TT003"]


def test_rules_without_spacy_needs_do_not_load_a_pipeline():
    rule = make_rule(kind="existence", phrases=["x"])
    linter = Linter([rule])
    assert linter.features == frozenset()
    linter.lint_draft(draft_from_text("x", "d.txt"))
    assert linter._pipeline is None


def test_pipeline_has_only_the_components_rules_need():
    from followup_lint.nlp import components_for

    assert components_for(["tokens"]) == set()
    assert "ner" not in components_for(["tags", "deps", "sents"])
    assert components_for(["sents"]) == {"senter"}
    assert "parser" in components_for(["deps", "sents"]) and "senter" not in components_for(["deps", "sents"])


def test_bad_regex_is_a_rule_error_naming_the_field():
    rule = make_rule(kind="existence", regex=["(unclosed"])
    with pytest.raises(RuleError) as err:
        Linter([rule])
    assert "regex[0]" in str(err.value) and "test-rule.yaml" in str(err.value)


def test_render_leaves_unknown_fields_and_survives_braces():
    assert render("{match} and {nope}", {"match": "x"}) == "x and {nope}"
    assert render("odd { brace", {}) == "odd { brace"


def test_select_and_ignore_by_code_prefix_and_id(rules):
    assert {r.code for r in select_rules(rules, ["FL3"])} == {r.code for r in rules if r.code.startswith("FL3")}
    assert all(r.id != "blames-interviewer" for r in select_rules(rules, [], ["blames-interviewer"]))
    assert select_rules(rules, ["ALL"]) == list(rules)


def _write_rules(tmp_path, rule_text, move_text=None):
    d = tmp_path / "my-rules"
    d.mkdir()
    (d / "r.yaml").write_text(rule_text)
    if move_text is not None:
        (d / "moves").mkdir()
        (d / "moves" / "thanks.yaml").write_text(move_text)
    return d


USE_RULE = """id: needs-thanks
code: TT201
name: Needs thanks
severity: warning
kind: required
scope: body
advice: interest
message: say thanks
description: Test rule.
move: {use: [says-thanks], phrases: [cheers]}
examples: {fail: ["x"], pass: ["y"]}
"""


def test_rules_share_named_moves_from_the_moves_library(tmp_path):
    from followup_lint.loader import load_rules

    d = _write_rules(tmp_path, USE_RULE, "name: says-thanks\ndescription: Thanks.\nphrases: [thank you, grateful]\n")
    (rule,) = load_rules([d], builtin=False)
    assert rule.options["move"] == {"phrases": ["cheers", "thank you", "grateful"]}
    assert run(rule, LETTER.format(body="I am grateful.")) == []
    assert len(run(rule, LETTER.format(body="I can do better."))) == 1


def test_an_unknown_move_names_the_rule_and_field(tmp_path):
    from followup_lint.loader import load_rules

    d = _write_rules(tmp_path, USE_RULE)
    with pytest.raises(RuleError) as err:
        load_rules([d], builtin=False)
    msg = str(err.value)
    assert "r.yaml:10:" in msg and "rule 'needs-thanks', field 'move.use'" in msg and "no move named 'says-thanks'" in msg


def test_a_bad_move_file_names_the_file_and_field(tmp_path):
    from followup_lint.loader import load_rules

    d = _write_rules(tmp_path, USE_RULE, "name: says-thanks\nphrasez: [thanks]\n")
    with pytest.raises(RuleError) as err:
        load_rules([d], builtin=False)
    assert "thanks.yaml:2:" in str(err.value) and "field 'phrasez'" in str(err.value)


def test_a_placeholder_left_in_the_subject_is_reported(rules):
    placeholder_rules = [r for r in rules if r.id == "leftover-placeholder"]
    text = "Subject: Interview for [Job Title]\n\nDear Ana,\n\nI can do better.\n\nBest,\nLee\n"
    found = Linter(placeholder_rules).lint_draft(draft_from_text(text, "d.txt")).findings
    assert [text[f.start:f.end] for f in found] == ["[Job Title]"]
