/* paginate.c - the vertical list into pages: first fit with keep-with-next chains
 * (headings with two lines of what follows, no widows or orphans, captions with
 * their tables), footnotes on the page of their reference, body lines on the
 * baseline grid, table headers repeated under 续表N on continuation pages, and short
 * tables and figures that do not fit floated to the next page, the text after them
 * moved up. */
#include "typeset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* placed[n]: note n is on an earlier page (a flag per note rather than a search of
 * every page, which made long documents with many notes quadratic). */
static bool note_placed(const bool *placed, const page_plan *cur, int n)
{
    if (placed[n])
        return true;
    for (size_t k = 0; cur && k < cur->n_notes; k++)
        if (cur->notes[k] == n)
            return true;
    return false;
}

static float note_height(ts *T, int n)
{
    if (n < 1 || (size_t)n > T->n_notes)
        return 0;
    return T->notes[n - 1].h;
}

/* Space above the first footnote: room for the short rule. */
static float note_sep(ts *T)
{
    return T->st->note_pitch * 0.8f;
}

/* The notes a vitem brings to its page: those it references and, after each, the
 * notes that note references in turn (a footnote may cite another), each once. */
typedef struct note_list {
    int *n;
    size_t len, cap;
} note_list;

static bool note_listed(const note_list *l, int n)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->n[i] == n)
            return true;
    return false;
}

static void note_expand(ts *T, note_list *l, int n)
{
    if (n < 1 || (size_t)n > T->n_notes || note_listed(l, n))
        return;
    PB_PUSH(l->n, l->len, l->cap, n);
    const footnote_rec *fr = &T->notes[n - 1];
    for (size_t i = 0; i < fr->lines.n; i++)
        for (size_t k = 0; k < fr->lines.v[i].n_notes; k++)
            note_expand(T, l, fr->lines.v[i].notes[k]);
}

static note_list notes_of(ts *T, const vitem *v)
{
    note_list l = {0};
    for (size_t k = 0; k < v->n_notes; k++)
        note_expand(T, &l, v->notes[k]);
    return l;
}

/* Adds the notes of v to the page; returns the extra height they take. */
static float add_notes(ts *T, const bool *placed, page_plan *pp, const vitem *v)
{
    float h = 0;
    if (!v->n_notes)
        return 0;
    note_list l = notes_of(T, v);
    for (size_t k = 0; k < l.len; k++) {
        int n = l.n[k];
        if (note_placed(placed, pp, n))
            continue;
        if (pp->n_notes == 0)
            h += note_sep(T);
        h += note_height(T, n);
        PB_PUSH(pp->notes, pp->n_notes, pp->cap_notes, n);
    }
    free(l.n);
    return h;
}

static float notes_needed(ts *T, const bool *placed, const page_plan *pp,
                          const vitem *v)
{
    float h = 0;
    if (!v->n_notes)
        return 0;
    bool first = pp->n_notes == 0;
    note_list l = notes_of(T, v);
    for (size_t k = 0; k < l.len; k++) {
        int n = l.n[k];
        if (note_placed(placed, pp, n))
            continue;
        if (first) {
            h += note_sep(T);
            first = false;
        }
        h += note_height(T, n);
    }
    free(l.n);
    return h;
}

static float snap(const ts *T, const vitem *v, float y)
{
    float p = T->st->line_pitch;
    if (!T->st->grid || p <= 0 || !(v->para_line || v->head))
        return y;
    float k = ceilf(y / p - 0.001f);
    return k * p;
}

/* May the page end before vitem k (the page started at i)? Not when the last real
 * item before k (spaces are transparent) keeps with its successor. */
static bool break_allowed(const vlist *l, size_t i, size_t k)
{
    size_t p = k;
    while (p > i && l->v[p - 1].kind == V_SPACE)
        p--;
    if (p == i)
        return false;
    return !l->v[p - 1].keep_next;
}

/* A table that ends a chapter (a page break or the end of the document follows) and
 * fits on a page is kept whole: broken, its continuation would stand on the next page
 * anyway, so moving it there whole costs no page and spares a 续表 of a few rows. */
