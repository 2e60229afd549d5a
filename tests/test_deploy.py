"""Offline checks of deploy/ and docs/deploy.md: each test fails on a broken file, none needs a network.

What validates what:

- Kubernetes objects: against the Kubernetes OpenAPI JSON schemas shipped inside the
  ``kubernetes-validate`` wheel (strict: unknown fields fail), plus cross-checks no schema
  can express (selectors match labels, referenced ConfigMaps/Secrets exist, replicas vs
  partitions). ``kubectl kustomize`` renders the kustomization when kubectl is installed.
- Compose: ``docker compose config -q`` when the compose plugin is installed (it needs no
  engine); otherwise the compose-spec JSON schema vendored in the ``check-jsonschema`` wheel.
  Structural checks (dependency conditions, scalable worker) run either way.
- Every ``FACTSTREAM_*`` name in deploy/ and docs/deploy.md is a field of Settings; every
  ``factstream <command>`` invoked is a known command, and parses with the real CLI when the
  command exists there already (``serve`` is still to come).
- Dockerfile: multi-stage, non-root numeric user, entrypoint/cmd, healthcheck, COPY sources
  exist and pass the .dockerignore allow-list.
- systemd units: ``systemd-analyze verify`` (warnings fail) when available, else structure.
"""

from __future__ import annotations

import copy
import http.server
import importlib.util
import json
import re
import shlex
import shutil
import subprocess
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from factstream.ports import free_port
from factstream.settings import Settings

yaml = pytest.importorskip("yaml", reason="the deploy checks need PyYAML (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
SYSTEMD = DEPLOY / "systemd"
DOCS = ROOT / "docs" / "deploy.md"

# Oldest Kubernetes minor still commonly run by managed offerings; the manifests use nothing newer.
K8S_VERSION = "1.30.0"

# The commands the deploy files may invoke (`serve` is the api, still being written).
ALLOWED_COMMANDS = {"run", "db migrate", "topics create", "ingest", "claims list", "config", "serve"}
GROUPS = {"db", "topics", "claims", "contradictions", "services"}
# Global options of `factstream` that take a value (skipped when finding the command).
GLOBAL_VALUE_OPTIONS = {"--kafka-bootstrap", "--database-url", "--state-dir", "--log-level"}

# The image's name in compose.yaml and the Kubernetes manifests (kustomize rewrites the latter).
IMAGE = "factstream"
ENV_RE = re.compile(r"\bFACTSTREAM_[A-Z0-9_]+\b")
SETTINGS_ENV = {f"FACTSTREAM_{name.upper()}" for name in Settings.model_fields}


def deploy_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in {".yaml", ".yml"})


