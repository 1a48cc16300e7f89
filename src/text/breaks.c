/* breaks.c - line-break opportunities from ICU (UAX #14, locale zh, strict) and
 * hyphenation points from libhyphen. The Chinese rules that tighten ICU (CJK.md
 * rules 1-2) are applied by the paragraph builder, which sees the characters. */
#include "text_internal.h"
#include "breaks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#ifdef PB_HAVE_HYPHEN
#include <hyphen.h>
#endif

struct pb_breaker {
    UBreakIterator *bi;
#ifdef PB_HAVE_HYPHEN
    HyphenDict *hyph;
    bool hyph_tried;
#endif
};

pb_breaker *pb_breaker_new(void)
{
    pb_breaker *b = pb_xcalloc(1, sizeof *b);
    UErrorCode st = U_ZERO_ERROR;
    /* clreq and CJK.md rule 4: strict line breaking keeps small kana, prolonged
     * sound marks and CJK punctuation off line starts. */
    b->bi = ubrk_open(UBRK_LINE, "zh@lb=strict", NULL, 0, &st);
    if (U_FAILURE(st) || !b->bi) {
        st = U_ZERO_ERROR;
        b->bi = ubrk_open(UBRK_LINE, "zh", NULL, 0, &st);
        if (U_FAILURE(st) || !b->bi)
            pb_fatal("cannot open the ICU line break iterator: %s", u_errorName(st));
    }
    return b;
}

void pb_breaker_free(pb_breaker *b)
{
    if (!b)
        return;
    ubrk_close(b->bi);
#ifdef PB_HAVE_HYPHEN
    if (b->hyph)
        hnj_hyphen_free(b->hyph);
#endif
    free(b);
}

void pb_breaker_find(pb_breaker *b, const char *text, uint32_t len, uint8_t *at)
{
    memset(at, PB_BRK_NONE, (size_t)len + 1);
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    if (U_FAILURE(st))
        return;
    ubrk_setUText(b->bi, ut, &st);
    if (U_FAILURE(st)) {
        utext_close(ut);
        return;
    }
    /* With a UTF-8 UText, ICU's boundaries are native indexes: byte offsets. */
    for (int32_t p = ubrk_following(b->bi, 0); p != UBRK_DONE; p = ubrk_next(b->bi)) {
        if (p <= 0 || (uint32_t)p > len)
            continue;
        int32_t status = ubrk_getRuleStatus(b->bi);
        at[p] = (status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT) ? PB_BRK_HARD
                                                                             : PB_BRK_SOFT;
    }
    utext_close(ut);
}

/* Hyphenation points of a lowercase ASCII word: points[i] = 1 when a hyphen may go
 * after byte i. Returns false when no dictionary is available. */
bool pb_breaker_hyphenate(pb_breaker *b, const char *word, size_t n, uint8_t *points)
{
#ifdef PB_HAVE_HYPHEN
    if (!b->hyph && !b->hyph_tried) {
        b->hyph_tried = true;
        static const char *const paths[] = {"/usr/share/hyphen/hyph_en_US.dic",
                                            "/usr/share/hyphen/hyph_en.dic",
                                            "/usr/local/share/hyphen/hyph_en_US.dic"};
        const char *env = getenv("PAIBAN_HYPHEN_DIC");
        if (env)
            b->hyph = hnj_hyphen_load(env);
        for (size_t i = 0; !b->hyph && i < PB_COUNT(paths); i++)
            b->hyph = hnj_hyphen_load(paths[i]);
    }
    if (!b->hyph || n < 5 || n > 64)
        return false;
    char lower[65];
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)word[i]);
    lower[n] = 0;
    char hy[70];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    memset(hy, 0, sizeof hy);
    if (hnj_hyphen_hyphenate2(b->hyph, lower, (int)n, hy, NULL, &rep, &pos, &cut) != 0)
        return false;
    if (rep) {
        for (size_t i = 0; i < n; i++)
            free(rep[i]);
        free(rep);
        free(pos);
        free(cut);
    }
    /* English typesetting convention: at least 2 letters before and 3 after. */
    for (size_t i = 0; i < n; i++)
        points[i] = (hy[i] & 1) && i >= 1 && i + 3 < n;
    return true;
#else
    (void)b;
    (void)word;
    (void)n;
    (void)points;
    return false;
#endif
}
