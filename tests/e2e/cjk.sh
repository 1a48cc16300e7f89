#!/bin/sh
# cjk.sh PAIBAN: the Chinese typesetting rules (CJK.md 1-11) hold on real PDFs: the
# crafted rule documents in tests/golden, the punctuation stress test and the report.
set -eu
bin=$1
here=$(dirname "$0")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for md in tests/golden/cjk-*.md tests/golden/en-para.md content/examples/punct.md content/report.md; do
    name=$(basename "$md" .md)
    "$bin" -q "$md" -o "$out/$name.pdf" 2>/dev/null
    "$here/cjkcheck.py" "$out/$name.pdf"
done
