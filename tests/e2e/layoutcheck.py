#!/usr/bin/env python3
"""layoutcheck.py - checks of page designs on rendered PDFs (poppler-utils + qpdf only).

  layoutcheck.py grid PDF LINES CHARS SIZE TOP_MM INNER_MM BLOCK_MM
        the character grid of a two-sided design with page numbers "— N —": every
        full body page holds exactly LINES lines on a fixed pitch (BLOCK_MM / LINES)
        starting TOP_MM from the top; every justified line fills exactly CHARS
        characters of SIZE pt from the margin (INNER_MM on odd pages, mirrored on even
        pages); lines of Han characters alone hold exactly CHARS of them; and the
        common count on a full page is CHARS. Page numbers sit on the outer side.
  layoutcheck.py boxes PDF W_MM H_MM EXTRA_MM [BLEED_MM]
        every page has a TrimBox of W x H mm inset EXTRA_MM into the media box, and a
        BleedBox of the trim plus BLEED_MM when given (else none, or none beyond the trim)
  layoutcheck.py marks PDF
        8 crop marks per page, all outside the trim box (and the bleed box), in
        registration colour
  layoutcheck.py black PDF
        text, rules and fills use DeviceCMYK with the black ink only (text 0 0 0 1)
  layoutcheck.py recto PDF HEADING...
        each heading starts a right-hand (odd) body page (two-sided, chapter-recto)
  layoutcheck.py signature PDF SIZE ISSUER DATE
        GB/T 9704 §7.3.5.2 on the last page: a blank line, ISSUER (the first issuer
        line; more may follow, aligned with it), then DATE on the next line, the date starting two characters (of SIZE pt) right of the
        issuer, and the longer of the two ending two characters from the right edge
        of the text (the right end of the justified lines on pages of that side)
Exits 1 with a message on the first failed check."""
import collections, re, subprocess, sys

MM = 72 / 25.4

