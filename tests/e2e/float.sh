#!/bin/sh
# float.sh PAIBAN: a figure that does not fit in what is left of a page floats to the
# top of the next page and the paragraphs after it move up to fill the page (checked
# in --dump=pages and in the PDF's text per page); with a heading right after the
# figure nothing moves past the heading: the figure moves whole and leaves the space.
# (Tables: tests/golden/table-float.md.)
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"
python3 "$here/mkpng.py" chart.png 400 300
python3 - <<'PY'
fill = "这是用来填充页面的正文段落，它的作用只是把后面的图片推到页面底部附近。" * 3
def doc(after):
    out = ["# 图片浮动", ""]
    for i in range(9):
        out += [fill, ""]
    out += ["![示意图](chart.png)", ""] + after
    return "\n".join(out) + "\n"
open("float.md", "w").write(doc(["图后的正文应当上移填满本页。" * 6, "", "图后第二段。" * 10, ""]))
open("stay.md", "w").write(doc(["## 下一节", "", "图后的正文不越过标题。" * 6, ""]))
PY

# page N of a --dump=pages listing, without its header line
page() {
    awk -v n="$2" '/^page / { p = $2; next } p == n' "$1"
}

"$bin" --dump=pages float.md >float.pages
page float.pages 2 | head -1 | grep -q ' figure$' || { echo "FAIL: the figure does not head page 2"; cat float.pages; exit 1; }
page float.pages 1 | grep -q '图后第二段' || { echo "FAIL: the text after the figure did not fill page 1"; exit 1; }
page float.pages 2 | grep -q '图1　示意图' || { echo "FAIL: the caption left its figure"; exit 1; }
"$bin" -q float.md -o float.pdf
pdftotext -f 1 -l 1 float.pdf - | grep -q '图后第二段'
pdftotext -f 2 -l 2 float.pdf - | grep -q '图1'
echo "figure floated: the text after it fills page 1, the figure heads page 2"

"$bin" --dump=pages stay.md >stay.pages
page stay.pages 1 | grep -q '下一节\|不越过' && { echo "FAIL: text moved past a heading"; exit 1; }
page stay.pages 2 | head -1 | grep -q ' figure$' || { echo "FAIL: the figure does not head page 2"; exit 1; }
echo "figure before a heading: moved whole, nothing passed the heading"
