/* page.c - pages of the design: media size (with bleed and crop marks), trim and
 * bleed boxes, where the text block sits (margins, mirrored on left-hand pages of
 * two-sided designs), running headers and footers, front-matter page numbers. */
#include "typeset_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Crop marks (print production): each starts this far outside the trim box, or
 * outside the bleed when that is wider, so it never shows on the trimmed page. */
#define MARK_OFFSET (3.0f * 72.0f / 25.4f)
#define MARK_LENGTH (6.0f * 72.0f / 25.4f)
#define MARK_WIDTH 0.25f
/* room kept beyond the end of each mark, so a RIP that clips at the media box
 * keeps the marks whole */
#define MARK_SLUG (1.0f * 72.0f / 25.4f)

/* How far the media box extends beyond the trimmed page on each side. */
static float media_extra(const pb_style *S)
{
    float e = S->bleed > 0 ? S->bleed : 0;
    if (S->crop_marks)
        e = PB_MAX(e, MARK_OFFSET) + MARK_LENGTH + MARK_SLUG;
    return e;
}

static void crop_mark(ts *T, pb_page *pg, float x1, float y1, float x2, float y2)
{
    pb_item *it = pb_page_add(T->out, pg, PB_ITEM_LINE);
    it->u.line.x1 = x1;
    it->u.line.y1 = y1;
    it->u.line.x2 = x2;
    it->u.line.y2 = y2;
    it->u.line.width = MARK_WIDTH;
    it->u.line.color = T->st->marks_color;
}

pb_page *ts_new_page(ts *T, float *left, float *top)
{
    const pb_style *S = T->st;
    float e = media_extra(S);
    pb_page *pg = pb_pages_add(T->out, S->page_w + 2 * e, S->page_h + 2 * e);
    size_t abs = T->out->n_pages - 1;
    /* the trimmed page always carries a TrimBox (PDF/X asks for one); the bleed box
     * is written whenever the media box is larger, and then holds the bleed (or
     * equals the trim box when there is no bleed) */
    pg->trim = (pb_box){e, e, S->page_w, S->page_h};
    if (e > 0) {
        float b = S->bleed > 0 ? S->bleed : 0;
        pg->bleed = (pb_box){e - b, e - b, S->page_w + 2 * b, S->page_h + 2 * b};
    }
    /* pages are numbered from 1 in print: odd (recto) pages have the inner margin on
     * the left */
    *left = e + (S->two_sided && abs % 2 == 1 ? S->margin_outer : S->margin_inner);
    *top = e + S->margin_top;
    if (S->crop_marks) {
        float off = PB_MAX(S->bleed, MARK_OFFSET);
        float x0 = e, x1 = e + S->page_w, y0 = e, y1 = e + S->page_h;
        /* two marks per corner, in line with the trim edges */
        crop_mark(T, pg, x0 - off - MARK_LENGTH, y0, x0 - off, y0);
        crop_mark(T, pg, x0, y0 - off - MARK_LENGTH, x0, y0 - off);
        crop_mark(T, pg, x1 + off, y0, x1 + off + MARK_LENGTH, y0);
        crop_mark(T, pg, x1, y0 - off - MARK_LENGTH, x1, y0 - off);
        crop_mark(T, pg, x0 - off - MARK_LENGTH, y1, x0 - off, y1);
        crop_mark(T, pg, x0, y1 + off, x0, y1 + off + MARK_LENGTH);
        crop_mark(T, pg, x1 + off, y1, x1 + off + MARK_LENGTH, y1);
        crop_mark(T, pg, x1, y1 + off, x1, y1 + off + MARK_LENGTH);
    }
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

/* Sets one line of running text with its left edge (align 0), centre (1) or right
 * edge (2) at x. */
static void place_text(ts *T, pb_page *pg, const char *text, float x, float y, int align,
                       const char *role, float size)
{
    if (!text || !*text)
        return;
    inline_style is = {role ? role : "body", 400, false, size, T->st->text_color, false};
    pb_textstyle st = ts_textstyle(T, &is);
    para_build pb;
    pb_build_init(&pb);
    pb_build_text(T, &pb, text, strlen(text), &st, 1, 1);
    pb_para p = {pb.text.data, (uint32_t)pb.text.len, pb.spans, pb.n, 1e6f, 0, PB_LEFT, false,
                 T->doc->file, T->st->punct_full};
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
    float xs[3] = {left + S->header_inset, left + T->measure / 2, right - S->header_inset};
    bool any = false;
    for (int k = 0; k < 3; k++) {
        if (!tpls[k])
            continue;
        pb_buf_reset(&b);
        expand(T, tpls[k], chapter, page, pages, &b);
        if (b.len) {
            place_text(T, pg, b.data, xs[k], hy, k, S->header_role, S->header_size);
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
    float fxs[3] = {left + S->footer_inset, left + T->measure / 2, right - S->footer_inset};
    for (int k = 0; k < 3; k++) {
        if (!ftpl[k])
            continue;
        pb_buf_reset(&b);
        expand(T, ftpl[k], chapter, page, pages, &b);
        if (b.len)
            place_text(T, pg, b.data, fxs[k], fy, k, S->footer_role, S->footer_size);
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
    place_text(T, pg, b.data, left + T->measure / 2, y, 1, S->footer_role, S->footer_size);
    pb_buf_free(&b);
}
