#!/usr/bin/env python3
"""navcheck.py PDF SOURCE.md: the report's navigation, end to end (poppler + qpdf).

  toc        every entry 'title ..... N' of the printed contents names a heading that
             stands on the page labelled N (PDF /PageLabels)
  bookmarks  one bookmark per Markdown heading, in order, nested by level, each on a
             page that shows its title
  header     on every body page from the first chapter on, the top line names the
             chapter current there (the last level-1 heading at or before the page)
  footnotes  every footnote reference (a link to a note) is on the page of its note
Prints what it checked; exits 1 on the first kind of failure, listing the cases."""
import json, re, subprocess, sys, unicodedata

def norm(s):
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", s))

def run(*cmd):
    return subprocess.run(cmd, capture_output=True).stdout.decode("utf-8", "replace")

def roman(n):
    out = ""
    for v, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                 (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out += s
            n -= v
    return out

def main():
    pdf, md = sys.argv[1], sys.argv[2]
    pages = run("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    n = len(pages)
    j = json.loads(run("qpdf", "--json", "--json-key=outlines", "--json-key=pagelabels",
                       "--json-key=qpdf", pdf))
    # page labels
    labels = [str(i + 1) for i in range(n)]
    pl = sorted(j.get("pagelabels") or [], key=lambda e: e["index"])
    for k, e in enumerate(pl):
        end = pl[k + 1]["index"] if k + 1 < len(pl) else n
        lab = e["label"]
        st = int(lab.get("/St", 1))
        for i in range(e["index"], min(end, n)):
            v = st + i - e["index"]
            labels[i] = {"/D": str(v), "/r": roman(v), "/R": roman(v).upper()}.get(lab.get("/S"), "")
    problems = []

    # headings of the source (outside code fences)
    src = open(md, encoding="utf-8").read()
    src = re.sub(r"\A---\n.*?\n(---|\.\.\.)\n", "", src, flags=re.S)
    src = re.sub(r"^```.*?^```", "", src, flags=re.S | re.M)
    heads = [(len(m.group(1)), norm(re.sub(r"[*_`]|\{-\}|\{\.unnumbered\}", "", m.group(2))))
             for m in re.finditer(r"^(#{1,6})\s+(.+?)\s*#*\s*$", src, re.M)]

    # bookmarks
    marks = []
    def walk(items, depth):
        for o in items:
            marks.append((depth, norm(o.get("title", "")), o.get("destpageposfrom1")))
            walk(o.get("kids") or [], depth + 1)
    walk(j.get("outlines") or [], 1)
    body = [m for m in marks if m[2] and labels[m[2] - 1].isdigit()]
    if len(body) != len(heads):
        problems.append("bookmarks: %d in the body, %d headings in the source" % (len(body), len(heads)))
    prev = 0
    for (lv, t, p), (hl, ht) in zip(body, heads):
        if not t.endswith(ht):
            problems.append("bookmark '%s' does not match heading '%s'" % (t, ht))
        if not (1 <= p <= n and t[:20] in norm(pages[p - 1])):
            problems.append("bookmark '%s' points to page %s, which does not show it" % (t, p))
        if lv > prev + 1:
            problems.append("bookmark '%s' jumps from level %d to %d" % (t, prev, lv))
        prev = lv
    levels = [lv for lv, _, _ in body]
    print("bookmarks: %d, levels %s" % (len(body), "".join(str(l) for l in levels[:40])))

    # printed contents: rows 'title .... N' before the first body page
    first_body = next((i for i in range(n) if labels[i] == "1"), 0)
    toc_re = re.compile(r"^\s*(.+?)\s*(?:[.．·…]\s*){3,}([0-9]+|[ivxlcdm]+)\s*$")
    entries = 0
    for i in range(first_body):
        for row in pages[i].splitlines():
            m = toc_re.match(row)
            if not m:
                continue
            entries += 1
            title, num = norm(m.group(1)), m.group(2)
            if num not in labels:
                problems.append("contents entry '%s' names page %s, which does not exist" % (title, num))
                continue
            page = labels.index(num)
            if title not in norm(pages[page]):
                problems.append("contents entry '%s' names page %s, but the heading is not there" % (title, num))
    print("contents entries: %d" % entries)

    # running headers: the chapter current on each body page
    chapters = [(p, t) for lv, t, p in body if lv == 1]
    checked = 0
    for i in range(first_body, n):
        cur = [t for p, t in chapters if p <= i + 1]
        if not cur:
            continue
        top = next((r for r in pages[i].splitlines() if r.strip()), "")
        checked += 1
        if cur[-1][:12] not in norm(top):
            problems.append("page %d: the header '%s' does not name chapter '%s'" % (i + 1, top.strip(), cur[-1]))
    print("running headers checked: %d" % checked)

    # footnotes: a link to a note stands on the note's page
    q = j["qpdf"][1]
    page_objs = []
    for key, val in q.items():
        v = val.get("value") if isinstance(val, dict) else None
        if isinstance(v, dict) and v.get("/Type") == "/Page":
            page_objs.append(key[4:])
    order = {o: i for i, o in enumerate(x["object"] for x in json.loads(run("qpdf", "--json", "--json-key=pages", pdf))["pages"])}
    notes = 0
    for pobj in page_objs:
        pv = q["obj:" + pobj]["value"]
        for a in pv.get("/Annots") or []:
            av = q.get("obj:" + a, {}).get("value", {})
            d = av.get("/Dest")
            if isinstance(d, str) and d.startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9")):
                d = q.get("obj:" + d, {}).get("value")
            if not isinstance(d, list):
                continue
            # a footnote reference is a small link whose target is near a page bottom
            target = d[0]
            rect = av.get("/Rect", [0, 0, 0, 0])
            if rect[3] - rect[1] < 20 and (rect[2] - rect[0]) < 12 and d[1] == "/XYZ" and d[3] is not None and d[3] < 300:
                notes += 1
                if target != pobj:
                    problems.append("a footnote reference on page %d links to page %d" %
                                    (order.get(pobj, -1) + 1, order.get(target, -1) + 1))
    print("footnote references checked: %d" % notes)

    for p in problems[:40]:
        print("  " + p)
    if problems:
        print("FAIL: %d problems" % len(problems))
        return 1
    print("ok")
    return 0

sys.exit(main())
