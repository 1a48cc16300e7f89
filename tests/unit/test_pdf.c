/* test_pdf.c - tests of the PDF stage on small hand-built display lists: fonts are
 * shaped here with HarfBuzz, rendered, and the PDFs checked with pdffonts,
 * pdftotext, qpdf, mutool and pdftoppm. Tests skip when a font or tool is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pdf/pdf.h"
#include "pdf/pdf_internal.h"
#include "text/text_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define NOTO "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define LXGW "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
#define WQY "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
/* a name-keyed (not CID-keyed) CFF font, from fonts-urw-base35 when installed */
#define NIMBUS "/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf"

/* Positions must come back from mutool within this many points. */
#define POS_TOLERANCE 0.05

enum { F_NOTO, F_LXGW, F_WQY, F_UMING, F_DEJAVU, F_NIMBUS, N_FONTS };
static pb_font *fonts[N_FONTS];
static char tmpdir[64];

/* A paragraph of ordinary report prose, 300 characters. */
static const char *para300 =
    "本报告概述了本年度项目的进展情况、主要成果以及存在的问题。在过去的一年里，团队围绕核心目标"
    "开展了大量工作，完成了系统架构的重新设计，并在性能、稳定性和可维护性方面取得了显著提升。与"
    "此同时，我们也注意到部分模块的测试覆盖率仍然不足，文档更新不够及时，跨部门协作的效率有待提"
    "高。针对这些问题，报告最后提出了下一阶段的改进计划，包括加强代码审查、完善自动化测试、建立"
    "定期的技术分享机制等。希望通过这些措施，进一步提高研发质量，为明年的产品发布打下坚实的基础"
    "。各位同事在工作中表现出的专业精神和协作态度值得肯定，在此一并表示感谢。下一阶段我们将继续"
    "关注用户反馈，优化交互设计，并探索技术方向，以保持其竞争力。";

/* ---- helpers ---- */

static int cmp_u32_test(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int face_index(const char *path, const char *family)
{
    /* the SC face of the Noto .ttc, found the way `fc-query` lists it */
    for (int i = 0; i < 16; i++) {
        pb_diags d;
        pb_diags_init(&d);
        pb_font *f = pb_font_load(path, i, &d, NULL, 0, 0);
        pb_diags_free(&d);
        if (!f)
            return -1;
        bool match = strcmp(pb_font_family(f), family) == 0;
        pb_font_free(f);
        if (match)
            return i;
    }
    return -1;
}

static pb_font *load(const char *path, int index)
{
    if (access(path, R_OK) != 0 || index < 0)
        return NULL;
    pb_diags d;
    pb_diags_init(&d);
    pb_font *f = pb_font_load(path, index, &d, NULL, 0, 0);
    pb_diags_free(&d);
    return f;
}

static int setup_all(void **state)
{
    fonts[F_NOTO] = load(NOTO, face_index(NOTO, "Noto Serif CJK SC"));
    fonts[F_LXGW] = load(LXGW, 0);
    fonts[F_WQY] = load(WQY, 0);
    fonts[F_UMING] = load(UMING, 0);
    fonts[F_DEJAVU] = load(DEJAVU, 0);
    fonts[F_NIMBUS] = load(NIMBUS, 0);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pb_test_pdf.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    return 0;
}

static int teardown_all(void **state)
{
    for (int i = 0; i < N_FONTS; i++)
        pb_font_free(fonts[i]);
    if (getenv("PB_TEST_KEEP")) { /* to look at the PDFs */
        print_message("kept %s\n", tmpdir);
        return 0;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        return -1;
    return 0;
}

static pb_font *need_font(int which)
{
    if (!fonts[which])
        skip();
    return fonts[which];
}

static bool have_tool(const char *name)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static void need_tool(const char *name)
{
    if (!have_tool(name))
        skip();
}

/* Runs a shell command and returns its standard output (caller frees). */
static char *run(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    pb_buf b;
    pb_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        pb_buf_add(&b, chunk, n);
    pclose(p);
    if (!b.data)
        pb_buf_add(&b, "", 0);
    return pb_buf_detach(&b);
}

static char *tmp_path(const char *name)
{
    char *p = pb_xmalloc(strlen(tmpdir) + strlen(name) + 2);
    sprintf(p, "%s/%s", tmpdir, name);
    return p;
}

/* Shapes text with HarfBuzz and appends it as a run; extra adds space after every
 * glyph (as justification would), so positions are not the fonts' own advances. */
static pb_run *add_text(pb_pages *ps, pb_page *pg, pb_font *f, float size, float x, float y,
                        const char *text, float extra)
{
    pb_item *it = pb_page_add(ps, pg, PB_ITEM_RUN);
    pb_run *r = &it->u.run;
    r->font = f;
    r->size = size;
    r->x = x;
    r->y = y;
    r->color = PB_BLACK;
    r->text = pb_arena_strdup(ps->arena, text);
    size_t len = strlen(text);
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, text, (int)len, 0, (int)len);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(pb_font_hb_font(f), buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    r->n = n;
    r->glyphs = pb_arena_alloc(ps->arena, n * sizeof *r->glyphs);
    double scale = size / pb_font_upem(f), pen = 0;
    for (unsigned i = 0; i < n; i++) {
        pb_glyph *g = &r->glyphs[i];
        g->gid = info[i].codepoint;
        g->x = (float)(pen + pos[i].x_offset * scale);
        g->y_off = (float)(pos[i].y_offset * scale);
        pen += pos[i].x_advance * scale + extra;
        if (i == 0 || info[i].cluster != info[i - 1].cluster) {
            unsigned j = i + 1;
            while (j < n && info[j].cluster == info[i].cluster)
                j++;
            uint32_t end = j < n ? info[j].cluster : (uint32_t)len;
            g->text_off = info[i].cluster;
            g->text_len = end - info[i].cluster;
        }
    }
    hb_buffer_destroy(buf);
    return r;
}

static pb_pages *new_a4(pb_page **pg)
{
    pb_pages *ps = pb_pages_new();
    *pg = pb_pages_add(ps, 595.276f, 841.89f);
    return ps;
}

static int write_pdf(const pb_pages *ps, const char *path, bool compress, pb_diags *d)
{
    pb_pdf_options opt = pb_pdf_options_default();
    opt.creator = "paiban 0.1";
    opt.compress = compress;
    return pb_pdf_write(ps, &opt, path, d);
}

static void assert_no_errors(const pb_diags *d)
{
    if (d->n_errors)
        pb_diags_print(d, stderr);
    assert_int_equal(d->n_errors, 0);
}

static size_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

/* ---- a tiny PNG writer (PNG spec §5, §11) for image tests ---- */

static void png_chunk(FILE *f, const char *type, const unsigned char *data, uint32_t len)
{
    unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                           (unsigned char)(len >> 8), (unsigned char)len};
    fwrite(be, 1, 4, f);
    fwrite(type, 1, 4, f);
    if (len)
        fwrite(data, 1, len, f);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, len);
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    fwrite(c, 1, 4, f);
}

/* The colour a test image should show at (x, y): RGBA, 8 bits. */
static void truth(unsigned type, unsigned w, unsigned h, unsigned x, unsigned y,
                  unsigned char rgba[4])
{
    rgba[0] = (unsigned char)(x * 255 / (w - 1));
    rgba[1] = (unsigned char)(y * 255 / (h - 1));
    rgba[2] = 128;
    rgba[3] = x < w / 2 ? 255 : 96;
    if (type == 0 || type == 4) /* gray: the red ramp */
        rgba[1] = rgba[2] = rgba[0];
    if (type == 0 || type == 2)
        rgba[3] = 255;
    if (type == 3) { /* palette: 16 colours by column, the last 8 translucent */
        unsigned i = x % 16;
        rgba[0] = (unsigned char)(i * 17);
        rgba[1] = (unsigned char)(255 - i * 17);
        rgba[2] = 60;
        rgba[3] = i < 8 ? 255 : 96;
    }
}

