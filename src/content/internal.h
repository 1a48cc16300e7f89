/* internal.h - shared between the files of src/content only. */
#ifndef PB_CONTENT_INTERNAL_H
#define PB_CONTENT_INTERNAL_H

#include "doc.h"

/* Parses Markdown text (no front matter) whose first line is line first_line of file.
 * Footnote definitions go to doc (when given) instead of the tree. Returns the
 * DOCUMENT block, allocated in arena, or NULL when the text passes one of the size
 * caps of limits.h (reported as an error). */
pb_block *pb_markdown_parse(pb_arena *arena, const char *file, const char *text, size_t len,
                            int first_line, pb_doc *doc, pb_diags *diags);

#endif
