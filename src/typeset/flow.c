/* flow.c - blocks to the vertical list: paragraphs, headings (with report
 * numbering 一、（一）1.（1）), lists, block quotes, code, rules, figures, page breaks
 * and footnote bodies. Tables are in table.c. */
#include "typeset_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ideographic em box (0.88 em above the baseline, 0.12 below) centred in the
 * line box: the baseline of a line of pitch p and size s sits this far down. */
float ts_baseline(float pitch, float size)
{
    return pitch / 2 + 0.38f * size;
}

vitem *vl_push(vlist *l, vkind kind, float h)
{
    pb_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(vitem));
    vitem *v = &l->v[l->n++];
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->h = h;
    return v;
}

pb_item *vi_add(ts *T, vitem *v, pb_item_kind kind)
{
    (void)T;
    pb_grow((void **)&v->items, &v->cap_items, v->n_items + 1, sizeof(pb_item));
    pb_item *it = &v->items[v->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void vl_space(vlist *l, float h)
{
    if (h <= 0)
        return;
    vitem *v = vl_push(l, V_SPACE, h);
    v->discard_top = true;
}

static void add_note_ref(vitem *v, int n)
{
    for (size_t i = 0; i < v->n_notes; i++)
        if (v->notes[i] == n)
            return;
    v->notes = realloc(v->notes, (v->n_notes + 1) * sizeof(int));
    if (!v->notes)
        pb_fatal("out of memory");
    v->notes[v->n_notes++] = n;
}

void vi_add_line(ts *T, vitem *v, const pb_line *ln, float x, float y_base)
{
    for (size_t r = 0; r < ln->n_runs; r++) {
        pb_item *it = vi_add(T, v, PB_ITEM_RUN);
        it->u.run = ln->runs[r];
        it->u.run.x += x + ln->x;
        it->u.run.y += y_base;
    }
    for (size_t m = 0; m < ln->n_marks; m++) {
        const pb_line_mark *mk = &ln->marks[m];
        float top = y_base - ln->ascent, h = ln->ascent + ln->descent;
        if (mk->kind == PB_MARK_LINK) {
            if (mk->id < 1 || (size_t)mk->id > T->n_links)
                continue;
            pb_item *it = vi_add(T, v, PB_ITEM_LINK);
            it->u.link.x = x + ln->x + mk->x0;
            it->u.link.y = top;
            it->u.link.w = mk->x1 - mk->x0;
            it->u.link.h = h;
            it->u.link.uri = T->links[mk->id - 1];
        } else {
            pb_item *it = vi_add(T, v, PB_ITEM_LINK);
            it->u.link.x = x + ln->x + mk->x0;
            it->u.link.y = top;
            it->u.link.w = mk->x1 - mk->x0;
            it->u.link.h = h;
            it->u.link.dest = pb_arena_printf(T->arena, "fn%d", mk->id);
            pb_item *d = vi_add(T, v, PB_ITEM_DEST);
            d->u.dest.name = pb_arena_printf(T->arena, "fnref%d", mk->id);
            d->u.dest.x = x + ln->x + mk->x0;
            d->u.dest.y = top;
            add_note_ref(v, mk->id);
        }
    }
}

void vl_add_lines(ts *T, vlist *l, const pb_para_lines *pl, float x, float pitch, float base,
                  bool para_rules)
{
    size_t first = l->n;
    for (size_t i = 0; i < pl->n; i++) {
        vitem *v = vl_push(l, V_BOX, pitch);
        v->para_line = true;
        vi_add_line(T, v, &pl->lines[i], x, base);
    }
    /* No single line of a paragraph alone at the bottom (orphan) or top (widow) of a
     * page: CJK.md rule 13 and clreq's 孤行 rules. */
    if (para_rules && pl->n >= 2) {
        l->v[first].keep_next = true;
        l->v[first + pl->n - 2].keep_next = true;
    }
}

pb_para_lines *ts_layout(ts *T, para_build *b, float width, float indent, pb_text_align align,
                         const char *kind, int line, int col)
{
    pb_para p = {b->text.data ? b->text.data : "", (uint32_t)b->text.len, b->spans, b->n,
                 width, indent, align, false, T->doc->file, T->st->punct_full};
    pb_para_lines *pl = pb_para_layout(T->text, &p, T->arena, T->diags);
    if (T->dump) {
        dumped_para d = {kind, line, col, width, pl};
        PB_PUSH(T->dumped, T->n_dumped, T->cap_dumped, d);
    }
    return pl;
}

/* ---- context for nested blocks ---- */

typedef struct flow_ctx {
    float x, width;
    const char *role;
    float size, pitch;
    bool indent_first; /* paragraphs get the first-line indent */
    int list_depth;
} flow_ctx;

static void flow(ts *T, vlist *out, pb_block *const *blocks, size_t n, const flow_ctx *fc);

static void flow_paragraph(ts *T, vlist *out, const pb_block *b, const flow_ctx *fc)
{
    para_build pb;
    pb_build_init(&pb);
    inline_style is = {fc->role, 400, false, fc->size, T->st->text_color, false};
    pb_build_inlines(T, &pb, b->inlines, &is);
    if (pb.text.len) {
        pb_para_lines *pl = ts_layout(T, &pb, fc->width,
                                      fc->indent_first ? T->st->para_indent * fc->size / T->st->body_size : 0,
                                      PB_JUSTIFY, "paragraph", b->line, b->col);
        size_t first = out->n;
        vl_add_lines(T, out, pl, fc->x, fc->pitch, ts_baseline(fc->pitch, fc->size), true);
        for (size_t i = first; i < out->n; i++)
            out->v[i].kind = V_BOX;
        if (T->st->para_space > 0)
            vl_space(out, T->st->para_space);
    }
    pb_build_free(&pb);
}

/* Heading numbers already written in the text: 一、 （一） 1. 1.1 （1） (1) 第一章 ... */
static bool is_cn_numeral(uint32_t c)
{
    static const uint32_t cn[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
                                  0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x96F6}; /* 〇一二…十百零 */
    for (size_t i = 0; i < PB_COUNT(cn); i++)
        if (c == cn[i])
            return true;
    return false;
}

static bool starts_with_number(const char *s)
{
    size_t n = strlen(s), pos = 0;
    uint32_t c = pb_utf8_next(s, n, &pos);
    if (c == 0x7B2C) /* 第 */
        return true;
    bool paren = c == 0xFF08 || c == '(';
    if (paren)
        c = pb_utf8_next(s, n, &pos);
    size_t digits = 0, numerals = 0;
    while (c != PB_UTF8_BAD && ((c >= '0' && c <= '9') || is_cn_numeral(c))) {
        if (c >= '0' && c <= '9')
            digits++;
        else
            numerals++;
        c = pb_utf8_next(s, n, &pos);
    }
    if (!digits && !numerals)
        return false;
    if (paren)
        return c == 0xFF09 || c == ')';
    /* 一、 一． 1. 1、 1) 1 */
    return c == 0x3001 || c == 0xFF0E || c == '.' || (digits && (c == ')' || c == ' '));
}

static bool unnumbered_title(const char *s)
{
    static const char *const names[] = {"前言", "引言", "序言", "序", "摘要", "参考文献", "附录",
                                        "致谢", "后记", "目录", "编者按"};
    for (size_t i = 0; i < PB_COUNT(names); i++)
        if (!strcmp(s, names[i]))
            return true;
    return false;
}

/* Strips Pandoc's "{-}" / "{.unnumbered}" from a heading text; returns true if found. */
static bool strip_unnumbered(char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    static const char *const marks[] = {"{-}", "{.unnumbered}"};
    for (size_t i = 0; i < PB_COUNT(marks); i++) {
        size_t m = strlen(marks[i]);
        if (n >= m && !strncmp(s + n - m, marks[i], m)) {
            n -= m;
            while (n && s[n - 1] == ' ')
                n--;
            s[n] = 0;
            return true;
        }
    }
    return false;
}

static void scan_numbering(ts *T, pb_block *const *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const pb_block *b = blocks[i];
        if (b->kind == PB_BLK_HEADING && b->level >= 1 && b->level <= 6) {
            pb_buf t;
            pb_buf_init(&t);
            pb_inlines_text(b->inlines, &t);
            /* a heading marked unnumbered ({-}) says nothing about the others */
            char *title = pb_xstrdup(t.data ? t.data : "");
            if (!strip_unnumbered(title) && starts_with_number(title))
                T->auto_number[b->level - 1] = false;
            free(title);
            pb_buf_free(&t);
        }
        if (b->n_children && b->kind != PB_BLK_TABLE)
            scan_numbering(T, b->children, b->n_children);
    }
}

static void flow_heading(ts *T, vlist *out, const pb_block *b, const flow_ctx *fc)
{
    int lv = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
    const pb_heading_style *hs = &T->st->h[lv - 1];
    pb_buf plain;
    pb_buf_init(&plain);
    pb_inlines_text(b->inlines, &plain);
    char *title = pb_xstrdup(plain.data ? plain.data : "");
    bool unnumbered = strip_unnumbered(title) || unnumbered_title(title);

    /* number */
    pb_buf num;
    pb_buf_init(&num);
    if (!unnumbered) {
        T->counters[lv - 1]++;
        for (int k = lv; k < 6; k++)
            T->counters[k] = 0;
        if (T->auto_number[lv - 1] && hs->number_format && hs->num != PB_NUM_NONE)
            pb_style_heading_number(T->st, lv, T->counters, &num); /* {n}, or {1}.{n} */
    }

    /* A new page before the heading, but not before the first one of its level:
     * what stands before the first chapter (an editor's note, say) opens it. */
    bool first_of_level = true;
    for (size_t k = 0; k < T->n_heads; k++)
        if (T->heads[k].level == lv) {
            first_of_level = false;
            break; /* the scan is per heading: stop early, or 95,000 headings take seconds */
        }
    if (hs->page_break && out->n > 0 && !first_of_level) {
        vitem *br = vl_push(out, V_BREAK, 0);
        br->recto = T->st->chapter_recto && lv == 1;
    }

    para_build pb;
    pb_build_init(&pb);
    inline_style is = {hs->role, hs->weight, false, hs->size, hs->color, false};
    pb_textstyle st = ts_textstyle(T, &is);
    if (num.len)
        pb_build_text(T, &pb, num.data, num.len, &st, b->line, b->col);
    if (unnumbered && strcmp(title, plain.data ? plain.data : "") != 0) {
        /* the text had an {-} marker: set the stripped title */
        pb_build_text(T, &pb, title, strlen(title), &st, b->line, b->col);
    } else {
        pb_build_inlines(T, &pb, b->inlines, &is);
    }
    pb_text_align al = hs->align == 2 ? PB_CENTER : PB_LEFT;
    float hpitch = hs->size * 1.5f;
    if (hpitch < T->st->line_pitch && hs->size <= T->st->body_size * 1.1f)
        hpitch = T->st->line_pitch;
    pb_para_lines *pl = ts_layout(T, &pb, fc->width - hs->indent, hs->indent > 0 ? 0 : 0, al,
                                  "heading", b->line, b->col);

    /* the record for TOC, bookmarks and running headers */
    heading_rec hr = {0};
    hr.level = lv;
    pb_buf full;
    pb_buf_init(&full);
    pb_buf_add(&full, num.data ? num.data : "", num.len);
    pb_buf_adds(&full, unnumbered ? title : (plain.data ? plain.data : ""));
    hr.text = pb_arena_strdup(T->arena, full.data ? full.data : "");
    hr.dest = pb_arena_printf(T->arena, "h%zu", T->n_heads + 1);
    hr.in_toc = hs->in_toc;
    PB_PUSH(T->heads, T->n_heads, T->cap_heads, hr);
    pb_buf_free(&full);

    /* space above (vanishes at a page top), then one box with the lines and the
     * space below, kept with what follows */
    float pitch = T->st->line_pitch;
    vl_space(out, hs->before);
    float content = (float)pl->n * hpitch;
    float box = content + hs->after;
    if (T->st->grid && pitch > 0) {
        float snapped = pitch * (float)(int)((box + pitch - 0.01f) / pitch);
        box = snapped;
    }
    float extra = box - content - hs->after;
    vitem *v = vl_push(out, V_BOX, box);
    v->keep_next = true;
    v->head = (int)T->n_heads;
    pb_item *d = vi_add(T, v, PB_ITEM_DEST);
    d->u.dest.name = hr.dest;
    d->u.dest.x = fc->x;
    d->u.dest.y = 0;
    for (size_t i = 0; i < pl->n; i++)
        vi_add_line(T, v, &pl->lines[i], fc->x + hs->indent,
                    extra / 2 + (float)i * hpitch + ts_baseline(hpitch, hs->size));
    pb_build_free(&pb);
    pb_buf_free(&num);
    pb_buf_free(&plain);
    free(title);
}

static void flow_list(ts *T, vlist *out, const pb_block *b, const flow_ctx *fc)
{
    int number = b->start;
    float indent = T->st->list_indent;
    for (size_t i = 0; i < b->n_children; i++) {
        const pb_block *item = b->children[i];
        flow_ctx c = *fc;
        c.x = fc->x + indent;
        c.width = fc->width - indent;
        c.indent_first = false;
        c.list_depth = fc->list_depth + 1;
        size_t first = out->n;
        if (item->n_children)
            flow(T, out, item->children, item->n_children, &c);
        else
            vl_push(out, V_BOX, fc->pitch);
        /* the label sits in the indent, right-aligned half an em before the text,
         * on the baseline of the item's first line */
        char label[32];
        if (b->ordered)
            snprintf(label, sizeof label, "%d%c", number++, b->delim ? b->delim : '.');
        else
            snprintf(label, sizeof label, "%s", T->st->bullets[fc->list_depth % 3]);
        for (size_t k = first; k < out->n; k++) {
            vitem *v = &out->v[k];
            if (v->kind != V_BOX)
                continue;
            float base = ts_baseline(fc->pitch, fc->size);
            for (size_t m = 0; m < v->n_items; m++)
                if (v->items[m].kind == PB_ITEM_RUN) {
                    base = v->items[m].u.run.y;
                    break;
                }
            /* a full-width bullet (● ○ ■) is set small and centred on the
             * ideographic em box: raised by the difference of the box centres */
            size_t lpos = 0;
            uint32_t lcp = pb_utf8_next(label, strlen(label), &lpos);
            bool small = !b->ordered && pb_is_han(lcp);
            float lsize = small ? fc->size * 0.5f : fc->size;
            inline_style is = {fc->role, 400, false, lsize, T->st->text_color, false};
            pb_textstyle st = ts_textstyle(T, &is);
            pb_run run;
            float w = pb_text_shape_line(T->text, label, strlen(label), &st, T->arena, &run, T->diags);
            if (run.n) {
                pb_item *it = vi_add(T, v, PB_ITEM_RUN);
                it->u.run = run;
                it->u.run.x = c.x - 0.5f * fc->size - w;
                it->u.run.y = base - (small ? 0.38f * (fc->size - lsize) : 0);
            }
            break;
        }
        if (!b->tight && i + 1 < b->n_children && T->st->para_space > 0)
            vl_space(out, T->st->para_space);
    }
}

static void flow_code(ts *T, vlist *out, const pb_block *b, const flow_ctx *fc)
{
    const pb_style *S = T->st;
    const char *s = b->literal ? b->literal : "";
    size_t len = strlen(s);
    if (len && s[len - 1] == '\n')
        len--;
    float pad = S->code_size * 0.6f;
    float pitch = S->code_pitch;
    inline_style is = {"mono", 400, false, S->code_size, S->text_color, true};
    pb_textstyle st = ts_textstyle(T, &is);
    st.mono = true;
    para_build pb;
    pb_build_init(&pb);
    pb_build_text(T, &pb, s, len, &st, b->line + 1, b->col);
    pb_para_lines *pl = ts_layout(T, &pb, fc->width - 2 * pad, 0, PB_LEFT, "code", b->line, b->col);
    vl_space(out, pitch * 0.3f);
    size_t n = pl->n ? pl->n : 1;
    for (size_t i = 0; i < n; i++) {
        bool first = i == 0, last = i + 1 == n;
        float top = first ? pad : 0, bottom = last ? pad : 0;
        vitem *v = vl_push(out, V_BOX, pitch + top + bottom);
        pb_item *bg = vi_add(T, v, PB_ITEM_RECT);
        bg->u.rect.x = fc->x;
        bg->u.rect.y = 0;
        bg->u.rect.w = fc->width;
        bg->u.rect.h = v->h;
        bg->u.rect.color = S->code_background;
        if (i < pl->n)
            vi_add_line(T, v, &pl->lines[i], fc->x + pad, top + ts_baseline(pitch, S->code_size));
        /* keep at least two lines together at either end */
        if (first && n > 1)
            v->keep_next = true;
        if (i + 2 == n)
            v->keep_next = true;
    }
    vl_space(out, pitch * 0.3f);
    pb_build_free(&pb);
}

static const char *dir_of(ts *T, const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash)
        return ".";
    return pb_arena_strndup(T->arena, file, (size_t)(slash - file));
}

