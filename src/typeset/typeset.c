/* typeset.c - the typesetter's entry points: body flow, pagination, front matter,
 * running headers and footers, bookmarks and page labels; and --dump=lines. */
#include "typeset_internal.h"

#include <stdlib.h>
#include <string.h>

void ts_init(ts *T, pb_text *text, const pb_doc *doc, const pb_style *style,
                    pb_diags *diags, pb_pages *out)
{
    memset(T, 0, sizeof *T);
    T->text = text;
    T->reg = pb_text_fontreg(text);
    T->doc = doc;
    T->st = style;
    T->diags = diags;
    T->out = out;
    T->arena = out->arena;
    T->measure = pb_style_measure(style);
}

void ts_free(ts *T)
{
    free(T->fontsets);
    free(T->heads);
    free(T->links);
    free(T->dumped);
    for (size_t i = 0; i < T->n_notes; i++) {
        free_tables(&T->notes[i].lines); /* a note may hold a table */
        for (size_t k = 0; k < T->notes[i].lines.n; k++) {
            free(T->notes[i].lines.v[k].items);
            free(T->notes[i].lines.v[k].notes);
        }
        free(T->notes[i].lines.v);
    }
}

void vlist_free(vlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        vitem *v = &l->v[i];
        free(v->items);
        free(v->notes);
    }
    free(l->v);
}

void free_tables(vlist *l)
{
    table_info *seen = NULL;
    for (size_t i = 0; i < l->n; i++) {
        table_info *ti = l->v[i].table;
        if (!ti || ti == seen)
            continue;
        seen = ti;
        for (size_t k = 0; k < ti->header.n; k++)
            free(ti->header.v[k].items);
        free(ti->header.v);
        free(ti->cont_caption.items);
        ti->header.v = NULL;
        ti->header.n = 0;
    }
}

page_plan *ts_body_pages(ts *T, vlist *body, size_t *n_pages)
{
    pb_flow_footnotes(T);
    ts_title_block(T, body);
    pb_flow_blocks(T, body, T->doc->root->children, T->doc->root->n_children, 0, T->measure);
    ts_signature(T, body);
    return pb_paginate(T, body, n_pages);
}

pb_pages *pb_typeset(pb_text *text, const pb_doc *doc, const pb_style *style, pb_diags *diags)
{
    pb_pages *out = pb_pages_new();
    ts T;
    ts_init(&T, text, doc, style, diags, out);
    const pb_meta *m = &doc->meta;
    out->title = m->title ? pb_arena_strdup(out->arena, m->title) : NULL;
    if (m->n_authors) {
        pb_buf a;
        pb_buf_init(&a);
        for (size_t i = 0; i < m->n_authors; i++) {
            if (i)
                pb_buf_adds(&a, "、");
            pb_buf_adds(&a, m->authors[i].name);
        }
        out->author = pb_arena_strdup(out->arena, a.data);
        pb_buf_free(&a);
    }
    out->keywords = m->keywords ? pb_arena_strdup(out->arena, m->keywords) : NULL;

    vlist body = {0};
    size_t nb = 0;
    page_plan *plans = ts_body_pages(&T, &body, &nb);
    for (size_t p = 0; p < nb; p++)
        for (size_t k = 0; k < plans[p].n; k++) {
            const vitem *v = &body.v[plans[p].first + k];
            if (v->head)
                T.heads[v->head - 1].body_page = p;
        }

    size_t nfront = pb_front_matter(&T, out, nb);

    /* body pages */
    size_t h1 = 0; /* next heading to consider for the running chapter */
    const char *chapter = NULL;
    for (size_t p = 0; p < nb; p++) {
        float left, top;
        pb_page *pg = ts_new_page(&T, &left, &top);
        if (!plans[p].blank)
            pb_emit_page(&T, pg, &body, &plans[p], left, top);
        /* the chapter current on this page: the last level-1 heading on or before it */
        while (h1 < T.n_heads && T.heads[h1].body_page <= p) {
            if (T.heads[h1].level == 1)
                chapter = T.heads[h1].text;
            h1++;
        }
        if (!plans[p].blank)
            ts_header_footer(&T, pg, p, nb, left, top, chapter);
    }

    /* bookmarks: one per heading, levels never jumping by more than one */
    int prev = 0;
    for (size_t i = 0; i < T.n_heads; i++) {
        int lv = T.heads[i].level;
        if (lv > prev + 1)
            lv = prev + 1;
        pb_outline o = {T.heads[i].text, lv, T.heads[i].page, T.heads[i].y};
        PB_PUSH(out->outlines, out->n_outlines, out->cap_outlines, o);
        prev = lv;
    }
    /* page labels: i, ii, ... for the front matter, 1, 2, ... for the body */
    if (nfront) {
        pb_label_range r = {0, PB_LABEL_ROMAN_LOWER, 1, NULL};
        PB_PUSH(out->labels, out->n_labels, out->cap_labels, r);
    }
    pb_label_range r = {nfront, PB_LABEL_DECIMAL, 1, NULL};
    PB_PUSH(out->labels, out->n_labels, out->cap_labels, r);

    pb_plans_free(plans, nb);
    free_tables(&body);
    vlist_free(&body);
    ts_free(&T);
    return out;
}

void pb_typeset_dump_lines(pb_text *text, const pb_doc *doc, const pb_style *style,
                           pb_buf *out, pb_diags *diags)
{
    pb_pages *pages = pb_pages_new();
    ts T;
    ts_init(&T, text, doc, style, diags, pages);
    T.dump = true;
    vlist body = {0};
    pb_flow_blocks(&T, &body, doc->root->children, doc->root->n_children, 0, T.measure);
    for (size_t i = 0; i < T.n_dumped; i++) {
        const dumped_para *d = &T.dumped[i];
        pb_buf_printf(out, "%s %d:%d measure=%.2f lines=%zu\n", d->kind, d->line, d->col, d->width,
                      d->pl->n);
        for (size_t k = 0; k < d->pl->n; k++) {
            const pb_line *ln = &d->pl->lines[k];
            pb_buf_printf(out, "  %7.2f %+7.2f%s ", ln->width + ln->x, ln->ratio,
                          ln->last ? " last" : "     ");
            pb_line_dump(d->pl, ln, out);
            pb_buf_addc(out, '\n');
        }
    }
    free_tables(&body);
    vlist_free(&body);
    ts_free(&T);
    pb_pages_free(pages);
}