def load_all(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def k8s_objects() -> list[tuple[Path, dict[str, Any]]]:
    return [
        (p, doc) for p in sorted(K8S.glob("*.yaml")) if p.name != "kustomization.yaml" for doc in load_all(p)
    ]


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    for _, obj in k8s_objects():
        if obj["kind"] in {"Deployment", "Job"}:
            yield obj["metadata"]["name"], obj["spec"]["template"]["spec"]


def containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def config_map_data() -> dict[str, str]:
    (cm,) = [o for _, o in k8s_objects() if o["kind"] == "ConfigMap"]
    return cm["data"]


# -- YAML --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_parses(path: Path) -> None:
    assert load_all(path), f"{path} is empty"


# -- Kubernetes --------------------------------------------------------------------------------


@pytest.mark.parametrize("path,obj", k8s_objects(), ids=[f"{p.name}:{o['kind']}" for p, o in k8s_objects()])
def test_k8s_object_matches_schema(path: Path, obj: dict[str, Any]) -> None:
    """Every Kubernetes object is valid against its schema, with no unknown field (strict)."""
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    try:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        pytest.fail(f"{path.name}: {obj['kind']} {obj['metadata']['name']} is not valid: {exc}")


def test_k8s_schema_validation_catches_a_typo() -> None:
    """Guard the guard: strict validation must reject an unknown field."""
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    (deployment,) = [o for _, o in k8s_objects() if o["metadata"]["name"] == "factstream-worker"]
    broken = copy.deepcopy(deployment)
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["exce"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(kustomization["resources"]) == sorted(manifests)
    assert [i["name"] for i in kustomization["images"]] == [IMAGE]
    kinds = {o["kind"] for _, o in k8s_objects()}
    assert {"Namespace", "ConfigMap", "Secret", "Job", "Deployment", "Service"} <= kinds


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kustomize_renders() -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    rendered = [d for d in yaml.safe_load_all(out.stdout) if d]
    assert len(rendered) == len(k8s_objects())
    for obj in rendered:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "factstream", obj["metadata"]["name"]
        if obj["kind"] in {"Deployment", "Job"}:
            for c in containers(obj["spec"]["template"]["spec"]):
                assert c["image"] != IMAGE, "kustomize did not rewrite the image"


def test_k8s_selectors_match_pod_labels() -> None:
    pod_labels = {}
    for _, obj in k8s_objects():
        if obj["kind"] == "Deployment":
            labels = obj["spec"]["template"]["metadata"]["labels"]
            assert obj["spec"]["selector"]["matchLabels"].items() <= labels.items(), obj["metadata"]["name"]
            pod_labels[obj["metadata"]["name"]] = labels
    for _, svc in (x for x in k8s_objects() if x[1]["kind"] == "Service"):
        matched = [n for n, labels in pod_labels.items() if svc["spec"]["selector"].items() <= labels.items()]
        assert matched, f"Service {svc['metadata']['name']} selects no pods"
        for port in svc["spec"]["ports"]:
            names = {
                p.get("name")
                for _, o in k8s_objects()
                if o["kind"] == "Deployment" and o["metadata"]["name"] in matched
                for c in o["spec"]["template"]["spec"]["containers"]
                for p in c.get("ports", [])
            }
            assert port["targetPort"] in names, f"targetPort {port['targetPort']} is no named container port"


def test_k8s_references_exist() -> None:
    names = {(o["kind"], o["metadata"]["name"]) for _, o in k8s_objects()}
    for pod_name, pod in pod_specs():
        for c in containers(pod):
            for source in c.get("envFrom", []):
                if "configMapRef" in source:
                    assert ("ConfigMap", source["configMapRef"]["name"]) in names, pod_name
                if "secretRef" in source:
                    assert ("Secret", source["secretRef"]["name"]) in names, pod_name
            volumes = {v["name"] for v in pod.get("volumes", [])}
            for mount in c.get("volumeMounts", []):
                assert mount["name"] in volumes, f"{pod_name}/{c['name']}: no volume {mount['name']}"


def test_k8s_every_container_has_both_connection_settings() -> None:
    """Without both, `factstream` would try to start embedded services inside the pod."""
    for pod_name, pod in pod_specs():
        for c in containers(pod):
            assert {s.get("configMapRef", s.get("secretRef", {})).get("name") for s in c["envFrom"]} == {
                "factstream-config",
                "factstream-database",
            }, pod_name
    assert "FACTSTREAM_KAFKA_BOOTSTRAP" in config_map_data()
    (secret,) = [o for _, o in k8s_objects() if o["kind"] == "Secret"]
    assert set(secret["stringData"]) == {"FACTSTREAM_DATABASE_URL", "FACTSTREAM_API_TOKEN"}
    assert "FACTSTREAM_DATABASE_URL" not in config_map_data(), "the password belongs in the Secret"


def test_k8s_pods_run_as_non_root() -> None:
    for pod_name, pod in pod_specs():
        assert pod["securityContext"]["runAsNonRoot"] is True, pod_name
        assert pod["securityContext"]["runAsUser"] != 0, pod_name
        for c in containers(pod):
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, pod_name


def test_k8s_worker_probes_and_scale() -> None:
    (worker,) = [o for _, o in k8s_objects() if o["metadata"]["name"] == "factstream-worker"]
    (container,) = worker["spec"]["template"]["spec"]["containers"]
    for probe in ("livenessProbe", "readinessProbe"):
        assert container[probe]["exec"]["command"] == ["factstream-healthcheck"], probe
    assert config_map_data()["FACTSTREAM_WEB_PORT"] == "6066"
    # Workers beyond the partition count get no partitions: they would only idle.
    assert worker["spec"]["replicas"] <= int(config_map_data()["FACTSTREAM_TOPIC_PARTITIONS"])
    grace = worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace > 60, "`factstream run` may take 60 s to flush and commit on SIGTERM"


def test_k8s_config_values_are_valid_settings() -> None:
    """Every ConfigMap entry is a setting with a valid value (a bad value raises), and is taken."""
    values = {k.removeprefix("FACTSTREAM_").lower(): v for k, v in config_map_data().items()}
    settings = Settings(**values, database_url="postgresql://u:p@h/db")
    assert set(values) <= settings.model_fields_set, "a ConfigMap entry is not a setting"


# -- Compose -----------------------------------------------------------------------------------


def _compose_plugin_works() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


def test_compose_is_valid() -> None:
    if _compose_plugin_works():
        env_file = DEPLOY / ".env.example"
        out = subprocess.run(
            [
                "docker",
                "compose",
                "--env-file",
                str(env_file),
                "-f",
                str(DEPLOY / "compose.yaml"),
                "config",
                "-q",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        return
    package = importlib.util.find_spec("check_jsonschema")
    if package is None or not package.submodule_search_locations:
        pytest.skip("neither the docker compose plugin nor check-jsonschema (compose-spec schema) installed")
    import jsonschema

    # Only the vendored schema file is used; the package is not imported (its CLI needs a
    # newer click than faust-streaming allows).
    (location,) = package.submodule_search_locations
    schema = json.loads((Path(location) / "builtin_schemas" / "vendor" / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_compose_services_and_dependencies() -> None:
    services = compose()["services"]
    assert {"kafka", "postgres", "migrate", "topics", "worker", "api"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:3.")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["postgres"]["image"].startswith("postgres:16")
    for name, service in services.items():
        assert "healthcheck" in service or service.get("image", "").startswith(IMAGE), name
        for dep, cond in service.get("depends_on", {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            wanted = "service_completed_successfully" if dep in {"migrate", "topics"} else "service_healthy"
            assert cond["condition"] == wanted, f"{name} -> {dep}"
            if wanted == "service_healthy":
                assert "healthcheck" in services[dep], f"{dep} has no healthcheck to wait for"
    assert services["migrate"]["command"] == ["db", "migrate"]
    assert services["topics"]["command"] == ["topics", "create"]
    for one_shot in ("migrate", "topics"):
        assert services[one_shot]["restart"] == "no"


def test_compose_worker_is_scalable() -> None:
    worker = compose()["services"]["worker"]
    # `--scale worker=N` fails on a fixed container name or host port, and replicas sharing
    # one state volume would share faust's data directory.
    assert "container_name" not in worker
    assert "ports" not in worker
    assert "volumes" not in worker


def test_compose_variables_have_defaults_or_are_in_env_example() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    example = {
        line.split("=", 1)[0]
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    for name, op in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+]?)", text):
        assert op or name in example, f"${{{name}}} has no default and is not in .env.example"
        if op.endswith("?"):
            assert name in example, f"required ${{{name}}} is missing from .env.example"


# -- settings and commands across every file -----------------------------------------------------


def _env_names(path: Path) -> set[str]:
    return set(ENV_RE.findall(path.read_text(errors="replace")))


@pytest.mark.parametrize("path", [*deploy_files(), DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_env_vars_are_settings_fields(path: Path) -> None:
    unknown = _env_names(path) - SETTINGS_ENV
    assert not unknown, f"not fields of factstream.settings.Settings: {sorted(unknown)}"


def test_env_examples_set_valid_values() -> None:
    for path in (DEPLOY / ".env.example", SYSTEMD / "factstream.env.example"):
        values = {}
        for line in path.read_text().splitlines():
            if line.startswith("FACTSTREAM_"):
                key, value = line.split("=", 1)
                values[key.removeprefix("FACTSTREAM_").lower()] = value
        settings = Settings(**values)  # raises on a bad value
        assert values and set(values) <= settings.model_fields_set, f"{path.name} sets no setting it names"


def _invocations() -> Iterator[tuple[str, list[str]]]:
    """Every `factstream` argument list the deploy files and the guide run."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    entrypoint = json.loads(re.findall(r"^ENTRYPOINT\s+(.+)$", dockerfile, re.M)[-1])
    cmd = json.loads(re.findall(r"^CMD\s+(.+)$", dockerfile, re.M)[-1])
    assert entrypoint == ["factstream"]
    yield "Dockerfile", cmd
    for name, service in compose()["services"].items():
        if service.get("image", "").startswith(IMAGE):
            yield f"compose.yaml:{name}", service.get("command", cmd)
    for pod_name, pod in pod_specs():
        for c in containers(pod):
            if c["image"] == IMAGE:
                if "command" in c:
                    assert c["command"][0] == "factstream"
                    yield f"k8s:{pod_name}", c["command"][1:] + c.get("args", [])
                else:
                    yield f"k8s:{pod_name}", c.get("args", cmd)
    for unit in SYSTEMD.glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                argv = shlex.split(line.split("=", 1)[1])
                assert argv[0].endswith("/factstream"), line
                yield unit.name, argv[1:]
    yield from _doc_invocations()


def _doc_invocations() -> Iterator[tuple[str, list[str]]]:
    in_block = False
    for no, line in enumerate(DOCS.read_text().splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if not in_block or line.lstrip().startswith("#"):
            continue
        try:
            argv = shlex.split(line, comments=True)
        except ValueError:
            continue
        for i, token in enumerate(argv):
            if _is_factstream_binary(argv, i):
                yield f"docs/deploy.md:{no}", _until_shell_op(argv[i + 1 :])
            if token == "compose" and "run" in argv[i:]:
                rest = argv[argv.index("run", i) + 1 :]
                while rest and rest[0].startswith("-"):
                    rest = (
                        rest[2:] if rest[0] in {"-v", "--volume", "-e", "--env", "-w", "--name"} else rest[1:]
                    )
                services = compose()["services"]
                if rest and rest[0] in services:
                    yield f"docs/deploy.md:{no}", _until_shell_op(rest[1:]) or services[rest[0]]["command"]
            if token.startswith(f"{IMAGE}:") and argv[:2] == ["docker", "run"]:
                yield f"docs/deploy.md:{no}", _until_shell_op(argv[i + 1 :])


def _is_factstream_binary(argv: list[str], i: int) -> bool:
    """Whether argv[i] runs factstream (not e.g. the namespace in `kubectl -n factstream`)."""
    if argv[i].endswith("/bin/factstream"):
        return True
    if argv[i] != "factstream":
        return False
    before = argv[:i]
    return (
        not before
        or before[-1] in {"--", "exec", "sudo"}
        or all("=" in t and not t.startswith("-") for t in before)
    )


def _until_shell_op(argv: list[str]) -> list[str]:
    for i, token in enumerate(argv):
        if token in {"|", "&&", "||", ";", ">", "<", "\\"}:
            return argv[:i]
    return argv


def _command_of(argv: list[str]) -> str:
    args = list(argv)
    while args and args[0].startswith("-"):
        args = args[2:] if args[0] in GLOBAL_VALUE_OPTIONS else args[1:]
    assert args, f"no command in {argv}"
    return " ".join(args[:2]) if args[0] in GROUPS else args[0]


def _parse_with_cli(argv: list[str]) -> bool:
    """Parse argv with the real click CLI without running it; False if the command is not there yet."""
    from factstream.cli import main

    ctx = main.make_context("factstream", list(argv))
    command: click.Command = main
    while isinstance(command, click.Group):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            rest = [*getattr(ctx, "protected_args", []), *ctx.args]
        if not rest or command.get_command(ctx, rest[0]) is None:
            return False
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        ctx = sub.make_context(name, rest, parent=ctx)  # raises click.UsageError on a bad option
        command = sub
    return True


def test_invoked_commands_are_known() -> None:
    seen = list(_invocations())
    assert any(where.startswith("docs/") for where, _ in seen), "the guide shows no factstream command"
    for where, argv in seen:
        assert _command_of(argv) in ALLOWED_COMMANDS, f"{where}: factstream {' '.join(argv)}"
        _parse_with_cli(argv)


def test_cli_parse_check_catches_a_bad_option() -> None:
    with pytest.raises(click.UsageError):
        _parse_with_cli(["run", "--no-such-option"])


# -- Dockerfile ----------------------------------------------------------------------------------


def _dockerfile_stages() -> list[list[tuple[str, str]]]:
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, rest = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction.upper(), rest.strip()))
    return stages


def test_dockerfile_multi_stage_slim_non_root() -> None:
    stages = _dockerfile_stages()
    assert len(stages) >= 2, "expected a build stage and a runtime stage"
    assert "python:3.11-slim" in (DEPLOY / "Dockerfile").read_text()
    runtime = stages[-1]
    users = [rest for ins, rest in runtime if ins == "USER"]
    assert users, "the runtime stage never switches away from root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert any(ins == "RUN" and user in rest and "useradd" in rest for ins, rest in runtime), (
        "user not created"
    )
    assert any(ins == "HEALTHCHECK" and "factstream-healthcheck" in rest for ins, rest in runtime)
    assert any(ins == "COPY" and "--from=" in rest for ins, rest in runtime), "runtime copies nothing built"


def test_dockerfile_copy_sources_exist_and_are_not_ignored() -> None:
    allowed = [
        line[1:].rstrip("/")
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        if line.startswith("!")
    ]
    for stage in _dockerfile_stages():
        for ins, rest in stage:
            if ins != "COPY" or "--from=" in rest:
                continue
            *sources, _dest = rest.split()
            for source in sources:
                if "*" in source:
                    continue  # optional files (README.md*)
                source = source.rstrip("/")
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the build context"
                assert source in allowed, f"COPY {source}: excluded by Dockerfile.dockerignore"


def test_healthcheck_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("factstream_healthcheck", DEPLOY / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200 if self.path == "/" else 503)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        assert module.main(["hc", f"http://127.0.0.1:{port}/"]) == 0
        assert module.main(["hc", f"http://127.0.0.1:{port}/sick"]) == 1
    finally:
        server.shutdown()
    closed = free_port()
    assert module.main(["hc", f"http://127.0.0.1:{closed}/"]) == 1


# -- systemd -----------------------------------------------------------------------------------


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for no, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"{path.name}:{no}: not a key=value line in a section"
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


UNITS = ["factstream-worker@.service", "factstream-api.service", "factstream-migrate.service"]


@pytest.mark.parametrize("name", UNITS)
def test_systemd_unit_structure(name: str) -> None:
    unit = _unit(SYSTEMD / name)
    assert {"Unit", "Service", "Install"} <= set(unit)
    service = unit["Service"]
    assert service["ExecStart"][0].startswith("/"), "ExecStart needs an absolute path"
    assert service["User"] == ["factstream"]
    assert service["EnvironmentFile"] == ["/etc/factstream/factstream.env"]
    if name == "factstream-migrate.service":
        assert service["Type"] == ["oneshot"]
    else:
        assert "factstream-migrate.service" in unit["Unit"]["Requires"][0]
        assert "factstream-migrate.service" in unit["Unit"]["After"][0]


def test_systemd_worker_instances_do_not_collide() -> None:
    service = _unit(SYSTEMD / "factstream-worker@.service")["Service"]
    env = dict(e.split("=", 1) for e in service["Environment"])
    assert "%i" in env["FACTSTREAM_WEB_PORT"] and "%i" in env["FACTSTREAM_STATE_DIR"]
    # EnvironmentFile= overrides Environment=: the shared file must leave these to the units.
    assigned = {
        line.split("=", 1)[0]
        for line in (SYSTEMD / "factstream.env.example").read_text().splitlines()
        if line.startswith("FACTSTREAM_")
    }
    assert not assigned & {"FACTSTREAM_WEB_PORT", "FACTSTREAM_STATE_DIR"}


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify insists that ExecStart exists; point it at a stub in a copy of the units.
    stub = tmp_path / "factstream"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    for name in UNITS:
        text = (SYSTEMD / name).read_text().replace("/opt/factstream/bin/factstream", str(stub))
        (tmp_path / name).write_text(text)
    (tmp_path / "factstream-worker@6066.service").symlink_to(tmp_path / "factstream-worker@.service")
    targets = [str(tmp_path / n) for n in ("factstream-worker@6066.service", *UNITS[1:])]
    out = subprocess.run(
        ["systemd-analyze", "verify", *targets], capture_output=True, text=True, timeout=60, check=False
    )
    # Unknown keys and bad values are only warnings (exit 0): any output fails.
    assert out.returncode == 0 and not out.stderr.strip() and not out.stdout.strip(), out.stderr + out.stdout


# -- the guide ---------------------------------------------------------------------------------


# Files the guide tells the reader to create.
USER_CREATED = {"deploy/.env"}


def test_guide_names_only_existing_files() -> None:
    text = DOCS.read_text()
    named = set(re.findall(r"(?<![\w/.])((?:deploy|docs|tests)/[\w.@/-]*[\w@])", text))
    assert named, "the guide names no files"
    missing = sorted(n for n in named - USER_CREATED if not (ROOT / n).exists())
    assert not missing, f"docs/deploy.md names files that do not exist: {missing}"


def test_guide_documents_every_setting() -> None:
    missing = SETTINGS_ENV - _env_names(DOCS)
    assert not missing, f"docs/deploy.md does not mention {sorted(missing)}"
