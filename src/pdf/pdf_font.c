/* pdf_font.c - embedding fonts: collects the glyphs each font shows over the whole
 * document, subsets each font (CID-keyed CFF in pdf_cff.c, TrueType in pdf_ttf.c,
 * anything else with hb-subset; two fonts at a time, from the cache in --watch), and
 * builds the Type0 / CIDFont / FontDescriptor / font file / ToUnicode objects through
 * libharu's object layer. */
#include "pdf_internal.h"

#include <fcntl.h>
#include <hb-subset.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* PDF limits bfchar destinations to 512 bytes (PDF 32000 §9.10.3); a cluster with
 * more text than this is pathological and is cut. */
#define PDF_MAX_TOUNICODE_UNITS 250
/* bfchar blocks hold at most 100 entries (Adobe TN #5014 §5.8). */
#define PDF_BFCHAR_BLOCK 100
/* libharu rejects arrays over 32767 items (HPDF_LIMIT_MAX_ARRAY); /W groups are cut
 * well below that. */
#define PDF_MAX_W_GROUP 8000

/* ---- collecting the glyphs ---- */

pdf_font *pdf_font_find(pdf_ctx *c, const pb_font *font)
{
    if (c->last_font && c->last_font->font == font)
        return c->last_font;
    for (size_t i = 0; i < c->n_fonts; i++) {
        if (c->fonts[i]->font == font) {
            c->last_font = c->fonts[i];
            return c->last_font;
        }
    }
    return NULL;
}

static pdf_font *font_add(pdf_ctx *c, pb_font *font)
{
    pdf_font *pf = pb_xcalloc(1, sizeof *pf);
    pf->font = font;
    pf->slot = pb_xcalloc(pb_font_num_glyphs(font), sizeof *pf->slot);
    PB_PUSH(c->fonts, c->n_fonts, c->cap_fonts, pf);
    c->last_font = pf;
    return pf;
}

static void collect_run(pdf_ctx *c, const pb_run *r)
{
    if (r->n == 0)
        return;
    if (!r->font || !r->glyphs) {
        pb_diag_add(c->diags, PB_ERROR, NULL, 0, 0, "internal: a text run has no font or glyphs");
        c->failed = true;
        return;
    }
    pdf_font *pf = pdf_font_find(c, r->font);
    if (!pf)
        pf = font_add(c, r->font);
    unsigned n_font_glyphs = pb_font_num_glyphs(r->font);
    bool reported = false;
    for (uint32_t i = 0; i < r->n; i++) {
        const pb_glyph *g = &r->glyphs[i];
        if (g->gid >= n_font_glyphs) {
            if (!reported)
                pb_diag_add(c->diags, PB_ERROR, pb_font_path(r->font), 0, 0,
                            "internal: glyph %u is not in the font (it has %u glyphs)", g->gid,
                            n_font_glyphs);
            reported = true;
            c->failed = true;
            continue;
        }
        if (!pf->slot[g->gid]) {
            pdf_glyph pg = {.gid = g->gid};
            PB_PUSH(pf->glyphs, pf->n_glyphs, pf->cap_glyphs, pg);
            pf->slot[g->gid] = (uint32_t)pf->n_glyphs;
        }
        pdf_glyph *pg = &pf->glyphs[pf->slot[g->gid] - 1];
        /* The first text seen for a glyph wins (a glyph can show different text in
         * different places, e.g. a shared form of two characters). */
        /* The glyph's text range comes from the layout of that same text. (It was
         * checked against strlen(r->text), but every run of a paragraph points at
         * the whole paragraph: quadratic, minutes for a 20 MB paragraph.) */
        if (!pg->text && g->text_len > 0 && r->text) {
            pg->text = r->text + g->text_off;
            pg->text_len = g->text_len;
        }
    }
}

