/* style.h - the resolved page design: page geometry, font roles, sizes, heading
 * numbering, running header/footer templates, table style. Built from the
 * built-in default (equal to layout/report.yaml), a layout file and the front
 * matter's overrides; immutable once resolved. Lengths are in points. The YAML
 * format is described key by key in layout/README.md. */
#ifndef PB_STYLE_H
#define PB_STYLE_H

#include "base/base.h"
#include "content/doc.h"
#include "typeset/pages.h" /* pb_color */

/* A font role: what CJK and Latin text in that role are set in. */
typedef struct pb_style_role {
    const char *name;       /* "body", "heading", "mono", "emph", "quote", ... */
    const char *cjk;        /* family name or file path */
    const char *latin;      /* family name or file path; NULL: use cjk for everything */
    unsigned weight;        /* 400 */
    const char *file;       /* where it was set, for diagnostics */
    int line, col;
    const char *cjk_file;   /* where cjk was set */
    int cjk_line, cjk_col;
    const char *latin_file; /* where latin was set */
    int latin_line, latin_col;
} pb_style_role;

typedef enum { PB_NUM_NONE, PB_NUM_CN, PB_NUM_ARABIC, PB_NUM_ROMAN, PB_NUM_ALPHA } pb_num_kind;

typedef struct pb_heading_style {
    const char *role;   /* font role name */
    float size;
    unsigned weight;    /* 700 bold */
    int align;          /* pb_text_align values: 0 justify(=left for headings), 1 left, 2 center */
    float before, after; /* space above / below, pt */
    float indent;       /* first-line indent, pt */
    /* numbering: a template where {n} is the number in the style of `num`, e.g.
     * "{n}、" with PB_NUM_CN gives 一、 ; "（{n}）" gives （一） */
    const char *number_format;
    pb_num_kind num;
    bool page_break;    /* start on a new page */
    bool in_toc;
    pb_color color;
} pb_heading_style;

typedef enum { PB_TABLE_THREE_LINE, PB_TABLE_GRID, PB_TABLE_PLAIN } pb_table_kind;

typedef struct pb_style {
    /* page */
    float page_w, page_h;
    float margin_top, margin_bottom, margin_inner, margin_outer;
    bool two_sided;
    bool chapter_recto; /* chapters start on a right-hand page */
    float bleed;        /* 0: none */
    bool crop_marks;
    pb_color marks_color; /* crop marks: registration (all inks) by default */
    /* grid */
    bool grid;          /* body lines on a fixed baseline grid, measure in whole characters */
    int chars_per_line; /* with grid: the measure in body characters; else 0 */
    int lines_per_page; /* with grid: the text block in lines; else 0 */

    /* fonts */
    pb_style_role *roles;
    size_t n_roles;

    /* body text */
    float body_size;
    float line_pitch;   /* baseline to baseline */
    float para_indent;  /* first-line indent, in pt */
    float para_space;   /* extra space between paragraphs */
    bool punct_full;    /* punctuation keeps its full em everywhere (character-grid designs) */
    pb_color text_color;
    pb_color rule_color;
    pb_color link_color;

    pb_heading_style h[6];

    /* running header and footer: templates with {title} {chapter} {page} {pages}
     * (NULL: nothing). On left-hand pages of two-sided designs left and right swap. */
    const char *header_left, *header_center, *header_right;
    const char *footer_left, *footer_center, *footer_right;
    const char *header_role, *footer_role; /* font roles */
    float header_size, footer_size;
    float header_rule;  /* width of the rule under the header, 0 for none */
    float header_gap;   /* from the header rule to the top of the text block */
    float footer_gap;   /* from the bottom of the text block to the footer baseline */
    float header_inset, footer_inset; /* left/right texts kept this far inside the measure */

    /* footnotes */
    float note_size, note_pitch;
    float note_rule_width; /* fraction of the measure */

    /* tables */
    pb_table_kind table_style;
    float table_size, table_pitch;
    float table_rule_thick, table_rule_thin;
    float table_pad;          /* horizontal cell padding */
    const char *table_caption; /* "表{n}　{title}" */
    const char *table_continued; /* "续表{n}" */
    const char *figure_caption;  /* "图{n}　{title}" */
    float caption_size;

    /* lists, quotes, code */
    float list_indent;        /* per level */
    const char *bullets[3];   /* per level */
    float quote_indent;
    const char *quote_role;
    float quote_size;
    float code_size, code_pitch;
    pb_color code_background;

    /* front matter */
    bool cover;
    bool signature;    /* authors and date at the end of the body (GB/T 9704 署名, 成文日期) */
    bool toc;          /* default when the document does not say */
    int toc_depth;
    const char *toc_title;
    const char *abstract_title;
    float title_size;

    /* the layout file the design was read from (watch mode watches it), or NULL */
    const char *layout_file;
} pb_style;

/* The built-in page design (equal to layout/report.yaml). Strings live in the arena
 * or are static. */
void pb_style_default(pb_style *s, pb_arena *arena);

/* Builds the design of a document: the built-in design, then the layout file, then
 * the front matter's single-key overrides and Pandoc font keys. The layout file is
 * `layout_arg` (--layout on the command line: a path, or a name looked up like the
 * front matter's) or else the front matter's `layout:` (a path relative to the
 * document, or a name NAME found as layout/NAME.yaml next to the document, in its
 * parent folder or in the current directory). *s is overwritten; strings live in
 * the arena. Returns false on errors, reported at layout-file:line:col or at the
 * front matter's position. */
bool pb_style_resolve(pb_style *s, pb_arena *arena, const char *layout_arg,
                      const pb_meta *meta, const char *doc_file, pb_diags *diags);

/* The same from a layout given as text (tests, tools): `file` names it in
 * diagnostics; yaml may be NULL (no layout). With `bare` the built-in design is not
 * applied first, so the layout must give every key itself. */
bool pb_style_from_yaml(pb_style *s, pb_arena *arena, const char *file, const char *yaml,
                        size_t len, bool bare, const pb_meta *meta, const char *doc_file,
                        pb_diags *diags);

/* Compares two designs field by field (strings by content). On a difference returns
 * false and, when why is not NULL, names the first differing field. */
bool pb_style_equal(const pb_style *a, const pb_style *b, pb_buf *why);

/* The keys of the layout format, in documentation order ("paper", "margin.top",
 * "fonts.ROLE.cjk", "hN.size", ...); NULL past the end. */
const char *pb_style_key(size_t i);

const pb_style_role *pb_style_role_lookup(const pb_style *s, const char *name);

/* Formats a number in a numbering style: 3 -> "三", "3", "iii", "c". */
void pb_format_number(pb_num_kind k, int n, pb_buf *out);

/* Expands a heading number template: {n} is counters[level-1] in the level's own
 * style, {1}..{6} the counter of that level in that level's style (so "{1}.{n}"
 * gives 2.3). level is 1-based; counters holds the six current counters. */
void pb_style_heading_number(const pb_style *s, int level, const int counters[6], pb_buf *out);

/* The measure (text block width) and height: with a grid exactly chars_per_line body
 * characters and lines_per_page line pitches. */
float pb_style_measure(const pb_style *s);
float pb_style_block_height(const pb_style *s);

#endif
