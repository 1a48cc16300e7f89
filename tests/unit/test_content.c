/* test_content.c - front matter and Markdown parsing into the block tree:
 * positions, footnotes, captions, figures, page breaks and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "content/doc.h"

#include <string.h>

static pb_doc *parse(const char *s, pb_diags *d)
{
    pb_diags_init(d);
    return pb_doc_parse("t.md", s, strlen(s), d);
}

static const pb_block *child(const pb_block *b, size_t i)
{
    assert_true(i < b->n_children);
    return b->children[i];
}

static void test_front_matter(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("---\n"
                        "title: 报告\n"
                        "subtitle: 副标题\n"
                        "author:\n"
                        "  - 张三\n"
                        "  - name: 李四\n"
                        "    affiliation: 某研究院\n"
                        "date: 2025年1月1日\n"
                        "toc: true\n"
                        "CJKmainfont: LXGW WenKai\n"
                        "papersize: a5\n"
                        "abstract: |\n"
                        "  第一段。\n"
                        "\n"
                        "  第二段。\n"
                        "---\n"
                        "正文。\n",
                        &d);
    assert_non_null(doc);
    assert_int_equal(d.n_errors, 0);
    const pb_meta *m = &doc->meta;
    assert_string_equal(m->title, "报告");
    assert_string_equal(m->subtitle, "副标题");
    assert_int_equal(m->n_authors, 2);
    assert_string_equal(m->authors[0].name, "张三");
    assert_null(m->authors[0].affiliation);
    assert_string_equal(m->authors[1].name, "李四");
    assert_string_equal(m->authors[1].affiliation, "某研究院");
    assert_string_equal(m->date, "2025年1月1日");
    assert_true(m->toc && m->toc_set);
    assert_int_equal(m->n_fonts, 1);
    assert_string_equal(m->fonts[0].key, "CJKmainfont");
    assert_int_equal(m->fonts[0].line, 10);
    assert_int_equal(m->n_overrides, 1);
    assert_string_equal(m->overrides[0].key, "papersize");
    assert_non_null(m->abstract);
    assert_int_equal(m->abstract->n_children, 2);
    assert_int_equal(m->body_line, 17);
    const pb_block *p = child(doc->root, 0);
    assert_int_equal(p->kind, PB_BLK_PARAGRAPH);
    assert_int_equal(p->line, 17);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_front_matter_unclosed(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("---\ntitle: x\n\n正文\n", &d);
    assert_null(doc);
    assert_int_equal(d.n_errors, 1);
    assert_int_equal(d.items[0].line, 1);
    assert_non_null(strstr(d.items[0].msg, "never closed"));
    pb_diags_free(&d);
}

static void test_front_matter_bad_yaml(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("---\ntitle: x\nauthor: [a, b\n---\nbody\n", &d);
    assert_null(doc);
    assert_int_equal(d.n_errors, 1);
    assert_non_null(strstr(d.items[0].msg, "not valid YAML"));
    assert_true(d.items[0].line >= 3 && d.items[0].line <= 4);
    pb_diags_free(&d);

    doc = parse("---\n- a\n- b\n---\nbody\n", &d);
    assert_null(doc);
    assert_non_null(pb_diags_find(&d, "must be a mapping"));
    assert_int_equal(d.items[0].line, 2);
    pb_diags_free(&d);

    doc = parse("---\ntoc: maybe\n---\nbody\n", &d);
    assert_null(doc);
    const pb_diag *g = pb_diags_find(&d, "true or false");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 6);
    pb_diags_free(&d);
}

static void test_bad_input(void **state)
{
    (void)state;
    pb_diags d;
    assert_null(parse("", &d));
    assert_non_null(pb_diags_find(&d, "empty"));
    pb_diags_free(&d);
    assert_null(parse("  \n\n", &d));
    pb_diags_free(&d);
    assert_null(parse("好的\n坏\xC3(字\n", &d));
    const pb_diag *g = pb_diags_find(&d, "invalid UTF-8");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 2);
    pb_diags_free(&d);
    pb_diags_init(&d);
    static const char bin[] = "ab\0cd";
    assert_null(pb_doc_parse("b.md", bin, 5, &d));
    assert_non_null(pb_diags_find(&d, "binary"));
    pb_diags_free(&d);
}

static void test_blocks_and_positions(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("# 一、标题\n"
                        "\n"
                        "段落**加粗**和*强调*，`code`与[链接](https://example.com)。\n"
                        "\n"
                        "- 甲\n"
                        "- 乙\n"
                        "  1. 子项\n"
                        "\n"
                        "> 引用\n"
                        "\n"
                        "```c\nint x;\n```\n"
                        "\n"
                        "---\n"
                        "\n"
                        "\\newpage\n"
                        "\n"
                        "![图的说明](pic.png)\n",
                        &d);
    assert_non_null(doc);
    const pb_block *r = doc->root;
    assert_int_equal(r->n_children, 8);
    const pb_block *h = child(r, 0);
    assert_int_equal(h->kind, PB_BLK_HEADING);
    assert_int_equal(h->level, 1);
    assert_int_equal(h->line, 1);
    const pb_block *p = child(r, 1);
    assert_int_equal(p->kind, PB_BLK_PARAGRAPH);
    assert_int_equal(p->line, 3);
    const pb_inline *in = p->inlines;
    assert_int_equal(in->kind, PB_INL_TEXT);
    assert_int_equal(in->next->kind, PB_INL_STRONG);
    /* columns count characters, not bytes: ** starts after 段落 */
    assert_int_equal(in->next->col, 3);
    const pb_block *list = child(r, 2);
    assert_int_equal(list->kind, PB_BLK_LIST);
    assert_false(list->ordered);
    assert_int_equal(list->n_children, 2);
    const pb_block *sub = child(child(list, 1), 1);
    assert_int_equal(sub->kind, PB_BLK_LIST);
    assert_true(sub->ordered);
    assert_int_equal(child(r, 3)->kind, PB_BLK_QUOTE);
    const pb_block *code = child(r, 4);
    assert_int_equal(code->kind, PB_BLK_CODE);
    assert_string_equal(code->info, "c");
    assert_string_equal(code->literal, "int x;\n");
    assert_int_equal(child(r, 5)->kind, PB_BLK_RULE);
    assert_int_equal(child(r, 6)->kind, PB_BLK_PAGEBREAK);
    assert_int_equal(child(r, 7)->kind, PB_BLK_FIGURE);
    pb_doc_free(doc);
    pb_diags_free(&d);

    doc = parse("![图的说明](pic.png)\n", &d);
    const pb_block *fig = child(doc->root, 0);
    assert_int_equal(fig->kind, PB_BLK_FIGURE);
    assert_string_equal(fig->url, "pic.png");
    assert_int_equal(fig->inlines->kind, PB_INL_TEXT);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_tables_and_captions(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("表：城市人口\n"
                        "\n"
                        "| 城市 | 人口 |\n"
                        "|:---|---:|\n"
                        "| 北京 | 2185 |\n"
                        "| 上海 |\n",
                        &d);
    assert_non_null(doc);
    assert_int_equal(doc->root->n_children, 1);
    const pb_block *t = child(doc->root, 0);
    assert_int_equal(t->kind, PB_BLK_TABLE);
    assert_int_equal(t->n_cols, 2);
    assert_int_equal(t->aligns[0], PB_ALIGN_LEFT);
    assert_int_equal(t->aligns[1], PB_ALIGN_RIGHT);
    assert_int_equal(t->caption_line, 1);
    pb_buf cap;
    pb_buf_init(&cap);
    pb_inlines_text(t->inlines, &cap);
    assert_string_equal(cap.data, "城市人口");
    pb_buf_free(&cap);
    assert_true(child(t, 0)->header);
    assert_int_equal(t->n_children, 3);
    /* the short last row is padded and reported at its line */
    const pb_diag *g = pb_diags_find(&d, "padded");
    assert_non_null(g);
    assert_int_equal(g->line, 6);
    pb_doc_free(doc);
    pb_diags_free(&d);

    doc = parse("| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Pandoc caption\n", &d);
    t = child(doc->root, 0);
    assert_non_null(t->inlines);
    assert_int_equal(doc->root->n_children, 1);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_footnotes(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("甲[^b]乙[^a]丙[^b]。\n\n[^a]: 注A。\n[^b]: 注B。\n[^c]: 未引用。\n", &d);
    assert_non_null(doc);
    /* numbered in order of first reference; unreferenced notes are dropped */
    assert_int_equal(doc->n_footnotes, 2);
    assert_int_equal(doc->footnotes[0]->number, 1);
    pb_buf t;
    pb_buf_init(&t);
    pb_inlines_text(child(doc->footnotes[0], 0)->inlines, &t);
    assert_string_equal(t.data, "注B。");
    pb_buf_free(&t);
    const pb_inline *in = child(doc->root, 0)->inlines;
    int refs[3], n = 0;
    for (; in; in = in->next)
        if (in->kind == PB_INL_FOOTREF)
            refs[n++] = in->number;
    assert_int_equal(n, 3);
    assert_int_equal(refs[0], 1);
    assert_int_equal(refs[1], 2);
    assert_int_equal(refs[2], 1);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    pb_buf b;
    pb_buf_init(&b);
    for (int i = 0; i < 400; i++)
        pb_buf_adds(&b, "> ");
    pb_buf_adds(&b, "深\n");
    pb_diags d;
    pb_doc *doc = parse(b.data, &d);
    assert_non_null(doc);
    assert_non_null(pb_diags_find(&d, "flattened"));
    /* the tree stops at the limit and the text survives */
    int depth = 0;
    const pb_block *x = doc->root;
    while (x->n_children && x->children[0]->kind == PB_BLK_QUOTE) {
        x = x->children[0];
        depth++;
    }
    assert_int_equal(depth, PB_MAX_NESTING);
    assert_int_equal(x->children[0]->kind, PB_BLK_PARAGRAPH);
    pb_doc_free(doc);
    pb_diags_free(&d);
    pb_buf_free(&b);
}

static void test_dump(void **state)
{
    (void)state;
    pb_diags d;
    pb_doc *doc = parse("---\ntitle: T\n---\n## 小节\n\n文字\n", &d);
    pb_buf b;
    pb_buf_init(&b);
    pb_doc_dump(doc, &b);
    assert_string_equal(b.data, "meta\n"
                                "  title \"T\"\n"
                                "document 4:1-6:2\n"
                                "  heading 4:1-4:5 level=2\n"
                                "    text 4:4 \"小节\"\n"
                                "  paragraph 6:1-6:2\n"
                                "    text 6:1 \"文字\"\n");
    pb_buf_free(&b);
    pb_doc_free(doc);
    pb_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter),
        cmocka_unit_test(test_front_matter_unclosed),
        cmocka_unit_test(test_front_matter_bad_yaml),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_blocks_and_positions),
        cmocka_unit_test(test_tables_and_captions),
        cmocka_unit_test(test_footnotes),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
