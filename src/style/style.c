/* style.c - the built-in page design, comparison of designs, and the number
 * formats of Chinese reports (一、 （一） 1. （1）). The built-in design must stay
 * equal to layout/report.yaml (tests/unit/test_style.c checks it). */
#include "style_internal.h"

#include <stdlib.h>
#include <string.h>

/* The built-in design, key by key as layout/report.yaml writes it (a unit test
 * checks the two agree): A4, 小四 body on a 20pt pitch in a grid of 35 lines of 38
 * characters, 宋体-style body and 黑体-style headings, numbered 一、（一）1.（1）. */
static const struct {
    const char *key, *value;
} builtin[] = {
    {"paper", "A4"}, /* no orientation: the paper as written */
    {"two-sided", "false"},
    {"chapter-recto", "false"},
    {"bleed", "0mm"},
    {"crop-marks", "false"},
    /* a 38-character measure centred across the page; 35 lines hung 26mm from the
     * top, which leaves room above for the running header */
    {"margin.top", "26mm"},
    {"margin.bottom", "auto"},
    {"margin.inner", "auto"},
    {"margin.outer", "auto"},
    {"grid", "true"},
    {"chars-per-line", "38"},
    {"lines-per-page", "35"},
    {"body-size", "小四"},
    {"line-pitch", "20pt"},
    {"paragraph.indent", "2字"},
    {"paragraph.space", "0pt"},
    {"paragraph.full-width-punctuation", "false"},
    {"color.text", "black"},
    {"color.rule", "black"},
    {"color.link", "black"},
    {"color.marks", "registration"},
    {"fonts.body.cjk", "Noto Serif CJK SC"},
    {"fonts.body.latin", "Noto Serif CJK SC"},
    {"fonts.body.weight", "regular"},
    {"fonts.heading.cjk", "Noto Sans CJK SC"},
    {"fonts.heading.latin", "Noto Sans CJK SC"},
    {"fonts.heading.weight", "regular"},
    {"fonts.mono.cjk", "Noto Sans Mono CJK SC"},
    {"fonts.mono.latin", "DejaVu Sans Mono"},
    {"fonts.mono.weight", "regular"},
    {"fonts.emph.cjk", "LXGW WenKai"},
    {"fonts.emph.latin", "Noto Serif CJK SC"},
    {"fonts.emph.weight", "regular"},
    {"fonts.quote.cjk", "LXGW WenKai"},
    {"fonts.quote.latin", "Noto Serif CJK SC"},
    {"fonts.quote.weight", "regular"},
#define HEADING(n, font, size, weight, before, after, indent, number, numbering, brk, toc)      \
    {"h" #n ".font", font}, {"h" #n ".size", size}, {"h" #n ".weight", weight},                \
        {"h" #n ".align", "left"}, {"h" #n ".before", before}, {"h" #n ".after", after},       \
        {"h" #n ".indent", indent}, {"h" #n ".number", number},                                \
        {"h" #n ".numbering", numbering}, {"h" #n ".page-break", brk},                         \
        {"h" #n ".toc", toc}, {"h" #n ".color", "black"}
    /* chapters start on a new page, as in a printed report */
    HEADING(1, "heading", "三号", "bold", "20pt", "10pt", "0pt", "{n}、", "chinese", "true", "true"),
    HEADING(2, "heading", "四号", "bold", "10pt", "0pt", "0pt", "（{n}）", "chinese", "false", "true"),
    HEADING(3, "heading", "小四", "bold", "10pt", "0pt", "2字", "{n}.", "arabic", "false", "false"),
    HEADING(4, "heading", "小四", "regular", "10pt", "0pt", "2字", "（{n}）", "arabic", "false", "false"),
    HEADING(5, "body", "小四", "regular", "10pt", "0pt", "2字", "{n})", "alpha", "false", "false"),
    HEADING(6, "body", "小四", "regular", "10pt", "0pt", "2字", "{n})", "roman", "false", "false"),
#undef HEADING
    {"header.left", "{title}"},
    {"header.center", ""},
    {"header.right", "{chapter}"},
    {"header.font", "body"},
    {"header.size", "小五"},
    {"header.rule", "0.5pt"},
    {"header.gap", "14pt"},
    {"header.inset", "0pt"},
    {"footer.left", ""},
    {"footer.center", "{page}"},
    {"footer.right", ""},
    {"footer.font", "body"},
    {"footer.size", "小五"},
    {"footer.gap", "28pt"},
    {"footer.inset", "0pt"},
    {"footnote.size", "小五"},
    {"footnote.pitch", "14pt"},
    {"footnote.rule-length", "25%"},
    {"table.style", "three-line"},
    {"table.size", "五号"},
    {"table.pitch", "16pt"},
    {"table.rule-thick", "1pt"},
    {"table.rule-thin", "0.5pt"},
    {"table.padding", "6pt"},
    {"caption.table", "表{n}　{title}"},
    {"caption.continued", "续表{n}"},
    {"caption.figure", "图{n}　{title}"},
    {"caption.size", "五号"},
    {"list.indent", "2字"},
    {"list.bullets", "●\x1f○\x1f■"},
    {"quote.indent", "2字"},
    {"quote.font", "quote"},
    {"quote.size", "小四"},
    {"code.size", "9.5pt"},
    {"code.pitch", "14pt"},
    {"code.background", "cmyk(0, 0, 0, 0.06)"},
    {"cover", "true"},
    {"signature", "false"},
    {"toc", "false"},
    {"toc-depth", "2"},
    {"toc-title", "目　录"},
    {"abstract-title", "摘　要"},
    {"title-size", "一号"},
};

void pb_style_builtin(pb_style_entries *out)
{
    for (size_t i = 0; i < PB_COUNT(builtin); i++) {
        pb_style_entry e = {0};
        e.key = builtin[i].key;
        e.value = builtin[i].value;
        e.layer = PB_LAYER_BUILTIN;
        e.is_list = strchr(e.value, PB_STYLE_LIST_SEP) != NULL;
        PB_PUSH(out->v, out->n, out->cap, e);
    }
}

void pb_style_default(pb_style *s, pb_arena *arena)
{
    pb_style_entries es = {0};
    pb_style_builtin(&es);
    pb_diags d;
    pb_diags_init(&d);
    if (!pb_style_apply(s, arena, es.v, es.n, &d)) {
        pb_diags_print(&d, stderr);
        pb_fatal("internal: the built-in page design does not build");
    }
    pb_diags_free(&d);
    free(es.v);
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool color_eq(const pb_color *a, const pb_color *b)
{
    return a->space == b->space && !memcmp(a->v, b->v, sizeof a->v);
}

static bool differ(pb_buf *why, const char *field)
{
    if (why)
        pb_buf_printf(why, "%s differs", field);
    return false;
}

bool pb_style_equal(const pb_style *a, const pb_style *b, pb_buf *why)
{
#define NUM(f)                                                                                 \
    if (a->f != b->f)                                                                          \
    return differ(why, #f)
#define STR(f)                                                                                 \
    if (!str_eq(a->f, b->f))                                                                   \
    return differ(why, #f)
#define COL(f)                                                                                 \
    if (!color_eq(&a->f, &b->f))                                                               \
    return differ(why, #f)
    NUM(page_w);
    NUM(page_h);
    NUM(margin_top);
    NUM(margin_bottom);
    NUM(margin_inner);
    NUM(margin_outer);
    NUM(two_sided);
    NUM(chapter_recto);
    NUM(bleed);
    NUM(crop_marks);
    COL(marks_color);
    NUM(grid);
    NUM(punct_full);
    NUM(chars_per_line);
    NUM(lines_per_page);
    NUM(n_roles);
    for (size_t i = 0; i < a->n_roles; i++) {
        /* where a role was set is provenance, not design: not compared */
        STR(roles[i].name);
        STR(roles[i].cjk);
        STR(roles[i].latin);
        NUM(roles[i].weight);
    }
    NUM(body_size);
    NUM(line_pitch);
    NUM(para_indent);
    NUM(para_space);
    COL(text_color);
    COL(rule_color);
    COL(link_color);
    for (int i = 0; i < 6; i++) {
        STR(h[i].role);
        NUM(h[i].size);
        NUM(h[i].weight);
        NUM(h[i].align);
        NUM(h[i].before);
        NUM(h[i].after);
        NUM(h[i].indent);
        STR(h[i].number_format);
        NUM(h[i].num);
        NUM(h[i].page_break);
        NUM(h[i].in_toc);
        COL(h[i].color);
    }
    STR(header_left);
    STR(header_center);
    STR(header_right);
    STR(footer_left);
    STR(footer_center);
    STR(footer_right);
    STR(header_role);
    STR(footer_role);
    NUM(header_size);
    NUM(footer_size);
    NUM(header_rule);
    NUM(header_gap);
    NUM(footer_gap);
    NUM(header_inset);
    NUM(footer_inset);
    NUM(note_size);
    NUM(note_pitch);
    NUM(note_rule_width);
    NUM(table_style);
    NUM(table_size);
    NUM(table_pitch);
    NUM(table_rule_thick);
    NUM(table_rule_thin);
    NUM(table_pad);
    STR(table_caption);
    STR(table_continued);
    STR(figure_caption);
    NUM(caption_size);
    NUM(list_indent);
    STR(bullets[0]);
    STR(bullets[1]);
    STR(bullets[2]);
    NUM(quote_indent);
    STR(quote_role);
    NUM(quote_size);
    NUM(code_size);
    NUM(code_pitch);
    COL(code_background);
    NUM(cover);
    NUM(signature);
    NUM(toc);
    NUM(toc_depth);
    STR(toc_title);
    STR(abstract_title);
    NUM(title_size);
#undef NUM
#undef STR
#undef COL
    return true;
}

const pb_style_role *pb_style_role_lookup(const pb_style *s, const char *name)
{
    for (size_t i = 0; i < s->n_roles; i++)
        if (!strcmp(s->roles[i].name, name))
            return &s->roles[i];
    return NULL;
}

/* Exact on a grid: the margins were derived from these products, but subtracting
 * them from the page size again would lose the last bits. */
float pb_style_measure(const pb_style *s)
{
    if (s->chars_per_line > 0)
        return (float)s->chars_per_line * s->body_size;
    return s->page_w - s->margin_inner - s->margin_outer;
}

float pb_style_block_height(const pb_style *s)
{
    if (s->lines_per_page > 0)
        return (float)s->lines_per_page * s->line_pitch;
    return s->page_h - s->margin_top - s->margin_bottom;
}

static void cn_number(int n, pb_buf *out)
{
    static const char *const digit[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n >= 100000) {
        pb_buf_printf(out, "%d", n);
        return;
    }
    /* GB conventions: 十, 十一, 二十, 一百零五, 一千零一十 */
    static const char *const unit[] = {"", "十", "百", "千", "万"};
    int digits[5], nd = 0;
    for (int v = n; v > 0; v /= 10)
        digits[nd++] = v % 10;
    bool zero = false;
    for (int i = nd - 1; i >= 0; i--) {
        int d = digits[i];
        if (d == 0) {
            zero = true;
            continue;
        }
        if (zero) {
            pb_buf_adds(out, digit[0]);
            zero = false;
        }
        if (!(d == 1 && i == 1 && nd == 2))
            pb_buf_adds(out, digit[d]);
        pb_buf_adds(out, unit[i]);
    }
}

static void roman(int n, pb_buf *out)
{
    static const int v[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *const r[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
    if (n <= 0 || n >= 4000) {
        pb_buf_printf(out, "%d", n);
        return;
    }
    for (size_t i = 0; i < PB_COUNT(v); i++)
        while (n >= v[i]) {
            pb_buf_adds(out, r[i]);
            n -= v[i];
        }
}

void pb_format_number(pb_num_kind k, int n, pb_buf *out)
{
    switch (k) {
    case PB_NUM_CN:
        cn_number(n, out);
        break;
    case PB_NUM_ROMAN:
        roman(n, out);
        break;
    case PB_NUM_ALPHA: {
        char tmp[16];
        int len = 0;
        for (int v = n; v > 0 && len < 15; v = (v - 1) / 26)
            tmp[len++] = (char)('a' + (v - 1) % 26);
        for (int i = len - 1; i >= 0; i--)
            pb_buf_addc(out, tmp[i]);
        break;
    }
    case PB_NUM_NONE:
        break;
    default:
        pb_buf_printf(out, "%d", n);
        break;
    }
}

void pb_style_heading_number(const pb_style *s, int level, const int counters[6], pb_buf *out)
{
    const char *f = s->h[level - 1].number_format;
    if (!f)
        return;
    while (*f) {
        if (f[0] == '{' && f[1] == 'n' && f[2] == '}') {
            pb_format_number(s->h[level - 1].num, counters[level - 1], out);
            f += 3;
        } else if (f[0] == '{' && f[1] >= '1' && f[1] <= '6' && f[2] == '}') {
            int k = f[1] - '1';
            pb_format_number(s->h[k].num == PB_NUM_NONE ? PB_NUM_ARABIC : s->h[k].num,
                             counters[k], out);
            f += 3;
        } else {
            pb_buf_addc(out, *f++);
        }
    }
}
