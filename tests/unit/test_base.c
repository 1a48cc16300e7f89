/* test_base.c - UTF-8 decoding and validation, arenas, buffers, diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/base.h"

#include <stdlib.h>
#include <string.h>

static void test_utf8_decode(void **state)
{
    (void)state;
    const char *s = "a\xE4\xB8\xAD\xF0\xA0\xAE\xB7"; /* a 中 𠮷 */
    size_t pos = 0, len = strlen(s);
    assert_int_equal(pb_utf8_next(s, len, &pos), 'a');
    assert_int_equal(pos, 1);
    assert_int_equal(pb_utf8_next(s, len, &pos), 0x4E2D);
    assert_int_equal(pos, 4);
    assert_int_equal(pb_utf8_next(s, len, &pos), 0x20BB7);
    assert_int_equal(pos, 8);
    assert_int_equal(pb_utf8_count(s, len), 3);
}

static void test_utf8_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xC0\xAF",         /* overlong '/' */
        "\xE0\x80\xAF",     /* overlong */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xF4\x90\x80\x80", /* above U+10FFFF */
        "\xE4\xB8",         /* truncated */
        "\x80",             /* lone continuation */
        "\xFF",
    };
    for (size_t i = 0; i < PB_COUNT(bad); i++) {
        size_t pos = 0;
        assert_int_equal(pb_utf8_next(bad[i], strlen(bad[i]), &pos), PB_UTF8_BAD);
        assert_int_equal(pos, 1); /* advances one byte */
    }
}

static void test_utf8_validate_position(void **state)
{
    (void)state;
    const char *s = "第一行\n中文\xFF好";
    int line = 0, col = 0;
    assert_false(pb_utf8_validate(s, strlen(s), &line, &col));
    assert_int_equal(line, 2);
    assert_int_equal(col, 3); /* two characters before the bad byte */
    assert_true(pb_utf8_validate("好的\n", 7, &line, &col));
}

static void test_utf8_encode(void **state)
{
    (void)state;
    char out[4];
    assert_int_equal(pb_utf8_encode(0x41, out), 1);
    assert_int_equal(pb_utf8_encode(0x4E2D, out), 3);
    assert_memory_equal(out, "\xE4\xB8\xAD", 3);
    assert_int_equal(pb_utf8_encode(0x20BB7, out), 4);
    assert_memory_equal(out, "\xF0\xA0\xAE\xB7", 4);
}

static void test_arena(void **state)
{
    (void)state;
    pb_arena *a = pb_arena_new();
    char *p = pb_arena_alloc(a, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(p[i], 0);
    assert_int_equal((uintptr_t)p % 16, 0);
    /* a large allocation gets its own chunk and the small ones keep going */
    char *big = pb_arena_alloc(a, 1 << 20);
    memset(big, 1, 1 << 20);
    char *q = pb_arena_strdup(a, "排版");
    assert_string_equal(q, "排版");
    assert_string_equal(pb_arena_printf(a, "%d-%s", 7, "x"), "7-x");
    assert_true(pb_arena_used(a) >= (1 << 20));
    pb_arena_free(a);
}

static void test_buf(void **state)
{
    (void)state;
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_adds(&b, "中文");
    pb_buf_printf(&b, " %d", 42);
    pb_buf_addc(&b, '!');
    assert_string_equal(b.data, "中文 42!");
    assert_int_equal(b.len, strlen("中文 42!"));
    char *d = pb_buf_detach(&b);
    assert_null(b.data);
    assert_string_equal(d, "中文 42!");
    free(d);
}

static void test_diags(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_diag_add(&d, PB_ERROR, "a.md", 3, 5, "bad %s", "thing");
    pb_diag_add(&d, PB_WARNING, "a.md", 4, 1, "odd");
    assert_int_equal(d.n_errors, 1);
    assert_int_equal(d.n_warnings, 1);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pb_diags_print(&d, f);
    fclose(f);
    assert_string_equal(buf, "a.md:3:5: error: bad thing\na.md:4:1: warning: odd\n");
    free(buf);
    assert_non_null(pb_diags_find(&d, "thing"));
    assert_null(pb_diags_find(&d, "nothing here"));
    pb_diags_free(&d);
}

static void test_diags_cap(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    for (int i = 0; i < PB_MAX_DIAGNOSTICS + 50; i++)
        pb_diag_add(&d, PB_WARNING, "x.md", i + 1, 1, "w%d", i);
    assert_int_equal(d.n, PB_MAX_DIAGNOSTICS);
    assert_int_equal(d.n_dropped, 50);
    assert_int_equal(d.n_warnings, PB_MAX_DIAGNOSTICS + 50);
    pb_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),    cmocka_unit_test(test_utf8_rejects),
        cmocka_unit_test(test_utf8_validate_position), cmocka_unit_test(test_utf8_encode),
        cmocka_unit_test(test_arena),          cmocka_unit_test(test_buf),
        cmocka_unit_test(test_diags),          cmocka_unit_test(test_diags_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
