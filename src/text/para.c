/* para.c - one paragraph from styled text to set lines.
 *
 * 1. characters: decode, classify (Han, CJK punctuation, Latin, space), pick the
 *    font per character (role font, the role's other font, then fallback);
 * 2. shape runs of one font and style with HarfBuzz;
 * 3. items: boxes, glue and penalties in the style of Knuth-Plass, with the CJK
 *    glue of CJK.md rules 5-10 (punctuation blanks, Han-Latin spacing,
 *    inter-character stretch) and the break opportunities of ICU tightened by
 *    rules 1-2;
 * 4. breaks chosen for the whole paragraph by optimal fit (greedy only beyond
 *    PB_MAX_OPTIMAL_FIT_ITEMS);
 * 5. lines set: glue adjusted in the priority order of rule 10, glyphs positioned.
 *
 * Only penalties are legal breakpoints; glue carries explicit "discard at line
 * start / end" flags. That keeps CJK's "a break between any two characters" and
 * "punctuation blanks survive at the line end but may shrink" in one model. */
#include "text_internal.h"
#include "cache.h"
#include "breaks.h"
#include "chars.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pb_text {
    pb_fontreg *reg;
    pb_breaker *brk;
    pb_para_cache *cache; /* NULL unless enabled (watch mode) */
    pb_text_progress_fn progress;
    void *progress_user;
    size_t n_laid; /* paragraphs since pb_text_set_progress */
};

pb_text *pb_text_new(pb_fontreg *reg)
{
    pb_text *t = pb_xcalloc(1, sizeof *t);
    t->reg = reg;
    t->brk = pb_breaker_new();
    return t;
}

void pb_text_free(pb_text *t)
{
    if (!t)
        return;
    pb_breaker_free(t->brk);
    pb_para_cache_free(t->cache);
    free(t);
}

void pb_text_enable_cache(pb_text *t, bool on)
{
    if (on && !t->cache)
        t->cache = pb_para_cache_new();
    if (!on && t->cache) {
        pb_para_cache_free(t->cache);
        t->cache = NULL;
    }
}

void pb_text_build_begin(pb_text *t)
{
    if (t->cache)
        pb_para_cache_begin(t->cache);
}

void pb_text_build_end(pb_text *t)
{
    if (t->cache)
        pb_para_cache_end(t->cache);
}

void pb_text_cache_stats(const pb_text *t, size_t *hits, size_t *misses, size_t *entries)
{
    *hits = *misses = *entries = 0;
    if (t->cache)
        pb_para_cache_stats(t->cache, hits, misses, entries);
}

void pb_text_set_progress(pb_text *t, pb_text_progress_fn fn, void *user)
{
    t->progress = fn;
    t->progress_user = user;
    t->n_laid = 0;
}

pb_fontreg *pb_text_fontreg(pb_text *t)
{
    return t->reg;
}

/* ---- characters ---- */

enum { C_HAN, C_PUNCT, C_LATIN, C_SPACE, C_NEWLINE, C_SKIP };

typedef struct chr {
    uint32_t cp, off;
    uint32_t span;
    uint32_t g0, ng;  /* glyphs of the cluster this char starts (ng 0: inside a cluster) */
    pb_font *font;
    uint8_t len, cls, pk;
    uint8_t brk;      /* opportunity before this char: PB_BRK_* */
    bool hyph;        /* a hyphenation point before this char */
    bool url_brk;     /* the opportunity is one of a URL's (discouraged) */
    bool url_brk2;    /* a URL's second choice (query separators) */
    bool url_brk3;    /* a URL's last resort: between two letters */
    bool synth_bold, synth_italic;
} chr;

typedef struct gly {
    uint32_t gid;
    float adv, dx, dy; /* pt */
    uint32_t ch;       /* index of the char that starts the cluster */
    pb_font *font;
    bool unsafe;       /* HarfBuzz: unsafe to break before this glyph */
} gly;

/* ---- items ---- */

enum { IT_BOX, IT_GLUE, IT_PEN };
enum { G_INTER, G_HL, G_SPACE, G_BL, G_BR, G_FILL, G_RAGGED };

#define PEN_INF 10000.0f

typedef struct item {
    uint8_t type, gk, pk;
    bool disc_start, disc_end, flagged;
    float w, st, sh, pen;
    uint32_t g0, g1; /* BOX: glyph range */
    float gx;        /* BOX: first glyph origin relative to the box start */
    uint32_t c0, c1; /* BOX: char range [c0, c1) */
} item;

typedef struct lay {
    pb_text *t;
    const pb_para *p;
    pb_diags *diags;
    chr *ch;
    uint32_t nch;
    gly *g;
    uint32_t ng;
    size_t capg;
    item *it;
    uint32_t nit;
    size_t capit;
    uint32_t *byte2ch;
} lay;

static const pb_textstyle *style_of(const lay *L, uint32_t ci)
{
    return &L->p->spans[L->ch[ci].span].style;
}

static bool is_alnum_latin(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
           (c >= 0x400 && c <= 0x4FF);
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0x2002 || c == 0x2003 || c == 0x2009 ||
           c == 0x200A || c == 0x205F;
}

static void build_chars(lay *L)
{
    const pb_para *p = L->p;
    L->ch = pb_xcalloc((size_t)p->len + 1, sizeof(chr));
    L->byte2ch = pb_xcalloc((size_t)p->len + 1, sizeof(uint32_t));
    uint32_t span = 0;
    size_t pos = 0;
    while (pos < p->len) {
        size_t start = pos;
        uint32_t cp = pb_utf8_next(p->text, p->len, &pos);
        if (cp == PB_UTF8_BAD)
            cp = 0xFFFD;
        while (span + 1 < p->n_spans && p->spans[span].end <= start)
            span++;
        chr *c = &L->ch[L->nch];
        c->cp = cp;
        c->off = (uint32_t)start;
        c->len = (uint8_t)(pos - start);
        c->span = span;
        for (size_t b = start; b < pos; b++)
            L->byte2ch[b] = L->nch;
        if (cp == '\n' || cp == 0x2028)
            c->cls = C_NEWLINE;
        else if (is_space(cp))
            c->cls = C_SPACE;
        else if (cp == 0x200B || cp == 0x00AD || cp == 0x200C || cp == 0x200D || cp == 0xFEFF)
            c->cls = C_SKIP;
        else if (pb_is_han(cp))
            c->cls = C_HAN;
        else if ((c->pk = (uint8_t)pb_punct_kind_of(cp)) != PB_PUNCT_NONE)
            c->cls = C_PUNCT;
        else
            c->cls = C_LATIN;
        L->nch++;
    }
    L->byte2ch[p->len] = L->nch;

    /* Shared punctuation (CJK.md rule 8): Chinese when a neighbour, looking past
     * other shared marks and spaces, is Chinese; Latin otherwise. Spans set in a
     * monospace or URL style are always Latin. */
    for (uint32_t i = 0; i < L->nch; i++) {
        chr *c = &L->ch[i];
        if (c->cls != C_PUNCT || !pb_is_shared_punct(c->cp))
            continue;
        const pb_textstyle *st = style_of(L, i);
        bool cjk = false, seen = false;
        if (!st->mono && !st->url) {
            for (int dir = -1; dir <= 1 && !cjk; dir += 2) {
                for (int64_t k = (int64_t)i + dir; k >= 0 && k < (int64_t)L->nch; k += dir) {
                    chr *n = &L->ch[k];
                    if (n->cls == C_SPACE || n->cls == C_SKIP ||
                        (n->cls == C_PUNCT && pb_is_shared_punct(n->cp)))
                        continue;
                    cjk = n->cls == C_HAN || n->cls == C_PUNCT;
                    seen = true;
                    break;
                }
            }
            /* marks with no text around them (a table cell holding only ……) are
             * read as Chinese: these are Chinese documents */
            if (!seen)
                cjk = true;
        }
        if (!cjk) {
            c->cls = C_LATIN;
            c->pk = PB_PUNCT_NONE;
        }
    }
    /* CJK symbols that are neither opening, closing nor stops behave like Han. */
    for (uint32_t i = 0; i < L->nch; i++) {
        chr *c = &L->ch[i];
        if (c->cls == C_PUNCT && (c->pk == PB_PUNCT_OTHER || c->pk == PB_PUNCT_SPACE ||
                                  c->pk == PB_PUNCT_CONNECT))
            c->cls = C_HAN;
    }
}

