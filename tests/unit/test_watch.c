/* test_watch.c - incremental rebuilds as --watch does them: the font registry, the
 * paragraph cache and the PDF cache kept between builds of the seed report. A
 * rebuild of the same text lays out nothing and subsets nothing; an edit of one
 * paragraph lays out that paragraph only and keeps every font subset; and whatever
 * the caches held, the PDF is byte for byte the PDF of a build without them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "content/doc.h"
#include "pdf/pdf.h"
#include "style/style.h"
#include "typeset/typeset.h"

#include <stdlib.h>
#include <string.h>

#define REPORT PB_SOURCE_DIR "/content/report.md"

static char *report;
static size_t report_len;

typedef struct build {
    char *pdf;
    size_t len;
    size_t hits, misses;
    pb_pdf_cache_stats st;
} build;

/* What pb_cli_build does, on a document in memory. */
static build run(pb_text *text, pb_pdf_cache *cache, const char *src)
{
    build b = {0};
    pb_diags d;
    pb_diags_init(&d);
    pb_doc *doc = pb_doc_parse(REPORT, src, strlen(src), &d);
    assert_non_null(doc);
    pb_arena *a = pb_arena_new();
    pb_style s;
    pb_style_default(&s, a);
    assert_true(pb_style_resolve(&s, a, NULL, &doc->meta, doc->file, &d));
    pb_text_build_begin(text);
    pb_pages *pages = pb_typeset(text, doc, &s, &d);
    assert_non_null(pages);
    assert_int_equal(d.n_errors, 0);
    pb_pdf_options opt = pb_pdf_options_default();
    opt.date = 1700000000;
    opt.cache = cache;
    assert_true(pb_pdf_render(pages, &opt, &b.pdf, &b.len, &d));
    size_t entries;
    pb_text_cache_stats(text, &b.hits, &b.misses, &entries);
    if (cache)
        pb_pdf_cache_report(cache, &b.st);
    pb_pages_free(pages);
    pb_text_build_end(text);
    pb_doc_free(doc);
    pb_arena_free(a);
    pb_diags_free(&d);
    return b;
}

/* The same document built from scratch: a new registry, no caches. */
static build fresh(const char *src)
{
    pb_fontreg *reg = pb_fontreg_new(NULL, 0);
    pb_text *text = pb_text_new(reg);
    build b = run(text, NULL, src);
    pb_text_free(text);
    pb_fontreg_free(reg);
    return b;
}

static void assert_same_pdf(const build *a, const build *b)
{
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->pdf, b->pdf, a->len);
}

/* The report with the first occurrence of from replaced by to. */
static char *edit(const char *src, const char *from, const char *to)
{
    const char *at = strstr(src, from);
    assert_non_null(at);
    size_t n = strlen(src), nf = strlen(from), nt = strlen(to);
    char *out = malloc(n - nf + nt + 1);
    size_t pre = (size_t)(at - src);
    memcpy(out, src, pre);
    memcpy(out + pre, to, nt);
    memcpy(out + pre + nt, at + nf, n - pre - nf + 1);
    return out;
}

static void test_incremental(void **state)
{
    (void)state;
    pb_fontreg *reg = pb_fontreg_new(NULL, 0);
    pb_text *text = pb_text_new(reg);
    pb_text_enable_cache(text, true);
    pb_pdf_cache *cache = pb_pdf_cache_new();

    /* first build: everything is made */
    build b1 = run(text, cache, report);
    assert_true(b1.misses > 300);
    assert_int_equal(b1.st.fonts_reused, 0);
    assert_true(b1.st.fonts_subset >= 3);
    build f1 = fresh(report);
    assert_same_pdf(&b1, &f1);

    /* the same text again: nothing laid out, subset or compressed */
    build b2 = run(text, cache, report);
    assert_int_equal(b2.misses, 0);
    assert_int_equal(b2.hits, b1.hits + b1.misses);
    assert_int_equal(b2.st.fonts_subset, 0);
    assert_int_equal(b2.st.fonts_reused, b1.st.fonts_subset);
    assert_int_equal(b2.st.streams_compressed, 0);
    assert_same_pdf(&b2, &f1);

    /* one paragraph edited with characters it already has (two swapped): one paragraph
     * laid out, every font subset kept, most streams kept */
    const char *was = "正成为大国竞争的新焦点", *swapped = "正成为竞争大国的新焦点";
    char *e1 = edit(report, was, swapped);
    build b3 = run(text, cache, e1);
    assert_int_equal(b3.misses, 1);
    assert_int_equal(b3.hits, b2.hits - 1);
    assert_int_equal(b3.st.fonts_subset, 0);
    assert_int_equal(b3.st.fonts_reused, b2.st.fonts_reused);
    assert_true(b3.st.streams_compressed <= 2);
    build f3 = fresh(e1);
    assert_same_pdf(&b3, &f3);

    /* an edit that brings a character no page had: that font is subset again, and the
     * PDF is still that of a fresh build */
    char *e2 = edit(e1, swapped, "正成为竞争大国的新焦点（鼹鼠）");
    build b4 = run(text, cache, e2);
    assert_int_equal(b4.misses, 1);
    assert_true(b4.st.fonts_subset >= 1);
    build f4 = fresh(e2);
    assert_same_pdf(&b4, &f4);

    build *all[] = {&b1, &f1, &b2, &b3, &f3, &b4, &f4};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]->pdf);
    free(e1);
    free(e2);
    pb_pdf_cache_free(cache);
    pb_text_free(text);
    pb_fontreg_free(reg);
}

static int setup(void **state)
{
    (void)state;
    return pb_read_file(REPORT, &report, &report_len) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(report);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_incremental),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
