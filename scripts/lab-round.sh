#!/usr/bin/env bash
# Run one full maintenance round against the embedded lab, from nothing:
# set-up (Debian packages + .venv), the lab up, the round, and where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m lab.siaklab up
export ANSIBLE_CONFIG="$PWD/ansible.cfg" PATH="$PWD/.venv/bin:$PATH"
ansible-playbook -i inventory/lab/hosts.yml playbooks/maintenance.yml "$@"
latest=$(.venv/bin/python - <<'PY'
import json
h = json.load(open("reports/history.json"))
print(h[0]["id"] if h else "")
PY
)
echo
echo "Laporan / report: $PWD/reports/$latest/index.html"
echo "Riwayat / history: $PWD/reports/index.html"
