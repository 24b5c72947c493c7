#!/usr/bin/env bash
# Security audits: bandit over our code (any finding fails), pip-audit over the
# virtualenv and npm audit over the frontend's runtime packages (a reported
# vulnerability fails; an unreachable advisory database is reported, not hidden).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
status=0

echo "== bandit"
"$BIN/bandit" -q -r taskflask wsgi.py huey_worker.py gunicorn.conf.py || status=1

echo "== pip-audit"
out=$("$BIN/pip-audit" --progress-spinner off 2>&1); code=$?
echo "$out" | grep -v "could not be audited" | grep -v "^Name *Skip Reason" | grep -v "^-*  *-*$"
audited=$(echo "$out" | grep -c "could not be audited")
[ "$audited" -gt 0 ] && echo "pip-audit: $audited packages could not be checked (the advisory database is unreachable from here)"
[ $code -ne 0 ] && status=1

echo "== npm audit --omit=dev"
report=$(cd frontend && npm audit --omit=dev --json 2>/dev/null)
python3 - "$report" <<'PY' || status=1
import json, sys
try:
    report = json.loads(sys.argv[1] or "{}")
except ValueError:
    report = {"error": "no JSON answer"}
if "error" in report:
    print("npm audit: the advisory endpoint is unavailable from here:", report["error"].get("summary", report["error"]) if isinstance(report["error"], dict) else report["error"])
    sys.exit(0)
found = report.get("metadata", {}).get("vulnerabilities", {})
total = sum(count for level, count in found.items() if level != "total")
print(f"npm audit: {total} vulnerabilities in runtime packages", found)
sys.exit(1 if total else 0)
PY
exit $status