/* Pixel size of a PNG or JPEG from its header; false when it is neither. */
static bool image_size(const char *path, int *w, int *h, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = "not found";
        return false;
    }
    unsigned char buf[32];
    size_t n = fread(buf, 1, sizeof buf, f);
    bool ok = false;
    *why = "not a PNG or JPEG image";
    if (n >= 24 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8)) {
        *w = (int)((unsigned)buf[16] << 24 | (unsigned)buf[17] << 16 | (unsigned)buf[18] << 8 | buf[19]);
        *h = (int)((unsigned)buf[20] << 24 | (unsigned)buf[21] << 16 | (unsigned)buf[22] << 8 | buf[23]);
        ok = *w > 0 && *h > 0;
        if (!ok)
            *why = "corrupt PNG header";
        /* walk the chunks to IEND: a file cut short is reported here, at the figure,
         * not only when the PDF stage decodes it and knows no source position */
        for (long pos = 8; ok;) {
            unsigned char c[8];
            if (fseek(f, pos, SEEK_SET) || fread(c, 1, 8, f) != 8) {
                ok = false;
                *why = "the PNG file is truncated";
                break;
            }
            unsigned long len = (unsigned long)c[0] << 24 | (unsigned long)c[1] << 16 |
                                (unsigned long)c[2] << 8 | c[3];
            if (!memcmp(c + 4, "IEND", 4))
                break;
            if (len > 0x7FFFFFFFul) {
                ok = false;
                *why = "corrupt PNG chunk";
                break;
            }
            pos += 12 + (long)len;
        }
    } else if (n >= 4 && buf[0] == 0xFF && buf[1] == 0xD8) {
        /* walk the JPEG segments to a start-of-frame marker */
        long pos = 2;
        for (int guard = 0; guard < 10000; guard++) {
            unsigned char m[9];
            if (fseek(f, pos, SEEK_SET) || fread(m, 1, 4, f) != 4 || m[0] != 0xFF) {
                *why = "corrupt JPEG";
                break;
            }
            int marker = m[1];
            int seglen = m[2] << 8 | m[3];
            if ((marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 &&
                marker != 0xCC) {
                if (fread(m, 1, 5, f) != 5) {
                    *why = "corrupt JPEG";
                    break;
                }
                *h = m[1] << 8 | m[2];
                *w = m[3] << 8 | m[4];
                ok = *w > 0 && *h > 0;
                if (!ok)
                    *why = "corrupt JPEG";
                break;
            }
            if (seglen < 2) {
                *why = "corrupt JPEG";
                break;
            }
            pos += 2 + seglen;
        }
    }
    fclose(f);
    return ok;
}

