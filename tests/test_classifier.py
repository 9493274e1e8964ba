"""The classifier learned from labelled papers: what it learns, that it is deterministic, its fallback."""
import numpy as np
from scipy.sparse import csr_matrix

from generator.classifier import THRESHOLD, _votes, decide, probabilities, signals, train
from generator.models import Labelled
from test_tagging import SLUGS, rules_of

AGENT = "We build an agent for tool use and web navigation; the agent plans with an LLM and calls tools. {}"
MODEL = "We pretrain a language model on web text; the LLM improves perplexity and scaling. {}"
BENCH = "We release a new benchmark of tasks with human annotations and a leaderboard. {}"


def labelled(split="tune"):
    papers = []
    for n in range(8):
        papers.append(Labelled(f"Agents {n}", AGENT.format(n), frozenset({"datasets-benchmarks"} if n > 5 else set()), split))
        papers.append(Labelled(f"Language models {n}", MODEL.format(n), frozenset({"llm"}), split))
        papers.append(Labelled(f"Bench {n}", BENCH.format(n), frozenset({"datasets-benchmarks"}), split))
    return papers


def test_the_classifier_learns_when_a_rule_word_misleads():
    tagger = train(rules_of(), sorted(SLUGS), labelled())
    text = ("An agent with an LLM", AGENT.format("The LLM agent uses tools."), ())
    assert [d.tag for d in decide(train(rules_of(), sorted(SLUGS), []), [text])[0]] == ["llm"]  # rules alone
    assert probabilities(tagger, text)["llm"] < THRESHOLD
    assert [d.tag for d in decide(tagger, [text])[0]] == []
    [llm] = decide(tagger, [("Scaling a language model", MODEL.format("LLM pretraining."), ())])[0]
    assert llm.tag == "llm" and llm.probability >= THRESHOLD and llm.matches  # the rules' evidence is kept


def test_without_tune_papers_the_rules_decide_alone():
    tagger = train(rules_of(), sorted(SLUGS), labelled(split="holdout"))
    assert tagger.classifier is None
    [decision] = decide(tagger, [("An LLM", "A large language model.", ())])[0]
    assert (decision.tag, decision.score, decision.probability) == ("llm", 12, None)


def test_training_twice_gives_the_same_probabilities():
    text = ("Benchmarking LLM agents", BENCH.format(AGENT.format("")), ())
    first, second = (probabilities(train(rules_of(), sorted(SLUGS), labelled()), text) for _ in range(2))
    assert first == second


def test_signals_name_the_words_and_rule_scores_that_pushed_a_tag_up():
    tagger = train(rules_of(), sorted(SLUGS), labelled())
    found = signals(tagger, ("A new benchmark", BENCH.format(""), ()), "datasets-benchmarks")
    names = [name for name, _ in found]
    assert "rule score of datasets-benchmarks" in names and "word 'benchmark'" in names
    assert all(weight > 0 for _, weight in found)


def test_a_tag_no_tune_paper_has_is_left_to_the_rules():
    papers = [p for p in labelled() if "datasets-benchmarks" not in p.tags]
    tagger = train(rules_of(), sorted(SLUGS), papers)
    assert "datasets-benchmarks" not in tagger.classifier.models
    text = ("XBench: a new benchmark", "We release a new benchmark and a new benchmark suite. XBench has tasks.", ())
    assert "datasets-benchmarks" in [d.tag for d in decide(tagger, [text])[0]]


def test_too_few_tune_papers_to_learn_from_leave_the_rules_alone():
    one = [Labelled("An LLM", "A large language model.", frozenset({"llm"}), "tune")]
    for papers in (one, one * 3, [Labelled("The", "a an the of", frozenset({"llm"}), "tune")] * 2):
        tagger = train(rules_of(), sorted(SLUGS), papers)
        assert [d.tag for d in decide(tagger, [("An LLM", "A large language model.", ())])[0]] == ["llm"]


def test_similar_labelled_papers_vote_for_their_tags_weighed_by_similarity():
    examples = csr_matrix([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    tagged = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    votes = _votes(csr_matrix([[1.0, 0.0]]), examples, tagged)
    # similarities 1, 0 and 0.6: tag 0 has weight 1.6 of 1.6, tag 1 0.6 of 1.6
    assert votes.round(3).tolist() == [[1.0, 0.375]]
    itself = _votes(examples, examples, tagged, themselves=True)
    assert itself[0].round(3).tolist() == [1.0, 1.0]  # its own row does not vote: only the third is similar


def test_labelled_neighbours_tag_what_words_alone_cannot_and_explain_it():
    # The tag goes with both words or neither (exclusive or): no weighing of words separates that,
    # the tags of the most similar labelled papers do.
    text = "We study a method on held data. {} {}"
    groups = (("alpha beta", True), ("", True), ("alpha", False), ("beta", False))
    papers = [Labelled(f"Study {words} {n}", text.format(words, n),
                       frozenset({"datasets-benchmarks"} if tagged else set()), "tune")
              for n in range(16) for words, tagged in groups]  # more alike papers than NEIGHBOURS
    tagger = train(rules_of(), sorted(SLUGS), papers)
    for words, tagged in groups:
        paper = (f"Study {words} 99", text.format(words, 99), ())
        assert [d.tag for d in decide(tagger, [paper])[0]] == (["datasets-benchmarks"] if tagged else [])
        [(name, _)] = signals(tagger, paper, "datasets-benchmarks")
        assert name == "similar labelled papers tagged datasets-benchmarks"


def test_votes_are_the_same_whatever_the_chunk_size(monkeypatch):
    from generator import classifier
    tagger = train(rules_of(), sorted(SLUGS), labelled())
    examples, tagged = tagger.classifier.examples, tagger.classifier.tagged
    whole = _votes(examples, examples, tagged, themselves=True)
    monkeypatch.setattr(classifier, "CHUNK", 5)  # 24 papers: chunks of 5, the last one short
    assert np.array_equal(_votes(examples, examples, tagged, themselves=True), whole)


def test_a_trained_tagger_is_kept_in_the_users_cache_until_what_it_learned_from_changes(project, tmp_path,
                                                                                        monkeypatch):
    from generator import incremental
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    trainings = []

    def train_once():
        trainings.append(1)
        return {"trained": len(trainings)}
    assert incremental.trained(project, train_once) == {"trained": 1}
    assert incremental.trained(project, train_once) == {"trained": 1}  # loaded, not trained again
    with project.labels.open("a", encoding="utf-8") as labels:
        labels.write("# a comment changes the file: what was learned from it may differ\n")
    assert incremental.trained(project, train_once) == {"trained": 2}
    assert len(list((tmp_path / "cache" / "paper-digest-archive").glob("tagger-*.pickle"))) == 2


def test_a_cache_that_cannot_be_written_only_makes_training_slower(project, tmp_path, monkeypatch):
    from generator import incremental
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert incremental.trained(project, lambda: "trained") == "trained"


def test_the_cache_keeps_only_the_most_recently_used_taggers(project, tmp_path, monkeypatch):
    from generator import incremental
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for n in range(incremental.KEPT_TAGGERS + 2):
        with project.labels.open("a", encoding="utf-8") as labels:
            labels.write(f"# version {n}\n")
        incremental.trained(project, lambda: n)
    assert len(list((tmp_path / "paper-digest-archive").glob("tagger-*.pickle"))) == incremental.KEPT_TAGGERS
    assert incremental.trained(project, lambda: "trained again") == incremental.KEPT_TAGGERS + 1  # the newest
