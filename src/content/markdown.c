/* markdown.c - Markdown (CommonMark + GFM tables, strikethrough, autolinks,
 * footnotes) through cmark-gfm into the pb_block tree. The walk is iterative so
 * that pathological nesting cannot exhaust the stack; containers nested deeper than
 * PB_MAX_NESTING (inlines: PB_MAX_INLINE_NESTING) are flattened into their ancestor
 * with a warning. Documents too big to set within the memory and time budgets of
 * limits.h (markup elements, blocks, characters of text) are refused with an error
 * where the cap is passed. */
#include "doc.h"
#include "internal.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

typedef struct conv {
    pb_arena *arena;
    const char *file;
    const char *text;
    size_t len;
    int first_line;
    size_t *line_start; /* byte offset of each body line (0-based line index) */
    size_t n_lines;
    pb_doc *doc;
    pb_diags *diags;
    bool warned_depth, warned_inline_depth;
    int inline_depth; /* open inline containers */
    /* Character columns are counted from the last converted position on the same
     * line when that is before the new one: cmark-gfm hands out positions nearly in
     * source order, and counting from the line start every time was quadratic in
     * the length of a line (a 4 MB line of *a* took minutes). One cursor for start
     * and one for end columns, as they interleave. */
    struct col_cursor {
        int line;
        size_t byte; /* bytes of the line counted so far */
        int chars;   /* characters in them */
    } cur_start, cur_end;
    size_t n_blocks, n_chars; /* against PB_MAX_BLOCKS and PB_MAX_TEXT_CHARS */
    const pb_block *para;     /* the paragraph, heading or cell being filled */
    size_t para_chars;        /* its characters, against PB_MAX_PARA_CHARS */
    bool too_big;             /* a cap of the document's size was passed: stop */
} conv;

/* One open container during the walk. */
typedef struct frame {
    cmark_node *node;
    pb_block *blk;      /* block being built, or NULL for an inline frame */
    pb_inline *inl;     /* inline container being built, or NULL */
    pb_block **kids;    /* children collected so far (malloc'd) */
    size_t n_kids, cap_kids;
    pb_inline **tail;   /* where the next inline child goes, or NULL */
    bool inline_container; /* emphasis, link ...: counts toward PB_MAX_INLINE_NESTING */
    bool flattened;        /* an inline container too deep: its children go to the
                              parent's list, through this frame's tail */
} frame;

static void build_line_index(conv *c)
{
    size_t cap = 0;
    c->n_lines = 0;
    c->line_start = NULL;
    PB_PUSH(c->line_start, c->n_lines, cap, (size_t)0);
    for (size_t i = 0; i < c->len; i++)
        if (c->text[i] == '\n')
            PB_PUSH(c->line_start, c->n_lines, cap, i + 1);
}

/* Characters in the first n bytes of body line `line` (1-based, valid). */
static int line_chars(const conv *c, struct col_cursor *cur, int line, size_t n)
{
    size_t start = c->line_start[line - 1];
    if (start + n > c->len)
        n = c->len - start;
    if (cur->line != line || cur->byte > n) {
        cur->line = line;
        cur->byte = 0;
        cur->chars = 0;
    }
    cur->chars += (int)pb_utf8_count(c->text + start + cur->byte, n - cur->byte);
    cur->byte = n;
    return cur->chars;
}

/* cmark columns are 1-based byte columns; ours count code points. */
static int to_col(conv *c, int line, int bytecol)
{
    if (line <= 0 || bytecol <= 0 || (size_t)line > c->n_lines)
        return bytecol;
    return line_chars(c, &c->cur_start, line, (size_t)bytecol - 1) + 1;
}

/* End columns are inclusive: the column of the character holding the last byte. */
static int to_end_col(conv *c, int line, int bytecol)
{
    if (line <= 0 || bytecol <= 0 || (size_t)line > c->n_lines)
        return bytecol;
    return line_chars(c, &c->cur_end, line, (size_t)bytecol);
}

static void set_pos(conv *c, cmark_node *n, int *line, int *col, int fallback_line,
                    int fallback_col)
{
    int l = cmark_node_get_start_line(n);
    int k = cmark_node_get_start_column(n);
    if (l <= 0) {
        *line = fallback_line;
        *col = fallback_col;
        return;
    }
    *col = to_col(c, l, k);
    *line = l + c->first_line - 1;
}

