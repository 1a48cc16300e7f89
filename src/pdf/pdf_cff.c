/* pdf_cff.c - CID-keyed CFF fonts: reads the glyph-to-CID table (charset) and
 * subsets a font to the glyphs a document uses. The PDF codes of a CIDFontType0 font
 * are CIDs, and the embedded subset's charset is what a viewer uses to find the glyph
 * for a CID (Adobe TN #5176). The subsetter exists because hb-subset spends most of
 * a build on a CJK font (it parses the whole cmap and CFF to plan any subset); ours
 * reads only the glyphs it keeps, so its cost follows the glyph count. */
#include "pdf_internal.h"

#include <string.h>

typedef struct cff_reader {
    const unsigned char *p;
    size_t len;
} cff_reader;

static uint32_t be(const unsigned char *p, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* ---- INDEX (TN #5176 §5) ---- */

typedef struct cff_index {
    uint32_t count;
    unsigned off_size;
    size_t offs; /* the offset array */
    size_t base; /* the byte before the data: offsets count from 1 */
    size_t end;  /* the first byte after the INDEX */
} cff_index;

static bool index_read(const cff_reader *r, size_t pos, cff_index *ix)
{
    memset(ix, 0, sizeof *ix);
    if (pos > r->len || r->len - pos < 2)
        return false;
    ix->count = be(r->p + pos, 2);
    if (ix->count == 0) {
        ix->end = pos + 2;
        return true;
    }
    if (r->len - pos < 3)
        return false;
    ix->off_size = r->p[pos + 2];
    if (ix->off_size < 1 || ix->off_size > 4)
        return false;
    ix->offs = pos + 3;
    size_t offs_len = ((size_t)ix->count + 1) * ix->off_size;
    if (offs_len > r->len - ix->offs)
        return false;
    ix->base = ix->offs + offs_len - 1;
    size_t last = be(r->p + ix->offs + (size_t)ix->count * ix->off_size, ix->off_size);
    if (last < 1 || last > r->len - ix->base)
        return false;
    ix->end = ix->base + last;
    return true;
}

/* Item i as the byte range [*s, *e). Offsets are checked one by one: a font may
 * have any garbage in an offset we never asked for. */
static bool index_item(const cff_reader *r, const cff_index *ix, uint32_t i, size_t *s, size_t *e)
{
    if (i >= ix->count)
        return false;
    size_t a = be(r->p + ix->offs + (size_t)i * ix->off_size, ix->off_size);
    size_t b = be(r->p + ix->offs + ((size_t)i + 1) * ix->off_size, ix->off_size);
    if (a < 1 || b < a || ix->base + b > ix->end)
        return false;
    *s = ix->base + a;
    *e = ix->base + b;
    return true;
}

/* ---- DICT (TN #5176 §4) ---- */

enum {
    OP_PRIVATE = 18,
    OP_SUBRS = 19,
    OP_CHARSET = 15,
    OP_ENCODING = 16,
    OP_CHARSTRINGS = 17,
    OP_ESC = 1200, /* escaped operators: 1200 + second byte */
    OP_CHARSTRING_TYPE = OP_ESC + 6,
    OP_ROS = OP_ESC + 30,
    OP_FDARRAY = OP_ESC + 36,
    OP_FDSELECT = OP_ESC + 37,
};

/* One operator with its operands: bytes [start, end); the operands end at op_pos. */
typedef struct dict_entry {
    size_t start, op_pos, end;
    int op;
    long arg[2]; /* the last two integer operands: arg[1] last (offsets; Private: size offset) */
} dict_entry;

static bool dict_next(const cff_reader *r, size_t *pos, size_t end, dict_entry *d)
{
    size_t q = *pos;
    d->start = q;
    d->arg[0] = d->arg[1] = 0;
    while (q < end) {
        unsigned b0 = r->p[q];
        long v = 0;
        if (b0 <= 21) {
            d->op_pos = q;
            if (b0 == 12) {
                if (q + 1 >= end)
                    return false;
                d->op = OP_ESC + r->p[q + 1];
                q += 2;
            } else {
                d->op = (int)b0;
                q += 1;
            }
            d->end = *pos = q;
            return true;
        } else if (b0 == 28) {
            if (end - q < 3)
                return false;
            v = (int16_t)be(r->p + q + 1, 2);
            q += 3;
        } else if (b0 == 29) {
            if (end - q < 5)
                return false;
            v = (int32_t)be(r->p + q + 1, 4);
            q += 5;
        } else if (b0 == 30) {
            /* a real: nibbles up to an 0xF terminator; never an offset */
            q++;
            while (q < end && (r->p[q] & 0x0F) != 0x0F && (r->p[q] & 0xF0) != 0xF0)
                q++;
            if (q >= end)
                return false;
            q++;
        } else if (b0 >= 32 && b0 <= 246) {
            v = (long)b0 - 139;
            q += 1;
        } else if (b0 >= 247 && b0 <= 250) {
            if (end - q < 2)
                return false;
            v = ((long)b0 - 247) * 256 + r->p[q + 1] + 108;
            q += 2;
        } else if (b0 >= 251 && b0 <= 254) {
            if (end - q < 2)
                return false;
            v = -((long)b0 - 251) * 256 - r->p[q + 1] - 108;
            q += 2;
        } else {
            return false;
        }
        d->arg[0] = d->arg[1];
        d->arg[1] = v;
    }
    return false; /* operands without an operator */
}

/* The entry for op in the DICT [s, e); false when absent or malformed. */
static bool dict_find(const cff_reader *r, size_t s, size_t e, int op, dict_entry *out)
{
    size_t q = s;
    dict_entry d;
    while (q < e) {
        if (!dict_next(r, &q, e, &d))
            return false;
        if (d.op == op) {
            *out = d;
            return true;
        }
    }
    return false;
}

/* An integer as a DICT operand in the fixed 5-byte form, so a DICT's size does not
 * depend on the offsets it holds and the layout can be computed before writing. */
static void put_int5(pb_buf *b, long v)
{
    unsigned char s[5] = {29, (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    pb_buf_add(b, s, 5);
}

static void put_op(pb_buf *b, int op)
{
    if (op >= OP_ESC) {
        unsigned char s[2] = {12, (unsigned char)(op - OP_ESC)};
        pb_buf_add(b, s, 2);
    } else {
        pb_buf_addc(b, (char)op);
    }
}

static void put_be(pb_buf *b, uint32_t v, unsigned n)
{
    unsigned char s[4];
    for (unsigned i = 0; i < n; i++)
        s[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
    pb_buf_add(b, s, n);
}

/* The smallest offset size that holds v (TN #5176 OffSize). */
static unsigned off_size_for(size_t v)
{
    return v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x1000000 ? 3 : 4;
}

/* An INDEX of n items whose data is data and whose item i ends at ends[i]. */
static void put_index(pb_buf *b, const size_t *ends, uint32_t n, const char *data, size_t len)
{
    put_be(b, n, 2);
    if (n == 0)
        return;
    unsigned os = off_size_for(len + 1);
    pb_buf_addc(b, (char)os);
    put_be(b, 1, os);
    for (uint32_t i = 0; i < n; i++)
        put_be(b, (uint32_t)(ends[i] + 1), os);
    pb_buf_add(b, data, len);
}

static size_t index_size(uint32_t n, size_t len)
{
    return n == 0 ? 2 : 3 + ((size_t)n + 1) * off_size_for(len + 1) + len;
}

/* ---- reading the charset ---- */

/* cids[i] = the CID of glyph gids[i] (gids ascending) from the charset at pos. */
static bool charset_lookup(const cff_reader *r, size_t pos, uint32_t n_glyphs, const uint32_t *gids,
                           size_t n, uint32_t *cids)
{
    if (pos >= r->len)
        return false;
    unsigned format = r->p[pos++];
    size_t k = 0;
    while (k < n && gids[k] == 0)
        cids[k++] = 0; /* .notdef is CID 0 and is not in the charset */
    if (format == 0) {
        if (n_glyphs > 0 && 2 * (size_t)(n_glyphs - 1) > r->len - pos)
            return false;
        for (; k < n; k++) {
            if (gids[k] >= n_glyphs)
                return false;
            cids[k] = be(r->p + pos + 2 * (size_t)(gids[k] - 1), 2);
        }
        return true;
    }
    if (format != 1 && format != 2)
        return false;
    unsigned n_left_size = format == 1 ? 1 : 2;
    uint32_t gid = 1; /* the glyph the next range starts at */
    while (k < n) {
        if (gid >= n_glyphs || r->len - pos < 2 + n_left_size)
            return false;
        uint32_t first = be(r->p + pos, 2);
        uint32_t n_left = be(r->p + pos + 2, n_left_size);
        pos += 2 + n_left_size;
        while (k < n && gids[k] <= gid + n_left) {
            cids[k] = first + (gids[k] - gid);
            k++;
        }
        gid += n_left + 1;
    }
    return true;
}

typedef struct cff_font {
    cff_reader r;
    size_t name_s, name_e;       /* the Name INDEX, copied */
    size_t top_s, top_e;         /* the Top DICT */
    size_t strings_s, strings_e; /* the String INDEX, copied */
    cff_index gsubrs;
    cff_index charstrings;
    long charset, fdselect;
    cff_index fdarray;
} cff_font;

static bool font_open(cff_font *f, const unsigned char *cff, size_t len)
{
    memset(f, 0, sizeof *f);
    f->r = (cff_reader){cff, len};
    const cff_reader *r = &f->r;
    if (len < 4 || cff[0] != 1)
        return false;
    cff_index names, tops, strings;
    /* Header, Name INDEX, Top DICT INDEX, String INDEX, Global Subr INDEX (§6-10) */
    if (!index_read(r, cff[2], &names) || !index_read(r, names.end, &tops) || tops.count < 1 ||
        !index_item(r, &tops, 0, &f->top_s, &f->top_e) || !index_read(r, tops.end, &strings) ||
        !index_read(r, strings.end, &f->gsubrs))
        return false;
    f->name_s = cff[2];
    f->name_e = names.end;
    f->strings_s = tops.end;
    f->strings_e = strings.end;
    return true;
}

/* The Top DICT entries that make it a CID-keyed font we can subset. */
static bool font_open_cid(cff_font *f)
{
    const cff_reader *r = &f->r;
    dict_entry d;
    bool ros = false, charstrings = false, fdarray = false, fdselect = false;
    f->charset = 0;
    size_t q = f->top_s;
    while (q < f->top_e) {
        if (!dict_next(r, &q, f->top_e, &d))
            return false;
        switch (d.op) {
        case OP_ROS:
            ros = true;
            break;
        case OP_CHARSET:
            f->charset = d.arg[1];
            break;
        case OP_CHARSTRINGS:
            charstrings = d.arg[1] > 0 && index_read(r, (size_t)d.arg[1], &f->charstrings);
            break;
        case OP_FDARRAY:
            fdarray = d.arg[1] > 0 && index_read(r, (size_t)d.arg[1], &f->fdarray);
            break;
        case OP_FDSELECT:
            f->fdselect = d.arg[1];
            fdselect = d.arg[1] > 0 && (size_t)d.arg[1] < r->len;
            break;
        case OP_CHARSTRING_TYPE:
            if (d.arg[1] != 2)
                return false;
            break;
        default:
            break;
        }
    }
    /* A CID-keyed font always has a custom charset (offset > 2). */
    return ros && charstrings && fdarray && fdselect && f->charset > 2 &&
           (size_t)f->charset < r->len && f->fdarray.count > 0 && f->charstrings.count > 0;
}

bool pdf_cff_read_cids(const unsigned char *cff, size_t len, uint32_t n_glyphs, uint32_t *cids)
{
    cff_font f;
    if (n_glyphs == 0 || !font_open(&f, cff, len) || !font_open_cid(&f) ||
        f.charstrings.count < n_glyphs)
        return false;
    /* every glyph, in order: the lookup walks the charset once */
    for (uint32_t g = 0; g < n_glyphs; g++)
        cids[g] = g;
    return charset_lookup(&f.r, (size_t)f.charset, n_glyphs, cids, n_glyphs, cids);
}

/* fds[i] = the Font DICT of glyph gids[i] (gids ascending), from FDSelect (§19). */
static bool fdselect_lookup(const cff_font *f, const uint32_t *gids, size_t n, uint8_t *fds)
{
    const cff_reader *r = &f->r;
    size_t pos = (size_t)f->fdselect;
    unsigned format = r->p[pos++];
    uint32_t n_glyphs = f->charstrings.count;
    if (format == 0) {
        if (n_glyphs > r->len - pos)
            return false;
        for (size_t k = 0; k < n; k++)
            fds[k] = r->p[pos + gids[k]];
    } else if (format == 3) {
        if (r->len - pos < 2)
            return false;
        uint32_t n_ranges = be(r->p + pos, 2);
        pos += 2;
        if (n_ranges == 0 || ((size_t)n_ranges * 3 + 2) > r->len - pos)
            return false;
        uint32_t i = 0;
        for (size_t k = 0; k < n; k++) {
            /* range i covers [first(i), first(i + 1)); the sentinel ends the last */
            while (i < n_ranges && be(r->p + pos + 3 * ((size_t)i + 1), 2) <= gids[k])
                i++;
            if (i >= n_ranges || be(r->p + pos + 3 * (size_t)i, 2) > gids[k])
                return false;
            fds[k] = r->p[pos + 3 * (size_t)i + 2];
        }
    } else {
        return false;
    }
    for (size_t k = 0; k < n; k++)
        if (fds[k] >= f->fdarray.count)
            return false;
    return true;
}

/* ---- desubroutinizing charstrings (Type 2, Adobe TN #5177) ---- */

/* Subroutines nest at most 10 deep (TN #5177 Appendix B). */
#define CS_MAX_DEPTH 10
/* A glyph's charstring with every subroutine call inlined; real glyphs stay below a
 * few KB, so more means a font built to blow up and we leave it to hb-subset. */
#define CS_MAX_GLYPH_BYTES (256u * 1024u)

typedef struct cs_ctx {
    const cff_reader *r;
    const cff_index *gsubrs, *lsubrs;
    long gbias, lbias;
    pb_buf *out;
    size_t glyph_start;   /* where this glyph's charstring starts in out */
    int count;            /* operands on the stack */
    int stems;            /* for the length of hintmask and cntrmask */
    size_t args_pos;      /* where the operands on the stack start in out */
    size_t first_arg_end; /* and where the first of them ends */
    bool cleared;         /* an operator has cleared the stack: no width can follow */
    bool ended;
    bool last_is_num; /* the last thing written was a number: a call's operand */
    size_t last_num_pos;
    long last_num;
} cs_ctx;

/* Appends to the charstrings. Inline with no terminating NUL: this runs for every
 * byte of every glyph, and pb_buf_add's call and NUL cost as much as the copy. */
static inline void cs_put(cs_ctx *c, const unsigned char *p, size_t n)
{
    pb_buf *b = c->out;
    if (b->cap - b->len < n + 1)
        pb_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);
    for (size_t i = 0; i < n; i++)
        b->data[b->len + i] = (char)p[i];
    b->len += n;
}

static long subr_bias(uint32_t count)
{
    return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

/* Hints go, as with hb-subset's NO_HINTING: a PDF viewer scales glyphs to any size
 * and the stems and masks are a large part of a CJK glyph's bytes. A hint operator's
 * operands go with it, except a glyph's advance width, which is the odd first operand
 * of the first operator that clears the stack (TN #5177 §4.1). */
static void drop_hint_args(cs_ctx *c)
{
    if (c->count > 0) {
        c->out->len = !c->cleared && (c->count & 1) ? c->first_arg_end : c->args_pos;
    }
    c->count = 0;
    c->cleared = true;
}

static bool cs_run(cs_ctx *c, size_t s, size_t e, int depth)
{
    const unsigned char *p = c->r->p;
    size_t i = s;
    while (i < e) {
        unsigned b = p[i];
        if (b == 28 || b >= 32) {
            size_t n = b == 28 ? 3 : b <= 246 ? 1 : b <= 254 ? 2 : 5;
            if (e - i < n)
                return false;
            long v;
            if (b == 28)
                v = (int16_t)be(p + i + 1, 2);
            else if (b <= 246)
                v = (long)b - 139;
            else if (b <= 250)
                v = ((long)b - 247) * 256 + p[i + 1] + 108;
            else if (b <= 254)
                v = -((long)b - 251) * 256 - p[i + 1] - 108;
            else
                v = (int32_t)be(p + i + 1, 4) >> 16; /* 16.16 fixed */
            c->last_num_pos = c->out->len;
            c->last_num = v;
            c->last_is_num = true;
            if (c->count == 0)
                c->args_pos = c->out->len;
            cs_put(c, p + i, n);
            if (c->count == 0)
                c->first_arg_end = c->out->len;
            c->count++;
            i += n;
            continue;
        }
        bool after_num = c->last_is_num;
        c->last_is_num = false;
        switch (b) {
        case 1:  /* hstem */
        case 3:  /* vstem */
        case 18: /* hstemhm */
        case 23: /* vstemhm */
            c->stems += c->count / 2;
            drop_hint_args(c);
            i++;
            break;
        case 19:   /* hintmask */
        case 20: { /* cntrmask */
            /* operands left here are the stems of an implied vstem */
            c->stems += c->count / 2;
            drop_hint_args(c);
            size_t n = 1 + ((size_t)c->stems + 7) / 8;
            if (e - i < n)
                return false;
            i += n;
            break;
        }
        case 10:   /* callsubr */
        case 29: { /* callgsubr */
            /* the operand is the number just written; the call and it vanish */
            if (!after_num || c->count < 1 || depth >= CS_MAX_DEPTH)
                return false;
            const cff_index *subrs = b == 10 ? c->lsubrs : c->gsubrs;
            long idx = c->last_num + (b == 10 ? c->lbias : c->gbias);
            size_t ss, se;
            if (!subrs || idx < 0 || !index_item(c->r, subrs, (uint32_t)idx, &ss, &se))
                return false;
            c->out->len = c->last_num_pos;
            c->count--;
            i++;
            if (!cs_run(c, ss, se, depth + 1))
                return false;
            if (c->ended)
                return true;
            break;
        }
        case 11: /* return */
            return depth > 0;
        case 14: /* endchar */
            cs_put(c, p + i, 1);
            c->ended = true;
            return true;
        case 12: {
            if (e - i < 2)
                return false;
            unsigned b1 = p[i + 1];
            /* flex, hflex, hflex1, flex1; dotsection (0) is obsolete and ignored by
             * every reader. The arithmetic operators would make the operand count
             * depend on values: no font we embed uses them, hb-subset gets those. */
            if (!(b1 == 0 || (b1 >= 34 && b1 <= 37)))
                return false;
            cs_put(c, p + i, 2);
            c->count = 0;
            c->cleared = true;
            i += 2;
            break;
        }
        case 4:
        case 5:
        case 6:
        case 7:
        case 8:
        case 21:
        case 22:
        case 24:
        case 25:
        case 26:
        case 27:
        case 30:
        case 31:
            cs_put(c, p + i, 1);
            c->count = 0;
            c->cleared = true;
            i++;
            break;
        default: /* reserved operators */
            return false;
        }
        if (c->out->len - c->glyph_start > CS_MAX_GLYPH_BYTES)
            return false;
    }
    return depth == 0; /* a subroutine must end in return or endchar */
}

/* ---- the subset ---- */

/* What we need of one Font DICT of the source. */
typedef struct fd_info {
    bool used;
    uint8_t new_index;
    size_t dict_s, dict_e; /* the Font DICT */
    size_t priv_s, priv_e; /* its Private DICT */
    cff_index lsubrs;      /* its local subroutines (count 0: none) */
    pb_buf priv;           /* the Private DICT as written: without Subrs */
} fd_info;

static bool fd_open(const cff_font *f, uint32_t i, fd_info *fd)
{
    const cff_reader *r = &f->r;
    dict_entry d;
    if (!index_item(r, &f->fdarray, i, &fd->dict_s, &fd->dict_e) ||
        !dict_find(r, fd->dict_s, fd->dict_e, OP_PRIVATE, &d))
        return false;
    long size = d.arg[0], off = d.arg[1];
    if (size < 0 || off < 0 || (size_t)off > r->len || (size_t)size > r->len - (size_t)off)
        return false;
    fd->priv_s = (size_t)off;
    fd->priv_e = (size_t)(off + size);
    /* the Private DICT without Subrs: our charstrings call nothing */
    size_t q = fd->priv_s;
    while (q < fd->priv_e) {
        if (!dict_next(r, &q, fd->priv_e, &d))
            return false;
        if (d.op == OP_SUBRS) {
            if (d.arg[1] <= 0 || !index_read(r, fd->priv_s + (size_t)d.arg[1], &fd->lsubrs))
                return false;
            continue;
        }
        pb_buf_add(&fd->priv, r->p + d.start, d.end - d.start);
    }
    return true;
}

bool pdf_cff_subset(const unsigned char *cff, size_t len, const uint32_t *gids, size_t n,
                    pb_buf *out, uint32_t *cids)
{
    cff_font f;
    const cff_reader *r = &f.r;
    uint8_t *fds = NULL;
    fd_info *fd = NULL;
    size_t top_len = 0, fd_dict_len = 0;
    size_t *cs_ends = NULL, *fd_ends = NULL;
    pb_buf cs, top, charset, fdselect, fdarray;
    pb_buf_init(&cs);
    pb_buf_init(&top);
    pb_buf_init(&charset);
    pb_buf_init(&fdselect);
    pb_buf_init(&fdarray);
    bool ok = false;
    size_t n_fd = 0;

    if (n == 0 || gids[0] != 0 || !font_open(&f, cff, len) || !font_open_cid(&f))
        goto fail;
    for (size_t k = 0; k < n; k++)
        if (gids[k] >= f.charstrings.count || (k && gids[k] <= gids[k - 1]))
            goto fail;
    n_fd = f.fdarray.count;
    if (n_fd > 256)
        goto fail; /* FDSelect indexes are one byte */
    fds = pb_xmalloc(n);
    fd = pb_xcalloc(n_fd, sizeof *fd);
    for (size_t i = 0; i < n_fd; i++)
        pb_buf_init(&fd[i].priv);
    if (!charset_lookup(r, (size_t)f.charset, f.charstrings.count, gids, n, cids) ||
        !fdselect_lookup(&f, gids, n, fds))
        goto fail;

    /* the Font DICTs the glyphs use, in their original order */
    unsigned n_used = 0;
    for (size_t k = 0; k < n; k++)
        fd[fds[k]].used = true;
    for (size_t i = 0; i < n_fd; i++) {
        if (!fd[i].used)
            continue;
        if (!fd_open(&f, (uint32_t)i, &fd[i]))
            goto fail;
        fd[i].new_index = n_used++;
    }

    /* CharStrings, desubroutinized */
    cs_ends = pb_xmalloc(n * sizeof *cs_ends);
    long gbias = subr_bias(f.gsubrs.count);
    for (size_t k = 0; k < n; k++) {
        const fd_info *g = &fd[fds[k]];
        size_t s, e;
        if (!index_item(r, &f.charstrings, gids[k], &s, &e))
            goto fail;
        cs_ctx c = {.r = r,
                    .gsubrs = &f.gsubrs,
                    .lsubrs = &g->lsubrs,
                    .gbias = gbias,
                    .lbias = subr_bias(g->lsubrs.count),
                    .out = &cs,
                    .glyph_start = cs.len};
        if (!cs_run(&c, s, e, 0))
            goto fail;
        cs_ends[k] = cs.len;
    }

    /* charset (§13): format 0 lists every CID, format 2 runs of consecutive ones */
    size_t runs = 0;
    for (size_t k = 1; k < n; k++)
        if (k == 1 || cids[k] != cids[k - 1] + 1)
            runs++;
    if (runs * 4 < (n - 1) * 2) {
        pb_buf_addc(&charset, 2);
        for (size_t k = 1; k < n;) {
            size_t j = k + 1;
            while (j < n && cids[j] == cids[j - 1] + 1 && j - k < 0xFFFF)
                j++;
            put_be(&charset, cids[k], 2);
            put_be(&charset, (uint32_t)(j - k - 1), 2);
            k = j;
        }
    } else {
        pb_buf_addc(&charset, 0);
        for (size_t k = 1; k < n; k++)
            put_be(&charset, cids[k], 2);
    }
    for (size_t k = 0; k < n; k++)
        if (cids[k] > 0xFFFF)
            goto fail;

    /* FDSelect (§19): format 3 when it has few ranges */
    size_t fd_runs = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || fds[k] != fds[k - 1])
            fd_runs++;
    if (2 + 3 * fd_runs + 2 < n) {
        pb_buf_addc(&fdselect, 3);
        put_be(&fdselect, (uint32_t)fd_runs, 2);
        for (size_t k = 0; k < n; k++)
            if (k == 0 || fds[k] != fds[k - 1]) {
                put_be(&fdselect, (uint32_t)k, 2);
                pb_buf_addc(&fdselect, (char)fd[fds[k]].new_index);
            }
        put_be(&fdselect, (uint32_t)n, 2);
    } else {
        pb_buf_addc(&fdselect, 0);
        for (size_t k = 0; k < n; k++)
            pb_buf_addc(&fdselect, (char)fd[fds[k]].new_index);
    }

    /* Sizes first: every offset we write is a 5-byte integer, so DICT sizes do not
     * depend on the offsets and one pass of arithmetic places everything. */
    {
        size_t q = f.top_s;
        dict_entry d;
        while (q < f.top_e) {
            if (!dict_next(r, &q, f.top_e, &d))
                goto fail;
            switch (d.op) {
            case OP_CHARSET:
            case OP_CHARSTRINGS:
                top_len += 6;
                break;
            case OP_FDARRAY:
            case OP_FDSELECT:
                top_len += 7;
                break;
            case OP_PRIVATE:
            case OP_ENCODING:
                break; /* not in a CIDFont's Top DICT */
            default:
                top_len += d.end - d.start;
            }
        }
    }
    /* all Font DICTs, each with an 11-byte Private */
    fd_ends = pb_xmalloc((size_t)(n_used ? n_used : 1) * sizeof *fd_ends);
    {
        size_t k = 0;
        for (size_t i = 0; i < n_fd; i++) {
            if (!fd[i].used)
                continue;
            size_t q = fd[i].dict_s;
            dict_entry d;
            while (q < fd[i].dict_e) {
                if (!dict_next(r, &q, fd[i].dict_e, &d))
                    goto fail;
                fd_dict_len += d.op == OP_PRIVATE ? 11 : d.end - d.start;
            }
            fd_ends[k++] = fd_dict_len;
        }
    }
    size_t pos = 4 + (f.name_e - f.name_s);
    pos += index_size(1, top_len);
    pos += f.strings_e - f.strings_s;
    pos += 2; /* no global subroutines */
    size_t charset_at = pos;
    pos += charset.len;
    size_t fdselect_at = pos;
    pos += fdselect.len;
    size_t charstrings_at = pos;
    pos += index_size((uint32_t)n, cs.len);
    size_t fdarray_at = pos;
    pos += index_size(n_used, fd_dict_len);
    size_t priv_at = pos;

    /* Top DICT: the source's, with our offsets; ROS stays first (§18) */
    {
        size_t q = f.top_s;
        dict_entry d;
        while (q < f.top_e) {
            dict_next(r, &q, f.top_e, &d);
            long v;
            switch (d.op) {
            case OP_CHARSET:
                v = (long)charset_at;
                break;
            case OP_CHARSTRINGS:
                v = (long)charstrings_at;
                break;
            case OP_FDARRAY:
                v = (long)fdarray_at;
                break;
            case OP_FDSELECT:
                v = (long)fdselect_at;
                break;
            case OP_PRIVATE:
            case OP_ENCODING:
                continue;
            default:
                pb_buf_add(&top, r->p + d.start, d.end - d.start);
                continue;
            }
            put_int5(&top, v);
            put_op(&top, d.op);
        }
    }
    /* Font DICTs, each pointing at its Private DICT after them */
    {
        size_t at = priv_at;
        for (size_t i = 0; i < n_fd; i++) {
            if (!fd[i].used)
                continue;
            size_t q = fd[i].dict_s;
            dict_entry d;
            while (q < fd[i].dict_e) {
                dict_next(r, &q, fd[i].dict_e, &d);
                if (d.op != OP_PRIVATE) {
                    pb_buf_add(&fdarray, r->p + d.start, d.end - d.start);
                    continue;
                }
                put_int5(&fdarray, (long)fd[i].priv.len);
                put_int5(&fdarray, (long)at);
                put_op(&fdarray, OP_PRIVATE);
            }
            at += fd[i].priv.len;
        }
    }

    /* assemble */
    const unsigned char header[4] = {1, 0, 4, 4};
    pb_buf_add(out, header, 4);
    pb_buf_add(out, r->p + f.name_s, f.name_e - f.name_s);
    size_t one = top.len;
    put_index(out, &one, 1, top.data, top.len);
    pb_buf_add(out, r->p + f.strings_s, f.strings_e - f.strings_s);
    put_be(out, 0, 2);
    pb_buf_add(out, charset.data, charset.len);
    pb_buf_add(out, fdselect.data, fdselect.len);
    put_index(out, cs_ends, (uint32_t)n, cs.data, cs.len);
    put_index(out, fd_ends, n_used, fdarray.data, fdarray.len);
    for (size_t i = 0; i < n_fd; i++)
        if (fd[i].used)
            pb_buf_add(out, fd[i].priv.data, fd[i].priv.len);
    ok = true;

fail:
    if (fd)
        for (size_t i = 0; i < n_fd; i++)
            pb_buf_free(&fd[i].priv);
    free(fd);
    free(fds);
    free(cs_ends);
    free(fd_ends);
    pb_buf_free(&cs);
    pb_buf_free(&top);
    pb_buf_free(&charset);
    pb_buf_free(&fdselect);
    pb_buf_free(&fdarray);
    return ok;
}
