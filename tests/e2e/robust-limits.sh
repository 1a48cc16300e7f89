#!/bin/sh
# robust-limits.sh PAIBAN: pathological input finishes in bounded time and memory
# (issue 9): a 300,000-character paragraph, quotes and lists nested 400 deep, 5,000
# headings with contents, a 10,000-row table and a 50 MB document; and every cap of
# src/base/limits.h, hit, gives its diagnostic at the position where it was passed.
# Inputs are generated here (robustcheck.py gen). The time and memory printed are
# the measurement (the aim is 10 s and 1 GB each on a quiet 2-core machine); what
# the test enforces is only a guard against hangs and blow-ups (60 s, 1.5 GB), since
# a shared CI machine's speed is not the program's. Under AddressSanitizer the
# guards are off and the 50 MB document is 5 MB.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
chk="python3 $here/robustcheck.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"

if $chk sanitized "$bin"; then
    budget="--seconds 300"
    big=5
else
    budget="--seconds 60 --mb 1500"
    big=50
fi
gen() { $chk gen "$@"; }
ok() { # ok LABEL FILE [robustcheck options]: renders within the budget to a valid PDF
    label=$1 file=$2
    shift 2
    $chk run --exit 0 --label "$label" $budget --pdf "$file.pdf" "$@" -- "$bin" "$file" -o "$file.pdf"
}
refused() { # refused LABEL FILE [options]: exit 1 within the budget, no PDF
    label=$1 file=$2
    shift 2
    $chk run --exit 1 --label "$label" $budget --keep "$file.pdf" "$@" -- "$bin" "$file" -o "$file.pdf"
}

# 1. the pathological documents of the issue
gen longpara longpara.md 300000
ok "300,000-character paragraph" longpara.md \
    --err 'longpara.md:3:1: warning: this paragraph is too long to be broken as a whole \(.* items, the limit is 20000\); its lines are filled one by one'
gen quotes quotes.md 400
ok "quotes nested 400 deep" quotes.md \
    --err 'quotes.md:67:65: warning: lists and quotes nested deeper than 32 levels are flattened'
gen lists lists.md 400
ok "lists nested 400 deep" lists.md \
    --err 'lists.md:19:33: warning: lists and quotes nested deeper than 32 levels are flattened'
gen headings headings.md 5000
ok "5,000 headings, contents" headings.md
gen table table.md 10000
ok "10,000-row table" table.md
gen big big.md $big
ok "$big MB document" big.md
python3 "$here/pdfcheck.py" pages big.md.pdf $((big * 250)) $((big * 400))

# 2. every cap, hit: the diagnostic at its position, in bounded time and memory
gen markup markup.md 600000 # more markup than cmark-gfm may build
refused "markup elements" markup.md \
    --err 'markup.md:3:[0-9]+: error: too much markup: by here the document has more than 2000000 elements.*'
gen paras paras.md 150001 # one block too many
refused "blocks" paras.md \
    --err 'paras.md:300001:1: error: the document has more than 150000 blocks.*'
gen chars chars.md 20001000 # characters of text
refused "characters of text" chars.md \
    --err 'chars.md:40001:1: error: the document has more than 20000000 characters of text.*'
gen longpara para.md 1100000 # one paragraph too long
refused "paragraph length" para.md \
    --err 'para.md:3:1: error: this paragraph has more than 1000000 characters.*'
gen emphasis emphasis.md 20000 # inline nesting: flattened, the text kept
ok "emphasis nested 10,000 deep" emphasis.md \
    --err 'emphasis.md:3:1: warning: emphasis and links nested deeper than 32 levels are set in the style of the level 32'
gen pages pages.md 40001
refused "pages" pages.md \
    --err 'pages.md: error: the document needs more than 40000 pages; the rest is not set'
gen rows rows.md 50000 # and the header row
ok "table rows" rows.md --err 'rows.md:1:1: warning: table has 50001 rows; only the first 50000 are set'
gen columns columns.md 70
ok "table columns" columns.md --err 'columns.md:1:1: warning: table has 70 columns; only the first 64 are set'
gen ragged ragged.md 1500 # more diagnostics than are kept
ok "diagnostics" ragged.md --err 'paiban: note: 500 more diagnostics not shown'
gen keys keys.md 10001
refused "front matter keys" keys.md --err 'keys.md:10003:1: error: the front matter sets more than 10000 keys.*'
head -c 70000000 /dev/zero | tr '\0' 'a' >huge.md
refused "input bytes" huge.md --err 'huge.md: error: file is larger than the limit of 67108864 bytes'
python3 -c "
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open('pixels.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 10001, 10000, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(bytes(100))) + chunk(b'IEND', b''))"
printf '# 图\n\n![大图](pixels.png)\n' >pixels.md
refused "image pixels" pixels.md --err "pixels.md:3:1: error: image 'pixels.png' has 10001 x 10000 pixels; the limit is 100000000 pixels"
echo "limits ok"
