/* limits.h - every hard cap of paiban, each with the reason it exists.
 * Hitting one produces a diagnostic at the offending source position: a warning
 * where the input is cut to the cap and the PDF is still right for what remains, an
 * error (no PDF written) where cutting would silently lose text. The numbers behind
 * the memory and time reasons are measured on a 50 MB Chinese report (tests/e2e/
 * robust-limits.sh): about 60 bytes and 0.5 us per character of text, and ~1 KB
 * per block, from parsing to the written PDF. */
#ifndef PB_LIMITS_H
#define PB_LIMITS_H

/* Input file size (documents and layout files): a 50 MB Markdown file is far beyond
 * any report; the cap stops a runaway file (or /dev/zero) before it is read whole. */
#define PB_MAX_INPUT_BYTES (64u * 1024u * 1024u)

/* Markup elements cmark-gfm may build for one document, estimated before parsing
 * (2 per non-blank line, 2 per list or quote marker and per character that can
 * open or close an element: * _ ` [ ] < ~ | & \ ! and 3 per autolink). cmark-gfm
 * needs ~200 bytes per element and builds them all before we see one, so the cap
 * has to come first: 2 million keeps parsing under ~600 MB with our tree. A 50 MB
 * report needs ~300,000; a 50 MB English text wrapped at 78 columns ~1.4 million. */
#define PB_MAX_MARKUP_ELEMENTS 2000000u

/* Blocks in one document (paragraphs, headings, list items, table rows and cells,
 * ...): each costs ~1 KB through layout. A 50 MB report has ~110,000. */
#define PB_MAX_BLOCKS 150000u

/* Characters of text to set in one document (body, footnotes, abstract): every one
 * becomes a glyph that costs ~60 bytes until the PDF is written and ~0.5 us to
 * shape, break and write. 2^24 (16.7 million) is every character of a 50 MB file of
 * Chinese, and keeps a build under 1 GB and 10 s. */
#define PB_MAX_TEXT_CHARS 20000000u

/* Characters in one paragraph (or heading, table cell, code block): a paragraph is
 * laid out as a whole, with ~350 bytes of working memory per character (shaping,
 * break opportunities, items and their sums). A million characters is ~700 pages of
 * one paragraph and ~400 MB; a 300,000-character paragraph takes ~0.3 s. */
#define PB_MAX_PARA_CHARS 1000000u

/* Block nesting (quotes in lists in quotes ...): deeper nesting is pathological and
 * every level costs indentation; the typesetter flattens beyond this. */
#define PB_MAX_NESTING 32

/* Inline nesting (emphasis in links in strong ...): the inline walks recurse, so
 * 10,000 nested *'s would overflow the stack; deeper containers keep their text but
 * not their style. */
#define PB_MAX_INLINE_NESTING 32

/* Nesting of YAML mappings in a front matter or a layout file: the deepest design
 * key is fonts.ROLE.cjk (3 levels); the readers recurse. */
#define PB_MAX_YAML_DEPTH 8

/* Keys one front matter or layout file may set (after YAML aliases are expanded: a
 * few lines of aliases to aliases name 10^8 keys). A design has ~150 keys. */
#define PB_MAX_YAML_KEYS 10000

/* Optimal-fit line breaking is O(n * active breakpoints); paragraphs longer than this
 * many break opportunities are set with the greedy first-fit breaker instead, which is
 * linear. 20,000 opportunities is about 40 pages of solid Chinese text in one
 * paragraph, far beyond real prose. */
#define PB_MAX_OPTIMAL_FIT_ITEMS 20000

/* Table shape: more columns cannot be set legibly on any page, and each cell is a
 * separate paragraph layout whose widths are measured over all rows. 50,000 rows
 * fill ~1,500 pages (a 10,000-row table takes 0.4 s); longer tables are cut with a
 * warning. */
#define PB_MAX_TABLE_COLUMNS 64
#define PB_MAX_TABLE_ROWS 50000

/* Pages in one document: a guard against runaway layouts (e.g. a row that never fits)
 * and a bound on memory: a page costs ~16 KB until the PDF is written (40,000 pages
 * of chapter headings need ~650 MB). A 50 MB report has ~15,000-25,000 pages. */
#define PB_MAX_PAGES 40000

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
