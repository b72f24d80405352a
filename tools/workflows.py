"""The generated project's CI workflow (.github/workflows/ci.yml), run here as its runner would run it."""

import os
import subprocess
from pathlib import Path

import yaml


class StepFailed(RuntimeError):
    pass


def workflow_job(project_dir, name):
    return yaml.safe_load((Path(project_dir) / ".github" / "workflows" / "ci.yml").read_text())["jobs"][name]


def workflow_commands(project_dir, job="test"):
    """The shell lines of one job, in order."""
    for step in workflow_job(project_dir, job)["steps"]:
        yield from (line.strip() for line in step.get("run", "").splitlines() if line.strip())


def run_job_steps(project_dir, job, python, env=None):
    """Runs a job's steps as its runner would (each step a bash script), with ``python``'s virtualenv
    standing for the job's pip installs; returns the output of each step."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    for key, value in {**(workflow_job(project_dir, job).get("env") or {}), **(env or {})}.items():
        environment[key] = str(value)
    environment["PATH"] = os.pathsep.join([str(Path(python).parent), environment["PATH"]])
    outputs = []
    for step in workflow_job(project_dir, job)["steps"]:
        script = step.get("run", "")
        if not script or script.startswith("pip install"):
            continue
        bash = ["bash", "-e", "-c", script]
        result = subprocess.run(bash, cwd=project_dir, env=environment, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise StepFailed(f"{script}:\n{result.stdout}\n{result.stderr}")
        outputs.append(result.stdout)
    return outputs
