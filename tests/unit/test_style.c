/* test_style.c - the page-design format: every key, units and 号 sizes, paper,
 * colours, the geometry solver across layers, layout lookup, front-matter
 * overrides, the errors for bad layouts, and layout/report.yaml = built-in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "content/doc.h"
#include "style/style.h"

#include "expect_diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MM(x) ((double)(x) * 72.0 / 25.4)

static pb_arena *A;

static int setup(void **state)
{
    (void)state;
    A = pb_arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pb_arena_free(A);
    return 0;
}

/* Builds the built-in design with a layout given as text. */
static bool load(const char *yaml, pb_style *s, pb_diags *d)
{
    pb_diags_init(d);
    return pb_style_from_yaml(s, A, "t.yaml", yaml, strlen(yaml), false, NULL, NULL, d);
}

static void assert_near(double a, double b, double eps)
{
    if (fabs(a - b) > eps)
        fail_msg("%f is not %f (within %g)", a, b, eps);
}

/* Asserts one diagnostic whose message holds needle, at line:col. */
static void assert_diag(const pb_diags *d, pb_severity sev, const char *needle, int line, int col)
{
    const pb_diag *g = expect_diag(d, needle);
    assert_int_equal(g->severity, sev);
    assert_int_equal(g->line, line);
    assert_int_equal(g->col, col);
}

static char *read_all(const char *path, size_t *len)
{
    char *data;
    if (!pb_read_file(path, &data, len))
        fail_msg("cannot read %s", path);
    return data;
}

/* ---- report.yaml is the built-in design ---- */

static void test_report_yaml_is_builtin(void **state)
{
    (void)state;
    pb_style def, rep;
    pb_style_default(&def, A);
    size_t len;
    char *text = read_all(PB_SOURCE_DIR "/layout/report.yaml", &len);
    pb_diags d;
    pb_diags_init(&d);
    /* bare: nothing from the built-in design, so report.yaml must give every key */
    assert_true(pb_style_from_yaml(&rep, A, "report.yaml", text, len, true, NULL, NULL, &d));
    assert_int_equal(d.n, 0);
    pb_buf why;
    pb_buf_init(&why);
    if (!pb_style_equal(&def, &rep, &why))
        fail_msg("layout/report.yaml differs from the built-in design: %s", why.data);
    /* and on top of the built-in design, of course */
    assert_true(pb_style_from_yaml(&rep, A, "report.yaml", text, len, false, NULL, NULL, &d));
    assert_true(pb_style_equal(&def, &rep, NULL));
    pb_buf_free(&why);
    pb_diags_free(&d);
    free(text);

    /* and through the front matter's layout: report */
    pb_meta m = {0};
    m.layout = "report";
    m.layout_line = 2;
    m.layout_col = 9;
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&rep, A, NULL, &m, PB_SOURCE_DIR "/content/report.md", &d));
    assert_int_equal(d.n, 0);
    assert_true(pb_style_equal(&def, &rep, NULL));
    pb_diags_free(&d);
}

static void test_builtin_values(void **state)
{
    (void)state;
    pb_style s;
    pb_style_default(&s, A);
    assert_near(s.page_w, MM(210), 1e-3);
    assert_near(s.page_h, MM(297), 1e-3);
    assert_true(s.grid);
    assert_int_equal(s.chars_per_line, 38);
    assert_int_equal(s.lines_per_page, 35);
    assert_true(pb_style_measure(&s) == 456.0f);
    assert_true(pb_style_block_height(&s) == 700.0f);
    assert_near(s.margin_inner, (MM(210) - 456) / 2, 1e-3);
    assert_near(s.margin_outer, s.margin_inner, 1e-4);
    assert_near(s.margin_top, MM(26), 1e-3);
    assert_near(s.margin_bottom, MM(297) - MM(26) - 700, 1e-3);
    assert_true(s.body_size == 12.0f && s.line_pitch == 20.0f && s.para_indent == 24.0f);
    assert_int_equal(s.n_roles, 5);
    assert_string_equal(pb_style_role_lookup(&s, "body")->cjk, "Noto Serif CJK SC");
    assert_string_equal(pb_style_role_lookup(&s, "mono")->latin, "DejaVu Sans Mono");
    assert_string_equal(s.h[0].number_format, "{n}、");
    assert_int_equal(s.h[0].num, PB_NUM_CN);
    assert_string_equal(s.header_left, "{title}");
    assert_null(s.header_center);
    assert_string_equal(s.footer_center, "{page}");
    assert_true(s.h[0].page_break && !s.h[1].page_break); /* chapters on new pages */
    assert_string_equal(s.bullets[1], "○");
    assert_true(s.text_color.space == PB_CMYK && s.text_color.v[3] == 1.0f &&
                s.text_color.v[0] == 0 && s.text_color.v[1] == 0 && s.text_color.v[2] == 0);
    assert_true(s.marks_color.v[0] == 1 && s.marks_color.v[3] == 1);
    assert_true(s.code_background.v[3] == 0.06f);
}

/* ---- every key of the format ---- */

