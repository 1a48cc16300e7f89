/* keys.c - the keys of the page-design format and what each one sets: value
 * parsers (lengths in pt/mm/cm/in/em/字, 号 sizes, paper names, colours, weights),
 * and the page geometry, solved once every layer has been read. Documented key by
 * key in layout/README.md; the built-in values are in style.c. */
#include "style_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the key table ---- */

typedef enum {
    T_NONE,      /* accepted and ignored (description) */
    T_PAPER,     /* page size by name or WxH */
    T_ORIENT,    /* portrait | landscape */
    T_BOOL,
    T_LEN,       /* length >= 0 */
    T_SIZE,      /* font size: length or 号 name */
    T_INT,       /* integer in [lo, hi] */
    T_STR,       /* any text */
    T_TPL_HF,    /* header/footer template: {title} {chapter} {page} {pages} */
    T_TPL_CAP,   /* caption template: {n} {title} */
    T_TPL_NUM,   /* heading number template: {n} {1}..{6} */
    T_COLOR,
    T_WEIGHT,
    T_ALIGN,
    T_NUMKIND,
    T_TABLE,
    T_FRACTION,  /* 0..1 or a percentage */
    T_ROLE,      /* the name of a font role */
    T_BULLETS,   /* a list of up to three bullet strings */
    T_FAMILY,    /* font family name or file */
    T_FAMILY_OPT, /* ... or "none" */
    T_GEOM,      /* a geometry quantity: a length, a count, or auto */
    T_MARGINS,   /* all four margins at once */
} ktype;

/* where a key writes */
typedef enum { S_STYLE, S_HEADING, S_ROLE, S_GEOM, S_PAGE } kscope;

enum { G_TOP, G_BOTTOM, G_INNER, G_OUTER, G_LINES, G_CHARS, G_PITCH, G_N };

typedef struct keydef {
    const char *key;
    ktype type;
    kscope scope;
    size_t off; /* into pb_style, pb_heading_style or pb_style_role; G_* for S_GEOM */
    int lo, hi; /* T_INT range */
} keydef;

#define ST(f) S_STYLE, offsetof(pb_style, f)
#define HS(f) S_HEADING, offsetof(pb_heading_style, f)
#define RO(f) S_ROLE, offsetof(pb_style_role, f)

static const keydef keys[] = {
    {"description", T_NONE, S_PAGE, 0, 0, 0},
    {"paper", T_PAPER, S_PAGE, 0, 0, 0},
    {"orientation", T_ORIENT, S_PAGE, 0, 0, 0},
    {"two-sided", T_BOOL, ST(two_sided), 0, 0},
    {"chapter-recto", T_BOOL, ST(chapter_recto), 0, 0},
    {"bleed", T_LEN, ST(bleed), 0, 0},
    {"crop-marks", T_BOOL, ST(crop_marks), 0, 0},
    {"margin", T_MARGINS, S_GEOM, 0, 0, 0},
    {"margin.top", T_GEOM, S_GEOM, G_TOP, 0, 0},
    {"margin.bottom", T_GEOM, S_GEOM, G_BOTTOM, 0, 0},
    {"margin.inner", T_GEOM, S_GEOM, G_INNER, 0, 0},
    {"margin.outer", T_GEOM, S_GEOM, G_OUTER, 0, 0},
    {"grid", T_BOOL, ST(grid), 0, 0},
    {"chars-per-line", T_GEOM, S_GEOM, G_CHARS, 1, 500},
    {"lines-per-page", T_GEOM, S_GEOM, G_LINES, 1, 1000},
    {"body-size", T_SIZE, ST(body_size), 0, 0},
    {"line-pitch", T_GEOM, S_GEOM, G_PITCH, 0, 0},
    {"paragraph.indent", T_LEN, ST(para_indent), 0, 0},
    {"paragraph.space", T_LEN, ST(para_space), 0, 0},
    {"paragraph.full-width-punctuation", T_BOOL, ST(punct_full), 0, 0},
    {"color.text", T_COLOR, ST(text_color), 0, 0},
    {"color.rule", T_COLOR, ST(rule_color), 0, 0},
    {"color.link", T_COLOR, ST(link_color), 0, 0},
    {"color.marks", T_COLOR, ST(marks_color), 0, 0},
    {"fonts.ROLE", T_FAMILY, RO(cjk), 0, 0},
    {"fonts.ROLE.cjk", T_FAMILY, RO(cjk), 0, 0},
    {"fonts.ROLE.latin", T_FAMILY_OPT, RO(latin), 0, 0},
    {"fonts.ROLE.weight", T_WEIGHT, RO(weight), 0, 0},
    {"hN.font", T_ROLE, HS(role), 0, 0},
    {"hN.size", T_SIZE, HS(size), 0, 0},
    {"hN.weight", T_WEIGHT, HS(weight), 0, 0},
    {"hN.align", T_ALIGN, HS(align), 0, 0},
    {"hN.before", T_LEN, HS(before), 0, 0},
    {"hN.after", T_LEN, HS(after), 0, 0},
    {"hN.indent", T_LEN, HS(indent), 0, 0},
    {"hN.number", T_TPL_NUM, HS(number_format), 0, 0},
    {"hN.numbering", T_NUMKIND, HS(num), 0, 0},
    {"hN.page-break", T_BOOL, HS(page_break), 0, 0},
    {"hN.toc", T_BOOL, HS(in_toc), 0, 0},
    {"hN.color", T_COLOR, HS(color), 0, 0},
    {"header.left", T_TPL_HF, ST(header_left), 0, 0},
    {"header.center", T_TPL_HF, ST(header_center), 0, 0},
    {"header.right", T_TPL_HF, ST(header_right), 0, 0},
    {"header.font", T_ROLE, ST(header_role), 0, 0},
    {"header.size", T_SIZE, ST(header_size), 0, 0},
    {"header.rule", T_LEN, ST(header_rule), 0, 0},
    {"header.gap", T_LEN, ST(header_gap), 0, 0},
    {"header.inset", T_LEN, ST(header_inset), 0, 0},
    {"footer.left", T_TPL_HF, ST(footer_left), 0, 0},
    {"footer.center", T_TPL_HF, ST(footer_center), 0, 0},
    {"footer.right", T_TPL_HF, ST(footer_right), 0, 0},
    {"footer.font", T_ROLE, ST(footer_role), 0, 0},
    {"footer.size", T_SIZE, ST(footer_size), 0, 0},
    {"footer.gap", T_LEN, ST(footer_gap), 0, 0},
    {"footer.inset", T_LEN, ST(footer_inset), 0, 0},
    {"footnote.size", T_SIZE, ST(note_size), 0, 0},
    {"footnote.pitch", T_LEN, ST(note_pitch), 0, 0},
    {"footnote.rule-length", T_FRACTION, ST(note_rule_width), 0, 0},
    {"table.style", T_TABLE, ST(table_style), 0, 0},
    {"table.size", T_SIZE, ST(table_size), 0, 0},
    {"table.pitch", T_LEN, ST(table_pitch), 0, 0},
    {"table.rule-thick", T_LEN, ST(table_rule_thick), 0, 0},
    {"table.rule-thin", T_LEN, ST(table_rule_thin), 0, 0},
    {"table.padding", T_LEN, ST(table_pad), 0, 0},
    {"caption.table", T_TPL_CAP, ST(table_caption), 0, 0},
    {"caption.continued", T_TPL_CAP, ST(table_continued), 0, 0},
    {"caption.figure", T_TPL_CAP, ST(figure_caption), 0, 0},
    {"caption.size", T_SIZE, ST(caption_size), 0, 0},
    {"list.indent", T_LEN, ST(list_indent), 0, 0},
    {"list.bullets", T_BULLETS, ST(bullets), 0, 0},
    {"quote.indent", T_LEN, ST(quote_indent), 0, 0},
    {"quote.font", T_ROLE, ST(quote_role), 0, 0},
    {"quote.size", T_SIZE, ST(quote_size), 0, 0},
    {"code.size", T_SIZE, ST(code_size), 0, 0},
    {"code.pitch", T_LEN, ST(code_pitch), 0, 0},
    {"code.background", T_COLOR, ST(code_background), 0, 0},
    {"cover", T_BOOL, ST(cover), 0, 0},
    {"signature", T_BOOL, ST(signature), 0, 0},
    {"toc", T_BOOL, ST(toc), 0, 0},
    {"toc-depth", T_INT, ST(toc_depth), 1, 6},
    {"toc-title", T_STR, ST(toc_title), 0, 0},
    {"abstract-title", T_STR, ST(abstract_title), 0, 0},
    {"title-size", T_SIZE, ST(title_size), 0, 0},
};

