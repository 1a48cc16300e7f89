/* limits.h - every hard cap of paiban, each with the reason it exists.
 * Hitting one produces a diagnostic at the offending source position; the build
 * goes on with the input cut to the cap where that still gives a useful PDF. */
#ifndef PB_LIMITS_H
#define PB_LIMITS_H

/* Input file size: a 50 MB Markdown file is far beyond any report and bounds memory. */
#define PB_MAX_INPUT_BYTES (64u * 1024u * 1024u)

/* Block nesting (quotes in lists in quotes ...): deeper nesting is pathological and
 * every level costs indentation; the typesetter flattens beyond this. */
#define PB_MAX_NESTING 32

/* Optimal-fit line breaking is O(n * active breakpoints); paragraphs longer than this
 * many break opportunities are set with the greedy first-fit breaker instead, which is
 * linear. 20,000 opportunities is about 40 pages of solid Chinese text in one
 * paragraph, far beyond real prose. */
#define PB_MAX_OPTIMAL_FIT_ITEMS 20000

/* Table shape: more columns cannot be set legibly on any page, and each cell is a
 * separate paragraph layout. */
#define PB_MAX_TABLE_COLUMNS 64
#define PB_MAX_TABLE_ROWS 200000

/* Pages in one document: a guard against runaway layouts (e.g. a row that never fits). */
#define PB_MAX_PAGES 100000

/* Image pixels (width * height): decoding bigger images needs gigabytes. */
#define PB_MAX_IMAGE_PIXELS (100u * 1000u * 1000u)

/* Diagnostics kept for printing; the rest are only counted. */
#define PB_MAX_DIAGNOSTICS 1000

/* Font size in points accepted from layouts and front matter. */
#define PB_MIN_FONT_SIZE 1.0
#define PB_MAX_FONT_SIZE 500.0

/* Page size in points (1 mm .. 5 m). */
#define PB_MIN_PAGE_SIZE 3.0
#define PB_MAX_PAGE_SIZE 14400.0

#endif
