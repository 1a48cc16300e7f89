/* dump.c - --dump=pages: the body paginated exactly as pb_typeset does it, written
 * as text for golden tests and for looking at page breaks without a PDF viewer:
 * per page, each placed vitem's y from the top of the text block, its height, its
 * kind and the first characters it shows; then the closing rule of a table that
 * continues overleaf and the footnotes set at the bottom. */
#include "typeset_internal.h"

#include <stdlib.h>
#include <string.h>

/* Characters of text shown per vitem: enough to recognise a line or a row. */
#define DUMP_CHARS 30

static const char *kind_name(const vitem *v)
{
    if (v->kind == V_SPACE)
        return "space";
    if (v->kind == V_BREAK)
        return "break";
    if (v->head)
        return "heading";
    if (v->caption)
        return "caption";
    if (v->table)
        return v->header_row ? (v->row_part ? "header-part" : "header")
                             : (v->row_part ? "row-part" : "row");
    if (v->para_line)
        return "line";
    bool run = false;
    for (size_t k = 0; k < v->n_items; k++) {
        if (v->items[k].kind == PB_ITEM_IMAGE)
            return "figure";
        run |= v->items[k].kind == PB_ITEM_RUN;
    }
    return run ? "text" : v->n_items ? "rule" : "box";
}

typedef struct text_out {
    pb_buf *out;
    size_t chars; /* code points written */
    const char *para;
    uint32_t end; /* byte offset in para after the last glyph written */
} text_out;

static void put(text_out *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n && t->chars < DUMP_CHARS; i++) {
        pb_buf_addc(t->out, s[i]);
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++t->chars == DUMP_CHARS) {
            /* finish the character just started */
            while (i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80)
                pb_buf_addc(t->out, s[++i]);
        }
    }
}

/* Appends the source text of a run; a word space skipped between glyphs (glue,
 * not a glyph) comes back as one space. Each table cell is a paragraph of its own:
 * a run pointing into another text starts another cell, shown after " | ". */
static void put_run(text_out *t, const pb_run *run, bool cells)
{
    bool hyphen = run->n == 1 && run->text && !strcmp(run->text, "-");
    if (hyphen)
        return;
    for (uint32_t g = 0; g < run->n; g++) {
        const pb_glyph *gl = &run->glyphs[g];
        if (!gl->text_len)
            continue;
        if (t->para != run->text) {
            if (t->para && cells)
                put(t, " | ", 3);
            t->para = run->text;
            t->end = gl->text_off;
        }
        bool space = false;
        for (uint32_t k = t->end; k < gl->text_off; k++)
            space |= run->text[k] == ' ' || run->text[k] == '\n';
        if (space && t->out->len)
            put(t, " ", 1);
        put(t, run->text + gl->text_off, gl->text_len);
        t->end = gl->text_off + gl->text_len;
    }
}

static void vitem_text(const vitem *v, pb_buf *out)
{
    text_out t = {out, 0, NULL, 0};
    /* runs in reading order: by line, then left to right (a list label is added
     * after its item's text); table cells in the order they were set */
    size_t n = 0;
    const pb_run **runs = pb_xmalloc((v->n_items + 1) * sizeof *runs);
    for (size_t k = 0; k < v->n_items; k++)
        if (v->items[k].kind == PB_ITEM_RUN)
            runs[n++] = &v->items[k].u.run;
    if (!v->table)
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0; j--) {
                const pb_run *a = runs[j - 1], *b = runs[j];
                if (!(a->y > b->y + 0.5f || (a->y > b->y - 0.5f && a->x > b->x)))
                    break;
                runs[j - 1] = b;
                runs[j] = a;
            }
    for (size_t i = 0; i < n; i++)
        put_run(&t, runs[i], v->table != NULL);
    free(runs);
}

static void dump_vitem(pb_buf *out, const vitem *v, float y, const char *kind)
{
    pb_buf text;
    pb_buf_init(&text);
    vitem_text(v, &text);
    const char *k = kind ? kind : kind_name(v);
    if (y > -0.005f && y < 0.005f)
        y = 0; /* never "-0.00" */
    pb_buf_printf(out, "  %8.2f %7.2f  %s", y, v->h, k);
    if (text.len)
        pb_buf_printf(out, "%*s%s", (int)PB_MAX(1, 14 - (int)strlen(k)), "", text.data);
    pb_buf_addc(out, '\n');
    pb_buf_free(&text);
}

void pb_typeset_dump_pages(pb_text *text, const pb_doc *doc, const pb_style *style,
                           pb_buf *out, pb_diags *diags)
{
    pb_pages *pages = pb_pages_new();
    ts T;
    ts_init(&T, text, doc, style, diags, pages);
    vlist body = {0};
    size_t np = 0;
    page_plan *plans = ts_body_pages(&T, &body, &np);
    pb_buf_printf(out, "measure %.2f height %.2f pages %zu\n", T.measure,
                  pb_style_block_height(style), np);
    for (size_t p = 0; p < np; p++) {
        const page_plan *pp = &plans[p];
        if (pp->blank) {
            pb_buf_printf(out, "page %zu blank\n", p + 1);
            continue;
        }
        pb_buf_printf(out, "page %zu\n", p + 1);
        for (size_t k = 0; k < pp->n_extra; k++)
            dump_vitem(out, &pp->extra[k], pp->y[k],
                       pp->extra[k].caption ? "cont-caption" : "cont-header");
        for (size_t k = 0; k < pp->n; k++)
            dump_vitem(out, &body.v[pp->first + k], pp->y[pp->n_extra + k], NULL);
        if (pp->table_cont_rule)
            pb_buf_printf(out, "  %8.2f %7.2f  rule         table continues\n", pp->cont_rule_y,
                          pp->cont_rule_w);
        if (pp->n_notes) {
            float H = pb_style_block_height(style);
            pb_buf_printf(out, "  %8.2f %7.2f  notes       ", H - pp->notes_h, pp->notes_h);
            for (size_t k = 0; k < pp->n_notes; k++)
                pb_buf_printf(out, " %d", pp->notes[k]);
            pb_buf_addc(out, '\n');
        }
    }
    pb_plans_free(plans, np);
    free_tables(&body);
    vlist_free(&body);
    ts_free(&T);
    pb_pages_free(pages);
}
