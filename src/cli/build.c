/* build.c - one build from a Markdown file to a PDF (or a dump), with the state that
 * outlives a build (font registry, text stage and its paragraph cache, the PDF
 * cache) in a session that --watch keeps between builds; the progress line of long
 * builds. --fonts is in fonts.c, the watching in watch.c. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A build shows its progress once it has taken this long... */
#define PROGRESS_AFTER_S 1.0
/* ...and redraws the line at most this often. */
#define PROGRESS_EVERY_S 0.1

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

char *pb_cli_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pb_xstrdup(".");
    if (slash == path)
        return pb_xstrdup("/");
    return pb_xstrndup(path, (size_t)(slash - path));
}

size_t pb_cli_font_dirs(const char *input, char *dirs[3])
{
    size_t n = 0;
    dirs[n++] = pb_xstrdup("fonts");
    if (input) {
        char *d = pb_cli_dir_of(input);
        pb_buf b;
        pb_buf_init(&b);
        pb_buf_printf(&b, "%s/fonts", d);
        dirs[n++] = pb_buf_detach(&b);
        pb_buf_printf(&b, "%s/../fonts", d);
        dirs[n++] = pb_buf_detach(&b);
        free(d);
    }
    return n;
}

pb_fontreg *pb_cli_fontreg(const char *input)
{
    char *dirs[3];
    size_t n = pb_cli_font_dirs(input, dirs);
    pb_fontreg *r = pb_fontreg_new((const char *const *)dirs, n);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    return r;
}

double pb_cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the session ---- */

void pb_cli_session_open(pb_cli_session *s, const char *input, bool keep)
{
    s->reg = pb_cli_fontreg(input);
    s->text = pb_text_new(s->reg);
    s->pdf = NULL;
    if (keep) {
        pb_text_enable_cache(s->text, true);
        s->pdf = pb_pdf_cache_new();
    }
}

void pb_cli_session_close(pb_cli_session *s)
{
    /* the PDF cache names fonts by pointer, so it goes before the registry */
    pb_pdf_cache_free(s->pdf);
    pb_text_free(s->text);
    pb_fontreg_free(s->reg);
    memset(s, 0, sizeof *s);
}

void pb_cli_summary_free(pb_build_summary *sum)
{
    free(sum->layout_file);
    for (size_t i = 0; i < sum->n_images; i++)
        free(sum->images[i]);
    free(sum->images);
    free(sum->output);
    memset(sum, 0, sizeof *sum);
}

/* ---- progress ---- */

typedef struct progress {
    bool tty;
    double start, last;
    bool shown;
    size_t paragraphs; /* in the document, roughly: the layout's 100% */
} progress;