static bool warn_missing(lay *L, uint32_t i)
{
    const pb_span *sp = &L->p->spans[L->ch[i].span];
    char u[5] = {0};
    pb_utf8_encode(L->ch[i].cp, u);
    /* a span holds text of one source line: its column plus the characters before */
    int col = sp->col;
    for (uint32_t k = i; k > 0 && L->ch[k - 1].span == L->ch[i].span; k--)
        col++;
    pb_diag_add(L->diags, PB_WARNING, L->p->file, sp->line, col,
                "no installed font has U+%04X '%s'; it is shown as a box", L->ch[i].cp, u);
    return true;
}

static void pick_fonts(lay *L)
{
    for (uint32_t i = 0; i < L->nch; i++) {
        chr *c = &L->ch[i];
        const pb_fontset *fs = style_of(L, i)->fonts;
        bool cjk = c->cls == C_HAN || c->cls == C_PUNCT;
        const pb_font_choice *want = cjk ? &fs->cjk : &fs->latin;
        const pb_font_choice *other = cjk ? &fs->latin : &fs->cjk;
        c->font = want->font;
        c->synth_bold = want->synth_bold;
        c->synth_italic = want->synth_italic;
        if (c->cls == C_SPACE || c->cls == C_NEWLINE || c->cls == C_SKIP)
            continue;
        /* Variation selectors and combining marks stay with their base's font. */
        bool attach = (c->cp >= 0xFE00 && c->cp <= 0xFE0F) || (c->cp >= 0xE0100 && c->cp <= 0xE01EF) ||
                      (c->cp >= 0x0300 && c->cp <= 0x036F);
        if (attach && i > 0) {
            c->font = L->ch[i - 1].font;
            c->synth_bold = L->ch[i - 1].synth_bold;
            c->synth_italic = L->ch[i - 1].synth_italic;
            continue;
        }
        if (c->font && pb_font_glyph(c->font, c->cp))
            continue;
        if (other->font && pb_font_glyph(other->font, c->cp)) {
            c->font = other->font;
            c->synth_bold = other->synth_bold;
            c->synth_italic = other->synth_italic;
            continue;
        }
        /* the style wanted, not only the face: a synthesized bold asks for a real
         * bold stand-in (fontreg.c) */
        bool want_bold = want->synth_bold || (want->font && pb_font_weight(want->font) >= 600);
        pb_font *fb = want->font ? pb_fontreg_fallback_style(
                                       L->t->reg, c->cp, want->font,
                                       want_bold ? PB_MAX(700u, pb_font_weight(want->font))
                                                 : pb_font_weight(want->font),
                                       want->synth_italic || pb_font_is_italic(want->font))
                                 : pb_fontreg_fallback(L->t->reg, c->cp, NULL);
        if (fb) {
            c->font = fb;
            c->synth_bold = want_bold && pb_font_weight(fb) < 600;
            c->synth_italic = want->synth_italic;
        } else {
            warn_missing(L, i);
        }
    }
}

static void push_glyph(lay *L, gly g)
{
    PB_PUSH(L->g, L->ng, L->capg, g);
}

static void shape_run(lay *L, uint32_t c0, uint32_t c1)
{
    const chr *first = &L->ch[c0];
    const pb_textstyle *st = style_of(L, c0);
    pb_font *f = first->font;
    if (!f)
        return;
    float scale = st->size / (float)pb_font_upem(f);
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    uint32_t off = first->off, end = L->ch[c1 - 1].off + L->ch[c1 - 1].len;
    hb_buffer_add_utf8(buf, L->p->text, (int)L->p->len, off, (int)(end - off));
    hb_buffer_guess_segment_properties(buf);
    if (first->cls == C_HAN || first->cls == C_PUNCT)
        hb_buffer_set_language(buf, hb_language_from_string("zh-Hans", -1));
    else
        hb_buffer_set_language(buf, hb_language_from_string("en", -1));
    /* tabular figures: the font's tnum; a font without it (Noto Serif CJK) gets every
     * digit on the widest digit's advance, ink centred, so numbers still line up */
    hb_feature_t feats[64];
    unsigned nf = 0;
    if (st->tnum)
        feats[nf++] = (hb_feature_t){HB_TAG('t', 'n', 'u', 'm'), 1, HB_FEATURE_GLOBAL_START,
                                     HB_FEATURE_GLOBAL_END};
    float digit_w = 0;
    if (st->tnum && !pb_font_has_feature(f, "tnum"))
        for (uint32_t d = '0'; d <= '9'; d++)
            digit_w = PB_MAX(digit_w, (float)pb_font_glyph_advance(f, pb_font_glyph(f, d)) * scale);
    if (first->cls != C_HAN && first->cls != C_PUNCT) {
        /* rule 8: marks Chinese and Latin share take the Latin form in Latin text; a
         * CJK font set as the Latin font (Noto) has them full width unless asked */
        feats[nf++] = (hb_feature_t){HB_TAG('p', 'w', 'i', 'd'), 1, HB_FEATURE_GLOBAL_START,
                                     HB_FEATURE_GLOBAL_END};
    } else {
        /* ... and the full-width form in Chinese text (the middle dot 间隔号 is narrow
         * by default in Noto CJK) */
        for (uint32_t k = c0; k < c1 && nf < PB_COUNT(feats); k++)
            if (pb_is_shared_punct(L->ch[k].cp))
                feats[nf++] = (hb_feature_t){HB_TAG('f', 'w', 'i', 'd'), 1, L->ch[k].off,
                                             L->ch[k].off + L->ch[k].len};
    }
    hb_shape(pb_font_hb_font(f), buf, nf ? feats : NULL, nf);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    uint32_t last_ch = UINT32_MAX;
    for (unsigned i = 0; i < n; i++) {
        uint32_t ci = L->byte2ch[info[i].cluster];
        gly g = {info[i].codepoint,
                 (float)pos[i].x_advance * scale,
                 (float)pos[i].x_offset * scale,
                 (float)pos[i].y_offset * scale,
                 ci,
                 f,
                 (hb_glyph_info_get_glyph_flags(&info[i]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK) != 0};
        if (digit_w > 0 && L->ch[ci].cp >= '0' && L->ch[ci].cp <= '9') {
            g.dx += (digit_w - g.adv) / 2;
            g.adv = digit_w;
        }
        if (ci != last_ch) {
            L->ch[ci].g0 = L->ng;
            L->ch[ci].ng = 0;
            last_ch = ci;
        }
        L->ch[ci].ng++;
        push_glyph(L, g);
    }
    hb_buffer_destroy(buf);
}

static void shape_all(lay *L)
{
    uint32_t i = 0;
    while (i < L->nch) {
        chr *c = &L->ch[i];
        if (c->cls == C_SPACE || c->cls == C_NEWLINE || c->cls == C_SKIP) {
            i++;
            continue;
        }
        uint32_t j = i + 1;
        while (j < L->nch) {
            chr *d = &L->ch[j];
            /* one language per run: CJK punctuation needs zh-Hans shaping (locl gives
             * Noto CJK its full-width quotes), Latin words en */
            bool cjk_c = c->cls == C_HAN || c->cls == C_PUNCT;
            bool cjk_d = d->cls == C_HAN || d->cls == C_PUNCT;
            if (d->cls == C_SPACE || d->cls == C_NEWLINE || d->cls == C_SKIP || d->font != c->font ||
                d->span != c->span || d->synth_bold != c->synth_bold || cjk_c != cjk_d)
                break;
            j++;
        }
        shape_run(L, i, j);
        i = j;
    }
}

/* ---- break opportunities: ICU, tightened by CJK.md rules 1-2 ---- */

static bool url_break_char(uint32_t c)
{
    return c == '/' || c == '.' || c == '-' || c == '?' || c == '&';
}

/* Where a long URL may still break when the places of rule 2 are not enough: after
 * the separators of a query or fragment, and before a percent escape (never inside
 * it). Discouraged by a higher penalty. */
static bool url_break_after_2(uint32_t c)
{
    return c == '=' || c == '+' || c == '#' || c == '_' || c == '~' || c == ',' || c == ';';
}

static void find_breaks(lay *L)
{
    uint8_t *at = pb_xmalloc((size_t)L->p->len + 1);
    pb_breaker_find(L->t->brk, L->p->text, L->p->len, at);
    int64_t prev = -1; /* previous char that is not a space or skipped */
    for (uint32_t i = 0; i < L->nch; i++) {
        chr *c = &L->ch[i];
        c->brk = at[c->off];
        if (c->cls == C_SPACE || c->cls == C_SKIP || c->cls == C_NEWLINE) {
            if (c->cls == C_SKIP && c->cp == 0x200B && i + 1 < L->nch)
                L->ch[i + 1].brk = PB_BRK_SOFT; /* zero width space: explicit opportunity */
            continue;
        }
        if (prev >= 0 && c->brk == PB_BRK_SOFT) {
            chr *a = &L->ch[prev];
            const pb_textstyle *sa = style_of(L, (uint32_t)prev), *sb = style_of(L, i);
            bool spaced = (uint32_t)prev + 1 < i;
            if (pb_no_line_start(c->cp) || pb_no_line_end(a->cp))
                c->brk = PB_BRK_NONE;
            /* never split ―― or …… (rule 2) */
            if (a->pk == PB_PUNCT_DASH && c->pk == PB_PUNCT_DASH)
                c->brk = PB_BRK_NONE;
            if (a->pk == PB_PUNCT_ELLIPSIS && c->pk == PB_PUNCT_ELLIPSIS)
                c->brk = PB_BRK_NONE;
            if (!spaced && sa->url && sb->url && a->span == c->span)
                c->brk = PB_BRK_NONE;
        }
        /* URLs break after / . - ? & when they must (rule 2), never before their end */
        if (prev >= 0 && c->brk == PB_BRK_NONE && (uint32_t)prev + 1 == i) {
            chr *a = &L->ch[prev];
            const pb_textstyle *sa = style_of(L, (uint32_t)prev), *sb = style_of(L, i);
            if (sa->url && sb->url && url_break_char(a->cp) && !url_break_char(c->cp)) {
                c->brk = PB_BRK_SOFT;
                c->url_brk = true;
            } else if (sa->url && sb->url && (url_break_after_2(a->cp) || c->cp == '%') &&
                       !url_break_char(c->cp) && a->cp != '%') {
                c->brk = PB_BRK_SOFT;
                c->url_brk2 = true;
            } else if (sa->url && sb->url && is_alnum_latin(a->cp) && is_alnum_latin(c->cp)) {
                /* anywhere between two letters of a URL, only when nothing else
                 * avoids a gaping line (a URL has no hyphens to add) */
                c->brk = PB_BRK_SOFT;
                c->url_brk3 = true;
            }
        }
        prev = i;
    }
    /* Hyphenation points inside runs of ASCII letters outside URLs and code, in
     * paragraphs that are mostly Latin: in Chinese text the breaks between
     * characters give a line all the room it needs, and a Latin word is better kept
     * whole (this also spares loading the dictionary for a Chinese report). */
    uint32_t han = 0, latin = 0;
    for (uint32_t k = 0; k < L->nch; k++) {
        if (L->ch[k].cls == C_HAN || L->ch[k].cls == C_PUNCT)
            han++;
        else if (L->ch[k].cls == C_LATIN)
            latin++;
    }
    uint32_t i = han >= latin ? L->nch : 0;
    while (i < L->nch) {
        if (!(L->ch[i].cp < 128 && ((L->ch[i].cp | 32) >= 'a' && (L->ch[i].cp | 32) <= 'z'))) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j < L->nch && L->ch[j].cp < 128 && ((L->ch[j].cp | 32) >= 'a' && (L->ch[j].cp | 32) <= 'z'))
            j++;
        const pb_textstyle *st = style_of(L, i);
        bool word_start = i == 0 || L->ch[i - 1].cls != C_LATIN || !is_alnum_latin(L->ch[i - 1].cp);
        bool word_end = j == L->nch || L->ch[j].cls != C_LATIN || !is_alnum_latin(L->ch[j].cp);
        if (j - i >= 5 && j - i <= 64 && !st->url && !st->mono && word_start && word_end) {
            char word[65];
            uint8_t pts[65];
            for (uint32_t k = i; k < j; k++)
                word[k - i] = (char)L->ch[k].cp;
            if (pb_breaker_hyphenate(L->t->brk, word, j - i, pts))
                for (uint32_t k = i; k + 1 < j; k++)
                    if (pts[k - i] && L->ch[k + 1].span == L->ch[k].span)
                        L->ch[k + 1].hyph = true;
        }
        i = j;
    }
    /* soft hyphens in the source are hyphenation points too */
    for (uint32_t k = 0; k + 1 < L->nch; k++)
        if (L->ch[k].cp == 0x00AD)
            L->ch[k + 1].hyph = true;
    free(at);
}

