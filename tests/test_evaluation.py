"""eval-tags computes known figures on a tiny labelled set."""
import pytest

from generator.evaluation import evaluate


def test_scores_on_a_tiny_labelled_set():
    gold = [frozenset({"llm"}), frozenset({"llm", "inference"}), frozenset({"video"}), frozenset()]
    predicted = [frozenset({"llm"}), frozenset({"llm"}), frozenset({"video", "llm"}), frozenset({"video"})]
    per_tag, micro = evaluate(gold, predicted, ["llm", "inference", "video"])
    assert (per_tag["llm"].tp, per_tag["llm"].fp, per_tag["llm"].fn) == (2, 1, 0)
    assert per_tag["llm"].precision == pytest.approx(2 / 3)
    assert per_tag["llm"].recall == 1.0
    assert per_tag["inference"].f1 == 0.0
    assert per_tag["video"].f1 == pytest.approx(2 / 3)
    assert (micro.tp, micro.fp, micro.fn) == (3, 2, 1)
    assert micro.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_eval_command_reports_each_split(project, tmp_path, capsys, monkeypatch):
    from generator.cli import main
    labels = tmp_path / "labels.yml"
    labels.write_text(
        "- {title: 'Speculative decoding for LLM serving', abstract: 'We speed up large language model "
        "inference with speculative decoding and KV cache reuse.', tags: [llm, inference], split: tune}\n"
        "- {title: 'A robot arm', abstract: 'We teach a robot manipulation.', tags: [robotics], split: holdout}\n",
        encoding="utf-8")
    monkeypatch.chdir(project.root)
    assert main(["eval-tags", str(labels)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("holdout: 1 papers\n")  # not the project's labels: no "learned from" note
    assert "\n\ntune: 1 papers\n" in out and "\n\nall: 2 papers\n" in out
    assert out.rstrip().splitlines()[-1].startswith("micro-average")


def test_eval_on_the_projects_labels_says_which_figures_the_classifier_learned_from(project, capsys, monkeypatch):
    from generator.cli import main
    monkeypatch.chdir(project.root)
    assert main(["eval-tags", "content/tagging/labels.yml", "--split", "tune"]) == 0
    assert capsys.readouterr().out.startswith(
        "tune: 6455 papers (the classifier learned from the tune papers: optimistic)\n")
    assert main(["eval-tags", "content/tagging/labels.yml", "--split", "holdout", "--rules-only"]) == 0
    assert capsys.readouterr().out.startswith("holdout: 200 papers\n")