static void progress_show(progress *p, const char *fmt, ...) PB_PRINTF(2, 3);
static void progress_show(progress *p, const char *fmt, ...)
{
    double t = pb_cli_now();
    if (!p->tty || t - p->start < PROGRESS_AFTER_S || t - p->last < PROGRESS_EVERY_S)
        return;
    p->last = t;
    p->shown = true;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

static void progress_clear(progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

static void on_paragraphs(void *user, size_t n)
{
    progress *p = user;
    if (p->paragraphs)
        progress_show(p, "paiban: laying out %zu%% (%zu paragraphs)",
                      PB_MIN((size_t)99, n * 100 / p->paragraphs), n);
    else
        progress_show(p, "paiban: laying out (%zu paragraphs)", n);
}

static void on_pages(void *user, size_t done, size_t total)
{
    progress *p = user;
    progress_show(p, "paiban: %zu pages laid out, writing page %zu", total, done);
}

/* Blocks laid out as a paragraph each (cells, headings, captions ...), for the
 * layout's percentage; it need not be exact. */
static size_t count_paragraphs(const pb_block *b)
{
    if (!b)
        return 0;
    size_t n = 0;
    switch (b->kind) {
    case PB_BLK_HEADING:
    case PB_BLK_PARAGRAPH:
    case PB_BLK_CELL:
    case PB_BLK_FIGURE:
    case PB_BLK_CODE:
        n = 1;
        break;
    case PB_BLK_TABLE:
        n = b->inlines != NULL;
        break;
    default:
        break;
    }
    for (size_t i = 0; i < b->n_children; i++)
        n += count_paragraphs(b->children[i]);
    return n;
}

/* ---- what a build read ---- */

/* The image files of figures, as the typesetter finds them: relative to the document. */
static void collect_images(const pb_doc *doc, const pb_block *b, pb_build_summary *sum)
{
    if (!b)
        return;
    if (b->kind == PB_BLK_FIGURE && b->url && *b->url) {
        char *path;
        if (b->url[0] == '/') {
            path = pb_xstrdup(b->url);
        } else {
            char *d = pb_cli_dir_of(doc->file);
            pb_buf p;
            pb_buf_init(&p);
            pb_buf_printf(&p, "%s/%s", d, b->url);
            path = pb_buf_detach(&p);
            free(d);
        }
        PB_PUSH(sum->images, sum->n_images, sum->cap_images, path);
    }
    for (size_t i = 0; i < b->n_children; i++)
        collect_images(doc, b->children[i], sum);
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

int pb_cli_build(const pb_cli_opts *o, pb_cli_session *s, pb_build_summary *sum)
{
    double t0 = pb_cli_now(), t;
    pb_build_summary local;
    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    pb_diags diags;
    pb_diags_init(&diags);
    int status = 0;
    pb_doc *doc = NULL;
    pb_pages *pages = NULL;
    pb_arena *sa = pb_arena_new();
    bool typeset = false;
    progress prog = {.tty = isatty(2) == 1, .start = t0};

    doc = pb_doc_load(o->input, &diags);
    t = pb_cli_now();
    sum->t_parse = t - t0;
    if (doc)
        collect_images(doc, doc->root, sum);
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
    bool styled = pb_style_resolve(&style, sa, o->layout, &doc->meta, doc->file, &diags);
    if (style.layout_file)
        sum->layout_file = pb_xstrdup(style.layout_file);
    if (!styled) {
        status = 1;
        goto done;
    }
    if (o->marks)
        style.crop_marks = true;
    if (o->dump == PB_DUMP_LINES || o->dump == PB_DUMP_PAGES) {
        pb_buf b;
        pb_buf_init(&b);
        if (o->dump == PB_DUMP_PAGES)
            pb_typeset_dump_pages(s->text, doc, &style, &b, &diags);
        else
            pb_typeset_dump_lines(s->text, doc, &style, &b, &diags);
        fwrite(b.data, 1, b.len, stdout);
        pb_buf_free(&b);
        if (diags.n_errors)
            status = 1;
        goto done;
    }
    double t1 = pb_cli_now();
    sum->t_style = t1 - t;
    prog.paragraphs = count_paragraphs(doc->root) + doc->n_footnotes;
    pb_text_set_progress(s->text, on_paragraphs, &prog);
    /* the paragraph cache's generation: what this build does not use goes after it */
    pb_text_build_begin(s->text);
    typeset = true;
    pages = pb_typeset(s->text, doc, &style, &diags);
    pb_text_set_progress(s->text, NULL, NULL);
    t = pb_cli_now();
    sum->t_layout = t - t1;
    if (!pages || diags.n_errors) {
        status = 1;
        goto done;
    }
    /* The pages stand alone: the parsed document (~5 bytes per input byte) is given
     * back before the PDF is written, where a build peaks. */
    pb_doc_free(doc);
    doc = NULL;
    sum->pages = pages->n_pages;
    sum->output = o->output ? pb_xstrdup(o->output) : pb_cli_output_path(o->input);
    if (pb_same_file(sum->output, o->input)) { /* -o names the document itself */
        pb_diag_add(&diags, PB_ERROR, NULL, 0, 0,
                    "the output '%s' is the input document; give another -o", sum->output);
        status = 2;
        goto done;
    }
    pb_pdf_options popt = pb_pdf_options_default();
    popt.creator = "paiban " PB_VERSION;
    popt.date = pdf_date(o->input);
    popt.cache = s->pdf;
    popt.progress = on_pages;
    popt.progress_user = &prog;
    int w = pb_pdf_write(pages, &popt, sum->output, &diags);
    sum->t_pdf = pb_cli_now() - t;
    if (w != PB_PDF_OK)
        status = w;
    else
        sum->wrote = true;

done:
    progress_clear(&prog);
    pb_diags_print_min(&diags, stderr, o->quiet ? PB_ERROR : PB_NOTE);
    sum->warnings = diags.n_warnings;
    sum->errors = diags.n_errors;
    size_t entries;
    pb_text_cache_stats(s->text, &sum->para_hits, &sum->para_misses, &entries);
    if (s->pdf)
        pb_pdf_cache_report(s->pdf, &sum->pdf);
    /* cached paragraphs hold the glyphs the pages point at: pages go first */
    pb_pages_free(pages);
    if (typeset)
        pb_text_build_end(s->text);
    pb_doc_free(doc);
    pb_arena_free(sa);
    pb_diags_free(&diags);
    sum->seconds = pb_cli_now() - t0;
    if (o->timings && !o->dump)
        fprintf(stderr,
                "paiban: timings: parse %.1f ms, design %.1f ms, layout %.1f ms, pdf %.1f ms, "
                "total %.1f ms\n",
                sum->t_parse * 1e3, sum->t_style * 1e3, sum->t_layout * 1e3, sum->t_pdf * 1e3,
                sum->seconds * 1e3);
    return status;
}

int pb_cli_build_once(const pb_cli_opts *o)
{
    pb_cli_session s;
    pb_cli_session_open(&s, o->input, false);
    pb_build_summary sum;
    int st = pb_cli_build(o, &s, &sum);
    if (st == 0 && !o->quiet && !o->dump && sum.wrote)
        fprintf(stderr, "paiban: wrote %s (%zu page%s) in %.0f ms\n", sum.output, sum.pages,
                sum.pages == 1 ? "" : "s", sum.seconds * 1000);
    pb_cli_summary_free(&sum);
    pb_cli_session_close(&s);
    return st;
}
