/* front.c - the front matter: cover (title, subtitle, authors, date), abstract and
 * table of contents with dot leaders and right-aligned page numbers. Front pages
 * are numbered i, ii, ...; the body starts at 1, so the contents can be set after
 * the body is paginated, in one pass. */
#include "typeset_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sets a short text of the front matter (title, name, date) in one style across
 * width. b is initialised here; the caller frees it once the lines are placed. */
static pb_para_lines *set_text(ts *T, para_build *b, const char *text, const char *role,
                               unsigned weight, float size, pb_text_align align, const char *what)
{
    pb_build_init(b);
    inline_style is = {role, weight, false, size, T->st->text_color, false};
    pb_textstyle st = ts_textstyle(T, &is);
    pb_build_text(T, b, text, strlen(text), &st, 1, 1);
    return ts_layout(T, b, T->measure, 0, align, what, 1, 1);
}

/* Sets text centred across the measure at baseline y; returns the lines' count. */
static size_t centred(ts *T, pb_page *pg, const char *text, const char *role, unsigned weight,
                      float size, float y, float pitch, float left)
{
    if (!text || !*text)
        return 0;
    para_build pb;
    pb_para_lines *pl = set_text(T, &pb, text, role, weight, size, PB_CENTER, "cover");
    vitem v = {0};
    for (size_t i = 0; i < pl->n; i++)
        vi_add_line(T, &v, &pl->lines[i], 0, (float)i * pitch);
    for (size_t k = 0; k < v.n_items; k++) {
        pb_item *it = pb_page_add(T->out, pg, v.items[k].kind);
        *it = v.items[k];
        if (it->kind == PB_ITEM_RUN) {
            it->u.run.x += left;
            it->u.run.y += y;
        }
    }
    free(v.items);
    pb_build_free(&pb);
    return pl->n;
}

static void cover(ts *T)
{
    const pb_style *S = T->st;
    const pb_meta *m = &T->doc->meta;
    float left, top;
    pb_page *pg = ts_new_page(T, &left, &top);
    float bh = pb_style_block_height(S);
    float y = top + bh * 0.25f;
    float tp = S->title_size * 1.5f;
    size_t n = centred(T, pg, m->title, "heading", 700, S->title_size, y, tp, left);
    y += (float)n * tp + S->title_size * 0.6f;
    if (m->subtitle) {
        float sz = S->title_size * 0.62f;
        n = centred(T, pg, m->subtitle, "heading", 400, sz, y, sz * 1.5f, left);
        y += (float)n * sz * 1.5f;
    }
    y = PB_MAX(y + S->body_size * 4, top + bh * 0.55f);
    for (size_t i = 0; i < m->n_authors; i++) {
        float sz = S->body_size * 1.25f;
        n = centred(T, pg, m->authors[i].name, "heading", 400, sz, y, sz * 1.5f, left);
        y += (float)n * sz * 1.5f;
        if (m->authors[i].affiliation) {
            float as = S->body_size * 0.9f;
            n = centred(T, pg, m->authors[i].affiliation, "body", 400, as, y, as * 1.5f, left);
            y += (float)n * as * 1.5f;
        }
        y += S->body_size * 0.8f;
    }
    if (m->date)
        centred(T, pg, m->date, "body", 400, S->body_size * 1.1f, top + bh * 0.92f,
                S->body_size * 1.6f, left);
}

/* Lays out a front-matter vlist (abstract or contents) onto new pages. */
static void front_pages(ts *T, vlist *l, int *roman)
{
    size_t np = 0;
    page_plan *plans = pb_paginate(T, l, &np);
    for (size_t p = 0; p < np; p++) {
        float left, top;
        pb_page *pg = ts_new_page(T, &left, &top);
        pb_emit_page(T, pg, l, &plans[p], left, top);
        ts_page_number(T, pg, left, top, ++*roman, PB_NUM_ROMAN);
    }
    pb_plans_free(plans, np);
}

static void title_block(ts *T, vlist *l, const char *title)
{
    const pb_style *S = T->st;
    const pb_heading_style *hs = &S->h[0];
    para_build pb;
    pb_para_lines *pl = set_text(T, &pb, title, hs->role, hs->weight, hs->size, PB_CENTER, "title");
    float pitch = S->line_pitch;
    vitem *v = vl_push(l, V_BOX, 3 * pitch);
    v->keep_next = true;
    for (size_t i = 0; i < pl->n; i++)
        vi_add_line(T, v, &pl->lines[i], 0, pitch + ts_baseline(pitch, hs->size));
    pb_build_free(&pb);
}

