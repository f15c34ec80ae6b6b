"""deploy/kubernetes/: kustomize builds the base and the sub-path overlay, every object is valid
for the Kubernetes API (kubernetes-validate --strict, offline), and what the objects say of the
app agrees with the app: its probes' paths answer as a probe needs, on the port it serves.

kubectl (with kustomize inside) and kubernetes-validate come from the test extra.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from app.config import REPO_ROOT

KUBERNETES = REPO_ROOT / "deploy" / "kubernetes"
OVERLAYS = ["base", "sub-path"]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The test extra's copy of a tool, else one on the PATH; skipped when there is none."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: `make venv` installs it from the test extra")
    return found


def built(overlay: str) -> str:
    """`kubectl kustomize` of one overlay, as YAML."""
    return subprocess.run(
        [tool("kubectl"), "kustomize", str(KUBERNETES / overlay)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def objects(overlay: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The built objects by kind and name."""
    return {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(built(overlay)) if o}


def validate(manifests: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("kubernetes-validate"), "--strict", "--quiet", "-"],
        input=manifests,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_is_valid_for_the_kubernetes_api(overlay: str) -> None:
    checked = validate(built(overlay))

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_validation_refuses_a_field_kubernetes_does_not_know() -> None:
    manifests = built("base").replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:")

    assert validate(manifests).returncode != 0


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_deployment_runs_the_app_as_the_issue_of_a_course_needs(overlay: str) -> None:
    built_objects = objects(overlay)
    deployment = built_objects[("Deployment", "backprop-visualizer")]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}

    assert env["STORE"] == "redis://redis:6379/0" and env["WEB_CONCURRENCY"] == "1"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert {"requests", "limits"} <= set(container["resources"])
    assert {kind for kind, _ in built_objects} >= {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "StatefulSet",
        "NetworkPolicy",
        "Ingress",
    }


@pytest.fixture(scope="module")
def app_client() -> Any:
    from app.config import Settings
    from app.main import create_app

    with TestClient(create_app(Settings(store="memory://"))) as client:
        yield client


@pytest.mark.parametrize("probe", ["livenessProbe", "readinessProbe", "startupProbe"])
def test_each_probe_asks_a_path_the_app_answers_200_on_the_port_it_serves(
    probe: str, app_client: TestClient
) -> None:
    built_objects = objects("base")
    [container] = built_objects[("Deployment", "backprop-visualizer")]["spec"]["template"]["spec"][
        "containers"
    ]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = {e["name"]: e["value"] for e in container["env"]}
    check = container[probe]["httpGet"]

    assert ports[check["port"]] == int(env["PORT"])
    assert app_client.get(check["path"]).status_code == 200
    service = built_objects[("Service", "backprop-visualizer")]
    assert service["spec"]["ports"][0]["targetPort"] == check["port"]


def test_only_the_app_reaches_redis_and_redis_keeps_an_append_only_file_on_a_volume() -> None:
    built_objects = objects("base")
    redis = built_objects[("StatefulSet", "redis")]
    [container] = redis["spec"]["template"]["spec"]["containers"]
    policy = built_objects[("NetworkPolicy", "redis")]["spec"]

    assert container["args"][:2] == ["--appendonly", "yes"]
    assert "noeviction" in container["args"]
    assert redis["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    assert policy["podSelector"]["matchLabels"] == redis["spec"]["selector"]["matchLabels"]
    assert policy["ingress"][0]["from"][0]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "backprop-visualizer"
    }


def test_the_ingress_streams_unbuffered_and_lets_every_body_the_app_takes_through() -> None:
    from app.config import MIB, Settings

    annotations = objects("base")[("Ingress", "backprop-visualizer")]["metadata"]["annotations"]
    settings = Settings(store="memory://")
    prefix = "nginx.ingress.kubernetes.io/"

    assert annotations[prefix + "proxy-buffering"] == "off"
    assert int(annotations[prefix + "proxy-body-size"].removesuffix("m")) * MIB >= max(
        settings.max_body_bytes, settings.max_restore_bytes
    )
    assert int(annotations[prefix + "proxy-read-timeout"]) >= 300


def test_the_sub_path_overlay_serves_the_app_under_its_prefix() -> None:
    built_objects = objects("sub-path")
    [container] = built_objects[("Deployment", "backprop-visualizer")]["spec"]["template"]["spec"][
        "containers"
    ]
    ingress = built_objects[("Ingress", "backprop-visualizer")]
    env = {e["name"]: e["value"] for e in container["env"]}

    assert env["ROOT_PATH"] == "/backprop"
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["path"].startswith("/backprop(")
