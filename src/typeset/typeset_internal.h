/* typeset_internal.h - shared by the files of src/typeset only.
 *
 * The typesetter turns blocks into a vertical list of vitems (a line of text, a
 * table row, a heading block, a space, a page break), each carrying its own small
 * display list relative to its top-left corner. The paginator stacks vitems into
 * pages, honouring keep-with-next chains, footnotes and table header repeats, and
 * then everything is offset onto the page. */
#ifndef PB_TYPESET_INTERNAL_H
#define PB_TYPESET_INTERNAL_H

#include "typeset.h"

typedef enum { V_BOX, V_SPACE, V_BREAK } vkind;

typedef struct table_info table_info;

typedef struct vitem {
    vkind kind;
    float h;          /* height consumed on the page */
    bool keep_next;   /* never break between this and the next vitem */
    bool discard_top; /* a V_SPACE that vanishes at the top of a page */
    bool recto;       /* V_BREAK: continue on a right-hand (odd) page */
    pb_item *items;   /* display items relative to the vitem's top-left corner */
    size_t n_items, cap_items;
    int *notes;       /* footnote numbers referenced here */
    size_t n_notes;
    int head;         /* 1-based index into ts.heads when this vitem starts a heading */
    table_info *table; /* set on table rows */
    bool header_row;   /* a header row of that table */
    bool row_part;     /* one line of a table row too tall for a page, split by lines */
    bool caption;      /* a line of a table caption (for --dump=pages) */
    bool para_line;    /* a line of body text (widow/orphan rules apply) */
    int figure;        /* figure N: its image, the space under it and its caption lines */
    bool floated;      /* moved past the text after it once (a table or figure, paginate.c) */
} vitem;

typedef struct vlist {
    vitem *v;
    size_t n, cap;
} vlist;

struct table_info {
    int number;           /* 表N, 0 when uncaptioned */
    vlist header;         /* header rows (and nothing else), to repeat */
    vitem cont_caption;   /* 续表N line */
    float x, width;       /* table position, for the closing rule at a page break */
    float rule_thick, rule_thin;
    pb_table_kind style;
};

typedef struct heading_rec {
    int level;
    const char *text;   /* with its number, plain text (bookmarks, TOC, running header) */
    const char *dest;   /* destination name */
    bool in_toc;
    size_t body_page;   /* 0-based page of the body, set after pagination */
    size_t page;        /* absolute page index, set when the page is emitted */
    float y;            /* page coords of the heading's top */
} heading_rec;

typedef struct fontset_rec {
    const char *role;
    unsigned weight;
    bool italic;
    pb_fontset *fs;
} fontset_rec;

typedef struct footnote_rec {
    int number;
    vlist lines;
    float h;
} footnote_rec;

/* A laid-out paragraph remembered for --dump=lines. */
typedef struct dumped_para {
    const char *kind;
    int line, col;
    float width;
    pb_para_lines *pl;
} dumped_para;

/* A page being filled by the paginator. */
typedef struct page_plan {
    size_t first, n;      /* vitems [first, first+n) of the list, placed from the top */
    vitem *extra;         /* repeated table headers placed before them */
    size_t n_extra;
    float *y;             /* y of each vitem (extra ones first), relative to the block top */
    int *notes;           /* footnotes placed at the bottom */
    size_t n_notes, cap_notes;
    float notes_h;
    bool table_cont_rule; /* a table continues on the next page: close it with a rule */
    float cont_rule_y, cont_rule_w;
    bool blank;           /* an intentionally empty page (recto padding) */
} page_plan;

typedef struct ts {
    pb_text *text;
    pb_fontreg *reg;
    const pb_doc *doc;
    const pb_style *st;
    pb_diags *diags;
    pb_pages *out;   /* the result */
    pb_arena *arena; /* the pages' arena: everything laid out lives there */
    float measure;

    fontset_rec *fontsets;
    size_t n_fontsets, cap_fontsets;

    heading_rec *heads;
    size_t n_heads, cap_heads;
    int counters[6];
    bool auto_number[6];

    const char **links; /* 1-based link ids: links[id - 1] is the URL */
    size_t n_links, cap_links;

    footnote_rec *notes; /* by number - 1 */
    size_t n_notes;

    int n_tables, n_figures;
    int depth; /* container nesting while building */

    bool dump; /* remember paragraphs for --dump=lines */
    dumped_para *dumped;
    size_t n_dumped, cap_dumped;
} ts;