/* ---- items ---- */

static item *push_item(lay *L, uint8_t type)
{
    pb_grow((void **)&L->it, &L->capit, L->nit + 1, sizeof(item));
    item *it = &L->it[L->nit++];
    memset(it, 0, sizeof *it);
    it->type = type;
    return it;
}

static void push_glue(lay *L, uint8_t gk, float w, float st, float sh, bool ds, bool de)
{
    item *g = push_item(L, IT_GLUE);
    g->gk = gk;
    g->w = w;
    g->st = st;
    g->sh = sh;
    g->disc_start = ds;
    g->disc_end = de;
}

static void push_pen(lay *L, float pen, bool flagged, float w)
{
    item *g = push_item(L, IT_PEN);
    g->pen = pen;
    g->flagged = flagged;
    g->w = w;
}

/* Width in pt of the glyphs of char i's cluster. */
static float cluster_width(const lay *L, uint32_t i)
{
    float w = 0;
    for (uint32_t k = 0; k < L->ch[i].ng; k++)
        w += L->g[L->ch[i].g0 + k].adv;
    return w;
}

static float space_width(const lay *L, uint32_t i)
{
    const pb_textstyle *st = style_of(L, i);
    pb_font *f = st->fonts->latin.font ? st->fonts->latin.font : st->fonts->cjk.font;
    if (!f)
        return st->size * 0.25f;
    uint32_t g = pb_font_glyph(f, ' ');
    float w = g ? (float)pb_font_glyph_advance(f, g) * st->size / (float)pb_font_upem(f) : 0;
    return w > 0 ? w : st->size * 0.25f;
}

/* Inter-character stretch: what one Han gap may comfortably take (rule 10: the last
 * resort for stretching, so it is small against word spaces and Han-Latin gaps). */
#define HAN_STRETCH_EM 0.02f

