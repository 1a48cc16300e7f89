#!/usr/bin/env python3
"""robustcheck.py - runs paiban on bad and pathological input and checks what it did
(tests/e2e/robust.sh, robust-limits.sh; issue 9).

  robustcheck.py run [options] -- PAIBAN ARGS...
      --exit N          the exit status must be N
      --err REGEX       stderr must have a line matching REGEX (a full-line match; may
                        be given several times, each must match some line)
      --no-err REGEX    no stderr line may match REGEX
      --keep FILE       FILE must be byte-identical afterwards (or still absent), and no
                        temporary file of it (.NAME.XXXXXX) may be left in its folder
      --pdf FILE        FILE must afterwards be a PDF that qpdf --check accepts
      --seconds S       time must stay under S seconds: the wall-clock time, or the CPU
                        time when that is less (other tests running at the same time
                        stretch the wall clock, not the work done)
      --mb M            peak resident memory must stay under M megabytes
      --label TEXT      name printed with the measurements
  robustcheck.py gen KIND OUT [N]
      writes a generated input (see GENERATORS); N scales it
  robustcheck.py sanitized PAIBAN
      exits 0 when PAIBAN is built with AddressSanitizer (time and memory limits
      do not apply to it; the scripts scale their inputs down)

Exits 1 with a message on the first failed check. Inputs are generated at test time
from a fixed seed, so the same input (and the same positions) every run."""
import os, random, re, subprocess, sys, time

def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

# ---- generators -------------------------------------------------------------------

HAN = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
       "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
       "物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
       "相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建")

def prose(rng, n):
    """n characters of Chinese with punctuation and now and then a Latin phrase."""
    out = []
    for i in range(n):
        if i % 23 == 22:
            out.append(rng.choice("，。、；"))
        elif i % 97 == 50:
            out.append(" Latin words 2025 ")
        else:
            out.append(rng.choice(HAN))
    return "".join(out)

def gen_longpara(w, rng, n):          # one paragraph of n (300,000) characters
    w("# 长段落\n\n" + prose(rng, n) + "\n")

def gen_quotes(w, rng, n):            # quotes nested n (400) deep, text at every level
    w("# 嵌套引用\n\n")
    for d in range(1, n + 1):
        w("> " * d + prose(rng, 20) + "\n" + "> " * d + "\n")

def gen_lists(w, rng, n):             # bullet lists nested n deep, then ordered ones
    w("# 嵌套列表\n\n")
    for d in range(n):
        w("  " * d + "- " + prose(rng, 10) + "\n")
    w("\n段落。\n\n")
    for d in range(n):
        w("   " * d + "1. " + prose(rng, 10) + "\n")

def gen_headings(w, rng, n):          # n (5,000) headings of four levels, contents on
    w("---\ntitle: 五千个标题\ntoc: true\n---\n\n")
    for i in range(n):
        w("#" * (1 + i % 4) + " 标题" + str(i) + prose(rng, 8) + "\n\n" + prose(rng, 30) + "\n\n")

def gen_table(w, rng, n):             # a table of n (10,000) rows
    w("# 大表\n\n表：一万行\n\n| 序号 | 名称 | 数值 |\n|---|:---|---:|\n")
    for i in range(n):
        w("| %d | %s | %d.%02d |\n" % (i, prose(rng, 6), i * 7, i % 100))

def gen_big(w, rng, n):               # a report of n MB: sections of 150-character paragraphs
    target, size, i = n * 1000 * 1000, 0, 0
    w("---\ntitle: 大文档\n---\n\n")
    while size < target:
        s = "## 第%d节\n\n" % i if i % 50 == 0 else prose(rng, 150) + "\n\n"
        w(s)
        size += len(s.encode())
        i += 1

def gen_emphasis(w, rng, n):          # n nested emphasis markers around one word
    w("# 强调\n\n" + "*" * n + "深处" + "*" * n + "\n")

def gen_markup(w, rng, n):            # n emphasised words on one line
    w("# 标记\n\n" + "*强调* " * n + "\n")

def gen_paras(w, rng, n):             # n one-character paragraphs
    w("字\n\n" * n)

