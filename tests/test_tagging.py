"""The rule tagger: term matching, scores, rule-file errors, and `archive explain`."""
from generator.tagging import TermMatcher, read_rules, score

SLUGS = {"llm", "multimodal", "datasets-benchmarks"}
RULES = """\
threshold: 6
max_count: 2
kind_weights: {strong: 3, weak: 1}
field_weights: {title: 3, abstract: 1, keywords: 3}
tags:
  llm:
    strong: [llm*, language model*]
    weak: [prompt*]
  multimodal:
    strong: [multimodal llm*, vision language*]
  datasets-benchmarks:
    strong: [new benchmark*]
    weak: [benchmark*, '*bench']
"""


def rules_of(text=RULES):
    rules, problems = read_rules(text, "rules.yml", SLUGS)
    assert problems == []
    return rules


def test_longest_term_wins_and_hides_the_words_inside_it():
    matcher = TermMatcher(["llm*", "multimodal llm*", "language model*"])
    assert matcher.find("Multimodal LLMs beat LLMs; language-modelling too") == [
        "multimodal llm*", "llm*", "language model*"]


def test_trailing_star_matches_word_endings_and_leading_star_word_beginnings():
    matcher = TermMatcher(["quantiz*", "*bench"])
    assert matcher.find("Quantized models on MMBench, SWE-bench and a bench; benchmarks are not") == [
        "quantiz*", "*bench", "*bench", "*bench"]


def test_score_weighs_kind_and_field_and_caps_repeats():
    [llm] = [d for d in score(rules_of(), "An LLM", "LLMs, LLMs and LLMs; prompts.", ()) if d.tag == "llm"]
    # title strong 3x3, abstract strong 3x1 capped at 2 occurrences, abstract weak 1x1
    assert llm.score == 9 + 6 + 1
    assert [(m.term, m.field, m.weight) for m in llm.matches] == [
        ("llm*", "abstract", 6.0), ("llm*", "title", 9.0), ("prompt*", "abstract", 1.0)]


def test_a_benchmark_named_in_the_title_and_abstract_reaches_the_threshold():
    decisions = score(rules_of(), "XBench: testing agents", "XBench has 500 tasks. XBench is hard.", ())
    [bench] = [d for d in decisions if d.tag == "datasets-benchmarks"]
    assert bench.score == 3 + 2


def test_rule_file_errors_name_file_line_and_fix():
    text = RULES.replace("weak: [prompt*]", "weak: [prompt*, '*bench*', '']").replace(
        "  multimodal:", "  robots:\n    strong: [robot*]\n  multimodal:")
    rules, problems = read_rules(text, "rules.yml", SLUGS)
    assert rules is None
    assert [str(p) for p in problems] == [
        "rules.yml:8: error: term '*bench*' of 'llm': a leading * is for one word with no trailing *",
        "rules.yml:8: error: term '' of 'llm' must be a phrase",
        "rules.yml:9: error: unknown tag 'robots': rules may only use tags of content/taxonomy.yml"]


def test_an_unquoted_leading_star_is_reported_as_a_yaml_alias():
    rules, problems = read_rules(RULES.replace("'*bench'", "*bench"), "rules.yml", SLUGS)
    assert rules is None
    assert [str(p) for p in problems] == [
        "rules.yml:13: error: YAML anchors and aliases are not allowed: write the value out"]


def test_explain_prints_each_tag_with_its_evidence(project, capsys, monkeypatch):
    from generator.cli import main
    monkeypatch.chdir(project.root)
    assert main(["explain", "flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness"]) == 0
    out = capsys.readouterr().out
    assert "attention" in out and "flashattention" in out.lower()
    assert "title" in out and "score" in out.lower()
    # FlashAttention is itself a labelled paper, so it is its own most similar one, with its hand-made tags
    assert "most similar labelled papers (their tags count as votes):\n      1.00  FlashAttention: Fast" in out