static void build_items(lay *L)
{
    const pb_para *p = L->p;
    if (p->indent > 0) {
        item *b = push_item(L, IT_BOX);
        b->w = p->indent;
        b->g0 = b->g1 = 0;
        b->c0 = b->c1 = 0;
    }
    int64_t prev = -1;       /* previous unit's char */
    int64_t prev_br = -1;    /* item index of the previous punct's blank-right glue */
    float prev_br_w = 0;
    int64_t prev_box = -1;   /* item index of the previous box, when mergeable */
    bool space = false;
    uint32_t space_ch = 0;
    for (uint32_t i = 0; i < L->nch; i++) {
        chr *c = &L->ch[i];
        if (c->cls == C_SKIP)
            continue;
        if (c->cls == C_SPACE) {
            if (!space)
                space_ch = i;
            space = true;
            continue;
        }
        if (c->cls == C_NEWLINE) {
            push_glue(L, G_FILL, 0, 0, 0, false, true);
            push_pen(L, -PEN_INF, false, 0);
            prev = -1;
            prev_br = -1;
            prev_box = -1;
            space = false;
            continue;
        }
        if (c->ng == 0 && prev >= 0 && !space && c->brk == PB_BRK_NONE && prev_box >= 0) {
            /* a character inside the previous cluster (ligature, mark) */
            L->it[prev_box].c1 = i + 1;
            continue;
        }
        const pb_textstyle *st = style_of(L, i);
        float em = st->size;
        bool glued = false; /* something separates prev and this char */
        bool can_merge = false;
        if (prev >= 0) {
            chr *a = &L->ch[prev];
            const pb_textstyle *sa = style_of(L, (uint32_t)prev);
            float aem = sa->size;
            if (a->cls == C_PUNCT || c->cls == C_PUNCT) {
                bool pair = (a->pk == PB_PUNCT_DASH && c->pk == PB_PUNCT_DASH) ||
                            (a->pk == PB_PUNCT_ELLIPSIS && c->pk == PB_PUNCT_ELLIPSIS);
                if (!pair) {
                    push_glue(L, G_INTER, 0, HAN_STRETCH_EM * PB_MIN(aem, em), 0, true, true);
                    glued = true;
                }
            } else if (a->cls == C_HAN && c->cls == C_HAN) {
                push_glue(L, G_INTER, 0, HAN_STRETCH_EM * PB_MIN(aem, em), 0, true, true);
                glued = true;
            } else if ((a->cls == C_HAN && c->cls == C_LATIN) || (a->cls == C_LATIN && c->cls == C_HAN)) {
                uint32_t lat = a->cls == C_LATIN ? a->cp : c->cp;
                float hem = a->cls == C_HAN ? aem : em;
                if (is_alnum_latin(lat) && !sa->mono && !st->mono && !sa->tight && !st->tight) {
                    /* rule 7: a quarter em, shrinking to 1/8; a typed space gives the same
                     * gap. It stretches to 3/8 em only: rule 7 allows 1/2, but gaps that
                     * differ by more than 1/8 em from line to line catch the eye. */
                    push_glue(L, G_HL, hem * 0.25f, hem * 0.125f, hem * 0.125f, true, true);
                    glued = true;
                } else if (space) {
                    float w = space_width(L, space_ch);
                    push_glue(L, G_SPACE, w, PB_MAX(0, 0.5f * em - w), PB_MAX(0, w - 0.25f * em) + w * 0.1f,
                              true, true);
                    glued = true;
                } else {
                    push_glue(L, G_INTER, 0, HAN_STRETCH_EM * hem, 0, true, true);
                    glued = true;
                }
            } else {
                /* Latin and Latin */
                if (space) {
                    float w = space_width(L, space_ch);
                    const pb_textstyle *ss = style_of(L, space_ch);
                    if (ss->mono)
                        push_glue(L, G_SPACE, w, 0, 0, true, true);
                    else
                        push_glue(L, G_SPACE, w, PB_MAX(0, 0.5f * em - w),
                                  PB_MAX(w * 0.2f, w - 0.25f * em), true, true);
                    glued = true;
                } else {
                    can_merge = true;
                }
            }
            /* break opportunity before this char. A break between two glyphs that
             * touch (inside a word or a URL) gives the last glyph back its own
             * advance: HarfBuzz's kerning with the next glyph no longer applies. */
            bool unsafe = c->ng && L->g[c->g0].unsafe;
            float kern_fix = 0;
            if (!glued) {
                int64_t k = (int64_t)prev;
                while (k > 0 && L->ch[k].ng == 0)
                    k--;
                if (L->ch[k].ng) {
                    const gly *lg = &L->g[L->ch[k].g0 + L->ch[k].ng - 1];
                    const pb_textstyle *ls = style_of(L, (uint32_t)k);
                    kern_fix = (float)pb_font_glyph_advance(lg->font, lg->gid) * ls->size /
                                   (float)pb_font_upem(lg->font) - lg->adv;
                }
            }
            if (c->brk == PB_BRK_SOFT || c->brk == PB_BRK_HARD) {
                if (c->brk == PB_BRK_HARD && !space)
                    push_pen(L, 0, false, kern_fix);
                else
                    push_pen(L, c->url_brk3 ? 2000.0f : c->url_brk2 ? 300.0f : c->url_brk ? 100.0f : 0.0f,
                             false, kern_fix);
                can_merge = false;
            } else if (c->hyph && !unsafe && !glued) {
                /* hyphen width from the font of the preceding letter */
                float hw = 0;
                pb_font *hf = a->font;
                if (hf) {
                    uint32_t hg = pb_font_glyph(hf, 0x2010);
                    if (!hg)
                        hg = pb_font_glyph(hf, '-');
                    hw = hg ? (float)pb_font_glyph_advance(hf, hg) * sa->size / (float)pb_font_upem(hf)
                            : 0;
                }
                push_pen(L, 50.0f, true, hw + kern_fix);
                can_merge = false;
            }
        }
        space = false;

        /* the unit itself */
        if (c->cls == C_PUNCT && c->ng) {
            float full = cluster_width(L, i);
            int bl = 0, br = 0;
            /* in a character-grid design every mark fills its cell */
            if (c->ng == 1 && full >= 0.9f * em && !L->p->full_punct)
                pb_punct_blanks(L->g[c->g0].font, L->g[c->g0].gid, c->cp, &bl, &br);
            float s = em / (float)pb_font_upem(L->g[c->g0].font);
            float bl_pt = (float)bl * s, br_pt = (float)br * s;
            /* rule 5: two adjacent marks take 1.5 em: remove a blank half between them */
            if (prev >= 0 && prev_br >= 0 && L->ch[prev].cls == C_PUNCT && L->nit >= 1) {
                float removed = 0;
                float half = 0.5f * em;
                if (prev_br_w > 0) {
                    item *g = &L->it[prev_br];
                    removed = PB_MIN(prev_br_w, half);
                    g->w -= removed;
                    g->sh = PB_MAX(0, g->sh - removed);
                }
                if (removed < half - 0.01f && bl_pt > 0) {
                    float take = PB_MIN(bl_pt, half - removed);
                    bl_pt -= take;
                }
            } else if (prev >= 0 && L->ch[prev].cls == C_PUNCT && bl_pt > 0 && prev_br < 0) {
                /* previous mark had no blank right (an opening mark): trim ours */
                bl_pt = PB_MAX(0, bl_pt - 0.5f * em);
            }
            float trimmed_l = (float)bl * s - bl_pt; /* removed for good */
            if (bl_pt > 0) {
                push_glue(L, G_BL, bl_pt, 0, bl_pt, true, false);
                L->it[L->nit - 1].pk = c->pk;
            }
            item *b = push_item(L, IT_BOX);
            b->w = full - (float)bl * s - br_pt;
            b->g0 = c->g0;
            b->g1 = c->g0 + c->ng;
            b->gx = -(float)bl * s;
            b->c0 = i;
            b->c1 = i + 1;
            (void)trimmed_l;
            if (br_pt > 0) {
                push_glue(L, G_BR, br_pt, 0, br_pt, false, false);
                L->it[L->nit - 1].pk = c->pk;
                prev_br = L->nit - 1;
                prev_br_w = br_pt;
            } else {
                prev_br = -1;
                prev_br_w = 0;
            }
            prev_box = -1;
        } else {
            if (can_merge && prev_box >= 0 && (int64_t)L->nit - 1 == prev_box) {
                item *b = &L->it[prev_box];
                b->w += cluster_width(L, i);
                b->g1 = c->g0 + c->ng;
                b->c1 = i + 1;
            } else {
                item *b = push_item(L, IT_BOX);
                b->w = cluster_width(L, i);
                b->g0 = c->g0;
                b->g1 = c->g0 + c->ng;
                b->c0 = i;
                b->c1 = i + 1;
                prev_box = L->nit - 1;
            }
            prev_br = -1;
            prev_br_w = 0;
            if (c->cls == C_HAN)
                prev_box = -1; /* Han boxes never merge */
        }
        prev = i;
    }
    /* paragraph end: fill and a forced break */
    push_glue(L, G_FILL, 0, 0, 0, false, true);
    push_pen(L, -PEN_INF, false, 0);

    /* rule 11: the last line holds at least 2 characters */
    uint32_t chars = 0;
    for (int64_t k = (int64_t)L->nit - 2; k >= 0; k--) {
        item *it = &L->it[k];
        if (it->type == IT_BOX)
            chars += it->c1 - it->c0;
        else if (it->type == IT_PEN && it->pen > -PEN_INF) {
            if (chars < 2)
                it->pen = PEN_INF;
            else
                break;
        } else if (it->type == IT_PEN) {
            break;
        }
    }
}

/* ---- optimal fit ---- */

typedef struct node {
    int32_t pos;  /* item index of the break (-1: paragraph start) */
    int32_t prev; /* node index */
    int32_t line;
    int8_t fit;
    double total;
} node;

typedef struct sums {
    double w, st, sh;
} sums;

typedef struct kp {
    lay *L;
    sums *cum;        /* cum[i] = sums of items [0, i) */
    uint32_t *after;  /* first item of a line that starts after break i */
    uint32_t *before; /* end (exclusive) of a line that ends at break i */
    float width;
    float ragged;     /* extra stretch per line for unjustified alignment */
} kp;

