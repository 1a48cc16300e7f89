/* test_robust.c - bad and pathological input at the module level (issue 9): UTF-8
 * errors and what they say, files that are not Markdown, every size cap of
 * limits.h that the parse stage enforces (markup, blocks, text, paragraph length,
 * inline nesting, YAML keys and depth) with its position, the conversion of
 * columns on long lines, and the I/O helpers of base. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "content/doc.h"
#include "pdf/pdf.h"
#include "style/style.h"

#include "expect_diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static void assert_at(const pb_diag *g, pb_severity sev, int line, int col)
{
    assert_int_equal(g->severity, sev);
    assert_int_equal(g->line, line);
    assert_int_equal(g->col, col);
}

/* Parses data of length len as t.md; returns the doc (or NULL) and leaves d filled. */
static pb_doc *parse_n(const char *data, size_t len, pb_diags *d)
{
    pb_diags_init(d);
    return pb_doc_parse("t.md", data, len, d);
}

static pb_doc *parse(const char *s, pb_diags *d)
{
    return parse_n(s, strlen(s), d);
}

/* Repeats unit n times, then appends tail. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_adds(&b, head);
    size_t u = strlen(unit);
    for (size_t i = 0; i < n; i++)
        pb_buf_add(&b, unit, u);
    pb_buf_adds(&b, tail);
    *len = b.len;
    return pb_buf_detach(&b);
}

/* ---- base ---- */

static void test_utf8_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int line, col;
        const char *why;
    } cases[] = {
        {"ab\xFF", 1, 3, "byte 0xFF never appears in UTF-8"},
        {"a\nb\xC0\x80", 2, 2, "byte 0xC0 never appears in UTF-8"},
        {"中\x80", 1, 2, "byte 0x80 continues a character that never started"},
        {"中文\xE4\xB8", 1, 3, "byte 0xE4 starts a 3-byte character but the file ends"},
        {"\xE4\xB8x", 1, 1, "byte 0xE4 starts a 3-byte character but the next byte does not"},
        {"\xED\xA0\x80", 1, 1, "a UTF-16 surrogate"},
        {"\xF4\x90\x80\x80", 1, 1, "a code point above U+10FFFF"},
        {"\xE0\x80\x80", 1, 1, "overlong"},
        {"\xD6\xD0\xCE\xC4", 1, 1, "may be in GBK or GB18030"},
    };
    for (size_t i = 0; i < PB_COUNT(cases); i++) {
        size_t n = strlen(cases[i].s), off;
        int line, col;
        assert_true(pb_utf8_find_bad(cases[i].s, n, &off, &line, &col));
        assert_int_equal(line, cases[i].line);
        assert_int_equal(col, cases[i].col);
        pb_buf b;
        pb_buf_init(&b);
        pb_utf8_why(cases[i].s, n, off, &b);
        if (!strstr(b.data, cases[i].why))
            fail_msg("case %zu: '%s' does not say '%s'", i, b.data, cases[i].why);
        pb_buf_free(&b);
    }
    size_t off;
    int line, col;
    assert_false(pb_utf8_find_bad("中文 ok\n", 10, &off, &line, &col));
    /* a truncated character is no GBK hint */
    pb_buf b;
    pb_buf_init(&b);
    pb_utf8_why("\xE4\xB8", 2, 0, &b);
    assert_null(strstr(b.data, "GBK"));
    pb_buf_free(&b);
}

static void test_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/pb_robust_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *data;
    size_t len;
    errno = 0;
    assert_false(pb_read_file(dir, &data, &len));
    assert_int_equal(errno, EISDIR);
    pb_buf p;
    pb_buf_init(&p);
    pb_buf_printf(&p, "%s/a.md", dir);
    FILE *f = fopen(p.data, "w");
    assert_non_null(f);
    fputs("正文\n", f);
    fclose(f);
    assert_true(pb_read_file(p.data, &data, &len));
    assert_int_equal(len, 7);
    free(data);
    pb_buf q;
    pb_buf_init(&q);
    pb_buf_printf(&q, "%s/./a.md", dir);
    assert_true(pb_same_file(p.data, q.data));
    assert_false(pb_same_file(p.data, dir));
    assert_false(pb_same_file(p.data, "/nonexistent/x"));
    unlink(p.data);
    rmdir(dir);
    pb_buf_free(&p);
    pb_buf_free(&q);
}