def gen_chars(w, rng, n):             # n characters of text in 1000-character paragraphs
    w("# 字数\n\n")
    for i in range(n // 1000):
        w("a" * 999 + ".\n\n")

def gen_pages(w, rng, n):             # n pages: a line and a page break each
    w("字\n\n\\newpage\n\n" * n)

def gen_rows(w, rng, n):              # a one-column table of n rows
    w("| 列 |\n|---|\n" + "| 格 |\n" * n)

def gen_columns(w, rng, n):           # a table of n columns
    w("| " + " | ".join("c%d" % i for i in range(n)) + " |\n")
    w("|" + "---|" * n + "\n")
    w("| " + " | ".join(str(i) for i in range(n)) + " |\n")

def gen_ragged(w, rng, n):            # a table with n rows one cell short
    w("| a | b |\n|---|---|\n" + "| 1 |\n" * n)

def gen_aliases(w, rng, n):           # a front matter whose aliases name 8^n keys
    w("---\ntitle: 别名\n")
    w("a0: &a0 {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8}\n")
    for i in range(1, n):
        w("a%d: &a%d {%s}\n" % (i, i, ", ".join("k%d: *a%d" % (j, i - 1) for j in range(8))))
    w("---\n\n正文。\n")

def gen_keys(w, rng, n):              # a front matter of n keys
    w("---\ntitle: 多\n")
    for i in range(n):
        w("k%d: v\n" % i)
    w("---\n\n正文。\n")

GENERATORS = {k[4:]: v for k, v in globals().items() if k.startswith("gen_")}

def generate(kind, out, n):
    if kind not in GENERATORS:
        fail("no generator '%s' (have: %s)" % (kind, ", ".join(sorted(GENERATORS))))
    rng = random.Random(9)
    with open(out, "w", encoding="utf-8") as f:
        GENERATORS[kind](f.write, rng, n)

# ---- run --------------------------------------------------------------------------

def snapshot(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None

def temp_files(path):
    folder = os.path.dirname(path) or "."
    prefix = "." + os.path.basename(path) + "."
    try:
        return [n for n in os.listdir(folder) if n.startswith(prefix)]
    except (FileNotFoundError, NotADirectoryError):
        return []

def run(argv):
    opts = {"err": [], "no_err": [], "keep": [], "pdf": []}
    i = 0
    while i < len(argv) and argv[i] != "--":
        k = argv[i]
        if k in ("--exit", "--seconds", "--mb", "--label"):
            opts[k[2:]] = argv[i + 1]
        elif k in ("--err", "--no-err", "--keep", "--pdf"):
            opts[k[2:].replace("-", "_")].append(argv[i + 1])
        else:
            fail("unknown option " + k)
        i += 2
    cmd = argv[i + 1:]
    if not cmd:
        fail("no command after --")
    before = {p: snapshot(p) for p in opts["keep"]}
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    cpu = usage.ru_utime + usage.ru_stime
    seconds = min(wall, cpu)
    rc = os.waitstatus_to_exitcode(status)
    mb = usage.ru_maxrss / 1024.0
    text = err.decode("utf-8", "replace")
    lines = text.splitlines()
    what = opts.get("label") or " ".join(os.path.basename(c) for c in cmd[1:])
    print("%-34s exit %d  %6.2f s (cpu %6.2f s)  %7.1f MB" % (what, rc, wall, cpu, mb))
    shown = "\n".join(lines[:12])
    if rc < 0:
        fail("%s: killed by signal %d\n%s" % (what, -rc, shown))
    if "exit" in opts and rc != int(opts["exit"]):
        fail("%s: exit status %d, expected %s\n%s" % (what, rc, opts["exit"], shown))
    for rx in opts["err"]:
        if not any(re.fullmatch(rx, l) for l in lines):
            fail("%s: no stderr line matches %r; stderr:\n%s" % (what, rx, shown))
    for rx in opts["no_err"]:
        bad = [l for l in lines if re.fullmatch(rx, l)]
        if bad:
            fail("%s: stderr line matches %r: %s" % (what, rx, bad[0]))
    for rx in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
        if rx in text:
            fail("%s: sanitizer report\n%s" % (what, shown))
    for p, data in before.items():
        if snapshot(p) != data:
            fail("%s: %s was changed" % (what, p))
        left = temp_files(p)
        if left:
            fail("%s: temporary files left next to %s: %s" % (what, p, left))
    for p in opts["pdf"]:
        q = subprocess.run(["qpdf", "--check", p], capture_output=True)
        if q.returncode not in (0, 3):  # 3: warnings only
            fail("%s: qpdf --check %s failed:\n%s" % (what, p, q.stdout.decode()[-400:]))
    if "seconds" in opts and seconds >= float(opts["seconds"]):
        fail("%s: took %.2f s, the budget is %s s" % (what, seconds, opts["seconds"]))
    if "mb" in opts and mb >= float(opts["mb"]):
        fail("%s: used %.0f MB, the budget is %s MB" % (what, mb, opts["mb"]))

def main():
    if len(sys.argv) < 2:
        fail(__doc__)
    cmd = sys.argv[1]
    if cmd == "run":
        run(sys.argv[2:])
    elif cmd == "gen":
        generate(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    elif cmd == "sanitized":
        with open(sys.argv[2], "rb") as f:
            sys.exit(0 if b"__asan_init" in f.read() else 1)
    else:
        fail("unknown command " + cmd)

if __name__ == "__main__":
    main()
