/* text.h - fonts, shaping and paragraph breaking: the text stage.
 *
 * The registry (fontconfig -> FreeType -> HarfBuzz) outlives a build. A paragraph
 * is UTF-8 text plus style spans; pb_para_layout shapes it, finds the break
 * opportunities (ICU UAX #14, zh strict, tightened by the rules of CJK.md) and
 * chooses the breaks for the whole paragraph (Knuth-Plass optimal fit), then sets
 * each line into positioned glyph runs. Nothing here knows Markdown or PDF. */
#ifndef PB_TEXT_H
#define PB_TEXT_H

#include "base/base.h"
#include "font.h"
#include "typeset/pages.h" /* pb_run, pb_color: the glyph-run type shared with pages */

/* ---- font registry ---- */

typedef struct pb_fontreg pb_fontreg;

/* font_dirs are searched before the system's fonts (the project's fonts/ folder, the
 * document's fonts/ folder); missing folders are skipped. */
pb_fontreg *pb_fontreg_new(const char *const *font_dirs, size_t n_dirs);
void pb_fontreg_free(pb_fontreg *r);
/* Adds a folder of fonts later (e.g. the document's own fonts/). */
void pb_fontreg_add_dir(pb_fontreg *r, const char *dir);

typedef struct pb_font_request {
    const char *family; /* family name (any language), or a file path (contains '/' or
                           ends in .ttf/.otf/.ttc/.otc) */
    unsigned weight;    /* 400 regular, 700 bold, 300 light ... */
    bool italic;
    const char *lang;   /* "zh-cn" for CJK roles, NULL otherwise */
    /* where the request was written, for diagnostics */
    const char *file;
    int line, col;
} pb_font_request;

/* How a request was satisfied (for `paiban --fonts`). */
typedef struct pb_font_choice {
    pb_font *font;     /* borrowed from the registry; NULL on failure */
    bool synth_bold;   /* family has no bold face: embolden the regular one */
    bool synth_italic; /* family has no italic face: slant the upright one */
    const char *why;   /* short explanation, owned by the registry */
} pb_font_choice;

/* Finds a font for a request. A family that is not installed is an error naming the
 * closest installed families; the result then falls back to the default family so
 * the build can go on and report everything. */
pb_font_choice pb_fontreg_match(pb_fontreg *r, const pb_font_request *req, pb_diags *diags);

/* A font that has code point cp, in the style of `like` (serif/sans, weight), or
 * NULL when no installed font has it. */
pb_font *pb_fontreg_fallback(pb_fontreg *r, uint32_t cp, const pb_font *like);

/* Loads (or finds already loaded) a font file. */
pb_font *pb_fontreg_load(pb_fontreg *r, const char *path, int index, pb_diags *diags,
                         const char *file, int line, int col);

/* Every loaded font, in load order (for listing). */
size_t pb_fontreg_count(const pb_fontreg *r);
pb_font *pb_fontreg_get(const pb_fontreg *r, size_t i);

/* ---- text styles ---- */

/* The fonts of one role: CJK characters take cjk, everything else latin. */
typedef struct pb_fontset {
    pb_font_choice cjk, latin;
} pb_fontset;

typedef struct pb_textstyle {
    const pb_fontset *fonts;
    float size;  /* pt */
    pb_color color;
    float rise;  /* baseline shift up, pt (superscripts) */
    bool mono;   /* no justification stretch inside, no CJK spacing rules */
    bool underline, strike;
    bool url;    /* text is a URL: breaks after / . - ? & only */
    bool tnum;   /* tabular figures: every digit as wide as the widest (numbers in tables) */
    bool tight;  /* no Han-Latin quarter em next to this text (labels such as 表1, 图2) */
    int link;    /* 0: none; else 1-based index into pb_para.links */
    int footref; /* footnote number for a reference mark, else 0 */
} pb_textstyle;

/* A run of paragraph text in one style. Spans cover the text without gaps. */
typedef struct pb_span {
    uint32_t start, end; /* byte offsets into pb_para.text */
    pb_textstyle style;
    int line, col;       /* source position of the span's first character */
} pb_span;

typedef enum { PB_JUSTIFY, PB_LEFT, PB_CENTER, PB_RIGHT } pb_text_align;

typedef struct pb_para {
    const char *text; /* UTF-8; U+2028 (LINE SEPARATOR) is a forced line break */
    uint32_t len;
    const pb_span *spans;
    size_t n_spans;
    float width;  /* measure in pt */
    float indent; /* first-line indent in pt (may be negative for hanging lists) */
    pb_text_align align;
    bool last_line_justify; /* e.g. distributed headings; normally false */
    const char *file;       /* for diagnostics */
    bool full_punct;        /* punctuation keeps its full em: no compression (grid designs) */
} pb_para;

