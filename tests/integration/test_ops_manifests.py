"""The container recipe and the Kubernetes manifests (issue 22), checked
without a cluster: each object against the fields and types that matter for
it (unknown keys there are typos), the references between objects
(selectors, named ports, the HPA's target), the shutdown arithmetic
(terminationGracePeriodSeconds > preStop + --drain-timeout), and the
server started for real with the manifest's and the image's arguments, its
probes and Prometheus port asked. The image's runtime packages are checked to
provide every shared library the server links.

Run alone: HTTPSTATUS_BIN=build/httpstatus python3 -m pytest -q \
  tests/integration/test_ops_manifests.py          (python3-yaml)
"""
import json
import re
import shlex
import subprocess
import time

import pytest
import requests
import yaml

from conftest import BIN, REPO

MANIFEST = REPO / "dist" / "kubernetes" / "httpstatus.yaml"
CONTAINERFILE = REPO / "dist" / "container" / "Containerfile"

# Field → expected type (a dict: a nested object; a list of one element: an
# array of those). Only these keys may appear in the objects described.
PROBE = {"httpGet": {"path": str, "port": (str, int)}, "periodSeconds": int,
         "failureThreshold": int, "initialDelaySeconds": int, "timeoutSeconds": int}
CONTAINER = {
    "name": str, "image": str, "imagePullPolicy": str, "args": [str], "command": [str],
    "ports": [{"name": str, "containerPort": int, "protocol": str}],
    "readinessProbe": PROBE, "livenessProbe": PROBE, "startupProbe": PROBE,
    "lifecycle": {"preStop": {"exec": {"command": [str]}}},
    "resources": {"requests": {"cpu": str, "memory": str}, "limits": {"cpu": str, "memory": str}},
    "securityContext": {"readOnlyRootFilesystem": bool, "allowPrivilegeEscalation": bool,
                        "capabilities": {"drop": [str]}, "runAsNonRoot": bool},
    "env": [{"name": str, "value": str}],
}
LABELS = {"app.kubernetes.io/name": str}
META = {"name": str, "labels": LABELS, "annotations": dict}
SCHEMAS = {
    ("apps/v1", "Deployment"): {
        "apiVersion": str, "kind": str, "metadata": META,
        "spec": {
            "replicas": int, "selector": {"matchLabels": LABELS},
            "strategy": {"type": str, "rollingUpdate": {"maxUnavailable": (int, str),
                                                        "maxSurge": (int, str)}},
            "template": {
                "metadata": {"labels": LABELS, "annotations": {
                    "prometheus.io/scrape": str, "prometheus.io/port": str,
                    "prometheus.io/path": str}},
                "spec": {"terminationGracePeriodSeconds": int,
                         "automountServiceAccountToken": bool,
                         "securityContext": {"runAsNonRoot": bool, "runAsUser": int,
                                             "runAsGroup": int,
                                             "seccompProfile": {"type": str}},
                         "containers": [CONTAINER]}}}},
    ("v1", "Service"): {
        "apiVersion": str, "kind": str, "metadata": META,
        "spec": {"selector": LABELS, "type": str,
                 "ports": [{"name": str, "port": int, "targetPort": (str, int),
                            "protocol": str}]}},
    ("autoscaling/v2", "HorizontalPodAutoscaler"): {
        "apiVersion": str, "kind": str, "metadata": META,
        "spec": {"scaleTargetRef": {"apiVersion": str, "kind": str, "name": str},
                 "minReplicas": int, "maxReplicas": int,
                 "metrics": [{"type": str, "resource": {
                     "name": str, "target": {"type": str, "averageUtilization": int}}}]}},
    ("policy/v1", "PodDisruptionBudget"): {
        "apiVersion": str, "kind": str, "metadata": META,
        "spec": {"minAvailable": (int, str), "maxUnavailable": (int, str),
                 "selector": {"matchLabels": LABELS}}},
}