static void kp_prepare(kp *K)
{
    lay *L = K->L;
    uint32_t n = L->nit;
    K->cum = pb_xmalloc(((size_t)n + 1) * sizeof(sums));
    K->after = pb_xmalloc(((size_t)n + 1) * sizeof(uint32_t));
    K->before = pb_xmalloc(((size_t)n + 1) * sizeof(uint32_t));
    sums s = {0, 0, 0};
    for (uint32_t i = 0; i < n; i++) {
        K->cum[i] = s;
        item *it = &L->it[i];
        if (it->type == IT_BOX) {
            s.w += it->w;
        } else if (it->type == IT_GLUE) {
            s.w += it->w;
            s.st += it->st;
            s.sh += it->sh;
        }
    }
    K->cum[n] = s;
    /* after[i]: skip glue discarded at a line start, and penalties */
    uint32_t next_keep = n;
    for (int64_t i = (int64_t)n - 1; i >= 0; i--) {
        K->after[i] = next_keep;
        item *it = &L->it[i];
        bool skip = it->type == IT_PEN || (it->type == IT_GLUE && it->disc_start);
        if (!skip)
            next_keep = (uint32_t)i;
    }
    K->after[n] = n;
    /* before[i]: back over glue discarded at a line end, and penalties */
    uint32_t keep_end = 0;
    for (uint32_t i = 0; i < n; i++) {
        K->before[i] = keep_end;
        item *it = &L->it[i];
        bool skip = it->type == IT_PEN || (it->type == IT_GLUE && it->disc_end);
        if (!skip)
            keep_end = i + 1;
    }
    K->before[n] = keep_end;
}

static uint32_t line_start(const kp *K, int32_t brk)
{
    if (brk < 0) {
        /* the paragraph start: nothing is discarded except leading glue */
        uint32_t s = 0;
        while (s < K->L->nit && K->L->it[s].type != IT_BOX && !(K->L->it[s].type == IT_GLUE && !K->L->it[s].disc_start))
            s++;
        return s;
    }
    return K->after[brk];
}

/* Natural width, stretch and shrink of the line between two breaks. */
static void line_sums(const kp *K, int32_t a, int32_t b, sums *out, bool *fill)
{
    uint32_t s = line_start(K, a);
    uint32_t e = K->before[b];
    if (e < s)
        e = s;
    const item *pb = &K->L->it[b];
    out->w = K->cum[e].w - K->cum[s].w + pb->w; /* a hyphen, a kerning fix */
    out->st = K->cum[e].st - K->cum[s].st;
    out->sh = K->cum[e].sh - K->cum[s].sh;
    /* a forced break ends a line that need not be full (paragraph end, hard break) */
    *fill = pb->pen <= -PEN_INF;
}

static int fitness(double r)
{
    if (r < -0.5)
        return 0;
    if (r <= 0.5)
        return 1;
    if (r <= 1)
        return 2;
    return 3;
}

#define BAD_INF 10000.0
#define BAD_MAX 1e9
#define LINE_PENALTY 10.0
#define ADJ_DEMERITS 10000.0
#define DOUBLE_HYPHEN_DEMERITS 3000.0

/* Returns the number of breaks written to brks (item indexes), or 0 when this pass
 * found no way through. */
static uint32_t kp_run(kp *K, double tol, bool final, int32_t **brks_out)
{
    lay *L = K->L;
    node *nodes = NULL;
    size_t nn = 0, capn = 0;
    int32_t *active = NULL;
    size_t na = 0, capa = 0;
    node start = {-1, -1, 0, 1, 0};
    PB_PUSH(nodes, nn, capn, start);
    int32_t zero = 0;
    PB_PUSH(active, na, capa, zero);
    double width = K->width;
    int32_t last = -1;

    for (uint32_t b = 0; b < L->nit; b++) {
        item *it = &L->it[b];
        if (it->type != IT_PEN || it->pen >= PEN_INF)
            continue;
        double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        int32_t from[4] = {-1, -1, -1, -1};
        double rescue_total = INFINITY;
        int32_t rescue_from = -1;
        bool forced = it->pen <= -PEN_INF;
        size_t keep = 0;
        for (size_t k = 0; k < na; k++) {
            int32_t ai = active[k];
            node *a = &nodes[ai];
            sums s;
            bool fill;
            line_sums(K, a->pos, (int32_t)b, &s, &fill);
            double shortfall = width - s.w;
            double r, bad;
            bool overfull = false;
            if (shortfall > 0.001) {
                if (fill) {
                    r = 0;
                    bad = 0;
                } else {
                    double st = s.st + K->ragged;
                    /* Badness grows without a cap (unlike TeX's 10000) so that the
                     * last pass still tells a slightly loose line from a gaping one. */
                    if (st > 0.0001) {
                        r = shortfall / st;
                        bad = PB_MIN(BAD_MAX, 100.0 * r * r * r);
                    } else {
                        r = 1e6;
                        bad = BAD_MAX;
                    }
                }
            } else if (shortfall < -0.001) {
                if (-shortfall > s.sh + 0.001) {
                    overfull = true;
                    r = -1e6;
                    bad = BAD_MAX;
                } else {
                    r = shortfall / (s.sh > 0 ? s.sh : 1);
                    bad = 100.0 * fabs(r * r * r);
                }
            } else {
                r = 0;
                bad = 0;
            }
            bool deactivate = overfull || forced;
            if (!overfull && bad <= tol) {
                double d = LINE_PENALTY + bad;
                d = d * d;
                if (it->pen > 0)
                    d += (double)it->pen * it->pen;
                else if (it->pen > -PEN_INF)
                    d -= (double)it->pen * it->pen;
                if (it->flagged && a->pos >= 0 && L->it[a->pos].flagged)
                    d += DOUBLE_HYPHEN_DEMERITS;
                int fc = fitness(fill ? 0 : r);
                if (abs(fc - a->fit) > 1)
                    d += ADJ_DEMERITS;
                double total = a->total + d;
                if (total < best[fc]) {
                    best[fc] = total;
                    from[fc] = ai;
                }
            } else if (final && overfull && a->total < rescue_total) {
                rescue_total = a->total;
                rescue_from = ai;
            }
            if (!deactivate)
                active[keep++] = ai;
        }
        na = keep;
        double minb = INFINITY;
        for (int fc = 0; fc < 4; fc++)
            minb = PB_MIN(minb, best[fc]);
        bool any = minb < INFINITY;
        if (!any && final && rescue_from >= 0 && na == 0) {
            /* Nothing fits: accept an overfull line here rather than fail (the line
             * is reported as overfull when it is set). */
            best[1] = rescue_total + BAD_MAX * BAD_MAX;
            from[1] = rescue_from;
            minb = best[1];
            any = true;
        }
        if (any) {
            for (int fc = 0; fc < 4; fc++) {
                if (from[fc] < 0 || best[fc] > minb + ADJ_DEMERITS)
                    continue;
                node nd = {(int32_t)b, from[fc], nodes[from[fc]].line + 1, (int8_t)fc, best[fc]};
                PB_PUSH(nodes, nn, capn, nd);
                int32_t idx = (int32_t)nn - 1;
                PB_PUSH(active, na, capa, idx);
                if (forced)
                    last = idx;
            }
            if (forced) {
                /* only the best node survives a forced break */
                int32_t bi = -1;
                double bt = INFINITY;
                for (size_t k = 0; k < na; k++)
                    if (nodes[active[k]].pos == (int32_t)b && nodes[active[k]].total < bt) {
                        bt = nodes[active[k]].total;
                        bi = active[k];
                    }
                na = 0;
                if (bi >= 0)
                    PB_PUSH(active, na, capa, bi);
                last = bi;
            }
        }
        if (na == 0) {
            free(nodes);
            free(active);
            return 0;
        }
    }
    uint32_t count = 0;
    for (int32_t k = last; k >= 0 && nodes[k].pos >= 0; k = nodes[k].prev)
        count++;
    int32_t *brks = pb_xmalloc((count ? count : 1) * sizeof(int32_t));
    uint32_t i = count;
    for (int32_t k = last; k >= 0 && nodes[k].pos >= 0; k = nodes[k].prev)
        brks[--i] = nodes[k].pos;
    free(nodes);
    free(active);
    *brks_out = brks;
    return count;
}

