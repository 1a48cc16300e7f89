#!/bin/sh
# robust.sh PAIBAN: every kind of bad input end to end (issue 9): the message with its
# file:line:col, the exit status (1 bad input, 2 usage, 3 the output cannot be
# written) and that a PDF already at the output path is byte-identical afterwards,
# with no temporary file left. Warnings (unknown keys, ragged tables) still write a
# valid PDF. Every input is made here; robustcheck.py does the checking.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
chk="python3 $here/robustcheck.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"

printf -- '---\ntitle: 好文档\n---\n\n# 一、标题\n\n正文段落。\n' >good.md
"$bin" -q good.md -o old.pdf
# bad: the input must fail with exit status 1 and leave old.pdf as it was
bad() {
    $chk run --exit 1 --keep old.pdf "$@"
}

# 1. empty, blank, binary, other kinds of file
: >empty.md
bad --err 'empty.md:1:1: error: the document is empty' -- "$bin" empty.md -o old.pdf
printf '  \n\t\n\n' >blank.md
bad --err 'blank.md:1:1: error: the document is empty' -- "$bin" blank.md -o old.pdf
printf '# 标题\n\n正文\000\001\002\003\n' >nul.md
bad --err 'nul.md:3:3: error: NUL byte in the text: this looks like a binary file.*' \
    -- "$bin" nul.md -o old.pdf
python3 -c "import random,sys; r=random.Random(9); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))" >garbage.md
bad --err 'garbage.md:[0-9]+:[0-9]+: error: (NUL byte|invalid UTF-8).*' -- "$bin" garbage.md -o old.pdf
cp old.pdf given.pdf
bad --err 'given.pdf:1:1: error: this is a PDF file, not Markdown text.*' -- "$bin" given.pdf -o old.pdf
python3 "$here/mkpng.py" picture.png 8 8
cp picture.png picture.md
bad --err 'picture.md:1:1: error: this is a PNG image, not Markdown text' -- "$bin" picture.md -o old.pdf
printf 'PK\003\004word' >report.docx
bad --err 'report.docx:1:1: error: this is a ZIP archive or a Word/Excel \(.docx/.xlsx\) document, not Markdown text \(save it as Markdown text first\)' \
    -- "$bin" report.docx -o old.pdf
printf '\377\376#\000 \000a\000' >utf16.md
bad --err 'utf16.md:1:1: error: the file is UTF-16 text; save it as UTF-8' -- "$bin" utf16.md -o old.pdf
echo "empty, binary and other files ok"

# 2. broken UTF-8, with the character position of the first bad byte
printf '# 标题\n\n第一段。\n\n中文\377文字\n' >badbyte.md
bad --err 'badbyte.md:5:3: error: invalid UTF-8: byte 0xFF never appears in UTF-8 \(save the file as UTF-8\)' \
    -- "$bin" badbyte.md -o old.pdf
printf '正文\n一二三\200\n' >cont.md
bad --err 'cont.md:2:4: error: invalid UTF-8: byte 0x80 continues a character that never started.*' \
    -- "$bin" cont.md -o old.pdf
printf '# \326\320\316\304\n' >gbk.md # "中文" in GBK
bad --err 'gbk.md:1:3: error: invalid UTF-8: .*; the file may be in GBK or GB18030 \(save the file as UTF-8\)' \
    -- "$bin" gbk.md -o old.pdf
printf '正文\344\270' >cut.md
bad --err 'cut.md:1:3: error: invalid UTF-8: byte 0xE4 starts a 3-byte character but the file ends \(save the file as UTF-8\)' \
    -- "$bin" cut.md -o old.pdf
printf '正文\355\240\200\n' >surrogate.md
bad --err 'surrogate.md:1:3: error: invalid UTF-8: .*UTF-16 surrogate.*' -- "$bin" surrogate.md -o old.pdf
echo "broken UTF-8 ok"

# 3. front matter: never closed, not YAML, not a mapping, wrong values, unknown keys
printf -- '---\ntitle: 没关\n\n# 正文\n' >unclosed.md
bad --err "unclosed.md:1:1: error: front matter opened here with '---' is never closed.*" \
    -- "$bin" unclosed.md -o old.pdf
printf -- '---\ntitle: [没关\nauthor: 某\n---\n\n正文。\n' >badyaml.md
bad --err "badyaml.md:3:7: error: front matter is not valid YAML: did not find expected ',' or ']' while parsing a flow sequence that starts at line 2, column 8" \
    -- "$bin" badyaml.md -o old.pdf