/* text styles for inline content */
typedef struct inline_style {
    const char *role;
    unsigned weight;
    bool italic;
    float size;
    pb_color color;
    bool mono;
} inline_style;

const pb_fontset *ts_fontset(ts *T, const char *role, unsigned weight, bool italic);

/* Paragraph text + spans built from inlines. */
typedef struct para_build {
    pb_buf text;
    pb_span *spans;
    size_t n, cap;
} para_build;
void pb_build_init(para_build *b);
void pb_build_free(para_build *b);
void pb_build_text(ts *T, para_build *b, const char *s, size_t n, const pb_textstyle *st,
                   int line, int col);
void pb_build_inlines(ts *T, para_build *b, const pb_inline *in, const inline_style *is);
pb_textstyle ts_textstyle(ts *T, const inline_style *is);
/* Builds a caption from a format such as "表{n}　{title}": everything but the title
 * is a label set tight (表1, not 表 1: CJK.md rule 15). */
void ts_build_caption(ts *T, para_build *b, const char *fmt, int n, const char *title,
                      size_t tlen, const pb_textstyle *st, int line, int col);

/* vertical list */
vitem *vl_push(vlist *l, vkind kind, float h);
pb_item *vi_add(ts *T, vitem *v, pb_item_kind kind);
void vl_space(vlist *l, float h);
/* Appends the lines of a laid-out paragraph as vitems of height pitch each; the
 * baseline sits `base` below each vitem's top; x offsets the lines. */
void vl_add_lines(ts *T, vlist *l, const pb_para_lines *pl, float x, float pitch, float base,
                  bool para_rules);
void vi_add_line(ts *T, vitem *v, const pb_line *ln, float x, float y_base);

/* Lays out text in one style and returns the lines (arena-allocated). */
pb_para_lines *ts_layout(ts *T, para_build *b, float width, float indent, pb_text_align align,
                         const char *kind, int line, int col);

/* blocks (flow.c) */
void pb_flow_blocks(ts *T, vlist *out, pb_block *const *blocks, size_t n, float x, float width);
void pb_flow_footnotes(ts *T);
/* baseline offset of a body line inside its line box */
float ts_baseline(float pitch, float size);

/* tables (table.c) */
void pb_flow_table(ts *T, vlist *out, const pb_block *b, float x, float width);

/* the typesetter's state and the body (typeset.c): ts_body_pages lays out the
 * footnotes and the body into `body` and paginates it, as pb_typeset does (shared
 * with --dump=pages); the plans' arrays are the caller's to free */
void ts_init(ts *T, pb_text *text, const pb_doc *doc, const pb_style *style, pb_diags *diags,
             pb_pages *out);
void ts_free(ts *T);
void vlist_free(vlist *l);
void free_tables(vlist *l);
page_plan *ts_body_pages(ts *T, vlist *body, size_t *n_pages);

/* pagination (paginate.c) */
page_plan *pb_paginate(ts *T, vlist *l, size_t *n_pages);
void pb_plans_free(page_plan *plans, size_t n);
void pb_emit_page(ts *T, pb_page *pg, const vlist *l, const page_plan *pp, float left, float top);

/* front matter (front.c) */
size_t pb_front_matter(ts *T, pb_pages *out, size_t body_pages);
bool ts_has_cover(const ts *T);
/* The title at the top of the first page, for documents without a cover. */
void ts_title_block(ts *T, vlist *l);
/* The authors and date after the text, when the design asks (signature: true). */
void ts_signature(ts *T, vlist *l);

/* pages (page.c): a new page of the design; *left, *top get the text block's corner */
pb_page *ts_new_page(ts *T, float *left, float *top);
void ts_header_footer(ts *T, pb_page *pg, size_t body_page, size_t pages, float left, float top,
                      const char *chapter);
void ts_page_number(ts *T, pb_page *pg, float left, float top, int number, pb_num_kind kind);

/* helpers */
float ts_line_width(ts *T, const char *text, const pb_textstyle *st);

#endif
