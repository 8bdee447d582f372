#!/usr/bin/env bash
# Man pages from the commands' own help (swift-argument-parser's generate-manual plugin), one page per
# subcommand (ressaisie.1, ressaisie.analyze.1…), into man/ (or DIR).
#
#   Scripts/manual.sh [DIR]
#
# Install with: sudo cp man/*.1 /usr/local/share/man/man1/
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-man}"
mkdir -p "$out"
swift package --allow-writing-to-package-directory generate-manual --multi-page --output-directory "$out"
