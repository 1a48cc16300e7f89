/* pdf_ttf.c - subsets a TrueType-outline font to the glyphs a document uses, for a
 * CIDFontType2 whose codes are the subset's glyph ids (CIDToGIDMap /Identity). The
 * program keeps only what such a font is read by (PDF 32000 §9.9): glyf, loca, head,
 * hhea, hmtx, maxp; hinting instructions go, as with hb-subset's NO_HINTING. We do
 * it ourselves because hb-subset first maps the whole cmap of a CJK font, which cost
 * more than the rest of the PDF stage; this reads only the glyphs it keeps. */
#include "pdf_internal.h"

#include <stdlib.h>
#include <string.h>

/* Composite glyph flags (OpenType 'glyf' table). */
enum {
    ARG_1_AND_2_ARE_WORDS = 0x0001,
    WE_HAVE_A_SCALE = 0x0008,
    MORE_COMPONENTS = 0x0020,
    WE_HAVE_AN_X_AND_Y_SCALE = 0x0040,
    WE_HAVE_A_TWO_BY_TWO = 0x0080,
    WE_HAVE_INSTRUCTIONS = 0x0100,
};

typedef struct tt_table {
    hb_blob_t *blob;
    const unsigned char *p;
    size_t len;
} tt_table;

typedef struct tt_font {
    tt_table glyf, loca, head, hhea, hmtx, maxp;
    uint32_t n_glyphs, n_hmetrics;
    bool long_loca;
} tt_font;

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void set32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void table_get(hb_face_t *face, hb_tag_t tag, tt_table *t)
{
    unsigned len;
    t->blob = hb_face_reference_table(face, tag);
    t->p = (const unsigned char *)hb_blob_get_data(t->blob, &len);
    t->len = len;
}

static bool font_open(hb_face_t *face, tt_font *f)
{
    table_get(face, HB_TAG('g', 'l', 'y', 'f'), &f->glyf);
    table_get(face, HB_TAG('l', 'o', 'c', 'a'), &f->loca);
    table_get(face, HB_TAG('h', 'e', 'a', 'd'), &f->head);
    table_get(face, HB_TAG('h', 'h', 'e', 'a'), &f->hhea);
    table_get(face, HB_TAG('h', 'm', 't', 'x'), &f->hmtx);
    table_get(face, HB_TAG('m', 'a', 'x', 'p'), &f->maxp);
    if (f->head.len < 54 || f->hhea.len < 36 || f->maxp.len < 6)
        return false;
    f->n_glyphs = be16(f->maxp.p + 4);
    f->n_hmetrics = be16(f->hhea.p + 34);
    f->long_loca = be16(f->head.p + 50) != 0;
    return f->n_glyphs > 0 && f->n_hmetrics > 0 && f->n_hmetrics <= f->n_glyphs &&
           f->loca.len >= ((size_t)f->n_glyphs + 1) * (f->long_loca ? 4 : 2) &&
           f->hmtx.len >= (size_t)f->n_hmetrics * 4 + ((size_t)f->n_glyphs - f->n_hmetrics) * 2;
}

static void font_close(tt_font *f)
{
    hb_blob_destroy(f->glyf.blob);
    hb_blob_destroy(f->loca.blob);
    hb_blob_destroy(f->head.blob);
    hb_blob_destroy(f->hhea.blob);
    hb_blob_destroy(f->hmtx.blob);
    hb_blob_destroy(f->maxp.blob);
}

/* Glyph g's bytes in glyf. */
static bool glyph_range(const tt_font *f, uint32_t g, size_t *off, size_t *len)
{
    size_t a, b;
    if (f->long_loca) {
        a = be32(f->loca.p + 4 * (size_t)g);
        b = be32(f->loca.p + 4 * (size_t)g + 4);
    } else {
        a = 2 * (size_t)be16(f->loca.p + 2 * (size_t)g);
        b = 2 * (size_t)be16(f->loca.p + 2 * (size_t)g + 2);
    }
    if (b < a || b > f->glyf.len)
        return false;
    *off = a;
    *len = b - a;
    return true;
}

/* Walks the components of a composite glyph (p, len): calls fn with the position of
 * each component's glyph index. Sets *end to the end of the last component (where
 * the instructions start). */
typedef bool (*component_fn)(void *ctx, size_t gid_pos);
static bool walk_components(const unsigned char *p, size_t len, component_fn fn, void *ctx,
                            size_t *end)
{
    size_t q = 10; /* after the glyph header */
    for (;;) {
        if (q > len || len - q < 4)
            return false;
        uint32_t flags = be16(p + q);
        if (!fn(ctx, q + 2))
            return false;
        q += 4;
        q += flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2;
        if (flags & WE_HAVE_A_SCALE)
            q += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
            q += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO)
            q += 8;
        if (q > len)
            return false;
        if (!(flags & MORE_COMPONENTS))
            break;
    }
    *end = q;
    return true;
}

