/* typeset.h - block tree + page design -> pages (display lists).
 * Reads the doc (content stage), the resolved style and the text stage; writes a
 * pb_pages that the PDF stage turns into a file. Nothing here knows libharu. */
#ifndef PB_TYPESET_H
#define PB_TYPESET_H

#include "content/doc.h"
#include "pages.h"
#include "style/style.h"
#include "text/text.h"

/* Lays out the document. Returns NULL only when nothing could be laid out; problems
 * go to diags. The caller frees the result with pb_pages_free. */
pb_pages *pb_typeset(pb_text *text, const pb_doc *doc, const pb_style *style, pb_diags *diags);

/* --dump=lines: every paragraph-like block's lines as text, with widths, in the form
 * used by the golden tests. */
void pb_typeset_dump_lines(pb_text *text, const pb_doc *doc, const pb_style *style,
                           pb_buf *out, pb_diags *diags);

/* --dump=pages: the body paginated as pb_typeset does it; for each page every placed
 * vitem's y (from the top of the text block), height, kind and first characters,
 * the footnotes and the closing rule of a table continued overleaf. */
void pb_typeset_dump_pages(pb_text *text, const pb_doc *doc, const pb_style *style,
                           pb_buf *out, pb_diags *diags);

#endif