bool pdf_fonts_collect(pdf_ctx *c)
{
    for (size_t p = 0; p < c->pages->n_pages; p++) {
        const pb_page *pg = c->pages->pages[p];
        for (size_t i = 0; i < pg->n_items; i++)
            if (pg->items[i].kind == PB_ITEM_RUN)
                collect_run(c, &pg->items[i].u.run);
    }
    return !c->failed;
}

void pdf_fonts_free(pdf_ctx *c)
{
    for (size_t i = 0; i < c->n_fonts; i++) {
        free(c->fonts[i]->slot);
        free(c->fonts[i]->glyphs);
        free(c->fonts[i]);
    }
    free(c->fonts);
    c->fonts = NULL;
    c->n_fonts = c->cap_fonts = 0;
    c->last_font = NULL;
}

/* ---- small helpers over libharu's object layer ----
 * Creation only fails when malloc does; like the rest of paiban we abort then. */

static HPDF_Dict new_dict(pdf_ctx *c, bool indirect)
{
    HPDF_Dict d = HPDF_Dict_New(c->doc->mmgr);
    if (!d)
        pb_fatal("out of memory (libharu dictionary)");
    if (indirect)
        HPDF_Xref_Add(c->doc->xref, d);
    return d;
}

/* A stream whose bytes pdf_stream_set gives it (and compresses). */
static HPDF_Dict new_stream(pdf_ctx *c)
{
    HPDF_Dict d = HPDF_DictStream_New(c->doc->mmgr, c->doc->xref);
    if (!d)
        pb_fatal("out of memory (libharu stream)");
    return d;
}

static HPDF_Array new_array(pdf_ctx *c)
{
    HPDF_Array a = HPDF_Array_New(c->doc->mmgr);
    if (!a)
        pb_fatal("out of memory (libharu array)");
    return a;
}

/* ---- subsetting ---- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Whether a table stays in the subset. A CIDFontType2 program is read by glyph id,
 * so only the outline and metric tables matter ('cmap' is for simple fonts, PDF 32000
 * §9.9); the hinting tables (cvt fpgm prep) go with NO_HINTING. A CIDFontType0C
 * program is the bare 'CFF ' table. Anything else would only cost bytes, and GSUB
 * would make the subsetter pull in glyphs by closure. */
static bool keep_table(bool cff, hb_tag_t t)
{
    static const hb_tag_t tt_keep[] = {
        HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('h', 'e', 'a', 'd'),
        HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
    };
    if (cff)
        return t == HB_TAG('C', 'F', 'F', ' ');
    for (size_t i = 0; i < PB_COUNT(tt_keep); i++)
        if (tt_keep[i] == t)
            return true;
    return false;
}

static void free_buf(void *p)
{
    free(p);
}

typedef struct font_map {
    void *addr;
    size_t len;
} font_map;

static void unmap_font(void *p)
{
    font_map *m = p;
    munmap(m->addr, m->len);
    free(m);
}

/* A face over a mapping of the font file of our own, for subsetting. A CJK subset
 * reads a few hundred bytes in each of thousands of pages spread over a 20 MB file;
 * through the registry's mapping those pages would stay resident for the life of the
 * font (they were a third of the peak memory of a build). Ours is unmapped when the
 * subset is done. Falls back to the font's own face (a new reference) when the file
 * cannot be mapped or is no longer the file the font was loaded from. */
static hb_face_t *subset_face(const pb_font *font)
{
    hb_face_t *face = pb_font_hb_face(font);
    hb_blob_t *orig = hb_face_reference_blob(face);
    unsigned orig_len = hb_blob_get_length(orig);
    hb_blob_destroy(orig);
    int fd = open(pb_font_path(font), O_RDONLY);
    struct stat st;
    void *addr = MAP_FAILED;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size == (off_t)orig_len && orig_len > 0)
        addr = mmap(NULL, orig_len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0)
        close(fd);
    if (addr == MAP_FAILED)
        return hb_face_reference(face);
    font_map *m = pb_xmalloc(sizeof *m);
    *m = (font_map){addr, orig_len};
    hb_blob_t *blob = hb_blob_create(addr, orig_len, HB_MEMORY_MODE_READONLY, m, unmap_font);
    hb_face_t *own = hb_face_create(blob, (unsigned)pb_font_index(font));
    hb_blob_destroy(blob);
    return own;
}