def check(value, schema, path="$"):
    """Raises AssertionError naming the first field of the wrong type or unknown."""
    if isinstance(schema, dict):
        assert isinstance(value, dict), f"{path}: an object expected, got {value!r}"
        for k, v in value.items():
            assert k in schema, f"{path}.{k}: unknown field (a typo?)"
            check(v, schema[k], f"{path}.{k}")
    elif isinstance(schema, list):
        assert isinstance(value, list) and value, f"{path}: a non-empty list expected"
        for i, v in enumerate(value):
            check(v, schema[0], f"{path}[{i}]")
    elif schema is dict:
        assert isinstance(value, dict), f"{path}: an object expected"
    else:
        types = schema if isinstance(schema, tuple) else (schema,)
        ok = isinstance(value, types) and not (bool not in types and isinstance(value, bool))
        assert ok, f"{path}: {types} expected, got {value!r}"


def docs():
    return [d for d in yaml.safe_load_all(MANIFEST.read_text()) if d]


def by_kind(kind):
    found = [d for d in docs() if d["kind"] == kind]
    assert len(found) == 1, f"one {kind} expected"
    return found[0]


def duration_s(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)?", text)
    assert m, text
    n = float(m.group(1))
    return {"ms": n / 1000, "s": n, "m": n * 60, None: n}[m.group(2)]


def test_objects_match_their_schema():
    kinds = set()
    for d in docs():
        key = (d.get("apiVersion"), d.get("kind"))
        assert key in SCHEMAS, f"unexpected object {key}"
        check(d, SCHEMAS[key], f"{d['kind']}")
        kinds.add(d["kind"])
    assert kinds == {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}


