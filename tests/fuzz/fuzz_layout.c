/* fuzz_layout.c - libFuzzer harness: arbitrary bytes as a page-design (layout) file,
 * applied on the built-in design. Text after a line "---" is read as a document's
 * front matter whose keys override the layout, so the assembly of both layers is
 * exercised too. Fonts are not resolved here (that needs the registry). */
#include "content/doc.h"
#include "style/style.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Start of the line "---\n" that splits layout from front matter, or NULL. */
static const char *find_split(const char *s, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "---\n", 4) == 0)
            return s + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *split = find_split(text, size);
    size_t layout_len = split ? (size_t)(split - text) : size;

    pb_diags d;
    pb_diags_init(&d);
    pb_arena *a = pb_arena_new();
    pb_meta m;
    memset(&m, 0, sizeof m);
    const pb_meta *meta = NULL;
    if (split) {
        const char *fm = split + 4;
        size_t fm_len = size - (size_t)(fm - text);
        if (pb_meta_parse(a, "fuzz.md", 2, fm, fm_len, &m, &d))
            meta = &m;
    }
    pb_style st;
    pb_style_from_yaml(&st, a, "fuzz.yaml", text, layout_len, false, meta, "fuzz.md", &d);
    /* the derived values every later stage asks for */
    (void)pb_style_measure(&st);
    (void)pb_style_block_height(&st);
    pb_buf b;
    pb_buf_init(&b);
    int counters[6] = {3, 2, 1, 4, 5, 6};
    for (int level = 1; level <= 6; level++) {
        pb_style_heading_number(&st, level, counters, &b);
        pb_buf_reset(&b);
    }
    pb_buf_free(&b);
    pb_arena_free(a);
    pb_diags_free(&d);
    return 0;
}
