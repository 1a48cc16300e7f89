/* test_fonts.c - font lookup through fontconfig: family names (localized too),
 * weights, file paths, missing families, per-character fallback, corrupt files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pb_fontreg *reg;

static int setup(void **state)
{
    (void)state;
    reg = pb_fontreg_new(NULL, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pb_fontreg_free(reg);
    return 0;
}

static pb_font_choice match(const char *family, unsigned weight, pb_diags *d)
{
    pb_font_request rq = {family, weight, false, "zh-cn", "doc.md", 3, 7};
    return pb_fontreg_match(reg, &rq, d);
}

static void test_family(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("Noto Serif CJK SC", 400, &d);
    assert_int_equal(d.n_errors, 0);
    assert_non_null(c.font);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    assert_non_null(strstr(pb_font_path(c.font), "NotoSerifCJK-Regular"));
    assert_true(pb_font_is_cff(c.font));
    assert_true(pb_font_cff_is_cid(c.font));
    assert_false(c.synth_bold);
    assert_non_null(c.why);
    /* the same request gives the same loaded font */
    pb_font_choice again = match("noto serif cjk sc", 400, &d);
    assert_ptr_equal(again.font, c.font);
    pb_diags_free(&d);
}

static void test_localized_and_bold(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("文泉驿微米黑", 400, &d);
    assert_int_equal(d.n_errors, 0);
    assert_non_null(strstr(pb_font_path(c.font), "wqy-microhei"));
    c = match("霞鹜文楷", 700, &d);
    assert_int_equal(d.n_errors, 0);
    assert_non_null(strstr(pb_font_path(c.font), "LXGWWenKai-Bold"));
    assert_false(c.synth_bold);
    assert_false(pb_font_is_cff(c.font));
    /* WenQuanYi has no bold face: it is synthesized */
    c = match("WenQuanYi Micro Hei", 700, &d);
    assert_true(c.synth_bold);
    pb_diags_free(&d);
}

static void test_missing_family(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("Noto Serif CJK XX", 400, &d);
    assert_int_equal(d.n_errors, 1);
    const pb_diag *g = pb_diags_find(&d, "not installed");
    assert_non_null(g);
    assert_string_equal(g->file, "doc.md");
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 7);
    /* the closest installed families are named */
    assert_non_null(strstr(g->msg, "Noto Serif CJK"));
    /* the build can go on with a substitute */
    assert_non_null(c.font);
    pb_diags_free(&d);
}

static void test_path_and_corrupt(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 400, &d);
    assert_int_equal(d.n_errors, 0);
    assert_string_equal(pb_font_family(c.font), "DejaVu Serif");

    char path[] = "/tmp/pb-corrupt-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char junk[] = "\x00\x01\x00\x00 this is not a font at all, just bytes";
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    pb_font *f = pb_fontreg_load(reg, path, 0, &d, "doc.md", 1, 1);
    assert_null(f);
    assert_non_null(pb_diags_find(&d, "not a usable font"));
    unlink(path);
    f = pb_fontreg_load(reg, "/nonexistent/font.ttf", 0, &d, "doc.md", 2, 1);
    assert_null(f);
    assert_non_null(pb_diags_find(&d, "cannot read font file"));
    pb_diags_free(&d);
}

static void test_fallback(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice dv = match("DejaVu Serif", 400, &d);
    assert_int_equal(pb_font_glyph(dv.font, 0x4E2D), 0);
    /* 中 is not in DejaVu: fallback finds a CJK font that has it */
    pb_font *f = pb_fontreg_fallback(reg, 0x4E2D, dv.font);
    assert_non_null(f);
    assert_true(pb_font_glyph(f, 0x4E2D) != 0);
    /* a character above U+FFFF: 𠀀 (U+20000, CJK Extension B) */
    f = pb_fontreg_fallback(reg, 0x20000, dv.font);
    if (f)
        assert_true(pb_font_glyph(f, 0x20000) != 0);
    /* a private-use code point no font has */
    assert_null(pb_fontreg_fallback(reg, 0x10FFFD, dv.font));
    /* cached: asking again gives the same answer */
    assert_null(pb_fontreg_fallback(reg, 0x10FFFD, dv.font));
    pb_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family),
        cmocka_unit_test(test_localized_and_bold),
        cmocka_unit_test(test_missing_family),
        cmocka_unit_test(test_path_and_corrupt),
        cmocka_unit_test(test_fallback),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
