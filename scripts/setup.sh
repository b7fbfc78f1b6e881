#!/usr/bin/env bash
# One-time (idempotent) set-up of an admin machine: Debian packages, then a Python
# virtual environment in .venv with the pinned requirements. Re-running it is quick:
# it does nothing when the stamp matches the package lists.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  python3 python3-venv python3-dev gcc libffi-dev   # the virtual environment
  openssh-client openssh-server                      # Ansible's transport; sshd for the lab hosts
  iproute2 util-linux procps psmisc                  # ip netns, unshare/nsenter, ps, fuser (lab)
  sudo passwd                                        # the lab's accounts (a maintenance user with sudo)
  nginx-light chrony iputils-ping                    # lab services and probes
  dnsmasq-base iperf3                                # step-4 probes: the lab's DNS server (dns-server fault), throughput
  chromium fonts-dejavu-core                         # headless rendering test of the HTML report; PDF (scripts/pdf.sh)
  poppler-utils                                      # pdftotext: the PDF tests read the text of each page
  git ca-certificates
  tzdata                                             # the office's time zone (siak_order_timezone: Asia/Makassar)
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (it installs Debian packages and builds the lab's namespaces)" >&2
  exit 1
fi

stamp_want=$(cat "$0" requirements.txt | sha256sum | cut -d' ' -f1)
if [ -f .setup-stamp ] && [ "$(cat .setup-stamp)" = "$stamp_want" ] && [ -x .venv/bin/ansible-playbook ]; then
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
echo "$stamp_want" > .setup-stamp
echo "setup: done"
