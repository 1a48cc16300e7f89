/* test_table.c - tables (CJK.md rules 15-16): the rules of the three-line, grid and
 * plain styles, captions, column widths (short label columns kept whole, the
 * measure filled), numbers in tabular figures on the decimal point, page breaks
 * with 续表 and the header repeated, rows taller than a page split by lines, keep
 * chains, and bad tables (ragged rows, empty tables, too many columns). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "typeset/typeset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static pb_fontreg *reg;
static pb_text *text;

static int setup(void **state)
{
    (void)state;
    reg = pb_fontreg_new(NULL, 0);
    text = pb_text_new(reg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pb_text_free(text);
    pb_fontreg_free(reg);
    return 0;
}

/* A document laid out into its vertical list (not paginated). */
typedef struct laid {
    pb_diags d;
    pb_doc *doc;
    pb_arena *sa;
    pb_style st;
    pb_pages *pages;
    ts T;
    vlist body;
} laid;

static laid *lay_out(const char *md, pb_table_kind kind)
{
    laid *l = pb_xcalloc(1, sizeof *l);
    pb_diags_init(&l->d);
    l->doc = pb_doc_parse("t.md", md, strlen(md), &l->d);
    assert_non_null(l->doc);
    l->sa = pb_arena_new();
    pb_style_default(&l->st, l->sa);
    l->st.table_style = kind;
    l->pages = pb_pages_new();
    ts_init(&l->T, text, l->doc, &l->st, &l->d, l->pages);
    pb_flow_blocks(&l->T, &l->body, l->doc->root->children, l->doc->root->n_children, 0,
                   l->T.measure);
    return l;
}

static void laid_free(laid *l)
{
    free_tables(&l->body);
    vlist_free(&l->body);
    ts_free(&l->T);
    pb_pages_free(l->pages);
    pb_doc_free(l->doc);
    pb_arena_free(l->sa);
    pb_diags_free(&l->d);
    free(l);
}

/* The text of a --dump=MODE of md, with the default design. */
static char *dump(const char *md, int pages, pb_diags *d)
{
    pb_diags_init(d);
    pb_doc *doc = pb_doc_parse("t.md", md, strlen(md), d);
    assert_non_null(doc);
    pb_arena *sa = pb_arena_new();
    pb_style st;
    pb_style_default(&st, sa);
    pb_buf b;
    pb_buf_init(&b);
    if (pages)
        pb_typeset_dump_pages(text, doc, &st, &b, d);
    else
        pb_typeset_dump_lines(text, doc, &st, &b, d);
    pb_arena_free(sa);
    pb_doc_free(doc);
    return b.data ? b.data : pb_xstrdup("");
}

static const char three_rows[] = "表：城市人口\n\n"
                                 "| 城市 | 人口 |\n"
                                 "| :--- | ---: |\n"
                                 "| 北京 | 2185 |\n"
                                 "| 上海 | 2478 |\n"
                                 "| 天津 | 1362 |\n";

/* Rules of a vitem: full-width horizontal ones by thickness, and vertical ones. */
static void count_rules(const vitem *v, float width, int *thick, int *thin, int *vertical)
{
    for (size_t k = 0; k < v->n_items; k++) {
        const pb_item *it = &v->items[k];
        if (it->kind != PB_ITEM_RECT)
            continue;
        if (it->u.rect.w > it->u.rect.h && fabsf(it->u.rect.w - width) < 0.01f)
            (it->u.rect.h > 0.75f ? (*thick)++ : (*thin)++);
        else if (it->u.rect.h > it->u.rect.w)
            (*vertical)++;
    }
}

static void test_three_line(void **state)
{
    (void)state;
    laid *l = lay_out(three_rows, PB_TABLE_THREE_LINE);
    int thick = 0, thin = 0, vertical = 0, rows = 0, captions = 0;
    for (size_t i = 0; i < l->body.n; i++) {
        const vitem *v = &l->body.v[i];
        captions += v->caption;
        if (!v->table)
            continue;
        rows++;
        count_rules(v, l->T.measure, &thick, &thin, &vertical);
    }
    assert_int_equal(rows, 4);
    assert_int_equal(captions, 1);
    /* rule 15: thick top and bottom, thin under the header, nothing vertical */
    assert_int_equal(thick, 2);
    assert_int_equal(thin, 1);
    assert_int_equal(vertical, 0);
    assert_int_equal(l->T.n_tables, 1);
    laid_free(l);
}