/* Other spellings: left/right for one-sided designs, Pandoc's papersize/fontsize. */
static const struct {
    const char *from, *to;
} aliases[] = {{"margin.left", "margin.inner"},
               {"margin.right", "margin.outer"},
               {"papersize", "paper"},
               {"fontsize", "body-size"},
               {"header.centre", "header.center"},
               {"footer.centre", "footer.center"}};

const char *pb_style_key(size_t i)
{
    return i < PB_COUNT(keys) ? keys[i].key : NULL;
}

const char *pb_style_closest(const char *word, const char *const *cand, size_t n)
{
    const char *best = NULL;
    size_t bd = 99;
    for (size_t i = 0; i < n; i++) {
        size_t d = pb_edit_distance(word, cand[i]);
        if (d < bd) {
            bd = d;
            best = cand[i];
        }
    }
    size_t limit = PB_MAX((size_t)2, strlen(word) / 3);
    return bd <= limit ? best : NULL;
}

/* ---- the build state ---- */

typedef struct gq {
    bool given;
    float v;
    int layer;
    const pb_style_entry *at; /* the last entry that set it, given or auto */
} gq;

typedef struct role_ref {
    const char **field;
    const pb_style_entry *at;
} role_ref;

typedef struct build {
    pb_style *s;
    pb_arena *arena;
    pb_diags *diags;
    bool ok;
    pb_style_role *roles;
    size_t n_roles, cap_roles;
    gq g[G_N];
    float paper_w, paper_h;
    const pb_style_entry *paper_at, *orient_at, *size_at, *grid_at;
    int orient; /* 0 as given, 1 portrait, 2 landscape */
    role_ref *refs;
    size_t n_refs, cap_refs;
} build;

static void err(build *B, const pb_style_entry *e, const char *fmt, ...) PB_PRINTF(3, 4);
static void err(build *B, const pb_style_entry *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pb_diag_vadd(B->diags, PB_ERROR, e ? e->file : NULL, e ? e->line : 0, e ? e->col : 0, fmt,
                 ap);
    va_end(ap);
    B->ok = false;
}

static const char *mm(pb_arena *a, float pt)
{
    return pb_arena_printf(a, "%.1fmm", (double)(pt * 25.4f / 72.0f));
}

/* ---- value parsers: each returns false after reporting ---- */

static bool str_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A decimal number without sign or exponent (not strtod: it follows the locale). */
static bool read_number(const char **pp, double *out)
{
    const char *p = *pp;
    double v = 0;
    bool digits = false;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        digits = true;
    }
    if (*p == '.') {
        p++;
        double f = 0.1;
        while (*p >= '0' && *p <= '9') {
            v += f * (*p++ - '0');
            f /= 10;
            digits = true;
        }
    }
    if (!digits)
        return false;
    *pp = p;
    *out = v;
    return true;
}

static const struct {
    const char *name;
    float pt;
} hao[] = {{"初号", 42}, {"小初", 36}, {"一号", 26},  {"小一", 24}, {"二号", 22},   {"小二", 18},
           {"三号", 16}, {"小三", 15}, {"四号", 14},  {"小四", 12}, {"五号", 10.5f}, {"小五", 9},
           {"六号", 7.5f}, {"小六", 6.5f}, {"七号", 5.5f}, {"八号", 5}};

#define LEN_UNITS "pt, mm, cm, in, em or 字"
#define HAO_NAMES "初号, 小初, 一号, 小一, 二号, 小二, 三号, 小三, 四号, 小四, 五号, 小五, 六号, 小六, 七号, 八号"

/* Parses "12pt", "26mm", "2字", "1.5em", "0"; with hao also 小四. em and 字 are
 * the body size (rel; 0 while the body size itself is read). */
