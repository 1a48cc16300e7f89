/* fuzz_markdown.c - libFuzzer harness: arbitrary bytes as a document (front matter,
 * Markdown, UTF-8 checks) into the block tree and its dump. */
#include "content/doc.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pb_diags d;
    pb_diags_init(&d);
    pb_doc *doc = pb_doc_parse("fuzz.md", (const char *)data, size, &d);
    if (doc) {
        pb_buf b;
        pb_buf_init(&b);
        pb_doc_dump(doc, &b);
        pb_buf_free(&b);
        pb_doc_free(doc);
    }
    pb_diags_free(&d);
    return 0;
}
