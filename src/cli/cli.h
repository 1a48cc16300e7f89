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
    bool watch, marks, fonts, quiet;
    int dump;
} pb_cli_opts;

/* One build: the long-lived state (font registry, text stage) is passed in so watch
 * mode can keep it between builds. Returns the exit status; fills the summary. */
typedef struct pb_build_summary {
    size_t pages;
    size_t warnings, errors;
    double seconds;
} pb_build_summary;

int pb_cli_build(const pb_cli_opts *o, pb_text *text, pb_build_summary *sum);
int pb_cli_build_once(const pb_cli_opts *o);
int pb_cli_watch(const pb_cli_opts *o);
int pb_cli_fonts(const pb_cli_opts *o);

/* The font folders searched before the system's: ./fonts, the document's fonts/ and
 * the fonts/ of the project the document lives in (its parent folder's). */
pb_fontreg *pb_cli_fontreg(const char *input);
/* Default output path: the input with .md replaced by .pdf (caller frees). */
char *pb_cli_output_path(const char *input);

#endif
