#!/bin/sh
# layout.sh PAIBAN: the seed report in each page design of layout/ (report, gov, en),
# checked on the PDFs (tests/e2e/layoutcheck.py): trim and bleed boxes, pure black,
# the gov character grid (22 lines of 28 characters), crop marks with --marks,
# two-sided chapters on right-hand pages; and the English sample in en.
set -eu
bin=$1
here=$(dirname "$0")
check="$here/layoutcheck.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SOURCE_DATE_EPOCH=1759800000

# report: the built-in design is layout/report.yaml, byte for byte
"$bin" -q content/report.md -o "$out/report.pdf"
"$bin" -q --layout layout/report.yaml content/report.md -o "$out/report-file.pdf"
cmp "$out/report.pdf" "$out/report-file.pdf"
"$check" boxes "$out/report.pdf" 210 297 0
"$check" black "$out/report.pdf"
pdfinfo -box "$out/report.pdf" | grep -q '^TrimBox: *0.00 *0.00 *595.28 *841.89$'

# gov: GB/T 9704, 22 lines of 28 三号 characters, page numbers "— N —" outside
"$bin" -q --layout layout/gov.yaml content/report.md -o "$out/gov.pdf"
"$here/pdfcheck.py" fonts "$out/gov.pdf"
"$here/pdfcheck.py" qpdf "$out/gov.pdf"
# (no cover: the title heads the first body page after the abstract and the authors
# and date close the text, so compare the text without them)
awk 'NR > 1 && /^---$/ { fm = 1 } /^(title|author):/ && !fm { skip = 1 }
     /^abstract:/ { skip = 0 } !skip' content/report.md >"$out/gov-text.md"
"$here/pdfcheck.py" han "$out/gov-text.md" "$out/gov.pdf"
"$check" boxes "$out/gov.pdf" 210 297 0
"$check" black "$out/gov.pdf"
"$check" grid "$out/gov.pdf" 22 28 16 37 28 225
# 发文机关署名 and 成文日期: the date is the longer here; in signature.md the issuer
"$check" signature "$out/gov.pdf" 16 李桂松 2025年10月7日
"$bin" -q tests/golden/signature.md -o "$out/signature.pdf"
"$check" signature "$out/signature.pdf" 16 某某市人民政府办公室 2025年1月2日

# en, by name: English furniture around the Chinese report
"$bin" -q --layout en content/report.md -o "$out/en.pdf"
"$here/pdfcheck.py" fonts "$out/en.pdf"
# (the 表 of the captions became "Table")
sed 's/^表：//' content/report.md >"$out/en-text.md"
"$here/pdfcheck.py" han "$out/en-text.md" "$out/en.pdf"
"$check" boxes "$out/en.pdf" 210 297 0
"$check" black "$out/en.pdf"
pdftotext -raw "$out/en.pdf" - | tr -d '\f' >"$out/en.txt"
grep -q '^Contents$' "$out/en.txt"
grep -q '^Table 1\. 美国 AI 霸权战略体系整体架构$' "$out/en.txt"
# ... and an English document that names the design in its front matter
"$bin" -q "$here/layout-en.md" -o "$out/en-doc.pdf"
"$here/pdfcheck.py" fonts "$out/en-doc.pdf"
pdffonts "$out/en-doc.pdf" | grep -q 'P052-Roman'
pdffonts "$out/en-doc.pdf" | grep -q 'NimbusSans-Bold'
pdftotext -raw "$out/en-doc.pdf" - | tr -d '\f' >"$out/en-doc.txt"
grep -q '^1\.1 Why infrastructure matters$' "$out/en-doc.txt"
grep -q '^1\.1\.2 Hardware$' "$out/en-doc.txt"
grep -q '^2 Conclusions$' "$out/en-doc.txt"
grep -q '^Table 1\. Infrastructure for training large models$' "$out/en-doc.txt"

# print production: the gov design with a 3mm bleed, crop marks, chapters on
# right-hand pages (front-matter overrides and --marks)
{
    echo '---'
    echo 'layout: gov'
    echo 'bleed: 3mm'
    echo 'chapter-recto: true'
    echo 'h1: {page-break: true}'
    tail -n +2 content/report.md
} >"$out/print.md"
"$bin" -q --marks "$out/print.md" -o "$out/print.pdf"
"$check" boxes "$out/print.pdf" 210 297 10 3
"$check" marks "$out/print.pdf"
pdfinfo -box "$out/print.pdf" | grep -q '^TrimBox: *28.35 *28.35 *623.62 *870.24$'
pdfinfo -box "$out/print.pdf" | grep -q '^BleedBox: *19.84 *19.84 *632.13 *878.74$'
"$check" recto "$out/print.pdf" 一、报告概述 二、美国AI霸权战略的出台背景 三、美国AI霸权战略体系解析 \
    四、美国AI霸权战略的全球竞争布局 五、美国AI霸权战略影响研判 \
    六、中国应对美国AI霸权战略的对策建议 七、结论与展望
"$here/pdfcheck.py" qpdf "$out/print.pdf"
# marks without a bleed: the bleed box is the trim box
"$bin" -q --marks content/report.md -o "$out/marks.pdf"
"$check" boxes "$out/marks.pdf" 210 297 10
"$check" marks "$out/marks.pdf"

# a missing layout is an error at the front matter's layout: position
printf -- '---\ntitle: x\nlayout: gvo\n---\n\n正文\n' >"$out/bad.md"
if "$bin" -q "$out/bad.md" -o "$out/bad.pdf" 2>"$out/err.txt"; then
    echo "FAIL: a missing layout was accepted" >&2
    exit 1
fi
grep -q "bad.md:3:9: error: layout 'gvo' not found (did you mean 'gov'?)" "$out/err.txt"
echo "layout ok"