/* One sample per key, differing from the built-in design. */
static const struct {
    const char *key, *yaml;
} samples[] = {
    {"description", "description: 一个测试用的版式\n"},
    {"paper", "paper: B4\n"},
    {"orientation", "orientation: landscape\nlines-per-page: auto\n"},
    {"two-sided", "two-sided: true\n"},
    {"chapter-recto", "chapter-recto: true\n"},
    {"bleed", "bleed: 3mm\n"},
    {"crop-marks", "crop-marks: true\n"},
    {"margin", "margin: 20mm\n"},
    {"margin.top", "margin:\n  top: 30mm\n"},
    {"margin.bottom", "margin:\n  bottom: 20mm\n"},
    {"margin.inner", "margin:\n  inner: 30mm\n"},
    {"margin.outer", "margin:\n  outer: 30mm\n"},
    {"grid", "grid: false\n"},
    {"chars-per-line", "chars-per-line: 30\n"},
    {"lines-per-page", "lines-per-page: 30\n"},
    {"body-size", "body-size: 五号\n"},
    {"line-pitch", "line-pitch: 18pt\n"},
    {"paragraph.indent", "paragraph:\n  indent: 1字\n"},
    {"paragraph.space", "paragraph:\n  space: 6pt\n"},
    {"paragraph.full-width-punctuation", "paragraph:\n  full-width-punctuation: true\n"},
    {"color.text", "color:\n  text: cmyk(0, 0, 0, 0.9)\n"},
    {"color.rule", "color:\n  rule: rgb(255, 0, 0)\n"},
    {"color.link", "color:\n  link: \"#0000ff\"\n"},
    {"color.marks", "color:\n  marks: black\n"},
    {"fonts.ROLE", "fonts:\n  body: LXGW WenKai\n"},
    {"fonts.ROLE.cjk", "fonts:\n  body:\n    cjk: AR PL UMing CN\n"},
    {"fonts.ROLE.latin", "fonts:\n  body:\n    latin: none\n"},
    {"fonts.ROLE.weight", "fonts:\n  body:\n    weight: light\n"},
    {"hN.font", "h2:\n  font: body\n"},
    {"hN.size", "h2:\n  size: 小三\n"},
    {"hN.weight", "h2:\n  weight: 500\n"},
    {"hN.align", "h2:\n  align: center\n"},
    {"hN.before", "h2:\n  before: 1em\n"},
    {"hN.after", "h2:\n  after: 6pt\n"},
    {"hN.indent", "h2:\n  indent: 2字\n"},
    {"hN.number", "h2:\n  number: \"第{n}节\"\n"},
    {"hN.numbering", "h2:\n  numbering: roman\n"},
    {"hN.page-break", "h2:\n  page-break: true\n"},
    {"hN.toc", "h2:\n  toc: false\n"},
    {"hN.color", "h2:\n  color: gray(0.2)\n"},
    {"header.left", "header:\n  left: \"{page}\"\n"},
    {"header.center", "header:\n  center: \"{title}\"\n"},
    {"header.right", "header:\n  right: \"\"\n"},
    {"header.font", "header:\n  font: heading\n"},
    {"header.size", "header:\n  size: 10pt\n"},
    {"header.rule", "header:\n  rule: 0pt\n"},
    {"header.gap", "header:\n  gap: 10pt\n"},
    {"header.inset", "header:\n  inset: 1字\n"},
    {"footer.left", "footer:\n  left: \"{page}\"\n"},
    {"footer.center", "footer:\n  center: ~\n"},
    {"footer.right", "footer:\n  right: \"{page}/{pages}\"\n"},
    {"footer.font", "footer:\n  font: heading\n"},
    {"footer.size", "footer:\n  size: 四号\n"},
    {"footer.gap", "footer:\n  gap: 7mm\n"},
    {"footer.inset", "footer:\n  inset: 1字\n"},
    {"footnote.size", "footnote:\n  size: 10pt\n"},
    {"footnote.pitch", "footnote:\n  pitch: 15pt\n"},
    {"footnote.rule-length", "footnote:\n  rule-length: 0.5\n"},
    {"table.style", "table:\n  style: grid\n"},
    {"table.size", "table:\n  size: 小四\n"},
    {"table.pitch", "table:\n  pitch: 18pt\n"},
    {"table.rule-thick", "table:\n  rule-thick: 1.5pt\n"},
    {"table.rule-thin", "table:\n  rule-thin: 0.25pt\n"},
    {"table.padding", "table:\n  padding: 4pt\n"},
    {"caption.table", "caption:\n  table: \"Table {n}: {title}\"\n"},
    {"caption.continued", "caption:\n  continued: \"Table {n} (cont.)\"\n"},
    {"caption.figure", "caption:\n  figure: \"Fig. {n} {title}\"\n"},
    {"caption.size", "caption:\n  size: 9pt\n"},
    {"list.indent", "list:\n  indent: 1em\n"},
    {"list.bullets", "list:\n  bullets: [\"–\"]\n"},
    {"quote.indent", "quote:\n  indent: 4字\n"},
    {"quote.font", "quote:\n  font: body\n"},
    {"quote.size", "quote:\n  size: 五号\n"},
    {"code.size", "code:\n  size: 9pt\n"},
    {"code.pitch", "code:\n  pitch: 12pt\n"},
    {"code.background", "code:\n  background: white\n"},
    {"cover", "cover: false\n"},
    {"signature", "signature: true\n"},
    {"toc", "toc: true\n"},
    {"toc-depth", "toc-depth: 3\n"},
    {"toc-title", "toc-title: 目录\n"},
    {"abstract-title", "abstract-title: 提要\n"},
    {"title-size", "title-size: 小初\n"},
};

static void test_every_key(void **state)
{
    (void)state;
    pb_style def;
    pb_style_default(&def, A);
    /* the samples cover every key of the format, in its order */
    size_t n = 0;
    for (const char *k; (k = pb_style_key(n)); n++) {
        if (n >= PB_COUNT(samples) || strcmp(samples[n].key, k))
            fail_msg("key '%s' has no sample in test_every_key (add one)", k);
    }
    assert_int_equal(n, PB_COUNT(samples));
    for (size_t i = 0; i < PB_COUNT(samples); i++) {
        pb_style s;
        pb_diags d;
        bool ok = load(samples[i].yaml, &s, &d);
        if (!ok || d.n) {
            pb_diags_print(&d, stderr);
            fail_msg("sample for '%s' did not load cleanly", samples[i].key);
        }
        bool same = pb_style_equal(&def, &s, NULL);
        if (!strcmp(samples[i].key, "description"))
            assert_true(same); /* documentation only */
        else if (same)
            fail_msg("sample for '%s' changed nothing", samples[i].key);
        pb_diags_free(&d);
    }
}