def run(*cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0:
        fail("%s failed: %s" % (cmd[0], p.stderr.decode("utf-8", "replace")))
    return p.stdout.decode("utf-8", "replace")

def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF

def is_cjk(c):
    o = ord(c)
    return is_han(c) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or o in (0x2014, 0x2026, 0x201C, 0x201D, 0x2018, 0x2019, 0xB7, 0x2022)

def bbox_pages(pdf):
    """Per page: (width, height, [(xmin, ymin, xmax, ymax, text)])."""
    out = run("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-")
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', m.group(3))]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    return pages

def text_lines(words):
    """Words grouped into lines by their vertical centre, top to bottom, each line
    sorted left to right."""
    lines = []
    for w in sorted(words, key=lambda w: (w[1] + w[3]) / 2):
        c = (w[1] + w[3]) / 2
        if lines and abs(lines[-1][0] - c) < 6:
            lines[-1][1].append(w)
        else:
            lines.append([c, [w]])
    return [sorted(ws) for c, ws in lines]

VERBOSE = False
PAGE_NO = re.compile(r"^—\s*(\d+)\s*—$")

def check_grid(pdf, n_lines, n_chars, size, top_mm, inner_mm, block_mm):
    n_lines, n_chars, size = int(n_lines), int(n_chars), float(size)
    top, inner, block = float(top_mm) * MM, float(inner_mm) * MM, float(block_mm) * MM
    pitch = block / n_lines
    measure = n_chars * size
    full, body, counts = 0, 0, collections.Counter()
    for pi, (pw, ph, words) in enumerate(bbox_pages(pdf)):
        lines = text_lines(words)
        # the page number: below the block, "— N —"
        number = None
        inside = []
        for ws in lines:
            text = " ".join(w[4] for w in ws).strip()
            if ws[0][1] > top + block:
                m = PAGE_NO.match(text)
                if re.match(r"^[ivxlc]+$", text):
                    break  # a front-matter page, numbered i, ii, ...
                if not m:
                    fail("page %d: text below the block is not a page number: %r" % (pi + 1, text))
                number = int(m.group(1))
                xmin, xmax = ws[0][0], ws[-1][2]
                outer_side = (xmin + xmax) / 2 > pw / 2 if number % 2 else (xmin + xmax) / 2 < pw / 2
                if not outer_side:
                    fail("page %d: page number %d is not on the outer side" % (pi + 1, number))
            elif ws[-1][3] < top:
                fail("page %d: text above the block (no running header expected): %r" % (pi + 1, text))
            else:
                inside.append(ws)
        if number is None:
            continue  # front matter or a blank page
        body += 1
        left = inner if number % 2 else pw - inner - measure
        # body-size lines only (poppler's box of a CJK glyph is one em high): titles,
        # tables and footnotes are not on the grid
        # (a word's box follows the font of its first character: a word that starts
        # with Latin says little about the CJK baseline, so only the slot is checked)
        grid_lines = []
        for ws in inside:
            cjk = [w for w in ws if any(is_cjk(c) for c in w[4])]
            if cjk and abs(cjk[0][3] - cjk[0][1] - size) < 0.05:
                first = [w for w in cjk if is_cjk(w[4][0])]
                y = min(w[1] for w in (first or cjk))
                grid_lines.append((ws, y, bool(first)))
        if not grid_lines:
            continue
        offset = collections.Counter(round((y - top) % pitch, 1)
                                     for _, y, exact in grid_lines if exact).most_common(1)[0][0]
        slots = []
        for ws, y, exact in grid_lines:
            k = round((y - top - offset) / pitch)
            off = y - top - k * pitch
            if exact and abs(off - offset) > 0.3:
                fail("page %d: line %r is off the %.3fpt grid by %.2fpt" %
                     (pi + 1, "".join(w[4] for w in ws)[:20], pitch, off - offset))
            slots.append(k)
            text = "".join(w[4] for w in ws)
            xmin, xmax = ws[0][0], ws[-1][2]
            # a closing mark or stop at the line end, an opening mark at the start,
            # keeps its ink and gives up its blank half (CJK.md rule 5); poppler
            # still boxes the whole em
            if text[-1] in "，。、；：？！”’）》」』】〕" and xmax > left + measure + 0.1:
                xmax -= size / 2
            if text[0] in "“‘（《「『【〔" and xmin < left - 0.1:
                xmin += size / 2
            if xmin < left - 0.1 or xmax > left + measure + 0.1:
                fail("page %d: line %r (%.2f..%.2f) leaves the measure %.2f..%.2f" %
                     (pi + 1, text[:20], xmin, xmax, left, left + measure))
            if abs(xmax - (left + measure)) < 0.1 and abs(xmin - left) < 0.1:
                counts[len(text)] += 1
                if all(is_han(c) for c in text) and len(text) != n_chars:
                    fail("page %d: a full line of Han characters holds %d, not %d: %s" %
                         (pi + 1, len(text), n_chars, text))
        if len(set(slots)) != len(slots):
            fail("page %d: two lines share a grid line" % (pi + 1))
        if slots and (min(slots) < 0 or max(slots) >= n_lines):
            fail("page %d: lines outside the %d grid lines (%d..%d)" % (pi + 1, n_lines, min(slots), max(slots)))
        if len(slots) == n_lines:
            full += 1
        if VERBOSE:
            print("page %d (body %d): %d grid lines %s" % (pi + 1, number, len(slots), sorted(slots)))
    if full == 0:
        fail("no full body page (%d lines) among %d body pages" % (n_lines, body))
    common = counts.most_common(1)[0][0]
    if common != n_chars:
        fail("full lines mostly hold %d characters, not %d: %s" % (common, n_chars, dict(counts)))
    print("grid: %d of %d body pages full with %d lines on a %.3fpt pitch; full lines of %d "
          "characters (%.0fpt): %d of %d (the others have Latin words or compressed punctuation: %s)" %
          (full, body, n_lines, pitch, n_chars, measure, counts[n_chars], sum(counts.values()),
           dict(sorted(counts.items()))))

def page_dicts(pdf):
    """The page objects of a QDF rendering, in page order, and their content streams."""
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"],
                         capture_output=True).stdout.decode("latin-1")
    dicts = [m.group(1) for m in re.finditer(r"%% Page \d+\n(.*?)endobj", qdf, re.S)]
    streams = {int(m.group(1)): m.group(2) for m in
               re.finditer(r"%% Contents for page (\d+)\n.*?stream\n(.*?)endstream", qdf, re.S)}
    return dicts, [streams.get(i + 1, "") for i in range(len(dicts))]