/* pb_grow's first block: 4 elements of 80 bytes, 64 bytes' worth of small ones */
static void test_grow(void **state)
{
    (void)state;
    char big[80];
    void *p = NULL;
    size_t cap = 0;
    pb_grow(&p, &cap, 1, sizeof big);
    assert_int_equal(cap, 4);
    pb_grow(&p, &cap, 5, sizeof big);
    assert_int_equal(cap, 8);
    free(p);
    p = NULL;
    cap = 0;
    pb_grow(&p, &cap, 1, 1);
    assert_int_equal(cap, 64);
    free(p);
}

/* ---- files that are not Markdown text ---- */

static void test_not_markdown(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        const char *msg;
        int line, col;
    } cases[] = {
        {"%PDF-1.4\n", 9, "this is a PDF file, not Markdown text (was the output", 1, 1},
        {"\x89PNG\r\n\x1a\n", 8, "this is a PNG image", 1, 1},
        {"PK\x03\x04xx", 6, "Word/Excel (.docx/.xlsx) document", 1, 1},
        {"\xFF\xFE#\0", 4, "the file is UTF-16 text; save it as UTF-8", 1, 1},
        {"# a\n\nb\0c", 8, "NUL byte in the text", 3, 2},
        {"# a\n\n\xFF\0", 7, "invalid UTF-8: byte 0xFF", 3, 1}, /* the bad byte comes first */
        {"", 0, "the document is empty", 1, 1},
        {" \r\n\t\n", 5, "the document is empty", 1, 1},
    };
    for (size_t i = 0; i < PB_COUNT(cases); i++) {
        pb_diags d;
        assert_null(parse_n(cases[i].data, cases[i].len, &d));
        assert_int_equal(d.n_errors, 1);
        assert_at(expect_diag(&d, cases[i].msg), PB_ERROR, cases[i].line, cases[i].col);
        pb_diags_free(&d);
    }
}

/* ---- the caps of limits.h ---- */

static void test_markup_cap(void **state)
{
    (void)state;
    size_t len;
    /* "*a* " is 4 units of the estimate: 500,001 of them pass 2,000,000 on line 3 */
    char *s = repeat("# 标题\n\n", "*a* ", 600000, "\n", &len);
    pb_diags d;
    assert_null(parse_n(s, len, &d));
    const pb_diag *g = expect_diag(&d, "too much markup");
    assert_int_equal(g->severity, PB_ERROR);
    assert_int_equal(g->line, 3);
    assert_true(g->col > 1900000 && g->col < 2100000);
    pb_diags_free(&d);
    free(s);
    /* 1 MB of nested quote markers is refused before cmark-gfm builds a node */
    s = repeat("", "> ", 1100000, "a\n", &len);
    assert_null(parse_n(s, len, &d));
    assert_at(expect_diag(&d, "too much markup"), PB_ERROR, 1, 2000001);
    pb_diags_free(&d);
    free(s);
}

static void test_block_cap(void **state)
{
    (void)state;
    size_t len;
    char *s = repeat("", "字\n\n", PB_MAX_BLOCKS + 1, "", &len);
    pb_diags d;
    assert_null(parse_n(s, len, &d));
    assert_at(expect_diag(&d, "more than 150000 blocks"), PB_ERROR, 2 * PB_MAX_BLOCKS + 1, 1);
    pb_diags_free(&d);
    free(s);
    /* as many as the cap is a document */
    s = repeat("", "字\n\n", PB_MAX_BLOCKS, "", &len);
    pb_doc *doc = parse_n(s, len, &d);
    assert_non_null(doc);
    assert_int_equal(d.n_errors, 0);
    pb_doc_free(doc);
    pb_diags_free(&d);
    free(s);
}

