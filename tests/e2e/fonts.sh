#!/bin/sh
# fonts.sh PAIBAN: fonts chosen by name, localized name, style, file path and from a
# fonts/ folder, each embedded as a subset whose glyphs all draw and whose text comes
# back; fonts/ before the system's fonts; per-character fallback in a matching style;
# a character no font has; CJK.md rule 8 with a Latin font that differs; --fonts;
# errors for missing families and corrupt files. Uses only the fonts of .ci/packages.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
check="$here/fontcheck.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

body='中文正文，“引号”与（括号）：标点挤压。Latin text, “quotes” — and 2025年10月7日。'

# doc FILE KEY=VALUE... : a small document with those front matter keys
doc() {
    f=$1
    shift
    {
        echo '---'
        echo 'title: 字体测试'
        for kv in "$@"; do echo "$kv"; done
        echo '---'
        echo
        echo "$body"
        echo
        echo '**粗体中文 Bold** 与 *强调 emphasis*。'
    } >"$f"
}

# render NAME FONTKEYVALUE PSNAME: the font must be embedded, draw, and give the text back
render() {
    name=$1 psname=$3
    doc "$out/$name.md" "CJKmainfont: $2" "mainfont: $2"
    "$bin" -q "$out/$name.md" -o "$out/$name.pdf"
    "$check" embedded "$out/$name.pdf" "$psname"
    "$check" text "$out/$name.pdf" '中文正文，“引号”与（括号）：标点挤压。' 'Latin text,' '2025年10月7日' '粗体中文Bold'
    "$check" ink "$out/$name.pdf" 100
    "$check" sizes "$out/$name.pdf" | tail -n 1
    qpdf --check "$out/$name.pdf" >/dev/null
    echo "$name ok"
}

# 1. one font per kind of request, CFF and TrueType
render noto 'Noto Serif CJK SC' NotoSerifCJKsc-Regular
render wenkai 'LXGW WenKai' LXGWWenKai-Regular
render wenkai-zh '霞鹜文楷' LXGWWenKai-Regular
render wenkai-light 'LXGW WenKai Light' LXGWWenKai-Light
render uming 'AR PL UMing' UMingCN
render microhei 'WenQuanYi Micro Hei' WenQuanYiMicroHei
render microhei-zh '文泉驿微米黑' WenQuanYiMicroHei
render ttfpath /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf LXGWWenKai-Regular
render ttcpath /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc NotoSansCJKsc-Regular
# the bold of a named light style is the family's real bold, not a thickened light
"$check" embedded "$out/wenkai-light.pdf" LXGWWenKai-Bold

# 2. a family that exists only in a fonts/ folder next to the document
mkdir -p "$out/proj/fonts"
"$here/fontfile.py" rename /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf \
    "$out/proj/fonts/TestKai.ttf" 'Paiban Test Kai'
doc "$out/proj/own.md" 'CJKmainfont: Paiban Test Kai' 'mainfont: Paiban Test Kai'
"$bin" -q "$out/proj/own.md" -o "$out/own.pdf"
"$check" embedded "$out/own.pdf" PaibanTestKai-Regular
"$check" ink "$out/own.pdf" 100
"$check" text "$out/own.pdf" '中文正文，“引号”与（括号）：标点挤压。'
echo "font from fonts/ ok"

# 3. fonts/ wins over an installed font of the same family: a copy of DejaVu Serif
cp /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf "$out/proj/fonts/"
doc "$out/proj/copy.md" 'mainfont: DejaVu Serif'
"$bin" --fonts "$out/proj/copy.md" >"$out/copy.txt"
grep -q "^body     latin regular  $out/proj/fonts/DejaVuSerif.ttf:0 (DejaVu Serif Book): exact family match 'DejaVu Serif'; from the project's fonts/ folder" "$out/copy.txt"
grep -q "^$out/proj/fonts/DejaVuSerif.ttf:0 (DejaVu Serif Book): [0-9]* glyphs, body latin regular (from the project's fonts/)" "$out/copy.txt"
# fonts/ has no bold DejaVu Serif: the installed real bold beats a synthesized one
grep -q "^body     latin bold     /usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf:0" "$out/copy.txt"
"$bin" -q "$out/proj/copy.md" -o "$out/copy.pdf"
"$check" embedded "$out/copy.pdf" DejaVuSerif
echo "fonts/ before the system ok"