static void flow_figure(ts *T, vlist *out, const pb_block *b, const flow_ctx *fc)
{
    const pb_style *S = T->st;
    const char *url = b->url ? b->url : "";
    /* in the pages' arena either way: the pages outlive the document */
    const char *path = url[0] == '/' ? pb_arena_strdup(T->arena, url)
                                     : pb_arena_printf(T->arena, "%s/%s", dir_of(T, T->doc->file), url);
    int pw = 0, ph = 0;
    const char *why = NULL;
    if (!image_size(path, &pw, &ph, &why)) {
        pb_diag_add(T->diags, PB_ERROR, T->doc->file, b->line, b->col, "image '%s': %s", url, why);
        return;
    }
    if ((uint64_t)pw * (uint64_t)ph > PB_MAX_IMAGE_PIXELS) {
        pb_diag_add(T->diags, PB_ERROR, T->doc->file, b->line, b->col,
                    "image '%s' has %d x %d pixels; the limit is %u pixels", url, pw, ph,
                    PB_MAX_IMAGE_PIXELS);
        return;
    }
    /* natural size at 150 dpi, scaled down to the measure and 60% of the page */
    float w = (float)pw * 72.0f / 150.0f, h = (float)ph * 72.0f / 150.0f;
    float maxh = pb_style_block_height(S) * 0.6f;
    if (w > fc->width) {
        h *= fc->width / w;
        w = fc->width;
    }
    if (h > maxh) {
        w *= maxh / h;
        h = maxh;
    }
    vl_space(out, S->line_pitch * 0.5f);
    T->n_figures++;
    vitem *v = vl_push(out, V_BOX, h);
    v->figure = T->n_figures;
    pb_item *im = vi_add(T, v, PB_ITEM_IMAGE);
    im->u.image.path = path;
    im->u.image.x = fc->x + (fc->width - w) / 2;
    im->u.image.y = 0;
    im->u.image.w = w;
    im->u.image.h = h;
    v->keep_next = true;
    /* caption below: 图N　alt */
    pb_buf alt;
    pb_buf_init(&alt);
    pb_inlines_text(b->inlines, &alt);
    if (alt.len) {
        para_build pb;
        pb_build_init(&pb);
        inline_style is = {"heading", 400, false, S->caption_size, S->text_color, false};
        pb_textstyle st = ts_textstyle(T, &is);
        ts_build_caption(T, &pb, S->figure_caption, T->n_figures, alt.data, alt.len, &st, b->line,
                         b->col);
        pb_para_lines *pl = ts_layout(T, &pb, fc->width, 0, PB_CENTER, "caption", b->line, b->col);
        float pitch = S->caption_size * 1.6f;
        vl_space(out, S->caption_size * 0.4f);
        out->v[out->n - 1].discard_top = false;
        out->v[out->n - 1].keep_next = true;
        out->v[out->n - 1].figure = T->n_figures;
        for (size_t i = 0; i < pl->n; i++) {
            vitem *cv = vl_push(out, V_BOX, pitch);
            cv->figure = T->n_figures;
            vi_add_line(T, cv, &pl->lines[i], fc->x, ts_baseline(pitch, S->caption_size));
            cv->keep_next = i + 1 < pl->n;
        }
        pb_build_free(&pb);
    } else {
        v->keep_next = false;
    }
    pb_buf_free(&alt);
    vl_space(out, S->line_pitch * 0.5f);
}

