/* pdf.c - the PDF stage's entry points: builds the libharu document (pages and
 * boxes, fonts, content, links, outlines, page labels, info), turns libharu's errors
 * into diagnostics, and hands back the bytes. */
#include "pdf_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Outline nesting we follow; deeper entries hang under the deepest kept level.
 * Headings stop at 6 levels, so this only guards against broken input. */
#define PDF_MAX_OUTLINE_DEPTH 32
/* Pages per node of the page tree once a document is longer than this: libharu's
 * arrays stop at 32767 items, and viewers find pages faster in a two-level tree. */
#define PDF_PAGES_PER_NODE 1000
/* libharu refuses strings longer than HPDF_LIMIT_MAX_STRING_LEN (65535 bytes). */
#define PDF_MAX_TEXT_STRING 65000

pb_pdf_options pb_pdf_options_default(void)
{
    return (pb_pdf_options){.creator = "paiban", .date = -1, .compress = true};
}

/* ---- errors ---- */

/* libharu calls this on every error it raises. We only record it: the caller of the
 * failing call checks (pdf_check) and reports it with context. No longjmp. */
static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    pdf_ctx *c = user_data;
    if (c->hpdf_error == HPDF_OK) {
        c->hpdf_error = error_no;
        c->hpdf_detail = detail_no;
    }
}

static const char *hpdf_error_text(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        return "out of memory";
    case HPDF_FILE_IO_ERROR:
    case HPDF_FILE_OPEN_ERROR:
        return "cannot read the file";
    case HPDF_INVALID_PNG_IMAGE:
    case HPDF_LIBPNG_ERROR:
        return "invalid or unsupported PNG data";
    case HPDF_INVALID_JPEG_DATA:
    case HPDF_UNSUPPORTED_JPEG_FORMAT:
        return "invalid or unsupported JPEG data";
    case HPDF_INVALID_IMAGE:
        return "invalid image";
    case HPDF_ARRAY_COUNT_ERR:
    case HPDF_DICT_COUNT_ERR:
        return "too many entries for libharu";
    case HPDF_STRING_OUT_OF_RANGE:
        return "string too long";
    case HPDF_PAGE_INVALID_SIZE:
        return "page size out of range";
    default:
        return "libharu error";
    }
}

bool pdf_check(pdf_ctx *c, const char *file, const char *what)
{
    HPDF_STATUS e = c->hpdf_error, d = c->hpdf_detail;
    if (e == HPDF_OK) {
        /* the object layer sets errors without calling the handler */
        e = HPDF_GetError(c->doc);
        d = HPDF_GetErrorDetail(c->doc);
    }
    if (e == HPDF_OK)
        return true;
    pb_diag_add(c->diags, PB_ERROR, file, 0, 0, "%s: %s (libharu 0x%04X, detail %u)", what,
                hpdf_error_text(e), (unsigned)e, (unsigned)d);
    /* libharu errors are sticky: every later call would fail until this */
    HPDF_ResetError(c->doc);
    c->hpdf_error = c->hpdf_detail = HPDF_OK;
    c->failed = true;
    return false;
}

/* ---- strings ---- */

void *pdf_text_string(pdf_ctx *c, const char *s)
{
    size_t len = strlen(s);
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = false;
    if (ascii && len <= PDF_MAX_TEXT_STRING) {
        HPDF_String str = HPDF_String_New(c->doc->mmgr, s, NULL);
        if (!str)
            pb_fatal("out of memory (libharu string)");
        return str;
    }
    /* UTF-16BE with a byte-order mark (PDF 32000 §7.9.2.2) */
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_add(&b, "\xFE\xFF", 2);
    size_t pos = 0;
    while (pos < len && b.len + 4 <= PDF_MAX_TEXT_STRING) {
        uint32_t cp = pb_utf8_next(s, len, &pos);
        if (cp == PB_UTF8_BAD)
            cp = 0xFFFD;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            char u[4] = {(char)(hi >> 8), (char)(hi & 0xFF), (char)(lo >> 8), (char)(lo & 0xFF)};
            pb_buf_add(&b, u, 4);
        } else {
            char u[2] = {(char)(cp >> 8), (char)(cp & 0xFF)};
            pb_buf_add(&b, u, 2);
        }
    }
    HPDF_Binary bin = HPDF_Binary_New(c->doc->mmgr, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    pb_buf_free(&b);
    if (!bin)
        pb_fatal("out of memory (libharu string)");
    return bin;
}