static void test_grid_and_plain(void **state)
{
    (void)state;
    laid *l = lay_out(three_rows, PB_TABLE_GRID);
    int thick = 0, thin = 0, vertical = 0;
    for (size_t i = 0; i < l->body.n; i++)
        if (l->body.v[i].table)
            count_rules(&l->body.v[i], l->T.measure, &thick, &thin, &vertical);
    assert_int_equal(thick, 2);
    assert_int_equal(thin, 3);         /* under every row but the last */
    assert_int_equal(vertical, 3 * 4); /* two columns: three rules per row */
    laid_free(l);

    l = lay_out(three_rows, PB_TABLE_PLAIN);
    for (size_t i = 0; i < l->body.n; i++)
        for (size_t k = 0; k < l->body.v[i].n_items; k++)
            assert_int_not_equal(l->body.v[i].items[k].kind, PB_ITEM_RECT);
    laid_free(l);
}

/* x (in the vitem) of the nth glyph (from 0) showing a byte equal to c in the
 * run_i-th run; -1 when there is none */
static float glyph_xn(const vitem *v, size_t run_i, char c, int nth)
{
    size_t n = 0;
    for (size_t k = 0; k < v->n_items; k++) {
        const pb_item *it = &v->items[k];
        if (it->kind != PB_ITEM_RUN || n++ != run_i)
            continue;
        for (uint32_t g = 0; g < it->u.run.n; g++) {
            const pb_glyph *gl = &it->u.run.glyphs[g];
            if (gl->text_len && it->u.run.text[gl->text_off] == c && nth-- == 0)
                return it->u.run.x + gl->x;
        }
    }
    return -1;
}

static float glyph_x(const vitem *v, size_t run_i, char c)
{
    return glyph_xn(v, run_i, c, 0);
}

static void test_numbers_line_up(void **state)
{
    (void)state;
    laid *l = lay_out("| 项目 | 金额 |\n"
                      "| --- | ---: |\n"
                      "| 甲 | 1111.5 |\n"
                      "| 乙 | 8888.25 |\n"
                      "| 丙 | 88 |\n"
                      "| 丁 | 88.5 |\n"
                      "| 戊 | 无 |\n", /* text among the numbers: right-aligned */
                      PB_TABLE_THREE_LINE);
    const vitem *rows[6];
    size_t n = 0;
    for (size_t i = 0; i < l->body.n && n < 6; i++)
        if (l->body.v[i].table)
            rows[n++] = &l->body.v[i];
    assert_int_equal(n, 6);
    /* run 1 of a body row is the number (run 0 the label): decimal points in line */
    float p1 = glyph_x(rows[1], 1, '.'), p2 = glyph_x(rows[2], 1, '.');
    assert_true(p1 > 0);
    assert_float_equal(p1, p2, 0.01);
    /* tabular figures: a 1 takes as much room as an 8 (the ink is centred in it) */
    float one = glyph_xn(rows[1], 1, '1', 1) - glyph_xn(rows[1], 1, '1', 0);
    float eight = glyph_xn(rows[2], 1, '8', 1) - glyph_xn(rows[2], 1, '8', 0);
    assert_true(one > 0);
    assert_float_equal(one, eight, 0.01);
    /* a number without a point ends where the others' points are */
    assert_float_equal(glyph_x(rows[3], 1, '8'), glyph_x(rows[4], 1, '8'), 0.01);
    assert_true(glyph_x(rows[4], 1, '.') > glyph_x(rows[3], 1, '8'));
    laid_free(l);
}

/* "cell L:C measure=W lines=N" of a --dump=lines for the cell at L:C; N, and *w */
static int cell_lines(const char *dumped, int line, int col, float *w)
{
    char key[64];
    snprintf(key, sizeof key, "cell %d:%d measure=", line, col);
    const char *p = strstr(dumped, key);
    assert_non_null(p);
    int n = 0;
    float mw = 0;
    assert_int_equal(sscanf(p + strlen(key), "%f lines=%d", &mw, &n), 2);
    if (w)
        *w = mw;
    return n;
}