static void test_key_values(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    assert_true(load("h2:\n  font: body\n  size: 小三\n  weight: 500\n  align: center\n"
                     "  before: 1em\n  after: 6pt\n  indent: 2字\n  number: \"第{n}节\"\n"
                     "  numbering: roman\n  page-break: true\n  toc: false\n  color: gray(0.2)\n"
                     "header: {left: \"{page}\", center: \"{title}\", right: \"\", font: heading,"
                     " size: 10pt, rule: 0pt, gap: 10pt, inset: 1字}\n"
                     "footer: {center: ~, right: \"{page}/{pages}\", size: 四号, inset: 1字}\n"
                     "footnote: {size: 10pt, pitch: 15pt, rule-length: 50%}\n"
                     "table: {style: grid, size: 小四, pitch: 18pt, rule-thick: 1.5pt,"
                     " rule-thin: 0.25pt, padding: 4pt}\n"
                     "caption: {table: \"Table {n}: {title}\", size: 9pt}\n"
                     "list: {indent: 1em, bullets: [\"-\", \"+\"]}\n"
                     "quote: {indent: 4字, font: body, size: 五号}\n"
                     "code: {size: 9pt, pitch: 12pt, background: white}\n"
                     "cover: false\ntoc: true\ntoc-depth: 3\ntoc-title: 目录\n"
                     "abstract-title: 提要\ntitle-size: 小初\n"
                     "two-sided: yes\nchapter-recto: on\nbleed: 0.125in\ncrop-marks: true\n",
                     &s, &d));
    assert_int_equal(d.n, 0);
    const pb_heading_style *h = &s.h[1];
    assert_string_equal(h->role, "body");
    assert_true(h->size == 15.0f && h->weight == 500 && h->align == 2);
    assert_true(h->before == 12.0f && h->after == 6.0f && h->indent == 24.0f);
    assert_string_equal(h->number_format, "第{n}节");
    assert_int_equal(h->num, PB_NUM_ROMAN);
    assert_true(h->page_break && !h->in_toc);
    assert_true(h->color.space == PB_CMYK && fabsf(h->color.v[3] - 0.8f) < 1e-6f);
    assert_string_equal(s.header_left, "{page}");
    assert_string_equal(s.header_center, "{title}");
    assert_null(s.header_right);
    assert_string_equal(s.header_role, "heading");
    assert_true(s.header_size == 10 && s.header_rule == 0 && s.header_gap == 10 &&
                s.header_inset == 12);
    assert_null(s.footer_center);
    assert_string_equal(s.footer_right, "{page}/{pages}");
    assert_true(s.footer_size == 14 && s.footer_inset == 12);
    assert_true(s.note_size == 10 && s.note_pitch == 15 && s.note_rule_width == 0.5f);
    assert_int_equal(s.table_style, PB_TABLE_GRID);
    assert_true(s.table_size == 12 && s.table_pitch == 18 && s.table_rule_thick == 1.5f &&
                s.table_rule_thin == 0.25f && s.table_pad == 4);
    assert_string_equal(s.table_caption, "Table {n}: {title}");
    assert_string_equal(s.table_continued, "续表{n}");
    assert_true(s.caption_size == 9);
    assert_true(s.list_indent == 12);
    assert_string_equal(s.bullets[0], "-");
    assert_string_equal(s.bullets[1], "+");
    assert_string_equal(s.bullets[2], "+"); /* the last one serves deeper levels */
    assert_true(s.quote_indent == 48 && s.quote_size == 10.5f);
    assert_string_equal(s.quote_role, "body");
    assert_true(s.code_size == 9 && s.code_pitch == 12 && s.code_background.v[3] == 0);
    assert_true(!s.cover && s.toc && s.toc_depth == 3);
    assert_string_equal(s.toc_title, "目录");
    assert_string_equal(s.abstract_title, "提要");
    assert_true(s.title_size == 36);
    assert_true(s.two_sided && s.chapter_recto && s.crop_marks && s.bleed == 9.0f);
    pb_diags_free(&d);
}

/* ---- units ---- */

