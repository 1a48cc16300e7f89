#!/usr/bin/env python3
"""fontcheck.py - checks on how fonts came out in a rendered PDF (poppler-utils, mupdf-tools).

  fontcheck.py embedded PDF NAME...      every NAME (part of a PostScript name) is embedded as a
                                         subset (TAG+Name, emb/sub/uni yes) in pdffonts
  fontcheck.py absent PDF NAME...        no font whose name holds NAME
  fontcheck.py text PDF STRING...        every STRING comes back from pdftotext (white space
                                         ignored: Han-Latin gaps are positions, not spaces)
  fontcheck.py charfont PDF CHAR NAME    every CHAR on the pages is drawn in a font named *NAME*
  fontcheck.py punct PDF                 CJK.md rule 8: each of “ ” ‘ ’ — … · is drawn in the
                                         font of its Chinese neighbour when it has one, else
                                         in the font of its Latin neighbour
  fontcheck.py ink PDF [DPI]             no blank glyphs: every visible character's box holds
                                         dark pixels when the page is rendered (pdftoppm), so
                                         a glyph lost in subsetting (LIBHARU.md bug 2) or a
                                         .notdef without outline fails
  fontcheck.py sizes PDF                 prints the bytes of each embedded font program
Exits 1 with a message on the first failed check."""
import os, re, subprocess, sys, tempfile, zlib
import xml.etree.ElementTree as ET

SHARED = "“”‘’—…·"


