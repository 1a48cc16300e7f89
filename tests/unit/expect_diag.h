/* expect_diag.h - for unit tests (after cmocka.h and base/base.h): the diagnostic
 * whose message holds needle, failing the test with every diagnostic listed when
 * there is none. */
#ifndef PB_TEST_EXPECT_DIAG_H
#define PB_TEST_EXPECT_DIAG_H

static const pb_diag *expect_diag(const pb_diags *d, const char *needle)
{
    const pb_diag *g = pb_diags_find(d, needle);
    if (!g) {
        for (size_t i = 0; i < d->n; i++)
            print_message("  have: %d:%d %s\n", d->items[i].line, d->items[i].col,
                          d->items[i].msg);
        fail_msg("no diagnostic with '%s'", needle);
    }
    return g;
}

#endif