/* ---- which glyphs: the used ones, .notdef, and the components of composites ---- */

typedef struct closure {
    const tt_font *f;
    uint8_t *keep; /* bitmap over the font's glyphs */
    uint32_t *work;
    size_t n_work, cap_work;
    const unsigned char *glyph;
} closure;

static void keep_glyph(closure *cl, uint32_t g)
{
    if (cl->keep[g >> 3] & (1u << (g & 7)))
        return;
    cl->keep[g >> 3] |= (uint8_t)(1u << (g & 7));
    PB_PUSH(cl->work, cl->n_work, cl->cap_work, g);
}

static bool add_component(void *ctx, size_t gid_pos)
{
    closure *cl = ctx;
    uint32_t g = be16(cl->glyph + gid_pos);
    if (g >= cl->f->n_glyphs)
        return false;
    keep_glyph(cl, g);
    return true;
}

/* ---- rewriting composites ---- */

typedef struct remap {
    const uint32_t *kept; /* old ids, ascending: the new id is the index */
    size_t n_kept;
    unsigned char *glyph; /* the copy being written */
} remap;

static uint32_t new_id(const uint32_t *kept, size_t n, uint32_t old)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kept[mid] < old)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo; /* present: the closure put every component in */
}

static bool remap_component(void *ctx, size_t gid_pos)
{
    remap *rm = ctx;
    set16(rm->glyph + gid_pos, new_id(rm->kept, rm->n_kept, be16(rm->glyph + gid_pos)));
    return true;
}

static bool component_ok(void *ctx, size_t gid_pos)
{
    (void)ctx;
    (void)gid_pos;
    return true;
}

static bool clear_instructions_flag(void *ctx, size_t gid_pos)
{
    unsigned char *glyph = ctx;
    uint32_t flags = be16(glyph + gid_pos - 2) & ~(uint32_t)WE_HAVE_INSTRUCTIONS;
    set16(glyph + gid_pos - 2, flags);
    return true;
}

/* Appends glyph g without its instructions, components renumbered. */
static bool copy_glyph(const tt_font *f, uint32_t g, const uint32_t *kept, size_t n_kept,
                       pb_buf *out)
{
    size_t off, len;
    if (!glyph_range(f, g, &off, &len))
        return false;
    if (len == 0)
        return true;
    if (len < 10)
        return false;
    const unsigned char *p = f->glyf.p + off;
    int16_t contours = (int16_t)be16(p);
    size_t start = out->len;
    if (contours >= 0) {
        /* header, endPtsOfContours, instructionLength, instructions, the rest */
        size_t ins_at = 10 + 2 * (size_t)contours;
        if (len < ins_at + 2)
            return false;
        size_t ins_len = be16(p + ins_at);
        if (len - ins_at - 2 < ins_len)
            return false;
        pb_buf_add(out, p, ins_at);
        pb_buf_add(out, "\0\0", 2);
        pb_buf_add(out, p + ins_at + 2 + ins_len, len - ins_at - 2 - ins_len);
    } else {
        size_t end;
        remap rm = {kept, n_kept, NULL};
        /* validate and find the end first, on the source */
        if (!walk_components(p, len, component_ok, NULL, &end))
            return false;
        pb_buf_add(out, p, end);
        rm.glyph = (unsigned char *)out->data + start;
        walk_components(rm.glyph, end, remap_component, &rm, &end);
        walk_components(rm.glyph, end, clear_instructions_flag, rm.glyph, &end);
    }
    /* 4-byte aligned glyphs, as the long loca format recommends */
    while ((out->len - start) & 3)
        pb_buf_addc(out, 0);
    return true;
}

static void put16(pb_buf *b, uint32_t v)
{
    unsigned char s[2];
    set16(s, v);
    pb_buf_add(b, s, 2);
}

static void put32(pb_buf *b, uint32_t v)
{
    unsigned char s[4];
    set32(s, v);
    pb_buf_add(b, s, 4);
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += be32(p + i);
    if (i < len) {
        unsigned char last[4] = {0, 0, 0, 0};
        memcpy(last, p + i, len - i);
        sum += be32(last);
    }
    return sum;
}

