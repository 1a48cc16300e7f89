/* doc.h - the document as a block tree: what parse produces and every later stage
 * reads. Immutable after pb_doc_parse returns; everything lives in the doc's arena.
 * Nothing below this header knows Markdown or YAML. */
#ifndef PB_DOC_H
#define PB_DOC_H

#include "base/base.h"

typedef enum {
    PB_BLK_DOCUMENT,
    PB_BLK_HEADING,   /* level 1..6; inlines */
    PB_BLK_PARAGRAPH, /* inlines */
    PB_BLK_LIST,      /* children: items */
    PB_BLK_ITEM,      /* children: blocks */
    PB_BLK_QUOTE,     /* children: blocks */
    PB_BLK_CODE,      /* literal text, info string */
    PB_BLK_TABLE,     /* children: rows; caption inlines */
    PB_BLK_ROW,       /* children: cells */
    PB_BLK_CELL,      /* inlines */
    PB_BLK_FIGURE,    /* an image alone in its paragraph; caption = alt text */
    PB_BLK_FOOTNOTE,  /* a footnote definition; children: blocks */
    PB_BLK_RULE,      /* thematic break */
    PB_BLK_PAGEBREAK, /* \newpage, \pagebreak or <!-- pagebreak --> alone */
    PB_BLK_HTML,      /* raw HTML block: kept in the tree, not typeset */
} pb_block_kind;

typedef enum {
    PB_INL_TEXT,
    PB_INL_SOFTBREAK,
    PB_INL_LINEBREAK,
    PB_INL_CODE,
    PB_INL_EMPH,
    PB_INL_STRONG,
    PB_INL_STRIKE,
    PB_INL_LINK,    /* url; children */
    PB_INL_IMAGE,   /* url; children = alt text (inline images are set as their alt text) */
    PB_INL_FOOTREF, /* footnote reference: number, label */
    PB_INL_HTML,    /* raw inline HTML: ignored by the typesetter */
} pb_inline_kind;

typedef enum { PB_ALIGN_NONE, PB_ALIGN_LEFT, PB_ALIGN_CENTER, PB_ALIGN_RIGHT } pb_align;

typedef struct pb_inline pb_inline;
struct pb_inline {
    pb_inline_kind kind;
    int line, col;
    const char *text; /* TEXT, CODE, HTML: literal UTF-8 */
    size_t text_len;
    const char *url;  /* LINK, IMAGE */
    const char *label; /* FOOTREF: the label written in the source */
    int number;        /* FOOTREF: 1-based footnote number in order of first reference */
    pb_inline *children;
    pb_inline *next;
};

typedef struct pb_block pb_block;
struct pb_block {
    pb_block_kind kind;
    int line, col, end_line, end_col; /* 1-based source positions */
    pb_block **children;
    size_t n_children;
    pb_inline *inlines; /* HEADING, PARAGRAPH, CELL, FIGURE (alt), TABLE (caption) */
    int level;          /* HEADING: 1..6 */
    /* LIST */
    bool ordered, tight;
    int start;
    char delim; /* '.' or ')' for ordered lists */
    /* CODE, HTML */
    const char *literal;
    const char *info;
    /* TABLE */
    int n_cols;
    pb_align *aligns;   /* n_cols entries */
    int caption_line;   /* where the caption paragraph was, 0 if none */
    /* ROW */
    bool header;
    /* FIGURE */
    const char *url;
    /* FOOTNOTE */
    const char *label;
    int number; /* 1-based, order of first reference; 0 if never referenced */
};

typedef struct pb_author {
    const char *name;
    const char *affiliation; /* may be NULL */
} pb_author;

/* A front-matter value the document gave for a page-design key (layout override
 * or font choice), kept with its position so later stages can report errors there. */
typedef struct pb_meta_kv {
    const char *key;
    const char *value;
    int line, col;         /* the value's position */
    int key_line, key_col; /* the key's position */
} pb_meta_kv;

typedef struct pb_meta {
    const char *title, *subtitle, *date, *lang;
    pb_author *authors;
    size_t n_authors;
    pb_block *abstract; /* parsed Markdown (a DOCUMENT block) or NULL */
    const char *keywords;
    bool toc;
    bool toc_set;       /* toc given explicitly */
    const char *layout; /* page design named by the document, or NULL */
    int layout_line, layout_col;
    pb_meta_kv *fonts; /* mainfont, CJKmainfont, sansfont, monofont, ... */
    size_t n_fonts;
    pb_meta_kv *overrides; /* any other page-design keys given in the front matter */
    size_t n_overrides;
    int body_line; /* first line of the Markdown body (after the front matter) */
} pb_meta;

typedef struct pb_doc {
    pb_arena *arena;
    const char *file; /* as given on the command line */
    pb_meta meta;
    pb_block *root;         /* DOCUMENT */
    pb_block **footnotes;   /* definitions by number - 1 */
    size_t n_footnotes;
} pb_doc;

/* Parses a Markdown document with optional YAML front matter. Problems go to diags
 * with positions in `file`. Returns NULL when the input cannot be used at all
 * (errors were reported); otherwise a doc the caller frees with pb_doc_free. */
pb_doc *pb_doc_parse(const char *file, const char *data, size_t len, pb_diags *diags);
void pb_doc_free(pb_doc *doc);

/* Reads and parses a file; I/O failure is reported as a diagnostic. */
pb_doc *pb_doc_load(const char *path, pb_diags *diags);

/* Writes the tree as indented text (the --dump=tree format, used by golden tests). */
void pb_doc_dump(const pb_doc *doc, pb_buf *out);

/* Front matter alone (exposed for tests and fuzzing). `data` is the YAML text that
 * starts at line first_line of file. Returns false on a fatal YAML error. */
bool pb_meta_parse(pb_arena *arena, const char *file, int first_line, const char *data,
                   size_t len, pb_meta *meta, pb_diags *diags);

/* Splits `data` into front matter and body. Returns false (and reports) when a front
 * matter is opened with --- but never closed. *fm is NULL when there is none. */
bool pb_split_front_matter(const char *file, const char *data, size_t len, const char **fm,
                           size_t *fm_len, const char **body, size_t *body_len, int *body_line,
                           pb_diags *diags);

const char *pb_block_kind_name(pb_block_kind k);
const char *pb_inline_kind_name(pb_inline_kind k);

/* Concatenates the plain text of an inline list (for bookmarks, TOC, captions). */
void pb_inlines_text(const pb_inline *in, pb_buf *out);

#endif