def test_the_schema_check_catches_mistakes():
    dep = by_kind("Deployment")
    schema = SCHEMAS[("apps/v1", "Deployment")]
    bad = json.loads(json.dumps(dep))
    bad["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(AssertionError, match="readinesProbe"):
        check(bad, schema)
    bad = json.loads(json.dumps(dep))
    bad["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = "40"
    with pytest.raises(AssertionError, match="terminationGracePeriodSeconds"):
        check(bad, schema)


def test_references_between_objects():
    dep, svc = by_kind("Deployment"), by_kind("Service")
    hpa, pdb = by_kind("HorizontalPodAutoscaler"), by_kind("PodDisruptionBudget")
    pod_labels = dep["spec"]["template"]["metadata"]["labels"]
    for sel in (dep["spec"]["selector"]["matchLabels"], svc["spec"]["selector"],
                pdb["spec"]["selector"]["matchLabels"]):
        assert sel.items() <= pod_labels.items(), sel
    c = dep["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    for p in svc["spec"]["ports"]:
        assert p["targetPort"] in ports or p["targetPort"] in ports.values()
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        assert c[probe]["httpGet"]["path"] == path
        assert c[probe]["httpGet"]["port"] in ports
    ref = hpa["spec"]["scaleTargetRef"]
    assert (ref["kind"], ref["name"]) == ("Deployment", dep["metadata"]["name"])
    assert hpa["spec"]["minReplicas"] >= 2 and pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]
    assert c["resources"]["requests"]["cpu"], "the HPA's CPU utilisation needs a CPU request"


def test_shutdown_fits_the_grace_period():
    dep = by_kind("Deployment")
    spec = dep["spec"]["template"]["spec"]
    c = spec["containers"][0]
    args = c["args"]
    drain = duration_s(args[args.index("--drain-timeout") + 1])
    pre = c["lifecycle"]["preStop"]["exec"]["command"]
    assert pre[0] == "sleep"
    assert spec["terminationGracePeriodSeconds"] > float(pre[1]) + drain


def test_pod_hardening_and_scrape_annotation():
    dep = by_kind("Deployment")
    spec = dep["spec"]["template"]["spec"]
    c = spec["containers"][0]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    ann = dep["spec"]["template"]["metadata"]["annotations"]
    assert ann["prometheus.io/scrape"] == "true"
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert int(ann["prometheus.io/port"]) == ports["metrics"]
    args = c["args"]
    assert args[args.index("--metrics-listen") + 1].endswith(f":{ports['metrics']}")


def run_with(args, tmp_path):
    """Starts the server with args (addresses moved to 127.0.0.1, port 0);
    returns (process, {kind: port}) after its start-up lines."""
    moved = [re.sub(r"^0\.0\.0\.0:\d+$", "127.0.0.1:0", a) for a in args]
    err_path = tmp_path / "err.txt"
    err = open(err_path, "w")
    p = subprocess.Popen([BIN, "serve", *moved], stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 10
    while "web reference" not in err_path.read_text():
        assert p.poll() is None and time.monotonic() < deadline, err_path.read_text()
        time.sleep(0.05)
    text = err_path.read_text()
    ports = {}
    for line in text.splitlines():
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+) \((.*)\)", line)
        if m:
            ports["metrics" if "/metrics" in m.group(2) else "http"] = int(m.group(1))
    return p, ports, err


def stop(p, err):
    p.terminate()
    assert p.wait(timeout=30) == 0
    err.close()


def test_manifest_arguments_run_the_server(tmp_path):
    c = by_kind("Deployment")["spec"]["template"]["spec"]["containers"][0]
    p, ports, err = run_with(c["args"], tmp_path)
    try:
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            g = c[probe]["httpGet"]
            r = requests.get(f"http://127.0.0.1:{ports[g['port']]}{g['path']}", timeout=5)
            assert r.status_code == 200, (probe, r.status_code)
        ann = by_kind("Deployment")["spec"]["template"]["metadata"]["annotations"]
        r = requests.get(f"http://127.0.0.1:{ports['metrics']}{ann['prometheus.io/path']}",
                         timeout=5)
        assert r.status_code == 200 and "httpstatus_requests_total" in r.text
    finally:
        stop(p, err)


def containerfile():
    text = CONTAINERFILE.read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_containerfile_stages_user_and_healthcheck():
    lines = containerfile()
    froms = [l for l in lines if l.startswith("FROM ")]
    assert froms[0].split()[1] == "debian:12" and froms[0].split()[-1] == "build"
    assert froms[-1].split()[1] == "debian:12-slim" and len(froms) == 2
    runtime = lines[lines.index(froms[-1]):]
    user = [l for l in runtime if l.startswith("USER ")]
    assert user and user[-1].split()[1].split(":")[0] not in ("0", "root")
    hc = [l for l in runtime if l.startswith("HEALTHCHECK ")]
    assert hc and "/healthz" in hc[0]


def test_containerfile_command_runs_and_healthcheck_passes(tmp_path):
    lines = containerfile()
    entry = json.loads([l for l in lines if l.startswith("ENTRYPOINT ")][0][len("ENTRYPOINT "):])
    cmd = json.loads([l for l in lines if l.startswith("CMD ")][-1][len("CMD "):])
    assert entry[-1] == "serve"
    p, ports, err = run_with(cmd, tmp_path)
    try:
        hc = [l for l in lines if l.startswith("HEALTHCHECK ")][0]
        argv = json.loads(hc[hc.index("CMD ") + 4:])
        script = argv[2].replace("/8080", f"/{ports['http']}")
        assert subprocess.run(argv[:2] + [script], timeout=10).returncode == 0
        bad = argv[2].replace("/healthz", "/status/500").replace("/8080", f"/{ports['http']}")
        assert subprocess.run(argv[:2] + [bad], timeout=10).returncode != 0
    finally:
        stop(p, err)


def test_runtime_stage_has_every_library_the_server_links():
    """ldd of the server built here → the Debian packages owning those
    libraries must all be installed by the runtime stage (or be in slim)."""
    serve = str(BIN) + "-serve"
    out = subprocess.run(["ldd", serve], capture_output=True, text=True, check=True).stdout
    # a sanitizer build links its runtime too: not part of the image's build
    libs = [lib for lib in re.findall(r"=> (/\S+)", out)
            if not re.search(r"lib(asan|ubsan|tsan|lsan)\.so", lib)]
    owners = set()
    for lib in libs:
        r = subprocess.run(["dpkg", "-S", lib], capture_output=True, text=True)
        if r.returncode != 0:  # /lib vs /usr/lib (merged /usr)
            r = subprocess.run(["dpkg", "-S", lib.replace("/lib/", "/usr/lib/", 1)],
                               capture_output=True, text=True)
        assert r.returncode == 0, f"no package owns {lib}"
        owners.add(r.stdout.split(":")[0])
    runtime = " ".join(containerfile()[[i for i, l in enumerate(containerfile())
                                         if l.startswith("FROM ")][-1]:])
    in_slim = {"libc6", "libgcc-s1", "libstdc++6"}  # apt itself needs them
    missing = [o for o in sorted(owners) if o not in in_slim and not re.search(
        rf"(^|\s){re.escape(o)}(\s|$)", runtime)]
    assert not missing, f"the runtime stage does not install {missing}"