static void keep_closing_tables(vlist *l, float H)
{
    size_t i = 0;
    while (i < l->n) {
        table_info *ti = l->v[i].table;
        if (!ti) {
            i++;
            continue;
        }
        size_t s = i, e = i;
        while (e + 1 < l->n && l->v[e + 1].table == ti)
            e++;
        i = e + 1;
        while (s > 0 && l->v[s - 1].caption)
            s--;
        size_t f = e + 1;
        while (f < l->n && l->v[f].kind == V_SPACE)
            f++;
        if (f < l->n && l->v[f].kind != V_BREAK)
            continue;
        float h = 0;
        for (size_t k = s; k <= e; k++)
            h += l->v[k].h;
        if (h > H)
            continue;
        for (size_t k = s; k < e; k++)
            l->v[k].keep_next = true;
    }
}

/* Does vitem j start a table (its first caption line, or its first row when it has
 * no caption)? Returns the table, else NULL. */
static table_info *table_starting_at(const vlist *l, size_t j)
{
    size_t r = j;
    while (r < l->n && l->v[r].caption)
        r++;
    if (r >= l->n || !l->v[r].table || (j > 0 && l->v[j - 1].caption))
        return NULL;
    if (r == j && j > 0 && l->v[j - 1].table == l->v[r].table)
        return NULL;
    return l->v[r].table;
}

/* Is v part of the float block (table ti, or figure fig)? */
static bool in_block(const vitem *v, const table_info *ti, int fig)
{
    return ti ? v->caption || v->table == ti : v->figure == fig;
}

/* A short table (one kept whole) or a figure that does not fit in what is left of
 * the page floats: the body text after it, up to the page's end, moves up before it,
 * and the table or figure heads the next page, instead of leaving the space blank.
 * Only plain paragraphs of the same section move (no heading, break, other table or
 * figure, or footnote reference is passed), only up to a point where a page may
 * break, and only when at least two lines fill the gap. Vitem j starts the block at
 * height y of the page that began at vitem i. The block takes its own space above it
 * along (the half line that sets it off); a paragraph space before that stays, above
 * the text that moves up. Rotates the list and returns where the moved text now
 * starts (j, or j - 1 when the block's space moved too), or SIZE_MAX. */
static size_t float_block(ts *T, vlist *l, size_t i, size_t j, float y, float H)
{
    const vitem *v0 = &l->v[j];
    table_info *ti = table_starting_at(l, j);
    int fig = !ti && v0->figure && (j == 0 || l->v[j - 1].figure != v0->figure) ? v0->figure : 0;
    if ((!ti && !fig) || v0->floated)
        return SIZE_MAX;
    size_t bs = j;
    while (bs > i && l->v[bs - 1].kind == V_SPACE)
        bs--;
    if (bs == i || l->v[bs - 1].keep_next)
        return SIZE_MAX;
    size_t js = j > bs ? j - 1 : j; /* the block with its own space */
    float y0 = y - (j > bs ? l->v[j - 1].h : 0);
    size_t e = j;
    float h = 0;
    while (e < l->n && in_block(&l->v[e], ti, fig)) {
        if (e + 1 < l->n && in_block(&l->v[e + 1], ti, fig) && !l->v[e].keep_next)
            return SIZE_MAX; /* a table that may break is continued, not floated */
        if (l->v[e].n_notes)
            return SIZE_MAX;
        h += l->v[e].h;
        e++;
    }
    if (y + h <= H + 0.01f || h > H)
        return SIZE_MAX; /* it fits here, or nowhere */
    size_t be = e;
    while (be < l->n && l->v[be].kind == V_SPACE)
        be++;
    /* the text that fills the page instead */
    float yy = y0;
    size_t lines = 0, good = 0, good_lines = 0;
    for (size_t f = be; f < l->n; f++) {
        const vitem *v = &l->v[f];
        if (v->kind == V_SPACE) {
            yy += v->h;
            continue;
        }
        if (v->kind != V_BOX || !v->para_line || v->n_notes || v->head || v->figure)
            break;
        float top = snap(T, v, yy);
        if (top + v->h > H + 0.01f)
            break;
        yy = top + v->h;
        lines++;
        if (!v->keep_next) {
            good = f + 1 - be;
            good_lines = lines;
        }
    }
    if (good_lines < 2)
        return SIZE_MAX;
    /* rotate [js, be + good): the text first, then the block with its spaces */
    size_t nb = be - js;
    vitem *tmp = pb_xmalloc(nb * sizeof(vitem));
    memcpy(tmp, &l->v[js], nb * sizeof(vitem));
    memmove(&l->v[js], &l->v[be], good * sizeof(vitem));
    memcpy(&l->v[js + good], tmp, nb * sizeof(vitem));
    free(tmp);
    for (size_t k = js + good; k < js + good + nb; k++)
        l->v[k].floated = true;
    return js;
}

