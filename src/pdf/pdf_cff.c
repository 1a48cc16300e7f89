/* pdf_cff.c - reads the glyph-to-CID table (charset) of a CID-keyed CFF font.
 * The PDF codes of a CIDFontType0 font are CIDs, and the embedded subset's charset
 * is what a viewer uses to find the glyph for a CID (Adobe TN #5176). */
#include "pdf_internal.h"

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

/* An INDEX at pos (TN #5176 §5): sets the start of its first object's data and the
 * position after it; the caller only needs item 0 and the count. */
static bool read_index(const cff_reader *r, size_t pos, uint32_t *count, size_t *item0,
                       size_t *item0_end, size_t *end)
{
    if (pos + 2 > r->len)
        return false;
    *count = be(r->p + pos, 2);
    if (*count == 0) {
        *item0 = *item0_end = *end = pos + 2;
        return true;
    }
    if (pos + 3 > r->len)
        return false;
    unsigned off_size = r->p[pos + 2];
    if (off_size < 1 || off_size > 4)
        return false;
    size_t offs = pos + 3;
    size_t offs_len = ((size_t)*count + 1) * off_size;
    if (offs + offs_len > r->len)
        return false;
    size_t base = offs + offs_len - 1; /* offsets count from 1 */
    size_t first = be(r->p + offs, off_size);
    size_t second = be(r->p + offs + off_size, off_size);
    size_t last = be(r->p + offs + (size_t)*count * off_size, off_size);
    if (first < 1 || second < first || last < second || base + last > r->len)
        return false;
    *item0 = base + first;
    *item0_end = base + second;
    *end = base + last;
    return true;
}

/* Scans the Top DICT for the operators we need (TN #5176 Table 9). */
static bool read_top_dict(const cff_reader *r, size_t s, size_t e, bool *ros, long *charset,
                          long *charstrings)
{
    long operand = 0; /* the last integer operand: all operators we read take one */
    *ros = false;
    *charset = 0;
    *charstrings = -1;
    size_t q = s;
    while (q < e) {
        unsigned b0 = r->p[q];
        if (b0 == 12) {
            if (q + 1 >= e)
                return false;
            if (r->p[q + 1] == 30)
                *ros = true;
            q += 2;
        } else if (b0 <= 21) {
            if (b0 == 15)
                *charset = operand;
            else if (b0 == 17)
                *charstrings = operand;
            q += 1;
        } else if (b0 == 28) {
            if (q + 3 > e)
                return false;
            operand = (int16_t)be(r->p + q + 1, 2);
            q += 3;
        } else if (b0 == 29) {
            if (q + 5 > e)
                return false;
            operand = (int32_t)be(r->p + q + 1, 4);
            q += 5;
        } else if (b0 == 30) {
            /* a real: nibbles up to an 0xF terminator; never an offset */
            q++;
            while (q < e && (r->p[q] & 0x0F) != 0x0F && (r->p[q] & 0xF0) != 0xF0)
                q++;
            q++;
            operand = 0;
        } else if (b0 >= 32 && b0 <= 246) {
            operand = (long)b0 - 139;
            q += 1;
        } else if (b0 >= 247 && b0 <= 250) {
            if (q + 2 > e)
                return false;
            operand = ((long)b0 - 247) * 256 + r->p[q + 1] + 108;
            q += 2;
        } else if (b0 >= 251 && b0 <= 254) {
            if (q + 2 > e)
                return false;
            operand = -((long)b0 - 251) * 256 - r->p[q + 1] - 108;
            q += 2;
        } else {
            return false;
        }
    }
    return true;
}

bool pdf_cff_read_cids(const unsigned char *cff, size_t len, uint32_t n_glyphs, uint32_t *cids)
{
    cff_reader r = {cff, len};
    if (len < 4 || n_glyphs == 0)
        return false;
    uint32_t count;
    size_t item0, item0_end, end;
    /* Header, then the Name INDEX, then the Top DICT INDEX (TN #5176 §6-8). */
    if (!read_index(&r, cff[2], &count, &item0, &item0_end, &end))
        return false;
    if (!read_index(&r, end, &count, &item0, &item0_end, &end) || count < 1)
        return false;
    bool ros;
    long charset, charstrings;
    if (!read_top_dict(&r, item0, item0_end, &ros, &charset, &charstrings))
        return false;
    /* A CID-keyed font always has a custom charset (offset > 2). */
    if (!ros || charset <= 2 || (size_t)charset >= len || charstrings <= 0)
        return false;
    size_t cs0, cs0_end, cs_end;
    uint32_t n_charstrings;
    if (!read_index(&r, (size_t)charstrings, &n_charstrings, &cs0, &cs0_end, &cs_end) ||
        n_charstrings < n_glyphs)
        return false;

    size_t pos = (size_t)charset;
    unsigned format = cff[pos++];
    cids[0] = 0; /* .notdef is CID 0 and is not in the charset */
    uint32_t gid = 1;
    if (format == 0) {
        if (pos + 2 * (size_t)(n_glyphs - 1) > len)
            return false;
        for (; gid < n_glyphs; gid++, pos += 2)
            cids[gid] = be(cff + pos, 2);
        return true;
    }
    if (format != 1 && format != 2)
        return false;
    unsigned n_left_size = format == 1 ? 1 : 2;
    while (gid < n_glyphs) {
        if (pos + 2 + n_left_size > len)
            return false;
        uint32_t first = be(cff + pos, 2);
        uint32_t n_left = be(cff + pos + 2, n_left_size);
        pos += 2 + n_left_size;
        for (uint32_t k = 0; k <= n_left && gid < n_glyphs; k++)
            cids[gid++] = first + k;
    }
    return true;
}
