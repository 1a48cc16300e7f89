#!/bin/sh
# examples.sh PAIBAN: every document in content/examples renders without error and
# passes the same checks as the report.
set -eu
bin=$1
here=$(dirname "$0")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for md in content/examples/*.md; do
    name=$(basename "$md" .md)
    "$bin" -q "$md" -o "$out/$name.pdf"
    "$here/pdfcheck.py" fonts "$out/$name.pdf"
    "$here/pdfcheck.py" qpdf "$out/$name.pdf"
    echo "$name.pdf ok"
done
