#!/bin/sh
# table.sh PAIBAN: tables end to end (CJK.md rules 15-16). A 40-row table that
# crosses pages shows its caption on the first, 续表 and the header again on the
# next ones, every number whole; in it and in the report's four tables no cell's
# text sticks out of the measure or overlaps another's (pdftotext -bbox). The
# table documents of tests/golden render to valid PDFs.
set -eu
bin=$1
here=$(dirname "$0")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin" -q tests/golden/table-long.md -o "$out/long.pdf"
"$here/tablecheck.py" long tests/golden/table-long.md "$out/long.pdf"
"$here/tablecheck.py" layout "$out/long.pdf"
"$here/pdfcheck.py" han tests/golden/table-long.md "$out/long.pdf"

"$bin" -q content/report.md -o "$out/report.pdf"
"$here/tablecheck.py" layout "$out/report.pdf"
# the report's four captions, in order, 续表 only where a table continues
"$here/tablecheck.py" captions "$out/report.pdf" 4

for md in tests/golden/table-*.md; do
    name=$(basename "$md" .md)
    "$bin" -q "$md" -o "$out/$name.pdf" 2>/dev/null
    "$here/pdfcheck.py" qpdf "$out/$name.pdf" >/dev/null
done
echo "table documents render"
