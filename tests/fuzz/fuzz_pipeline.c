/* fuzz_pipeline.c - libFuzzer harness: a small document through the whole pipeline
 * (parse, typeset with the built-in design, PDF in memory). Inputs over 4 KB are
 * skipped: the point is odd structure, not size (size is covered by the limits). */
#include "content/doc.h"
#include "pdf/pdf.h"
#include "style/style.h"
#include "text/text.h"
#include "typeset/typeset.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pb_fontreg *reg;
static pb_text *text;

static void cleanup(void)
{
    pb_text_free(text);
    pb_fontreg_free(reg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    if (!reg) {
        reg = pb_fontreg_new(NULL, 0);
        text = pb_text_new(reg);
        atexit(cleanup);
    }
    pb_diags d;
    pb_diags_init(&d);
    pb_doc *doc = pb_doc_parse("fuzz.md", (const char *)data, size, &d);
    if (doc) {
        pb_arena *a = pb_arena_new();
        pb_style st;
        pb_style_default(&st, a);
        pb_style_resolve(&st, a, NULL, &doc->meta, doc->file, &d);
        pb_pages *pages = pb_typeset(text, doc, &st, &d);
        if (pages) {
            char *out = NULL;
            size_t len = 0;
            pb_pdf_render(pages, NULL, &out, &len, &d);
            free(out);
            pb_pages_free(pages);
        }
        pb_arena_free(a);
        pb_doc_free(doc);
    }
    pb_diags_free(&d);
    return 0;
}