/* First fit, for paragraphs too long for optimal fit: linear time. */
static uint32_t greedy_run(kp *K, int32_t **brks_out)
{
    lay *L = K->L;
    int32_t *brks = NULL;
    size_t nb = 0, cap = 0;
    int32_t start = -1, candidate = -1;
    for (uint32_t b = 0; b < L->nit; b++) {
        item *it = &L->it[b];
        if (it->type != IT_PEN || it->pen >= PEN_INF)
            continue;
        sums s;
        bool fill;
        line_sums(K, start, (int32_t)b, &s, &fill);
        bool fits = s.w - s.sh <= K->width + 0.001;
        if (!fits && candidate >= 0) {
            PB_PUSH(brks, nb, cap, candidate);
            start = candidate;
            candidate = -1;
            b = (uint32_t)start; /* re-examine from the new line start */
            continue;
        }
        if (it->pen <= -PEN_INF || !fits) {
            PB_PUSH(brks, nb, cap, (int32_t)b);
            start = (int32_t)b;
            candidate = -1;
            continue;
        }
        candidate = (int32_t)b;
    }
    *brks_out = brks;
    return (uint32_t)nb;
}

/* ---- setting lines ---- */

typedef struct run_builder {
    pb_arena *arena;
    pb_run *runs;
    size_t n, cap;
    pb_glyph *gl;
    size_t ngl, capgl;
} run_builder;

enum { SH_LINEEND, SH_SPACE, SH_BRACKET, SH_HL, SH_STOP, SH_N };

static int shrink_class(const item *g, bool line_end)
{
    switch (g->gk) {
    case G_SPACE:
        return SH_SPACE;
    case G_HL:
        return SH_HL;
    case G_BL:
    case G_BR:
        if (line_end)
            return SH_LINEEND;
        if (g->pk == PB_PUNCT_OPEN || g->pk == PB_PUNCT_CLOSE || g->pk == PB_PUNCT_MIDDLE)
            return SH_BRACKET;
        return SH_STOP;
    default:
        return SH_STOP;
    }
}

static bool stop_mark_is_bracketlike(uint32_t cp)
{
    /* rule 10: ，、； shrink with the brackets, before 。？！ */
    return cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B;
}

static void warn_line(lay *L, uint32_t c0, const char *what, double amount, uint32_t s_off,
                      uint32_t e_off)
{
    if (c0 >= L->nch)
        c0 = L->nch ? L->nch - 1 : 0;
    const pb_span *sp = L->nch ? &L->p->spans[L->ch[c0].span] : &L->p->spans[0];
    /* column: the span's column plus the characters before c0 in the span, when the
     * span's text holds no line break */
    int col = sp->col;
    bool nl = false;
    for (uint32_t k = sp->start; k < L->ch[c0].off && k < L->p->len; k++)
        if (L->p->text[k] == '\n')
            nl = true;
    if (!nl)
        col += (int)pb_utf8_count(L->p->text + sp->start, L->ch[c0].off - sp->start);
    size_t n = e_off > s_off ? e_off - s_off : 0;
    if (n > 120) {
        /* keep the message short: cut at a character boundary */
        n = 120;
        while (n > 0 && ((unsigned char)L->p->text[s_off + n] & 0xC0) == 0x80)
            n--;
    }
    pb_diag_add(L->diags, PB_WARNING, L->p->file, sp->line, col, "%s (%.1fpt) in line: %.*s", what,
                amount, (int)n, L->p->text + s_off);
}

