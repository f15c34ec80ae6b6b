"""Audit the installed Python dependencies (the pins of pyproject.toml and what they pull in) for
known vulnerabilities with pip-audit; `make test` runs it.

Exit 1 when a vulnerability is found, 2 when pip-audit fails for another reason than the
network. When no vulnerability database can be reached (PyPI's JSON API knows none of the
packages, as behind a mirror, and api.osv.dev cannot be reached either), the audit is skipped
with a SKIPPED line that says why, and the exit is 0.

Run: `.venv/bin/python scripts/audit_dependencies.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
SERVICES = ("pypi", "osv")
TIMEOUT_SECONDS = 10  # per request of pip-audit
RUN_SECONDS = 300  # per service, in all
UNREACHABLE = ("ConnectionError", "NameResolution", "Timeout", "Max retries", "no answer within")
"""Words of pip-audit's last error line when it could not reach the database at all."""


def audit(service: str) -> tuple[list[dict[str, Any]] | None, str]:
    """pip-audit's dependencies (each with `vulns` or a `skip_reason`), or None and why not."""
    command = [str(PIP_AUDIT), "--local", "--skip-editable", "--format", "json"]
    command += ["--vulnerability-service", service, "--progress-spinner", "off"]
    command += ["--timeout", str(TIMEOUT_SECONDS)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS)
    except subprocess.TimeoutExpired:
        return None, f"{service}: no answer within {RUN_SECONDS} s"
    try:
        return json.loads(done.stdout)["dependencies"], ""
    except (json.JSONDecodeError, KeyError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"{service}: {last[:200]}"


def main() -> int:
    """Audit against the first database that knows the packages; skip when none does."""
    reasons = []
    for service in SERVICES:
        dependencies, why = audit(service)
        if dependencies is None:
            if not any(word in why for word in UNREACHABLE):
                print(f"pip-audit failed: {why}")
                return 2
            reasons.append(why)
            continue
        audited = [d for d in dependencies if "vulns" in d]
        if not audited:
            reasons.append(f"{service}: none of {len(dependencies)} packages found")
            continue
        found = [(d, v) for d in audited for v in d["vulns"]]
        for dependency, vuln in found:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            print(
                f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} ({fixed})"
            )
        skipped = [d["name"] for d in dependencies if "skip_reason" in d]
        print(
            f"pip-audit ({service}): {len(audited)} packages audited, {len(found)} known "
            f"vulnerabilities" + (f"; not audited: {', '.join(skipped)}" if skipped else "")
        )
        return 1 if found else 0
    print(f"SKIPPED: pip-audit reached no vulnerability database ({'; '.join(reasons)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