# 4. rule 8: shared punctuation takes the Latin font in Latin text, the CJK one in Chinese
cat >"$out/punct.md" <<'EOF'
---
title: 标点
mainfont: DejaVu Serif
---

中文“引号”与‘单引号’——破折号……省略号·间隔号。English “double” and ‘single’ quotes—dash… ellipsis·dot.
EOF
"$bin" -q "$out/punct.md" -o "$out/punct.pdf"
"$check" punct "$out/punct.pdf"
"$check" embedded "$out/punct.pdf" DejaVuSerif NotoSerifCJKsc-Regular
echo "shared punctuation ok"

# 5. fallback: 𠮷 (U+20BB7) is in neither role font; a serif takes it for a serif
#    design (UMing), a sans for a sans one (WenQuanYi, the headings); bold text (UMing's
#    bold is synthesized) gets a real bold
cat >"$out/rare.md" <<'EOF'
---
title: 罕见字
CJKmainfont: AR PL UMing
mainfont: DejaVu Serif
sansfont: DejaVu Sans
CJKsansfont: WenQuanYi Micro Hei
---

# 标题里的𠮷字

吉野家的“𠮷”字在文鼎明体里没有，由思源宋体补上。**粗体的𠮷字**。
EOF
"$bin" -q "$out/rare.md" -o "$out/rare.pdf"
"$check" text "$out/rare.pdf" '吉野家的“𠮷”字' '粗体的𠮷字' '标题里的𠮷字'
"$check" embedded "$out/rare.pdf" UMingCN NotoSerifCJKsc-Regular NotoSerifCJKsc-Bold NotoSansCJKsc
"$check" absent "$out/rare.pdf" NotoSans-Regular DroidSans
"$check" ink "$out/rare.pdf" 100
"$bin" --fonts "$out/rare.md" >"$out/rare.txt"
grep -q 'NotoSerifCJK-Regular.ttc:2 (Noto Serif CJK SC Regular): [0-9]* glyphs, fallback for 𠮷 U+20BB7$' "$out/rare.txt"
grep -q 'NotoSerifCJK-Bold.ttc:2 (Noto Serif CJK SC Bold): [0-9]* glyphs, fallback for 𠮷 U+20BB7$' "$out/rare.txt"
grep -q 'NotoSansCJK-Bold.ttc:2 (Noto Sans CJK SC Bold): [0-9]* glyphs, fallback for 𠮷 U+20BB7$' "$out/rare.txt"
echo "fallback ok"

# 6. a character no installed font has: a warning with its position, and a box
printf -- '---\ntitle: 缺字\n---\n\n第一段。\n\n这里有一个私用区字符\364\217\277\275在中间。\n' >"$out/missing.md"
"$bin" "$out/missing.md" -o "$out/missing.pdf" 2>"$out/missing.err"
grep -q "missing.md:7:[0-9]*: warning: no installed font has U+10FFFD" "$out/missing.err"
"$check" ink "$out/missing.pdf" 100
echo "missing character ok"

# 7. --fonts: every role, the reasons, the fallback chains
"$bin" --fonts >"$out/list.txt"
grep -q "^body     cjk   regular  .*NotoSerifCJK-Regular.ttc:2 (Noto Serif CJK SC Regular): exact family match" "$out/list.txt"
grep -q "^heading  cjk   bold     .*NotoSansCJK-Bold.ttc:2 (Noto Sans CJK SC Bold)" "$out/list.txt"
grep -q "^mono     latin regular  .*DejaVuSansMono.ttf:0" "$out/list.txt"
grep -q "^serif .* cjk " "$out/list.txt"
"$bin" --fonts "$out/microhei-zh.md" >"$out/list2.txt"
grep -q "localized name '文泉驿微米黑' of family 'WenQuanYi Micro Hei'" "$out/list2.txt"
grep -q "^body     cjk   bold .*synthesized bold (the family has no bold face)" "$out/list2.txt"
"$bin" --fonts "$out/wenkai-light.md" | grep -q "^body     cjk   regular  .*LXGWWenKai-Light.ttf:0 .*style 'Light' of family 'LXGW WenKai'"
"$bin" --fonts "$out/uming.md" | grep -q "'AR PL UMing' is the family 'AR PL UMing CN'"
echo "--fonts ok"