static void abstract(ts *T, int *roman)
{
    const pb_meta *m = &T->doc->meta;
    if (!m->abstract || !m->abstract->n_children)
        return;
    vlist l = {0};
    title_block(T, &l, T->st->abstract_title);
    /* the abstract's own headings must not be numbered or counted */
    int saved[6];
    memcpy(saved, T->counters, sizeof saved);
    size_t saved_heads = T->n_heads;
    pb_flow_blocks(T, &l, m->abstract->children, m->abstract->n_children, 0, T->measure);
    memcpy(T->counters, saved, sizeof saved);
    T->n_heads = saved_heads;
    /* no bookmark for the abstract or the contents: the bookmarks mirror the
     * document's headings, one each */
    front_pages(T, &l, roman);
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].items);
        free(l.v[i].notes);
    }
    free(l.v);
}

static void contents(ts *T, int *roman)
{
    const pb_style *S = T->st;
    vlist l = {0};
    title_block(T, &l, S->toc_title);
    float pitch = S->line_pitch;
    float size = S->body_size;
    inline_style nis = {"body", 400, false, size, S->text_color, false};
    pb_textstyle nst = ts_textstyle(T, &nis);
    float dot_w = ts_line_width(T, ".", &nst);
    float num_room = ts_line_width(T, "0000", &nst);
    for (size_t i = 0; i < T->n_heads; i++) {
        const heading_rec *h = &T->heads[i];
        if (!h->in_toc || h->level > S->toc_depth)
            continue;
        float indent = (float)(h->level - 1) * 2 * size;
        para_build pb;
        pb_build_init(&pb);
        inline_style is = {h->level == 1 ? "heading" : "body", 400, false, size, S->text_color, false};
        pb_textstyle st = ts_textstyle(T, &is);
        st.link = 0;
        pb_build_text(T, &pb, h->text, strlen(h->text), &st, 1, 1);
        float avail = T->measure - indent - num_room - 2 * size;
        pb_para_lines *pl = ts_layout(T, &pb, avail, 0, PB_LEFT, "toc", 1, 1);
        char num[16];
        snprintf(num, sizeof num, "%zu", h->body_page + 1);
        pb_run nrun;
        float nw = pb_text_shape_line(T->text, num, strlen(num), &nst, T->arena, &nrun, T->diags);
        for (size_t k = 0; k < pl->n; k++) {
            vitem *v = vl_push(&l, V_BOX, pitch);
            float base = ts_baseline(pitch, size);
            vi_add_line(T, v, &pl->lines[k], indent, base);
            if (k + 1 == pl->n) {
                /* dot leaders on a common grid so they line up from entry to entry */
                float start = indent + pl->lines[k].width + 0.5f * size;
                float end = T->measure - nw - 0.5f * size;
                float step = size * 0.5f;
                float dx = step * (float)(int)(start / step + 0.999f);
                pb_run dot;
                pb_text_shape_line(T->text, ".", 1, &nst, T->arena, &dot, T->diags);
                if (dot.n) {
                    size_t ndots = 0;
                    for (float d = dx; d + dot_w <= end; d += step)
                        ndots++;
                    if (ndots) {
                        pb_glyph *g = pb_arena_alloc(T->arena, ndots * sizeof(pb_glyph));
                        for (size_t q = 0; q < ndots; q++) {
                            g[q] = dot.glyphs[0];
                            g[q].x = (float)q * step;
                        }
                        pb_item *it = vi_add(T, v, PB_ITEM_RUN);
                        it->u.run = dot;
                        it->u.run.glyphs = g;
                        it->u.run.n = (uint32_t)ndots;
                        it->u.run.x = dx;
                        it->u.run.y = base;
                    }
                }
                if (nrun.n) {
                    pb_item *it = vi_add(T, v, PB_ITEM_RUN);
                    it->u.run = nrun;
                    it->u.run.x = T->measure - nw;
                    it->u.run.y = base;
                }
            }
            pb_item *ln = vi_add(T, v, PB_ITEM_LINK);
            ln->u.link.x = indent;
            ln->u.link.y = 0;
            ln->u.link.w = T->measure - indent;
            ln->u.link.h = pitch;
            ln->u.link.dest = h->dest;
            v->keep_next = k + 1 < pl->n;
        }
        pb_build_free(&pb);
    }
    front_pages(T, &l, roman);
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].items);
        free(l.v[i].notes);
    }
    free(l.v);
}

bool ts_has_cover(const ts *T)
{
    const pb_meta *m = &T->doc->meta;
    /* a cover needs more than a title: a short note with only a title gets its
     * title at the top of its first page instead */
    return T->st->cover && m->title && (m->n_authors || m->subtitle || m->date);
}

