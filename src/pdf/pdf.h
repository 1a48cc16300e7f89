/* pdf.h - the PDF stage: turns the display list (pb_pages) into PDF bytes.
 * The only module that knows libharu and how fonts are embedded (subset CID
 * fonts with ToUnicode maps); nothing above it sees either. */
#ifndef PB_PDF_H
#define PB_PDF_H

#include "base/base.h"
#include "typeset/pages.h"

/* What a render keeps for the next one (--watch): font subsets by font and glyph set,
 * compressed streams by their bytes. A render with a cache gives the same bytes as
 * one without. Entries name fonts by pointer: free the cache before the font
 * registry. Not for two renders at once. */
typedef struct pb_pdf_cache pb_pdf_cache;
pb_pdf_cache *pb_pdf_cache_new(void);
void pb_pdf_cache_free(pb_pdf_cache *c);

/* What the last render with the cache reused and what it had to make. */
typedef struct pb_pdf_cache_stats {
    size_t fonts_reused, fonts_subset;
    size_t streams_reused, streams_compressed;
} pb_pdf_cache_stats;
void pb_pdf_cache_report(const pb_pdf_cache *c, pb_pdf_cache_stats *s);

typedef struct pb_pdf_options {
    const char *creator; /* "paiban 0.1"; NULL omits /Creator */
    long long date;      /* seconds since the epoch for CreationDate/ModDate; <0 omits both.
                            The caller passes SOURCE_DATE_EPOCH when it is set. */
    bool compress;       /* Flate streams (the default) */
    pb_pdf_cache *cache; /* NULL: none (a single build) */
    /* called as pages are written (for a progress line), or NULL */
    void (*progress)(void *user, size_t pages_done, size_t pages_total);
    void *progress_user;
} pb_pdf_options;

/* Default options: creator "paiban", no date, compressed. */
pb_pdf_options pb_pdf_options_default(void);

/* Renders pages to PDF bytes in memory. On success *out (owned by the caller, free()
 * it) and *out_len hold the file. Returns false and adds diagnostics on failure;
 * *out is then NULL. The same pages and options always give the same bytes. */
bool pb_pdf_render(const pb_pages *pages, const pb_pdf_options *opt, char **out, size_t *out_len,
                   pb_diags *diags);

/* Exit codes of pb_pdf_write. */
enum { PB_PDF_OK = 0, PB_PDF_RENDER_FAILED = 1, PB_PDF_SYSTEM_ERROR = 3 };

/* Renders and writes atomically: to a temporary file in the same directory, fsync,
 * rename over path. A failure leaves any existing file at path untouched and removes
 * the temporary. Returns PB_PDF_OK, PB_PDF_RENDER_FAILED, or PB_PDF_SYSTEM_ERROR (the
 * file cannot be written; the diagnostic names the path and the reason). */
int pb_pdf_write(const pb_pages *pages, const pb_pdf_options *opt, const char *path,
                 pb_diags *diags);

#endif