static void test_text_caps(void **state)
{
    (void)state;
    size_t len;
    /* the document: 20,000,001 characters in 1,000-character paragraphs */
    char *s = repeat("", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.\n\n",
                     PB_MAX_TEXT_CHARS / 1000 + 1, "", &len);
    pb_diags d;
    assert_null(parse_n(s, len, &d));
    /* paragraph number 20,001 passes the cap: it starts on line 40,001 */
    assert_at(expect_diag(&d, "more than 20000000 characters of text"), PB_ERROR, 40001, 1);
    pb_diags_free(&d);
    free(s);

    /* one paragraph: the error is at its start, wherever the cap is passed */
    s = repeat("# 题\n\n前言。\n\n", "字", PB_MAX_PARA_CHARS / 2, "*强调*", &len);
    char *t = repeat(s, "字", PB_MAX_PARA_CHARS / 2, "\n", &len);
    assert_null(parse_n(t, len, &d));
    assert_at(expect_diag(&d, "this paragraph has more than 1000000 characters"), PB_ERROR, 5, 1);
    pb_diags_free(&d);
    free(s);
    free(t);
    /* a code block counts as one paragraph too */
    s = repeat("正文。\n\n```\n", "0123456789\n", PB_MAX_PARA_CHARS / 11 + 1, "```\n", &len);
    assert_null(parse_n(s, len, &d));
    assert_at(expect_diag(&d, "this code block has more than"), PB_ERROR, 3, 1);
    pb_diags_free(&d);
    free(s);
    /* in an abstract */
    s = repeat("---\ntitle: 题\nabstract: |\n  ", "字", PB_MAX_PARA_CHARS + 1, "\n---\n\n正文。\n", &len);
    assert_null(parse_n(s, len, &d));
    assert_at(expect_diag(&d, "this paragraph has more than"), PB_ERROR, 4, 1);
    pb_diags_free(&d);
    free(s);
}

/* Emphasis nested 20,000 deep: a warning once, every character kept, the tree no
 * deeper than the cap (the walks over it recurse). */
static int inline_depth(const pb_inline *in)
{
    int best = 0;
    for (; in; in = in->next) {
        int d = in->children ? 1 + inline_depth(in->children) : 1;
        best = PB_MAX(best, d);
    }
    return best;
}

static void test_inline_nesting(void **state)
{
    (void)state;
    size_t len;
    char *open = repeat("# 题\n\n前", "*", 20000, "深处", &len);
    char *s = repeat(open, "*", 20000, "后\n", &len);
    pb_diags d;
    pb_doc *doc = parse_n(s, len, &d);
    assert_non_null(doc);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 1);
    const pb_diag *g = expect_diag(&d, "nested deeper than 32 levels");
    assert_int_equal(g->line, 3);
    const pb_block *p = doc->root->children[1];
    assert_int_equal(p->kind, PB_BLK_PARAGRAPH);
    assert_true(inline_depth(p->inlines) <= PB_MAX_INLINE_NESTING + 1);
    pb_buf b;
    pb_buf_init(&b);
    pb_inlines_text(p->inlines, &b);
    assert_string_equal(b.data, "前深处后");
    pb_buf_free(&b);
    /* and the dump (recursive too) copes */
    pb_buf_init(&b);
    pb_doc_dump(doc, &b);
    assert_non_null(strstr(b.data, "\"深处\""));
    pb_buf_free(&b);
    pb_doc_free(doc);
    pb_diags_free(&d);
    free(open);
    free(s);

    /* links nested in deep emphasis keep their text; what follows stays in order */
    open = repeat("x ", "**", 40, "[链接](u) y", &len);
    s = repeat(open, "**", 40, " z\n", &len);
    doc = parse_n(s, len, &d);
    assert_non_null(doc);
    pb_buf_init(&b);
    pb_inlines_text(doc->root->children[0]->inlines, &b);
    assert_string_equal(b.data, "x 链接 y z");
    pb_buf_free(&b);
    pb_doc_free(doc);
    pb_diags_free(&d);
    free(open);
    free(s);
}

