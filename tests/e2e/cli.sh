#!/bin/sh
# cli.sh PAIBAN: command-line behaviour: -q prints errors only; --dump MODE; a footnote cited only
# from another footnote still reaches the page with its citing note.
set -eu
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf -- '---\ntitle: t\nfoo: 1\n---\n\n正文引用第一条[^a]。\n\n[^a]: 第一条注释引用第二条[^b]。\n[^b]: 第二条注释。\n' >"$out/w.md"
"$bin" -q "$out/w.md" -o "$out/w.pdf" 2>"$out/quiet.txt"
[ ! -s "$out/quiet.txt" ] || { echo "FAIL: -q printed: $(cat "$out/quiet.txt")"; exit 1; }
"$bin" "$out/w.md" -o "$out/w.pdf" 2>"$out/loud.txt"
grep -q "w.md:3:1: warning: unknown front matter key 'foo'" "$out/loud.txt" ||
    { echo "FAIL: no warning without -q: $(cat "$out/loud.txt")"; exit 1; }
pdftotext "$out/w.pdf" - | grep -q '第二条注释' || { echo "FAIL: the nested footnote is lost"; exit 1; }
grep -q "wrote .*w.pdf (1 page) in" "$out/loud.txt" || { echo "FAIL: no '1 page' line: $(cat "$out/loud.txt")"; exit 1; }
# --dump MODE is --dump=MODE; a wrong mode is a usage error (2) naming it
"$bin" --dump tree "$out/w.md" >"$out/t1.txt"
"$bin" --dump=tree "$out/w.md" >"$out/t2.txt"
cmp "$out/t1.txt" "$out/t2.txt"
set +e
"$bin" --dump=tre "$out/w.md" 2>"$out/dump.txt"
st=$?
set -e
[ "$st" = 2 ] && grep -q "error: --dump takes tree, lines or pages (not 'tre')" "$out/dump.txt" ||
    { echo "FAIL: --dump=tre gave $st: $(cat "$out/dump.txt")"; exit 1; }
echo "cli ok"