/* Packs one pixel's samples at the file's bit depth into row (unfiltered). */
static void pack(unsigned type, unsigned depth, unsigned char *row, unsigned x, unsigned col,
                 const unsigned char rgba[4])
{
    static const unsigned nch[] = {1, 0, 3, 1, 2, 0, 4};
    unsigned n = nch[type];
    unsigned v[4] = {rgba[0], rgba[1], rgba[2], rgba[3]};
    if (type == 0 || type == 4) {
        v[1] = rgba[3];
        if (depth < 8)
            v[0] = rgba[0] >> (8 - depth);
    }
    if (type == 3)
        v[0] = col % 16; /* the palette index follows the image column */
    for (unsigned c = 0; c < n; c++) {
        size_t i = (size_t)x * n + c;
        if (depth == 16) {
            row[2 * i] = (unsigned char)v[c];
            row[2 * i + 1] = (unsigned char)(v[c] * 7); /* low byte: noise to drop */
        } else if (depth == 8) {
            row[i] = (unsigned char)v[c];
        } else {
            size_t bit = i * depth;
            row[bit / 8] |= (unsigned char)(v[c] << (8 - depth - bit % 8));
        }
    }
}

static unsigned char predictor(unsigned f, int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    switch (f) {
    case 1:
        return (unsigned char)a;
    case 2:
        return (unsigned char)b;
    case 3:
        return (unsigned char)((a + b) / 2);
    case 4:
        return (unsigned char)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    default:
        return 0;
    }
}

/* Writes a PNG of the truth() pattern in any colour type, depth and interlacing,
 * cycling through all five row filters so the decoder meets each. */
static void write_png(const char *path, unsigned w, unsigned h, unsigned type, unsigned depth,
                      bool interlaced)
{
    static const unsigned nch[] = {1, 0, 3, 1, 2, 0, 4};
    static const unsigned a7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                      {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    unsigned char ihdr[13] = {0,
                              0,
                              0,
                              (unsigned char)w,
                              0,
                              0,
                              0,
                              (unsigned char)h,
                              (unsigned char)depth,
                              (unsigned char)type,
                              0,
                              0,
                              (unsigned char)interlaced};
    png_chunk(f, "IHDR", ihdr, 13);
    if (type == 3) {
        unsigned char plte[48], trns[16];
        for (unsigned i = 0; i < 16; i++) {
            unsigned char rgba[4];
            truth(3, w, h, i, 0, rgba);
            memcpy(plte + 3 * i, rgba, 3);
            trns[i] = rgba[3];
        }
        png_chunk(f, "PLTE", plte, 48);
        png_chunk(f, "tRNS", trns, 16);
    }
    size_t bpp = (nch[type] * depth + 7) / 8;
    pb_buf raw;
    pb_buf_init(&raw);
    for (int p = 0; p < (interlaced ? 7 : 1); p++) {
        unsigned x0 = interlaced ? a7[p][0] : 0, y0 = interlaced ? a7[p][1] : 0;
        unsigned dx = interlaced ? a7[p][2] : 1, dy = interlaced ? a7[p][3] : 1;
        unsigned pw = w > x0 ? (w - x0 + dx - 1) / dx : 0, ph = h > y0 ? (h - y0 + dy - 1) / dy : 0;
        if (!pw || !ph)
            continue;
        size_t rb = ((size_t)pw * nch[type] * depth + 7) / 8;
        unsigned char *prev = calloc(1, rb), *cur = calloc(1, rb), *out = malloc(rb + 1);
        for (unsigned y = 0; y < ph; y++) {
            memset(cur, 0, rb);
            for (unsigned x = 0; x < pw; x++) {
                unsigned char rgba[4];
                truth(type, w, h, x0 + x * dx, y0 + y * dy, rgba);
                pack(type, depth, cur, x, x0 + x * dx, rgba);
            }
            unsigned filt = (y + (unsigned)p) % 5;
            out[0] = (unsigned char)filt;
            for (size_t i = 0; i < rb; i++) {
                int a = i >= bpp ? cur[i - bpp] : 0, b = y ? prev[i] : 0;
                int c = y && i >= bpp ? prev[i - bpp] : 0;
                out[i + 1] = (unsigned char)(cur[i] - predictor(filt, a, b, c));
            }
            pb_buf_add(&raw, out, rb + 1);
            memcpy(prev, cur, rb);
        }
        free(prev);
        free(cur);
        free(out);
    }
    uLongf zlen = compressBound(raw.len);
    unsigned char *z = malloc(zlen);
    assert_int_equal(compress(z, &zlen, (const Bytef *)raw.data, raw.len), Z_OK);
    png_chunk(f, "IDAT", z, (uint32_t)zlen);
    png_chunk(f, "IEND", NULL, 0);
    fclose(f);
    pb_buf_free(&raw);
    free(z);
}

/* ---- tests ---- */

/* Every font kind embeds as a subset CID font: Noto (CID-keyed CFF), LXGW, WQY and
 * UMing (TrueType, the last two from .ttc files), DejaVu (Latin TrueType) and Nimbus
 * Roman (name-keyed CFF). */
static void test_fonts_embedded(void **state)
{
    need_tool("pdffonts");
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    int n = 0;
    const char *texts[N_FONTS] = {"思源宋体：中文排版",   "霞鹜文楷：中文排版",
                                  "文泉驿微米黑：临",     "文鼎明体：中文排版",
                                  "DejaVu Serif: office", "Nimbus Roman: office AVA"};
    for (int i = 0; i < N_FONTS; i++)
        if (fonts[i])
            add_text(ps, pg, fonts[i], 12, 72, 100 + 30 * (float)n++, texts[i], 0);
    if (n == 0)
        skip();
    char *path = tmp_path("fonts.pdf");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_no_errors(&d);

    char *out = run("pdffonts '%s'", path);
    int lines = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "name", 4) == 0 || strncmp(line, "----", 4) == 0)
            continue;
        lines++;
        /* name is TAG+PostScriptName with a six-letter tag */
        assert_true(strlen(line) > 7 && line[6] == '+');
        for (int k = 0; k < 6; k++)
            assert_true(line[k] >= 'A' && line[k] <= 'Z');
        assert_true(strstr(line, "CID Type 0C") || strstr(line, "CID TrueType"));
        assert_non_null(strstr(line, "Identity-H"));
        /* emb sub uni: yes yes yes */
        assert_non_null(strstr(line, "yes yes yes"));
    }
    assert_int_equal(lines, n);
    free(out);
    if (fonts[F_NOTO]) {
        out = run("pdffonts '%s' | grep NotoSerifCJKsc", path);
        assert_non_null(strstr(out, "CID Type 0C"));
        free(out);
    }
    if (fonts[F_NIMBUS]) {
        out = run("pdffonts '%s' | grep NimbusRoman", path);
        assert_non_null(strstr(out, "CID Type 0C"));
        free(out);
    }
    if (have_tool("pdftotext")) {
        out = run("pdftotext -enc UTF-8 '%s' - 2>&1", path);
        for (int i = 0; i < N_FONTS; i++)
            if (fonts[i] && !strstr(out, texts[i]))
                fail_msg("'%s' not extracted: %s", texts[i], out);
        free(out);
    }
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* pdftotext gives back exactly the text, including a character above U+FFFF
 * (surrogate pairs in ToUnicode) and a Latin ligature cluster. */
