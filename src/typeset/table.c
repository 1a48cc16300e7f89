/* table.c - GFM tables as Chinese publications set them (CJK.md rules 15-16):
 * caption centred above (表N　title), three rules by default, column widths from
 * content the way HTML's automatic table layout distributes them, cells wrapped
 * by the body's line breaking but not justified. Each row is one vitem; header
 * rows are remembered so the paginator can repeat them under 续表N. */
#include "typeset_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct cell {
    para_build pb;
    pb_para_lines *pl;
    float min, max;
    const pb_block *src;
} cell;

static void caption_text(const char *fmt, int n, const char *title, size_t tlen, pb_buf *out)
{
    for (const char *p = fmt; *p;) {
        if (!strncmp(p, "{n}", 3)) {
            pb_buf_printf(out, "%d", n);
            p += 3;
        } else if (!strncmp(p, "{title}", 7)) {
            pb_buf_add(out, title, tlen);
            p += 7;
        } else {
            pb_buf_addc(out, *p++);
        }
    }
}

static void add_rule(ts *T, vitem *v, float x, float y, float w, float width)
{
    if (width <= 0)
        return;
    pb_item *r = vi_add(T, v, PB_ITEM_RECT);
    r->u.rect.x = x;
    r->u.rect.y = y - width / 2;
    r->u.rect.w = w;
    r->u.rect.h = width;
    r->u.rect.color = T->st->rule_color;
}

