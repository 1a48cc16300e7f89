/* pages.h - the output of the typesetter and the only input of the PDF stage:
 * a flat display list per page, in points, with the origin at the TOP-LEFT of the
 * media box and y growing DOWN (the PDF stage flips it). Everything lives in the
 * pb_pages arena. Included by typeset.h. */
#ifndef PB_PAGES_H
#define PB_PAGES_H

#include "base/base.h"
#include "text/font.h"

typedef struct pb_color {
    uint8_t space; /* PB_CMYK or PB_RGB */
    float v[4];    /* 0..1: c m y k, or r g b */
} pb_color;
enum { PB_CMYK = 0, PB_RGB = 1 };
#define PB_BLACK ((pb_color){PB_CMYK, {0, 0, 0, 1}})

/* Colours compare by value (never with memcmp: the struct has padding). */
static inline bool pb_color_eq(pb_color a, pb_color b)
{
    return a.space == b.space && a.v[0] == b.v[0] && a.v[1] == b.v[1] && a.v[2] == b.v[2] &&
           a.v[3] == b.v[3];
}

/* One glyph of a run. x is the pen position of the glyph origin relative to the
 * run's origin (so every advance, kern, compression and justification is already
 * in it); y_off shifts the glyph up (positive) from the baseline. */
typedef struct pb_glyph {
    uint32_t gid;
    float x;
    float y_off;
    /* The source text this glyph shows, for /ToUnicode and text extraction: a byte
     * range of the run's text. The first glyph of a cluster carries the cluster's
     * text; the other glyphs of that cluster have text_len 0. */
    uint32_t text_off, text_len;
} pb_glyph;

typedef struct pb_run {
    pb_font *font; /* borrowed from the font registry; outlives the pages */
    float size;    /* font size in pt */
    float x, y;    /* origin of the run's first glyph pen position: baseline, page coords */
    pb_color color;
    bool synth_bold;   /* family lacks bold: fill+stroke the outlines */
    bool synth_italic; /* family lacks italic: slant 12 degrees */
    const char *text;  /* UTF-8 the glyph text ranges point into */
    uint32_t n;
    pb_glyph *glyphs;
} pb_run;

typedef enum {
    PB_ITEM_RUN,
    PB_ITEM_RECT,  /* filled rectangle (rules of tables, footnote rule, boxes) */
    PB_ITEM_LINE,  /* stroked line */
    PB_ITEM_IMAGE,
    PB_ITEM_LINK,  /* link annotation: uri or internal destination name */
    PB_ITEM_DEST,  /* named destination at (x, y) */
} pb_item_kind;

typedef struct pb_item {
    pb_item_kind kind;
    union {
        pb_run run;
        struct {
            float x, y, w, h; /* top-left corner and size */
            pb_color color;
        } rect;
        struct {
            float x1, y1, x2, y2, width;
            pb_color color;
            float dash; /* 0 = solid, else dash length */
        } line;
        struct {
            const char *path; /* PNG or JPEG file, already checked by the typesetter */
            float x, y, w, h;
        } image;
        struct {
            float x, y, w, h;
            const char *uri;  /* external link, or NULL */
            const char *dest; /* internal destination name, or NULL */
        } link;
        struct {
            const char *name;
            float x, y;
        } dest;
    } u;
} pb_item;

typedef struct pb_box {
    float x, y, w, h; /* top-left, size; w == 0 means "not set" */
} pb_box;

typedef struct pb_page {
    float width, height; /* media box */
    pb_box trim, bleed;  /* optional; w == 0 when not asked for */
    pb_item *items;
    size_t n_items, cap_items;
} pb_page;

/* A bookmark (outline entry). level 1 is the top; entries come in document order
 * and a level never jumps by more than one below its predecessor. */
typedef struct pb_outline {
    const char *title; /* UTF-8 */
    int level;
    size_t page; /* 0-based page index */
    float y;     /* top of the heading, page coords */
} pb_outline;

/* Page numbering shown by viewers (PDF /PageLabels). */
typedef enum { PB_LABEL_DECIMAL, PB_LABEL_ROMAN_LOWER, PB_LABEL_ROMAN_UPPER, PB_LABEL_NONE } pb_label_style;
typedef struct pb_label_range {
    size_t first_page; /* 0-based page index where the range starts */
    pb_label_style style;
    int start; /* number of the first page of the range */
    const char *prefix; /* ASCII or NULL */
} pb_label_range;

typedef struct pb_pages {
    pb_arena *arena;
    pb_page **pages;
    size_t n_pages, cap_pages;
    pb_outline *outlines;
    size_t n_outlines, cap_outlines;
    pb_label_range *labels;
    size_t n_labels, cap_labels;
    /* document info */
    const char *title, *author, *subject, *keywords;
} pb_pages;

pb_pages *pb_pages_new(void);
void pb_pages_free(pb_pages *p);
pb_page *pb_pages_add(pb_pages *p, float width, float height);
/* Appends an item to a page and returns it (zeroed except kind). */
pb_item *pb_page_add(pb_pages *p, pb_page *page, pb_item_kind kind);

#endif