static void test_units(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        double pt;
    } lens[] = {{"12pt", 12},      {"10mm", MM(10)}, {"1cm", MM(10)},   {"0.5in", 36},
                {"1.5em", 18},     {"2字", 24},      {"0", 0},          {"3 mm", MM(3)},
                {"0.25 字", 3},    {"+4pt", 4}};
    for (size_t i = 0; i < PB_COUNT(lens); i++) {
        char y[64];
        snprintf(y, sizeof y, "paragraph:\n  indent: %s\n", lens[i].v);
        pb_style s;
        pb_diags d;
        assert_true(load(y, &s, &d));
        assert_near(s.para_indent, lens[i].pt, 1e-4);
        pb_diags_free(&d);
    }
    /* em and 字 follow the final body size, wherever it was set */
    pb_style s;
    pb_diags d;
    assert_true(load("paragraph: {indent: 2字}\nbody-size: 三号\nchars-per-line: 30\n", &s, &d));
    assert_true(s.para_indent == 32 && s.list_indent == 32 && s.h[2].indent == 32);
    pb_diags_free(&d);

    static const struct {
        const char *name;
        float pt;
    } hao[] = {{"初号", 42}, {"小初", 36}, {"一号", 26},   {"小一", 24},   {"二号", 22},
               {"小二", 18}, {"三号", 16}, {"小三", 15},   {"四号", 14},   {"小四", 12},
               {"五号", 10.5f}, {"小五", 9}, {"六号", 7.5f}, {"小六", 6.5f}, {"七号", 5.5f},
               {"八号", 5}};
    for (size_t i = 0; i < PB_COUNT(hao); i++) {
        char y[128];
        /* a margin-set block, so that big sizes still fit the page */
        snprintf(y, sizeof y, "body-size: %s\nmargin: 20mm\nline-pitch: 1.2em\n", hao[i].name);
        assert_true(load(y, &s, &d));
        if (s.body_size != hao[i].pt)
            fail_msg("%s is %gpt, not %gpt", hao[i].name, (double)s.body_size, (double)hao[i].pt);
        pb_diags_free(&d);
    }

    /* bad lengths */
    assert_false(load("paragraph:\n  indent: 12\n", &s, &d));
    assert_diag(&d, PB_ERROR, "needs a unit", 2, 11);
    pb_diags_free(&d);
    assert_false(load("paragraph:\n  indent: 12px\n", &s, &d));
    assert_diag(&d, PB_ERROR, "bad length '12px'", 2, 11);
    assert_non_null(pb_diags_find(&d, "pt, mm, cm, in, em or 字"));
    pb_diags_free(&d);
    assert_false(load("header:\n  gap: -3mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "must not be negative", 2, 8);
    pb_diags_free(&d);
    assert_false(load("body-size: 2em\n", &s, &d));
    assert_diag(&d, PB_ERROR, "cannot be in em or 字", 1, 12);
    pb_diags_free(&d);
    assert_false(load("h1:\n  size: 大号\n", &s, &d));
    assert_diag(&d, PB_ERROR, "bad size '大号'", 2, 9);
    assert_non_null(pb_diags_find(&d, "小四"));
    pb_diags_free(&d);
    assert_false(load("h1:\n  size: 600pt\n", &s, &d));
    assert_diag(&d, PB_ERROR, "outside", 2, 9);
    pb_diags_free(&d);
}

/* ---- paper ---- */

static void test_paper(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        double w, h;
    } papers[] = {{"A4", MM(210), MM(297)},     {"a5", MM(148), MM(210)},
                  {"B5", MM(176), MM(250)},     {"B5-JIS", MM(182), MM(257)},
                  {"Letter", 612, 792},         {"16开", MM(185), MM(260)},
                  {"大32开", MM(140), MM(203)}, {"185mm x 260mm", MM(185), MM(260)},
                  {"6in × 9in", 432, 648},      {"A3", MM(297), MM(420)}};
    for (size_t i = 0; i < PB_COUNT(papers); i++) {
        char y[128];
        snprintf(y, sizeof y, "paper: %s\nmargin: 15mm\n", papers[i].v);
        pb_style s;
        pb_diags d;
        if (!load(y, &s, &d)) {
            pb_diags_print(&d, stderr);
            fail_msg("paper %s", papers[i].v);
        }
        assert_near(s.page_w, papers[i].w, 0.01);
        assert_near(s.page_h, papers[i].h, 0.01);
        pb_diags_free(&d);
    }
    pb_style s;
    pb_diags d;
    assert_true(load("paper: A4\norientation: landscape\nlines-per-page: auto\n", &s, &d));
    assert_near(s.page_w, MM(297), 0.01);
    assert_near(s.page_h, MM(210), 0.01);
    /* whole lines of 20pt between the 26mm margins, the rest below */
    assert_int_equal(s.lines_per_page, 22);
    assert_true(pb_style_block_height(&s) == 440.0f);
    pb_diags_free(&d);
    assert_true(load("paper: 300mm x 200mm\norientation: portrait\nmargin: 20mm\n", &s, &d));
    assert_near(s.page_w, MM(200), 0.01);
    pb_diags_free(&d);
    /* without an orientation, as written */
    assert_true(load("paper: 300mm x 200mm\nmargin: 20mm\n", &s, &d));
    assert_near(s.page_w, MM(300), 0.01);
    pb_diags_free(&d);

    assert_false(load("paper: A7\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown paper 'A7'", 1, 8);
    assert_non_null(pb_diags_find(&d, "16开"));
    pb_diags_free(&d);
    assert_false(load("orientation: sideways\n", &s, &d));
    assert_diag(&d, PB_ERROR, "use one of: portrait, landscape", 1, 14);
    pb_diags_free(&d);
    assert_false(load("paper: 1mm x 20m\n", &s, &d));
    pb_diags_free(&d);
}

/* ---- colours ---- */

static void test_colors(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        int space;
        float c[4];
    } cols[] = {{"black", PB_CMYK, {0, 0, 0, 1}},
                {"registration", PB_CMYK, {1, 1, 1, 1}},
                {"white", PB_CMYK, {0, 0, 0, 0}},
                {"cmyk(0.1, 0.2, 0.3, 0.4)", PB_CMYK, {0.1f, 0.2f, 0.3f, 0.4f}},
                {"cmyk(100%, 0%, 50%, 0%)", PB_CMYK, {1, 0, 0.5f, 0}},
                {"rgb(255, 0, 51)", PB_RGB, {1, 0, 0.2f, 0}},
                {"\"#ff8000\"", PB_RGB, {1, 128.0f / 255, 0, 0}},
                {"gray(0.25)", PB_CMYK, {0, 0, 0, 0.75f}},
                {"gray(90%)", PB_CMYK, {0, 0, 0, 0.1f}}};
    for (size_t i = 0; i < PB_COUNT(cols); i++) {
        char y[128];
        snprintf(y, sizeof y, "color:\n  link: %s\n", cols[i].v);
        pb_style s;
        pb_diags d;
        assert_true(load(y, &s, &d));
        assert_int_equal(s.link_color.space, cols[i].space);
        for (int k = 0; k < 4; k++)
            assert_near(s.link_color.v[k], cols[i].c[k], 1e-5);
        pb_diags_free(&d);
    }
    static const char *const bad[] = {"blue", "cmyk(1, 2, 0, 0)", "rgb(1, 2)", "#12345",
                                      "gray(2)"};
    for (size_t i = 0; i < PB_COUNT(bad); i++) {
        char y[128];
        snprintf(y, sizeof y, "color:\n  text: \"%s\"\n", bad[i]);
        pb_style s;
        pb_diags d;
        assert_false(load(y, &s, &d));
        assert_diag(&d, PB_ERROR, "bad colour", 2, 9);
        assert_non_null(pb_diags_find(&d, "cmyk(c, m, y, k)"));
        pb_diags_free(&d);
    }
}

