#!/usr/bin/env python3
"""pdfcheck.py - the project's own checks on rendered PDFs (poppler-utils + qpdf only).

  pdfcheck.py fonts PDF            every font embedded (emb=yes) and subset (sub=yes)
  pdfcheck.py qpdf PDF             qpdf --check passes
  pdfcheck.py han SRC.md PDF       every Han character of the source comes back, in order
                                   (content-stream order, `pdftotext -raw`: poppler's
                                   geometric reading order interleaves wrapped table
                                   cells), and by count in plain `pdftotext`
  pdfcheck.py size PDF MAX_BYTES   the file is smaller than MAX_BYTES
  pdfcheck.py pages PDF MIN MAX    the page count is within [MIN, MAX]
Exits 1 with a message on the first failed check."""
import re, subprocess, sys

def run(*cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF or 0xF900 <= o <= 0xFAFF

def check_fonts(pdf):
    rc, out, err = run("pdffonts", pdf)
    if rc != 0:
        fail("pdffonts failed: " + err)
    rows = out.splitlines()[2:]
    if not rows:
        fail("no fonts in " + pdf)
    for r in rows:
        # columns: name type encoding emb sub uni object ID; the type may hold spaces
        m = re.match(r"^(\S+)\s+(.*?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", r)
        if not m:
            fail("cannot read pdffonts row: " + r)
        name, emb, sub, uni = m.group(1), m.group(4), m.group(5), m.group(6)
        if emb != "yes" or sub != "yes" or uni != "yes":
            fail("font %s: emb=%s sub=%s uni=%s" % (name, emb, sub, uni))
        if not re.match(r"^[A-Z]{6}\+", name):
            fail("font %s has no subset tag" % name)
    print("fonts: %d, all embedded subsets with ToUnicode" % len(rows))

def check_qpdf(pdf):
    rc, out, err = run("qpdf", "--check", pdf)
    if rc != 0:
        fail("qpdf --check: " + out + err)
    print("qpdf --check: ok")

def source_han(md):
    text = open(md, encoding="utf-8").read()
    # front matter: keys are ASCII here; values keep their order (title, authors, date, abstract)
    return [c for c in text if is_han(c)]

def check_han(md, pdf):
    rc, out, err = run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-")
    if rc != 0:
        fail("pdftotext failed: " + err)
    got = [c for c in out if is_han(c)]
    want = source_han(md)
    # the source must be a subsequence of the PDF text (the PDF adds running heads,
    # the contents and captions); greedy earliest matching decides subsequence
    j = 0
    for i, c in enumerate(want):
        while j < len(got) and got[j] != c:
            j += 1
        if j == len(got):
            ctx = "".join(want[max(0, i - 10):i + 10])
            fail("Han character %d of %d (%s) not found in order; source context: %s" % (i, len(want), c, ctx))
        j += 1
    rc, plain, err = run("pdftotext", "-enc", "UTF-8", pdf, "-")
    from collections import Counter
    have = Counter(c for c in plain if is_han(c))
    need = Counter(want)
    short = {c: n - have[c] for c, n in need.items() if have[c] < n}
    if short:
        fail("plain pdftotext lacks Han characters: %s" % dict(list(short.items())[:20]))
    print("han: all %d Han characters of the source come back in order (%d in the PDF)" % (len(want), len(got)))

def check_size(pdf, limit):
    import os
    n = os.path.getsize(pdf)
    if n >= int(limit):
        fail("%s is %d bytes, limit %s" % (pdf, n, limit))
    print("size: %d bytes" % n)

def check_pages(pdf, lo, hi):
    rc, out, err = run("pdfinfo", pdf)
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    if not m:
        fail("pdfinfo: " + err)
    n = int(m.group(1))
    if not int(lo) <= n <= int(hi):
        fail("%d pages, expected %s..%s" % (n, lo, hi))
    print("pages: %d" % n)

cmds = {"fonts": check_fonts, "qpdf": check_qpdf, "han": check_han, "size": check_size, "pages": check_pages}
if len(sys.argv) < 3 or sys.argv[1] not in cmds:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
cmds[sys.argv[1]](*sys.argv[2:])