static void set_line(lay *L, const kp *K, int32_t a, int32_t b, pb_line *ln, pb_arena *arena,
                     pb_text_align align)
{
    const item *pb = &L->it[b];
    uint32_t s = line_start(K, a), e = K->before[b];
    if (e < s)
        e = s;
    bool fill = pb->pen <= -PEN_INF;
    bool hyphen = pb->flagged;
    double natural = K->cum[e].w - K->cum[s].w + pb->w;
    double width = K->width;
    double delta = width - natural;
    bool justify = align == PB_JUSTIFY && (!fill || L->p->last_line_justify);
    /* glue adjustments by class, rule 10 */
    double adj_space = 0, adj_hl = 0, adj_inter = 0; /* stretch per unit of st */
    uint32_t n_inter = 0, n_space = 0, n_hl = 0;
    double cs = 0, ch = 0, extra = 0, extra_hl = 0;
    double shr[SH_N] = {0}, shr_ratio[SH_N] = {0};
    int64_t last_glue = -1;
    for (uint32_t i = s; i < e; i++) {
        const item *it = &L->it[i];
        if (it->type == IT_BOX && (it->w > 0 || it->g1 > it->g0))
            last_glue = -1;
        if (it->type != IT_GLUE)
            continue;
        last_glue = i;
        if (it->gk == G_SPACE) {
            cs += it->st;
            n_space++;
        } else if (it->gk == G_HL) {
            ch += it->st;
            n_hl++;
        } else if (it->gk == G_INTER) {
            n_inter++;
        }
    }
    for (uint32_t i = s; i < e; i++) {
        const item *it = &L->it[i];
        if (it->type != IT_GLUE)
            continue;
        int c = shrink_class(it, (int64_t)i == last_glue && it->gk == G_BR);
        if (c == SH_STOP && (it->gk == G_BL || it->gk == G_BR)) {
            /* find the mark this blank belongs to */
            uint32_t box = it->gk == G_BR ? i - 1 : i + 1;
            if (box < L->nit && L->it[box].type == IT_BOX && stop_mark_is_bracketlike(L->ch[L->it[box].c0].cp))
                c = SH_BRACKET;
        }
        shr[c] += it->sh;
    }
    double set_w = natural;
    bool overfull = false;
    double over_by = 0;
    if (delta > 0.001 && justify) {
        double rem = delta;
        double t1 = PB_MIN(rem, cs);
        rem -= t1;
        double t2 = PB_MIN(rem, ch);
        rem -= t2;
        if (rem > 0.001 && n_inter > 0) {
            /* rule 10: then equal space between all characters, up to a quarter em */
            double cap = 0.25 * L->p->spans[0].style.size * n_inter;
            double t3 = PB_MIN(rem, cap);
            adj_inter = t3 / n_inter;
            rem -= t3;
        }
        if (rem > 0.001 && n_inter + n_space + n_hl > 0) {
            /* past every limit: spread what is left evenly over the gaps between
             * characters and words, rather than opening a few very wide; Han-Latin
             * gaps keep their limit unless nothing else can take it */
            extra = rem / (double)(n_inter + n_space > 0 ? n_inter + n_space : n_hl);
            extra_hl = n_inter + n_space > 0 ? 0 : extra;
            if (n_inter + n_space == 0)
                extra = 0;
            rem = 0;
        }
        adj_space = cs > 0 ? t1 / cs : 0;
        adj_hl = ch > 0 ? t2 / ch : 0;
        set_w = natural + (delta - rem);
        if (rem > 0.5 && !fill)
            warn_line(L, L->it[s < L->nit ? s : 0].c0, "underfull line: no space to stretch", rem,
                      L->ch[L->it[s].c0 < L->nch ? L->it[s].c0 : 0].off,
                      e > s && L->it[e - 1].c1 > 0 ? L->ch[L->it[e - 1].c1 - 1].off + L->ch[L->it[e - 1].c1 - 1].len : 0);
        else if ((extra > 0.1 * L->p->spans[0].style.size || extra_hl > 0) && !fill)
            warn_line(L, L->it[s].c0, "loose line: every gap stretched past its limit", extra + extra_hl,
                      L->ch[L->it[s].c0 < L->nch ? L->it[s].c0 : 0].off,
                      e > s && L->it[e - 1].c1 > 0 ? L->ch[L->it[e - 1].c1 - 1].off + L->ch[L->it[e - 1].c1 - 1].len : 0);
    } else if (delta < -0.001) {
        double rem = -delta;
        for (int c = 0; c < SH_N; c++) {
            double t = PB_MIN(rem, shr[c]);
            shr_ratio[c] = shr[c] > 0 ? t / shr[c] : 0;
            rem -= t;
        }
        set_w = natural - (-delta - rem);
        if (rem > 0.05) {
            overfull = true;
            over_by = rem;
        }
    }
    (void)shr_ratio;

    /* place glyphs */
    run_builder rb = {.arena = arena};
    pb_glyph *glyphs = NULL;
    size_t ng = 0, capg = 0;
    typedef struct gsrc {
        const gly *g;
        const chr *c;
        float x;
        uint32_t text_off, text_len;
    } gsrc;
    gsrc *src = NULL;
    size_t nsrc = 0, capsrc = 0;
    pb_line_mark *marks = NULL;
    size_t nm = 0, capm = 0;
    double x = 0;
    for (uint32_t i = s; i < e; i++) {
        const item *it = &L->it[i];
        if (it->type == IT_GLUE) {
            double w = it->w;
            if (delta > 0.001 && justify) {
                if (it->gk == G_SPACE)
                    w += it->st * adj_space + extra;
                else if (it->gk == G_HL)
                    w += it->st * adj_hl + extra_hl;
                else if (it->gk == G_INTER)
                    w += adj_inter + extra;
            } else if (delta < -0.001) {
                int c = shrink_class(it, (int64_t)i == last_glue && it->gk == G_BR);
                if (c == SH_STOP && (it->gk == G_BL || it->gk == G_BR)) {
                    uint32_t box = it->gk == G_BR ? i - 1 : i + 1;
                    if (box < L->nit && L->it[box].type == IT_BOX &&
                        stop_mark_is_bracketlike(L->ch[L->it[box].c0].cp))
                        c = SH_BRACKET;
                }
                w -= it->sh * shr_ratio[c];
            }
            x += w;
            continue;
        }
        if (it->type != IT_BOX)
            continue;
        double gx = x + it->gx;
        for (uint32_t k = it->g0; k < it->g1; k++) {
            const gly *g = &L->g[k];
            const chr *c = &L->ch[g->ch];
            gsrc sg = {g, c, (float)(gx + g->dx), 0, 0};
            if (c->g0 == k) {
                /* first glyph of its cluster: it carries the cluster's text */
                uint32_t endc = g->ch + 1;
                while (endc < L->nch && L->ch[endc].ng == 0 && L->ch[endc].cls != C_SPACE &&
                       L->ch[endc].cls != C_NEWLINE && L->ch[endc].cls != C_SKIP)
                    endc++;
                sg.text_off = c->off;
                sg.text_len = (endc < L->nch ? L->ch[endc].off : L->p->len) - c->off;
                if (endc < L->nch && endc > g->ch + 1)
                    sg.text_len = L->ch[endc - 1].off + L->ch[endc - 1].len - c->off;
                else
                    sg.text_len = c->len;
            }
            PB_PUSH(src, nsrc, capsrc, sg);
            gx += g->adv;
        }
        /* marks: links and footnote references */
        for (uint32_t ci = it->c0; ci < it->c1 && ci < L->nch; ci++) {
            const pb_textstyle *st = style_of(L, ci);
            int kind = st->footref ? PB_MARK_FOOTREF : st->link ? PB_MARK_LINK : -1;
            if (kind < 0)
                continue;
            int id = st->footref ? st->footref : st->link;
            if (nm && marks[nm - 1].kind == (unsigned)kind && marks[nm - 1].id == id) {
                marks[nm - 1].x1 = (float)(x + it->w);
            } else {
                pb_line_mark m = {kind, id, (float)x, (float)(x + it->w)};
                PB_PUSH(marks, nm, capm, m);
            }
            break;
        }
        x += it->w;
    }
    uint32_t text_end = 0, text_start = L->p->len;
    for (uint32_t i = s; i < e; i++) {
        const item *it = &L->it[i];
        if (it->type == IT_BOX && it->c1 > it->c0) {
            text_start = PB_MIN(text_start, L->ch[it->c0].off);
            text_end = PB_MAX(text_end, L->ch[it->c1 - 1].off + L->ch[it->c1 - 1].len);
        }
    }
    if (text_start > text_end)
        text_start = text_end;
    /* the hyphen at a hyphenated break */
    gly hyph_g;
    chr hyph_c;
    if (hyphen && nsrc) {
        const gsrc *lastg = &src[nsrc - 1];
        pb_font *hf = lastg->g->font;
        uint32_t hg = pb_font_glyph(hf, 0x2010);
        if (!hg)
            hg = pb_font_glyph(hf, '-');
        const pb_textstyle *st = style_of(L, lastg->g->ch);
        hyph_g = (gly){hg, (float)(pb_font_glyph_advance(hf, hg) * st->size / pb_font_upem(hf)), 0, 0,
                       lastg->g->ch, hf, false};
        hyph_c = *lastg->c;
        x += pb->w - hyph_g.adv; /* the kerning fix of the last letter */
        gsrc sg = {&hyph_g, &hyph_c, (float)x, UINT32_MAX, 1};
        PB_PUSH(src, nsrc, capsrc, sg);
        x += hyph_g.adv;
    } else {
        x += pb->w; /* the last glyph's own advance, without kerning */
    }
    if (overfull)
        warn_line(L, L->it[s].c0, "overfull line: text sticks out", over_by, text_start, text_end);

    /* group glyphs into runs */
    const char *hyphen_text = "-";
    float asc = 0, desc = 0;
    for (size_t k = 0; k < nsrc; k++) {
        const gsrc *sg = &src[k];
        const pb_textstyle *st = style_of(L, sg->g->ch);
        pb_font *f = sg->g->font;
        bool sb = sg->c->synth_bold, si = sg->c->synth_italic;
        float fa = (float)pb_font_ascender(f) * st->size / (float)pb_font_upem(f) + st->rise;
        float fd = -(float)pb_font_descender(f) * st->size / (float)pb_font_upem(f) - st->rise;
        asc = PB_MAX(asc, fa);
        desc = PB_MAX(desc, fd);
        pb_run *r = rb.n ? &rb.runs[rb.n - 1] : NULL;
        bool same = r && r->font == f && r->size == st->size && r->synth_bold == sb &&
                    r->synth_italic == si && pb_color_eq(r->color, st->color) &&
                    (sg->text_off != UINT32_MAX);
        if (!same) {
            pb_run nr = {0};
            nr.font = f;
            nr.size = st->size;
            nr.x = sg->x;
            nr.y = 0;
            nr.color = st->color;
            nr.synth_bold = sb;
            nr.synth_italic = si;
            nr.text = sg->text_off == UINT32_MAX ? hyphen_text : NULL; /* set below */
            PB_PUSH(rb.runs, rb.n, rb.cap, nr);
            r = &rb.runs[rb.n - 1];
            r->glyphs = (pb_glyph *)(uintptr_t)ng; /* index for now */
        }
        pb_glyph pg = {sg->g->gid, sg->x - r->x, sg->g->dy + st->rise,
                       sg->text_off == UINT32_MAX ? 0 : sg->text_off, sg->text_len};
        if (!sg->text_len)
            pg.text_off = 0;
        PB_PUSH(glyphs, ng, capg, pg);
        r->n++;
    }
    /* move runs and glyphs into the arena */
    pb_glyph *ga = pb_arena_memdup(arena, glyphs, ng * sizeof(pb_glyph));
    for (size_t k = 0; k < rb.n; k++) {
        size_t idx = (size_t)(uintptr_t)rb.runs[k].glyphs;
        rb.runs[k].glyphs = ga + idx;
    }
    ln->runs = pb_arena_memdup(arena, rb.runs, rb.n * sizeof(pb_run));
    ln->n_runs = rb.n;
    ln->marks = nm ? pb_arena_memdup(arena, marks, nm * sizeof(pb_line_mark)) : NULL;
    ln->n_marks = nm;
    ln->natural = (float)natural;
    (void)set_w;
    ln->width = (float)x;
    ln->ratio = (float)delta; /* + stretched, - shrunk, in pt */
    ln->hyphen = hyphen;
    ln->last = fill;
    ln->start = text_start;
    ln->end = text_end;
    ln->ascent = asc;
    ln->descent = desc;
    switch (align) {
    case PB_CENTER:
        ln->x = (float)((width - x) / 2);
        break;
    case PB_RIGHT:
        ln->x = (float)(width - x);
        break;
    default:
        ln->x = 0;
        break;
    }
    free(rb.runs);
    free(glyphs);
    free(src);
    free(marks);
}

/* The stages every use of a paragraph shares: characters, fonts, shaping, break
 * opportunities, items and the sums for line widths. */
static void lay_prepare(lay *L, kp *K)
{
    build_chars(L);
    pick_fonts(L);
    shape_all(L);
    find_breaks(L);
    build_items(L);
    K->L = L;
    kp_prepare(K);
}

static void lay_free(lay *L, kp *K)
{
    free(K->cum);
    free(K->after);
    free(K->before);
    free(L->ch);
    free(L->byte2ch);
    free(L->g);
    free(L->it);
}