/* ---- pages ---- */

static HPDF_Box to_pdf_box(const pb_page *pg, const pb_box *b)
{
    return (HPDF_Box){b->x, pg->height - b->y - b->h, b->x + b->w, pg->height - b->y};
}

static bool add_pages(pdf_ctx *c)
{
    c->hpages = pb_xcalloc(c->pages->n_pages, sizeof *c->hpages);
    if (c->pages->n_pages > PDF_PAGES_PER_NODE)
        HPDF_SetPagesConfiguration(c->doc, PDF_PAGES_PER_NODE);
    for (size_t i = 0; i < c->pages->n_pages; i++) {
        const pb_page *pg = c->pages->pages[i];
        HPDF_Page page = HPDF_AddPage(c->doc);
        if (!page)
            return pdf_check(c, NULL, "cannot add a page");
        c->hpages[i] = page;
        if (!(pg->width >= PB_MIN_PAGE_SIZE && pg->width <= PB_MAX_PAGE_SIZE &&
              pg->height >= PB_MIN_PAGE_SIZE && pg->height <= PB_MAX_PAGE_SIZE)) {
            pb_diag_add(c->diags, PB_ERROR, NULL, 0, 0,
                        "internal: page %zu has size %gx%g pt, outside %g..%g", i + 1,
                        (double)pg->width, (double)pg->height, PB_MIN_PAGE_SIZE, PB_MAX_PAGE_SIZE);
            c->failed = true;
            continue;
        }
        HPDF_Page_SetWidth(page, pg->width);
        HPDF_Page_SetHeight(page, pg->height);
        /* print production boxes (PDF 32000 §14.11.2) */
        if (pg->trim.w > 0)
            HPDF_Dict_Add(page, "TrimBox",
                          HPDF_Box_Array_New(c->doc->mmgr, to_pdf_box(pg, &pg->trim)));
        if (pg->bleed.w > 0)
            HPDF_Dict_Add(page, "BleedBox",
                          HPDF_Box_Array_New(c->doc->mmgr, to_pdf_box(pg, &pg->bleed)));
        if (!pdf_check(c, NULL, "cannot set up a page"))
            return false;
    }
    return !c->failed;
}

/* ---- destinations and links ---- */

static int cmp_dest(const void *a, const void *b)
{
    const pdf_dest *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    if (r)
        return r;
    return (x->order > y->order) - (x->order < y->order);
}

static void collect_dests(pdf_ctx *c)
{
    size_t order = 0;
    for (size_t p = 0; p < c->pages->n_pages; p++) {
        const pb_page *pg = c->pages->pages[p];
        for (size_t i = 0; i < pg->n_items; i++) {
            const pb_item *it = &pg->items[i];
            if (it->kind != PB_ITEM_DEST || !it->u.dest.name)
                continue;
            pdf_dest d = {it->u.dest.name, p, it->u.dest.x, it->u.dest.y, order++, NULL};
            PB_PUSH(c->dests, c->n_dests, c->cap_dests, d);
        }
    }
    if (c->n_dests)
        qsort(c->dests, c->n_dests, sizeof *c->dests, cmp_dest);
}

