#!/bin/sh
# watch.sh PAIBAN: paiban FILE --watch rebuilds on each way editors save (truncate and
# write, write a temporary file and rename it, rename the old file away and write a
# new one, a burst of writes), on a change of the layout file, of an image and of a
# fonts/ folder; a one-paragraph edit lays out one paragraph; a save with a syntax
# error prints the error and leaves the last good PDF byte for byte; the PDF of watch
# mode is the PDF of a fresh build; Ctrl-C ends it cleanly. First the same safety
# without --watch: a build that fails never touches the PDF.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
cd "$out"
log=$out/watch.log

fail() {
    echo "FAIL: $*" >&2
    [ -f "$log" ] && sed 's/^/  log: /' "$log" >&2
    exit 1
}

# doc_to FILE WORD: the document, its second paragraph naming WORD
doc_to() {
    cat >"$1" <<EOF
---
title: 监视测试
layout: my.yaml
---

# 第一章

第一段，正文的内容不变。这一段在每次保存之间都一样，所以应当直接取自缓存。

第二段写着$2，只有这一段随编辑而变。

![测试图](img.png)

第三段，也不变：中文与English混排的一行文字。
EOF
}
# doc WORD: written in place (truncate, then write): the way `cat >` and many editors save
doc() { doc_to doc.md "$1"; }

text_of() { pdftotext -enc UTF-8 "$1" - | tr -d ' \n'; }
# count PATTERN: lines of the log that match (0 before paiban has opened the log)
count() {
    c=$(grep -c "$1" "$log" 2>/dev/null) || true
    echo "${c:-0}"
}
# wait_builds N: until the log shows N written PDFs (10 s at most)
wait_builds() {
    i=0
    while [ "$(count '\] wrote ')" -lt "$1" ]; do
        i=$((i + 1))
        [ "$i" -le 400 ] || fail "no build $1 after 10 s"
        sleep 0.025
    done
}
has_word() { text_of doc.pdf | grep -q "$1" || fail "doc.pdf does not say $1"; }

printf 'paper: A4\n' >my.yaml
python3 "$here/mkpng.py" img.png 120 80

# ---- without --watch: a failed build leaves the PDF as it was ----
doc 甲乙丙
"$bin" -q doc.md
cp doc.pdf good.pdf
printf '%s\n' '---' 'title: 没有结束的前言' '' '正文' >doc.md
if "$bin" -q doc.md 2>err.txt; then fail "a document with an unclosed front matter built"; fi
grep -q "never closed" err.txt || fail "no error for the unclosed front matter: $(cat err.txt)"
cmp -s doc.pdf good.pdf || fail "a failed build changed doc.pdf"
ls -a | grep -q '^\.doc\.pdf\.' && fail "a failed build left a temporary file"

# ---- --watch ----
doc 甲乙丙
"$bin" doc.md --watch 2>"$log" &
pid=$!
wait_builds 1
has_word 甲乙丙

# truncate and write, one paragraph changed: that paragraph alone is laid out again
doc 丁戊己
wait_builds 2
has_word 丁戊己
tail -n 1 "$log" | grep -q ' 1 laid out' || fail "a one-paragraph edit laid out more than it: $(tail -n 1 "$log")"

# a temporary file renamed over the document
n=$(count '\] wrote ')
doc_to .doc.md.swp 庚辛壬
mv .doc.md.swp doc.md
wait_builds $((n + 1))
has_word 庚辛壬

# the old file renamed away, a new one written, its mode set (vim's way)
n=$(count '\] wrote ')
mv doc.md doc.md~
doc 癸子丑
chmod 644 doc.md
wait_builds $((n + 1))
sleep 0.2
has_word 癸子丑
rm -f doc.md~

# a burst of writes: built once or twice, and from the last
n=$(count '\] wrote ')
# (one process writes them all, so they come faster than the watcher settles)
python3 - <<'EOF'
src = open("doc.md", encoding="utf-8").read()
for w in ("一二", "三四", "五六", "七八", "寅卯辰"):
    open("doc.md", "w", encoding="utf-8").write(src.replace("癸子丑", w))
EOF
wait_builds $((n + 1))
sleep 0.3
has_word 寅卯辰
[ "$(count '\] wrote ')" -le $((n + 2)) ] || fail "a burst of 5 writes gave more than 2 builds"

# the layout file
n=$(count '\] wrote ')
printf 'paper: A5\nchars-per-line: 26\nlines-per-page: 22\n' >my.yaml
wait_builds $((n + 1))
pdfinfo doc.pdf | grep -q 'Page size: *419.5.* x 595.2' || fail "the layout change did not reach the PDF"

# the image
n=$(count '\] wrote ')
python3 "$here/mkpng.py" img.png 60 90
wait_builds $((n + 1))

# a syntax error: the error is printed, the PDF stays byte for byte
cp doc.pdf good.pdf
printf '%s\n' '---' 'title: 没有结束的前言' '' '正文' >doc.md
i=0
until [ "$(count 'build failed')" -ge 1 ]; do
    i=$((i + 1))
    [ "$i" -le 400 ] || fail "no error for a save with a syntax error"
    sleep 0.025
done
grep -q 'doc.md:1:1: error: .*never closed' "$log" || fail "the error was not printed"
grep -q 'the last good PDF is kept' "$log" || fail "no word on the PDF kept"
cmp -s doc.pdf good.pdf || fail "a failed build changed doc.pdf"

# ... and the next good save builds again
n=$(count '\] wrote ')
doc 巳午未
wait_builds $((n + 1))
has_word 巳午未

# a font put in the document's fonts/ folder: the registry is made anew
n=$(count '\] wrote ')
mkdir fonts
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts/
wait_builds $((n + 1))

# what watch mode wrote is what a fresh build writes
sleep 0.3
"$bin" -q doc.md -o fresh.pdf
cmp -s doc.pdf fresh.pdf || fail "the PDF of watch mode differs from a fresh build's"

# Ctrl-C: a clean exit, status 0, nothing left behind
kill -INT "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -le 200 ] || fail "--watch did not stop on SIGINT"
    sleep 0.025
done
st=0
wait "$pid" || st=$?
pid=
[ "$st" = 0 ] || fail "--watch exited with $st on SIGINT"
grep -q 'stopped watching' "$log" || fail "no word on stopping"
ls -a | grep -q '^\.doc\.pdf\.' && fail "a temporary PDF was left behind"

# a document that is a symbolic link: saving the file it points to rebuilds
mkdir real
doc_to real/doc.md 申酉戌
cp my.yaml img.png real/
ln -s real/doc.md link.md
log=$out/link.log
"$bin" link.md --watch 2>"$log" &
pid=$!
wait_builds 1
doc_to real/doc.tmp 亥子丑
mv real/doc.tmp real/doc.md
wait_builds 2
text_of link.pdf | grep -q 亥子丑 || fail "a save through a symbolic link was not built"
kill -INT "$pid"
wait "$pid" || fail "--watch exited with $? on SIGINT"
pid=
echo "watch ok"