def run(*cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def pdffonts(pdf):
    rc, out, err = run("pdffonts", pdf)
    if rc != 0:
        fail("pdffonts: " + err)
    rows = []
    for r in out.splitlines()[2:]:
        m = re.match(r"^(\S+)\s+(.*?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", r)
        if not m:
            fail("cannot read pdffonts row: " + r)
        rows.append((m.group(1), m.group(2), m.group(4), m.group(5), m.group(6)))
    return rows


def check_embedded(pdf, *names):
    rows = pdffonts(pdf)
    for n in names:
        hit = [r for r in rows if n in r[0]]
        if not hit:
            fail("%s: no font named *%s* (fonts: %s)" % (pdf, n, ", ".join(r[0] for r in rows)))
        for name, typ, emb, sub, uni in hit:
            if (emb, sub, uni) != ("yes", "yes", "yes") or not re.match(r"^[A-Z]{6}\+", name):
                fail("%s: %s is not an embedded subset with ToUnicode (%s %s %s)" % (pdf, name, emb, sub, uni))
    print("embedded: %s" % ", ".join(r[0] for r in rows if any(n in r[0] for n in names)))


def check_absent(pdf, *names):
    for r in pdffonts(pdf):
        for n in names:
            if n in r[0]:
                fail("%s: font %s should not be there" % (pdf, r[0]))
    print("absent: %s" % ", ".join(names))


def squeeze(s):
    return re.sub(r"\s+", "", s)


def check_text(pdf, *strings):
    rc, out, err = run("pdftotext", "-enc", "UTF-8", pdf, "-")
    if rc != 0:
        fail("pdftotext: " + err)
    got = squeeze(out)
    for s in strings:
        if squeeze(s) not in got:
            fail("%s: text %r not extracted; got %r" % (pdf, s, out[:600]))
    print("text: %d strings come back" % len(strings))


def stext(pdf):
    """Pages as lists of lines; a line is a list of (char, font, x0, y0, x1, y1) in points
    from the top-left corner. Also returns the page sizes."""
    rc, out, err = run("mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf)
    if rc != 0:
        fail("mutool draw -F stext: " + err)
    root = ET.fromstring(out)
    pages = []
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            chars = []
            for font in line.iter("font"):
                name = font.get("name")
                for ch in font.iter("char"):
                    q = [float(v) for v in ch.get("quad").split()]
                    xs, ys = q[0::2], q[1::2]
                    chars.append((ch.get("c"), name, min(xs), min(ys), max(xs), max(ys)))
            lines.append(chars)
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def check_charfont(pdf, char, name):
    n = 0
    for w, h, lines in stext(pdf):
        for line in lines:
            for c, font, *_ in line:
                if c == char:
                    n += 1
                    if name not in font:
                        fail("%s: %s (U+%04X) is drawn in %s, not *%s*" % (pdf, c, ord(c), font, name))
    if n == 0:
        fail("%s: %s (U+%04X) is not on any page" % (pdf, char, ord(char)))
    print("charfont: %d x %s in *%s*" % (n, char, name))


def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF or \
        0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF


def check_punct(pdf):
    n = 0
    for w, h, lines in stext(pdf):
        for line in lines:
            for i, (c, font, *_) in enumerate(line):
                if c not in SHARED:
                    continue
                # the neighbours, looking past spaces and other shared marks (para.c)
                near = []
                for step in (-1, 1):
                    k = i + step
                    while 0 <= k < len(line) and (line[k][0].isspace() or line[k][0] in SHARED):
                        k += step
                    if 0 <= k < len(line):
                        near.append(line[k])
                han = [x for x in near if is_han(x[0])]
                if not near:
                    continue
                n += 1
                # Chinese: one of the fonts that set the line's Chinese (a fallback font
                # may set the neighbour itself); Latin: the neighbour's font
                han_fonts = {x[1] for x in line if is_han(x[0]) and x[0] not in SHARED}
                want = han[0][1] if han else near[0][1]
                if (han and font not in han_fonts) or (not han and font != want):
                    ctx = "".join(x[0] for x in line[max(0, i - 6):i + 6])
                    fail("%s: %s in %r is drawn in %s, its %s neighbour in %s" %
                         (pdf, c, ctx, font, "Chinese" if han else "Latin", want))
    if n == 0:
        fail("%s: no shared punctuation to check" % pdf)
    print("punct: %d shared marks in the font of their text" % n)


def read_pgm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        fail("cannot read " + path)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def check_ink(pdf, dpi="100"):
    dpi = float(dpi)
    pages = stext(pdf)
    blank = []
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        rc, out, err = run("pdftoppm", "-r", str(dpi), "-gray", pdf, os.path.join(tmp, "p"))
        if rc != 0:
            fail("pdftoppm: " + err)
        files = sorted(f for f in os.listdir(tmp) if f.endswith(".pgm"))
        if len(files) != len(pages):
            fail("pdftoppm gave %d pages, mutool %d" % (len(files), len(pages)))
        for (pw, ph, lines), f in zip(pages, files):
            w, h, px = read_pgm(os.path.join(tmp, f))
            sx, sy = w / pw, h / ph
            for line in lines:
                for c, font, x0, y0, x1, y1 in line:
                    o = ord(c)
                    if c.isspace() or o in (0x3000, 0x200B, 0xAD, 0xFEFF) or x1 - x0 < 1.0:
                        continue
                    # the inner part of the advance box, so a neighbour's ink does not count
                    inset = (x1 - x0) * 0.12
                    bx0, bx1 = int((x0 + inset) * sx), int((x1 - inset) * sx + 0.999)
                    by0, by1 = int(y0 * sy), int(y1 * sy + 0.999)
                    dark = 0
                    for y in range(max(0, by0), min(h, by1)):
                        row = px[y * w:(y + 1) * w]
                        dark += sum(1 for v in row[max(0, bx0):min(w, bx1)] if v < 200)
                    checked += 1
                    if dark == 0:
                        blank.append("%s U+%04X in %s" % (c, o, font))
    if blank:
        fail("%s: %d glyphs draw nothing: %s" % (pdf, len(blank), "; ".join(blank[:20])))
    print("ink: all %d glyphs draw" % checked)


def check_sizes(pdf):
    data = open(pdf, "rb").read()
    names = {}
    for m in re.finditer(rb"/FontName\s*/([A-Z]{6}\+\S+?)[\s/>].*?/FontFile[23]?\s+(\d+) 0 R", data, re.S):
        names[int(m.group(2))] = m.group(1).decode()
    total = 0
    for num, name in sorted(names.items(), key=lambda x: x[1]):
        m = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*stream\r?\n" % num, data, re.S)
        if not m:
            continue
        start = m.end()
        end = data.find(b"endstream", start)
        n = len(data[start:end].rstrip(b"\r\n"))
        total += n
        print("%-40s %8d bytes" % (name, n))
    print("%-40s %8d bytes of %d" % ("fonts", total, len(data)))


cmds = {"embedded": check_embedded, "absent": check_absent, "text": check_text,
        "charfont": check_charfont, "punct": check_punct, "ink": check_ink, "sizes": check_sizes}
if len(sys.argv) < 3 or sys.argv[1] not in cmds:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
cmds[sys.argv[1]](*sys.argv[2:])