static pb_para_lines *layout(pb_text *t, const pb_para *p, pb_arena *arena, pb_diags *diags);

pb_para_lines *pb_para_layout(pb_text *t, const pb_para *p, pb_arena *arena, pb_diags *diags)
{
    /* every 64th: the callback only looks at the clock, but need not do it that often */
    if (t->progress && ++t->n_laid % 64 == 0)
        t->progress(t->progress_user, t->n_laid);
    if (!t->cache || !p->n_spans || !p->len)
        return layout(t, p, arena, diags);
    pb_buf key;
    pb_buf_init(&key);
    pb_para_cache_key(p, &key);
    pb_para_lines *r = pb_para_cache_get(t->cache, p, &key, diags);
    if (!r) {
        size_t first = diags->n;
        pb_arena *ea = pb_arena_new_sized(2048);
        r = layout(t, p, ea, diags);
        pb_para_cache_put(t->cache, p, &key, ea, r, diags, first);
    }
    pb_buf_free(&key);
    return r;
}

static pb_para_lines *layout(pb_text *t, const pb_para *p, pb_arena *arena, pb_diags *diags)
{
    pb_para_lines *out = pb_arena_alloc(arena, sizeof *out);
    char *text = pb_arena_strndup(arena, p->text, p->len);
    out->text = text;
    out->len = p->len;
    if (p->n_spans == 0 || p->len == 0)
        return out;
    pb_para pc = *p;
    pc.text = text;
    lay L = {.t = t, .p = &pc, .diags = diags};
    kp K = {.width = p->width};
    if (p->align != PB_JUSTIFY)
        K.ragged = 3.0f * p->spans[0].style.size;
    lay_prepare(&L, &K);
    int32_t *brks = NULL;
    uint32_t nb = 0;
    if (L.nit > PB_MAX_OPTIMAL_FIT_ITEMS) {
        /* house style rule 5: a cap that is hit says so, where */
        pb_diag_add(diags, PB_WARNING, p->file, p->spans[0].line, p->spans[0].col,
                    "this paragraph is too long to be broken as a whole (%u items, the limit "
                    "is %d); its lines are filled one by one",
                    L.nit, PB_MAX_OPTIMAL_FIT_ITEMS);
        nb = greedy_run(&K, &brks);
    } else {
        nb = kp_run(&K, 300, false, &brks);
        if (!nb)
            nb = kp_run(&K, BAD_MAX, true, &brks);
        if (!nb)
            nb = greedy_run(&K, &brks);
    }
    out->lines = pb_arena_alloc(arena, (nb ? nb : 1) * sizeof(pb_line));
    int32_t a = -1;
    for (uint32_t i = 0; i < nb; i++) {
        pb_line *ln = &out->lines[out->n];
        set_line(&L, &K, a, brks[i], ln, arena, p->align);
        for (size_t r = 0; r < ln->n_runs; r++)
            if (!ln->runs[r].text)
                ln->runs[r].text = text;
        out->n++;
        a = brks[i];
    }
    /* an empty paragraph (only spaces) still sets nothing */
    if (out->n == 1 && out->lines[0].n_runs == 0 && p->indent <= 0)
        out->n = 0;
    free(brks);
    lay_free(&L, &K);
    return out;
}

void pb_para_measure(pb_text *t, const pb_para *p, float *min_w, float *max_w, pb_diags *diags)
{
    *min_w = *max_w = 0;
    if (p->n_spans == 0 || p->len == 0)
        return;
    lay L = {.t = t, .p = p, .diags = diags};
    kp K = {.width = 1e9f};
    lay_prepare(&L, &K);
    int32_t prev = -1, forced_prev = -1;
    for (uint32_t b = 0; b < L.nit; b++) {
        const item *it = &L.it[b];
        if (it->type != IT_PEN || it->pen >= PEN_INF)
            continue;
        sums s;
        bool fill;
        line_sums(&K, prev, (int32_t)b, &s, &fill);
        *min_w = PB_MAX(*min_w, (float)s.w);
        prev = (int32_t)b;
        if (it->pen <= -PEN_INF) {
            line_sums(&K, forced_prev, (int32_t)b, &s, &fill);
            *max_w = PB_MAX(*max_w, (float)s.w);
            forced_prev = (int32_t)b;
        }
    }
    lay_free(&L, &K);
}

float pb_text_shape_line(pb_text *t, const char *text, size_t len, const pb_textstyle *st,
                         pb_arena *arena, pb_run *run_out, pb_diags *diags)
{
    pb_span sp = {0, (uint32_t)len, *st, 0, 0};
    pb_para p = {text, (uint32_t)len, &sp, 1, 1e7f, 0, PB_LEFT, false, NULL, false};
    pb_arena *a = arena ? arena : pb_arena_new();
    pb_para_lines *pl = pb_para_layout(t, &p, a, diags);
    float w = 0;
    if (run_out)
        memset(run_out, 0, sizeof *run_out);
    if (pl->n) {
        const pb_line *ln = &pl->lines[0];
        w = ln->width;
        if (run_out && ln->n_runs) {
            /* merge the line's runs into one when they share a font; otherwise the
             * first run (callers that need more use pb_para_layout) */
            *run_out = ln->runs[0];
        }
    }
    if (!arena)
        pb_arena_free(a);
    return w;
}

void pb_line_text(const pb_para_lines *pl, const pb_line *ln, pb_buf *out)
{
    /* The source text of the line, white space collapsed, plus an inserted hyphen. */
    bool in_space = false;
    for (uint32_t k = ln->start; k < ln->end && k < pl->len; k++) {
        char c = pl->text[k];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            in_space = true;
            continue;
        }
        if (in_space)
            pb_buf_addc(out, ' ');
        in_space = false;
        pb_buf_addc(out, c);
    }
    if (ln->hyphen)
        pb_buf_addc(out, '-');
}

/* One cluster of a set line, for the annotated dump. */
typedef struct dump_cl {
    float x, end;
    const char *text;
    uint32_t len;
} dump_cl;

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

void pb_line_dump(const pb_para_lines *pl, const pb_line *ln, pb_buf *out)
{
    (void)pl;
    dump_cl *cl = NULL;
    size_t n = 0, cap = 0;
    for (size_t r = 0; r < ln->n_runs; r++) {
        const pb_run *run = &ln->runs[r];
        float scale = run->size / (float)pb_font_upem(run->font);
        for (uint32_t k = 0; k < run->n; k++) {
            const pb_glyph *g = &run->glyphs[k];
            float x = run->x + g->x;
            float adv = (float)pb_font_glyph_advance(run->font, g->gid) * scale;
            if (g->text_len || n == 0) {
                dump_cl c = {x, x + adv, run->text + g->text_off, g->text_len};
                PB_PUSH(cl, n, cap, c);
            } else {
                cl[n - 1].end = PB_MAX(cl[n - 1].end, x + adv);
            }
        }
    }
    /* the most common gap (the justification's inter-character stretch) is given
     * once; every other gap is shown where it is */
    float mode = 0;
    if (n > 1) {
        float *gaps = pb_xmalloc((n - 1) * sizeof(float));
        for (size_t i = 1; i < n; i++)
            gaps[i - 1] = roundf((cl[i].x - cl[i - 1].end) * 100) / 100;
        qsort(gaps, n - 1, sizeof(float), cmp_float);
        size_t best = 0, run_len = 0;
        for (size_t i = 0; i < n - 1; i++) {
            size_t j = i;
            while (j + 1 < n - 1 && gaps[j + 1] == gaps[i])
                j++;
            if (j - i + 1 > run_len) {
                run_len = j - i + 1;
                best = i;
            }
            i = j;
        }
        mode = gaps[best];
        free(gaps);
    }
    pb_buf_printf(out, "gap=%+.2f |", mode);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            float gap = roundf((cl[i].x - cl[i - 1].end) * 100) / 100;
            /* between two ASCII characters only spaces are shown, not kerning */
            bool ascii = cl[i].len && cl[i - 1].len && (unsigned char)cl[i].text[0] < 0x80 &&
                         (unsigned char)cl[i - 1].text[0] < 0x80;
            if (ascii ? fabsf(gap) > 1.5f : fabsf(gap - mode) > 0.005f)
                pb_buf_printf(out, "<%+.2f>", gap);
        }
        pb_buf_add(out, cl[i].text, cl[i].len);
    }
    pb_buf_adds(out, "|");
    free(cl);
}
