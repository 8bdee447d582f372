#!/usr/bin/env bash
# Renders the HTML report of an audit and takes a headless Chromium screenshot of it.
#
#   Scripts/screenshot-report.sh [OUT.png] [-- analyze options…]
#
# Defaults: the demo audit (Fixtures/demo), French, .build/report-screenshot.png. Needs Debian's
# `chromium` (apt-get install -y chromium). The report is self-contained, so Chromium runs with the
# network off. Prints the paths of the HTML and the PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
png=${1:-.build/report-screenshot.png}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium not found: apt-get install -y chromium" >&2
  exit 69
fi

swift build --product ressaisie >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key="$work/key"
printf 'screenshot-report-key-0123456789' > "$key"
html=.build/report-screenshot.html
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1772409600} .build/debug/ressaisie analyze --key-file "$key" --format html \
  --output "$html" --quiet "$@"

mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --proxy-server="127.0.0.1:9" \
  --window-size=1200,2400 --screenshot="$png" "file://$PWD/$html" >&2 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2
  exit 1
}
echo "$html"
echo "$png"
