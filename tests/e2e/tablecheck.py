#!/usr/bin/env python3
"""tablecheck.py - checks on rendered tables, from `pdftotext -bbox` word boxes.

  tablecheck.py layout PDF       on every page no two words overlap and every word
                                 stays inside the measure (found from the justified
                                 body lines): no cell text clipped or run into its
                                 neighbour
  tablecheck.py captions PDF N   captions 表1..表N in order, each 续表K after its 表K
                                 and before 表K+1
  tablecheck.py long SRC.md PDF  the table of SRC.md crosses a page: its caption 表N
                                 on the first page, 续表N above the header on every
                                 later one, the header on every page holding rows,
                                 and every number cell of the source shown whole,
                                 once
Exits 1 with a message on the first failed check."""
import html, re, subprocess, sys

CLOSING = set("、，。．；：？！”’）》」』】〕〗〉］｝")
OPENING = set("“‘（《「『【〔〖〈［｛")

def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

def pages(pdf):
    p = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True)
    if p.returncode != 0:
        fail("pdftotext -bbox failed: " + p.stderr.decode("utf-8", "replace"))
    out = []
    for page in re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>",
                           p.stdout.decode("utf-8"), re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in re.findall(
                     r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                     page[2])]
        out.append((float(page[0]), float(page[1]), words))
    if not out:
        fail("no pages in " + pdf)
    return out

def measure(doc):
    """The text block's left and right edges: where most justified body lines (the
    widest words) start and end."""
    wide = [w for _, _, ws in doc for w in ws if w[2] - w[0] > 250]
    if not wide:
        fail("no justified body lines to find the measure from")
    mode = lambda xs: max(set(xs), key=xs.count)
    return mode([round(w[0], 1) for w in wide]), mode([round(w[2], 1) for w in wide])

def check_layout(pdf):
    doc = pages(pdf)
    left, right = measure(doc)
    n = 0
    for pno, (pw, ph, ws) in enumerate(doc, 1):
        for w in ws:
            # a mark at a line's edge may lose its blank half (CJK.md rule 5)
            em = w[3] - w[1]
            lo = left - 0.5 - (em / 2 if w[4][:1] in OPENING else 0)
            hi = right + 0.5 + (em / 2 if w[4][-1:] in CLOSING else 0)
            if w[0] < lo or w[2] > hi or w[1] < 0 or w[3] > ph:
                fail("page %d: '%s' at x %.1f..%.1f sticks out of the measure %.1f..%.1f"
                     % (pno, w[4], w[0], w[2], left, right))
        ws = sorted(ws)
        for i, a in enumerate(ws):
            for b in ws[i + 1:]:
                if b[0] >= a[2] - 0.3:
                    break
                ox = min(a[2], b[2]) - max(a[0], b[0])
                oy = min(a[3], b[3]) - max(a[1], b[1])
                # punctuation compression (CJK.md rule 5) removes blank halves that
                # pdftotext still counts: up to an em where a word ends with a
                # closing or stop mark, or the next begins with an opening one
                if a[4][-1:] in CLOSING or b[4][:1] in OPENING:
                    ox -= a[3] - a[1]
                if ox > 0.3 and oy > 0.3:
                    fail("page %d: '%s' and '%s' overlap (%.1f x %.1f pt)" % (pno, a[4], b[4], ox, oy))
        n += len(ws)
    print("layout: %d words on %d pages, none overlapping, all inside %.1f..%.1f"
          % (n, len(doc), left, right))

def md_table(src):
    """Header cells and body rows of the first table in a Markdown file."""
    rows = []
    for line in open(src, encoding="utf-8"):
        line = line.strip()
        if line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))])
        elif rows:
            break
    if len(rows) < 3:
        fail("no table in " + src)
    return rows[0], rows[2:]

def header_cells(words, numbers):
    """The header cells of the table on a page: the words between the caption (表N
    or 续表N) and the first row holding a number, joined column by column (a cell
    may wrap into several words)."""
    cap = [w[3] for w in words if re.fullmatch(r"续?表\d+", w[4])]
    rows = [w[1] for w in words if w[4] in numbers]
    if not cap or not rows:
        return []
    band = sorted((w for w in words if max(cap) <= w[1] < min(rows)), key=lambda w: w[0])
    cols = []
    for w in band:
        if cols and w[0] < cols[-1][-1][2]:
            cols[-1].append(w)
        else:
            cols.append([w])
    return ["".join(x[4] for x in sorted(c, key=lambda w: w[1])) for c in cols]

def check_long(src, pdf):
    header, body = md_table(src)
    doc = pages(pdf)
    texts = [[w[4] for w in ws] for _, _, ws in doc]
    caps = [i for i, t in enumerate(texts) if any(re.fullmatch(r"表\d+", x) for x in t)]
    if not caps:
        fail("no caption 表N")
    first = caps[0]
    num = next(x for x in texts[first] if re.fullmatch(r"表\d+", x))[1:]
    number = re.compile(r"[-+−]?[\d,]+(\.\d+)?%?")
    numbers = [c for r in body for c in r[1:] if number.fullmatch(c)]
    row_pages = [i for i, t in enumerate(texts) if i >= first and any(x in numbers for x in t)]
    if len(row_pages) < 2:
        fail("the table does not cross a page (rows on pages %s)" % [p + 1 for p in row_pages])
    for p in row_pages:
        missing = [h for h in header if h not in header_cells(doc[p][2], numbers)]
        if missing:
            fail("page %d holds rows but not the header cells %s" % (p + 1, missing))
        cont = "续表" + num in texts[p]
        if (p == first) == cont:
            fail("page %d: 续表%s %s" % (p + 1, num, "before the table starts" if cont else "missing"))
        if cont:
            ys = {w[4]: w[1] for w in doc[p][2]}
            head = [y for x, y in ys.items() if any(x in h for h in header)]
            if not head or not all(ys["续表" + num] < y for y in head):
                fail("page %d: 续表%s is not above the header" % (p + 1, num))
    shown = [x for p in row_pages for x in texts[p]]
    for c in numbers:
        if shown.count(c) != numbers.count(c):
            fail("number cell '%s' shown %d times, written %d times" % (c, shown.count(c), numbers.count(c)))
    print("long table: %d rows on pages %s, header on each, 续表%s on %s, %d number cells whole"
          % (len(body), [p + 1 for p in row_pages], num, [p + 1 for p in row_pages[1:]], len(numbers)))

def check_captions(pdf, n):
    p = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True)
    text = p.stdout.decode("utf-8").replace("\f", "\n")
    seen = re.findall(r"^(续)?表(\d+)", text, re.M)
    plain = [int(k) for c, k in seen if not c]
    if plain != list(range(1, n + 1)):
        fail("captions %s, expected 表1..表%d" % (plain, n))
    current = 0
    for c, k in seen:
        k = int(k)
        if c and k != current:
            fail("续表%d after 表%d" % (k, current))
        current = k
    print("captions: %s" % " ".join(c + "表" + k for c, k in seen))

def main(argv):
    if len(argv) == 3 and argv[1] == "layout":
        check_layout(argv[2])
    elif len(argv) == 4 and argv[1] == "captions":
        check_captions(argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[1] == "long":
        check_long(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)

if __name__ == "__main__":
    main(sys.argv)