static void flow_rule(ts *T, vlist *out, const flow_ctx *fc)
{
    vitem *v = vl_push(out, V_BOX, fc->pitch);
    pb_item *r = vi_add(T, v, PB_ITEM_LINE);
    float w = fc->width / 4;
    r->u.line.x1 = fc->x + (fc->width - w) / 2;
    r->u.line.x2 = r->u.line.x1 + w;
    r->u.line.y1 = r->u.line.y2 = fc->pitch / 2;
    r->u.line.width = 0.5f;
    r->u.line.color = T->st->rule_color;
}

static void flow(ts *T, vlist *out, pb_block *const *blocks, size_t n, const flow_ctx *fc)
{
    T->depth++;
    for (size_t i = 0; i < n; i++) {
        const pb_block *b = blocks[i];
        switch (b->kind) {
        case PB_BLK_PARAGRAPH:
            flow_paragraph(T, out, b, fc);
            break;
        case PB_BLK_HEADING:
            flow_heading(T, out, b, fc);
            break;
        case PB_BLK_LIST:
            flow_list(T, out, b, fc);
            break;
        case PB_BLK_ITEM:
            flow(T, out, b->children, b->n_children, fc);
            break;
        case PB_BLK_QUOTE: {
            flow_ctx c = *fc;
            float qi = T->depth <= PB_MAX_NESTING ? T->st->quote_indent : 0;
            c.x += qi;
            c.width -= 2 * qi;
            if (c.width < fc->size * 4) {
                c.width = fc->width;
                c.x = fc->x;
            }
            c.role = T->st->quote_role;
            c.size = T->st->quote_size;
            flow(T, out, b->children, b->n_children, &c);
            break;
        }
        case PB_BLK_CODE:
            flow_code(T, out, b, fc);
            break;
        case PB_BLK_TABLE:
            pb_flow_table(T, out, b, fc->x, fc->width);
            break;
        case PB_BLK_FIGURE:
            flow_figure(T, out, b, fc);
            break;
        case PB_BLK_RULE:
            flow_rule(T, out, fc);
            break;
        case PB_BLK_PAGEBREAK:
            vl_push(out, V_BREAK, 0);
            break;
        case PB_BLK_DOCUMENT:
            flow(T, out, b->children, b->n_children, fc);
            break;
        default:
            break;
        }
    }
    T->depth--;
}

