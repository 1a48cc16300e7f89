#!/bin/sh
# nav.sh PAIBAN: table of contents, bookmarks, running headers, page labels and
# footnote placement on real PDFs (tests/e2e/navcheck.py), for the report, the mixed
# example and a structure document with many footnotes and a figure.
set -eu
bin=$1
here=$(dirname "$0")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the structure document's figure: a 300 x 200 gradient PNG made here
cp "$here/docs/structure.md" "$out/"
python3 "$here/mkpng.py" "$out/square.png" 300 200
for md in content/report.md content/examples/mixed.md "$out/structure.md"; do
    name=$(basename "$md" .md)
    "$bin" -q "$md" -o "$out/$name.pdf"
    "$here/navcheck.py" "$out/$name.pdf" "$md"
done
# the figure is embedded and its caption is under it
pdfimages -list "$out/structure.pdf" | grep -q ' 300   200 '
pdftotext -raw "$out/structure.pdf" - | grep -q '图1 示意图：一个渐变方块'
# front matter pages are numbered i, ii, iii; the body from 1
qpdf --json --json-key=pagelabels "$out/structure.pdf" | grep -q '"/S": "/r"'
