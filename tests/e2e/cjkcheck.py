#!/usr/bin/env python3
"""cjkcheck.py PDF [--report]: checks the Chinese typesetting of a PDF from the glyph
positions `mutool draw -F stext` gives (the project's own check; needs mupdf-tools).

Body rows are the rows whose characters all have the most common size. On them:
  kinsoku    no row starts with a mark that must not start a line (，。、：；？！ closing
             brackets and quotes …) or ends with an opening mark; —— and …… are never
             split across rows (CJK.md rules 1-2)
  justify    a row that is not the last of its paragraph ends within 0.1 pt of the right
             edge of the text block when it ends in a Han character, letter or digit, and
             no row sticks out past the edge (rule 9; a compressed mark at the row end
             may reach half an em past it: its blank half is gone, its ink is inside)
  han-latin  between a Han character and a Latin letter or digit on a row the gap is
             1/4 em, at least 1/8 and at most 1/2 (rule 7)
Exits 1 when any check fails, printing the cases."""
import re, subprocess, sys
from collections import Counter

NO_START = set("、，。．；：？！）》」』】〕〗〉］｝”’·…%,.;:!?)]}")
NO_END = set("（《「『【〔〖〈［｛“‘([{")

def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF

def is_latin(c):
    return c.isascii() and c.isalnum()

def chars(pdf):
    out = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf],
                         capture_output=True).stdout.decode("utf-8", "replace")
    pages = []
    size = 0.0
    for line in out.splitlines():
        if line.startswith("<page "):
            pages.append([])
        m = re.search(r'<font name="[^"]*" size="([\d.]+)"', line)
        if m:
            size = float(m.group(1))
        m = re.search(r'<char quad="([^"]+)" x="([\d.-]+)" y="([\d.-]+)".* c="([^"]*)"', line)
        if m and pages:
            q = [float(v) for v in m.group(1).split()]
            c = m.group(4)
            c = re.sub(r"&#x([0-9a-fA-F]+);", lambda k: chr(int(k.group(1), 16)), c)
            c = c.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            if c.strip() == "":
                continue  # mutool's own spaces for gaps
            pages[-1].append((float(m.group(2)), float(m.group(3)), q[2] - q[0], size, c))
    return pages

def main():
    pdf = sys.argv[1]
    pages = chars(pdf)
    body = Counter(round(s, 1) for p in pages for (_, _, _, s, _) in p).most_common(1)
    if not body:
        print("no text"); return 1
    bsize = body[0][0]
    rows = []  # (page, y, [chars])
    for pi, p in enumerate(pages):
        byy = {}
        for ch in p:
            byy.setdefault(round(ch[1] * 2) / 2, []).append(ch)
        for y in sorted(byy):
            r = sorted(byy[y], key=lambda ch: ch[0])
            if all(abs(ch[3] - bsize) < 0.05 for ch in r):
                rows.append((pi, y, r))
    lefts = Counter(round(r[2][0][0], 1) for r in rows)
    rights = Counter(round(r[2][-1][0] + r[2][-1][2], 1) for r in rows)
    L = lefts.most_common(1)[0][0]
    R = rights.most_common(1)[0][0]
    em = bsize
    pitch = Counter(round(rows[i + 1][1] - rows[i][1], 1) for i in range(len(rows) - 1)
                    if rows[i + 1][0] == rows[i][0]).most_common(1)
    pitch = pitch[0][0] if pitch else em * 1.6
    bad = []
    hl = []
    for i, (pi, y, r) in enumerate(rows):
        text = "".join(ch[4] for ch in r)
        first, last = r[0][4], r[-1][4]
        if first in NO_START:
            bad.append("p%d line starts with %s: %s" % (pi + 1, first, text[:20]))
        if last in NO_END:
            bad.append("p%d line ends with %s: %s" % (pi + 1, last, text[-20:]))
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt and nxt[0] == pi:
            nfirst = nxt[2][0][4]
            if (last == "—" and nfirst == "—") or (last == "…" and nfirst == "…"):
                bad.append("p%d %s%s split across lines" % (pi + 1, last, nfirst))
        # paragraph-final rows: the next body row is indented, far below, or absent
        nstart = "".join(ch[4] for ch in nxt[2][:4]) if nxt else ""
        label = bool(re.match(r"^([•◦▪]|\d+[.)]|（\d+）)", nstart))
        final = (nxt is None or nxt[0] != pi or nxt[1] - y > 1.6 * pitch or label
                 or nxt[2][0][0] > L + 1.5 * em or r[0][0] < L - 0.6 * em)
        starts_body = L - 0.6 * em <= r[0][0] <= L + 2.5 * em
        end = r[-1][0] + r[-1][2]
        if starts_body and not final:
            if is_han(last) or is_latin(last):
                if abs(end - R) > 0.1:
                    bad.append("p%d line ends %.2f pt from the right edge: %s" % (pi + 1, end - R, text[-20:]))
            elif end > R + 0.5 * em + 0.1 or end < R - 0.1:
                bad.append("p%d line ending in %s ends %.2f pt from the right edge" % (pi + 1, last, end - R))
        if end > R + 0.5 * em + 0.1 or ((is_han(last) or is_latin(last)) and end > R + 0.1):
            bad.append("p%d line sticks out %.2f pt: %s" % (pi + 1, end - R, text[-20:]))
        for a, b in zip(r, r[1:]):
            if (is_han(a[4]) and is_latin(b[4])) or (is_latin(a[4]) and is_han(b[4])):
                gap = (b[0] - (a[0] + a[2])) / em
                hl.append(gap)
                if gap < 0.125 - 0.01 or gap > 0.5 + 0.01:
                    bad.append("p%d gap %.3f em between %s and %s" % (pi + 1, gap, a[4], b[4]))
    print("%s: %d body rows, size %.1f pt, frame %.2f..%.2f, pitch %.1f; Han-Latin gaps: %d%s" % (
        pdf, len(rows), bsize, L, R, pitch, len(hl),
        (", min %.3f median %.3f max %.3f em" % (min(hl), sorted(hl)[len(hl) // 2], max(hl))) if hl else ""))
    for b in bad[:30]:
        print("  " + b)
    if bad:
        print("FAIL: %d problems" % len(bad))
        return 1
    print("ok: kinsoku, unsplit dashes, justified edges, Han-Latin gaps")
    return 0

sys.exit(main())