/* What a line holds besides glyphs: where link text and footnote marks sit. */
typedef struct pb_line_mark {
    enum { PB_MARK_LINK, PB_MARK_FOOTREF } kind;
    int id; /* link index (1-based) or footnote number */
    float x0, x1; /* horizontal extent on the line, relative to the line origin */
} pb_line_mark;

typedef struct pb_line {
    float width;          /* width as set (the measure for justified lines) */
    float natural;        /* width before justification */
    float x;              /* offset of the line origin from the paragraph's left edge */
    float ascent, descent; /* ink-independent extents from the fonts used, pt (descent > 0) */
    float ratio;          /* adjustment ratio used: <0 shrink, >0 stretch */
    pb_run *runs;         /* x, y of each run relative to the line origin (baseline) */
    size_t n_runs;
    pb_line_mark *marks;
    size_t n_marks;
    uint32_t start, end;  /* byte range of the paragraph text on this line */
    bool hyphen;          /* ends with an inserted hyphen */
    bool last;            /* last line of the paragraph */
} pb_line;

typedef struct pb_para_lines {
    pb_line *lines;
    size_t n;
    const char *text; /* the paragraph's text (the runs point into it) */
    uint32_t len;
} pb_para_lines;

/* The text stage's per-build state: registry, ICU break iterator, hyphenation. */
typedef struct pb_text pb_text;
pb_text *pb_text_new(pb_fontreg *reg);
void pb_text_free(pb_text *t);
pb_fontreg *pb_text_fontreg(pb_text *t);

/* Keeps laid-out paragraphs between builds (--watch): a paragraph whose text,
 * styles, fonts and measure are unchanged is not shaped or broken again. Call
 * pb_text_build_begin before and pb_text_build_end after each build (after the PDF
 * is written): entries the build did not use are dropped then. */
void pb_text_enable_cache(pb_text *t, bool on);
void pb_text_build_begin(pb_text *t);
void pb_text_build_end(pb_text *t);
void pb_text_cache_stats(const pb_text *t, size_t *hits, size_t *misses, size_t *entries);

/* Calls fn now and then during a build with the number of paragraphs laid out since
 * this call (for a progress line on long builds); NULL stops it. */
typedef void (*pb_text_progress_fn)(void *user, size_t paragraphs);
void pb_text_set_progress(pb_text *t, pb_text_progress_fn fn, void *user);

/* Lays out one paragraph. The result is allocated in arena, or, with the cache on,
 * lives in the cache until a pb_text_build_end of a build that did not use it.
 * Problems (overfull lines, missing glyphs) are reported to diags with the span
 * positions (replayed from the cache when the paragraph was cached). */
pb_para_lines *pb_para_layout(pb_text *t, const pb_para *p, pb_arena *arena, pb_diags *diags);

/* The narrowest width the paragraph can be set in (its widest unbreakable piece)
 * and its natural width unbroken (widest forced line), for table column widths. */
void pb_para_measure(pb_text *t, const pb_para *p, float *min_w, float *max_w, pb_diags *diags);

/* Shapes a single line of text in one style without breaking (running headers, page
 * numbers, TOC entries). Returns the width in pt; when run is not NULL it is filled
 * (glyph positions relative to the run origin; allocated in arena). */
float pb_text_shape_line(pb_text *t, const char *text, size_t len, const pb_textstyle *st,
                         pb_arena *arena, pb_run *run_out, pb_diags *diags);

/* Appends the line's source text (white space collapsed, inserted hyphen shown). */
void pb_line_text(const pb_para_lines *pl, const pb_line *ln, pb_buf *out);
/* Appends the line as set, for --dump=lines: "gap=G |text|" where G is the most
 * common gap between characters (the justification stretch) and every other gap
 * is shown in place as <+w> in points: Han-Latin spaces, word spaces, kerning,
 * and negative gaps where punctuation is compressed. */
void pb_line_dump(const pb_para_lines *pl, const pb_line *ln, pb_buf *out);

/* Character classes used by the rules (exposed for tests). */
bool pb_is_han(uint32_t cp);      /* ideographs, kana, hangul syllables */
bool pb_is_cjk_char(uint32_t cp); /* takes the CJK font: han + CJK punctuation + fullwidth */

#endif
