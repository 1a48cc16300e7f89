/* utf8.c - strict UTF-8 decoding (RFC 3629): no overlongs, no surrogates,
 * nothing above U+10FFFF. Malformed bytes are reported, never guessed at. */
#include "base.h"

uint32_t pb_utf8_next(const char *str, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = *pos;
    if (i >= len) {
        return PB_UTF8_BAD;
    }
    unsigned c = s[i];
    if (c < 0x80) {
        *pos = i + 1;
        return c;
    }
    int n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        *pos = i + 1;
        return PB_UTF8_BAD;
    }
    for (int k = 1; k <= n; k++) {
        if (i + (size_t)k >= len || (s[i + k] & 0xC0) != 0x80) {
            *pos = i + 1;
            return PB_UTF8_BAD;
        }
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pos = i + 1;
        return PB_UTF8_BAD;
    }
    *pos = i + (size_t)n + 1;
    return cp;
}

int pb_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool pb_utf8_validate(const char *s, size_t len, int *line, int *col)
{
    int ln = 1, cl = 1;
    size_t pos = 0;
    while (pos < len) {
        uint32_t cp = pb_utf8_next(s, len, &pos);
        if (cp == PB_UTF8_BAD) {
            if (line)
                *line = ln;
            if (col)
                *col = cl;
            return false;
        }
        if (cp == '\n') {
            ln++;
            cl = 1;
        } else {
            cl++;
        }
    }
    return true;
}

size_t pb_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

bool pb_utf8_find_bad(const char *s, size_t len, size_t *off, int *line, int *col)
{
    int ln = 1, cl = 1;
    size_t pos = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp = pb_utf8_next(s, len, &pos);
        if (cp == PB_UTF8_BAD) {
            *off = at;
            *line = ln;
            *col = cl;
            return true;
        }
        if (cp == '\n') {
            ln++;
            cl = 1;
        } else {
            cl++;
        }
    }
    return false;
}

void pb_utf8_why(const char *str, size_t len, size_t off, pb_buf *out)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[off];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    bool ends = false; /* a character cut off by the end of the file */
    if (c >= 0x80 && c <= 0xBF) {
        pb_buf_printf(out, "byte 0x%02X continues a character that never started", c);
    } else if (c == 0xC0 || c == 0xC1 || c >= 0xF5) {
        pb_buf_printf(out, "byte 0x%02X never appears in UTF-8", c);
    } else {
        size_t have = 1;
        while (have < need && off + have < len && (s[off + have] & 0xC0) == 0x80)
            have++;
        ends = have < need && off + have >= len;
        if (have < need)
            pb_buf_printf(out, "byte 0x%02X starts a %zu-byte character but %s", c, need,
                          ends ? "the file ends" : "the next byte does not continue it");
        else
            pb_buf_printf(out, "bytes 0x%02X 0x%02X ... encode %s", c, s[off + 1],
                          c == 0xED ? "a UTF-16 surrogate" : c == 0xF4 ? "a code point above U+10FFFF"
                                                                      : "a character the long way (overlong)");
    }
    /* GBK / GB18030, the usual other encoding of Chinese text: a lead byte 0x81-0xFE
     * and a trail byte 0x40-0xFE where UTF-8 fails */
    if (!ends && c >= 0x81 && c <= 0xFE && off + 1 < len && s[off + 1] >= 0x40 &&
        s[off + 1] <= 0xFE)
        pb_buf_adds(out, "; the file may be in GBK or GB18030");
}
