/* chars.c - character classes for Chinese layout: which characters are Han,
 * which are CJK punctuation and of what kind (opening, closing, stop, middle dot,
 * dash, ellipsis), and the line-start / line-end prohibitions of clreq / CJK.md
 * rule 1. Code point tables follow Unicode blocks and GB/T 15834-2011. */
#include "text_internal.h"
#include "chars.h"

bool pb_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK Unified Ideographs */
           (c >= 0x3400 && c <= 0x4DBF) ||   /* Extension A */
           (c >= 0x20000 && c <= 0x323AF) || /* Extensions B-H */
           (c >= 0xF900 && c <= 0xFAFF) ||   /* Compatibility Ideographs */
           (c >= 0x2F800 && c <= 0x2FA1F) || /* Compatibility Supplement */
           (c >= 0x2E80 && c <= 0x2FDF) ||   /* radicals */
           (c >= 0x31C0 && c <= 0x31EF) ||   /* strokes */
           c == 0x3005 || c == 0x3006 || c == 0x3007 || c == 0x303B || /* 々 〆 〇 〻 */
           (c >= 0x3040 && c <= 0x309F) ||   /* hiragana */
           (c >= 0x30A0 && c <= 0x30FF && c != 0x30FB) || /* katakana (not ・) */
           (c >= 0x31F0 && c <= 0x31FF) ||   /* katakana extensions */
           (c >= 0x3100 && c <= 0x312F) ||   /* bopomofo */
           (c >= 0xAC00 && c <= 0xD7AF) ||   /* hangul syllables */
           (c >= 0xFF10 && c <= 0xFF19) ||   /* fullwidth digits */
           (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
           (c >= 0x3200 && c <= 0x33FF) ||   /* enclosed CJK, CJK compatibility */
           c == 0x25CB || c == 0x25CF || c == 0x25A1 || c == 0x25A0 || /* ○ ● □ ■ */
           c == 0x2116 || c == 0x2103;       /* № ℃ */
}

pb_punct_kind pb_punct_kind_of(uint32_t c)
{
    switch (c) {
    case 0x201C: case 0x2018: case 0xFF08: case 0x300A: case 0x300C: case 0x300E:
    case 0x3010: case 0x3014: case 0x3016: case 0x3008: case 0xFF3B: case 0xFF5B:
    case 0xFF5F: case 0x3018: case 0x301A: case 0x301D:
        return PB_PUNCT_OPEN;
    case 0x201D: case 0x2019: case 0xFF09: case 0x300B: case 0x300D: case 0x300F:
    case 0x3011: case 0x3015: case 0x3017: case 0x3009: case 0xFF3D: case 0xFF5D:
    case 0xFF60: case 0x3019: case 0x301B: case 0x301E: case 0x301F:
        return PB_PUNCT_CLOSE;
    case 0x3001: case 0xFF0C: case 0x3002: case 0xFF0E: case 0xFF1A: case 0xFF1B:
    case 0xFF1F: case 0xFF01:
        return PB_PUNCT_STOP;
    case 0x00B7: case 0x30FB: case 0x2027: case 0xFF65:
        return PB_PUNCT_MIDDLE;
    case 0x2014: case 0x2015: case 0x2E3A: case 0x2E3B:
        return PB_PUNCT_DASH;
    case 0x2026: case 0x22EF:
        return PB_PUNCT_ELLIPSIS;
    case 0xFF5E: case 0x301C: /* ～ 〜 connectors */
        return PB_PUNCT_CONNECT;
    default:
        if (c >= 0x3000 && c <= 0x303F)
            return c == 0x3000 ? PB_PUNCT_SPACE : PB_PUNCT_OTHER;
        if (c >= 0xFF00 && c <= 0xFF0F)
            return PB_PUNCT_OTHER;
        if (c >= 0xFE30 && c <= 0xFE4F)
            return PB_PUNCT_OTHER;
        return PB_PUNCT_NONE;
    }
}

/* Code points that Chinese and Latin text share (CJK.md rule 8): their font and
 * width follow the neighbouring text. */
bool pb_is_shared_punct(uint32_t c)
{
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2014 ||
           c == 0x2026 || c == 0x00B7 || c == 0x2015 || c == 0x2E3A || c == 0x22EF;
}

bool pb_is_cjk_char(uint32_t c)
{
    if (pb_is_han(c))
        return true;
    pb_punct_kind k = pb_punct_kind_of(c);
    return k != PB_PUNCT_NONE && !pb_is_shared_punct(c);
}

/* clreq 3.1.7 / CJK.md rule 1: characters that must not begin a line. */
bool pb_no_line_start(uint32_t c)
{
    pb_punct_kind k = pb_punct_kind_of(c);
    if (k == PB_PUNCT_CLOSE || k == PB_PUNCT_STOP || k == PB_PUNCT_MIDDLE)
        return true;
    switch (c) {
    case 0x3005: case 0x303B: case 0x30FC: case 0x309D: case 0x309E: case 0x30FD:
    case 0x30FE: /* 々 〻 ー ゝ ゞ ヽ ヾ */
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049: case 0x3063:
    case 0x3083: case 0x3085: case 0x3087: case 0x308E: case 0x3095: case 0x3096:
    case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7: case 0x30A9: case 0x30C3:
    case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE: case 0x30F5: case 0x30F6:
    case ',': case '.': case ';': case ':': case '!': case '?': case ')': case ']':
    case '}': case '%': case 0x2030: case 0x2103: case 0x00B0:
        return true;
    default:
        return (c >= 0x31F0 && c <= 0x31FF);
    }
}

/* CJK.md rule 1: characters that must not end a line. */
bool pb_no_line_end(uint32_t c)
{
    if (pb_punct_kind_of(c) == PB_PUNCT_OPEN)
        return true;
    return c == '(' || c == '[' || c == '{' || c == 0xFFE5 || c == 0x00A5 || c == '$' ||
           c == 0xFF04 || c == 0x00A3 || c == 0x20AC || c == '#' || c == 0xFF03;
}
