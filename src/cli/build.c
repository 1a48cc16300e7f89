/* build.c - one build from a Markdown file to a PDF (or a dump); --fonts is in fonts.c. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

char *pb_cli_output_path(const char *input)
{
    size_t n = strlen(input);
    const char *slash = strrchr(input, '/');
    const char *dot = strrchr(input, '.');
    if (dot && (!slash || dot > slash))
        n = (size_t)(dot - input);
    char *out = pb_xmalloc(n + 5);
    memcpy(out, input, n);
    memcpy(out + n, ".pdf", 5);
    return out;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pb_xstrdup(".");
    return pb_xstrndup(path, (size_t)(slash - path));
}

pb_fontreg *pb_cli_fontreg(const char *input)
{
    char *dirs[3];
    size_t n = 0;
    dirs[n++] = pb_xstrdup("fonts");
    if (input) {
        char *d = dir_of(input);
        pb_buf b;
        pb_buf_init(&b);
        pb_buf_printf(&b, "%s/fonts", d);
        dirs[n++] = pb_buf_detach(&b);
        pb_buf_printf(&b, "%s/../fonts", d);
        dirs[n++] = pb_buf_detach(&b);
        free(d);
    }
    pb_fontreg *r = pb_fontreg_new((const char *const *)dirs, n);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    return r;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The date written into the PDF: SOURCE_DATE_EPOCH when set (reproducible builds),
 * else the document's modification time, so rebuilding an unchanged file gives
 * the same bytes. */
static long long pdf_date(const char *input)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == 0 && v >= 0)
            return v;
    }
    struct stat st;
    if (stat(input, &st) == 0)
        return (long long)st.st_mtime;
    return -1;
}

int pb_cli_build(const pb_cli_opts *o, pb_text *text, pb_build_summary *sum)
{
    double t0 = now();
    pb_diags diags;
    pb_diags_init(&diags);
    int status = 0;
    pb_doc *doc = NULL;
    pb_pages *pages = NULL;
    pb_arena *sa = pb_arena_new();
    char *out_path = NULL;

    doc = pb_doc_load(o->input, &diags);
    if (!doc || diags.n_errors) {
        status = 1;
        goto done;
    }
    if (o->dump == PB_DUMP_TREE) {
        pb_buf b;
        pb_buf_init(&b);
        pb_doc_dump(doc, &b);
        fwrite(b.data, 1, b.len, stdout);
        pb_buf_free(&b);
        goto done;
    }
    pb_style style;
    pb_style_default(&style, sa);
    /* --layout wins over the front matter's layout: (pb_style_resolve looks both up) */
    if (!pb_style_resolve(&style, sa, o->layout, &doc->meta, doc->file, &diags)) {
        status = 1;
        goto done;
    }
    if (o->marks)
        style.crop_marks = true;
    if (o->dump == PB_DUMP_LINES || o->dump == PB_DUMP_PAGES) {
        pb_buf b;
        pb_buf_init(&b);
        if (o->dump == PB_DUMP_PAGES)
            pb_typeset_dump_pages(text, doc, &style, &b, &diags);
        else
            pb_typeset_dump_lines(text, doc, &style, &b, &diags);
        fwrite(b.data, 1, b.len, stdout);
        pb_buf_free(&b);
        if (diags.n_errors)
            status = 1;
        goto done;
    }
    pages = pb_typeset(text, doc, &style, &diags);
    if (!pages || diags.n_errors) {
        status = 1;
        goto done;
    }
    out_path = o->output ? pb_xstrdup(o->output) : pb_cli_output_path(o->input);
    pb_pdf_options popt = pb_pdf_options_default();
    popt.creator = "paiban " PB_VERSION;
    popt.date = pdf_date(o->input);
    int w = pb_pdf_write(pages, &popt, out_path, &diags);
    if (w != PB_PDF_OK)
        status = w;
    if (sum)
        sum->pages = pages->n_pages;

done:
    pb_diags_print(&diags, stderr);
    if (sum) {
        sum->warnings = diags.n_warnings;
        sum->errors = diags.n_errors;
        sum->seconds = now() - t0;
    }
    if (status == 0 && !o->quiet && !o->dump && !o->watch && pages)
        fprintf(stderr, "paiban: wrote %s (%zu pages) in %.0f ms\n", out_path, pages->n_pages,
                (now() - t0) * 1000);
    free(out_path);
    pb_pages_free(pages);
    pb_doc_free(doc);
    pb_arena_free(sa);
    pb_diags_free(&diags);
    return status;
}

int pb_cli_build_once(const pb_cli_opts *o)
{
    pb_fontreg *reg = pb_cli_fontreg(o->input);
    pb_text *text = pb_text_new(reg);
    int st = pb_cli_build(o, text, NULL);
    pb_text_free(text);
    pb_fontreg_free(reg);
    return st;
}

int pb_cli_watch(const pb_cli_opts *o)
{
    fprintf(stderr, "paiban: --watch is not available yet\n");
    return pb_cli_build_once(o);
}