static void test_label_column_whole(void **state)
{
    (void)state;
    /* the first table of content/report.md: column 1 wrapped needlessly under
     * HTML's proportional sharing */
    pb_diags d;
    char *s = dump("| 层级 | 组成部分 | 核心内容 | 功能定位 |\n"
                   "| :--- | :--- | :--- | :--- |\n"
                   "| 顶层设计 | 《赢得竞争：美国人工智能行动计划》（2025年7月24日发布） | "
                   "提出三大战略支柱，构成“铁三角”架构 | 战略愿景：长期蓝图和原则框架 |\n"
                   "| 第一支柱 | 加速人工智能创新 | 破除制度障碍与释放创新活力 | 创新引导 |\n"
                   "| 第三支柱 | 引领国际人工智能外交和安全 | 构建以美国为中心的人工智能治理体系 | "
                   "全球扩张 |\n"
                   "| 行政命令 | 《防止联邦政府中的“觉醒”人工智能》（2025年7月23日签署） | "
                   "将矛头直指人工智能领域的“意识形态渗透” | 承接第一支柱 |\n",
                   0, &d);
    for (int line = 3; line <= 6; line++)
        assert_int_equal(cell_lines(s, line, 2, NULL), 1);
    /* the columns fill the measure: content widths plus padding */
    float total = 0, w;
    int cols[] = {2, 7, 14, 21};
    for (int c = 0; c < 4; c++) {
        cell_lines(s, 1, cols[c], &w);
        total += w;
    }
    pb_style st;
    pb_arena *sa = pb_arena_new();
    pb_style_default(&st, sa);
    assert_float_equal(total + 8 * st.table_pad, pb_style_measure(&st), 0.05);
    pb_arena_free(sa);
    free(s);
    pb_diags_free(&d);
}

/* A table of n rows after `fill` lines of text. */
static char *long_table(int n, int fill, const char *cell)
{
    pb_buf b;
    pb_buf_init(&b);
    for (int i = 0; i < fill; i++)
        pb_buf_adds(&b, "填充用的一行正文。\n\n");
    pb_buf_adds(&b, "表：长表\n\n| 序号 | 内容 |\n| ---: | :--- |\n");
    for (int r = 1; r <= n; r++)
        pb_buf_printf(&b, "| %d | %s%d |\n", r, cell, r);
    return pb_buf_detach(&b);
}

/* Every page of a --dump=pages: no vitem reaches below the text block, and the
 * last one placed (spaces and the closing rule aside) is never a caption or a
 * header: rule 15's keep-with-next. Returns the number of pages. */
static int check_pages(const char *s)
{
    float H = 0;
    int pages = 0;
    assert_int_equal(sscanf(s, "measure %*f height %f pages %d", &H, &pages), 2);
    const char *p = s;
    char last[32] = "";
    while ((p = strchr(p, '\n'))) {
        p++;
        if (!strncmp(p, "page ", 5) || !*p) {
            assert_true(strcmp(last, "caption") && strcmp(last, "header"));
            last[0] = 0;
            continue;
        }
        float y, h;
        char kind[32];
        if (sscanf(p, " %f %f %31s", &y, &h, kind) != 3)
            continue;
        if (strcmp(kind, "notes"))
            assert_true(y + h <= H + 0.01f);
        if (strcmp(kind, "space") && strcmp(kind, "rule") && strcmp(kind, "notes"))
            strcpy(last, kind);
    }
    return pages;
}

static void test_page_break_repeats_header(void **state)
{
    (void)state;
    pb_diags d;
    char *md = long_table(40, 20, "内容");
    char *s = dump(md, 1, &d);
    assert_true(check_pages(s) >= 2);
    const char *p2 = strstr(s, "\npage 2\n");
    assert_non_null(p2);
    /* 续表1 and the header first on the next page, a closing rule before it */
    assert_non_null(strstr(p2, "page 2\n      0.00   17.85  cont-caption  续表1\n"));
    assert_non_null(strstr(p2, "cont-header   序号 | 内容"));
    const char *rule = strstr(s, "rule         table continues");
    assert_non_null(rule);
    assert_true(rule < p2);
    free(s);
    free(md);
    pb_diags_free(&d);
}

