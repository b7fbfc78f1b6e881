#!/usr/bin/env bash
# One-time (idempotent) set-up: Debian packages, then a Python virtual environment in
# .venv with the pinned requirements. Re-running it is quick: it does nothing when the
# stamp matches the package lists.
#
#   bash scripts/setup.sh           everything: the admin machine, the embedded lab and the tests
#   bash scripts/setup.sh --admin   an office's admin machine only (no lab, no test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

# What an office's admin machine needs to run rounds and print their documents.
ADMIN_PACKAGES=(
  python3 python3-venv python3-dev gcc libffi-dev   # the virtual environment
  openssh-client                                     # Ansible's transport
  iputils-ping iperf3                                # step-4 probes from the admin machine
  chromium fonts-dejavu-core                         # the documents as PDF (scripts/pdf.sh)
  git ca-certificates
  tzdata                                             # the office's time zone (siak_order_timezone: Asia/Makassar)
)
# What the embedded lab and the test suite add.
LAB_PACKAGES=(
  openssh-server                                     # sshd for the lab hosts
  iproute2 util-linux procps psmisc                  # ip netns, unshare/nsenter, ps, fuser (lab)
  sudo passwd                                        # the lab's accounts (a maintenance user with sudo)
  nginx-light chrony                                 # lab services
  dnsmasq-base                                       # the lab's DNS server (dns-server fault)
  poppler-utils                                      # pdftotext: the PDF tests read the text of each page
)

mode=full
case "${1:-}" in
  "") ;;
  --admin) mode=admin ;;
  *) echo "setup: unknown option '$1' (use no option, or --admin for an office's admin machine only)" >&2; exit 2 ;;
esac
DEBIAN_PACKAGES=("${ADMIN_PACKAGES[@]}")
[ "$mode" = full ] && DEBIAN_PACKAGES+=("${LAB_PACKAGES[@]}")

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (it installs Debian packages and builds the lab's namespaces)" >&2
  exit 1
fi

stamp_want=$(cat "$0" requirements.txt | sha256sum | cut -d' ' -f1)
stamp_have=$(cat .setup-stamp 2>/dev/null || true)
# A full set-up serves the admin mode too; an admin one does not serve the lab.
if [ -x .venv/bin/ansible-playbook ] && { [ "$stamp_have" = "$stamp_want" ] ||
     { [ "$mode" = admin ] && [ "$stamp_have" = "$stamp_want admin" ]; }; }; then
  exit 0
fi

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's own Python 3.11 (not a pyenv shim): the lab hosts run /usr/bin/python3 too.
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv .venv
fi
echo "setup: installing pinned Python packages into .venv"
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
if [ "$mode" = full ]; then echo "$stamp_want" > .setup-stamp; else echo "$stamp_want admin" > .setup-stamp; fi
echo "setup: done ($mode)"