/* Columns count characters on long lines too (converted incrementally, in order). */
static void test_long_line_columns(void **state)
{
    (void)state;
    size_t len;
    char *s = repeat("", "中文*强调* ", 20000, "\n", &len);
    pb_diags d;
    pb_doc *doc = parse_n(s, len, &d);
    assert_non_null(doc);
    const pb_block *p = doc->root->children[0];
    int k = 0;
    for (const pb_inline *in = p->inlines; in; in = in->next) {
        if (in->kind != PB_INL_EMPH)
            continue;
        assert_int_equal(in->line, 1);
        assert_int_equal(in->col, 3 + 7 * k); /* 中文 then *强调* and a space */
        assert_int_equal(in->children->col, 4 + 7 * k);
        k++;
    }
    assert_int_equal(k, 20000);
    assert_int_equal(p->end_col, 7 * 20000);
    pb_doc_free(doc);
    pb_diags_free(&d);
    free(s);
}

/* ---- YAML: front matter and layout files ---- */

static char *alias_bomb(const char *head, const char *tail)
{
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_adds(&b, head);
    pb_buf_adds(&b, "a0: &a0 {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8}\n");
    for (int i = 1; i < 8; i++) {
        pb_buf_printf(&b, "a%d: &a%d {", i, i);
        for (int j = 0; j < 8; j++)
            pb_buf_printf(&b, "%sk%d: *a%d", j ? ", " : "", j, i - 1);
        pb_buf_adds(&b, "}\n");
    }
    pb_buf_adds(&b, tail);
    return pb_buf_detach(&b);
}