printf -- '---\ntitle: 好\n\tdate: 今天\n---\n\n正文。\n' >tab.md
bad --err 'tab.md:3:[0-9]+: error: front matter is not valid YAML: .*' -- "$bin" tab.md -o old.pdf
printf -- '---\n- 一\n- 二\n---\n\n正文。\n' >list.md
bad --err 'list.md:2:1: error: front matter must be a mapping of keys to values.*' -- "$bin" list.md -o old.pdf
printf -- '---\ntitle: 好\ntoc: 也许\n---\n\n正文。\n' >toc.md
bad --err "toc.md:3:6: error: front matter key 'toc' must be true or false" -- "$bin" toc.md -o old.pdf
$chk gen aliases aliases.md 8
bad --err "aliases.md:[0-9]+:[0-9]+: error: the front matter's aliases repeat more text than the front matter holds" \
    -- "$bin" aliases.md -o old.pdf
python3 -c "print('---\ntitle: 长\nt: &t ' + 'x' * 1000000 + '\nkeywords: [' + ', '.join(['*t'] * 3000) + ']\n---\n\n正文。')" >repeat.md
bad --err "repeat.md:4:11: error: the front matter's aliases repeat more text than the front matter holds" \
    -- "$bin" repeat.md -o old.pdf
printf -- '---\ntitle: 深\nmargin: {a: {b: {c: {d: {e: {f: {g: {h: {i: 1}}}}}}}}}\n---\n\n正文。\n' >deep.md
bad --err "deep.md:3:[0-9]+: error: 'margin.a.b.c.d.e.f.g' is nested more than 8 levels deep.*" \
    -- "$bin" deep.md -o old.pdf
printf -- '---\ntitle: 好\nfoo: bar\n---\n\n正文。\n' >unknown.md
$chk run --exit 0 --pdf unknown.pdf \
    --err "unknown.md:3:1: warning: unknown front matter key 'foo' ignored.*" \
    -- "$bin" unknown.md -o unknown.pdf
echo "front matter ok"

# 4. tables with ragged rows: warnings where the cells go missing, the PDF is written
printf '# 表\n\n| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n| 4 | 5 |\n' >ragged.md
$chk run --exit 0 --pdf ragged.pdf \
    --err 'ragged.md:5:1: warning: table row has 1 cells, the header has 2; padded with empty cells' \
    --err "ragged.md:6:10: warning: table row has 3 cells; cells beyond the header's 2 are dropped" \
    -- "$bin" ragged.md -o ragged.pdf
echo "ragged tables ok"

# 4b. text that cannot be set is an error, never silently lost: a footnote taller than a
#     page (notes are not continued on the next page)
python3 -c "print('正文[^a]。\n\n[^a]: ' + '很长的脚注。' * 3000)" >note.md
bad --err "note.md:3:7: error: footnote 1 is taller than a page \(.*pt, a page has room for .*pt\); shorten it or move the text into the body" \
    -- "$bin" note.md -o old.pdf
echo "lost text ok"