static bool parse_len_text(const char *s, float rel, bool hao_ok, float *out, const char **why)
{
    const char *p = skip_ws(s);
    if (hao_ok)
        for (size_t i = 0; i < PB_COUNT(hao); i++)
            if (!strcmp(p, hao[i].name)) {
                *out = hao[i].pt;
                return true;
            }
    if (*p == '-') {
        *why = "must not be negative";
        return false;
    }
    if (*p == '+')
        p++;
    double v;
    if (!read_number(&p, &v)) {
        *why = NULL;
        return false;
    }
    p = skip_ws(p);
    double k;
    if (!strcmp(p, "pt"))
        k = 1;
    else if (!strcmp(p, "mm"))
        k = 72.0 / 25.4;
    else if (!strcmp(p, "cm"))
        k = 72.0 / 2.54;
    else if (!strcmp(p, "in"))
        k = 72.0;
    else if (!strcmp(p, "em") || !strcmp(p, "字")) {
        if (rel <= 0) {
            *why = "cannot be in em or 字 (they are the body size itself)";
            return false;
        }
        k = rel;
    } else if (!*p && v == 0)
        k = 0;
    else if (!*p) {
        *why = "needs a unit";
        return false;
    } else {
        *why = NULL;
        return false;
    }
    *out = (float)(v * k);
    return true;
}

static bool parse_len(build *B, const pb_style_entry *e, bool hao_ok, float *out)
{
    const char *why = NULL;
    if (parse_len_text(e->value, B->s->body_size, hao_ok, out, &why))
        return true;
    if (why)
        err(B, e, "%s: '%s' %s (use a number with %s%s)", e->key, e->value, why, LEN_UNITS,
            hao_ok ? ", or a 号 size" : "");
    else if (hao_ok)
        err(B, e, "%s: bad size '%s' (use a number with %s, e.g. 10.5pt, or a 号 size: %s)",
            e->key, e->value, LEN_UNITS, HAO_NAMES);
    else
        err(B, e, "%s: bad length '%s' (use a number with %s, e.g. 25mm)", e->key, e->value,
            LEN_UNITS);
    return false;
}

static bool parse_size(build *B, const pb_style_entry *e, float *out)
{
    if (!parse_len(B, e, true, out))
        return false;
    if (*out < PB_MIN_FONT_SIZE || *out > PB_MAX_FONT_SIZE) {
        err(B, e, "%s: font size %gpt is outside %g..%gpt", e->key, (double)*out,
            PB_MIN_FONT_SIZE, PB_MAX_FONT_SIZE);
        return false;
    }
    return true;
}

static bool parse_bool(build *B, const pb_style_entry *e, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (str_ieq(e->value, yes[i])) {
            *out = true;
            return true;
        }
        if (str_ieq(e->value, no[i])) {
            *out = false;
            return true;
        }
    }
    err(B, e, "%s: '%s' is not true or false", e->key, e->value);
    return false;
}

static bool parse_int(build *B, const pb_style_entry *e, int lo, int hi, int *out)
{
    const char *p = skip_ws(e->value);
    long v = 0;
    bool digits = false;
    while (*p >= '0' && *p <= '9' && v < 1000000) {
        v = v * 10 + (*p++ - '0');
        digits = true;
    }
    if (!digits || *skip_ws(p) || v < lo || v > hi) {
        err(B, e, "%s: '%s' is not a whole number from %d to %d", e->key, e->value, lo, hi);
        return false;
    }
    *out = (int)v;
    return true;
}

static bool one_of(build *B, const pb_style_entry *e, const char *const *names, size_t n,
                   const int *vals, int *out)
{
    for (size_t i = 0; i < n; i++)
        if (str_ieq(e->value, names[i])) {
            *out = vals[i];
            return true;
        }
    pb_buf b;
    pb_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        pb_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    const char *near = pb_style_closest(e->value, names, n);
    err(B, e, "%s: unknown value '%s'%s%s%s; use one of: %s", e->key, e->value,
        near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "", b.data);
    pb_buf_free(&b);
    return false;
}

static bool parse_weight(build *B, const pb_style_entry *e, unsigned *out)
{
    const char *p = skip_ws(e->value);
    if (*p >= '0' && *p <= '9') {
        int v;
        if (!parse_int(B, e, 1, 1000, &v))
            return false;
        *out = (unsigned)v;
        return true;
    }
    static const char *const names[] = {"thin",     "extralight", "light", "regular", "normal",
                                        "medium",   "semibold",   "bold",  "extrabold", "black"};
    static const int vals[] = {100, 200, 300, 400, 400, 500, 600, 700, 800, 900};
    int v;
    if (!one_of(B, e, names, PB_COUNT(names), vals, &v))
        return false;
    *out = (unsigned)v;
    return true;
}

/* Colour components: numbers in [0, scale] or percentages. */
static bool components(const char *p, int n, double scale, float *out)
{
    p = skip_ws(p);
    for (int i = 0; i < n; i++) {
        double v;
        p = skip_ws(p);
        if (!read_number(&p, &v))
            return false;
        p = skip_ws(p);
        if (*p == '%') {
            v = v / 100.0;
            p++;
        } else {
            v = v / scale;
        }
        if (v > 1.0)
            return false;
        out[i] = (float)v;
        p = skip_ws(p);
        if (i + 1 < n) {
            if (*p != ',')
                return false;
            p++;
        }
    }
    return *p == ')' && !*skip_ws(p + 1);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                               : -1;
}

static bool parse_color_text(const char *s, pb_color *c)
{
    const char *p = skip_ws(s);
    if (str_ieq(p, "black")) {
        *c = PB_BLACK;
        return true;
    }
    if (str_ieq(p, "white")) {
        *c = (pb_color){PB_CMYK, {0, 0, 0, 0}};
        return true;
    }
    if (str_ieq(p, "registration")) {
        *c = (pb_color){PB_CMYK, {1, 1, 1, 1}};
        return true;
    }
    if (!strncmp(p, "cmyk(", 5)) {
        c->space = PB_CMYK;
        return components(p + 5, 4, 1.0, c->v);
    }
    if (!strncmp(p, "rgb(", 4)) {
        *c = (pb_color){PB_RGB, {0, 0, 0, 0}};
        return components(p + 4, 3, 255.0, c->v);
    }
    if (!strncmp(p, "gray(", 5) || !strncmp(p, "grey(", 5)) {
        /* a grey level as in PDF's DeviceGray (0 black, 1 white), printed with the
         * black ink alone */
        float g;
        if (!components(p + 5, 1, 1.0, &g))
            return false;
        *c = (pb_color){PB_CMYK, {0, 0, 0, 1.0f - g}};
        return true;
    }
    if (*p == '#' && strlen(p) == 7) {
        *c = (pb_color){PB_RGB, {0, 0, 0, 0}};
        for (int i = 0; i < 3; i++) {
            int h = hexval(p[1 + 2 * i]), l = hexval(p[2 + 2 * i]);
            if (h < 0 || l < 0)
                return false;
            c->v[i] = (float)(h * 16 + l) / 255.0f;
        }
        return true;
    }
    return false;
}

