/* fuzz_frontmatter.c - libFuzzer harness: arbitrary bytes as a YAML front matter. */
#include "content/doc.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pb_diags d;
    pb_diags_init(&d);
    pb_arena *a = pb_arena_new();
    pb_meta m;
    memset(&m, 0, sizeof m);
    pb_meta_parse(a, "fuzz.md", 2, (const char *)data, size, &m, &d);
    pb_arena_free(a);
    pb_diags_free(&d);
    return 0;
}
