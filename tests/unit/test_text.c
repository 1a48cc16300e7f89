/* test_text.c - paragraph layout: justified Chinese lines at the measure, the
 * line-start/end prohibitions, Han-Latin spacing with and without a typed space,
 * unsplittable dashes, the 2-character last line, character classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/chars.h"
#include "text/text.h"

#include <math.h>
#include <string.h>

static pb_fontreg *reg;
static pb_text *text;
static pb_fontset fs;

static int setup(void **state)
{
    (void)state;
    reg = pb_fontreg_new(NULL, 0);
    text = pb_text_new(reg);
    pb_diags d;
    pb_diags_init(&d);
    pb_font_request rq = {"Noto Serif CJK SC", 400, false, "zh-cn", NULL, 0, 0};
    fs.cjk = fs.latin = pb_fontreg_match(reg, &rq, &d);
    pb_diags_free(&d);
    return fs.cjk.font ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pb_text_free(text);
    pb_fontreg_free(reg);
    return 0;
}

static pb_para_lines *lay(pb_arena *a, const char *s, float width_em, pb_diags *d)
{
    static pb_span sp;
    sp = (pb_span){0, (uint32_t)strlen(s), {0}, 1, 1};
    sp.style.fonts = &fs;
    sp.style.size = 10;
    sp.style.color = PB_BLACK;
    pb_para p = {s, (uint32_t)strlen(s), &sp, 1, width_em * 10, 0, PB_JUSTIFY, false, "t.md"};
    return pb_para_layout(text, &p, a, d);
}

static char *line_text(pb_arena *a, const pb_para_lines *pl, size_t i)
{
    pb_buf b;
    pb_buf_init(&b);
    pb_line_text(pl, &pl->lines[i], &b);
    char *r = pb_arena_strdup(a, b.data ? b.data : "");
    pb_buf_free(&b);
    return r;
}

static uint32_t first_cp(const char *s)
{
    size_t pos = 0;
    return pb_utf8_next(s, strlen(s), &pos);
}

static uint32_t last_cp(const char *s)
{
    size_t n = strlen(s), pos = n;
    while (pos > 0 && ((unsigned char)s[pos - 1] & 0xC0) == 0x80)
        pos--;
    pos--;
    return pb_utf8_next(s, n, &pos);
}

static void test_justified_han(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    pb_diags d;
    pb_diags_init(&d);
    const char *s = "人工智能作为引领未来的战略性技术，正成为大国竞争的新焦点。这一政策组合并非孤立的行政举措，"
                    "而是美国在技术霸权竞争进入白热化阶段的系统性回应，其背后蕴含着对全球人工智能治理权的战略野心。";
    pb_para_lines *pl = lay(a, s, 17, &d);
    assert_true(pl->n >= 4);
    for (size_t i = 0; i < pl->n; i++) {
        const pb_line *ln = &pl->lines[i];
        if (!ln->last)
            assert_true(fabsf(ln->width - 170.0f) < 0.01f); /* rule 9: at the measure */
        const char *t = line_text(a, pl, i);
        assert_false(pb_no_line_start(first_cp(t))); /* rule 1 */
        assert_false(pb_no_line_end(last_cp(t)));
    }
    assert_int_equal(d.n_warnings, 0);
    pb_diags_free(&d);
    pb_arena_free(a);
}

static void test_kinsoku_push(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    pb_diags d;
    pb_diags_init(&d);
    /* 10 characters then a comma: at a 10-em measure the comma must not start the
     * next line; it is pushed in (compressed) or a character is pushed out */
    pb_para_lines *pl = lay(a, "一二三四五六七八九十，一二三四五六七八九十。", 10, &d);
    for (size_t i = 0; i < pl->n; i++) {
        const char *t = line_text(a, pl, i);
        assert_false(pb_no_line_start(first_cp(t)));
        if (!pl->lines[i].last)
            assert_true(fabsf(pl->lines[i].width - 100.0f) < 0.01f);
    }
    pb_diags_free(&d);
    pb_arena_free(a);
}

static float natural(pb_arena *a, const char *s)
{
    pb_diags d;
    pb_diags_init(&d);
    pb_para_lines *pl = lay(a, s, 1000, &d);
    pb_diags_free(&d);
    assert_int_equal(pl->n, 1);
    return pl->lines[0].width;
}

static void test_han_latin_gap(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    /* rule 7: a quarter em between Han and Latin, the same with a typed space */
    float w_tight = natural(a, "中文AI中文");
    float w_space = natural(a, "中文 AI 中文");
    float w_han = natural(a, "中文中文");
    float w_ai = natural(a, "AI");
    assert_true(fabsf(w_tight - w_space) < 0.01f);
    assert_true(fabsf(w_tight - (w_han + w_ai + 2 * 2.5f)) < 0.01f);
    /* no gap next to Chinese punctuation */
    float w_p = natural(a, "（AI）");
    float w_pa = natural(a, "（）");
    assert_true(w_p < w_pa + w_ai + 0.01f);
    pb_arena_free(a);
}

