/* pdf_content.c - writes a page's content stream from its display list: text as
 * glyph codes in TJ arrays that put every glyph exactly where the typesetter placed
 * it, filled rectangles, stroked lines and image placements. */
#include "pdf_internal.h"

#include <math.h>
#include <string.h>

/* Precision of what we write: 0.001 pt for positions is far below a device pixel;
 * TJ adjustments are in 1/1000 em, so 0.01 of them is 1e-5 em. */
#define PDF_POS_DECIMALS 3
#define PDF_ADJ_DECIMALS 2
#define PDF_COLOR_DECIMALS 4
#define PDF_SKEW_DECIMALS 4
/* Synthetic italic slant: 12 degrees, as most italics are between 10 and 15. */
#define PDF_SLANT_DEGREES 12.0
/* Synthetic bold: outline stroke width as a fraction of the font size. */
#define PDF_BOLD_STROKE (1.0 / 30.0)
/* Coordinates beyond this are garbage from upstream; clamp rather than write them. */
#define PDF_MAX_COORD 1e7

void pdf_num(pb_buf *b, double v, int decimals)
{
    static const long long pow10[] = {1, 10, 100, 1000, 10000, 100000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 5)
        decimals = 5;
    if (!isfinite(v))
        v = 0;
    v = PB_MAX(-PDF_MAX_COORD, PB_MIN(PDF_MAX_COORD, v));
    long long m = pow10[decimals];
    long long q = llround(v * (double)m);
    /* Written by hand, right to left: printf follows LC_NUMERIC (PDF wants '.'), and
     * on a long document the numbers of the content streams were most of its time. */
    char tmp[40], *end = tmp + sizeof tmp, *p = end;
    bool neg = q < 0;
    unsigned long long u = neg ? (unsigned long long)-q : (unsigned long long)q;
    unsigned long long ip = u / (unsigned long long)m, frac = u % (unsigned long long)m;
    if (frac) {
        int digits = decimals;
        while (frac % 10 == 0) { /* no trailing zeros */
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (neg)
        *--p = '-';
    pb_buf_add(b, p, (size_t)(end - p));
}

/* The graphics state we have set, so each operator is written only when it changes.
 * q/Q (around images) restore exactly this state, so tracking stays valid. */
typedef struct gstate {
    bool has_fill, has_stroke;
    pb_color fill, stroke;
    double line_width;
    double dash;
    int render; /* text render mode (Tr) */
    const char *font_name;
    double font_size;
} gstate;

typedef struct writer {
    pdf_ctx *c;
    HPDF_Page page;
    const pb_page *pg;
    double height; /* to flip y: display lists grow down, PDF grows up */
    pb_buf b;
    gstate st;
    pdf_font *name_font; /* cache of the last resource-name lookup */
    const char *name;
} writer;

static void num(writer *w, double v, int decimals)
{
    pdf_num(&w->b, v, decimals);
    pb_buf_addc(&w->b, ' ');
}

static double clamp01(float v)
{
    return isfinite(v) ? PB_MAX(0.0, PB_MIN(1.0, (double)v)) : 0.0;
}

static bool color_eq(const pb_color *a, const pb_color *b)
{
    return a->space == b->space && memcmp(a->v, b->v, sizeof a->v) == 0;
}

/* DeviceCMYK for PB_CMYK (so black text is pure K, `0 0 0 1 k`), DeviceRGB for RGB. */
static void color_op(writer *w, const pb_color *col, bool stroke)
{
    int n = col->space == PB_RGB ? 3 : 4;
    for (int i = 0; i < n; i++)
        num(w, clamp01(col->v[i]), PDF_COLOR_DECIMALS);
    if (n == 3)
        pb_buf_adds(&w->b, stroke ? "RG\n" : "rg\n");
    else
        pb_buf_adds(&w->b, stroke ? "K\n" : "k\n");
}

static void set_fill(writer *w, const pb_color *col)
{
    if (w->st.has_fill && color_eq(&w->st.fill, col))
        return;
    color_op(w, col, false);
    w->st.fill = *col;
    w->st.has_fill = true;
}

static void set_stroke(writer *w, const pb_color *col)
{
    if (w->st.has_stroke && color_eq(&w->st.stroke, col))
        return;
    color_op(w, col, true);
    w->st.stroke = *col;
    w->st.has_stroke = true;
}

static void set_line_width(writer *w, double lw)
{
    if (!isfinite(lw) || lw < 0)
        lw = 0;
    if (lw == w->st.line_width)
        return;
    num(w, lw, PDF_POS_DECIMALS);
    pb_buf_adds(&w->b, "w\n");
    w->st.line_width = lw;
}

static void set_dash(writer *w, double dash)
{
    if (!isfinite(dash) || dash < 0)
        dash = 0;
    if (dash == w->st.dash)
        return;
    if (dash > 0) {
        pb_buf_addc(&w->b, '[');
        num(w, dash, PDF_POS_DECIMALS);
        pdf_num(&w->b, dash, PDF_POS_DECIMALS);
        pb_buf_adds(&w->b, "] 0 d\n");
    } else {
        pb_buf_adds(&w->b, "[] 0 d\n");
    }
    w->st.dash = dash;
}

static void set_render(writer *w, int mode)
{
    if (mode == w->st.render)
        return;
    pb_buf_printf(&w->b, "%d Tr\n", mode);
    w->st.render = mode;
}

/* ---- text ---- */

static const char *font_name(writer *w, pdf_font *pf)
{
    if (w->name_font != pf) {
        w->name = HPDF_Page_GetLocalFontName(w->page, pf->type0);
        w->name_font = w->name ? pf : NULL;
    }
    return w->name;
}

static void hex_code(pb_buf *b, uint32_t code)
{
    static const char hx[] = "0123456789ABCDEF";
    char s[4] = {hx[(code >> 12) & 15], hx[(code >> 8) & 15], hx[(code >> 4) & 15], hx[code & 15]};
    pb_buf_add(b, s, 4);
}

/* One run: a Tm at the first glyph of every stretch of glyphs with the same y_off,
 * then a TJ whose adjustments move the pen from where the previous glyph's /W width
 * left it to where the typesetter put the next glyph. The pen is tracked in double
 * and each adjustment is computed against the absolute target, so rounding never
 * accumulates along a line. */
static void write_run(writer *w, const pb_run *r)
{
    pdf_ctx *c = w->c;
    if (r->n == 0 || !r->font || !r->glyphs)
        return;
    pdf_font *pf = pdf_font_find(c, r->font);
    if (!pf || !pf->type0)
        return; /* already reported while collecting or embedding */
    const char *name = font_name(w, pf);
    if (!name) {
        pdf_check(c, pb_font_path(r->font), "cannot add the font to the page resources");
        return;
    }
    /* the size as Tf will say it, so the pen arithmetic matches the reader's */
    double size = round((double)r->size * 1000.0) / 1000.0;
    if (!isfinite(size) || size <= 0)
        return;
    unsigned n_font_glyphs = pb_font_num_glyphs(r->font);
    pb_buf *b = &w->b;

    set_fill(w, &r->color);
    if (r->synth_bold) {
        /* Fill and stroke the outlines with the same colour (PDF 32000 §9.3.6). */
        set_stroke(w, &r->color);
        set_line_width(w, size * PDF_BOLD_STROKE);
        set_render(w, 2);
    } else {
        set_render(w, 0);
    }
    pb_buf_adds(b, "BT\n");
    if (w->st.font_name != name || w->st.font_size != size) {
        pb_buf_printf(b, "/%s ", name);
        num(w, size, PDF_POS_DECIMALS);
        pb_buf_adds(b, "Tf\n");
        w->st.font_name = name;
        w->st.font_size = size;
    }
    /* synthetic italic shears x by y (PDF 32000 §9.4.2: Tm's c operand) */
    double skew = r->synth_italic ? tan(PDF_SLANT_DEGREES * 3.14159265358979323846 / 180.0) : 0;

    uint32_t i = 0;
    while (i < r->n) {
        /* skip glyphs that were reported as invalid while collecting */
        if (r->glyphs[i].gid >= n_font_glyphs || !pf->slot[r->glyphs[i].gid]) {
            i++;
            continue;
        }
        float y_off = r->glyphs[i].y_off;
        double x0 = (double)r->x + r->glyphs[i].x;
        double y0 = w->height - r->y + y_off;
        pb_buf_adds(b, "1 0 ");
        num(w, skew, PDF_SKEW_DECIMALS);
        pb_buf_adds(b, "1 ");
        num(w, x0, PDF_POS_DECIMALS);
        num(w, y0, PDF_POS_DECIMALS);
        pb_buf_adds(b, "Tm\n[");
        double pen = 0; /* in text space units of 1/1000 em, from x0 */
        bool in_hex = false;
        uint32_t j = i;
        for (; j < r->n && r->glyphs[j].y_off == y_off; j++) {
            const pb_glyph *g = &r->glyphs[j];
            if (g->gid >= n_font_glyphs || !pf->slot[g->gid])
                continue;
            const pdf_glyph *pg = pdf_font_glyph(pf, g->gid);
            double target = ((double)g->x - r->glyphs[i].x) * 1000.0 / size;
            double adj = round((pen - target) * 100.0) / 100.0;
            if (adj != 0) {
                if (in_hex)
                    pb_buf_addc(b, '>');
                in_hex = false;
                pdf_num(b, adj, PDF_ADJ_DECIMALS);
                pen -= adj;
            }
            if (!in_hex)
                pb_buf_addc(b, '<');
            in_hex = true;
            hex_code(b, pg->code);
            pen += pg->width;
        }
        if (in_hex)
            pb_buf_addc(b, '>');
        pb_buf_adds(b, "] TJ\n");
        i = j;
    }
    pb_buf_adds(b, "ET\n");
}

/* ---- graphics ---- */

static void write_rect(writer *w, const pb_item *it)
{
    float x = it->u.rect.x, y = it->u.rect.y, rw = it->u.rect.w, rh = it->u.rect.h;
    if (!(rw > 0 && rh > 0))
        return;
    set_fill(w, &it->u.rect.color);
    num(w, x, PDF_POS_DECIMALS);
    num(w, w->height - y - rh, PDF_POS_DECIMALS);
    num(w, rw, PDF_POS_DECIMALS);
    num(w, rh, PDF_POS_DECIMALS);
    pb_buf_adds(&w->b, "re f\n");
}

static void write_line(writer *w, const pb_item *it)
{
    if (!(it->u.line.width > 0))
        return;
    set_stroke(w, &it->u.line.color);
    set_line_width(w, it->u.line.width);
    set_dash(w, it->u.line.dash);
    num(w, it->u.line.x1, PDF_POS_DECIMALS);
    num(w, w->height - it->u.line.y1, PDF_POS_DECIMALS);
    pb_buf_adds(&w->b, "m ");
    num(w, it->u.line.x2, PDF_POS_DECIMALS);
    num(w, w->height - it->u.line.y2, PDF_POS_DECIMALS);
    pb_buf_adds(&w->b, "l S\n");
}

static void write_image(writer *w, const pb_item *it)
{
    float iw = it->u.image.w, ih = it->u.image.h;
    if (!it->u.image.path || !(iw > 0 && ih > 0))
        return;
    HPDF_Image img = pdf_image_get(w->c, it->u.image.path);
    if (!img)
        return;
    const char *name = HPDF_Page_GetXObjectName(w->page, img);
    if (!name) {
        pdf_check(w->c, it->u.image.path, "cannot add the image to the page resources");
        return;
    }
    /* An image is a unit square; cm scales it to the box (PDF 32000 §8.9.4). */
    pb_buf_adds(&w->b, "q ");
    num(w, iw, PDF_POS_DECIMALS);
    pb_buf_adds(&w->b, "0 0 ");
    num(w, ih, PDF_POS_DECIMALS);
    num(w, it->u.image.x, PDF_POS_DECIMALS);
    num(w, w->height - it->u.image.y - ih, PDF_POS_DECIMALS);
    pb_buf_printf(&w->b, "cm /%s Do Q\n", name);
}

bool pdf_content_write_page(pdf_ctx *c, size_t i)
{
    writer w = {.c = c, .page = c->hpages[i], .pg = c->pages->pages[i]};
    w.height = w.pg->height;
    /* the initial graphics state (PDF 32000 §8.4.1, Table 52) */
    w.st.line_width = 1.0;
    w.st.dash = 0;
    w.st.render = 0;
    pb_buf_init(&w.b);
    for (size_t k = 0; k < w.pg->n_items; k++) {
        const pb_item *it = &w.pg->items[k];
        switch (it->kind) {
        case PB_ITEM_RUN:
            write_run(&w, &it->u.run);
            break;
        case PB_ITEM_RECT:
            write_rect(&w, it);
            break;
        case PB_ITEM_LINE:
            write_line(&w, it);
            break;
        case PB_ITEM_IMAGE:
            write_image(&w, it);
            break;
        case PB_ITEM_LINK:
        case PB_ITEM_DEST:
            break; /* annotations and destinations, see pdf.c */
        }
    }
    HPDF_PageAttr attr = (HPDF_PageAttr)w.page->attr;
    size_t len = w.b.len;
    pdf_stream_set(c, attr->contents, pb_buf_detach(&w.b), len, PDF_Z_TEXT);
    return pdf_check(c, NULL, "cannot write the page content");
}