/* A CID-keyed CFF subset by pdf_cff.c: glyphs keep their CIDs, which become their
 * codes. False when that subsetter cannot read the font (hb-subset takes over). */
static bool subset_cff_cid(pdf_font *pf, hb_face_t *face, const uint32_t *gids, size_t n,
                           hb_blob_t **program)
{
    hb_blob_t *table = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(table, &len);
    /* .notdef first: it draws characters no font has */
    size_t m = n + (n == 0 || gids[0] != 0);
    uint32_t *all = pb_xmalloc(m * sizeof *all), *cids = pb_xmalloc(m * sizeof *cids);
    all[0] = 0;
    memcpy(all + (m - n), gids, n * sizeof *gids);
    pb_buf out;
    pb_buf_init(&out);
    bool ok = pdf_cff_subset((const unsigned char *)data, len, all, m, &out, cids);
    hb_blob_destroy(table);
    if (ok) {
        for (size_t k = m - n; k < m; k++)
            pf->glyphs[pf->slot[all[k]] - 1].code = cids[k];
        unsigned out_len = (unsigned)out.len;
        char *bytes = pb_buf_detach(&out);
        *program = hb_blob_create(bytes, out_len, HB_MEMORY_MODE_READONLY, bytes, free_buf);
    }
    pb_buf_free(&out);
    free(all);
    free(cids);
    return ok;
}

/* A TrueType subset by pdf_ttf.c: codes are the subset's glyph ids. False when that
 * subsetter cannot read the font (hb-subset takes over). */
static bool subset_ttf(pdf_font *pf, hb_face_t *face, const uint32_t *gids, size_t n,
                       hb_blob_t **program)
{
    uint32_t *codes = pb_xmalloc(n * sizeof *codes);
    pb_buf out;
    pb_buf_init(&out);
    bool ok = pdf_ttf_subset(face, gids, n, &out, codes);
    if (ok) {
        for (size_t k = 0; k < n; k++)
            pf->glyphs[pf->slot[gids[k]] - 1].code = codes[k];
        unsigned out_len = (unsigned)out.len;
        char *bytes = pb_buf_detach(&out);
        *program = hb_blob_create(bytes, out_len, HB_MEMORY_MODE_READONLY, bytes, free_buf);
    }
    pb_buf_free(&out);
    free(codes);
    return ok;
}

/* Subsets pf's font to its used glyphs, then gives every glyph its final code:
 * TrueType and name-keyed CFF use the subset's glyph ids (CIDToGIDMap /Identity, or
 * CIDs used as glyph indices by CIDFontType0C, PDF 32000 §9.7.4.2); CID-keyed CFF
 * uses the CIDs of the subset's charset, which keeps the original CIDs.
 * *program receives the bytes to embed. */