/* The first destination of that name in document order. */
static pdf_dest *find_dest(pdf_ctx *c, const char *name)
{
    size_t lo = 0, hi = c->n_dests;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->dests[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_dests && strcmp(c->dests[lo].name, name) == 0 ? &c->dests[lo] : NULL;
}

/* [page /XYZ left top null]: a null zoom keeps the reader's zoom (PDF 32000 §12.3.2.2);
 * libharu's SetXYZ cannot write null, so the array is rebuilt. left < 0 writes null. */
static HPDF_Destination make_xyz(pdf_ctx *c, size_t page, double left, double top)
{
    HPDF_Page hp = c->hpages[page];
    double h = c->pages->pages[page]->height;
    HPDF_Destination d = HPDF_Page_CreateDestination(hp);
    if (!d)
        return NULL;
    HPDF_MMgr mm = c->doc->mmgr;
    HPDF_Array_Clear(d);
    HPDF_Array_Add(d, hp);
    HPDF_Array_AddName(d, "XYZ");
    if (left >= 0)
        HPDF_Array_AddReal(d, (HPDF_REAL)left);
    else
        HPDF_Array_Add(d, HPDF_Null_New(mm));
    HPDF_Array_AddReal(d, (HPDF_REAL)PB_MAX(0.0, PB_MIN(h, top)));
    HPDF_Array_Add(d, HPDF_Null_New(mm));
    return d;
}

/* URIs must be 7-bit ASCII (PDF 32000 §12.6.4.7); libharu writes bytes as given, so
 * anything else is percent-encoded as UTF-8 (RFC 3986 §2.1). */
static char *uri_encode(const char *uri)
{
    pb_buf b;
    pb_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F)
            pb_buf_printf(&b, "%%%02X", *p);
        else
            pb_buf_addc(&b, (char)*p);
    }
    return pb_buf_detach(&b);
}

static void add_links(pdf_ctx *c, size_t p)
{
    const pb_page *pg = c->pages->pages[p];
    HPDF_Page hp = c->hpages[p];
    for (size_t i = 0; i < pg->n_items; i++) {
        const pb_item *it = &pg->items[i];
        if (it->kind != PB_ITEM_LINK || !(it->u.link.w > 0 && it->u.link.h > 0))
            continue;
        HPDF_Rect r = {it->u.link.x, pg->height - it->u.link.y - it->u.link.h,
                       it->u.link.x + it->u.link.w, pg->height - it->u.link.y};
        HPDF_Annotation a = NULL;
        if (it->u.link.uri) {
            char *uri = uri_encode(it->u.link.uri);
            a = HPDF_Page_CreateURILinkAnnot(hp, r, uri);
            free(uri);
        } else if (it->u.link.dest) {
            pdf_dest *d = find_dest(c, it->u.link.dest);
            if (!d) {
                pb_diag_add(c->diags, PB_WARNING, NULL, 0, 0,
                            "link on page %zu to unknown destination '%s' left out", p + 1,
                            it->u.link.dest);
                continue;
            }
            if (!d->target)
                d->target = make_xyz(c, d->page, d->x, c->pages->pages[d->page]->height - d->y);
            if (d->target)
                a = HPDF_Page_CreateLinkAnnot(hp, r, d->target);
        }
        if (a)
            HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        pdf_check(c, NULL, "cannot create a link");
    }
}

/* ---- outlines, labels, info ---- */

static void add_outlines(pdf_ctx *c)
{
    const pb_pages *ps = c->pages;
    HPDF_Outline stack[PDF_MAX_OUTLINE_DEPTH] = {0};
    int depth = 0;
    for (size_t i = 0; i < ps->n_outlines; i++) {
        const pb_outline *o = &ps->outlines[i];
        /* a level may only go one deeper than its predecessor (pages.h) */
        int level = PB_MAX(1, PB_MIN(o->level, depth + 1));
        level = PB_MIN(level, PDF_MAX_OUTLINE_DEPTH);
        HPDF_Outline parent = level == 1 ? NULL : stack[level - 2];
        HPDF_Outline ol = HPDF_CreateOutline(c->doc, parent, "", NULL);
        if (!ol) {
            pdf_check(c, NULL, "cannot create a bookmark");
            return;
        }
        HPDF_Dict_Add(ol, "Title", pdf_text_string(c, o->title ? o->title : ""));
        /* libharu gives items /Type /Outlines, which belongs to the root only */
        HPDF_Dict_RemoveElement(ol, "Type");
        /* open at level 1: chapters show their sections, deeper levels stay folded */
        HPDF_Outline_SetOpened(ol, level == 1);
        if (o->page < ps->n_pages) {
            HPDF_Destination d =
                make_xyz(c, o->page, -1, ps->pages[o->page]->height - (double)o->y);
            if (d)
                HPDF_Outline_SetDestination(ol, d);
        }
        stack[level - 1] = ol;
        depth = level;
        if (!pdf_check(c, NULL, "cannot create a bookmark"))
            return;
    }
    if (ps->n_outlines)
        HPDF_SetPageMode(c->doc, HPDF_PAGE_MODE_USE_OUTLINE);
}

