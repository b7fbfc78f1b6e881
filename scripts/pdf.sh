#!/usr/bin/env bash
# Print a round's report and hardware checklist to A4 PDF with headless Chromium.
#
#   scripts/pdf.sh reports/<round-id>            -> reports/<round-id>/laporan.pdf, ceklis-perangkat-keras.pdf
#   scripts/pdf.sh some/page.html [out.pdf]      -> one page
#
# The page size, margins, the header and page number on every page and the signature block
# kept whole come from the documents' own print CSS (reports/templates/_macros.html.j2);
# Chromium's own header and footer (date, file path) are switched off. Offline: the pages
# load nothing from the network. Chromium is installed by scripts/setup.sh.
set -euo pipefail

CHROMIUM="${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}"
[ -x "$CHROMIUM" ] || { echo "pdf.sh: chromium not found (run scripts/setup.sh)" >&2; exit 2; }

print_one() {
  local html="$1" pdf="$2" profile
  [ -f "$html" ] || { echo "pdf.sh: no such page: $html" >&2; return 1; }
  profile="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$profile'" RETURN
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" \
    --no-pdf-header-footer --print-to-pdf="$pdf" "file://$(realpath "$html")" >/dev/null 2>&1 \
    || { echo "pdf.sh: chromium could not print $html" >&2; return 1; }
  [ -s "$pdf" ] || { echo "pdf.sh: chromium wrote no PDF for $html" >&2; return 1; }
  echo "$pdf"
}

[ $# -ge 1 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
if [ -d "$1" ]; then
  status=0
  print_one "$1/index.html" "$1/laporan.pdf" || status=1
  if [ -f "$1/ceklis-perangkat-keras.html" ]; then
    print_one "$1/ceklis-perangkat-keras.html" "$1/ceklis-perangkat-keras.pdf" || status=1
  fi
  exit "$status"
fi
print_one "$1" "${2:-${1%.html}.pdf}"