static const char *type_name(cmark_node *n)
{
    const char *s = cmark_node_get_type_string(n);
    return s ? s : "";
}

static bool is_container_block(cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_LIST:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_BLOCK_QUOTE:
        return true;
    default:
        return false;
    }
}

static pb_block *new_block(conv *c, pb_block_kind k, cmark_node *n, const frame *parent)
{
    pb_block *b = pb_arena_alloc(c->arena, sizeof *b);
    b->kind = k;
    int pl = parent && parent->blk ? parent->blk->line : c->first_line;
    int pc = parent && parent->blk ? parent->blk->col : 1;
    set_pos(c, n, &b->line, &b->col, pl, pc);
    if (k != PB_BLK_DOCUMENT && ++c->n_blocks > PB_MAX_BLOCKS && !c->too_big) {
        pb_diag_add(c->diags, PB_ERROR, c->file, b->line, b->col,
                    "the document has more than %u blocks (paragraphs, headings, list items, "
                    "table rows and cells); split it into smaller documents",
                    PB_MAX_BLOCKS);
        c->too_big = true;
    }
    int el = cmark_node_get_end_line(n), ec = cmark_node_get_end_column(n);
    if (el > 0) {
        b->end_col = to_end_col(c, el, ec);
        b->end_line = el + c->first_line - 1;
    } else {
        b->end_line = b->line;
        b->end_col = b->col;
    }
    return b;
}

static pb_inline *new_inline(conv *c, pb_inline_kind k, cmark_node *n, const frame *f)
{
    pb_inline *in = pb_arena_alloc(c->arena, sizeof *in);
    in->kind = k;
    /* Inline positions from cmark are often missing (0); fall back to the
     * enclosing inline or block. */
    int fl = c->first_line, fc = 1;
    if (f && f->inl) {
        fl = f->inl->line;
        fc = f->inl->col;
    } else if (f && f->blk) {
        fl = f->blk->line;
        fc = f->blk->col;
    }
    set_pos(c, n, &in->line, &in->col, fl, fc);
    return in;
}

/* Counts text to set against PB_MAX_TEXT_CHARS, and against PB_MAX_PARA_CHARS for
 * the paragraph it is in (`in`: the block laid out as one paragraph, or NULL for
 * the current one); line, col: where the text starts. */
static void count_text(conv *c, const pb_block *in, const char *s, size_t n, int line, int col)
{
    size_t chars = pb_utf8_count(s, n);
    if (in) {
        c->para = in;
        c->para_chars = 0;
    }
    c->n_chars += chars;
    c->para_chars += chars;
    if (c->para && c->para_chars > PB_MAX_PARA_CHARS && !c->too_big) {
        pb_diag_add(c->diags, PB_ERROR, c->file, c->para->line, c->para->col,
                    "this %s has more than %u characters (about 700 pages); it is laid out as "
                    "a whole, so break it into several",
                    c->para->kind == PB_BLK_CODE ? "code block" : "paragraph",
                    PB_MAX_PARA_CHARS);
        c->too_big = true;
    }
    if (c->n_chars > PB_MAX_TEXT_CHARS && !c->too_big) {
        pb_diag_add(c->diags, PB_ERROR, c->file, line, col,
                    "the document has more than %u characters of text (a 50 MB file of Chinese); "
                    "split it into smaller documents",
                    PB_MAX_TEXT_CHARS);
        c->too_big = true;
    }
}

/* Bytes that can open or close an inline element: emphasis, code, links and images,
 * raw HTML and autolinks, strikethrough, table cells, entities, escapes. */
static bool is_markup_byte(unsigned char b)
{
    switch (b) {
    case '*': case '_': case '`': case '[': case ']': case '<': case '~': case '|':
    case '&': case '\\': case '!':
        return true;
    default:
        return false;
    }
}

/* The list and quote markers that open containers at the start of a line, at most
 * max of them; returns their count and moves *p past them. */