/* ---- geometry ---- */

static void test_gov_geometry(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&s, A, PB_SOURCE_DIR "/layout/gov.yaml", NULL, NULL, &d));
    assert_int_equal(d.n, 0);
    /* GB/T 9704: 天头 37mm, 订口 28mm, 22 lines of 28 三号 characters */
    assert_true(s.body_size == 16.0f && s.grid);
    assert_int_equal(s.chars_per_line, 28);
    assert_int_equal(s.lines_per_page, 22);
    assert_true(pb_style_measure(&s) == 448.0f);
    assert_true(pb_style_block_height(&s) == 22 * s.line_pitch);
    assert_near(pb_style_block_height(&s), MM(225), 1e-3);
    assert_near(s.line_pitch, MM(225) / 22, 1e-4);
    assert_near(s.margin_top, MM(37), 1e-4);
    assert_near(s.margin_bottom, MM(35), 1e-4);
    assert_near(s.margin_inner, MM(28), 1e-4);
    assert_near(s.margin_outer, MM(210) - MM(28) - 448, 1e-3);
    assert_true(s.two_sided && !s.cover && !s.toc && s.signature);
    assert_null(s.header_left);
    assert_null(s.header_right);
    assert_string_equal(s.footer_right, "— {page} —");
    assert_true(s.footer_size == 14 && s.footer_inset == 16);
    assert_string_equal(s.h[0].role, "heading");
    assert_string_equal(s.h[1].role, "kai");
    assert_string_equal(pb_style_role_lookup(&s, "kai")->cjk, "LXGW WenKai");
    assert_true(s.h[2].weight == 700);
    assert_string_equal(s.h[3].number_format, "（{n}）");
    pb_diags_free(&d);
}

static void test_en_layout(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&s, A, "en", NULL, PB_SOURCE_DIR "/content/report.md", &d));
    assert_int_equal(d.n, 0);
    assert_false(s.grid);
    assert_int_equal(s.chars_per_line, 0);
    assert_near(pb_style_measure(&s), MM(150), 1e-3);
    assert_near(pb_style_block_height(&s), MM(237), 1e-3);
    assert_string_equal(s.toc_title, "Contents");
    assert_string_equal(s.table_caption, "Table {n}. {title}");
    assert_string_equal(s.table_continued, "Table {n} (continued)");
    assert_string_equal(s.figure_caption, "Figure {n}. {title}");
    int counters[6] = {2, 3, 1, 0, 0, 0};
    pb_buf b;
    pb_buf_init(&b);
    pb_style_heading_number(&s, 1, counters, &b);
    assert_string_equal(b.data, "2 ");
    pb_buf_reset(&b);
    pb_style_heading_number(&s, 2, counters, &b);
    assert_string_equal(b.data, "2.3 ");
    pb_buf_reset(&b);
    pb_style_heading_number(&s, 3, counters, &b);
    assert_string_equal(b.data, "2.3.1 ");
    pb_buf_free(&b);
    pb_diags_free(&d);
}

