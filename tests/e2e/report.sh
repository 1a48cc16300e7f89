#!/bin/sh
# report.sh PAIBAN: renders content/report.md and checks the PDF end to end:
# fonts embedded as subsets, qpdf --check, the whole text back in order, size, pages.
set -eu
bin=$1
here=$(dirname "$0")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" -q content/report.md -o "$out/report.pdf"
"$here/pdfcheck.py" fonts "$out/report.pdf"
"$here/pdfcheck.py" qpdf "$out/report.pdf"
"$here/pdfcheck.py" han content/report.md "$out/report.pdf"
"$here/pdfcheck.py" size "$out/report.pdf" 1000000
"$here/pdfcheck.py" pages "$out/report.pdf" 10 30
# the document info carries title and author
pdfinfo "$out/report.pdf" | grep -q '^Title: *美国AI霸权战略报告$'
pdfinfo "$out/report.pdf" | grep -q '^Author: *李桂松'
echo "report.pdf ok"