static int cmp_label(const void *a, const void *b)
{
    const pb_label_range *x = *(const pb_label_range *const *)a;
    const pb_label_range *y = *(const pb_label_range *const *)b;
    if (x->first_page != y->first_page)
        return (x->first_page > y->first_page) - (x->first_page < y->first_page);
    return (x > y) - (x < y); /* stable: earlier in the list first */
}

static void add_label(pdf_ctx *c, size_t first, pb_label_style style, int start, const char *prefix)
{
    static const HPDF_PageNumStyle styles[] = {
        [PB_LABEL_DECIMAL] = HPDF_PAGE_NUM_STYLE_DECIMAL,
        [PB_LABEL_ROMAN_LOWER] = HPDF_PAGE_NUM_STYLE_LOWER_ROMAN,
        [PB_LABEL_ROMAN_UPPER] = HPDF_PAGE_NUM_STYLE_UPPER_ROMAN,
        [PB_LABEL_NONE] = HPDF_PAGE_NUM_STYLE_DECIMAL,
    };
    if ((unsigned)style >= PB_COUNT(styles))
        style = PB_LABEL_DECIMAL;
    /* PDF 32000 §12.4.2: St must be >= 1 */
    HPDF_Dict label = HPDF_PageLabel_New(c->doc, styles[style], PB_MAX(1, start), NULL);
    if (!label) {
        pdf_check(c, NULL, "cannot create a page label");
        return;
    }
    /* libharu writes prefixes as raw bytes; ours go through pdf_text_string */
    if (prefix && *prefix)
        HPDF_Dict_Add(label, "P", pdf_text_string(c, prefix));
    if (style == PB_LABEL_NONE) {
        /* no /S: the label is the prefix alone */
        HPDF_Dict_RemoveElement(label, "S");
        HPDF_Dict_RemoveElement(label, "St");
    }
    HPDF_Catalog_AddPageLabel(c->doc->catalog, (HPDF_UINT)first, label);
}

static void add_labels(pdf_ctx *c)
{
    const pb_pages *ps = c->pages;
    if (ps->n_labels == 0)
        return;
    const pb_label_range **sorted = pb_xmalloc(ps->n_labels * sizeof *sorted);
    for (size_t i = 0; i < ps->n_labels; i++)
        sorted[i] = &ps->labels[i];
    qsort(sorted, ps->n_labels, sizeof *sorted, cmp_label);
    /* the number tree must have an entry for page 0 (PDF 32000 §12.4.2) */
    if (sorted[0]->first_page != 0)
        add_label(c, 0, PB_LABEL_DECIMAL, 1, NULL);
    for (size_t i = 0; i < ps->n_labels; i++) {
        const pb_label_range *l = sorted[i];
        if (l->first_page >= ps->n_pages)
            continue;
        if (i > 0 && sorted[i - 1]->first_page == l->first_page)
            continue; /* the first range given for a page wins */
        add_label(c, l->first_page, l->style, l->start, l->prefix);
    }
    free(sorted);
    pdf_check(c, NULL, "cannot write the page labels");
}

static void add_date(pdf_ctx *c, HPDF_InfoType type, long long epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    if ((long long)t != epoch || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) {
        pb_diag_add(c->diags, PB_WARNING, NULL, 0, 0,
                    "document date %lld is out of range; left out", epoch);
        return;
    }
    HPDF_Date d = {tm.tm_year + 1900,     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   PB_MIN(tm.tm_sec, 59), 'Z',           0,          0};
    HPDF_SetInfoDateAttr(c->doc, type, d);
}