void pb_flow_blocks(ts *T, vlist *out, pb_block *const *blocks, size_t n, float x, float width)
{
    for (int i = 0; i < 6; i++)
        T->auto_number[i] = true;
    scan_numbering(T, blocks, n);
    flow_ctx fc = {x, width, "body", T->st->body_size, T->st->line_pitch, true, 0};
    flow(T, out, blocks, n, &fc);
}

void pb_flow_footnotes(ts *T)
{
    const pb_style *S = T->st;
    T->n_notes = T->doc->n_footnotes;
    T->notes = pb_arena_alloc(T->arena, (T->n_notes ? T->n_notes : 1) * sizeof(footnote_rec));
    for (size_t i = 0; i < T->n_notes; i++) {
        const pb_block *fn = T->doc->footnotes[i];
        footnote_rec *r = &T->notes[i];
        r->number = fn->number;
        char label[16];
        snprintf(label, sizeof label, "%d", fn->number);
        inline_style is = {"body", 400, false, S->note_size, S->text_color, false};
        pb_textstyle st = ts_textstyle(T, &is);
        float lw = S->note_size * 1.5f;
        flow_ctx fc = {lw, T->measure - lw, "body", S->note_size, S->note_pitch, false, 0};
        flow(T, &r->lines, fn->children, fn->n_children, &fc);
        r->h = 0;
        bool labelled = false;
        for (size_t k = 0; k < r->lines.n; k++) {
            vitem *v = &r->lines.v[k];
            if (v->kind == V_SPACE) {
                v->kind = V_BOX; /* spaces inside a note are kept */
            }
            r->h += v->h;
            if (!labelled && v->n_items) {
                float base = ts_baseline(S->note_pitch, S->note_size);
                pb_run run;
                pb_text_shape_line(T->text, label, strlen(label), &st, T->arena, &run, T->diags);
                if (run.n) {
                    pb_item *it = vi_add(T, v, PB_ITEM_RUN);
                    it->u.run = run;
                    it->u.run.x = 0;
                    it->u.run.y = base;
                }
                pb_item *d = vi_add(T, v, PB_ITEM_DEST);
                d->u.dest.name = pb_arena_printf(T->arena, "fn%d", fn->number);
                d->u.dest.x = 0;
                d->u.dest.y = 0;
                labelled = true;
            }
        }
        /* Notes are not continued on the next page: one taller than the page, with
         * its reference line above it, would be drawn past the page's top edge and
         * its text lost without a word. */
        float room = pb_style_block_height(S) - S->line_pitch - S->note_pitch;
        if (r->h > room)
            pb_diag_add(T->diags, PB_ERROR, T->doc->file, fn->line, fn->col,
                        "footnote %d is taller than a page (%.0fpt, a page has room for "
                        "%.0fpt); shorten it or move the text into the body",
                        fn->number, (double)r->h, (double)room);
    }
}