void pb_flow_table(ts *T, vlist *out, const pb_block *b, float x, float width)
{
    const pb_style *S = T->st;
    int nc = b->n_cols;
    if (nc <= 0 || b->n_children == 0)
        return;
    if (nc > PB_MAX_TABLE_COLUMNS) {
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                    "table has %d columns; only the first %d are set", nc, PB_MAX_TABLE_COLUMNS);
        nc = PB_MAX_TABLE_COLUMNS;
    }
    size_t nr = b->n_children;
    cell *cells = pb_xcalloc(nr * (size_t)nc, sizeof(cell));
    float pad = S->table_pad;
    float pitch = S->table_pitch;

    /* lay out every cell unconstrained to learn its widths */
    for (size_t r = 0; r < nr; r++) {
        const pb_block *row = b->children[r];
        for (int c = 0; c < nc; c++) {
            cell *ce = &cells[r * (size_t)nc + (size_t)c];
            pb_build_init(&ce->pb);
            if ((size_t)c >= row->n_children)
                continue;
            ce->src = row->children[c];
            inline_style is = {row->header ? "heading" : "body", 400, false, S->table_size,
                               S->text_color, false};
            pb_build_inlines(T, &ce->pb, ce->src->inlines, &is);
            if (ce->pb.text.len) {
                pb_para p = {ce->pb.text.data, (uint32_t)ce->pb.text.len, ce->pb.spans, ce->pb.n,
                             1e6f, 0, PB_LEFT, false, T->doc->file};
                pb_para_measure(T->text, &p, &ce->min, &ce->max, T->diags);
            }
        }
    }
    float *cmin = pb_xcalloc((size_t)nc, sizeof(float));
    float *cmax = pb_xcalloc((size_t)nc, sizeof(float));
    float *cw = pb_xcalloc((size_t)nc, sizeof(float));
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            cell *ce = &cells[r * (size_t)nc + (size_t)c];
            cmin[c] = PB_MAX(cmin[c], ce->min + 2 * pad);
            cmax[c] = PB_MAX(cmax[c], ce->max + 2 * pad);
        }
    float smin = 0, smax = 0;
    for (int c = 0; c < nc; c++) {
        cmax[c] = PB_MAX(cmax[c], cmin[c]);
        smin += cmin[c];
        smax += cmax[c];
    }
    /* HTML automatic layout (CSS 2.1 17.5.2.2): columns get their maximum width when
     * it all fits, their minimum when even that does not, and in between share the
     * room in proportion to (max - min). Spare room widens every column in
     * proportion to its maximum, so the table spans the measure. */
    if (smax <= width) {
        for (int c = 0; c < nc; c++)
            cw[c] = cmax[c] + (width - smax) * (smax > 0 ? cmax[c] / smax : 1.0f / (float)nc);
    } else if (smin >= width) {
        for (int c = 0; c < nc; c++)
            cw[c] = cmin[c] * width / smin;
        if (smin > width * 1.001f)
            pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                        "table is %.0fpt wider than the measure even with every cell wrapped; "
                        "columns are squeezed", smin - width);
    } else {
        float room = width - smin, want = smax - smin;
        for (int c = 0; c < nc; c++)
            cw[c] = cmin[c] + (want > 0 ? (cmax[c] - cmin[c]) * room / want : 0);
    }

    table_info *ti = pb_arena_alloc(T->arena, sizeof *ti);
    ti->x = x;
    ti->width = width;
    ti->rule_thick = S->table_style == PB_TABLE_PLAIN ? 0 : S->table_rule_thick;
    ti->rule_thin = S->table_style == PB_TABLE_PLAIN ? 0 : S->table_rule_thin;
    ti->style = S->table_style;

    /* caption above */
    vl_space(out, S->line_pitch * 0.5f);
    if (b->inlines) {
        ti->number = ++T->n_tables;
        pb_buf title;
        pb_buf_init(&title);
        pb_inlines_text(b->inlines, &title);
        pb_buf cap;
        pb_buf_init(&cap);
        caption_text(S->table_caption, ti->number, title.data ? title.data : "", title.len, &cap);
        para_build pb;
        pb_build_init(&pb);
        inline_style is = {"heading", 700, false, S->caption_size, S->text_color, false};
        pb_textstyle st = ts_textstyle(T, &is);
        pb_build_text(T, &pb, cap.data, cap.len, &st, b->caption_line ? b->caption_line : b->line, 1);
        pb_para_lines *pl = ts_layout(T, &pb, width, 0, PB_CENTER, "caption", b->line, b->col);
        float cp = S->caption_size * 1.7f;
        for (size_t i = 0; i < pl->n; i++) {
            vitem *v = vl_push(out, V_BOX, cp);
            vi_add_line(T, v, &pl->lines[i], x, ts_baseline(cp, S->caption_size));
            v->keep_next = true;
        }
        /* the continuation line for later pages: 续表N */
        pb_buf cont;
        pb_buf_init(&cont);
        caption_text(S->table_continued, ti->number, title.data ? title.data : "", title.len, &cont);
        para_build cb;
        pb_build_init(&cb);
        pb_build_text(T, &cb, cont.data, cont.len, &st, b->line, b->col);
        pb_para_lines *cpl = ts_layout(T, &cb, width, 0, PB_CENTER, "caption", b->line, b->col);
        memset(&ti->cont_caption, 0, sizeof ti->cont_caption);
        ti->cont_caption.kind = V_BOX;
        ti->cont_caption.h = cp;
        ti->cont_caption.keep_next = true;
        if (cpl->n)
            vi_add_line(T, &ti->cont_caption, &cpl->lines[0], x, ts_baseline(cp, S->caption_size));
        pb_build_free(&cb);
        pb_buf_free(&cont);
        pb_build_free(&pb);
        pb_buf_free(&cap);
        pb_buf_free(&title);
    }

    float vpad = pitch * 0.25f;
    for (size_t r = 0; r < nr; r++) {
        const pb_block *row = b->children[r];
        size_t maxl = 1;
        for (int c = 0; c < nc; c++) {
            cell *ce = &cells[r * (size_t)nc + (size_t)c];
            if (!ce->pb.text.len)
                continue;
            pb_align al = b->aligns ? b->aligns[c] : PB_ALIGN_NONE;
            pb_text_align ta = row->header ? PB_CENTER
                               : al == PB_ALIGN_RIGHT ? PB_RIGHT
                               : al == PB_ALIGN_CENTER ? PB_CENTER
                                                       : PB_LEFT;
            ce->pl = ts_layout(T, &ce->pb, cw[c] - 2 * pad, 0, ta, "cell", ce->src->line, ce->src->col);
            maxl = PB_MAX(maxl, ce->pl->n);
        }
        bool first = r == 0;
        bool last = r + 1 == nr;
        float top_pad = vpad + (first ? ti->rule_thick : 0);
        float h = top_pad + (float)maxl * pitch + vpad;
        vitem *v = vl_push(out, V_BOX, h);
        v->table = ti;
        v->header_row = row->header;
        if (row->header)
            v->keep_next = true;
        float cx = x;
        for (int c = 0; c < nc; c++) {
            cell *ce = &cells[r * (size_t)nc + (size_t)c];
            if (ce->pl) {
                for (size_t i = 0; i < ce->pl->n; i++)
                    vi_add_line(T, v, &ce->pl->lines[i], cx + pad,
                                top_pad + (float)i * pitch + ts_baseline(pitch, S->table_size));
            }
            cx += cw[c];
        }
        if (S->table_style == PB_TABLE_GRID) {
            float gx = x;
            for (int c = 0; c <= nc; c++) {
                pb_item *vr = vi_add(T, v, PB_ITEM_RECT);
                vr->u.rect.x = gx - S->table_rule_thin / 2;
                vr->u.rect.y = 0;
                vr->u.rect.w = S->table_rule_thin;
                vr->u.rect.h = h;
                vr->u.rect.color = S->rule_color;
                if (c < nc)
                    gx += cw[c];
            }
        }
        if (first)
            add_rule(T, v, x, ti->rule_thick / 2, width, ti->rule_thick);
        if (row->header && (r + 1 < nr && !b->children[r + 1]->header))
            add_rule(T, v, x, h, width, ti->rule_thin);
        else if (S->table_style == PB_TABLE_GRID && !last)
            add_rule(T, v, x, h, width, S->table_rule_thin);
        if (last)
            add_rule(T, v, x, h - ti->rule_thick / 2, width, ti->rule_thick);
        if (row->header) {
            /* a copy for the repeat on continuation pages, with the top rule */
            vitem *hv = vl_push(&ti->header, V_BOX, h);
            *hv = *v;
            hv->items = NULL;
            hv->n_items = hv->cap_items = 0;
            hv->notes = NULL;
            hv->n_notes = 0;
            for (size_t k = 0; k < v->n_items; k++) {
                pb_item *it = vi_add(T, hv, v->items[k].kind);
                *it = v->items[k];
            }
        }
        if (!last && nr - r <= 2)
            v->keep_next = true; /* never leave one row alone at the top */
        if (first && !row->header && nr > 1)
            v->keep_next = true;
    }
    /* a short table's caption and header never end a page alone: the header row
     * keeps with the first body row (keep_next above) */
    vl_space(out, S->line_pitch * 0.5f);

    for (size_t i = 0; i < nr * (size_t)nc; i++)
        pb_build_free(&cells[i].pb);
    free(cells);
    free(cmin);
    free(cmax);
    free(cw);
}