static bool parse_color(build *B, const pb_style_entry *e, pb_color *c)
{
    if (parse_color_text(e->value, c))
        return true;
    err(B, e,
        "%s: bad colour '%s' (use black, white, registration, cmyk(c, m, y, k) with 0..1 or "
        "percentages, rgb(r, g, b) with 0..255, #rrggbb, or gray(level) with 0 black .. 1 white)",
        e->key, e->value);
    return false;
}

static const struct {
    const char *name;
    float w, h; /* mm */
} papers[] = {{"A3", 297, 420},       {"A4", 210, 297},     {"A5", 148, 210},
              {"A6", 105, 148},       {"B4", 250, 353},     {"B5", 176, 250},
              {"B5-JIS", 182, 257},   {"Letter", 215.9f, 279.4f}, {"Legal", 215.9f, 355.6f},
              {"16开", 185, 260},     {"大16开", 210, 285}, {"32开", 130, 184},
              {"大32开", 140, 203}};

static bool parse_paper(build *B, const pb_style_entry *e)
{
    const char *p = skip_ws(e->value);
    for (size_t i = 0; i < PB_COUNT(papers); i++)
        if (str_ieq(p, papers[i].name)) {
            B->paper_w = papers[i].w * 72.0f / 25.4f;
            B->paper_h = papers[i].h * 72.0f / 25.4f;
            return true;
        }
    /* WIDTH x HEIGHT, with x, X, × or * between */
    const char *sep = NULL;
    size_t seplen = 1;
    for (const char *q = p; *q; q++) {
        if (*q == 'x' || *q == 'X' || *q == '*') {
            sep = q;
            break;
        }
        if (!strncmp(q, "×", strlen("×"))) {
            sep = q;
            seplen = strlen("×");
            break;
        }
    }
    if (sep) {
        char *w = pb_arena_strndup(B->arena, p, (size_t)(sep - p));
        const char *h = sep + seplen;
        size_t wl = strlen(w);
        while (wl && (w[wl - 1] == ' ' || w[wl - 1] == '\t'))
            w[--wl] = 0;
        float fw, fh;
        const char *why;
        if (parse_len_text(w, B->s->body_size, false, &fw, &why) &&
            parse_len_text(h, B->s->body_size, false, &fh, &why)) {
            if (fw < PB_MIN_PAGE_SIZE || fh < PB_MIN_PAGE_SIZE || fw > PB_MAX_PAGE_SIZE ||
                fh > PB_MAX_PAGE_SIZE) {
                err(B, e, "%s: %s x %s is outside the page sizes paiban makes (%s to %s)", e->key,
                    mm(B->arena, fw), mm(B->arena, fh), mm(B->arena, (float)PB_MIN_PAGE_SIZE),
                    mm(B->arena, (float)PB_MAX_PAGE_SIZE));
                return false;
            }
            B->paper_w = fw;
            B->paper_h = fh;
            return true;
        }
    }
    pb_buf b;
    pb_buf_init(&b);
    const char *names[PB_COUNT(papers)];
    for (size_t i = 0; i < PB_COUNT(papers); i++) {
        names[i] = papers[i].name;
        pb_buf_printf(&b, "%s%s", i ? ", " : "", papers[i].name);
    }
    const char *near = pb_style_closest(p, names, PB_COUNT(papers));
    err(B, e, "%s: unknown paper '%s'%s%s%s (use %s, or WIDTH x HEIGHT such as 185mm x 260mm)",
        e->key, e->value, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
        b.data);
    pb_buf_free(&b);
    return false;
}