bool pdf_ttf_subset(hb_face_t *face, const uint32_t *gids, size_t n, pb_buf *out, uint32_t *codes)
{
    tt_font f;
    memset(&f, 0, sizeof f);
    closure cl = {&f, NULL, NULL, 0, 0, NULL};
    uint32_t *kept = NULL;
    size_t n_kept = 0;
    pb_buf glyf, loca, hmtx;
    pb_buf_init(&glyf);
    pb_buf_init(&loca);
    pb_buf_init(&hmtx);
    bool ok = false;

    if (!font_open(face, &f))
        goto fail;
    cl.keep = pb_xcalloc(((size_t)f.n_glyphs + 7) / 8, 1);
    keep_glyph(&cl, 0); /* .notdef draws characters no font has */
    for (size_t k = 0; k < n; k++) {
        if (gids[k] >= f.n_glyphs)
            goto fail;
        keep_glyph(&cl, gids[k]);
    }
    /* components of composites, and theirs: the bitmap stops a cycle */
    while (cl.n_work) {
        uint32_t g = cl.work[--cl.n_work];
        size_t off, len, end;
        if (!glyph_range(&f, g, &off, &len))
            goto fail;
        if (len >= 10 && (int16_t)be16(f.glyf.p + off) < 0) {
            cl.glyph = f.glyf.p + off;
            if (!walk_components(cl.glyph, len, add_component, &cl, &end))
                goto fail;
        }
    }
    kept = pb_xmalloc(((size_t)f.n_glyphs) * sizeof *kept);
    for (uint32_t g = 0; g < f.n_glyphs; g++)
        if (cl.keep[g >> 3] & (1u << (g & 7)))
            kept[n_kept++] = g;
    if (n_kept > 0xFFFF)
        goto fail;

    /* glyf, loca (long), hmtx (a full metric per glyph) */
    for (size_t k = 0; k < n_kept; k++) {
        uint32_t g = kept[k];
        put32(&loca, (uint32_t)glyf.len);
        if (!copy_glyph(&f, g, kept, n_kept, &glyf))
            goto fail;
        uint32_t m = g < f.n_hmetrics ? g : f.n_hmetrics - 1;
        put16(&hmtx, be16(f.hmtx.p + 4 * (size_t)m));
        /* past the long metrics, left side bearings alone (OpenType 'hmtx') */
        size_t lsb_at = g < f.n_hmetrics
                            ? 4 * (size_t)g + 2
                            : 4 * (size_t)f.n_hmetrics + 2 * (size_t)(g - f.n_hmetrics);
        put16(&hmtx, be16(f.hmtx.p + lsb_at));
    }
    put32(&loca, (uint32_t)glyf.len);
    if (glyf.len == 0)
        put32(&glyf, 0); /* an empty glyf table would be no table at all */
    for (size_t k = 0; k < n; k++)
        codes[k] = new_id(kept, n_kept, gids[k]);

    unsigned char head[54], hhea[36];
    memcpy(head, f.head.p, 54);
    memcpy(hhea, f.hhea.p, 36);
    set32(head + 8, 0);  /* checkSumAdjustment, set below */
    set16(head + 50, 1); /* indexToLocFormat: long */
    set16(hhea + 34, (uint32_t)n_kept);
    size_t maxp_len = f.maxp.len >= 32 ? 32 : 6;
    unsigned char maxp[32];
    memcpy(maxp, f.maxp.p, maxp_len);
    set16(maxp + 4, (uint32_t)n_kept);

    /* the sfnt: tables in tag order, each 4-byte aligned (OpenType 'Font file') */
    const struct {
        const char *tag;
        const unsigned char *p;
        size_t len;
    } tables[] = {
        {"glyf", (const unsigned char *)glyf.data, glyf.len},
        {"head", head, sizeof head},
        {"hhea", hhea, sizeof hhea},
        {"hmtx", (const unsigned char *)hmtx.data, hmtx.len},
        {"loca", (const unsigned char *)loca.data, loca.len},
        {"maxp", maxp, maxp_len},
    };
    const uint32_t n_tables = PB_COUNT(tables);
    size_t base = out->len;
    put32(out, 0x00010000);
    put16(out, n_tables);
    put16(out, 64); /* searchRange: 16 * the largest power of two <= 6 */
    put16(out, 2);  /* entrySelector: log2 of that */
    put16(out, n_tables * 16 - 64);
    size_t at = 12 + 16 * (size_t)n_tables, head_at = 0;
    for (size_t i = 0; i < n_tables; i++) {
        pb_buf_add(out, tables[i].tag, 4);
        put32(out, checksum(tables[i].p, tables[i].len));
        put32(out, (uint32_t)at);
        put32(out, (uint32_t)tables[i].len);
        if (!strcmp(tables[i].tag, "head"))
            head_at = at;
        at += (tables[i].len + 3) & ~(size_t)3;
    }
    for (size_t i = 0; i < n_tables; i++) {
        pb_buf_add(out, tables[i].p, tables[i].len);
        while ((out->len - base) & 3)
            pb_buf_addc(out, 0);
    }
    /* the whole font sums to 0xB1B0AFBA (OpenType 'head') */
    set32((unsigned char *)out->data + base + head_at + 8,
          0xB1B0AFBAu - checksum((const unsigned char *)out->data + base, out->len - base));
    ok = true;

fail:
    font_close(&f);
    free(cl.keep);
    free(cl.work);
    free(kept);
    pb_buf_free(&glyf);
    pb_buf_free(&loca);
    pb_buf_free(&hmtx);
    return ok;
}
