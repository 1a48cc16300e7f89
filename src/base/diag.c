/* diag.c - diagnostics collected during a build and printed in the
 * compiler-style form file:line:col: severity: message. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

void pb_diags_init(pb_diags *d)
{
    memset(d, 0, sizeof *d);
    d->max_kept = PB_MAX_DIAGNOSTICS;
}

void pb_diags_clear(pb_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].msg);
    d->n = 0;
    d->n_errors = d->n_warnings = d->n_dropped = 0;
}

void pb_diags_free(pb_diags *d)
{
    pb_diags_clear(d);
    free(d->items);
    for (size_t i = 0; i < d->n_files; i++)
        free(d->files[i]);
    free(d->files);
    memset(d, 0, sizeof *d);
}

static const char *intern_file(pb_diags *d, const char *file)
{
    if (!file)
        return NULL;
    for (size_t i = 0; i < d->n_files; i++)
        if (strcmp(d->files[i], file) == 0)
            return d->files[i];
    char *copy = pb_xstrdup(file);
    PB_PUSH(d->files, d->n_files, d->cap_files, copy);
    return copy;
}

void pb_diag_vadd(pb_diags *d, pb_severity sev, const char *file, int line, int col,
                  const char *fmt, va_list ap)
{
    if (sev == PB_ERROR)
        d->n_errors++;
    else if (sev == PB_WARNING)
        d->n_warnings++;
    if (d->n >= d->max_kept) {
        d->n_dropped++;
        return;
    }
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_vprintf(&b, fmt, ap);
    pb_diag dg = {sev, intern_file(d, file), line, col, pb_buf_detach(&b)};
    PB_PUSH(d->items, d->n, d->cap, dg);
}

void pb_diag_add(pb_diags *d, pb_severity sev, const char *file, int line, int col,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pb_diag_vadd(d, sev, file, line, col, fmt, ap);
    va_end(ap);
}

static const char *sev_name(pb_severity s)
{
    switch (s) {
    case PB_ERROR:
        return "error";
    case PB_WARNING:
        return "warning";
    default:
        return "note";
    }
}

void pb_diags_print(const pb_diags *d, FILE *out)
{
    pb_diags_print_min(d, out, PB_NOTE);
}

void pb_diags_print_min(const pb_diags *d, FILE *out, pb_severity min)
{
    for (size_t i = 0; i < d->n; i++) {
        const pb_diag *g = &d->items[i];
        if (g->severity < min)
            continue;
        if (g->file && g->line > 0)
            fprintf(out, "%s:%d:%d: %s: %s\n", g->file, g->line, g->col > 0 ? g->col : 1,
                    sev_name(g->severity), g->msg);
        else if (g->file)
            fprintf(out, "%s: %s: %s\n", g->file, sev_name(g->severity), g->msg);
        else
            fprintf(out, "paiban: %s: %s\n", sev_name(g->severity), g->msg);
    }
    if (d->n_dropped)
        fprintf(out, "paiban: note: %zu more diagnostics not shown\n", d->n_dropped);
}

const pb_diag *pb_diags_find(const pb_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, needle))
            return &d->items[i];
    return NULL;
}

void pb_diag_yaml(pb_diags *d, const char *file, const char *what, const char *problem,
                  int line, int col, const char *context, int ctx_line, int ctx_col)
{
    if (!problem)
        problem = "syntax error";
    if (context && (ctx_line != line || ctx_col != col))
        pb_diag_add(d, PB_ERROR, file, line, col, "%s: %s %s that starts at line %d, column %d",
                    what, problem, context, ctx_line, ctx_col);
    else
        pb_diag_add(d, PB_ERROR, file, line, col, "%s: %s%s%s", what, problem,
                    context ? " " : "", context ? context : "");
}