# 8. errors: a missing family at its front matter position, naming the closest;
#    in a layout file at the layout's position
printf -- '---\ntitle: 错\nCJKmainfont: Noto Serif CJK XX\n---\n\n正文。\n' >"$out/bad.md"
if "$bin" "$out/bad.md" -o "$out/bad.pdf" 2>"$out/bad.err"; then
    echo "FAIL: a missing family must fail the build" >&2
    exit 1
fi
grep -q "bad.md:3:14: error: font family 'Noto Serif CJK XX' is not installed; closest: .*'Noto Serif CJK SC'" "$out/bad.err"
test "$(grep -c 'not installed' "$out/bad.err")" = 1
printf 'fonts:\n  body: {cjk: No Such Font, latin: DejaVu Serif}\n' >"$out/lay.yaml"
printf -- '---\ntitle: 错\nlayout: lay.yaml\n---\n\n正文。\n' >"$out/badlay.md"
if "$bin" "$out/badlay.md" -o "$out/badlay.pdf" 2>"$out/badlay.err"; then
    echo "FAIL: a missing family in a layout must fail the build" >&2
    exit 1
fi
grep -q "lay.yaml:2:[0-9]*: error: font family 'No Such Font' is not installed" "$out/badlay.err"
echo "missing family ok"

# 9. corrupt files: by path, and dropped into fonts/ - errors or warnings, never a crash
mkdir -p "$out/bad/fonts"
"$here/fontfile.py" truncate /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf "$out/bad/trunc.ttf" 200000
"$here/fontfile.py" random "$out/bad/random.otf" 40000
printf -- '---\ntitle: 坏\nmainfont: trunc.ttf\nCJKmainfont: random.otf\n---\n\n正文 Latin。\n' >"$out/bad/paths.md"
set +e
"$bin" "$out/bad/paths.md" -o "$out/bad/paths.pdf" 2>"$out/paths.err"
st=$?
set -e
test "$st" = 1
grep -q "paths.md:3:11: error: '.*trunc.ttf' is not a usable font file: table '....' runs past the end of the file" "$out/paths.err"
grep -q "paths.md:4:14: error: '.*random.otf' is not a usable font file" "$out/paths.err"
# in fonts/: random bytes are ignored with a warning; a truncated copy of a family that
# fontconfig still reads is an error where the family is asked for
"$here/fontfile.py" random "$out/bad/fonts/Junk.ttf" 40000
"$here/fontfile.py" truncate /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf "$out/bad/fonts/DejaVuSerif.ttf" 5000
printf -- '---\ntitle: 坏\nmainfont: DejaVu Serif\n---\n\n正文 Latin。\n' >"$out/bad/dropped.md"
set +e
"$bin" "$out/bad/dropped.md" -o "$out/bad/dropped.pdf" 2>"$out/dropped.err"
st=$?
set -e
test "$st" = 1
grep -q "Junk.ttf: warning: not a font fontconfig can read" "$out/dropped.err"
grep -q "dropped.md:3:11: error: '.*fonts/DejaVuSerif.ttf' is not a usable font file: table '....' runs past the end" "$out/dropped.err"
rm "$out/bad/fonts/DejaVuSerif.ttf"
"$bin" -q "$out/bad/dropped.md" -o "$out/bad/dropped.pdf" 2>"$out/dropped2.err"
"$check" embedded "$out/bad/dropped.pdf" DejaVuSerif
echo "corrupt fonts ok"

# 10. size: every font a subset of the glyphs used; the seed report with Noto Serif/Sans
#     CJK must stay smaller than Typst 0.14's 436 KB for the same report and fonts
"$bin" -q content/report.md -o "$out/report.pdf"
"$check" sizes "$out/report.pdf"
"$here/pdfcheck.py" size "$out/report.pdf" 436000
echo "sizes ok"