static bool subset_font(pdf_font *pf, const uint32_t *gids, size_t n, hb_blob_t **program,
                        char *err, size_t err_size)
{
    pb_font *font = pf->font;
    bool cff = pb_font_is_cff(font);
    *program = NULL;
    hb_face_t *face = subset_face(font);
    if ((cff && pb_font_cff_is_cid(font) && subset_cff_cid(pf, face, gids, n, program)) ||
        (!cff && subset_ttf(pf, face, gids, n, program))) {
        hb_face_destroy(face);
        return true;
    }
    hb_subset_plan_t *plan = NULL;
    hb_face_t *sub = NULL;
    uint32_t *cids = NULL;
    bool ok = false;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        pb_fatal("out of memory (hb-subset input)");

    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (size_t i = 0; i < n; i++)
        hb_set_add(glyphs, gids[i]);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned start = 0, count;
    do {
        count = PB_COUNT(tags);
        hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (!keep_table(cff, tags[i]))
                hb_set_add(drop, tags[i]);
        start += count;
    } while (count == PB_COUNT(tags));
    /* NOTDEF_OUTLINE: hb-subset empties glyph 0 by default, but .notdef is what a
     * character no installed font has is drawn with, and it must show as a box. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NOTDEF_OUTLINE |
                                      (cff ? HB_SUBSET_FLAGS_DESUBROUTINIZE : 0));

    plan = hb_subset_plan_create_or_fail(face, in);
    if (plan)
        sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub) {
        snprintf(err, err_size, "cannot subset the font '%s' for embedding",
                 pb_font_postscript_name(font));
        goto fail;
    }
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    uint32_t n_new = 0;
    for (size_t i = 0; i < pf->n_glyphs; i++) {
        hb_codepoint_t g = hb_map_get(old_to_new, pf->glyphs[i].gid);
        if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF) {
            snprintf(err, err_size, "the subset of '%s' lost glyph %u",
                     pb_font_postscript_name(font), pf->glyphs[i].gid);
            goto fail;
        }
        pf->glyphs[i].code = g;
        n_new = PB_MAX(n_new, g + 1);
    }

    *program = cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                   : hb_face_reference_blob(sub);
    if (hb_blob_get_length(*program) == 0) {
        snprintf(err, err_size, "the subset of '%s' is empty", pb_font_postscript_name(font));
        goto fail;
    }
    if (cff && pb_font_cff_is_cid(font)) {
        unsigned len;
        const char *data = hb_blob_get_data(*program, &len);
        cids = pb_xmalloc((size_t)n_new * sizeof *cids);
        if (!pdf_cff_read_cids((const unsigned char *)data, len, n_new, cids)) {
            snprintf(err, err_size, "cannot read the CID charset of the subset of '%s'",
                     pb_font_postscript_name(font));
            goto fail;
        }
        for (size_t i = 0; i < pf->n_glyphs; i++) {
            uint32_t cid = cids[pf->glyphs[i].code];
            if (cid > 0xFFFF) {
                snprintf(err, err_size, "'%s' has CID %u, beyond the 2-byte codes of Identity-H",
                         pb_font_postscript_name(font), cid);
                goto fail;
            }
            pf->glyphs[i].code = cid;
        }
    }
    ok = true;

fail:
    if (!ok) {
        hb_blob_destroy(*program);
        *program = NULL;
    }
    free(cids);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    return ok;
}

/* ---- the PDF objects ---- */

static int scale(const pb_font *font, double v)
{
    return (int)lround(v * 1000.0 / pb_font_upem(font));
}

/* Six capital letters naming the subset (PDF 32000 §9.6.4), from the font and the
 * glyphs it keeps: the same glyphs give the same tag, so output is reproducible. */
static void subset_tag(const pb_font *font, const uint32_t *gids, size_t n, char tag[7])
{
    const char *ps = pb_font_postscript_name(font);
    uint64_t h = pb_hash(ps, strlen(ps), PB_HASH_SEED);
    for (size_t i = 0; i < n; i++) {
        unsigned char le[4] = {(unsigned char)gids[i], (unsigned char)(gids[i] >> 8),
                               (unsigned char)(gids[i] >> 16), (unsigned char)(gids[i] >> 24)};
        h = pb_hash(le, sizeof le, h);
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

static int cmp_glyph_code(const void *a, const void *b)
{
    const pdf_glyph *x = *(const pdf_glyph *const *)a, *y = *(const pdf_glyph *const *)b;
    return (x->code > y->code) - (x->code < y->code);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The most common width, so /W lists only the exceptions (ties: the smaller). */
static int default_width(const pdf_font *pf)
{
    int *w = pb_xmalloc(pf->n_glyphs * sizeof *w);
    for (size_t i = 0; i < pf->n_glyphs; i++)
        w[i] = pf->glyphs[i].width;
    qsort(w, pf->n_glyphs, sizeof *w, cmp_int);
    int best = w[0];
    size_t best_n = 0;
    for (size_t i = 0; i < pf->n_glyphs;) {
        size_t j = i;
        while (j < pf->n_glyphs && w[j] == w[i])
            j++;
        if (j - i > best_n) {
            best = w[i];
            best_n = j - i;
        }
        i = j;
    }
    free(w);
    return best;
}

/* /W as `c [w w ...]` groups of the codes whose width differs from dw. Codes that are
 * never shown can take any width, so a gap of up to two codes is bridged with dw
 * (two numbers) rather than starting a group (also two numbers). */
static HPDF_Array build_w(pdf_ctx *c, pdf_glyph *const *by_code, size_t n, int dw)
{
    HPDF_Array w = new_array(c);
    HPDF_Array group = NULL;
    uint32_t next = 0; /* the code the open group would take next */
    size_t group_len = 0;
    for (size_t i = 0; i < n; i++) {
        const pdf_glyph *g = by_code[i];
        if (g->width == dw)
            continue;
        if (group && g->code >= next && g->code - next <= 2 &&
            group_len + (g->code - next) < PDF_MAX_W_GROUP) {
            for (; next < g->code; next++, group_len++)
                HPDF_Array_AddNumber(group, dw);
        } else {
            group = new_array(c);
            group_len = 0;
            HPDF_Array_AddNumber(w, (HPDF_INT32)g->code);
            HPDF_Array_Add(w, group);
        }
        HPDF_Array_AddNumber(group, g->width);
        group_len++;
        next = g->code + 1;
    }
    return w;
}

/* Four upper-case hex digits (a CMap's code or UTF-16 unit), without printf: a CJK
 * font has thousands of entries. */
static void hex4(pb_buf *b, uint32_t v)
{
    static const char hx[] = "0123456789ABCDEF";
    char s[4] = {hx[(v >> 12) & 15], hx[(v >> 8) & 15], hx[(v >> 4) & 15], hx[v & 15]};
    pb_buf_add(b, s, 4);
}

/* Appends the UTF-16BE hex of a glyph's text; returns the number of code units. */
static size_t utf16_hex(pb_buf *b, const char *s, size_t len)
{
    size_t pos = 0, units = 0;
    while (pos < len && units + 2 <= PDF_MAX_TOUNICODE_UNITS) {
        uint32_t cp = pb_utf8_next(s, len, &pos);
        if (cp == PB_UTF8_BAD || cp == 0)
            continue;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            hex4(b, 0xD800 + (cp >> 10));
            hex4(b, 0xDC00 + (cp & 0x3FF));
            units += 2;
        } else {
            hex4(b, cp);
            units++;
        }
    }
    return units;
}

/* A ToUnicode CMap (Adobe TN #5014 / #5411) mapping each code to the text its glyph
 * shows. Glyphs without text (the second and later glyphs of a cluster) are left
 * out, so extraction gives the cluster's text once. */
static HPDF_Dict build_tounicode(pdf_ctx *c, pdf_glyph *const *by_code, size_t n)
{
    pb_buf cm, entries, one;
    pb_buf_init(&cm);
    pb_buf_init(&entries);
    pb_buf_init(&one);
    pb_buf_adds(&cm, "/CIDInit /ProcSet findresource begin\n"
                     "12 dict begin\n"
                     "begincmap\n"
                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                     "/CMapName /Adobe-Identity-UCS def\n"
                     "/CMapType 2 def\n"
                     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t in_block = 0;
    for (size_t i = 0; i < n; i++) {
        const pdf_glyph *g = by_code[i];
        if (!g->text)
            continue;
        pb_buf_reset(&one);
        if (utf16_hex(&one, g->text, g->text_len) == 0)
            continue;
        pb_buf_addc(&entries, '<');
        hex4(&entries, g->code);
        pb_buf_add(&entries, "> <", 3);
        pb_buf_add(&entries, one.data, one.len);
        pb_buf_add(&entries, ">\n", 2);
        if (++in_block == PDF_BFCHAR_BLOCK) {
            pb_buf_printf(&cm, "%zu beginbfchar\n%sendbfchar\n", in_block, entries.data);
            pb_buf_reset(&entries);
            in_block = 0;
        }
    }
    if (in_block)
        pb_buf_printf(&cm, "%zu beginbfchar\n%sendbfchar\n", in_block, entries.data);
    pb_buf_adds(&cm, "endcmap\n"
                     "CMapName currentdict /CMap defineresource pop\n"
                     "end\n"
                     "end\n");
    HPDF_Dict s = new_stream(c);
    size_t cm_len = cm.len;
    pdf_stream_set(c, s, pb_buf_detach(&cm), cm_len, PDF_Z_TEXT);
    pb_buf_free(&entries);
    pb_buf_free(&one);
    return s;
}

static void add_box(pdf_ctx *c, HPDF_Dict d, const char *key, const int v[4])
{
    HPDF_Array a = new_array(c);
    for (int i = 0; i < 4; i++)
        HPDF_Array_AddNumber(a, v[i]);
    HPDF_Dict_Add(d, key, a);
}

/* program: the font program; z: its compressed form when the caller made it (taken),
 * else NULL. */
static void build_objects(pdf_ctx *c, pdf_font *pf, const uint32_t *gids, size_t n_gids,
                          const char *program, size_t len, unsigned char *z, size_t z_len)
{
    pb_font *font = pf->font;
    bool cff = pb_font_is_cff(font);
    char tag[7], base[128];
    subset_tag(font, gids, n_gids, tag);
    snprintf(base, sizeof base, "%s+%s", tag, pb_font_postscript_name(font));

    for (size_t i = 0; i < pf->n_glyphs; i++)
        pf->glyphs[i].width = scale(font, pb_font_glyph_advance(font, pf->glyphs[i].gid));
    pdf_glyph **by_code = pb_xmalloc(pf->n_glyphs * sizeof *by_code);
    for (size_t i = 0; i < pf->n_glyphs; i++)
        by_code[i] = &pf->glyphs[i];
    qsort(by_code, pf->n_glyphs, sizeof *by_code, cmp_glyph_code);
    int dw = default_width(pf);

    /* the font program */
    HPDF_Dict file = new_stream(c);
    char *copy = pb_xmalloc(len ? len : 1);
    memcpy(copy, program, len);
    if (z)
        pdf_stream_set_deflated(c, file, copy, len, PDF_Z_FONT, z, z_len);
    else
        pdf_stream_set(c, file, copy, len, PDF_Z_FONT);
    if (cff)
        HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
    else
        HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);

    /* FontDescriptor (PDF 32000 §9.8) */
    HPDF_Dict desc = new_dict(c, true);
    HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    HPDF_Dict_AddName(desc, "FontName", base);
    int flags = 4; /* symbolic: our codes are not a standard encoding */
    if (pb_font_is_fixed_pitch(font))
        flags |= 1;
    if (pb_font_is_serif(font))
        flags |= 2;
    if (pb_font_is_italic(font))
        flags |= 64;
    HPDF_Dict_AddNumber(desc, "Flags", flags);
    int bb[4];
    pb_font_bbox(font, bb);
    int fbb[4] = {scale(font, bb[0]), scale(font, bb[1]), scale(font, bb[2]), scale(font, bb[3])};
    if (fbb[0] >= fbb[2] || fbb[1] >= fbb[3]) {
        fbb[0] = 0;
        fbb[1] = scale(font, pb_font_descender(font));
        fbb[2] = 1000;
        fbb[3] = scale(font, pb_font_ascender(font));
    }
    add_box(c, desc, "FontBBox", fbb);
    HPDF_Dict_AddNumber(desc, "ItalicAngle", pb_font_italic_angle(font));
    HPDF_Dict_AddNumber(desc, "Ascent", scale(font, pb_font_ascender(font)));
    HPDF_Dict_AddNumber(desc, "Descent", scale(font, pb_font_descender(font)));
    HPDF_Dict_AddNumber(desc, "CapHeight", scale(font, pb_font_cap_height(font)));
    HPDF_Dict_AddNumber(desc, "StemV", 80); /* only used by font substitution */
    HPDF_Dict_Add(desc, cff ? "FontFile3" : "FontFile2", file);

    /* the descendant CIDFont (PDF 32000 §9.7.4) */
    HPDF_Dict cid = new_dict(c, true);
    HPDF_Dict_AddName(cid, "Type", "Font");
    HPDF_Dict_AddName(cid, "Subtype", cff ? "CIDFontType0" : "CIDFontType2");
    HPDF_Dict_AddName(cid, "BaseFont", base);
    HPDF_Dict info = new_dict(c, false);
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(c->doc->mmgr, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(c->doc->mmgr, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    HPDF_Dict_Add(cid, "FontDescriptor", desc);
    HPDF_Dict_AddNumber(cid, "DW", dw);
    HPDF_Array w = build_w(c, by_code, pf->n_glyphs, dw);
    if (HPDF_Array_Items(w) > 0)
        HPDF_Dict_Add(cid, "W", w);
    else
        HPDF_Array_Free(w);
    /* A CIDToGIDMap on a CIDFontType0 breaks mupdf (LIBHARU.md); TrueType codes are
     * the subset's glyph ids. */
    if (!cff)
        HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

    HPDF_Dict tounicode = build_tounicode(c, by_code, pf->n_glyphs);

    HPDF_Dict t0 = new_dict(c, true);
    HPDF_Dict_AddName(t0, "Type", "Font");
    HPDF_Dict_AddName(t0, "Subtype", "Type0");
    HPDF_Dict_AddName(t0, "BaseFont", base);
    HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    HPDF_Array desc_fonts = new_array(c);
    HPDF_Array_Add(desc_fonts, cid);
    HPDF_Dict_Add(t0, "DescendantFonts", desc_fonts);
    HPDF_Dict_Add(t0, "ToUnicode", tounicode);
    pf->type0 = t0;
    free(by_code);
}

/* One font's subset, made on whichever thread takes it. */
typedef struct subset_job {
    pdf_font *pf;
    uint32_t *gids; /* ascending */
    size_t n;
    bool cached; /* the cache had it: codes and program are borrowed from there */
    const uint32_t *codes;
    const char *program;
    size_t len;
    hb_blob_t *made; /* else the subset made, NULL when that failed */
    bool compress;
    unsigned char *z; /* and made compressed, when compressing */
    size_t z_len;
    char err[200];
} subset_job;

typedef struct subset_queue {
    pthread_mutex_t mu;
    subset_job **order; /* the jobs to run, most glyphs first */
    size_t n, next;
} subset_queue;

/* Subsets, then compresses on the same thread: the largest font's program takes as
 * long to compress as to make, and waiting for the stream queue would put the two
 * in a row on the render's critical path. */
static void run_job(subset_job *j)
{
    if (!subset_font(j->pf, j->gids, j->n, &j->made, j->err, sizeof j->err)) {
        j->made = NULL;
        return;
    }
    if (j->compress) {
        unsigned len;
        const char *data = hb_blob_get_data(j->made, &len);
        if (len)
            pdf_deflate(data, len, PDF_Z_FONT, &j->z, &j->z_len);
    }
}

static void *subset_worker(void *arg)
{
    subset_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        size_t i = q->next++;
        pthread_mutex_unlock(&q->mu);
        if (i >= q->n)
            return NULL;
        run_job(q->order[i]);
    }
}

static int cmp_job_size(const void *a, const void *b)
{
    const subset_job *x = *(subset_job *const *)a, *y = *(subset_job *const *)b;
    if (x->n != y->n)
        return (x->n < y->n) - (x->n > y->n);
    return (x > y) - (x < y);
}

/* Fonts are subset two at a time (a second thread beside this one): each is read
 * from its own file and written to its own buffers, and a CJK report has three or
 * more large ones. The objects are built afterwards, on this thread, in the order
 * the fonts were first used, so the output does not depend on the threads. */
bool pdf_fonts_embed(pdf_ctx *c)
{
    bool ok = true;
    pb_pdf_cache *cache = c->opt.cache;
    subset_job *jobs = pb_xcalloc(c->n_fonts ? c->n_fonts : 1, sizeof *jobs);
    subset_queue q = {.order = pb_xcalloc(c->n_fonts ? c->n_fonts : 1, sizeof *q.order)};
    for (size_t i = 0; i < c->n_fonts; i++) {
        subset_job *j = &jobs[i];
        pdf_font *pf = c->fonts[i];
        j->pf = pf;
        j->n = pf->n_glyphs;
        j->compress = c->opt.compress;
        if (j->n == 0)
            continue;
        j->gids = pb_xmalloc(j->n * sizeof *j->gids);
        for (size_t k = 0; k < j->n; k++)
            j->gids[k] = pf->glyphs[k].gid;
        qsort(j->gids, j->n, sizeof *j->gids, cmp_u32);
        if (cache && pdf_cache_subset_lookup(cache, pf->font, j->gids, j->n, &j->codes, &j->program,
                                             &j->len))
            j->cached = true;
        else
            q.order[q.n++] = j;
    }
    qsort(q.order, q.n, sizeof *q.order, cmp_job_size);
    pthread_t thread;
    bool threaded =
        q.n > 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1 && pthread_mutex_init(&q.mu, NULL) == 0;
    if (threaded && pthread_create(&thread, NULL, subset_worker, &q) != 0) {
        pthread_mutex_destroy(&q.mu);
        threaded = false;
    }
    if (threaded) {
        subset_worker(&q);
        pthread_join(thread, NULL);
        pthread_mutex_destroy(&q.mu);
    } else {
        for (size_t i = 0; i < q.n; i++)
            run_job(q.order[i]);
    }

    for (size_t i = 0; i < c->n_fonts; i++) {
        subset_job *j = &jobs[i];
        pdf_font *pf = j->pf;
        if (j->n == 0)
            continue;
        if (j->cached) {
            for (size_t k = 0; k < j->n; k++)
                pf->glyphs[pf->slot[j->gids[k]] - 1].code = j->codes[k];
        } else if (j->made) {
            unsigned blen;
            j->program = hb_blob_get_data(j->made, &blen);
            j->len = blen;
            if (cache) {
                uint32_t *codes = pb_xmalloc(j->n * sizeof *codes);
                for (size_t k = 0; k < j->n; k++)
                    codes[k] = pf->glyphs[pf->slot[j->gids[k]] - 1].code;
                pdf_cache_subset_put(cache, pf->font, j->gids, j->n, codes, j->program, j->len);
                free(codes);
            }
        } else {
            pb_diag_add(c->diags, PB_ERROR, pb_font_path(pf->font), 0, 0, "%s", j->err);
            c->failed = true;
            ok = false;
            continue;
        }
        build_objects(c, pf, j->gids, j->n, j->program, j->len, j->z, j->z_len);
        j->z = NULL;
        if (!pdf_check(c, pb_font_path(pf->font), "cannot build the font objects"))
            ok = false;
    }
    for (size_t i = 0; i < c->n_fonts; i++) {
        hb_blob_destroy(jobs[i].made);
        free(jobs[i].z);
        free(jobs[i].gids);
    }
    free(jobs);
    free(q.order);
    return ok;
}
