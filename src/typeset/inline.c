/* inline.c - inline content (text, emphasis, code, links, footnote marks) to the
 * text stage's paragraph form: one UTF-8 string and style spans. Also the font
 * sets per role and weight, resolved once per build through the registry. */
#include "typeset_internal.h"

#include <stdlib.h>
#include <string.h>

const pb_fontset *ts_fontset(ts *T, const char *role, unsigned weight, bool italic)
{
    for (size_t i = 0; i < T->n_fontsets; i++) {
        fontset_rec *r = &T->fontsets[i];
        if (r->weight == weight && r->italic == italic && !strcmp(r->role, role))
            return r->fs;
    }
    const pb_style_role *sr = pb_style_role_lookup(T->st, role);
    if (!sr)
        sr = pb_style_role_lookup(T->st, "body");
    pb_fontset *fs = pb_arena_alloc(T->arena, sizeof *fs);
    /* the role's weight is its regular text; bold asks for bold whatever the role */
    unsigned asked = weight;
    if (weight == 400 && sr->weight)
        weight = sr->weight;
    /* Chinese has no italics: an emphasised CJK run keeps upright glyphs (its role
     * picks a different face, e.g. a kaishu), only Latin is slanted. */
    pb_font_request cjk = {sr->cjk, weight, false, "zh-cn", sr->cjk_file ? sr->cjk_file : sr->file,
                           sr->cjk_file ? sr->cjk_line : sr->line, sr->cjk_file ? sr->cjk_col : sr->col};
    fs->cjk = pb_fontreg_match(T->reg, &cjk, T->diags);
    if (sr->latin && strcmp(sr->latin, sr->cjk) != 0) {
        pb_font_request lat = {sr->latin, weight, italic, NULL,
                               sr->latin_file ? sr->latin_file : sr->file,
                               sr->latin_file ? sr->latin_line : sr->line,
                               sr->latin_file ? sr->latin_col : sr->col};
        fs->latin = pb_fontreg_match(T->reg, &lat, T->diags);
    } else if (italic) {
        pb_font_request lat = {sr->cjk, weight, true, NULL, cjk.file, cjk.line, cjk.col};
        fs->latin = pb_fontreg_match(T->reg, &lat, T->diags);
    } else {
        fs->latin = fs->cjk;
    }
    fontset_rec rec = {role, asked, italic, fs};
    PB_PUSH(T->fontsets, T->n_fontsets, T->cap_fontsets, rec);
    return fs;
}

pb_textstyle ts_textstyle(ts *T, const inline_style *is)
{
    pb_textstyle st = {0};
    st.fonts = ts_fontset(T, is->role, is->weight, is->italic);
    st.size = is->size;
    st.color = is->color;
    st.mono = is->mono;
    return st;
}

void pb_build_init(para_build *b)
{
    memset(b, 0, sizeof *b);
    pb_buf_init(&b->text);
}

void pb_build_free(para_build *b)
{
    pb_buf_free(&b->text);
    free(b->spans);
    memset(b, 0, sizeof *b);
}

static bool same_style(const pb_textstyle *a, const pb_textstyle *b)
{
    return a->fonts == b->fonts && a->size == b->size && a->rise == b->rise &&
           a->mono == b->mono && a->url == b->url && a->link == b->link &&
           a->footref == b->footref && a->underline == b->underline && a->strike == b->strike &&
           a->tight == b->tight &&
           pb_color_eq(a->color, b->color);
}

void pb_build_text(ts *T, para_build *b, const char *s, size_t n, const pb_textstyle *st,
                   int line, int col)
{
    (void)T;
    if (!n)
        return;
    uint32_t start = (uint32_t)b->text.len;
    pb_buf_add(&b->text, s, n);
    /* spans never cross a source line, so a position inside one is its column
     * plus the characters before it */
    if (b->n && same_style(&b->spans[b->n - 1].style, st) && b->spans[b->n - 1].end == start &&
        b->spans[b->n - 1].line == line) {
        b->spans[b->n - 1].end = (uint32_t)b->text.len;
        return;
    }
    pb_span sp = {start, (uint32_t)b->text.len, *st, line, col};
    PB_PUSH(b->spans, b->n, b->cap, sp);
}

static int add_link(ts *T, const char *url)
{
    /* Only recent links are looked at for a repeat: a full scan is quadratic in the
     * links of a document (100,000 links took 17 s), and a second id for a URL seen
     * long ago costs nothing but a pointer. */
    for (size_t i = T->n_links, seen = 0; i-- > 0 && seen < 64; seen++)
        if (!strcmp(T->links[i], url))
            return (int)i + 1;
    const char *u = pb_arena_strdup(T->arena, url);
    PB_PUSH(T->links, T->n_links, T->cap_links, u);
    return (int)T->n_links;
}