static void test_heading_numbers(void **state)
{
    (void)state;
    pb_style s;
    pb_style_default(&s, A);
    int counters[6] = {12, 3, 4, 5, 2, 4};
    static const char *const want[6] = {"十二、", "（三）", "4.", "（5）", "b)", "iv)"};
    for (int lv = 1; lv <= 6; lv++) {
        pb_buf b;
        pb_buf_init(&b);
        pb_style_heading_number(&s, lv, counters, &b);
        assert_string_equal(b.data, want[lv - 1]);
        pb_buf_free(&b);
    }
    pb_diags d;
    assert_false(load("h2:\n  number: \"{n}.{x}\"\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown placeholder '{x}'", 2, 11);
    assert_non_null(pb_diags_find(&d, "{n} {1} {2}"));
    pb_diags_free(&d);
    assert_false(load("h2:\n  numbering: hebrew\n", &s, &d));
    assert_diag(&d, PB_ERROR, "use one of: chinese, arabic, roman, alpha, none", 2, 14);
    pb_diags_free(&d);
}

/* Later layers win; a quantity given in an earlier layer yields to them. */
static void test_geometry_layers(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    /* top moved: the 35 lines stay, the bottom margin shrinks */
    assert_true(load("margin: {top: 30mm}\n", &s, &d));
    assert_int_equal(s.lines_per_page, 35);
    assert_near(s.margin_top, MM(30), 1e-4);
    assert_near(s.margin_bottom, MM(297) - MM(30) - 700, 1e-3);
    pb_diags_free(&d);
    /* both vertical margins: the count of lines yields; whole lines, rest below */
    assert_true(load("margin: {top: 30mm, bottom: 30mm}\n", &s, &d));
    assert_int_equal(s.lines_per_page, 33); /* 237mm = 671.8pt of 20pt lines */
    assert_true(pb_style_block_height(&s) == 660.0f);
    assert_near(s.margin_bottom, MM(297) - MM(30) - 660, 1e-3);
    pb_diags_free(&d);
    /* both horizontal margins: characters per line yield; whole characters, the
     * rest shared by the margins */
    assert_true(load("margin: {inner: 20mm, outer: 20mm}\n", &s, &d));
    assert_int_equal(s.chars_per_line, 40); /* 170mm = 481.9pt */
    assert_true(pb_style_measure(&s) == 480.0f);
    assert_near(s.margin_inner, MM(20) + (MM(170) - 480) / 2, 1e-3);
    pb_diags_free(&d);
    /* a whole design without a grid */
    assert_true(load("grid: false\nmargin: 25mm\n", &s, &d));
    assert_int_equal(s.chars_per_line, 0);
    assert_int_equal(s.lines_per_page, 0);
    assert_near(pb_style_measure(&s), MM(160), 1e-3);
    assert_near(pb_style_block_height(&s), MM(247), 1e-3);
    pb_diags_free(&d);
    /* pitch from the lines between given margins */
    assert_true(load("margin: {top: 20mm, bottom: 20mm}\nlines-per-page: 40\nline-pitch: auto\n",
                     &s, &d));
    assert_near(s.line_pitch, MM(257) / 40, 1e-4);
    pb_diags_free(&d);
    /* the body size changes the measure of a character grid */
    assert_true(load("body-size: 五号\n", &s, &d));
    assert_true(pb_style_measure(&s) == 38 * 10.5f);
    assert_near(s.margin_inner, (MM(210) - 399) / 2, 1e-3);
    pb_diags_free(&d);
}

static void test_geometry_errors(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    /* everything in one file: over-determined, at the last of them */
    assert_false(load("margin:\n  top: 20mm\n  bottom: 20mm\nlines-per-page: 30\n"
                      "line-pitch: 20pt\n",
                      &s, &d));
    assert_diag(&d, PB_ERROR, "over-determined", 5, 13);
    assert_non_null(pb_diags_find(&d, "margin.bottom, lines-per-page, line-pitch and margin.top"));
    pb_diags_free(&d);
    assert_false(load("chars-per-line: 30\nmargin:\n  inner: 20mm\n  outer: 20mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "over-determined", 4, 10);
    pb_diags_free(&d);
    /* margins wider than the page */
    assert_false(load("margin:\n  inner: 100mm\n  outer: 120mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "impossible geometry", 3, 10);
    assert_non_null(pb_diags_find(&d, "210.0mm wide"));
    pb_diags_free(&d);
    /* a body size whose 38 characters no longer fit: at the body size */
    assert_false(load("paper: A4\nbody-size: 三号\n", &s, &d));
    assert_diag(&d, PB_ERROR, "(38 characters of 16pt)", 2, 12);
    pb_diags_free(&d);
    assert_false(load("margin:\n  inner: 150mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "impossible geometry", 2, 10);
    pb_diags_free(&d);
    assert_false(load("lines-per-page: 60\n", &s, &d));
    assert_diag(&d, PB_ERROR, "60 lines of 20.00pt", 1, 17);
    pb_diags_free(&d);
    assert_false(load("line-pitch: 8pt\nlines-per-page: 35\n", &s, &d));
    assert_diag(&d, PB_ERROR, "less than the body size", 2, 17);
    pb_diags_free(&d);
    assert_false(load("chars-per-line: auto\n", &s, &d));
    assert_diag(&d, PB_ERROR, "measure is not set", 1, 17);
    pb_diags_free(&d);
    assert_false(load("line-pitch: auto\nlines-per-page: auto\n", &s, &d));
    assert_diag(&d, PB_ERROR, "line-pitch: auto needs lines-per-page", 2, 17);
    pb_diags_free(&d);
    assert_false(load("chars-per-line: 0\n", &s, &d));
    assert_diag(&d, PB_ERROR, "from 1 to 500", 1, 17);
    pb_diags_free(&d);
    assert_false(load("bleed: 200mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "too large", 1, 8);
    pb_diags_free(&d);
}

/* ---- fonts ---- */

static void test_font_roles(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    assert_true(load("fonts:\n  kai: {cjk: LXGW WenKai, latin: none, weight: 300}\n"
                     "  heading: WenQuanYi Micro Hei\n"
                     "h2: {font: kai}\n",
                     &s, &d));
    const pb_style_role *r = pb_style_role_lookup(&s, "kai");
    assert_non_null(r);
    assert_string_equal(r->cjk, "LXGW WenKai");
    assert_null(r->latin);
    assert_int_equal(r->weight, 300);
    assert_string_equal(r->cjk_file, "t.yaml");
    assert_int_equal(r->cjk_line, 2);
    assert_int_equal(r->cjk_col, 14);
    r = pb_style_role_lookup(&s, "heading");
    assert_string_equal(r->cjk, "WenQuanYi Micro Hei");
    assert_string_equal(r->latin, "WenQuanYi Micro Hei");
    assert_int_equal(s.n_roles, 6);
    pb_diags_free(&d);

    assert_false(load("fonts:\n  kai: {cjk: LXGW WenKai}\nh2:\n  font: kia\n", &s, &d));
    assert_diag(&d, PB_ERROR, "no font role 'kia' (did you mean 'kai'?)", 4, 9);
    pb_diags_free(&d);
    assert_false(load("fonts:\n  fang:\n    latin: Nimbus Roman\n", &s, &d));
    assert_diag(&d, PB_ERROR, "has no cjk family", 3, 12);
    pb_diags_free(&d);
    assert_false(load("fonts:\n  body:\n    weight: heavyish\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown value 'heavyish'", 3, 13);
    pb_diags_free(&d);
    assert_false(load("fonts:\n  body:\n    cjk: none\n", &s, &d));
    assert_diag(&d, PB_ERROR, "needs a font family", 3, 10);
    pb_diags_free(&d);
}

/* ---- errors in layout files ---- */

static void test_layout_errors(void **state)
{
    (void)state;
    pb_style s;
    pb_diags d;
    assert_false(load("paper: A4\nmargn:\n  top: 3mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown key 'margn.top' (did you mean 'margin.top'?)", 3, 3);
    pb_diags_free(&d);
    assert_false(load("margin:\n  tpo: 3mm\n", &s, &d));
    assert_diag(&d, PB_ERROR, "did you mean 'margin.top'?", 2, 3);
    assert_non_null(
        pb_diags_find(&d, "valid keys in margin: top, bottom, inner, outer, left, right"));
    pb_diags_free(&d);
    assert_false(load("colour: {text: black}\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown key 'colour.text' (did you mean 'color.text'?)", 1, 10);
    pb_diags_free(&d);
    assert_false(load("papper: A4\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown key 'papper' (did you mean 'paper'?)", 1, 1);
    assert_non_null(pb_diags_find(&d, "valid keys: paper, orientation"));
    assert_non_null(pb_diags_find(&d, "h1..h6"));
    pb_diags_free(&d);
    assert_false(load("h3:\n  sise: 12pt\n", &s, &d));
    assert_diag(&d, PB_ERROR, "did you mean 'h3.size'?", 2, 3);
    pb_diags_free(&d);
    assert_false(load("table:\n  style: three-lines\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown value 'three-lines' (did you mean 'three-line'?)", 2, 10);
    assert_non_null(pb_diags_find(&d, "use one of: three-line, grid, plain"));
    pb_diags_free(&d);
    assert_false(load("h1: bold\n", &s, &d));
    assert_diag(&d, PB_ERROR, "'h1' is a group of keys", 1, 1);
    pb_diags_free(&d);
    assert_false(load("toc-title: [a, b]\n", &s, &d));
    assert_diag(&d, PB_ERROR, "takes one value, not a list", 1, 12);
    pb_diags_free(&d);
    assert_false(load("list:\n  bullets: [a, b, c, d]\n", &s, &d));
    assert_diag(&d, PB_ERROR, "one to three bullets", 2, 12);
    pb_diags_free(&d);
    assert_false(load("cover: maybe\n", &s, &d));
    assert_diag(&d, PB_ERROR, "'maybe' is not true or false", 1, 8);
    pb_diags_free(&d);
    assert_false(load("toc-depth: 9\n", &s, &d));
    assert_diag(&d, PB_ERROR, "from 1 to 6", 1, 12);
    pb_diags_free(&d);
    assert_false(load("header:\n  left: \"{titel}\"\n", &s, &d));
    assert_diag(&d, PB_ERROR, "unknown placeholder '{titel}'", 2, 9);
    assert_non_null(pb_diags_find(&d, "{title} {chapter} {page} {pages}"));
    pb_diags_free(&d);
    assert_false(load("footnote: {rule-length: 150%}\n", &s, &d));
    assert_diag(&d, PB_ERROR, "not a fraction", 1, 25);
    pb_diags_free(&d);
    assert_false(load("margin: [1, 2\n", &s, &d));
    assert_non_null(pb_diags_find(&d, "not valid YAML"));
    pb_diags_free(&d);
    assert_false(load("- a\n- b\n", &s, &d));
    assert_diag(&d, PB_ERROR, "mapping of keys to values", 1, 1);
    pb_diags_free(&d);
    /* a key given twice: a warning, the later one counts */
    assert_true(load("cover: false\ncover: true\n", &s, &d));
    assert_diag(&d, PB_WARNING, "given twice", 2, 1);
    assert_true(s.cover);
    pb_diags_free(&d);
    /* a dotted key is the nested form */
    assert_true(load("margin.top: 30mm\n", &s, &d));
    assert_near(s.margin_top, MM(30), 1e-4);
    pb_diags_free(&d);
    /* left/right are inner/outer */
    assert_true(load("margin: {left: 30mm}\n", &s, &d));
    assert_near(s.margin_inner, MM(30), 1e-4);
    pb_diags_free(&d);
}

/* ---- the document's front matter ---- */

static pb_doc *doc_of(const char *src, pb_diags *d)
{
    pb_diags_init(d);
    pb_doc *doc = pb_doc_parse(PB_SOURCE_DIR "/content/t.md", src, strlen(src), d);
    assert_non_null(doc);
    return doc;
}

static void test_front_matter_overrides(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = doc_of("---\n"
                         "title: T\n"
                         "margin: {top: 30mm}\n"
                         "body-size: 五号\n"
                         "geometry: margin=2cm\n"
                         "mainfont: P052\n"
                         "fontsize: 11pt\n"
                         "---\n"
                         "正文\n",
                         &d);
    pb_style s;
    assert_true(pb_style_resolve(&s, A, NULL, &doc->meta, doc->file, &d));
    assert_near(s.margin_top, MM(30), 1e-4);
    assert_true(s.body_size == 11); /* fontsize (Pandoc) came later */
    assert_true(s.para_indent == 22);
    assert_string_equal(pb_style_role_lookup(&s, "body")->latin, "P052");
    /* Pandoc's own keys are not errors: warned and ignored */
    assert_diag(&d, PB_WARNING, "unknown front matter key 'geometry'", 5, 1); /* at the key */
    assert_int_equal(d.n_errors, 0);
    pb_doc_free(doc);
    pb_diags_free(&d);

    doc = doc_of("---\nlayout: gov\nbody-size: 五\nmargin:\n  top: 99cm\n---\n正文\n", &d);
    assert_false(pb_style_resolve(&s, A, NULL, &doc->meta, doc->file, &d));
    assert_diag(&d, PB_ERROR, "bad size '五'", 3, 12);
    assert_diag(&d, PB_ERROR, "impossible geometry", 5, 8);
    assert_non_null(strstr(pb_diags_find(&d, "bad size")->file, "content/t.md"));
    pb_doc_free(doc);
    pb_diags_free(&d);

    /* the front matter's layout, and --layout winning over it */
    doc = doc_of("---\nlayout: gov\nbleed: 3mm\n---\n正文\n", &d);
    assert_true(pb_style_resolve(&s, A, NULL, &doc->meta, doc->file, &d));
    assert_true(s.body_size == 16 && s.bleed > 8.5f);
    assert_true(pb_style_resolve(&s, A, "layout/en.yaml", &doc->meta, doc->file, &d));
    assert_true(s.body_size == 11 && s.bleed > 8.5f);
    assert_int_equal(d.n, 0);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_layout_lookup(void **state)
{
    (void)state;
    pb_diags d;
    pb_style s;
    pb_doc *doc = doc_of("---\ntitle: T\nlayout: gvo\n---\n正文\n", &d);
    assert_false(pb_style_resolve(&s, A, NULL, &doc->meta, doc->file, &d));
    assert_diag(&d, PB_ERROR, "layout 'gvo' not found (did you mean 'gov'?)", 3, 9);
    assert_non_null(pb_diags_find(&d, "layouts there: en, gov, report"));
    assert_non_null(pb_diags_find(&d, "content/layout/gvo.yaml"));
    /* still a whole design for callers that go on */
    assert_true(s.body_size == 12);
    pb_doc_free(doc);
    pb_diags_free(&d);

    /* a path in the front matter is relative to the document */
    doc = doc_of("---\nlayout: ../layout/gov.yaml\n---\n正文\n", &d);
    assert_true(pb_style_resolve(&s, A, NULL, &doc->meta, doc->file, &d));
    assert_true(s.body_size == 16);
    pb_doc_free(doc);
    pb_diags_free(&d);
    doc = doc_of("---\nlayout: missing.yaml\n---\n正文\n", &d);
    assert_false(pb_style_resolve(&s, A, NULL, &doc->meta, doc->file, &d));
    assert_diag(&d, PB_ERROR, "cannot read layout file 'missing.yaml'", 2, 9);
    pb_doc_free(doc);
    pb_diags_free(&d);

    /* --layout: a path, or a name */
    pb_diags_init(&d);
    assert_false(pb_style_resolve(&s, A, "no/such.yaml", NULL, "x.md", &d));
    assert_non_null(pb_diags_find(&d, "cannot read layout file 'no/such.yaml'"));
    pb_diags_free(&d);
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&s, A, "gov", NULL, "x.md", &d));
    assert_true(s.body_size == 16);
    pb_diags_free(&d);
}

/* The shipped designs are built into the binary: a document in a folder with no
 * layout/ anywhere near still finds them by name, and a user's own layout/gov.yaml
 * next to the document wins over the built-in one. */
static void test_builtin_layouts(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char dir[] = "/tmp/pb-style-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir("sub", 0700), 0);
    assert_int_equal(chdir("sub"), 0); /* the document's folder; its parent is ours */

    pb_diags d;
    pb_style s;
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&s, A, "gov", NULL, "x.md", &d));
    assert_int_equal(d.n, 0);
    assert_true(s.body_size == 16);
    assert_true(s.grid);
    assert_int_equal(s.chars_per_line, 28);
    assert_null(s.layout_file); /* nothing to watch */
    pb_diags_free(&d);

    pb_doc *doc = doc_of("---\ntitle: T\nlayout: en\n---\ntext\n", &d);
    assert_true(pb_style_resolve(&s, A, NULL, &doc->meta, "x.md", &d));
    assert_string_equal(s.toc_title, "Contents");
    pb_doc_free(doc);
    pb_diags_free(&d);

    pb_diags_init(&d);
    assert_false(pb_style_resolve(&s, A, "gv", NULL, "x.md", &d));
    assert_non_null(pb_diags_find(&d, "layout 'gv' not found (did you mean 'gov'?)"));
    assert_non_null(pb_diags_find(&d, "(looked for layout/gv.yaml, ../layout/gv.yaml)"));
    assert_non_null(pb_diags_find(&d, "layouts there: none; built in: en, gov, report"));
    pb_diags_free(&d);

    /* a gov.yaml of one's own wins: in the parent folder's layout/ ... */
    assert_int_equal(mkdir("../layout", 0700), 0);
    FILE *f = fopen("../layout/gov.yaml", "w");
    assert_non_null(f);
    fputs("toc-title: 上级目录\n", f);
    fclose(f);
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&s, A, "gov", NULL, "x.md", &d));
    assert_string_equal(s.toc_title, "上级目录");
    assert_true(s.body_size == 12); /* on the built-in report design, not gov */
    assert_string_equal(s.layout_file, "../layout/gov.yaml");
    pb_diags_free(&d);
    /* ... and before it, the one next to the document */
    assert_int_equal(mkdir("layout", 0700), 0);
    f = fopen("layout/gov.yaml", "w");
    assert_non_null(f);
    fputs("toc-title: 我的目录\n", f);
    fclose(f);
    pb_diags_init(&d);
    assert_true(pb_style_resolve(&s, A, "gov", NULL, "x.md", &d));
    assert_string_equal(s.toc_title, "我的目录");
    assert_string_equal(s.layout_file, "layout/gov.yaml");
    pb_diags_free(&d);

    assert_int_equal(unlink("layout/gov.yaml"), 0);
    assert_int_equal(rmdir("layout"), 0);
    assert_int_equal(unlink("../layout/gov.yaml"), 0);
    assert_int_equal(rmdir("../layout"), 0);
    assert_int_equal(chdir(cwd), 0);
    char sub[sizeof dir + 4];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_yaml_is_builtin),
        cmocka_unit_test(test_builtin_values),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_key_values),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_paper),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_gov_geometry),
        cmocka_unit_test(test_en_layout),
        cmocka_unit_test(test_heading_numbers),
        cmocka_unit_test(test_geometry_layers),
        cmocka_unit_test(test_geometry_errors),
        cmocka_unit_test(test_font_roles),
        cmocka_unit_test(test_layout_errors),
        cmocka_unit_test(test_front_matter_overrides),
        cmocka_unit_test(test_layout_lookup),
        cmocka_unit_test(test_builtin_layouts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