void ts_title_block(ts *T, vlist *l)
{
    const pb_style *S = T->st;
    const pb_meta *m = &T->doc->meta;
    if (!m->title || ts_has_cover(T))
        return;
    /* the design's title size, but no larger than twice the body on a text page */
    float size = PB_MIN(S->title_size, 2 * S->body_size);
    para_build pb;
    pb_para_lines *pl = set_text(T, &pb, m->title, "heading", 700, size, PB_CENTER, "title");
    float pitch = size * 1.5f;
    /* without a cover or a signature, the authors and date go under the title */
    bool byline = !S->signature && (m->n_authors || m->date);
    float h = (float)pl->n * pitch + (byline ? 0 : S->line_pitch);
    h = S->line_pitch * (float)(int)((h + S->line_pitch - 0.01f) / S->line_pitch);
    vitem *v = vl_push(l, V_BOX, h);
    v->keep_next = true;
    for (size_t i = 0; i < pl->n; i++)
        vi_add_line(T, v, &pl->lines[i], 0, (float)i * pitch + ts_baseline(pitch, size));
    pb_build_free(&pb);
    if (!byline)
        return;
    pb_buf names;
    pb_buf_init(&names);
    for (size_t i = 0; i < m->n_authors; i++)
        pb_buf_printf(&names, "%s%s", i ? "　" : "", m->authors[i].name);
    const char *parts[2] = {names.data, m->date};
    for (int k = 0; k < 2; k++) {
        if (!parts[k] || !*parts[k])
            continue;
        pb_para_lines *bl =
            set_text(T, &pb, parts[k], "body", 400, S->body_size, PB_CENTER, "title");
        for (size_t i = 0; i < bl->n; i++) {
            vitem *bv = vl_push(l, V_BOX, S->line_pitch);
            bv->keep_next = true;
            vi_add_line(T, bv, &bl->lines[i], 0, ts_baseline(S->line_pitch, S->body_size));
        }
        pb_build_free(&pb);
    }
    pb_buf_free(&names);
    vl_space(l, S->line_pitch);
}

/* GB/T 9704-2012 §7.3.5.2, a document without a seal: one blank line after the text,
 * the issuer (here the authors) two characters from the right edge, and on the next
 * line the date, starting two characters right of the issuer; a date longer than the
 * issuer keeps two characters from the edge and pushes the issuer left. */
void ts_signature(ts *T, vlist *l)
{
    const pb_style *S = T->st;
    const pb_meta *m = &T->doc->meta;
    if (!S->signature || (!m->n_authors && !m->date))
        return;
    float zi = S->body_size;
    size_t n = m->n_authors + (m->date ? 1 : 0);
    pb_para_lines **pl = pb_xcalloc(n, sizeof *pl);
    para_build *pb = pb_xcalloc(n, sizeof *pb);
    float ws = 0, wd = 0;
    for (size_t i = 0; i < n; i++) {
        bool date = i == m->n_authors;
        const char *text = date ? m->date : m->authors[i].name;
        pl[i] = set_text(T, &pb[i], text, "body", 400, S->body_size, PB_LEFT, "signature");
        for (size_t k = 0; k < pl[i]->n; k++) {
            float w = pl[i]->lines[k].natural;
            if (date)
                wd = PB_MAX(wd, w);
            else
                ws = PB_MAX(ws, w);
        }
    }
    float xs = T->measure - 2 * zi - ws;
    float xd = xs + 2 * zi;
    if (m->date && xd + wd > T->measure - 2 * zi) {
        xd = T->measure - 2 * zi - wd;
        xs = xd - 2 * zi;
    }
    xs = PB_MAX(xs, 0);
    xd = PB_MAX(xd, 0);
    /* the signature never stands alone on a page: it keeps with the text's last line */
    for (size_t k = l->n; k-- > 0;)
        if (l->v[k].kind != V_SPACE) {
            l->v[k].keep_next = true;
            break;
        }
    vl_space(l, S->line_pitch);
    for (size_t i = 0; i < n; i++) {
        float x = i == m->n_authors ? xd : xs;
        for (size_t k = 0; k < pl[i]->n; k++) {
            vitem *v = vl_push(l, V_BOX, S->line_pitch);
            v->para_line = true;
            v->keep_next = i + 1 < n || k + 1 < pl[i]->n;
            vi_add_line(T, v, &pl[i]->lines[k], x,
                        ts_baseline(S->line_pitch, S->body_size));
        }
        pb_build_free(&pb[i]);
    }
    free(pl);
    free(pb);
}

size_t pb_front_matter(ts *T, pb_pages *out, size_t body_pages)
{
    (void)body_pages;
    const pb_meta *m = &T->doc->meta;
    size_t before = out->n_pages;
    int roman = 0;
    if (ts_has_cover(T)) {
        cover(T);
        roman++;
    }
    abstract(T, &roman);
    bool toc = m->toc_set ? m->toc : T->st->toc;
    if (toc)
        contents(T, &roman);
    /* a two-sided document starts its body on a right-hand page */
    if (T->st->two_sided && (out->n_pages - before) % 2 == 1) {
        float left, top;
        ts_new_page(T, &left, &top);
    }
    return out->n_pages - before;
}