/* Checks that a template uses only the given placeholders. */
static bool parse_template(build *B, const pb_style_entry *e, const char *const *ph, size_t n,
                           const char **out)
{
    for (const char *p = strchr(e->value, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        bool known = false;
        for (size_t i = 0; close && i < n; i++)
            if (strlen(ph[i]) == (size_t)(close - p + 1) && !strncmp(p, ph[i], strlen(ph[i])))
                known = true;
        if (!known) {
            pb_buf b;
            pb_buf_init(&b);
            for (size_t i = 0; i < n; i++)
                pb_buf_printf(&b, "%s%s", i ? " " : "", ph[i]);
            int len = close ? (int)(close - p + 1) : (int)strlen(p);
            err(B, e, "%s: unknown placeholder '%.*s' in '%s' (this template takes %s)", e->key,
                len, p, e->value, b.data);
            pb_buf_free(&b);
            return false;
        }
    }
    *out = *e->value ? pb_arena_strdup(B->arena, e->value) : NULL;
    return true;
}

static bool parse_fraction(build *B, const pb_style_entry *e, float *out)
{
    const char *p = skip_ws(e->value);
    double v;
    if (read_number(&p, &v)) {
        p = skip_ws(p);
        if (*p == '%') {
            v /= 100;
            p++;
        }
        if (!*skip_ws(p) && v >= 0 && v <= 1) {
            *out = (float)v;
            return true;
        }
    }
    err(B, e, "%s: '%s' is not a fraction (use 0..1 or a percentage such as 25%%)", e->key,
        e->value);
    return false;
}

/* Splits list.bullets: YAML sequences come joined with PB_STYLE_LIST_SEP, front
 * matter sequences with '、'. One bullet serves every level. */
static bool parse_bullets(build *B, const pb_style_entry *e, const char **out)
{
    const char *items[3];
    size_t n = 0;
    const char *p = e->value;
    for (;;) {
        const char *a = strchr(p, PB_STYLE_LIST_SEP);
        const char *b = strstr(p, "、");
        const char *end = a && (!b || a < b) ? a : b;
        size_t skip = end == a ? 1 : strlen("、");
        if (n == 3) {
            n++; /* one too many */
            break;
        }
        if (!end) {
            items[n++] = pb_arena_strdup(B->arena, p);
            break;
        }
        items[n++] = pb_arena_strndup(B->arena, p, (size_t)(end - p));
        p = end + skip;
    }
    if (n > 3) {
        err(B, e, "%s: give one to three bullets (one per list level)", e->key);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (!*items[i]) {
            err(B, e, "%s: a bullet is empty", e->key);
            return false;
        }
    for (size_t i = 0; i < 3; i++)
        out[i] = items[i < n ? i : n - 1];
    return true;
}

/* ---- keys ---- */

static const char *canonical(const char *key)
{
    for (size_t i = 0; i < PB_COUNT(aliases); i++)
        if (!strcmp(key, aliases[i].from))
            return aliases[i].to;
    return key;
}

/* Finds the keydef of a concrete key: "h2.size" matches "hN.size" (level in *level),
 * "fonts.kai.cjk" matches "fonts.ROLE.cjk" (role name in *role). */
static const keydef *find_key(const char *key, int *level, const char **role, size_t *role_len)
{
    *level = 0;
    *role = NULL;
    char pat[96];
    if (key[0] == 'h' && key[1] >= '1' && key[1] <= '6' && key[2] == '.') {
        *level = key[1] - '0';
        snprintf(pat, sizeof pat, "hN.%s", key + 3);
        key = pat;
    } else if (!strncmp(key, "fonts.", 6) && key[6]) {
        const char *name = key + 6;
        const char *dot = strchr(name, '.');
        size_t nl = dot ? (size_t)(dot - name) : strlen(name);
        if (nl == 0)
            return NULL;
        for (size_t i = 0; i < nl; i++) {
            char c = name[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_'))
                return NULL;
        }
        *role = name;
        *role_len = nl;
        snprintf(pat, sizeof pat, "fonts.ROLE%s", dot ? dot : "");
        key = pat;
    }
    for (size_t i = 0; i < PB_COUNT(keys); i++)
        if (!strcmp(keys[i].key, key))
            /* the table's placeholder written as a key ("hN.size") names no level:
             * it would set h[-1] (found by fuzz_layout) */
            return keys[i].scope == S_HEADING && *level == 0 ? NULL : &keys[i];
    return NULL;
}

/* The keys of the table spelled out for one heading level and role, for suggestions. */
static void unknown_key(build *B, const pb_style_entry *e)
{
    const char *key = e->key;
    char lvl = key[0] == 'h' && key[1] >= '1' && key[1] <= '6' ? key[1] : '1';
    char role[64] = "body";
    if (!strncmp(key, "fonts.", 6)) {
        const char *d = strchr(key + 6, '.');
        size_t n = d ? (size_t)(d - key - 6) : strlen(key + 6);
        if (n && n < sizeof role) {
            memcpy(role, key + 6, n);
            role[n] = 0;
        }
    }
    const char *cand[PB_COUNT(keys) + PB_COUNT(aliases)];
    size_t nc = 0;
    for (size_t i = 0; i < PB_COUNT(keys); i++) {
        const char *k = keys[i].key;
        if (!strncmp(k, "hN", 2))
            k = pb_arena_printf(B->arena, "h%c%s", lvl, k + 2);
        else if (!strncmp(k, "fonts.ROLE", 10))
            k = pb_arena_printf(B->arena, "fonts.%s%s", role, k + 10);
        cand[nc++] = k;
    }
    size_t n_listed = nc; /* top-level aliases (Pandoc's) are suggested, not listed */
    for (size_t i = 0; i < PB_COUNT(aliases); i++)
        cand[nc++] = aliases[i].from;
    const char *near = pb_style_closest(key, cand, nc);

    /* the valid keys beside it: same group (prefix up to the last dot), or the top level */
    const char *dot = strrchr(key, '.');
    size_t plen = dot ? (size_t)(dot - key + 1) : 0;
    pb_buf b;
    pb_buf_init(&b);
    bool group_known = false;
    for (size_t i = 0; i < nc; i++)
        if (plen && !strncmp(cand[i], key, plen) && !strchr(cand[i] + plen, '.'))
            group_known = true;
    if (!group_known)
        plen = 0;
    size_t listed = 0;
    for (size_t i = 0; i < (plen ? nc : n_listed); i++) {
        const char *c = cand[i];
        if (plen && strncmp(c, key, plen))
            continue;
        const char *rest = c + plen;
        size_t rl = strcspn(rest, ".");
        /* list each name once */
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *o = cand[j];
            if (plen && strncmp(o, key, plen))
                continue;
            seen = strcspn(o + plen, ".") == rl && !strncmp(o + plen, rest, rl);
        }
        if (seen || (!plen && !strcmp(rest, "description")))
            continue;
        if (!plen && !strncmp(rest, "h", 1) && rest[1] >= '1' && rest[1] <= '6') {
            pb_buf_printf(&b, "%sh1..h6", listed++ ? ", " : "");
            continue;
        }
        pb_buf_printf(&b, "%s%.*s", listed++ ? ", " : "", (int)rl, rest);
    }
    pb_severity sev = e->layer == PB_LAYER_DOCUMENT ? PB_WARNING : PB_ERROR;
    if (sev == PB_WARNING && !plen) {
        /* other tools' metadata (Pandoc's geometry, linestretch, ...) is common in
         * front matter: say it is ignored without the whole list of keys */
        pb_diag_add(B->diags, sev, e->file, e->key_line, e->key_col,
                    "unknown front matter key '%s' ignored%s%s%s (page-design keys are listed in "
                    "layout/README.md)",
                    key, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        pb_buf_free(&b);
        return;
    }
    const char *what = sev == PB_WARNING ? "unknown front matter key" : "unknown key";
    pb_diag_add(B->diags, sev, e->file, e->key_line, e->key_col, "%s '%s'%s%s%s%s; %s%.*s%s%s",
                what, key, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
                sev == PB_WARNING ? " ignored" : "", plen ? "valid keys in " : "valid keys: ",
                (int)(plen ? plen - 1 : 0), key, plen ? ": " : "", b.data);
    if (sev == PB_ERROR)
        B->ok = false;
    pb_buf_free(&b);
}

/* A key that names a group ("margin" is also a key; "h1", "header" are only groups). */
static bool is_group(const char *key)
{
    char pat[96];
    if (key[0] == 'h' && key[1] >= '1' && key[1] <= '6' && !key[2])
        snprintf(pat, sizeof pat, "hN.");
    else if (!strcmp(key, "fonts"))
        snprintf(pat, sizeof pat, "fonts.");
    else
        snprintf(pat, sizeof pat, "%s.", key);
    for (size_t i = 0; i < PB_COUNT(keys); i++)
        if (!strncmp(keys[i].key, pat, strlen(pat)))
            return true;
    return false;
}

static pb_style_role *role_get(build *B, const char *name, size_t len)
{
    for (size_t i = 0; i < B->n_roles; i++)
        if (strlen(B->roles[i].name) == len && !strncmp(B->roles[i].name, name, len))
            return &B->roles[i];
    pb_style_role r = {0};
    r.name = pb_arena_strndup(B->arena, name, len);
    r.weight = 400;
    PB_PUSH(B->roles, B->n_roles, B->cap_roles, r);
    return &B->roles[B->n_roles - 1];
}

static void set_geom(build *B, int q, const pb_style_entry *e, const keydef *k)
{
    gq *g = &B->g[q];
    const char *v = skip_ws(e->value);
    if (str_ieq(v, "auto")) {
        g->given = false;
        g->at = e;
        return;
    }
    float f;
    if (q == G_LINES || q == G_CHARS) {
        int n;
        if (!parse_int(B, e, k->lo, k->hi, &n))
            return;
        f = (float)n;
    } else {
        if (!parse_len(B, e, false, &f))
            return;
        if (q == G_PITCH && f <= 0) {
            err(B, e, "%s: the line pitch must be more than 0", e->key);
            return;
        }
    }
    g->given = true;
    g->v = f;
    g->layer = e->layer;
    g->at = e;
}

static void apply_entry(build *B, const pb_style_entry *e)
{
    int level;
    const char *rname;
    size_t rlen = 0;
    const char *key = canonical(e->key);
    const keydef *k = find_key(key, &level, &rname, &rlen);
    if (!k) {
        if (is_group(key)) {
            pb_severity sev = e->layer == PB_LAYER_DOCUMENT ? PB_WARNING : PB_ERROR;
            pb_diag_add(B->diags, sev, e->file, e->key_line, e->key_col,
                        "'%s' is a group of keys, not a value (write e.g. %s: {...}; see "
                        "layout/README.md)",
                        key, key);
            if (sev == PB_ERROR)
                B->ok = false;
            return;
        }
        unknown_key(B, e);
        return;
    }
    if (e->is_list && k->type != T_BULLETS) {
        err(B, e, "%s takes one value, not a list", e->key);
        return;
    }
    char *base;
    switch (k->scope) {
    case S_STYLE:
        base = (char *)B->s;
        break;
    case S_HEADING:
        base = (char *)&B->s->h[level - 1];
        break;
    case S_ROLE:
        base = (char *)role_get(B, rname, rlen);
        break;
    default:
        base = NULL;
        break;
    }
    void *field = base ? base + k->off : NULL;
    switch (k->type) {
    case T_NONE:
        break;
    case T_PAPER:
        if (parse_paper(B, e))
            B->paper_at = e;
        break;
    case T_ORIENT: {
        static const char *const n[] = {"portrait", "landscape"};
        static const int v[] = {1, 2};
        if (one_of(B, e, n, 2, v, &B->orient))
            B->orient_at = e;
        break;
    }
    case T_BOOL:
        parse_bool(B, e, field);
        if (field == &B->s->grid)
            B->grid_at = e;
        break;
    case T_LEN:
        parse_len(B, e, false, field);
        break;
    case T_SIZE:
        parse_size(B, e, field);
        break;
    case T_INT:
        parse_int(B, e, k->lo, k->hi, field);
        break;
    case T_STR:
        *(const char **)field = pb_arena_strdup(B->arena, e->value);
        break;
    case T_TPL_HF: {
        static const char *const ph[] = {"{title}", "{chapter}", "{page}", "{pages}"};
        parse_template(B, e, ph, PB_COUNT(ph), field);
        break;
    }
    case T_TPL_CAP: {
        static const char *const ph[] = {"{n}", "{title}"};
        parse_template(B, e, ph, PB_COUNT(ph), field);
        break;
    }
    case T_TPL_NUM: {
        static const char *const ph[] = {"{n}", "{1}", "{2}", "{3}", "{4}", "{5}", "{6}"};
        parse_template(B, e, ph, PB_COUNT(ph), field);
        break;
    }
    case T_COLOR:
        parse_color(B, e, field);
        break;
    case T_WEIGHT:
        parse_weight(B, e, field);
        break;
    case T_ALIGN: {
        static const char *const n[] = {"left", "center", "centre", "justify"};
        static const int v[] = {1, 2, 2, 0};
        one_of(B, e, n, PB_COUNT(n), v, field);
        break;
    }
    case T_NUMKIND: {
        static const char *const n[] = {"chinese", "arabic", "roman", "alpha", "none"};
        static const int v[] = {PB_NUM_CN, PB_NUM_ARABIC, PB_NUM_ROMAN, PB_NUM_ALPHA, PB_NUM_NONE};
        int x;
        if (one_of(B, e, n, PB_COUNT(n), v, &x))
            *(pb_num_kind *)field = (pb_num_kind)x;
        break;
    }
    case T_TABLE: {
        static const char *const n[] = {"three-line", "grid", "plain"};
        static const int v[] = {PB_TABLE_THREE_LINE, PB_TABLE_GRID, PB_TABLE_PLAIN};
        int x;
        if (one_of(B, e, n, PB_COUNT(n), v, &x))
            *(pb_table_kind *)field = (pb_table_kind)x;
        break;
    }
    case T_FRACTION:
        parse_fraction(B, e, field);
        break;
    case T_ROLE: {
        const char *v = skip_ws(e->value);
        *(const char **)field = pb_arena_strdup(B->arena, v);
        role_ref r = {field, e};
        size_t i = 0;
        while (i < B->n_refs && B->refs[i].field != (const char **)field)
            i++;
        if (i < B->n_refs)
            B->refs[i] = r;
        else
            PB_PUSH(B->refs, B->n_refs, B->cap_refs, r);
        break;
    }
    case T_BULLETS:
        parse_bullets(B, e, field);
        break;
    case T_FAMILY:
    case T_FAMILY_OPT: {
        pb_style_role *r = (pb_style_role *)base;
        const char *v = skip_ws(e->value);
        if (!*v || (k->type == T_FAMILY && str_ieq(v, "none"))) {
            err(B, e, "%s: needs a font family name or a font file", e->key);
            break;
        }
        const char *val = k->type == T_FAMILY_OPT && str_ieq(v, "none")
                              ? NULL
                              : pb_arena_strdup(B->arena, v);
        bool both = !strcmp(k->key, "fonts.ROLE"); /* shorthand: one family for both */
        if (k->off == offsetof(pb_style_role, cjk)) {
            r->cjk = val;
            r->cjk_file = e->file;
            r->cjk_line = e->line;
            r->cjk_col = e->col;
        }
        if (k->off == offsetof(pb_style_role, latin) || both) {
            r->latin = val;
            r->latin_file = e->file;
            r->latin_line = e->line;
            r->latin_col = e->col;
        }
        r->file = e->file;
        r->line = e->line;
        r->col = e->col;
        break;
    }
    case T_GEOM:
        set_geom(B, (int)k->off, e, k);
        break;
    case T_MARGINS:
        for (int q = G_TOP; q <= G_OUTER; q++)
            set_geom(B, q, e, k);
        break;
    }
}

/* ---- geometry ---- */

static const char *const gname[G_N] = {"margin.top",     "margin.bottom",  "margin.inner",
                                       "margin.outer",   "lines-per-page", "chars-per-line",
                                       "line-pitch"};

/* Where an impossible geometry is reported: the latest entry (in order) among the
 * axis's quantities and what they depend on (paper, orientation, body size, grid).
 * Built-in entries have no position; they are skipped. */
static const pb_style_entry *latest(build *B, const int *qs, size_t n)
{
    const pb_style_entry *cand[G_N + 4];
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        cand[nc++] = B->g[qs[i]].at;
    cand[nc++] = B->paper_at;
    cand[nc++] = B->orient_at;
    cand[nc++] = B->size_at;
    cand[nc++] = B->grid_at;
    const pb_style_entry *best = NULL;
    for (size_t i = 0; i < nc; i++)
        if (cand[i] && cand[i]->file && (!best || cand[i] > best))
            best = cand[i]; /* entries are one array in order */
    return best;
}

/* An axis has more quantities than it can take (`keep` of them): the one given in
 * the earliest layer yields, in the order of qs; within one file that is an error. */
static bool release(build *B, const int *qs, size_t n, size_t keep, const char *how)
{
    for (;;) {
        size_t count = 0;
        int lo = 99, hi = -1;
        for (size_t i = 0; i < n; i++) {
            const gq *g = &B->g[qs[i]];
            if (!g->given)
                continue;
            count++;
            lo = PB_MIN(lo, g->layer);
            hi = PB_MAX(hi, g->layer);
        }
        if (count <= keep)
            return true;
        if (lo == hi) {
            pb_buf b;
            pb_buf_init(&b);
            for (size_t i = 0; i < n; i++)
                pb_buf_printf(&b, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "", gname[qs[i]]);
            err(B, latest(B, qs, n), "the page is over-determined: %s are all given, but %s; set one of them to auto",
                b.data, how);
            pb_buf_free(&b);
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            gq *g = &B->g[qs[i]];
            if (g->given && g->layer == lo) {
                g->given = false;
                break;
            }
        }
    }
}

static void solve_geometry(build *B)
{
    pb_style *s = B->s;
    float W = B->paper_w, H = B->paper_h;
    if (B->orient && ((B->orient == 1) != (W <= H))) {
        float t = W;
        W = H;
        H = t;
    }
    s->page_w = W;
    s->page_h = H;
    float b = s->body_size;
    gq *g = B->g;

    /* across: inner + chars x body + outer = width; the outer margin yields first */
    static const int hq[] = {G_OUTER, G_CHARS, G_INNER};
    if (release(B, hq, 3, 2, "margin.inner + chars-per-line x body-size + margin.outer must "
                             "equal the page width")) {
        float inner, outer, M;
        int C = 0;
        bool ok = true;
        if (g[G_CHARS].given) {
            C = (int)g[G_CHARS].v;
            M = (float)C * b;
            if (g[G_INNER].given) {
                inner = g[G_INNER].v;
                outer = W - inner - M;
            } else if (g[G_OUTER].given) {
                outer = g[G_OUTER].v;
                inner = W - outer - M;
            } else {
                inner = outer = (W - M) / 2;
            }
        } else if (!g[G_INNER].given && !g[G_OUTER].given) {
            err(B, latest(B, hq, 3),
                "the measure is not set: give chars-per-line, or margin.inner and margin.outer");
            ok = false;
            inner = outer = M = 0;
        } else {
            inner = g[G_INNER].given ? g[G_INNER].v : g[G_OUTER].v;
            outer = g[G_OUTER].given ? g[G_OUTER].v : g[G_INNER].v;
            float avail = W - inner - outer;
            if (s->grid && avail > 0) {
                /* a whole number of characters; what is left goes to both margins */
                C = (int)floorf(avail / b + 1e-4f);
                M = (float)C * b;
                inner += (avail - M) / 2;
                outer += (avail - M) / 2;
            } else {
                M = avail;
            }
        }
        if (ok && (inner < -0.01f || outer < -0.01f || M < b)) {
            const char *meas = C ? pb_arena_printf(B->arena, " (%d characters of %gpt)", C, (double)b)
                                 : "";
            err(B, latest(B, hq, 3),
                "impossible geometry: on a page %s wide, margin.inner %s and margin.outer %s "
                "leave a measure of %s%s (at least one %gpt character is needed)",
                mm(B->arena, W), mm(B->arena, inner), mm(B->arena, outer), mm(B->arena, M), meas,
                (double)b);
        }
        s->margin_inner = inner;
        s->margin_outer = outer;
        s->chars_per_line = C;
    }

    /* down: top + lines x pitch + bottom = height; bottom yields first, then the
     * count of lines, the pitch, the top margin */
    static const int vq[] = {G_BOTTOM, G_LINES, G_PITCH, G_TOP};
    if (release(B, vq, 4, 3, "margin.top + lines-per-page x line-pitch + margin.bottom must "
                             "equal the page height")) {
        float top = 0, bottom = 0, p = 0, Hb = 0;
        int L = 0;
        bool ok = true;
        if (!g[G_TOP].given && !g[G_BOTTOM].given &&
            !(g[G_PITCH].given && g[G_LINES].given)) {
            err(B, latest(B, vq, 4),
                "the text block height is not set: give margin.top and margin.bottom, or "
                "lines-per-page and line-pitch");
            ok = false;
        } else if (g[G_PITCH].given) {
            p = g[G_PITCH].v;
            if (g[G_LINES].given) {
                L = (int)g[G_LINES].v;
                Hb = (float)L * p;
                if (g[G_TOP].given) {
                    top = g[G_TOP].v;
                    bottom = H - top - Hb;
                } else if (g[G_BOTTOM].given) {
                    bottom = g[G_BOTTOM].v;
                    top = H - bottom - Hb;
                } else {
                    top = bottom = (H - Hb) / 2;
                }
            } else {
                top = g[G_TOP].given ? g[G_TOP].v : g[G_BOTTOM].v;
                bottom = g[G_BOTTOM].given ? g[G_BOTTOM].v : g[G_TOP].v;
                float avail = H - top - bottom;
                if (s->grid && avail > 0) {
                    /* whole lines; the rest goes below the block */
                    L = (int)floorf(avail / p + 1e-4f);
                    Hb = (float)L * p;
                    bottom += avail - Hb;
                } else {
                    Hb = avail;
                }
            }
        } else if (!g[G_LINES].given) {
            err(B, latest(B, vq, 4), "line-pitch: auto needs lines-per-page");
            ok = false;
        } else {
            /* the pitch that fits the lines between the margins */
            L = (int)g[G_LINES].v;
            top = g[G_TOP].given ? g[G_TOP].v : g[G_BOTTOM].v;
            bottom = g[G_BOTTOM].given ? g[G_BOTTOM].v : g[G_TOP].v;
            Hb = H - top - bottom;
            p = Hb / (float)L;
        }
        if (ok && (top < -0.01f || bottom < -0.01f || Hb <= 0 || (L == 0 && Hb < p))) {
            const char *block = L ? pb_arena_printf(B->arena, " (%d lines of %.2fpt)", L, (double)p)
                                  : "";
            err(B, latest(B, vq, 4),
                "impossible geometry: on a page %s high, margin.top %s and margin.bottom %s "
                "leave a text block of %s%s; lower lines-per-page or set it to auto",
                mm(B->arena, H), mm(B->arena, top), mm(B->arena, bottom), mm(B->arena, Hb), block);
        } else if (ok && p < b * 0.999f) {
            err(B, latest(B, vq, 4),
                "impossible geometry: a line pitch of %.2fpt is less than the body size %gpt "
                "(lines would overlap)",
                (double)p, (double)b);
        }
        s->margin_top = top;
        s->margin_bottom = bottom;
        s->line_pitch = p;
        s->lines_per_page = L;
    }
}

/* ---- entry point ---- */

bool pb_style_apply(pb_style *s, pb_arena *arena, const pb_style_entry *e, size_t n,
                    pb_diags *diags)
{
    build B = {0};
    B.s = s;
    B.arena = arena;
    B.diags = diags;
    B.ok = true;
    memset(s, 0, sizeof *s);
    /* the body size first: em and 字 in every other key are taken against it */
    for (size_t i = 0; i < n; i++)
        if (!strcmp(canonical(e[i].key), "body-size")) {
            float v, was = s->body_size;
            s->body_size = 0; /* em and 字 are the body size: not for the body size */
            if (!e[i].is_list && parse_size(&B, &e[i], &v)) {
                s->body_size = v;
                B.size_at = &e[i];
            } else if (e[i].is_list) {
                s->body_size = was;
                err(&B, &e[i], "%s takes one value, not a list", e[i].key);
            } else {
                s->body_size = was;
            }
        }
    if (s->body_size <= 0) {
        err(&B, NULL, "the design has no body-size");
        s->body_size = 12;
    }
    B.paper_w = 210 * 72.0f / 25.4f;
    B.paper_h = 297 * 72.0f / 25.4f;
    for (size_t i = 0; i < n; i++)
        if (strcmp(canonical(e[i].key), "body-size"))
            apply_entry(&B, &e[i]);

    solve_geometry(&B);

    s->n_roles = B.n_roles;
    s->roles = B.n_roles ? pb_arena_memdup(arena, B.roles, B.n_roles * sizeof *B.roles) : NULL;
    for (size_t i = 0; i < s->n_roles; i++)
        if (!s->roles[i].cjk) {
            const pb_style_entry *at = NULL;
            size_t nl = strlen(s->roles[i].name);
            for (size_t k = 0; k < n; k++)
                if (!strncmp(e[k].key, "fonts.", 6) && !strncmp(e[k].key + 6, s->roles[i].name, nl) &&
                    (e[k].key[6 + nl] == '.' || !e[k].key[6 + nl]))
                    at = &e[k];
            err(&B, at, "font role '%s' has no cjk family (give fonts.%s.cjk)", s->roles[i].name,
                s->roles[i].name);
        }
    for (size_t i = 0; i < B.n_refs; i++) {
        const char *name = *B.refs[i].field;
        if (pb_style_role_lookup(s, name))
            continue;
        pb_buf b;
        pb_buf_init(&b);
        const char **names = pb_xcalloc(s->n_roles + 1, sizeof *names);
        for (size_t k = 0; k < s->n_roles; k++) {
            pb_buf_printf(&b, "%s%s", k ? ", " : "", s->roles[k].name);
            names[k] = s->roles[k].name;
        }
        const char *near = pb_style_closest(name, names, s->n_roles);
        err(&B, B.refs[i].at, "%s: no font role '%s'%s%s%s (roles: %s; add one under fonts:)",
            B.refs[i].at->key, name, near ? " (did you mean '" : "", near ? near : "",
            near ? "'?)" : "", b.data ? b.data : "none");
        free(names);
        pb_buf_free(&b);
    }
    /* print production: the page with its bleed (and marks) must stay a page */
    if (s->bleed > 0 && (s->bleed * 2 >= s->page_w || s->page_w + 2 * s->bleed > PB_MAX_PAGE_SIZE ||
                         s->page_h + 2 * s->bleed > PB_MAX_PAGE_SIZE)) {
        const pb_style_entry *at = NULL;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(e[k].key, "bleed"))
                at = &e[k];
        err(&B, at, "bleed: %s is too large for a page %s wide", mm(arena, s->bleed),
            mm(arena, s->page_w));
    }
    free(B.roles);
    free(B.refs);
    return B.ok;
}
