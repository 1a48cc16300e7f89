/* cli.h - shared by the files of src/cli. */
#ifndef PB_CLI_H
#define PB_CLI_H

#include "base/base.h"
#include "content/doc.h"
#include "pdf/pdf.h"
#include "style/style.h"
#include "text/text.h"
#include "typeset/typeset.h"

#define PB_VERSION "0.1.0"

enum { PB_DUMP_NONE, PB_DUMP_TREE, PB_DUMP_LINES, PB_DUMP_PAGES };

typedef struct pb_cli_opts {
    const char *input, *output, *layout;
    bool watch, marks, fonts, quiet, timings;
    int dump;
} pb_cli_opts;

/* What outlives a build: the font registry, the text stage (with its paragraph cache
 * in watch mode) and, in watch mode, the PDF cache of font subsets and streams. */
typedef struct pb_cli_session {
    pb_fontreg *reg;
    pb_text *text;
    pb_pdf_cache *pdf; /* NULL for a single build */
} pb_cli_session;

/* keep: the caches of watch mode, for builds that follow one another. */
void pb_cli_session_open(pb_cli_session *s, const char *input, bool keep);
void pb_cli_session_close(pb_cli_session *s);

/* What a build did and what it read (watch mode watches those files). Strings and
 * arrays are owned: pb_cli_summary_free. */
typedef struct pb_build_summary {
    size_t pages;
    size_t warnings, errors;
    bool wrote;     /* the PDF was written */
    char *output;   /* its path, once known */
    double seconds; /* the whole build */
    double t_parse, t_style, t_layout, t_pdf;
    char *layout_file; /* the layout file read, or NULL */
    char **images;     /* image files of figures */
    size_t n_images, cap_images;
    size_t para_hits, para_misses; /* paragraph cache (watch mode) */
    pb_pdf_cache_stats pdf;        /* PDF cache (watch mode) */
} pb_build_summary;
void pb_cli_summary_free(pb_build_summary *sum);

/* One build. Returns the exit status; fills the summary (sum may be NULL; else free
 * it with pb_cli_summary_free even on failure). */
int pb_cli_build(const pb_cli_opts *o, pb_cli_session *s, pb_build_summary *sum);
int pb_cli_build_once(const pb_cli_opts *o);
int pb_cli_watch(const pb_cli_opts *o);
int pb_cli_fonts(const pb_cli_opts *o);

/* The font folders searched before the system's: ./fonts, the document's fonts/ and
 * the fonts/ of the project the document lives in (its parent folder's). */
pb_fontreg *pb_cli_fontreg(const char *input);
/* Those folders (caller frees each); returns how many. */
size_t pb_cli_font_dirs(const char *input, char *dirs[3]);
/* Default output path: the input with .md replaced by .pdf (caller frees). */
char *pb_cli_output_path(const char *input);
/* The folder part of a path ("." for none; caller frees). */
char *pb_cli_dir_of(const char *path);
/* Seconds on a monotonic clock. */
double pb_cli_now(void);

#endif
