#!/bin/sh
# tables.sh [PAIBAN]: is laying out a long table linear? Generates tables of 1,000,
# 10,000 and 20,000 rows (four columns: a number, a label, a sentence that wraps in
# some rows, an amount), plain and with a footnote in every fifth row, and reports
# for each the wall time and peak memory (/usr/bin/time -v) of the whole build to
# PDF and of the layout alone (--dump=pages). Per-row figures that stay flat from
# 1k to 20k rows mean linear.
set -eu
bin=${1:-build/paiban}
[ -x "$bin" ] || { echo "usage: $0 PAIBAN (no $bin)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs /usr/bin/time (GNU time)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

gen() { # gen ROWS NOTES FILE
    awk -v rows="$1" -v notes="$2" 'BEGIN {
        print "# 长表格基准\n\n表：生成的长表格\n"
        print "| 序号 | 名称 | 说明 | 金额（万元） |"
        print "| ---: | :--- | :--- | ---: |"
        for (r = 1; r <= rows; r++) {
            fn = (notes && r % 5 == 0) ? "[^n" r "]" : ""
            say = (r % 7 == 0) ? "这一行的说明比较长，需要在栏内折成两行，用来检验行高不同的情形" : "第" r "行的说明文字"
            printf "| %d | 项目%d%s | %s | %d.%02d |\n", r, r, fn, say, (r * 37) % 100000, r % 100
        }
        if (notes) {
            print ""
            for (r = 5; r <= rows; r += 5)
                printf "[^n%d]: 第%d行的脚注。\n", r, r
        }
    }' >"$3"
}

measure() { # measure LABEL ROWS ARGS...: prints seconds, peak KB and per-row figures
    label=$1 rows=$2
    shift 2
    /usr/bin/time -v "$@" >/dev/null 2>"$out/time" || { cat "$out/time" >&2; exit 1; }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time" |
           awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time")
    awk -v l="$label" -v r="$rows" -v w="$wall" -v m="$rss" 'BEGIN {
        printf "%-22s %7d rows %8.2f s %8.1f MB %8.1f us/row %6.2f KB/row\n", l, r, w, m / 1024, w * 1e6 / r, m / r }'
}

for notes in 0 1; do
    for rows in 1000 10000 20000; do
        doc="$out/t$rows-$notes.md"
        gen "$rows" "$notes" "$doc"
        tag=$([ "$notes" = 1 ] && echo "+notes" || echo "")
        measure "pdf$tag" "$rows" "$bin" -q "$doc" -o "$out/t.pdf"
        measure "layout$tag" "$rows" "$bin" --dump=pages "$doc"
    done
done