# 5. images: missing, not an image, cut short, too many pixels
printf '# 图\n\n文字。\n\n![图一](nope.png)\n' >noimg.md
bad --err "noimg.md:5:1: error: image 'nope.png': not found" -- "$bin" noimg.md -o old.pdf
printf 'not an image' >fake.png
printf '# 图\n\n![图一](fake.png)\n' >fakeimg.md
bad --err "fakeimg.md:3:1: error: image 'fake.png': not a PNG or JPEG image" -- "$bin" fakeimg.md -o old.pdf
head -c 60 picture.png >cut.png
printf '# 图\n\n![图一](cut.png)\n' >cutimg.md
bad --err "cutimg.md:3:1: error: image 'cut.png': the PNG file is truncated" -- "$bin" cutimg.md -o old.pdf
python3 -c "
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open('huge.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 20000, 20000, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(bytes(100))) + chunk(b'IEND', b''))"
printf '# 图\n\n![图一](huge.png)\n' >hugeimg.md
bad --err "hugeimg.md:3:1: error: image 'huge.png' has 20000 x 20000 pixels; the limit is 100000000 pixels" \
    -- "$bin" hugeimg.md -o old.pdf
# an absolute path works (and outlives the parsed document)
printf '# 图\n\n![图一](%s/picture.png)\n' "$out" >absimg.md
$chk run --exit 0 --pdf absimg.pdf -- "$bin" -q absimg.md -o absimg.pdf
echo "images ok"

# 6. fonts: a file that is missing, a folder, corrupt; a family that does not exist
printf -- '---\ntitle: 字\nmainfont: /nonexistent/x.ttf\n---\n\n正文 Latin。\n' >nofont.md
bad --err "nofont.md:3:11: error: cannot read font file '/nonexistent/x.ttf'" -- "$bin" nofont.md -o old.pdf
mkdir folder.ttf
printf -- '---\ntitle: 字\nCJKmainfont: folder.ttf\n---\n\n正文。\n' >dirfont.md
bad --err "dirfont.md:3:14: error: cannot read font file 'folder.ttf'" -- "$bin" dirfont.md -o old.pdf
python3 -c "import random,sys; r=random.Random(3); sys.stdout.buffer.write(b'\0\1\0\0' + bytes(r.randrange(256) for _ in range(5000)))" >junk.ttf
printf -- '---\ntitle: 字\nmainfont: junk.ttf\n---\n\n正文 Latin。\n' >junkfont.md
bad --err "junkfont.md:3:11: error: '.*junk.ttf' is not a usable font file.*" -- "$bin" junkfont.md -o old.pdf
printf -- '---\ntitle: 字\nCJKmainfont: Noto Serif CJK XX\n---\n\n正文。\n' >nofamily.md
bad --err "nofamily.md:3:14: error: font family 'Noto Serif CJK XX' is not installed; closest: .*" \
    -- "$bin" nofamily.md -o old.pdf
echo "fonts ok"

# 7. layouts: a missing file, bad YAML, an unknown key, an alias bomb
printf -- '---\ntitle: 版\nlayout: nosuch.yaml\n---\n\n正文。\n' >nolayout.md
bad --err "nolayout.md:3:9: error: .*nosuch.yaml.*" -- "$bin" nolayout.md -o old.pdf
printf 'paper: [A4\n' >broken.yaml
printf -- '---\ntitle: 版\nlayout: broken.yaml\n---\n\n正文。\n' >brokenlayout.md
bad --err ".*broken.yaml:2:1: error: not valid YAML: .* that starts at line 1, column 8" -- "$bin" brokenlayout.md -o old.pdf
printf 'paper: A4\npaperr: A5\n' >typo.yaml
bad --err ".*typo.yaml:2:1: error: unknown key 'paperr'.*" -- "$bin" --layout typo.yaml good.md -o old.pdf
python3 -c "
print('a0: &a0 {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8}')
for i in range(1, 8): print('a%d: &a%d {%s}' % (i, i, ', '.join('k%d: *a%d' % (j, i - 1) for j in range(8))))" >bomb.yaml
bad --err ".*bomb.yaml:[0-9]+:[0-9]+: error: the layout's aliases repeat more text than it holds" \
    -- "$bin" --layout bomb.yaml good.md -o old.pdf
printf 'hN.size: 10pt\n' >placeholder.yaml # once wrote before h1 (found by fuzz_layout)
bad --err ".*placeholder.yaml:1:1: error: unknown key 'hN.size'.*" -- "$bin" --layout placeholder.yaml good.md -o old.pdf
printf -- '---\ntitle: 版\nhN.number: "第{n}"\n---\n\n# 标题\n' >placeholder.md
$chk run --exit 0 --pdf placeholder.pdf --err "placeholder.md:3:1: warning: unknown front matter key 'hN.number' ignored.*" \
    -- "$bin" placeholder.md -o placeholder.pdf
echo "layouts ok"

# 8. the input: missing, a folder
bad --err 'missing.md: error: cannot read: No such file or directory' -- "$bin" missing.md -o old.pdf
mkdir folder.md
bad --err 'folder.md: error: cannot read: Is a directory' -- "$bin" folder.md -o old.pdf
echo "inputs ok"

# 9. the output cannot be written: exit 3 (2 when it is the input), nothing replaced
$chk run --exit 3 --err "nodir/x.pdf: error: cannot create a temporary file to write 'nodir/x.pdf': No such file or directory" \
    -- "$bin" good.md -o nodir/x.pdf
mkdir outdir
$chk run --exit 3 --err "outdir: error: cannot write 'outdir': it is a folder, not a regular file" \
    -- "$bin" good.md -o outdir
mkfifo pipe.pdf
$chk run --exit 3 --err "pipe.pdf: error: cannot write 'pipe.pdf': it is a named pipe, not a regular file" \
    -- "$bin" good.md -o pipe.pdf
test -p pipe.pdf
$chk run --exit 3 --err ".*: error: cannot write '/dev/null': it is a device, not a regular file" \
    -- "$bin" good.md -o /dev/null
test -c /dev/null
cp good.md self.md
$chk run --exit 2 --keep self.md --err "paiban: error: the output './self.md' is the input document; give another -o" \
    -- "$bin" self.md -o ./self.md
if [ "$(id -u)" != 0 ]; then # permissions do not stop root
    mkdir ro && chmod 555 ro && cp old.pdf ro/old.pdf
    $chk run --exit 3 --keep ro/old.pdf --err "ro/old.pdf: error: cannot create a temporary file .*Permission denied" \
        -- "$bin" good.md -o ro/old.pdf
fi
# and a good build still replaces the PDF, whole
$chk run --exit 0 --pdf old.pdf -- "$bin" -q good.md -o old.pdf
echo "outputs ok"