static void test_dash_not_split(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    pb_diags d;
    pb_diags_init(&d);
    /* the natural break after 9 characters would split the two-em dash */
    pb_para_lines *pl = lay(a, "一二三四五六七八九——十一二三四五六七八九十一二", 10, &d);
    for (size_t i = 0; i + 1 < pl->n; i++) {
        const char *t = line_text(a, pl, i);
        const char *u = line_text(a, pl, i + 1);
        assert_false(last_cp(t) == 0x2014 && first_cp(u) == 0x2014);
    }
    pb_diags_free(&d);
    pb_arena_free(a);
}

static void test_last_line_two_chars(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    pb_diags d;
    pb_diags_init(&d);
    /* 21 characters at a 10-em measure would leave one alone on the last line */
    pb_para_lines *pl = lay(a, "一二三四五六七八九十一二三四五六七八九十中", 10, &d);
    const char *t = line_text(a, pl, pl->n - 1);
    assert_true(pb_utf8_count(t, strlen(t)) >= 2);
    pb_diags_free(&d);
    pb_arena_free(a);
}

static void test_cache(void **state)
{
    (void)state;
    pb_text_enable_cache(text, true);
    pb_arena *a = pb_arena_new();
    pb_diags d;
    pb_diags_init(&d);
    /* an unbreakable word wider than the measure: an overfull warning */
    const char *s = "Incomprehensibilities";
    pb_text_build_begin(text);
    pb_para_lines *first = lay(a, s, 3, &d);
    size_t warnings = d.n_warnings;
    assert_true(warnings >= 1);
    assert_int_equal(d.items[0].line, 1);
    size_t hits, misses, entries;
    pb_text_cache_stats(text, &hits, &misses, &entries);
    assert_int_equal(hits, 0);
    pb_text_build_end(text);
    pb_text_cache_stats(text, &hits, &misses, &entries);
    assert_int_equal(entries, 1);

    /* next build: the same paragraph three lines lower is not laid out again, and
     * its warning comes back at its new line */
    pb_text_build_begin(text);
    static pb_span sp;
    sp = (pb_span){0, (uint32_t)strlen(s), {0}, 4, 1};
    sp.style.fonts = &fs;
    sp.style.size = 10;
    sp.style.color = PB_BLACK;
    pb_para p = {s, (uint32_t)strlen(s), &sp, 1, 30, 0, PB_JUSTIFY, false, "t.md"};
    pb_diags d2;
    pb_diags_init(&d2);
    pb_para_lines *again = pb_para_layout(text, &p, a, &d2);
    pb_text_cache_stats(text, &hits, &misses, &entries);
    assert_int_equal(hits, 1);
    assert_ptr_equal(again, first);
    assert_int_equal(d2.n_warnings, warnings);
    assert_int_equal(d2.items[0].line, 4);
    /* a different measure is a different paragraph */
    p.width = 40;
    pb_para_lines *other = pb_para_layout(text, &p, a, &d2);
    assert_ptr_not_equal(other, first);
    pb_text_build_end(text);
    pb_text_cache_stats(text, &hits, &misses, &entries);
    assert_int_equal(entries, 2);
    /* a build that uses nothing drops everything */
    pb_text_build_begin(text);
    pb_text_build_end(text);
    pb_text_cache_stats(text, &hits, &misses, &entries);
    assert_int_equal(entries, 0);
    pb_text_enable_cache(text, false);
    pb_diags_free(&d);
    pb_diags_free(&d2);
    pb_arena_free(a);
}

static void test_classes(void **state)
{
    (void)state;
    assert_true(pb_is_han(0x4E2D));
    assert_true(pb_is_han(0x20BB7));
    assert_false(pb_is_han('A'));
    assert_int_equal(pb_punct_kind_of(0xFF08), PB_PUNCT_OPEN);  /* （ */
    assert_int_equal(pb_punct_kind_of(0x300B), PB_PUNCT_CLOSE); /* 》 */
    assert_int_equal(pb_punct_kind_of(0x3002), PB_PUNCT_STOP);  /* 。 */
    assert_true(pb_no_line_start(0xFF0C));
    assert_true(pb_no_line_start(0x201D));
    assert_true(pb_no_line_end(0x201C));
    assert_true(pb_no_line_end(0x300A));
    assert_true(pb_is_shared_punct(0x2014));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_justified_han),  cmocka_unit_test(test_kinsoku_push),
        cmocka_unit_test(test_han_latin_gap),  cmocka_unit_test(test_dash_not_split),
        cmocka_unit_test(test_last_line_two_chars), cmocka_unit_test(test_classes),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