static void test_keep_chains(void **state)
{
    (void)state;
    /* wherever the table starts, its caption and header never end a page */
    for (int fill = 24; fill <= 34; fill++) {
        pb_diags d;
        char *md = long_table(12, fill, "内容");
        char *s = dump(md, 1, &d);
        check_pages(s);
        free(s);
        free(md);
        pb_diags_free(&d);
    }
}

static void test_tall_row_splits(void **state)
{
    (void)state;
    pb_buf cell;
    pb_buf_init(&cell);
    for (int i = 0; i < 400; i++)
        pb_buf_adds(&cell, "一个比一页还高的单元格，");
    char *md = long_table(3, 2, cell.data);
    pb_diags d;
    char *s = dump(md, 1, &d);
    assert_true(check_pages(s) >= 3);
    assert_non_null(strstr(s, "row-part"));
    /* a continuation page of the split row still gets 续表 and the header */
    assert_non_null(strstr(s, "page 3\n      0.00   17.85  cont-caption  续表1\n"));
    free(s);
    free(md);
    pb_buf_free(&cell);
    pb_diags_free(&d);
}

static void test_ragged_rows(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    const char *md = "| 甲 | 乙 |\n"
                     "| --- | --- |\n"
                     "| 1 | 2 | 3 | 4 |\n"
                     "| 1 |\n"
                     "| a \\| b | `c\\|d` |\n"
                     "> | x | y |\n"
                     "> | --- | --- |\n"
                     "> | 1 | 2 | 多 |\n";
    pb_doc *doc = pb_doc_parse("t.md", md, strlen(md), &d);
    assert_non_null(doc);
    const pb_diag *g = pb_diags_find(&d, "cells beyond the header's 2 are dropped");
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 10); /* where the third cell starts */
    assert_non_null(strstr(g->msg, "has 4 cells"));
    g = pb_diags_find(&d, "padded");
    assert_non_null(g);
    assert_int_equal(g->line, 4);
    /* escaped pipes split nothing; a table in a quote is counted from its row */
    size_t dropped = 0;
    for (size_t i = 0; i < d.n; i++)
        if (strstr(d.items[i].msg, "dropped")) {
            dropped++;
            assert_true(d.items[i].line == 3 || d.items[i].line == 8);
            if (d.items[i].line == 8)
                assert_int_equal(d.items[i].col, 12);
        }
    assert_int_equal(dropped, 2);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_bad_tables(void **state)
{
    (void)state;
    /* empty, header only, too many columns: warnings, never a crash */
    pb_buf md;
    pb_buf_init(&md);
    pb_buf_adds(&md, "|  |  |\n| --- | --- |\n|  |  |\n\n| 只有 | 表头 |\n| --- | --- |\n\n");
    for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 1000; c++)
            pb_buf_adds(&md, r == 1 ? "|---" : "| 12 ");
        pb_buf_adds(&md, "|\n");
    }
    pb_diags d;
    char *s = dump(md.data, 1, &d);
    check_pages(s);
    assert_non_null(pb_diags_find(&d, "table has no text in any cell"));
    assert_non_null(pb_diags_find(&d, "only the first 64 are set"));
    assert_non_null(pb_diags_find(&d, "columns are squeezed"));
    /* a squeezed table is reported once, not cell by cell */
    assert_null(pb_diags_find(&d, "overfull"));
    assert_non_null(strstr(s, "header        只有 | 表头"));
    free(s);
    pb_diags_free(&d);
    pb_buf_free(&md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_line),
        cmocka_unit_test(test_grid_and_plain),
        cmocka_unit_test(test_numbers_line_up),
        cmocka_unit_test(test_label_column_whole),
        cmocka_unit_test(test_page_break_repeats_header),
        cmocka_unit_test(test_keep_chains),
        cmocka_unit_test(test_tall_row_splits),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_bad_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