static void add_info(pdf_ctx *c)
{
    const pb_pages *ps = c->pages;
    /* makes sure the Info dictionary exists, then we fill it directly */
    HPDF_SetInfoAttr(c->doc, HPDF_INFO_PRODUCER, "paiban");
    HPDF_Dict info = c->doc->info;
    if (!info) {
        pdf_check(c, NULL, "cannot write the document information");
        return;
    }
    const struct {
        const char *key, *value;
    } entries[] = {
        {"Title", ps->title},       {"Author", ps->author},      {"Subject", ps->subject},
        {"Keywords", ps->keywords}, {"Creator", c->opt.creator},
    };
    for (size_t i = 0; i < PB_COUNT(entries); i++)
        if (entries[i].value && *entries[i].value)
            HPDF_Dict_Add(info, entries[i].key, pdf_text_string(c, entries[i].value));
    if (c->opt.date >= 0) {
        add_date(c, HPDF_INFO_CREATION_DATE, c->opt.date);
        add_date(c, HPDF_INFO_MOD_DATE, c->opt.date);
    }
    pdf_check(c, NULL, "cannot write the document information");
}

/* ---- output ---- */

static bool save(pdf_ctx *c, char **out, size_t *out_len)
{
    if (HPDF_SaveToStream(c->doc) != HPDF_OK)
        return pdf_check(c, NULL, "cannot write the PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(c->doc);
    char *buf = pb_xmalloc(size ? size : 1);
    HPDF_UINT32 got = size;
    HPDF_STATUS st = HPDF_ReadFromStream(c->doc, (HPDF_BYTE *)buf, &got);
    /* reading to the end may report HPDF_STREAM_EOF, which is not a failure */
    if (st == HPDF_STREAM_EOF) {
        HPDF_ResetError(c->doc);
        c->hpdf_error = c->hpdf_detail = HPDF_OK;
        st = HPDF_OK;
    }
    if (st != HPDF_OK || got != size) {
        free(buf);
        pb_diag_add(c->diags, PB_ERROR, NULL, 0, 0,
                    "cannot read the PDF back from memory (libharu 0x%04X)", (unsigned)st);
        c->failed = true;
        return false;
    }
    *out = buf;
    *out_len = got;
    return true;
}

bool pb_pdf_render(const pb_pages *pages, const pb_pdf_options *opt, char **out, size_t *out_len,
                   pb_diags *diags)
{
    *out = NULL;
    *out_len = 0;
    pdf_ctx ctx = {.pages = pages, .diags = diags};
    pdf_ctx *c = &ctx;
    c->opt = opt ? *opt : pb_pdf_options_default();
    if (!pages || pages->n_pages == 0) {
        pb_diag_add(diags, PB_ERROR, NULL, 0, 0, "internal: the document has no pages");
        return false;
    }
    c->doc = HPDF_New(on_hpdf_error, c);
    if (!c->doc)
        pb_fatal("out of memory (libharu document)");
    HPDF_SetCompressionMode(c->doc, c->opt.compress ? HPDF_COMP_ALL : HPDF_COMP_NONE);

    if (c->opt.cache)
        pdf_cache_begin(c->opt.cache);
    bool ok = add_pages(c);
    collect_dests(c);
    /* Every glyph of the document is known before any content is written, so fonts
     * are subset first and pages written once with the final codes. */
    if (ok)
        ok = pdf_fonts_collect(c) && pdf_fonts_embed(c);
    if (ok) {
        for (size_t i = 0; i < pages->n_pages; i++) {
            pdf_content_write_page(c, i);
            add_links(c, i);
            if (c->opt.progress && (i + 1) % 16 == 0)
                c->opt.progress(c->opt.progress_user, i + 1, pages->n_pages);
        }
        add_outlines(c);
        add_labels(c);
        add_info(c);
    }
    ok = ok && pdf_streams_finish(c) && !c->failed && save(c, out, out_len);

    pdf_streams_free(c);
    if (c->opt.cache)
        pdf_cache_end(c->opt.cache);
    pdf_fonts_free(c);
    pdf_images_free(c);
    free(c->dests);
    free(c->hpages);
    HPDF_Free(c->doc);
    return ok;
}

int pb_pdf_write(const pb_pages *pages, const pb_pdf_options *opt, const char *path,
                 pb_diags *diags)
{
    char *data;
    size_t len;
    if (!pb_pdf_render(pages, opt, &data, &len, diags))
        return PB_PDF_RENDER_FAILED;
    bool ok = pdf_file_write_atomic(path, data, len, diags);
    free(data);
    return ok ? PB_PDF_OK : PB_PDF_SYSTEM_ERROR;
}