page_plan *pb_paginate(ts *T, vlist *l, size_t *n_pages)
{
    const pb_style *S = T->st;
    float H = pb_style_block_height(S);
    page_plan *plans = NULL;
    size_t np = 0, capp = 0;
    size_t i = 0;
    bool *placed = pb_xcalloc(T->n_notes + 1, sizeof(bool));
    keep_closing_tables(l, H);
    while (i < l->n) {
        if (np >= PB_MAX_PAGES) {
            pb_diag_add(T->diags, PB_ERROR, T->doc->file, 0, 0,
                        "the document needs more than %d pages; the rest is not set", PB_MAX_PAGES);
            break;
        }
        page_plan pp = {0};
        /* a page starts: drop spaces, honour breaks */
        while (i < l->n && l->v[i].kind == V_SPACE && l->v[i].discard_top)
            i++;
        if (i < l->n && l->v[i].kind == V_BREAK) {
            bool recto = l->v[i].recto && S->two_sided;
            i++;
            if (recto && np % 2 == 1) {
                page_plan blank = {0};
                blank.first = i;
                blank.blank = true;
                PB_PUSH(plans, np, capp, blank);
            }
            continue;
        }
        if (i >= l->n)
            break;
        float y = 0;
        float *ys = NULL;
        size_t ny = 0, capy = 0;
        /* a table continuing from the previous page: 续表N and its header again */
        const vitem *v0 = &l->v[i];
        if (v0->table && !v0->header_row && i > 0 && l->v[i - 1].table == v0->table) {
            table_info *ti = v0->table;
            size_t ne = (ti->number ? 1 : 0) + ti->header.n;
            pp.extra = pb_xcalloc(ne ? ne : 1, sizeof(vitem));
            if (ti->number)
                pp.extra[pp.n_extra++] = ti->cont_caption;
            for (size_t k = 0; k < ti->header.n; k++)
                pp.extra[pp.n_extra++] = ti->header.v[k];
            for (size_t k = 0; k < pp.n_extra; k++) {
                PB_PUSH(ys, ny, capy, y);
                y += pp.extra[k].h;
            }
        }
        pp.first = i;
        size_t j = i;
        float notes_h = 0;
        for (; j < l->n; j++) {
            vitem *v = &l->v[j];
            if (v->kind == V_BREAK)
                break;
            size_t js = j > i ? float_block(T, l, i, j, y, H - notes_h) : SIZE_MAX;
            if (js != SIZE_MAX) {
                /* the text moved up; the block's own space above it, placed, went too */
                if (js < j) {
                    ny -= j - js;
                    y = ys[ny];
                    j = js;
                }
                v = &l->v[j];
            }
            float top = snap(T, v, y);
            float nh = notes_needed(T, placed, &pp, v);
            if (top + v->h + notes_h + nh > H + 0.01f && j > i) {
                /* break before j, or earlier to keep a chain together */
                size_t k = j;
                while (k > i && !break_allowed(l, i, k))
                    k--;
                if (k == i)
                    k = j; /* the chain is longer than a page: break inside it */
                /* skip trailing spaces back from k */
                j = k;
                break;
            }
            PB_PUSH(ys, ny, capy, top);
            y = top + v->h;
            notes_h += add_notes(T, placed, &pp, v);
        }
        pp.n = j - i;
        ys = realloc(ys, (pp.n_extra + pp.n + 1) * sizeof(float));
        if (!ys)
            pb_fatal("out of memory");
        pp.y = ys;
        /* notes of vitems that were taken back off the page */
        pp.n_notes = 0;
        notes_h = 0;
        for (size_t k = i; k < j; k++)
            notes_h += add_notes(T, placed, &pp, &l->v[k]);
        pp.notes_h = notes_h;
        /* a table broken across this page boundary gets a closing rule */
        if (j < l->n && pp.n > 0) {
            const vitem *lastv = &l->v[j - 1];
            const vitem *nextv = &l->v[j];
            if (lastv->table && nextv->table == lastv->table && lastv->table->style != PB_TABLE_PLAIN) {
                pp.table_cont_rule = true;
                pp.cont_rule_y = pp.y[pp.n_extra + pp.n - 1] + lastv->h;
                pp.cont_rule_w = lastv->table->rule_thick;
            }
        }
        for (size_t k = 0; k < pp.n_notes; k++)
            placed[pp.notes[k]] = true;
        PB_PUSH(plans, np, capp, pp);
        i = j;
    }
    free(placed);
    *n_pages = np;
    return plans;
}