def box(d, name):
    m = re.search(r"/%s \[\s*([-\d.\s]+)\]" % name, d)
    return [float(x) for x in m.group(1).split()] if m else None

def near(a, b, eps=0.02):
    return all(abs(x - y) <= eps for x, y in zip(a, b))

def check_boxes(pdf, w_mm, h_mm, extra_mm, bleed_mm=None):
    w, h, e = float(w_mm) * MM, float(h_mm) * MM, float(extra_mm) * MM
    dicts, _ = page_dicts(pdf)
    if not dicts:
        fail("no pages")
    for i, d in enumerate(dicts):
        media, trim, bleed = box(d, "MediaBox"), box(d, "TrimBox"), box(d, "BleedBox")
        if not near(media, [0, 0, w + 2 * e, h + 2 * e]):
            fail("page %d: MediaBox %s, expected %.2f x %.2f" % (i + 1, media, w + 2 * e, h + 2 * e))
        if not trim or not near(trim, [e, e, e + w, e + h]):
            fail("page %d: TrimBox %s, expected the %.1f x %.1f mm page inset %.1f mm" % (i + 1, trim, float(w_mm), float(h_mm), float(extra_mm)))
        if bleed_mm is not None:
            b = float(bleed_mm) * MM
            if not bleed or not near(bleed, [e - b, e - b, e + w + b, e + h + b]):
                fail("page %d: BleedBox %s, expected the trim box plus %s mm" % (i + 1, bleed, bleed_mm))
        elif bleed and not near(bleed, trim):
            fail("page %d: BleedBox %s beyond the trim box without a bleed" % (i + 1, bleed))
    print("boxes: %d pages, TrimBox %.1f x %.1f mm%s" % (len(dicts), float(w_mm), float(h_mm),
          ", BleedBox +%s mm" % bleed_mm if bleed_mm is not None else ""))

NUM = r"(-?[\d.]+)"

def check_marks(pdf):
    dicts, streams = page_dicts(pdf)
    for i, (d, s) in enumerate(zip(dicts, streams)):
        trim = box(d, "TrimBox")
        bleed = box(d, "BleedBox") or trim
        x0, y0, x1, y1 = bleed
        color = None
        marks = 0
        for line in s.splitlines():
            m = re.match(r"^%s %s %s %s K$" % (NUM, NUM, NUM, NUM), line)
            if m:
                color = tuple(float(v) for v in m.groups())
            m = re.match(r"^%s %s m %s %s l S$" % (NUM, NUM, NUM, NUM), line)
            if not m:
                continue
            ax, ay, bx, by = (float(v) for v in m.groups())
            marks += 1
            # outside: the whole segment beyond one edge of the bleed box
            e = 0.01  # the boxes and the content are written with different precision
            outside = (max(ax, bx) <= x0 + e or min(ax, bx) >= x1 - e or
                       max(ay, by) <= y0 + e or min(ay, by) >= y1 - e)
            if not outside:
                fail("page %d: a stroked line %s crosses the trim/bleed box %s" % (i + 1, m.groups(), bleed))
            # in line with a trim edge
            if not (ax == bx and any(abs(ax - t) < 0.01 for t in (trim[0], trim[2])) or
                    ay == by and any(abs(ay - t) < 0.01 for t in (trim[1], trim[3]))):
                fail("page %d: mark %s is not in line with a trim edge" % (i + 1, m.groups()))
            if color != (1, 1, 1, 1):
                fail("page %d: crop mark in colour %s, not registration" % (i + 1, color))
        if marks != 8:
            fail("page %d: %d crop marks, expected 8" % (i + 1, marks))
    print("marks: 8 crop marks outside the trim box on each of %d pages" % len(dicts))

