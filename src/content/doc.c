/* doc.c - the parse entry point (checks, front matter, Markdown) and the
 * --dump=tree text form of the block tree used by golden tests. */
#include "doc.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Files people hand over by mistake, told by their first bytes. */
static const struct {
    const char *magic;
    size_t n;
    const char *what, *hint;
} file_kinds[] = {
    {"%PDF-", 5, "a PDF file", " (was the output given as the input?)"},
    {"\x89PNG", 4, "a PNG image", ""},
    {"\xFF\xD8\xFF", 3, "a JPEG image", ""},
    {"GIF8", 4, "a GIF image", ""},
    {"PK\x03\x04", 4, "a ZIP archive or a Word/Excel (.docx/.xlsx) document",
     " (save it as Markdown text first)"},
    {"\xD0\xCF\x11\xE0", 4, "an old Word/Excel (.doc/.xls) document",
     " (save it as Markdown text first)"},
    {"\x1F\x8B", 2, "a gzip archive", ""},
    {"\x7F" "ELF", 4, "a program", ""},
};

/* Line and column (in characters) of byte offset off; the text before it is UTF-8. */
static void position_of(const char *data, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* The checks that make a file unusable as a document at all, in the order that
 * gives the most useful message: what kind of file it is, then the encoding. */
static bool usable_text(const char *file, const char *data, size_t len, pb_diags *diags)
{
    if (len > PB_MAX_INPUT_BYTES) {
        pb_diag_add(diags, PB_ERROR, file, 1, 1, "file is %zu bytes; the limit is %u bytes", len,
                    PB_MAX_INPUT_BYTES);
        return false;
    }
    for (size_t i = 0; i < PB_COUNT(file_kinds); i++)
        if (len >= file_kinds[i].n && !memcmp(data, file_kinds[i].magic, file_kinds[i].n)) {
            pb_diag_add(diags, PB_ERROR, file, 1, 1, "this is %s, not Markdown text%s",
                        file_kinds[i].what, file_kinds[i].hint);
            return false;
        }
    if (len >= 2 && (!memcmp(data, "\xFF\xFE", 2) || !memcmp(data, "\xFE\xFF", 2))) {
        pb_diag_add(diags, PB_ERROR, file, 1, 1,
                    "the file is UTF-16 text; save it as UTF-8");
        return false;
    }
    const char *nul = memchr(data, 0, len);
    size_t bad_off;
    int line, col;
    bool bad = pb_utf8_find_bad(data, len, &bad_off, &line, &col);
    /* a NUL before any bad byte: binary data (or UTF-16 without a byte order mark) */
    if (nul && (!bad || (size_t)(nul - data) < bad_off)) {
        position_of(data, (size_t)(nul - data), &line, &col);
        pb_diag_add(diags, PB_ERROR, file, line, col,
                    "NUL byte in the text: this looks like a binary file, not Markdown "
                    "(or UTF-16 text: save it as UTF-8)");
        return false;
    }
    if (bad) {
        pb_buf why;
        pb_buf_init(&why);
        pb_utf8_why(data, len, bad_off, &why);
        pb_diag_add(diags, PB_ERROR, file, line, col, "invalid UTF-8: %s (save the file as UTF-8)",
                    why.data);
        pb_buf_free(&why);
        return false;
    }
    bool blank = true;
    for (size_t i = 0; i < len && blank; i++)
        if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
            blank = false;
    if (blank) {
        pb_diag_add(diags, PB_ERROR, file, 1, 1, "the document is empty");
        return false;
    }
    return true;
}

pb_doc *pb_doc_parse(const char *file, const char *data, size_t len, pb_diags *diags)
{
    if (!usable_text(file, data, len, diags))
        return NULL;

    const char *fm, *body;
    size_t fm_len, body_len;
    int body_line;
    if (!pb_split_front_matter(file, data, len, &fm, &fm_len, &body, &body_len, &body_line, diags))
        return NULL;

    pb_doc *doc = pb_xcalloc(1, sizeof *doc);
    doc->arena = pb_arena_new();
    doc->file = pb_arena_strdup(doc->arena, file);
    doc->meta.body_line = body_line;
    if (fm && !pb_meta_parse(doc->arena, doc->file, 2, fm, fm_len, &doc->meta, diags)) {
        pb_doc_free(doc);
        return NULL;
    }
    doc->root = pb_markdown_parse(doc->arena, doc->file, body, body_len, body_line, doc, diags);
    if (!doc->root) { /* too big to set (reported) */
        free(doc->footnotes);
        pb_doc_free(doc);
        return NULL;
    }
    /* The footnote list was grown with malloc; move it into the arena. */
    if (doc->footnotes) {
        pb_block **fn = pb_arena_memdup(doc->arena, doc->footnotes,
                                        doc->n_footnotes * sizeof(pb_block *));
        free(doc->footnotes);
        doc->footnotes = fn;
    }
    return doc;
}

pb_doc *pb_doc_load(const char *path, pb_diags *diags)
{
    char *data;
    size_t len;
    if (!pb_read_file(path, &data, &len)) {
        if (errno == EFBIG)
            pb_diag_add(diags, PB_ERROR, path, 0, 0, "file is larger than the limit of %u bytes",
                        PB_MAX_INPUT_BYTES);
        else
            pb_diag_add(diags, PB_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    pb_doc *d = pb_doc_parse(path, data, len, diags);
    free(data);
    return d;
}

void pb_doc_free(pb_doc *doc)
{
    if (!doc)
        return;
    pb_arena_free(doc->arena);
    free(doc);
}

const char *pb_block_kind_name(pb_block_kind k)
{
    static const char *const names[] = {
        "document", "heading", "paragraph", "list",   "item",     "quote",     "code", "table",
        "row",      "cell",    "figure",    "footnote", "rule", "pagebreak", "html"};
    return (size_t)k < PB_COUNT(names) ? names[k] : "?";
}

const char *pb_inline_kind_name(pb_inline_kind k)
{
    static const char *const names[] = {"text", "softbreak", "linebreak", "code", "emph",  "strong",
                                        "strike", "link",    "image",     "footref", "html"};
    return (size_t)k < PB_COUNT(names) ? names[k] : "?";
}

void pb_inlines_text(const pb_inline *in, pb_buf *out)
{
    for (; in; in = in->next) {
        switch (in->kind) {
        case PB_INL_TEXT:
        case PB_INL_CODE:
            pb_buf_add(out, in->text, in->text_len);
            break;
        case PB_INL_SOFTBREAK:
        case PB_INL_LINEBREAK:
            pb_buf_addc(out, ' ');
            break;
        case PB_INL_HTML:
        case PB_INL_FOOTREF:
            break;
        default:
            pb_inlines_text(in->children, out);
            break;
        }
    }
}

/* ---- dump ---- */

static void indent(pb_buf *o, int depth)
{
    for (int i = 0; i < depth; i++)
        pb_buf_adds(o, "  ");
}

static void quoted(pb_buf *o, const char *s, size_t n)
{
    pb_buf_addc(o, '"');
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"' || c == '\\') {
            pb_buf_addc(o, '\\');
            pb_buf_addc(o, c);
        } else if (c == '\n') {
            pb_buf_adds(o, "\\n");
        } else if (c == '\t') {
            pb_buf_adds(o, "\\t");
        } else {
            pb_buf_addc(o, c);
        }
    }
    pb_buf_addc(o, '"');
}

static void dump_inlines(const pb_inline *in, pb_buf *o, int depth)
{
    for (; in; in = in->next) {
        indent(o, depth);
        pb_buf_printf(o, "%s %d:%d", pb_inline_kind_name(in->kind), in->line, in->col);
        if (in->text) {
            pb_buf_addc(o, ' ');
            quoted(o, in->text, in->text_len);
        }
        if (in->url) {
            pb_buf_adds(o, " url=");
            quoted(o, in->url, strlen(in->url));
        }
        if (in->kind == PB_INL_FOOTREF)
            pb_buf_printf(o, " n=%d", in->number);
        pb_buf_addc(o, '\n');
        dump_inlines(in->children, o, depth + 1);
    }
}

static void dump_block(const pb_block *b, pb_buf *o, int depth)
{
    static const char *const al[] = {"-", "l", "c", "r"};
    indent(o, depth);
    pb_buf_printf(o, "%s %d:%d-%d:%d", pb_block_kind_name(b->kind), b->line, b->col, b->end_line,
                  b->end_col);
    switch (b->kind) {
    case PB_BLK_HEADING:
        pb_buf_printf(o, " level=%d", b->level);
        break;
    case PB_BLK_LIST:
        if (b->ordered)
            pb_buf_printf(o, " ordered start=%d delim='%c'", b->start, b->delim);
        else
            pb_buf_adds(o, " bullet");
        pb_buf_adds(o, b->tight ? " tight" : " loose");
        break;
    case PB_BLK_CODE:
        if (b->info && *b->info) {
            pb_buf_adds(o, " info=");
            quoted(o, b->info, strlen(b->info));
        }
        break;
    case PB_BLK_TABLE:
        pb_buf_printf(o, " cols=%d align=", b->n_cols);
        for (int i = 0; i < b->n_cols; i++)
            pb_buf_adds(o, al[b->aligns[i]]);
        if (b->inlines)
            pb_buf_printf(o, " caption@%d", b->caption_line);
        break;
    case PB_BLK_ROW:
        if (b->header)
            pb_buf_adds(o, " header");
        break;
    case PB_BLK_FIGURE:
        pb_buf_adds(o, " url=");
        quoted(o, b->url, strlen(b->url));
        break;
    case PB_BLK_FOOTNOTE:
        pb_buf_printf(o, " n=%d", b->number);
        break;
    default:
        break;
    }
    pb_buf_addc(o, '\n');
    if (b->literal) {
        indent(o, depth + 1);
        pb_buf_adds(o, "literal ");
        quoted(o, b->literal, strlen(b->literal));
        pb_buf_addc(o, '\n');
    }
    if (b->inlines) {
        if (b->kind == PB_BLK_TABLE) {
            indent(o, depth + 1);
            pb_buf_adds(o, "caption\n");
            dump_inlines(b->inlines, o, depth + 2);
        } else {
            dump_inlines(b->inlines, o, depth + 1);
        }
    }
    for (size_t i = 0; i < b->n_children; i++)
        dump_block(b->children[i], o, depth + 1);
}

void pb_doc_dump(const pb_doc *doc, pb_buf *o)
{
    const pb_meta *m = &doc->meta;
    pb_buf_adds(o, "meta\n");
#define META_STR(name, v)                                                                      \
    if (v) {                                                                                   \
        pb_buf_adds(o, "  " name " ");                                                         \
        quoted(o, v, strlen(v));                                                               \
        pb_buf_addc(o, '\n');                                                                  \
    }
    META_STR("title", m->title);
    META_STR("subtitle", m->subtitle);
    for (size_t i = 0; i < m->n_authors; i++) {
        pb_buf_adds(o, "  author ");
        quoted(o, m->authors[i].name, strlen(m->authors[i].name));
        if (m->authors[i].affiliation) {
            pb_buf_adds(o, " affiliation=");
            quoted(o, m->authors[i].affiliation, strlen(m->authors[i].affiliation));
        }
        pb_buf_addc(o, '\n');
    }
    META_STR("date", m->date);
    META_STR("lang", m->lang);
    META_STR("keywords", m->keywords);
    META_STR("layout", m->layout);
#undef META_STR
    if (m->toc_set)
        pb_buf_printf(o, "  toc %s\n", m->toc ? "true" : "false");
    for (size_t i = 0; i < m->n_fonts; i++) {
        pb_buf_printf(o, "  font %s=", m->fonts[i].key);
        quoted(o, m->fonts[i].value, strlen(m->fonts[i].value));
        pb_buf_printf(o, " @%d:%d\n", m->fonts[i].line, m->fonts[i].col);
    }
    for (size_t i = 0; i < m->n_overrides; i++) {
        pb_buf_printf(o, "  set %s=", m->overrides[i].key);
        quoted(o, m->overrides[i].value, strlen(m->overrides[i].value));
        pb_buf_printf(o, " @%d:%d\n", m->overrides[i].line, m->overrides[i].col);
    }
    if (m->abstract) {
        pb_buf_adds(o, "  abstract\n");
        for (size_t i = 0; i < m->abstract->n_children; i++)
            dump_block(m->abstract->children[i], o, 2);
    }
    dump_block(doc->root, o, 0);
    for (size_t i = 0; i < doc->n_footnotes; i++)
        dump_block(doc->footnotes[i], o, 0);
}
