/* page.c - pages of the design: media size, where the text block sits (margins,
 * mirrored on left-hand pages of two-sided designs), running headers and footers,
 * front-matter page numbers. */
#include "typeset_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pb_page *ts_new_page(ts *T, float *left, float *top)
{
    const pb_style *S = T->st;
    pb_page *pg = pb_pages_add(T->out, S->page_w, S->page_h);
    size_t abs = T->out->n_pages - 1;
    /* pages are numbered from 1 in print: odd (recto) pages have the inner margin on
     * the left */
    *left = S->two_sided && abs % 2 == 1 ? S->margin_outer : S->margin_inner;
    *top = S->margin_top;
    return pg;
}

/* Expands a header/footer template. */
static void expand(ts *T, const char *tpl, const char *chapter, const char *page, size_t pages,
                   pb_buf *out)
{
    const pb_meta *m = &T->doc->meta;
    for (const char *p = tpl; *p;) {
        if (!strncmp(p, "{title}", 7)) {
            pb_buf_adds(out, m->title ? m->title : "");
            p += 7;
        } else if (!strncmp(p, "{chapter}", 9)) {
            pb_buf_adds(out, chapter ? chapter : "");
            p += 9;
        } else if (!strncmp(p, "{page}", 6)) {
            pb_buf_adds(out, page);
            p += 6;
        } else if (!strncmp(p, "{pages}", 7)) {
            pb_buf_printf(out, "%zu", pages);
            p += 7;
        } else {
            pb_buf_addc(out, *p++);
        }
    }
}

static void place_text(ts *T, pb_page *pg, const char *text, float x, float y, int align)
{
    if (!text || !*text)
        return;
    inline_style is = {"body", 400, false, T->st->header_size, T->st->text_color, false};
    pb_textstyle st = ts_textstyle(T, &is);
    para_build pb;
    pb_build_init(&pb);
    pb_build_text(T, &pb, text, strlen(text), &st, 1, 1);
    pb_para p = {pb.text.data, (uint32_t)pb.text.len, pb.spans, pb.n, 1e6f, 0, PB_LEFT, false,
                 T->doc->file};
    pb_para_lines *pl = pb_para_layout(T->text, &p, T->arena, T->diags);
    if (pl->n) {
        const pb_line *ln = &pl->lines[0];
        float w = ln->width;
        float lx = align == 0 ? x : align == 1 ? x - w / 2 : x - w;
        for (size_t r = 0; r < ln->n_runs; r++) {
            pb_item *it = pb_page_add(T->out, pg, PB_ITEM_RUN);
            it->u.run = ln->runs[r];
            it->u.run.x += lx;
            it->u.run.y += y;
        }
    }
    pb_build_free(&pb);
}

void ts_header_footer(ts *T, pb_page *pg, size_t body_page, size_t pages, float left, float top,
                      const char *chapter)
{
    const pb_style *S = T->st;
    char page[16];
    snprintf(page, sizeof page, "%zu", body_page + 1);
    bool verso = S->two_sided && (body_page % 2 == 1);
    const char *hl = verso ? S->header_right : S->header_left;
    const char *hr = verso ? S->header_left : S->header_right;
    const char *fl = verso ? S->footer_right : S->footer_left;
    const char *fr = verso ? S->footer_left : S->footer_right;
    float right = left + T->measure;
    float rule_y = top - S->header_gap;
    float hy = rule_y - S->header_size * 0.5f;
    pb_buf b;
    pb_buf_init(&b);
    const char *tpls[3] = {hl, S->header_center, hr};
    float xs[3] = {left, left + T->measure / 2, right};
    bool any = false;
    for (int k = 0; k < 3; k++) {
        if (!tpls[k])
            continue;
        pb_buf_reset(&b);
        expand(T, tpls[k], chapter, page, pages, &b);
        if (b.len) {
            place_text(T, pg, b.data, xs[k], hy, k);
            any = true;
        }
    }
    if (any && S->header_rule > 0) {
        pb_item *r = pb_page_add(T->out, pg, PB_ITEM_RECT);
        r->u.rect.x = left;
        r->u.rect.y = rule_y - S->header_rule / 2;
        r->u.rect.w = T->measure;
        r->u.rect.h = S->header_rule;
        r->u.rect.color = S->rule_color;
    }
    float fy = top + pb_style_block_height(S) + S->footer_gap;
    const char *ftpl[3] = {fl, S->footer_center, fr};
    for (int k = 0; k < 3; k++) {
        if (!ftpl[k])
            continue;
        pb_buf_reset(&b);
        expand(T, ftpl[k], chapter, page, pages, &b);
        if (b.len)
            place_text(T, pg, b.data, xs[k], fy, k);
    }
    pb_buf_free(&b);
}


void ts_page_number(ts *T, pb_page *pg, float left, float top, int number, pb_num_kind kind)
{
    const pb_style *S = T->st;
    pb_buf b;
    pb_buf_init(&b);
    pb_format_number(kind, number, &b);
    float y = top + pb_style_block_height(S) + S->footer_gap;
    place_text(T, pg, b.data, left + T->measure / 2, y, 1);
    pb_buf_free(&b);
}
