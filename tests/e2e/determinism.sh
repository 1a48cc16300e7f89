#!/bin/sh
# determinism.sh PAIBAN: the same input and fonts give the same bytes. Two builds of
# the seed report and of every example; a build given the document by another path
# and run from another folder; SOURCE_DATE_EPOCH decides the dates whatever the
# file's time, and without it the file's time does, so that an untouched file
# rebuilds to the same bytes; no /ID, which would differ per run; and the PDF of
# --watch, after an edit too, is the PDF of a fresh build.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
same() { cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"; }

# two builds, the report and every example
for f in content/report.md content/examples/*.md; do
    name=$(basename "$f" .md)
    "$bin" -q "$f" -o "$out/$name-1.pdf"
    "$bin" -q "$f" -o "$out/$name-2.pdf"
    same "$out/$name-1.pdf" "$out/$name-2.pdf" "two builds of $f"
done
grep -aq '/ID' "$out/report-1.pdf" && fail "the PDF has an /ID"

# the same document by an absolute path, from another folder, to another name
(cd "$out" && "$bin" -q "$top/content/report.md" -o elsewhere.pdf)
same "$out/report-1.pdf" "$out/elsewhere.pdf" "a build from elsewhere"

# dates: SOURCE_DATE_EPOCH whatever the file's time; else the file's time
cp content/report.md "$out/r.md"
touch -d '2001-02-03 04:05:06 UTC' "$out/r.md"
"$bin" -q "$out/r.md" -o "$out/mtime.pdf"
pdfinfo -isodates "$out/mtime.pdf" | grep -q '^CreationDate: *2001-02-03T04:05:06' ||
    fail "without SOURCE_DATE_EPOCH the date is not the file's"
SOURCE_DATE_EPOCH=1700000000 "$bin" -q "$out/r.md" -o "$out/sde-1.pdf"
touch "$out/r.md"
SOURCE_DATE_EPOCH=1700000000 "$bin" -q "$out/r.md" -o "$out/sde-2.pdf"
same "$out/sde-1.pdf" "$out/sde-2.pdf" "SOURCE_DATE_EPOCH with another file time"
pdfinfo -isodates "$out/sde-1.pdf" | grep -q '^CreationDate: *2023-11-14T22:13:20' ||
    fail "SOURCE_DATE_EPOCH is not the date"

# --watch against fresh builds, before and after an edit
export SOURCE_DATE_EPOCH=1700000000
cd "$out"
"$bin" r.md --watch -o watch.pdf 2>watch.log &
pid=$!
wait_builds() {
    i=0
    # grep -c prints nothing while the log does not exist yet: count that as 0
    while c=$(grep -c '\] wrote ' watch.log 2>/dev/null) || true; [ "${c:-0}" -lt "$1" ]; do
        i=$((i + 1))
        [ "$i" -le 400 ] || fail "--watch did not build $1 times: $(cat watch.log)"
        sleep 0.025
    done
}
wait_builds 1
"$bin" -q r.md -o fresh.pdf
same watch.pdf fresh.pdf "--watch and a fresh build"
sed 's/人工智能作为引领未来的战略性技术/人工智能作为引领未来的关键技术/' r.md >r.tmp
mv r.tmp r.md
wait_builds 2
"$bin" -q r.md -o fresh.pdf
same watch.pdf fresh.pdf "--watch after an edit and a fresh build"
kill -INT "$pid"
wait "$pid" || fail "--watch exited with $? on SIGINT"
pid=
echo "determinism ok"