static size_t line_markers(const char *t, size_t *p, size_t end, size_t max)
{
    size_t n = 0;
    size_t i = *p;
    while (n < max) {
        while (i < end && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i < end && t[i] == '>') {
            n++;
            i++;
            continue;
        }
        size_t q = i;
        if (q < end && (t[q] == '-' || t[q] == '+' || t[q] == '*')) {
            q++;
        } else {
            while (q < end && q - i < 9 && t[q] >= '0' && t[q] <= '9')
                q++;
            if (q == i || q >= end || (t[q] != '.' && t[q] != ')'))
                break;
            q++;
        }
        if (q < end && t[q] != ' ' && t[q] != '\t')
            break;
        n++;
        i = q;
    }
    *p = i;
    return n;
}

/* PB_MAX_MARKUP_ELEMENTS: an upper estimate of the nodes cmark-gfm will build, taken
 * before parsing because cmark-gfm builds all of them before we see one. Reports
 * where the estimate passes the cap and returns false then. */
static bool check_markup(conv *c)
{
    const char *t = c->text;
    uint64_t est = 0;
    for (size_t l = 0; l < c->n_lines; l++) {
        size_t s = c->line_start[l];
        size_t e = l + 1 < c->n_lines ? c->line_start[l + 1] - 1 : c->len;
        size_t p = s;
        /* count markers only up to the one that passes the cap, to point at it */
        est += 2u * line_markers(t, &p, e, (size_t)(PB_MAX_MARKUP_ELEMENTS - est) / 2 + 1);
        size_t k = p, at = p > s ? p - 1 : p; /* at: the byte that passed the cap */
        while (k < e && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
            k++;
        if (k < e)
            est += 2; /* a block, or a soft break and a text run */
        for (; k < e && est <= PB_MAX_MARKUP_ELEMENTS; k++) {
            unsigned char b = (unsigned char)t[k];
            at = k;
            if (is_markup_byte(b))
                est += 2;
            else if (b == '@' || (b == ':' && e - k > 2 && t[k + 1] == '/' && t[k + 2] == '/') ||
                     (b == 'w' && e - k > 3 && !memcmp(t + k, "www.", 4)))
                est += 3; /* autolink: a link, its text and the text after */
        }
        if (est > PB_MAX_MARKUP_ELEMENTS) {
            int col = (int)pb_utf8_count(t + s, at - s) + 1;
            pb_diag_add(c->diags, PB_ERROR, c->file, (int)l + c->first_line, col,
                        "too much markup: by here the document has more than %u elements "
                        "(lines, list and quote markers, emphasis, code, links, table "
                        "cells); split it into smaller documents",
                        PB_MAX_MARKUP_ELEMENTS);
            return false;
        }
    }
    return true;
}

/* Adds a finished block to the nearest open block frame (frames of flattened
 * containers and of inlines hold no blocks). */
static bool add_kid(frame *stack, size_t depth, pb_block *b)
{
    for (size_t i = depth; i-- > 0;) {
        frame *f = &stack[i];
        if (f->blk) {
            PB_PUSH(f->kids, f->n_kids, f->cap_kids, b);
            return true;
        }
    }
    return false;
}

static bool text_starts(const pb_inline *in, const char *prefix)
{
    size_t n = strlen(prefix);
    return in && in->kind == PB_INL_TEXT && in->text_len >= n && memcmp(in->text, prefix, n) == 0;
}

/* Removes a prefix of n bytes from the first inline (a TEXT). */
static pb_inline *strip_prefix(pb_inline *in, size_t n)
{
    pb_inline *first = in;
    first->text += n;
    first->text_len -= n;
    first->col += (int)pb_utf8_count(first->text - n, n);
    if (first->text_len == 0)
        return first->next;
    return first;
}

static bool inline_is_blank(const pb_inline *in)
{
    if (in->kind == PB_INL_SOFTBREAK || in->kind == PB_INL_LINEBREAK)
        return true;
    if (in->kind != PB_INL_TEXT)
        return false;
    for (size_t i = 0; i < in->text_len; i++)
        if (in->text[i] != ' ' && in->text[i] != '\t')
            return false;
    return true;
}

/* A paragraph that is only an image becomes a figure; one that is only a page-break
 * command becomes a page break. */
static void classify_paragraph(pb_block *b)
{
    pb_inline *img = NULL;
    int others = 0;
    for (pb_inline *in = b->inlines; in; in = in->next) {
        if (inline_is_blank(in))
            continue;
        if (in->kind == PB_INL_IMAGE && !img)
            img = in;
        else
            others++;
    }
    if (img && others == 0) {
        b->kind = PB_BLK_FIGURE;
        b->url = img->url;
        b->inlines = img->children;
        return;
    }
    if (!img && others == 1 && b->inlines) {
        pb_inline *t = b->inlines;
        while (t && inline_is_blank(t))
            t = t->next;
        if (t && t->kind == PB_INL_TEXT) {
            const char *s = t->text;
            size_t n = t->text_len;
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                n--;
            if ((n == 8 && !memcmp(s, "\\newpage", 8)) || (n == 10 && !memcmp(s, "\\pagebreak", 10))) {
                b->kind = PB_BLK_PAGEBREAK;
                b->inlines = NULL;
            }
        }
    }
}

static bool html_is_pagebreak(const char *s)
{
    if (!s)
        return false;
    return strstr(s, "<!-- pagebreak -->") || strstr(s, "<!--pagebreak-->") ||
           strstr(s, "page-break-after: always") || strstr(s, "page-break-after:always") ||
           strstr(s, "break-after: page");
}

/* Table captions: a paragraph "表：…" (or "表:") right before a table, or Pandoc's
 * "Table: …" / ": …" right after one, becomes the table's caption. */
static void attach_captions(pb_block **kids, size_t *n)
{
    size_t out = 0;
    for (size_t i = 0; i < *n; i++) {
        pb_block *b = kids[i];
        if (b->kind == PB_BLK_PARAGRAPH && i + 1 < *n && kids[i + 1]->kind == PB_BLK_TABLE &&
            !kids[i + 1]->inlines) {
            const char *pre = NULL;
            if (text_starts(b->inlines, "表："))
                pre = "表：";
            else if (text_starts(b->inlines, "表:"))
                pre = "表:";
            if (pre) {
                pb_inline *cap = strip_prefix(b->inlines, strlen(pre));
                if (cap) {
                    kids[i + 1]->inlines = cap;
                    kids[i + 1]->caption_line = b->line;
                    continue; /* the paragraph is consumed */
                }
            }
        }
        if (b->kind == PB_BLK_PARAGRAPH && out > 0 && kids[out - 1]->kind == PB_BLK_TABLE &&
            !kids[out - 1]->inlines) {
            const char *pre = NULL;
            if (text_starts(b->inlines, "Table: "))
                pre = "Table: ";
            else if (text_starts(b->inlines, ": "))
                pre = ": ";
            if (pre) {
                pb_inline *cap = strip_prefix(b->inlines, strlen(pre));
                if (cap) {
                    kids[out - 1]->inlines = cap;
                    kids[out - 1]->caption_line = b->line;
                    continue;
                }
            }
        }
        kids[out++] = b;
    }
    *n = out;
}

/* The cells written on a table row's source line. GFM (spec 4.10) splits a row at
 * every pipe not escaped by a backslash, inside code spans too; a leading and a
 * trailing pipe only delimit. *extra_col gets the column (in characters) where
 * cell number keep + 1 starts, when there is one. */
static int row_cells(const conv *c, const pb_block *row, int keep, int *extra_col)
{
    int l = row->line - c->first_line + 1; /* 1-based line of the body text */
    if (l < 1 || (size_t)l > c->n_lines)
        return 0;
    const char *t = c->text;
    size_t s = c->line_start[l - 1];
    size_t e = (size_t)l < c->n_lines ? c->line_start[l] : c->len;
    while (e > s && (t[e - 1] == '\n' || t[e - 1] == '\r' || t[e - 1] == ' ' || t[e - 1] == '\t'))
        e--;
    size_t p = s;
    for (int k = 1; k < row->col && p < e; k++) /* to the row's start (a quote's > before it) */
        pb_utf8_next(t, e, &p);
    while (p < e && (t[p] == ' ' || t[p] == '\t'))
        p++;
    if (p < e && t[p] == '|')
        p++;
    if (e > p && t[e - 1] == '|' && (e - 1 == p || t[e - 2] != '\\'))
        e--;
    int n = 1;
    for (size_t q = p; q < e; q++) {
        if (t[q] != '|' || (q > s && t[q - 1] == '\\'))
            continue;
        if (++n == keep + 1)
            *extra_col = (int)pb_utf8_count(t + s, q + 1 - s) + 1;
    }
    return n;
}

static void finish_block(conv *c, frame *f)
{
    pb_block *b = f->blk;
    if (b->kind == PB_BLK_DOCUMENT || b->kind == PB_BLK_QUOTE || b->kind == PB_BLK_ITEM ||
        b->kind == PB_BLK_FOOTNOTE)
        attach_captions(f->kids, &f->n_kids);
    if (f->n_kids) {
        b->children = pb_arena_memdup(c->arena, f->kids, f->n_kids * sizeof(pb_block *));
        b->n_children = f->n_kids;
    }
    free(f->kids);
    f->kids = NULL;
    if (b->kind == PB_BLK_PARAGRAPH)
        classify_paragraph(b);
    if (b->kind == PB_BLK_TABLE) {
        /* Rows shorter than the header are padded by cmark-gfm with empty cells that
         * have no source column; say so, since a cell was probably forgotten. */
        for (size_t r = 0; r < b->n_children; r++) {
            pb_block *row = b->children[r];
            size_t padded = 0;
            for (size_t k = 0; k < row->n_children; k++) {
                pb_block *cell = row->children[k];
                if (cell->col <= 0) { /* synthetic cells have column 0 */
                    padded++;
                    cell->col = row->end_col > 0 ? row->end_col : row->col;
                    cell->end_col = cell->col;
                }
            }
            if (padded)
                pb_diag_add(c->diags, PB_WARNING, c->file, row->line, row->col,
                            "table row has %zu cells, the header has %d; padded with empty cells",
                            row->n_children - padded, b->n_cols);
            /* cmark-gfm drops the cells beyond the header's count without a word:
             * count them on the source line */
            int extra_col = row->col;
            int written = row->header || padded ? 0 : row_cells(c, row, b->n_cols, &extra_col);
            if (written > b->n_cols)
                pb_diag_add(c->diags, PB_WARNING, c->file, row->line, extra_col,
                            "table row has %d cells; cells beyond the header's %d are dropped",
                            written, b->n_cols);
        }
    }
}

pb_block *pb_markdown_parse(pb_arena *arena, const char *file, const char *text, size_t len,
                            int first_line, pb_doc *doc, pb_diags *diags)
{
    conv c = {.arena = arena, .file = file, .text = text, .len = len,
              .first_line = first_line, .doc = doc, .diags = diags};
    build_line_index(&c);

    if (!check_markup(&c)) {
        free(c.line_start);
        return NULL;
    }

    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    static const char *const exts[] = {"table", "strikethrough", "autolink"};
    for (size_t i = 0; i < PB_COUNT(exts); i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(parser, e);
    }
    cmark_parser_feed(parser, text, len);
    cmark_node *root = cmark_parser_finish(parser);

    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    size_t cap_fn = 0;
    int block_depth = 0; /* nesting of list/item/quote containers */
    pb_block *result = NULL;

    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while (!c.too_big && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        const char *tn = type_name(n);
        frame *top = depth ? &stack[depth - 1] : NULL;
        bool is_leaf = cmark_node_first_child(n) == NULL &&
                       (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE ||
                        t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK ||
                        t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK ||
                        t == CMARK_NODE_THEMATIC_BREAK);

        if (ev == CMARK_EVENT_EXIT || is_leaf) {
            if (ev == CMARK_EVENT_EXIT) {
                frame f = stack[--depth];
                if (is_container_block(n))
                    block_depth--;
                if (f.inline_container)
                    c.inline_depth--;
                if (f.flattened && depth)
                    stack[depth - 1].tail = f.tail;
                if (!f.blk)
                    continue;
                finish_block(&c, &f);
                if (f.blk->kind == PB_BLK_FOOTNOTE) {
                    if (doc) {
                        f.blk->number = (int)doc->n_footnotes + 1;
                        PB_PUSH(doc->footnotes, doc->n_footnotes, cap_fn, f.blk);
                    }
                } else if (!add_kid(stack, depth, f.blk)) {
                    result = f.blk;
                }
                continue;
            }
            /* a leaf node, entered once */
            if (!top)
                continue;
            if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK ||
                t == CMARK_NODE_THEMATIC_BREAK) {
                pb_block_kind k = t == CMARK_NODE_CODE_BLOCK ? PB_BLK_CODE
                                  : t == CMARK_NODE_HTML_BLOCK ? PB_BLK_HTML
                                                               : PB_BLK_RULE;
                pb_block *b = new_block(&c, k, n, top);
                b->literal = pb_arena_strdup(arena, cmark_node_get_literal(n));
                if (k == PB_BLK_CODE) {
                    b->info = pb_arena_strdup(arena, cmark_node_get_fence_info(n));
                    count_text(&c, b, b->literal, strlen(b->literal), b->line, b->col);
                }
                if (k == PB_BLK_HTML && html_is_pagebreak(b->literal))
                    b->kind = PB_BLK_PAGEBREAK;
                add_kid(stack, depth, b);
                continue;
            }
            if (!top->tail)
                continue;
            pb_inline *in = NULL;
            const char *lit = cmark_node_get_literal(n);
            switch (t) {
            case CMARK_NODE_TEXT:
                if (!lit || !*lit)
                    continue;
                in = new_inline(&c, PB_INL_TEXT, n, top);
                break;
            case CMARK_NODE_CODE:
                in = new_inline(&c, PB_INL_CODE, n, top);
                break;
            case CMARK_NODE_HTML_INLINE:
                in = new_inline(&c, PB_INL_HTML, n, top);
                break;
            case CMARK_NODE_SOFTBREAK:
                in = new_inline(&c, PB_INL_SOFTBREAK, n, top);
                lit = NULL;
                break;
            case CMARK_NODE_LINEBREAK:
                in = new_inline(&c, PB_INL_LINEBREAK, n, top);
                lit = NULL;
                break;
            default:
                continue;
            }
            if (lit) {
                in->text_len = strlen(lit);
                in->text = pb_arena_strndup(arena, lit, in->text_len);
                if (in->kind != PB_INL_HTML)
                    count_text(&c, NULL, in->text, in->text_len, in->line, in->col);
            }
            *top->tail = in;
            top->tail = &in->next;
            continue;
        }

        /* ENTER of a container node */
        frame f = {.node = n};
        pb_block *b = NULL;
        pb_inline *in = NULL;
        bool too_deep = is_container_block(n) && block_depth >= PB_MAX_NESTING;
        if (is_container_block(n))
            block_depth++;
        if (too_deep) {
            if (!c.warned_depth) {
                int l, k;
                set_pos(&c, n, &l, &k, first_line, 1);
                pb_diag_add(diags, PB_WARNING, file, l, k,
                            "lists and quotes nested deeper than %d levels are flattened",
                            PB_MAX_NESTING);
                c.warned_depth = true;
            }
            PB_PUSH(stack, depth, cap, f);
            continue;
        }
        if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK ||
            t == CMARK_NODE_IMAGE || !strcmp(tn, "strikethrough")) {
            f.inline_container = true;
            if (c.inline_depth++ >= PB_MAX_INLINE_NESTING) {
                if (!c.warned_inline_depth) {
                    int l, k;
                    set_pos(&c, n, &l, &k, top && top->blk ? top->blk->line : first_line, 1);
                    pb_diag_add(diags, PB_WARNING, file, l, k,
                                "emphasis and links nested deeper than %d levels are set "
                                "in the style of the level %d",
                                PB_MAX_INLINE_NESTING, PB_MAX_INLINE_NESTING);
                    c.warned_inline_depth = true;
                }
                f.flattened = true;
                f.tail = top ? top->tail : NULL;
                PB_PUSH(stack, depth, cap, f);
                continue;
            }
        }
        switch (t) {
        case CMARK_NODE_DOCUMENT:
            b = new_block(&c, PB_BLK_DOCUMENT, n, top);
            break;
        case CMARK_NODE_BLOCK_QUOTE:
            b = new_block(&c, PB_BLK_QUOTE, n, top);
            break;
        case CMARK_NODE_LIST:
            b = new_block(&c, PB_BLK_LIST, n, top);
            b->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
            b->tight = cmark_node_get_list_tight(n) != 0;
            b->start = cmark_node_get_list_start(n);
            b->delim = cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? ')' : '.';
            break;
        case CMARK_NODE_ITEM:
            b = new_block(&c, PB_BLK_ITEM, n, top);
            break;
        case CMARK_NODE_HEADING:
            b = new_block(&c, PB_BLK_HEADING, n, top);
            b->level = cmark_node_get_heading_level(n);
            break;
        case CMARK_NODE_PARAGRAPH:
            b = new_block(&c, PB_BLK_PARAGRAPH, n, top);
            break;
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            b = new_block(&c, PB_BLK_FOOTNOTE, n, top);
            break;
        case CMARK_NODE_EMPH:
            in = new_inline(&c, PB_INL_EMPH, n, top);
            break;
        case CMARK_NODE_STRONG:
            in = new_inline(&c, PB_INL_STRONG, n, top);
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            /* not a leaf for cmark's iterator (it has an EXIT event): give it an
             * empty frame after appending the reference */
            const char *lit = cmark_node_get_literal(n);
            pb_inline *ref = new_inline(&c, PB_INL_FOOTREF, n, top);
            ref->number = lit ? atoi(lit) : 0;
            ref->label = pb_arena_strdup(arena, lit);
            if (top && top->tail) {
                *top->tail = ref;
                top->tail = &ref->next;
            }
            break;
        }
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            in = new_inline(&c, t == CMARK_NODE_LINK ? PB_INL_LINK : PB_INL_IMAGE, n, top);
            in->url = pb_arena_strdup(arena, cmark_node_get_url(n));
            break;
        default:
            if (!strcmp(tn, "table")) {
                b = new_block(&c, PB_BLK_TABLE, n, top);
                int nc = cmark_gfm_extensions_get_table_columns(n);
                uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
                b->n_cols = nc;
                b->aligns = pb_arena_alloc(arena, sizeof(pb_align) * (size_t)(nc > 0 ? nc : 1));
                for (int i = 0; i < nc; i++)
                    b->aligns[i] = !al         ? PB_ALIGN_NONE
                                   : al[i] == 'l' ? PB_ALIGN_LEFT
                                   : al[i] == 'c' ? PB_ALIGN_CENTER
                                   : al[i] == 'r' ? PB_ALIGN_RIGHT
                                                  : PB_ALIGN_NONE;
            } else if (!strcmp(tn, "table_header") || !strcmp(tn, "table_row")) {
                b = new_block(&c, PB_BLK_ROW, n, top);
                b->header = !strcmp(tn, "table_header");
            } else if (!strcmp(tn, "table_cell")) {
                b = new_block(&c, PB_BLK_CELL, n, top);
            } else if (!strcmp(tn, "strikethrough")) {
                in = new_inline(&c, PB_INL_STRIKE, n, top);
            }
            /* any other container: no frame of its own, its content is kept */
            break;
        }
        if (b) {
            f.blk = b;
            f.tail = &b->inlines;
            if (b->kind == PB_BLK_PARAGRAPH || b->kind == PB_BLK_HEADING ||
                b->kind == PB_BLK_CELL) { /* each is laid out as one paragraph */
                c.para = b;
                c.para_chars = 0;
            }
        } else if (in) {
            if (top && top->tail) {
                *top->tail = in;
                top->tail = &in->next;
            }
            f.inl = in;
            f.tail = &in->children;
        }
        PB_PUSH(stack, depth, cap, f);
    }
    cmark_iter_free(it);
    cmark_node_free(root);
    cmark_parser_free(parser);
    for (size_t i = 0; i < depth; i++) /* frames left open when a size cap stopped the walk */
        free(stack[i].kids);
    free(stack);
    free(c.line_start);
    if (c.too_big)
        return NULL;
    if (!result) {
        result = pb_arena_alloc(arena, sizeof *result);
        result->kind = PB_BLK_DOCUMENT;
        result->line = first_line;
        result->col = 1;
    }
    return result;
}
