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
# pytest's exit status, where 5 (it collected no tests) is a failure too.
verdict() {  # verdict WHAT STATUS
  if [ "$2" -eq 5 ]; then
    echo "test: pytest collected no tests in $1 - that is a failure" >&2
    return 1
  fi
  return "$2"
}

if [ "$#" -gt 0 ]; then  # what the arguments select, in one pytest
  rc=0
  pytest -p no:cacheprovider --durations=15 "$@" || rc=$?
  verdict "$*" "$rc" || exit $?
  exit 0
fi

# The whole suite: two pytest processes at once. The lab's tests (marked `lab`: every test
# that uses the lab, tests/conftest.py) leave one of the two cores idle about half the time
# (they wait on hosts, switches and timers), so the others (unit tests, tests of private
# switch instances) run beside them, with their own round lock (SIAK_ROUND_LOCK) so that
# their rounds never meet the lab's. Their output is printed after the lab's.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( rc=0
  SIAK_ROUND_LOCK="$work/round.lock" pytest -p no:cacheprovider --durations=5 -m "not lab" tests > "$work/beside.log" 2>&1 || rc=$?
  echo "$rc" > "$work/beside.rc" ) &
beside=$!
lab_rc=0
pytest -p no:cacheprovider --durations=15 -m lab tests || lab_rc=$?
wait "$beside" || true
echo "== pytest: the tests not marked lab (ran beside the lab's)"
cat "$work/beside.log"
status=0
verdict "the lab's tests" "$lab_rc" || status=1
verdict "the tests not marked lab" "$(cat "$work/beside.rc" 2>/dev/null || echo 1)" || status=1
exit "$status"
