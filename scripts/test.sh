#!/usr/bin/env bash
# The whole test suite, from nothing: set-up, linters, then pytest (unit tests, the lab,
# integration tests through ansible-runner, molecule scenarios, the report in Chromium).
# Extra arguments go to pytest (e.g. -k switch, or tests/unit).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ANSIBLE_CONFIG="$PWD/ansible.cfg" PATH="$PWD/.venv/bin:$PATH"

echo "== yamllint"
yamllint --strict .
echo "== ansible-lint (profile production)"
ansible-lint --offline -q

echo "== pytest"
set +e
pytest -p no:cacheprovider --durations=15 "${@:-tests}"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "test: pytest collected no tests - that is a failure" >&2
  exit 1
fi
exit "$rc"
