/* main.c - the paiban command line: parse, typeset, write the PDF; the --dump
 * views used by tests; --fonts. Exit status: 0 success, 1 bad input, 2 usage,
 * 3 system error (cannot write the output). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: paiban [options] FILE.md\n"
          "  -o, --output FILE     write the PDF to FILE (default: FILE.pdf beside the input)\n"
          "  --layout FILE         page design: a YAML file or a name (report, gov, en, or\n"
          "                        NAME.yaml in a layout/ folder); overrides the front\n"
          "                        matter's layout:\n"
          "  --marks               crop marks outside the trim box (print production)\n"
          "  --dump=tree           print the parsed block tree and exit\n"
          "  --dump=lines          print every laid-out line with its width and exit\n"
          "  --dump=pages          print what each body page holds (y, height, kind,\n"
          "                        text) and exit\n"
          "  --watch               rebuild on every save of the document, its layout, its\n"
          "                        images or a font in fonts/; Ctrl-C stops\n"
          "  --fonts               list the font file each role resolves to, and why, and exit\n"
          "  --timings             print how long each stage of the build took\n"
          "  -q, --quiet           print errors only\n"
          "  --version             print the version\n"
          "  -h, --help            this help\n",
          f);
}

int main(int argc, char **argv)
{
    pb_cli_opts o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc) {
                fprintf(stderr, "paiban: error: %s needs a file name\n", a);
                return 2;
            }
            o.output = argv[i];
        } else if (!strncmp(a, "--output=", 9)) {
            o.output = a + 9;
        } else if (!strcmp(a, "--layout")) {
            if (++i >= argc) {
                fprintf(stderr, "paiban: error: --layout needs a file name\n");
                return 2;
            }
            o.layout = argv[i];
        } else if (!strncmp(a, "--layout=", 9)) {
            o.layout = a + 9;
        } else if (!strcmp(a, "--watch")) {
            o.watch = true;
        } else if (!strcmp(a, "--timings")) {
            o.timings = true;
        } else if (!strcmp(a, "--marks")) {
            o.marks = true;
        } else if (!strncmp(a, "--dump=", 7) || !strcmp(a, "--dump")) {
            /* --dump=MODE or --dump MODE */
            const char *m = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : "";
            if (!strcmp(m, "tree")) {
                o.dump = PB_DUMP_TREE;
            } else if (!strcmp(m, "lines")) {
                o.dump = PB_DUMP_LINES;
            } else if (!strcmp(m, "pages")) {
                o.dump = PB_DUMP_PAGES;
            } else {
                fprintf(stderr, "paiban: error: --dump takes tree, lines or pages%s%s%s\n",
                        *m ? " (not '" : "", m, *m ? "')" : "");
                return 2;
            }
        } else if (!strcmp(a, "--fonts")) {
            o.fonts = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o.quiet = true;
        } else if (!strcmp(a, "--version")) {
            printf("paiban %s\n", PB_VERSION);
            return 0;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "paiban: error: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!o.input) {
            o.input = a;
        } else {
            fprintf(stderr, "paiban: error: more than one input file ('%s' and '%s')\n", o.input, a);
            return 2;
        }
    }
    if (!o.input && !o.fonts) {
        usage(stderr);
        return 2;
    }
    if (o.watch && (o.dump || o.fonts)) {
        fprintf(stderr, "paiban: error: --watch writes a PDF; it does not go with %s\n",
                o.fonts ? "--fonts" : "--dump");
        return 2;
    }
    if (o.fonts)
        return pb_cli_fonts(&o);
    if (o.watch)
        return pb_cli_watch(&o);
    return pb_cli_build_once(&o);
}