def check_black(pdf):
    _, streams = page_dicts(pdf)
    texts = 0
    for i, s in enumerate(streams):
        fill = None
        for line in s.splitlines():
            if re.search(r"\b(rg|RG|g|G|sc|scn|SC|SCN|cs|CS)$", line):
                fail("page %d: colour outside DeviceCMYK: %s" % (i + 1, line))
            m = re.match(r"^%s %s %s %s ([kK])$" % (NUM, NUM, NUM, NUM), line)
            if m:
                c, mg, y, k = (float(v) for v in m.groups()[:4])
                if (c, mg, y) != (0, 0, 0):
                    fail("page %d: colour with more than the black ink: %s" % (i + 1, line))
                if m.group(5) == "k":
                    fill = k
            if line.endswith(" TJ") or line.endswith(" Tj"):
                texts += 1
                if fill != 1:
                    fail("page %d: text in black %s, not 100%%" % (i + 1, fill))
    print("black: %d text runs in DeviceCMYK 0 0 0 1, every colour the black ink alone" % texts)

def check_recto(pdf, *headings):
    pages = bbox_pages(pdf)
    for hd in headings:
        found = False
        for pi, (pw, ph, words) in enumerate(pages):
            lines = text_lines(words)
            texts = ["".join(w[4] for w in ws) for ws in lines]
            if hd not in texts:
                continue
            numbers = [int(m.group(1)) for t in texts for m in [PAGE_NO.match(t)] if m]
            if not numbers:
                continue  # the contents
            found = True
            if numbers[-1] % 2 != 1:
                fail("%s starts body page %d, a left-hand page" % (hd, numbers[-1]))
            if texts.index(hd) != 0:
                fail("%s does not start its page" % hd)
        if not found:
            fail("heading %s not found on a body page" % hd)
    print("recto: %d chapters start right-hand pages" % len(headings))

def check_signature(pdf, size, issuer, date):
    size = float(size)
    pages = bbox_pages(pdf)
    last = len(pages) - 1
    # the right edge of the text on pages of the last page's side: where the
    # justified lines end
    right = 0
    for pi in range(last % 2, len(pages), 2):
        for ws in text_lines(pages[pi][2]):
            if ws[-1][2] - ws[0][0] >= 20 * size:  # a body line, not a page number
                right = max(right, ws[-1][2])
    lines = text_lines(pages[last][2])
    texts = ["".join(w[4] for w in ws) for ws in lines]
    if issuer not in texts or date not in texts:
        fail("signature: %r and %r not both on the last page: %r" % (issuer, date, texts))
    a, b = texts.index(issuer), texts.index(date)
    if b <= a:
        fail("signature: the date is not below the issuer")
    la, lb = lines[a], lines[b]
    # more issuers (authors) may stand between, each starting where the first does
    for k in range(a + 1, b):
        if abs(lines[k][0][0] - la[0][0]) > 0.6:
            fail("signature: issuer line %r does not start under the first" % texts[k])
    def y(ws):  # a line's height from a word in the Chinese font (digits' boxes differ)
        w = next((w for w in ws if any(is_han(c) for c in w[4])), ws[0])
        return (w[1] + w[3]) / 2
    pitch = (y(lb) - y(la)) / (b - a)
    above = y(la) - y(lines[a - 1])
    if abs(above - 2 * pitch) > 1:
        fail("signature: %.1fpt above the issuer, not one blank line (%.1fpt)" % (above, 2 * pitch))
    xs, xd = la[0][0], lb[0][0]
    if abs(xd - xs - 2 * size) > 0.6:
        fail("signature: the date starts %.2fpt right of the issuer, not 2 characters (%.1fpt)"
             % (xd - xs, 2 * size))
    end = max(max(lines[k][-1][2] for k in range(a, b)), lb[-1][2])
    if abs(right - 2 * size - end) > 0.6:
        fail("signature: it ends %.2fpt from the right edge, not 2 characters (%.1fpt)"
             % (right - end, 2 * size))
    print("signature: issuer at %.1f, date at %.1f, %.1fpt (2 characters) from the right edge"
          % (xs, xd, right - end))

cmds = {"signature": check_signature, "grid": check_grid, "boxes": check_boxes, "marks": check_marks, "black": check_black,
        "recto": check_recto}
if len(sys.argv) < 3 or sys.argv[1] not in cmds:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
cmds[sys.argv[1]](*sys.argv[2:])