static void place_items(ts *T, pb_pages *out, pb_page *pg, const vitem *v, float dx, float dy)
{
    for (size_t k = 0; k < v->n_items; k++) {
        pb_item *it = pb_page_add(out, pg, v->items[k].kind);
        *it = v->items[k];
        switch (it->kind) {
        case PB_ITEM_RUN:
            it->u.run.x += dx;
            it->u.run.y += dy;
            break;
        case PB_ITEM_RECT:
            it->u.rect.x += dx;
            it->u.rect.y += dy;
            break;
        case PB_ITEM_LINE:
            it->u.line.x1 += dx;
            it->u.line.x2 += dx;
            it->u.line.y1 += dy;
            it->u.line.y2 += dy;
            break;
        case PB_ITEM_IMAGE:
            it->u.image.x += dx;
            it->u.image.y += dy;
            break;
        case PB_ITEM_LINK:
            it->u.link.x += dx;
            it->u.link.y += dy;
            break;
        case PB_ITEM_DEST:
            it->u.dest.x += dx;
            it->u.dest.y += dy;
            break;
        }
    }
    (void)T;
}

void pb_emit_page(ts *T, pb_page *pg, const vlist *l, const page_plan *pp, float left, float top)
{
    pb_pages *out = T->out;
    for (size_t k = 0; k < pp->n_extra; k++)
        place_items(T, out, pg, &pp->extra[k], left, top + pp->y[k]);
    for (size_t k = 0; k < pp->n; k++) {
        const vitem *v = &l->v[pp->first + k];
        float y = top + pp->y[pp->n_extra + k];
        place_items(T, out, pg, v, left, y);
        if (v->head) {
            heading_rec *h = &T->heads[v->head - 1];
            h->page = out->n_pages - 1;
            h->y = y;
        }
    }
    if (pp->table_cont_rule) {
        const vitem *lastv = &l->v[pp->first + pp->n - 1];
        pb_item *r = pb_page_add(out, pg, PB_ITEM_RECT);
        r->u.rect.x = left + lastv->table->x;
        r->u.rect.y = top + pp->cont_rule_y - pp->cont_rule_w / 2;
        r->u.rect.w = lastv->table->width;
        r->u.rect.h = pp->cont_rule_w;
        r->u.rect.color = T->st->rule_color;
    }
    if (pp->n_notes) {
        const pb_style *S = T->st;
        float H = pb_style_block_height(S);
        float y = top + H - pp->notes_h;
        pb_item *r = pb_page_add(out, pg, PB_ITEM_RECT);
        r->u.rect.x = left;
        r->u.rect.y = y + note_sep(T) * 0.45f;
        r->u.rect.w = T->measure * S->note_rule_width;
        r->u.rect.h = 0.5f;
        r->u.rect.color = S->rule_color;
        y += note_sep(T);
        for (size_t k = 0; k < pp->n_notes; k++) {
            const footnote_rec *fr = &T->notes[pp->notes[k] - 1];
            for (size_t m = 0; m < fr->lines.n; m++) {
                place_items(T, out, pg, &fr->lines.v[m], left, y);
                y += fr->lines.v[m].h;
            }
        }
    }
}


void pb_plans_free(page_plan *plans, size_t n)
{
    for (size_t p = 0; p < n; p++) {
        free(plans[p].y);
        free(plans[p].extra);
        free(plans[p].notes);
    }
    free(plans);
}