static bool looks_like_url(const pb_inline *children, const char *url)
{
    if (!children || children->next || children->kind != PB_INL_TEXT)
        return false;
    const char *t = children->text;
    size_t n = children->text_len;
    if ((n > 7 && !strncmp(t, "http://", 7)) || (n > 8 && !strncmp(t, "https://", 8)) ||
        (n > 4 && !strncmp(t, "www.", 4)))
        return true;
    return url && strlen(url) == n && !strncmp(t, url, n);
}

typedef struct walk_state {
    inline_style is;
    int link;
    bool url;
    bool strike;
} walk_state;

static void walk(ts *T, para_build *b, const pb_inline *in, const walk_state *ws)
{
    for (; in; in = in->next) {
        pb_textstyle st = ts_textstyle(T, &ws->is);
        st.link = ws->link;
        st.url = ws->url;
        st.strike = ws->strike;
        if (ws->link)
            st.color = T->st->link_color;
        switch (in->kind) {
        case PB_INL_TEXT:
            pb_build_text(T, b, in->text, in->text_len, &st, in->line, in->col);
            break;
        case PB_INL_SOFTBREAK:
            /* a source line break: a space between Latin words, nothing between
             * Chinese characters (the text stage drops it there) */
            pb_build_text(T, b, " ", 1, &st, in->line, in->col);
            break;
        case PB_INL_LINEBREAK:
            pb_build_text(T, b, "\n", 1, &st, in->line, in->col);
            break;
        case PB_INL_CODE: {
            walk_state c = *ws;
            c.is.role = "mono";
            c.is.weight = 400;
            c.is.italic = false;
            c.is.size = ws->is.size * 0.9f;
            c.is.mono = true;
            pb_textstyle cs = ts_textstyle(T, &c.is);
            cs.link = ws->link;
            cs.mono = true;
            pb_build_text(T, b, in->text, in->text_len, &cs, in->line, in->col);
            break;
        }
        case PB_INL_EMPH: {
            walk_state c = *ws;
            /* emphasis in body text: the role's kaishu face for Chinese, slanted Latin */
            if (!strcmp(ws->is.role, "body"))
                c.is.role = "emph";
            c.is.italic = true;
            walk(T, b, in->children, &c);
            break;
        }
        case PB_INL_STRONG: {
            walk_state c = *ws;
            c.is.weight = 700;
            walk(T, b, in->children, &c);
            break;
        }
        case PB_INL_STRIKE: {
            walk_state c = *ws;
            c.strike = true;
            walk(T, b, in->children, &c);
            break;
        }
        case PB_INL_LINK: {
            walk_state c = *ws;
            c.link = in->url && *in->url ? add_link(T, in->url) : 0;
            c.url = looks_like_url(in->children, in->url);
            walk(T, b, in->children, &c);
            break;
        }
        case PB_INL_IMAGE:
            walk(T, b, in->children, ws);
            break;
        case PB_INL_FOOTREF: {
            char num[16];
            int n = snprintf(num, sizeof num, "%d", in->number);
            pb_textstyle fs = ts_textstyle(T, &ws->is);
            fs.size = ws->is.size * 0.6f;
            fs.rise = ws->is.size * 0.38f;
            fs.footref = in->number;
            pb_build_text(T, b, num, (size_t)n, &fs, in->line, in->col);
            break;
        }
        case PB_INL_HTML:
            if (in->text && (!strncmp(in->text, "<br", 3)))
                pb_build_text(T, b, "\n", 1, &st, in->line, in->col);
            break;
        }
    }
}

void pb_build_inlines(ts *T, para_build *b, const pb_inline *in, const inline_style *is)
{
    walk_state ws = {*is, 0, false, false};
    walk(T, b, in, &ws);
}

float ts_line_width(ts *T, const char *text, const pb_textstyle *st)
{
    return pb_text_shape_line(T->text, text, strlen(text), st, NULL, NULL, T->diags);
}

void ts_build_caption(ts *T, para_build *b, const char *fmt, int n, const char *title,
                      size_t tlen, const pb_textstyle *st, int line, int col)
{
    pb_textstyle label = *st;
    label.tight = true;
    pb_buf lb;
    pb_buf_init(&lb);
    for (const char *p = fmt; *p;) {
        if (!strncmp(p, "{n}", 3)) {
            pb_buf_printf(&lb, "%d", n);
            p += 3;
        } else if (!strncmp(p, "{title}", 7)) {
            pb_build_text(T, b, lb.data, lb.len, &label, line, col);
            pb_buf_reset(&lb);
            pb_build_text(T, b, title, tlen, st, line, col);
            p += 7;
        } else {
            pb_buf_addc(&lb, *p++);
        }
    }
    pb_build_text(T, b, lb.data ? lb.data : "", lb.len, &label, line, col);
    pb_buf_free(&lb);
}