static void test_text_extraction(void **state)
{
    need_tool("pdftotext");
    pb_font *noto = need_font(F_NOTO);
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    const char *lines[] = {
        "中文排版：标点挤压，“引号”与（括号）。",
        "扩展B区字符：𠮷野家",
        "Latin 123 and office.",
    };
    /* the ToUnicode must use a surrogate pair for a real glyph, not .notdef */
    assert_true(pb_font_glyph(noto, 0x20BB7) != 0);
    add_text(ps, pg, noto, 12, 72, 100, lines[0], 0);
    add_text(ps, pg, noto, 12, 72, 130, lines[1], 0);
    add_text(ps, pg, fonts[F_DEJAVU] ? fonts[F_DEJAVU] : noto, 12, 72, 160, lines[2], 0);
    char *path = tmp_path("text.pdf");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_no_errors(&d);
    char *out = run("pdftotext -enc UTF-8 '%s' - 2>&1", path);
    char expect[512];
    snprintf(expect, sizeof expect, "%s\n%s\n%s\n\n\f", lines[0], lines[1], lines[2]);
    assert_string_equal(out, expect);
    free(out);
    /* poppler must not complain about our CMaps or fonts */
    out = run("pdftotext '%s' /dev/null 2>&1", path);
    assert_string_equal(out, "");
    free(out);
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

typedef struct stext_char {
    double x, y;
    char c[8];
} stext_char;

/* Reads <char ... x=".." y=".." ... c=".."/> from `mutool draw -F stext`. */
static size_t read_stext(const char *xml, stext_char *out, size_t max)
{
    size_t n = 0;
    for (const char *p = strstr(xml, "<char "); p && n < max; p = strstr(p + 1, "<char ")) {
        const char *x = strstr(p, " x=\""), *y = strstr(p, " y=\""), *c = strstr(p, " c=\"");
        if (!x || !y || !c)
            break;
        out[n].x = strtod(x + 4, NULL);
        out[n].y = strtod(y + 4, NULL);
        /* c="X", with XML escapes: &#xHHHH; for non-ASCII, &lt; &amp; &quot; ... */
        const char *v = c + 4;
        uint32_t cp = (unsigned char)*v;
        static const struct {
            const char *ent;
            uint32_t cp;
        } ents[] = {
            {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
        if (strncmp(v, "&#x", 3) == 0) {
            cp = (uint32_t)strtoul(v + 3, NULL, 16);
        } else if (*v == '&') {
            for (size_t k = 0; k < PB_COUNT(ents); k++)
                if (strncmp(v, ents[k].ent, strlen(ents[k].ent)) == 0)
                    cp = ents[k].cp;
        } else {
            size_t pos = 0;
            cp = pb_utf8_next(v, strlen(v), &pos);
        }
        memset(out[n].c, 0, sizeof out[n].c);
        pb_utf8_encode(cp, out[n].c);
        n++;
    }
    return n;
}

/* Checks that every cluster's first glyph is drawn at its display-list position. */
static void check_positions(const char *path, const pb_page *pg)
{
    char *xml = run("mutool draw -F stext -o - '%s' 2>/dev/null", path);
    static stext_char chars[4096];
    size_t n = read_stext(xml, chars, PB_COUNT(chars));
    size_t checked = 0;
    for (size_t i = 0; i < pg->n_items; i++) {
        const pb_run *r = &pg->items[i].u.run;
        if (pg->items[i].kind != PB_ITEM_RUN)
            continue;
        for (uint32_t k = 0; k < r->n; k++) {
            const pb_glyph *g = &r->glyphs[k];
            if (!g->text_len || r->text[g->text_off] == ' ')
                continue;
            char want[8] = {0};
            size_t pos = g->text_off;
            uint32_t cp = pb_utf8_next(r->text, strlen(r->text), &pos);
            pb_utf8_encode(cp, want);
            double x = (double)r->x + g->x, y = (double)r->y - g->y_off;
            bool found = false;
            double best = 1e9;
            for (size_t j = 0; j < n && !found; j++) {
                if (strcmp(chars[j].c, want) != 0)
                    continue;
                double dist = fmax(fabs(chars[j].x - x), fabs(chars[j].y - y));
                best = fmin(best, dist);
                found = dist <= POS_TOLERANCE;
            }
            if (!found)
                fail_msg("glyph '%s' of \"%s\" not at (%.3f, %.3f): nearest %.3f pt off", want,
                         r->text, x, y, best);
            checked++;
        }
    }
    assert_true(checked > 20);
    free(xml);
}

/* Glyphs land where the typesetter put them, within 0.05 pt, with justification
 * spacing, a raised glyph, odd sizes, several fonts and synthetic styles. */
static void test_glyph_positions(void **state)
{
    need_tool("mutool");
    pb_font *noto = need_font(F_NOTO);
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    add_text(ps, pg, noto, 10.5f, 72, 100, "中文段落两端对齐时每个字之间加了间距。", 0.731f);
    pb_run *r = add_text(ps, pg, noto, 13.3f, 80.25f, 140.5f, "上标测试：文字2上标", 0.1f);
    r->glyphs[7].y_off = 4.2f; /* the "2" raised like a superscript */
    for (uint32_t k = 6; k < r->n; k++)
        r->glyphs[k].x += 0.013f * (float)k; /* irregular spacing */
    r = add_text(ps, pg, noto, 12, 72, 180, "合成粗体与合成斜体。", 0.3f);
    r->synth_bold = true;
    r = add_text(ps, pg, noto, 12, 72, 210, "合成斜体不移动字的原点。", 0.2f);
    r->synth_italic = true;
    for (int i = F_LXGW; i < N_FONTS; i++)
        if (fonts[i])
            add_text(ps, pg, fonts[i], 11, 72, 240 + 25 * (float)i,
                     i >= F_DEJAVU ? "Kerning: AVATAR Wave, office" : "楷体行距与字距测试。",
                     0.37f);
    char *path = tmp_path("positions.pdf");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_no_errors(&d);
    check_positions(path, pg);
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* A document with everything the display list can hold: two pages, rules, lines
 * (solid and dashed), an image, links (URI with non-ASCII, internal), destinations,
 * nested Chinese bookmarks, page labels, trim and bleed boxes, RGB and CMYK colours,
 * document info. */
static pb_pages *full_document(const char *png)
{
    pb_pages *ps = pb_pages_new();
    pb_page *p1 = pb_pages_add(ps, 595.276f, 841.89f);
    pb_page *p2 = pb_pages_add(ps, 595.276f, 841.89f);
    p1->trim = (pb_box){9, 9, 577.276f, 823.89f};
    p1->bleed = (pb_box){6, 6, 583.276f, 829.89f};
    pb_font *f = fonts[F_NOTO] ? fonts[F_NOTO] : fonts[F_LXGW];
    add_text(ps, p1, f, 18, 72, 100, "第一章 总览", 0);
    pb_run *r = add_text(ps, p1, f, 10.5f, 72, 130, "见第二章的图表。", 0);
    r->color = (pb_color){PB_RGB, {0.1f, 0.2f, 0.6f, 0}};
    pb_item *it = pb_page_add(ps, p1, PB_ITEM_RECT);
    it->u.rect.x = 72;
    it->u.rect.y = 140;
    it->u.rect.w = 451;
    it->u.rect.h = 0.5f;
    it->u.rect.color = PB_BLACK;
    it = pb_page_add(ps, p1, PB_ITEM_LINE);
    it->u.line.x1 = 72;
    it->u.line.y1 = 150;
    it->u.line.x2 = 523;
    it->u.line.y2 = 150;
    it->u.line.width = 0.75f;
    it->u.line.color = (pb_color){PB_CMYK, {0, 0, 0, 0.5f}};
    it->u.line.dash = 3;
    it = pb_page_add(ps, p1, PB_ITEM_LINK);
    it->u.link.x = 72;
    it->u.link.y = 120;
    it->u.link.w = 84;
    it->u.link.h = 14;
    it->u.link.dest = "sec-2";
    it = pb_page_add(ps, p1, PB_ITEM_LINK);
    it->u.link.x = 72;
    it->u.link.y = 160;
    it->u.link.w = 100;
    it->u.link.h = 14;
    it->u.link.uri = "https://example.org/报告?q=a b";
    it = pb_page_add(ps, p1, PB_ITEM_DEST);
    it->u.dest.name = "sec-1";
    it->u.dest.x = 72;
    it->u.dest.y = 82;

    add_text(ps, p2, f, 18, 72, 100, "第二章 图表", 0);
    it = pb_page_add(ps, p2, PB_ITEM_DEST);
    it->u.dest.name = "sec-2";
    it->u.dest.x = 72;
    it->u.dest.y = 82;
    if (png) {
        it = pb_page_add(ps, p2, PB_ITEM_IMAGE);
        it->u.image.path = pb_arena_strdup(ps->arena, png);
        it->u.image.x = 72;
        it->u.image.y = 120;
        it->u.image.w = 200;
        it->u.image.h = 100;
        /* the same file twice: loaded once */
        it = pb_page_add(ps, p2, PB_ITEM_IMAGE);
        it->u.image.path = pb_arena_strdup(ps->arena, png);
        it->u.image.x = 300;
        it->u.image.y = 120;
        it->u.image.w = 100;
        it->u.image.h = 50;
    }
    pb_outline o1 = {"第一章 总览", 1, 0, 82};
    pb_outline o11 = {"1.1 背景 𠮷", 2, 0, 200};
    pb_outline o2 = {"第二章 图表", 1, 1, 82};
    PB_PUSH(ps->outlines, ps->n_outlines, ps->cap_outlines, o1);
    PB_PUSH(ps->outlines, ps->n_outlines, ps->cap_outlines, o11);
    PB_PUSH(ps->outlines, ps->n_outlines, ps->cap_outlines, o2);
    pb_label_range l1 = {0, PB_LABEL_ROMAN_LOWER, 1, NULL};
    pb_label_range l2 = {1, PB_LABEL_DECIMAL, 1, "P-"};
    PB_PUSH(ps->labels, ps->n_labels, ps->cap_labels, l1);
    PB_PUSH(ps->labels, ps->n_labels, ps->cap_labels, l2);
    ps->title = "年度报告";
    ps->author = "张三";
    ps->subject = "Annual report";
    ps->keywords = "报告, PDF";
    return ps;
}

static void test_full_document(void **state)
{
    need_tool("qpdf");
    need_tool("mutool");
    if (!fonts[F_NOTO] && !fonts[F_LXGW])
        skip();
    char *png = tmp_path("gradient.png");
    write_png(png, 64, 32, 2, 8, false);
    pb_pages *ps = full_document(png);
    char *path = tmp_path("full.pdf");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_no_errors(&d);
    assert_int_equal(d.n_warnings, 0);

    char *out = run("qpdf --check '%s' 2>&1; echo rc=$?", path);
    if (!strstr(out, "No syntax or stream encoding errors") || !strstr(out, "rc=0"))
        fail_msg("qpdf --check: %s", out);
    free(out);

    if (have_tool("pdfinfo")) {
        out = run("pdfinfo '%s' 2>&1", path);
        assert_non_null(strstr(out, "Title:           年度报告\n"));
        assert_non_null(strstr(out, "Author:          张三\n"));
        assert_non_null(strstr(out, "Keywords:        报告, PDF\n"));
        assert_non_null(strstr(out, "Creator:         paiban 0.1\n"));
        assert_non_null(strstr(out, "Producer:        paiban\n"));
        assert_non_null(strstr(out, "Pages:           2\n"));
        free(out);
    }

    out = run("mutool show '%s' outline 2>/dev/null", path);
    assert_non_null(strstr(out, "第一章 总览"));
    assert_non_null(strstr(out, "1.1 背景 𠮷"));
    assert_non_null(strstr(out, "第二章 图表"));
    free(out);

    /* structure, read from an uncompressed render */
    pb_pdf_options opt = pb_pdf_options_default();
    opt.compress = false;
    opt.date = 1700000000;
    char *pdf;
    size_t len;
    assert_true(pb_pdf_render(ps, &opt, &pdf, &len, &d));
    char *s = pb_xstrndup(pdf, len); /* binary font data may hold NULs: search pieces */
    for (size_t i = 0; i < len; i++)
        if (!s[i])
            s[i] = ' ';
    assert_non_null(strstr(s, "/TrimBox [ 9 9 586.276"));
    assert_non_null(strstr(s, "/BleedBox [ 6 6 589.276"));
    assert_non_null(
        strstr(s, "/URI (https:\\057\\057example.org\\057\\045E6\\0458A\\045A5\\045E5\\04591"
                  "\\0458A?q=a\\04520b)"));
    assert_non_null(strstr(s, "/Border [ 0 0 0 ]"));
    assert_non_null(strstr(s, "/XYZ 72 759.89"));
    assert_non_null(strstr(s, "/PageMode /UseOutlines"));
    assert_non_null(strstr(s, "/S /r"));
    assert_non_null(strstr(s, "/P (P-)"));
    assert_non_null(strstr(s, "/Producer (paiban)"));
    assert_non_null(strstr(s, "/Creator (paiban)"));
    assert_non_null(strstr(s, "/CreationDate (D:20231114221320Z00'00')"));
    assert_non_null(strstr(s, "/ModDate (D:20231114221320Z00'00')"));
    assert_non_null(strstr(s, "/Subject (Annual report)"));
    assert_null(strstr(s, "/ID"));
    assert_non_null(strstr(s, "0.1 0.2 0.6 rg"));
    assert_non_null(strstr(s, "0 0 0 0.5 K"));
    assert_non_null(strstr(s, "[3 3] 0 d"));
    /* one image XObject for two placements */
    size_t images = 0;
    for (const char *p = s; (p = strstr(p, "/Subtype /Image")); p++)
        images++;
    assert_int_equal(images, 1);
    free(s);
    free(pdf);

    free(path);
    free(png);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* Black is pure K; synthetic bold fills and strokes; synthetic italic shears. */
static void test_text_operators(void **state)
{
    pb_font *f = need_font(fonts[F_NOTO] ? F_NOTO : F_LXGW);
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    add_text(ps, pg, f, 12, 72, 100, "黑色正文", 0);
    pb_run *r = add_text(ps, pg, f, 15, 72, 130, "合成粗体", 0);
    r->synth_bold = true;
    r = add_text(ps, pg, f, 12, 72, 160, "合成斜体", 0);
    r->synth_italic = true;
    pb_pdf_options opt = pb_pdf_options_default();
    opt.compress = false;
    pb_diags d;
    pb_diags_init(&d);
    char *pdf;
    size_t len;
    assert_true(pb_pdf_render(ps, &opt, &pdf, &len, &d));
    char *s = pb_xstrndup(pdf, len);
    for (size_t i = 0; i < len; i++)
        if (!s[i])
            s[i] = ' ';
    assert_non_null(strstr(s, "0 0 0 1 k\n"));
    assert_non_null(strstr(s, "0 0 0 1 K\n0.5 w\n2 Tr\n")); /* 15 / 30 */
    assert_non_null(strstr(s, "0 Tr\nBT\n"));
    assert_non_null(strstr(s, "1 0 0.2126 1 72 681.89 Tm"));
    assert_null(strstr(s, "CreationDate"));
    free(s);
    free(pdf);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* Page labels: sorted, an entry for page 0 added when missing, prefixes in any
 * script, and a prefix-only style. */
static void test_page_labels(void **state)
{
    pb_pages *ps = pb_pages_new();
    for (int i = 0; i < 4; i++)
        pb_pages_add(ps, 300, 400);
    pb_label_range l[] = {
        {3, PB_LABEL_DECIMAL, 5, NULL},
        {1, PB_LABEL_ROMAN_UPPER, 0, NULL}, /* start 0 is raised to 1 */
        {2, PB_LABEL_NONE, 1, "附录"},
        {9, PB_LABEL_DECIMAL, 1, NULL}, /* beyond the last page: ignored */
    };
    for (size_t i = 0; i < PB_COUNT(l); i++)
        PB_PUSH(ps->labels, ps->n_labels, ps->cap_labels, l[i]);
    pb_pdf_options opt = pb_pdf_options_default();
    opt.compress = false;
    pb_diags d;
    pb_diags_init(&d);
    char *pdf;
    size_t len;
    assert_true(pb_pdf_render(ps, &opt, &pdf, &len, &d));
    assert_no_errors(&d);
    char *s = pb_xstrndup(pdf, len);
    const char *nums = strstr(s, "/Nums [ 0 <<\n/S /D\n/St 1\n>> 1 <<\n/S /R\n/St 1\n>> 2 <<\n"
                                 "/P <FEFF96445F55>\n>> 3 <<\n/S /D\n/St 5\n>> ]");
    if (!nums)
        fail_msg("page labels: %s", strstr(s, "/PageLabels"));
    free(s);
    free(pdf);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* A page with nothing on it is still valid (an empty content stream is not
 * compressed: zero bytes are not a zlib stream), and no reader warns. */
static void test_empty_page(void **state)
{
    need_tool("mutool");
    pb_font *f = need_font(fonts[F_NOTO] ? F_NOTO : F_LXGW);
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    add_text(ps, pg, f, 12, 72, 100, "第一页", 0);
    pb_pages_add(ps, 595.276f, 841.89f);
    char *path = tmp_path("empty.pdf");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    char *out =
        run("mutool draw -o /dev/null '%s' 2>&1 | grep -v -e 'ICC support' -e '^page '", path);
    assert_string_equal(out, "");
    free(out);
    out = run("qpdf --check '%s' >/dev/null 2>&1; echo $?", path);
    assert_string_equal(out, "0\n");
    free(out);
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* Past 32767 pages libharu's flat page tree would overflow; long documents get a
 * two-level tree. 1500 pages are enough to exercise it. */
static void test_many_pages(void **state)
{
    need_tool("qpdf");
    pb_font *f = need_font(fonts[F_NOTO] ? F_NOTO : F_LXGW);
    pb_pages *ps = pb_pages_new();
    for (int i = 0; i < 1500; i++) {
        pb_page *pg = pb_pages_add(ps, 200, 200);
        if (i == 1234)
            add_text(ps, pg, f, 12, 20, 50, "第1235页", 0);
    }
    pb_outline o = {"第1235页", 1, 1234, 40};
    PB_PUSH(ps->outlines, ps->n_outlines, ps->cap_outlines, o);
    char *path = tmp_path("many.pdf");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    char *out =
        run("qpdf --show-npages '%s'; qpdf --check '%s' >/dev/null 2>&1; echo $?", path, path);
    assert_string_equal(out, "1500\n0\n");
    free(out);
    if (have_tool("pdftotext")) {
        out = run("pdftotext -f 1235 -l 1235 '%s' - 2>&1", path);
        assert_string_equal(out, "第1235页\n\n\f");
        free(out);
    }
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* Same input, same bytes; and the subset tag depends only on the glyphs. */
static void test_deterministic(void **state)
{
    if (!fonts[F_NOTO] && !fonts[F_LXGW])
        skip();
    pb_pages *ps = full_document(NULL);
    pb_diags d;
    pb_diags_init(&d);
    pb_pdf_options opt = pb_pdf_options_default();
    opt.date = 1700000000;
    char *a, *b;
    size_t na, nb;
    assert_true(pb_pdf_render(ps, &opt, &a, &na, &d));
    assert_true(pb_pdf_render(ps, &opt, &b, &nb, &d));
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* Writing is atomic: failures leave the old file as it was and no temporary. */
static void test_atomic_write(void **state)
{
    pb_font *f = need_font(fonts[F_NOTO] ? F_NOTO : F_LXGW);
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    add_text(ps, pg, f, 12, 72, 100, "原子写入", 0);
    char *path = tmp_path("atomic.pdf");
    pb_diags d;
    pb_diags_init(&d);
    FILE *old = fopen(path, "w");
    fputs("old", old);
    fclose(old);

    /* a directory that does not exist */
    char *missing = tmp_path("no/such/dir/out.pdf");
    assert_int_equal(write_pdf(ps, missing, true, &d), PB_PDF_SYSTEM_ERROR);
    assert_non_null(pb_diags_find(&d, "no/such/dir/out.pdf"));
    assert_non_null(pb_diags_find(&d, "No such file or directory"));
    free(missing);

    /* a path nobody may create files in, not even root */
    pb_diags_clear(&d);
    assert_int_equal(write_pdf(ps, "/proc/paiban-test.pdf", true, &d), PB_PDF_SYSTEM_ERROR);
    assert_non_null(pb_diags_find(&d, "/proc/paiban-test.pdf"));

    /* a read-only directory (only refused when we are not root) */
    if (geteuid() != 0) {
        char *rodir = tmp_path("ro"), *ro = tmp_path("ro/x.pdf");
        assert_int_equal(mkdir(rodir, 0755), 0);
        FILE *o = fopen(ro, "w");
        fputs("old", o);
        fclose(o);
        chmod(rodir, 0555);
        assert_int_equal(write_pdf(ps, ro, true, &d), PB_PDF_SYSTEM_ERROR);
        assert_int_equal(file_size(ro), 3);
        chmod(rodir, 0755);
        free(rodir);
        free(ro);
    }

    /* the target is a directory: the rename fails after the temporary was written */
    char *dir = tmp_path("adir");
    assert_int_equal(mkdir(dir, 0755), 0);
    char *inner = tmp_path("adir/keep");
    FILE *k = fopen(inner, "w");
    fclose(k);
    pb_diags_clear(&d);
    assert_int_equal(write_pdf(ps, dir, true, &d), PB_PDF_SYSTEM_ERROR);
    assert_int_equal(access(inner, F_OK), 0);

    /* a render failure never touches the file */
    pb_page *bad = pb_pages_add(ps, 595, 842);
    pb_item *it = pb_page_add(ps, bad, PB_ITEM_IMAGE);
    it->u.image.path = "/nonexistent/picture.png";
    it->u.image.w = it->u.image.h = 10;
    pb_diags_clear(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_RENDER_FAILED);
    assert_non_null(pb_diags_find(&d, "cannot read image"));
    assert_int_equal(file_size(path), 3);

    /* no temporary left behind anywhere */
    char *left = run("ls -A '%s' | grep -c '^\\.' ; true", tmpdir);
    assert_int_equal(atoi(left), 0);
    free(left);

    /* and a good write replaces the old file */
    bad->n_items = 0;
    pb_diags_clear(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_true(file_size(path) > 1000);

    free(inner);
    free(dir);
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

static pb_pages *image_page(const char *path)
{
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    pb_font *f = fonts[F_NOTO] ? fonts[F_NOTO] : fonts[F_LXGW];
    if (f)
        add_text(ps, pg, f, 12, 72, 100, "图片", 0);
    pb_item *it = pb_page_add(ps, pg, PB_ITEM_IMAGE);
    it->u.image.path = pb_arena_strdup(ps->arena, path);
    it->u.image.x = it->u.image.y = 100;
    it->u.image.w = it->u.image.h = 50;
    return ps;
}

/* Missing, corrupt and foreign files are error diagnostics on the file, never a
 * crash (libharu's PNG loader would abort the process on a CRC error). */
static void test_image_errors(void **state)
{
    char *p = tmp_path("good.png");
    write_png(p, 16, 8, 2, 8, false);
    char *data;
    size_t len;
    assert_true(pb_read_file(p, &data, &len));
    free(p);
    struct {
        const char *name;
        size_t keep; /* bytes of the good PNG to write, 0 = custom content */
        int flip;    /* byte to corrupt, -1 none */
        const char *content;
        const char *expect;
    } cases[] = {
        {"missing.png", 0, -1, NULL, "cannot read image: No such file"},
        {"crc.png", len, 20, NULL, "CRC mismatch"},
        {"truncated.png", len / 2, -1, NULL, "truncated"},
        {"noidat.png", 33, -1, NULL, "truncated"},
        {"text.png", 0, -1, "this is not an image", "not a PNG or JPEG"},
        {"bad.jpg", 0, -1, "\xFF\xD8\xFF\xE0", "bad JPEG file"},
        {"noframe.jpg", 0, -1, "\xFF\xD8\xFF\xFE\x01\x05hello\xFF\xD9", "bad JPEG file"},
    };
    for (size_t i = 0; i < PB_COUNT(cases); i++) {
        char *ip = tmp_path(cases[i].name);
        if (cases[i].keep || cases[i].content) {
            FILE *fp = fopen(ip, "wb");
            if (cases[i].keep) {
                char *copy = pb_xstrndup(data, len);
                if (cases[i].flip >= 0)
                    copy[cases[i].flip] ^= 0x55;
                fwrite(copy, 1, cases[i].keep, fp);
                free(copy);
            } else {
                fputs(cases[i].content, fp);
            }
            fclose(fp);
        }
        pb_pages *ps = image_page(ip);
        pb_diags d;
        pb_diags_init(&d);
        char *pdf;
        size_t plen;
        if (pb_pdf_render(ps, NULL, &pdf, &plen, &d))
            fail_msg("%s: rendered without an error", cases[i].name);
        const pb_diag *dg = pb_diags_find(&d, cases[i].expect);
        if (!dg) {
            pb_diags_print(&d, stderr);
            fail_msg("%s: no diagnostic '%s'", cases[i].name, cases[i].expect);
        }
        assert_string_equal(dg->file, ip);
        assert_int_equal(dg->severity, PB_ERROR);
        free(ip);
        pb_diags_free(&d);
        pb_pages_free(ps);
    }
    free(data);
}

/* Reads a binary PPM/PGM written by pdftoppm. */
static unsigned char *read_pnm(const char *path, int *w, int *h, int *channels)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char magic[3] = {0};
    int maxval;
    assert_int_equal(fscanf(f, "%2s %d %d %d", magic, w, h, &maxval), 4);
    fgetc(f);
    *channels = strcmp(magic, "P6") == 0 ? 3 : 1;
    size_t n = (size_t)*w * *h * *channels;
    unsigned char *px = malloc(n);
    assert_int_equal(fread(px, 1, n, f), n);
    fclose(f);
    return px;
}

/* Every PNG colour type, bit depth (1 to 16) and interlacing decodes to the right
 * colours, transparency included (composited on white by poppler). */
static void test_png_decoding(void **state)
{
    need_tool("pdftoppm");
    static const struct {
        unsigned type, depth;
        bool interlaced;
    } v[] = {
        {2, 8, false}, {2, 16, false}, {2, 8, true}, {0, 8, false}, {0, 1, false}, {0, 4, true},
        {0, 16, true}, {3, 4, false},  {3, 8, true}, {4, 8, false}, {6, 8, false}, {6, 16, true},
    };
    const unsigned W = 16, H = 8, S = 4; /* S points per image pixel */
    pb_pages *ps = pb_pages_new();
    pb_page *pg = pb_pages_add(ps, 100, 20 + 40 * (float)PB_COUNT(v));
    for (size_t i = 0; i < PB_COUNT(v); i++) {
        char name[64];
        snprintf(name, sizeof name, "png-%u-%u-%d.png", v[i].type, v[i].depth, v[i].interlaced);
        char *p = tmp_path(name);
        write_png(p, W, H, v[i].type, v[i].depth, v[i].interlaced);
        pb_item *it = pb_page_add(ps, pg, PB_ITEM_IMAGE);
        it->u.image.path = pb_arena_strdup(ps->arena, p);
        it->u.image.x = 10;
        it->u.image.y = 10 + 40 * (float)i;
        it->u.image.w = (float)(W * S);
        it->u.image.h = (float)(H * S);
        free(p);
    }
    char *path = tmp_path("png.pdf"), *img = tmp_path("png");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_no_errors(&d);
    char *head = run("head -c 8 '%s'", path);
    assert_string_equal(head, "%PDF-1.4"); /* soft masks need 1.4 */
    free(head);
    free(run("pdftoppm -r 72 -singlefile '%s' '%s'", path, img));
    char *ppm = pb_arena_printf(ps->arena, "%s.ppm", img);
    int w, h, ch;
    unsigned char *px = read_pnm(ppm, &w, &h, &ch);
    assert_int_equal(ch, 3);
    for (size_t i = 0; i < PB_COUNT(v); i++) {
        for (unsigned y = 0; y < H; y++) {
            for (unsigned x = 0; x < W; x++) {
                unsigned char t[4];
                truth(v[i].type, W, H, x, y, t);
                if (v[i].type == 0 && v[i].depth < 8) {
                    unsigned max = (1u << v[i].depth) - 1;
                    t[0] = t[1] = t[2] = (unsigned char)((t[0] >> (8 - v[i].depth)) * 255 / max);
                }
                int px_x = (int)(10 + x * S + S / 2), px_y = (int)(10 + 40 * i + y * S + S / 2);
                const unsigned char *got = px + ((size_t)px_y * w + px_x) * 3;
                for (int k = 0; k < 3; k++) {
                    int want = (t[k] * t[3] + 255 * (255 - t[3])) / 255;
                    if (abs(got[k] - want) > 10)
                        fail_msg("PNG type %u depth %u%s: pixel (%u,%u) channel %d is %d, want %d",
                                 v[i].type, v[i].depth, v[i].interlaced ? " interlaced" : "", x, y,
                                 k, got[k], want);
                }
            }
        }
    }
    free(px);
    free(path);
    free(img);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* A JPEG (made by pdftoppm) embeds as it is, once for two placements. */
static void test_jpeg(void **state)
{
    need_tool("pdftoppm");
    pb_font *f = need_font(fonts[F_NOTO] ? F_NOTO : F_LXGW);
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    add_text(ps, pg, f, 40, 72, 100, "照片", 0);
    char *src = tmp_path("jpegsrc.pdf"), *jpg = tmp_path("photo");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, src, true, &d), PB_PDF_OK);
    free(run("pdftoppm -r 20 -jpeg -singlefile '%s' '%s'", src, jpg));
    for (int i = 0; i < 2; i++) {
        pb_item *it = pb_page_add(ps, pg, PB_ITEM_IMAGE);
        it->u.image.path = pb_arena_printf(ps->arena, "%s.jpg", jpg);
        it->u.image.x = 100 + 150 * (float)i;
        it->u.image.y = 200;
        it->u.image.w = it->u.image.h = 100;
    }
    pb_pdf_options opt = pb_pdf_options_default();
    opt.compress = false;
    char *pdf;
    size_t len;
    assert_true(pb_pdf_render(ps, &opt, &pdf, &len, &d));
    assert_no_errors(&d);
    char *s = pb_xstrndup(pdf, len);
    for (size_t i = 0; i < len; i++)
        if (!s[i])
            s[i] = ' ';
    const char *dct = strstr(s, "/DCTDecode");
    assert_non_null(dct);
    assert_null(strstr(dct + 1, "/DCTDecode"));
    free(s);
    free(pdf);
    free(src);
    free(jpg);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* WenQuanYi Micro Hei builds 临 (U+4E34) from components with glyph ids above 32767,
 * which libharu's own subsetter drops, and has glyphs above 32767 itself (Hangul
 * U+D28D is glyph 32768): both must draw, not be blank. */
static void test_wqy_composite(void **state)
{
    need_tool("pdftoppm");
    pb_font *f = need_font(F_WQY);
    assert_true(pb_font_glyph(f, 0x4E34) > 0);
    assert_true(pb_font_glyph(f, 0xD28D) > 32767);
    pb_pages *ps = pb_pages_new();
    pb_page *pg = pb_pages_add(ps, 244, 144);
    add_text(ps, pg, f, 100, 22, 110, "临", 0);
    add_text(ps, pg, f, 100, 122, 110, "\xED\x8A\x8D", 0); /* U+D28D */
    char *path = tmp_path("wqy.pdf"), *img = tmp_path("wqy");
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    free(run("pdftoppm -r 72 -gray -singlefile '%s' '%s'", path, img));
    char *pgm = pb_arena_printf(ps->arena, "%s.pgm", img);
    int w, h, ch;
    unsigned char *px = read_pnm(pgm, &w, &h, &ch);
    assert_int_equal(ch, 1);
    size_t dark[2] = {0, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            dark[x >= w / 2] += px[(size_t)y * w + x] < 128;
    /* a glyph at 100 pt covers well over 5% of its em square */
    assert_true(dark[0] > (size_t)(100 * 100) / 20);
    assert_true(dark[1] > (size_t)(100 * 100) / 20);
    free(px);
    free(path);
    free(img);
    pb_diags_free(&d);
    pb_pages_free(ps);
}

/* File size of one page holding the 300-character paragraph, per font. */
static size_t paragraph_size(pb_font *f, const char *name)
{
    pb_page *pg;
    pb_pages *ps = new_a4(&pg);
    /* 20 lines of 15 characters */
    size_t len = strlen(para300), pos = 0;
    for (int line = 0; pos < len; line++) {
        size_t start = pos;
        for (int k = 0; k < 15 && pos < len; k++)
            pb_utf8_next(para300, len, &pos);
        char *text = pb_xstrndup(para300 + start, pos - start);
        add_text(ps, pg, f, 10.5f, 72, 100 + 18 * (float)line, text, 0);
        free(text);
    }
    char *path = tmp_path(name);
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(write_pdf(ps, path, true, &d), PB_PDF_OK);
    assert_no_errors(&d);
    size_t size = file_size(path);
    if (have_tool("pdftotext")) {
        /* the paragraph comes back whole */
        char *out = run("pdftotext -enc UTF-8 '%s' - | tr -d '\\n\\f'", path);
        assert_string_equal(out, para300);
        free(out);
    }
    print_message("    %-28s %zu bytes (%.1f KB)\n", pb_font_postscript_name(f), size,
                  (double)size / 1024);
    free(path);
    pb_diags_free(&d);
    pb_pages_free(ps);
    return size;
}

static void test_sizes(void **state)
{
    assert_int_equal(pb_utf8_count(para300, strlen(para300)), 300);
    bool any = false;
    if (fonts[F_NOTO]) {
        /* LIBHARU.md measured 60-69 KB with this approach */
        assert_true(paragraph_size(fonts[F_NOTO], "size-noto.pdf") < 72 * 1024);
        any = true;
    }
    if (fonts[F_LXGW]) {
        assert_true(paragraph_size(fonts[F_LXGW], "size-lxgw.pdf") < 90 * 1024);
        any = true;
    }
    if (fonts[F_WQY]) {
        assert_true(paragraph_size(fonts[F_WQY], "size-wqy.pdf") < 120 * 1024);
        any = true;
    }
    if (fonts[F_UMING]) {
        paragraph_size(fonts[F_UMING], "size-uming.pdf");
        any = true;
    }
    if (!any)
        skip();
}

/* Bad display lists give diagnostics, never a crash or a broken file. */
static void test_bad_input(void **state)
{
    pb_font *f = need_font(fonts[F_NOTO] ? F_NOTO : F_LXGW);
    pb_diags d;
    pb_diags_init(&d);
    char *pdf;
    size_t len;

    pb_pages *ps = pb_pages_new();
    assert_false(pb_pdf_render(ps, NULL, &pdf, &len, &d));
    assert_null(pdf);
    assert_non_null(pb_diags_find(&d, "no pages"));
    pb_pages_free(ps);

    pb_page *pg;
    ps = new_a4(&pg);
    pb_run *r = add_text(ps, pg, f, 12, 72, 100, "字形", 0);
    r->glyphs[1].gid = 999999;
    pb_diags_clear(&d);
    assert_false(pb_pdf_render(ps, NULL, &pdf, &len, &d));
    assert_non_null(pb_diags_find(&d, "glyph 999999"));
    pb_pages_free(ps);

    /* an unknown link target is a warning; the PDF is still made */
    ps = new_a4(&pg);
    add_text(ps, pg, f, 12, 72, 100, "链接", 0);
    pb_item *it = pb_page_add(ps, pg, PB_ITEM_LINK);
    it->u.link.w = it->u.link.h = 10;
    it->u.link.dest = "nowhere";
    /* NaN and absurd coordinates are clamped, not written */
    it = pb_page_add(ps, pg, PB_ITEM_LINE);
    it->u.line.x1 = NAN;
    it->u.line.x2 = 1e30f;
    it->u.line.width = 1;
    it->u.line.color = PB_BLACK;
    pb_diags_clear(&d);
    assert_true(pb_pdf_render(ps, NULL, &pdf, &len, &d));
    assert_non_null(pb_diags_find(&d, "unknown destination 'nowhere'"));
    assert_int_equal(d.n_errors, 0);
    free(pdf);
    pb_pages_free(ps);

    /* a page size libharu refuses */
    ps = pb_pages_new();
    pb_pages_add(ps, 1, 1);
    pb_diags_clear(&d);
    assert_false(pb_pdf_render(ps, NULL, &pdf, &len, &d));
    assert_true(d.n_errors > 0);
    pb_pages_free(ps);
    pb_diags_free(&d);
}

/* The CFF charset reader agrees with the identity charset of Noto CJK. */
static void test_cff_charset(void **state)
{
    pb_font *f = need_font(F_NOTO);
    assert_true(pb_font_is_cff(f));
    assert_true(pb_font_cff_is_cid(f));
    hb_blob_t *cff = hb_face_reference_table(pb_font_hb_face(f), HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(cff, &len);
    unsigned n = pb_font_num_glyphs(f);
    uint32_t *cids = malloc(n * sizeof *cids);
    assert_true(pdf_cff_read_cids((const unsigned char *)data, len, n, cids));
    for (unsigned g = 0; g < n; g++)
        assert_int_equal(cids[g], g);
    /* truncated data is refused, not read past */
    for (unsigned cut = 0; cut < 4096; cut += 97)
        assert_false(pdf_cff_read_cids((const unsigned char *)data, cut, n, cids));
    free(cids);
    hb_blob_destroy(cff);
}

/* Glyph ga of face a and glyph gb of face b have the same outline, in font units. */
static void assert_same_outline(FT_Face a, unsigned ga, FT_Face b, unsigned gb)
{
    assert_int_equal(FT_Load_Glyph(a, ga, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    assert_int_equal(FT_Load_Glyph(b, gb, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    const FT_Outline *x = &a->glyph->outline, *y = &b->glyph->outline;
    assert_int_equal(x->n_points, y->n_points);
    assert_int_equal(x->n_contours, y->n_contours);
    assert_memory_equal(x->points, y->points, (size_t)x->n_points * sizeof *x->points);
    assert_memory_equal(x->contours, y->contours, (size_t)x->n_contours * sizeof *x->contours);
    for (int i = 0; i < x->n_points; i++)
        assert_int_equal(x->tags[i] & 3, y->tags[i] & 3); /* on curve, conic, cubic */
}

/* Glyph ids spread over the font, with .notdef and the glyphs of some characters. */
static size_t sample_gids(pb_font *f, uint32_t *gids, size_t max)
{
    static const char *const chars = "中文排版，。「」（）—…ABCxyz0123";
    unsigned n_glyphs = pb_font_num_glyphs(f);
    size_t n = 0;
    gids[n++] = 0;
    for (uint32_t g = 1; g < n_glyphs && n < max / 2; g += n_glyphs / (max / 2) + 1)
        gids[n++] = g;
    size_t pos = 0, len = strlen(chars);
    while (pos < len && n < max) {
        uint32_t g = pb_font_glyph(f, pb_utf8_next(chars, len, &pos));
        if (g)
            gids[n++] = g;
    }
    qsort(gids, n, sizeof *gids, cmp_u32_test);
    size_t k = 0; /* unique */
    for (size_t i = 0; i < n; i++)
        if (k == 0 || gids[i] != gids[k - 1])
            gids[k++] = gids[i];
    return k;
}

/* Our CFF subsetter: every glyph of the subset draws what it drew in the font, found
 * by its CID as a viewer finds it; the subset subsets again to itself; and damaged
 * input is refused or read within bounds, never past them. */
static void test_cff_subset(void **state)
{
    pb_font *f = need_font(F_NOTO);
    hb_blob_t *cff = hb_face_reference_table(pb_font_hb_face(f), HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const unsigned char *data = (const unsigned char *)hb_blob_get_data(cff, &len);
    uint32_t gids[400], cids[400], cids2[400], again[400];
    size_t n = sample_gids(f, gids, 400);
    pb_buf out;
    pb_buf_init(&out);
    assert_true(pdf_cff_subset(data, len, gids, n, &out, cids));
    assert_true(out.len < len / 10);
    FT_Face sub;
    assert_int_equal(
        FT_New_Memory_Face(pb_ft_library(), (const FT_Byte *)out.data, (FT_Long)out.len, 0, &sub),
        0);
    /* FreeType numbers a bare CID-keyed font's glyphs by CID, as PDF viewers do */
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(cids[k], gids[k]); /* Noto's charset is the identity */
        assert_same_outline(f->ft, gids[k], sub, cids[k]);
    }
    uint32_t *read = malloc(n * sizeof *read);
    assert_true(pdf_cff_read_cids((const unsigned char *)out.data, out.len, (uint32_t)n, read));
    assert_memory_equal(read, cids, n * sizeof *cids);
    free(read);

    /* the subset is a CID-keyed CFF too: subsetting it to all its glyphs changes nothing */
    for (size_t k = 0; k < n; k++)
        again[k] = (uint32_t)k;
    pb_buf twice;
    pb_buf_init(&twice);
    assert_true(pdf_cff_subset((const unsigned char *)out.data, out.len, again, n, &twice, cids2));
    assert_memory_equal(cids2, cids, n * sizeof *cids);
    assert_int_equal(twice.len, out.len);
    assert_memory_equal(twice.data, out.data, out.len);

    /* not the glyph order it needs, a glyph past the end, no .notdef: refused */
    uint32_t bad[3] = {0, 5, 3};
    assert_false(pdf_cff_subset(data, len, bad, 3, &twice, cids2));
    bad[1] = 3, bad[2] = 70000;
    assert_false(pdf_cff_subset(data, len, bad, 3, &twice, cids2));
    assert_false(pdf_cff_subset(data, len, bad + 1, 1, &twice, cids2));
    /* cut short and damaged copies of the subset: ASan watches the reads */
    for (size_t cut = 0; cut < out.len; cut += 97) {
        pb_buf_reset(&twice);
        pdf_cff_subset((const unsigned char *)out.data, cut, again, n, &twice, cids2);
    }
    unsigned char *bent = malloc(out.len);
    uint32_t seed = 12345;
    for (int round = 0; round < 300; round++) {
        memcpy(bent, out.data, out.len);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            bent[(seed >> 8) % out.len] ^= (unsigned char)(1u << (seed % 8));
        }
        pb_buf_reset(&twice);
        pdf_cff_subset(bent, out.len, again, n, &twice, cids2);
    }
    free(bent);
    FT_Done_Face(sub);
    pb_buf_free(&twice);
    pb_buf_free(&out);
    hb_blob_destroy(cff);
}

/* Our TrueType subsetter, on LXGW WenKai and on WenQuanYi Micro Hei, whose composite
 * glyphs have components above glyph 32767 (LIBHARU.md bug 2): the same outlines under
 * the new glyph ids, composites whole. */
static void check_ttf_subset(pb_font *f, const uint32_t *extra, size_t n_extra)
{
    uint32_t gids[420], codes[420];
    size_t n = sample_gids(f, gids, 400);
    for (size_t i = 0; i < n_extra; i++)
        gids[n++] = extra[i];
    qsort(gids, n, sizeof *gids, cmp_u32_test);
    pb_buf out;
    pb_buf_init(&out);
    assert_true(pdf_ttf_subset(pb_font_hb_face(f), gids, n, &out, codes));
    FT_Face sub;
    assert_int_equal(
        FT_New_Memory_Face(pb_ft_library(), (const FT_Byte *)out.data, (FT_Long)out.len, 0, &sub),
        0);
    for (size_t k = 0; k < n; k++) {
        assert_true(k == 0 || codes[k] > codes[k - 1]);
        assert_same_outline(f->ft, gids[k], sub, codes[k]);
    }
    /* damaged copies: refused or read within bounds */
    unsigned char *bent = malloc(out.len);
    uint32_t seed = 777, all[420], codes2[420];
    for (size_t k = 0; k < n; k++)
        all[k] = codes[k];
    for (int round = 0; round < 200; round++) {
        memcpy(bent, out.data, out.len);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            bent[(seed >> 8) % out.len] ^= (unsigned char)(1u << (seed % 8));
        }
        hb_blob_t *b = hb_blob_create((const char *)bent, (unsigned)out.len,
                                      HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_t *face = hb_face_create(b, 0);
        pb_buf again;
        pb_buf_init(&again);
        pdf_ttf_subset(face, all, n, &again, codes2);
        pb_buf_free(&again);
        hb_face_destroy(face);
        hb_blob_destroy(b);
    }
    free(bent);
    FT_Done_Face(sub);
    pb_buf_free(&out);
}

static void test_ttf_subset(void **state)
{
    check_ttf_subset(need_font(F_LXGW), NULL, 0);
    if (fonts[F_WQY]) {
        pb_font *f = fonts[F_WQY];
        uint32_t extra[2] = {pb_font_glyph(f, 0x4E34), pb_font_glyph(f, 0xD28D)};
        assert_true(extra[1] > 32767);
        check_ttf_subset(f, extra, 2);
    }
}

static void test_num_format(void **state)
{
    struct {
        double v;
        int dec;
        const char *s;
    } cases[] = {
        {0, 3, "0"},           {-0.0001, 3, "0"},      {1.5, 3, "1.5"},       {-2.25, 2, "-2.25"},
        {841.89, 3, "841.89"}, {0.2126, 4, "0.2126"},  {1e30, 3, "10000000"}, {NAN, 3, "0"},
        {12.0004, 3, "12"},    {12.0005, 3, "12.001"},
    };
    for (size_t i = 0; i < PB_COUNT(cases); i++) {
        pb_buf b;
        pb_buf_init(&b);
        pdf_num(&b, cases[i].v, cases[i].dec);
        assert_string_equal(b.data, cases[i].s);
        pb_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_num_format),
        cmocka_unit_test(test_cff_charset),
        cmocka_unit_test(test_cff_subset),
        cmocka_unit_test(test_ttf_subset),
        cmocka_unit_test(test_fonts_embedded),
        cmocka_unit_test(test_text_extraction),
        cmocka_unit_test(test_glyph_positions),
        cmocka_unit_test(test_text_operators),
        cmocka_unit_test(test_full_document),
        cmocka_unit_test(test_page_labels),
        cmocka_unit_test(test_empty_page),
        cmocka_unit_test(test_many_pages),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_image_errors),
        cmocka_unit_test(test_png_decoding),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_wqy_composite),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