static void test_front_matter_caps(void **state)
{
    (void)state;
    /* aliases to aliases: 8^8 keys from 8 lines */
    char *s = alias_bomb("---\ntitle: 炸弹\n", "---\n\n正文。\n");
    pb_diags d;
    assert_null(parse(s, &d));
    const pb_diag *g = expect_diag(&d, "the front matter's aliases repeat more text than the front matter holds");
    assert_int_equal(g->severity, PB_ERROR);
    assert_true(g->line >= 3 && g->line <= 10);
    pb_diags_free(&d);
    free(s);
    /* 10,001 keys written out */
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_adds(&b, "---\ntitle: 多\n");
    for (int i = 0; i <= PB_MAX_YAML_KEYS; i++)
        pb_buf_printf(&b, "k%d: v\n", i);
    pb_buf_adds(&b, "---\n\n正文。\n");
    assert_null(parse(b.data, &d));
    assert_at(expect_diag(&d, "the front matter sets more than 10000 keys"), PB_ERROR, PB_MAX_YAML_KEYS + 3, 1);
    pb_diags_free(&d);
    pb_buf_free(&b);

    assert_null(parse("---\nmargin: {a: {b: {c: {d: {e: {f: {g: {h: 1}}}}}}}}\n---\n\n正文。\n", &d));
    /* at the value of g, the eighth level */
    assert_at(expect_diag(&d, "'margin.a.b.c.d.e.f.g' is nested more than 8 levels"),
              PB_ERROR, 2, 37);
    pb_diags_free(&d);

    /* aliases to one long text, repeated: the text a front matter may produce is about
     * what it holds (this one would be 3 GB) */
    size_t len;
    char *big = repeat("---\ntitle: 长\nt: &t ", "x", 1000000, "\nkeywords: [*t", &len);
    char *bomb = repeat(big, ", *t", 3000, "]\n---\n\n正文。\n", &len);
    assert_null(parse_n(bomb, len, &d));
    assert_at(expect_diag(&d, "aliases repeat more text than the front matter holds"),
              PB_ERROR, 4, 11);
    pb_diags_free(&d);
    free(big);
    free(bomb);

    /* an abstract that is a list, not text: joined, no confusion about its style */
    pb_doc *doc = parse("---\nabstract: [一, 二]\n---\n\n正文。\n", &d);
    assert_non_null(doc);
    assert_non_null(doc->meta.abstract);
    assert_int_equal(doc->meta.abstract->children[0]->line, 2);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_layout_caps(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    char *s = alias_bomb("", "");
    pb_diags d;
    pb_diags_init(&d);
    pb_style st;
    assert_false(pb_style_from_yaml(&st, a, "bomb.yaml", s, strlen(s), false, NULL, NULL, &d));
    const pb_diag *g = expect_diag(&d, "the layout's aliases repeat more text than it holds");
    assert_int_equal(g->severity, PB_ERROR);
    pb_diags_free(&d);
    free(s);
    pb_buf b;
    pb_buf_init(&b);
    for (int i = 0; i <= PB_MAX_YAML_KEYS; i++)
        pb_buf_printf(&b, "k%d: v\n", i);
    pb_diags_init(&d);
    assert_false(pb_style_from_yaml(&st, a, "many.yaml", b.data, b.len, false, NULL, NULL, &d));
    assert_at(expect_diag(&d, "the layout sets more than 10000 keys"),
              PB_ERROR, PB_MAX_YAML_KEYS + 1, 1);
    pb_diags_free(&d);
    pb_buf_free(&b);
    size_t len;
    char *big = repeat("t: &t ", "x", 1000000, "\na: &a {k0: *t, k1: *t, k2: *t, k3: *t}\n", &len);
    char *bomb = repeat(big, "", 0, "b: {k0: *a, k1: *a, k2: *a, k3: *a}\n", &len);
    pb_diags_init(&d);
    assert_false(pb_style_from_yaml(&st, a, "s.yaml", bomb, len, false, NULL, NULL, &d));
    assert_non_null(expect_diag(&d, "the layout's aliases repeat more text than it holds"));
    pb_diags_free(&d);
    free(big);
    free(bomb);
    /* the placeholder of the key table is no key: it named heading level 0 */
    pb_diags_init(&d);
    const char *hn = "hN.size: 10pt\n";
    assert_false(pb_style_from_yaml(&st, a, "hn.yaml", hn, strlen(hn), false, NULL, NULL, &d));
    assert_at(expect_diag(&d, "unknown key 'hN.size'"), PB_ERROR, 1, 1);
    pb_diags_free(&d);
    pb_diags_init(&d);
    const char *deep = "margin: {a: {b: {c: {d: {e: {f: {g: {h: 1}}}}}}}}\n";
    assert_false(pb_style_from_yaml(&st, a, "deep.yaml", deep, strlen(deep), false, NULL, NULL, &d));
    assert_non_null(expect_diag(&d, "nested too deeply"));
    pb_diags_free(&d);
    pb_arena_free(a);
}

/* ---- the PDF only ever replaces a regular file ---- */

static void test_output_not_regular(void **state)
{
    (void)state;
    char dir[] = "/tmp/pb_robust_XXXXXX";
    assert_non_null(mkdtemp(dir));
    pb_buf fifo;
    pb_buf_init(&fifo);
    pb_buf_printf(&fifo, "%s/pipe.pdf", dir);
    assert_int_equal(mkfifo(fifo.data, 0600), 0);
    pb_pages *ps = pb_pages_new();
    pb_pages_add(ps, 595, 842);
    pb_pdf_options opt = pb_pdf_options_default();
    pb_diags d;
    pb_diags_init(&d);
    assert_int_equal(pb_pdf_write(ps, &opt, fifo.data, &d), PB_PDF_SYSTEM_ERROR);
    assert_non_null(expect_diag(&d, "it is a named pipe, not a regular file"));
    struct stat st;
    assert_int_equal(stat(fifo.data, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    pb_diags_free(&d);
    pb_diags_init(&d);
    assert_int_equal(pb_pdf_write(ps, &opt, dir, &d), PB_PDF_SYSTEM_ERROR);
    assert_non_null(expect_diag(&d, "it is a folder, not a regular file"));
    pb_diags_free(&d);
    pb_pages_free(ps);
    unlink(fifo.data);
    rmdir(dir);
    pb_buf_free(&fifo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_errors),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_not_markdown),
        cmocka_unit_test(test_markup_cap),
        cmocka_unit_test(test_block_cap),
        cmocka_unit_test(test_text_caps),
        cmocka_unit_test(test_inline_nesting),
        cmocka_unit_test(test_long_line_columns),
        cmocka_unit_test(test_front_matter_caps),
        cmocka_unit_test(test_layout_caps),
        cmocka_unit_test(test_output_not_regular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
