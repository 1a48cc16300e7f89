/* style.c - the built-in page design and the number formats of Chinese reports
 * (一、 （一） 1. （1）). The built-in design must stay equal to layout/report.yaml. */
#include "style.h"

#include <string.h>

static const pb_style_role default_roles[] = {
    {"body", "Noto Serif CJK SC", "Noto Serif CJK SC", 400, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0},
    {"heading", "Noto Sans CJK SC", "Noto Sans CJK SC", 400, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0},
    {"mono", "Noto Sans Mono CJK SC", "DejaVu Sans Mono", 400, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0},
    {"emph", "LXGW WenKai", "Noto Serif CJK SC", 400, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0},
    {"quote", "LXGW WenKai", "Noto Serif CJK SC", 400, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0},
};

#define MM(x) ((float)(x) * 72.0f / 25.4f)

void pb_style_default(pb_style *s, pb_arena *arena)
{
    memset(s, 0, sizeof *s);
    s->page_w = MM(210);
    s->page_h = MM(297);
    s->body_size = 12.0f;  /* 小四 */
    s->line_pitch = 20.0f;
    s->chars_per_line = 38;
    s->lines_per_page = 35;
    s->grid = true;
    /* A4 with a 38-character measure and 35 lines, centred horizontally, a little
     * more room at the top for the running header. */
    float measure = s->body_size * (float)s->chars_per_line;
    s->margin_inner = s->margin_outer = (s->page_w - measure) / 2;
    float height = s->line_pitch * (float)s->lines_per_page;
    s->margin_top = MM(26);
    s->margin_bottom = s->page_h - s->margin_top - height;

    s->n_roles = PB_COUNT(default_roles);
    s->roles = pb_arena_memdup(arena, default_roles, sizeof default_roles);

    s->para_indent = 2 * s->body_size;
    s->para_space = 0;
    s->text_color = PB_BLACK;
    s->rule_color = PB_BLACK;
    s->link_color = PB_BLACK;

    static const char *const fmt[6] = {"{n}、", "（{n}）", "{n}.", "（{n}）", "{n})", "{n})"};
    static const pb_num_kind num[6] = {PB_NUM_CN, PB_NUM_CN, PB_NUM_ARABIC, PB_NUM_ARABIC,
                                       PB_NUM_ALPHA, PB_NUM_ROMAN};
    static const float size[6] = {16, 14, 12, 12, 12, 12};
    static const unsigned weight[6] = {700, 700, 700, 400, 400, 400};
    static const char *const role[6] = {"heading", "heading", "heading", "heading", "body", "body"};
    for (int i = 0; i < 6; i++) {
        pb_heading_style *h = &s->h[i];
        h->role = role[i];
        h->size = size[i];
        h->weight = weight[i];
        h->align = 1;
        h->before = i == 0 ? 1.0f * s->line_pitch : 0.5f * s->line_pitch;
        h->after = i == 0 ? 0.5f * s->line_pitch : 0;
        h->indent = i >= 2 ? 2 * s->body_size : 0;
        h->number_format = fmt[i];
        h->num = num[i];
        h->page_break = false;
        h->in_toc = i < 2;
        h->color = PB_BLACK;
    }

    s->header_left = "{title}";
    s->header_right = "{chapter}";
    s->footer_center = "{page}";
    s->header_size = 9.0f;
    s->header_rule = 0.5f;
    s->header_gap = 14.0f;
    s->footer_gap = 28.0f;

    s->note_size = 9.0f;
    s->note_pitch = 14.0f;
    s->note_rule_width = 0.25f;

    s->table_style = PB_TABLE_THREE_LINE;
    s->table_size = 10.5f; /* 五号 */
    s->table_pitch = 16.0f;
    s->table_rule_thick = 1.0f;
    s->table_rule_thin = 0.5f;
    s->table_pad = 6.0f;
    s->table_caption = "表{n}　{title}";
    s->table_continued = "续表{n}";
    s->figure_caption = "图{n}　{title}";
    s->caption_size = 10.5f;

    s->list_indent = 2 * s->body_size;
    s->bullets[0] = "•";
    s->bullets[1] = "◦";
    s->bullets[2] = "▪";
    s->quote_indent = 2 * s->body_size;
    s->quote_role = "quote";
    s->quote_size = 12.0f;
    s->code_size = 9.5f;
    s->code_pitch = 14.0f;
    s->code_background = (pb_color){PB_CMYK, {0, 0, 0, 0.06f}};

    s->cover = true;
    s->toc = false;
    s->toc_depth = 2;
    s->toc_title = "目　录";
    s->abstract_title = "摘　要";
    s->title_size = 26.0f;
}

const pb_style_role *pb_style_role_lookup(const pb_style *s, const char *name)
{
    for (size_t i = 0; i < s->n_roles; i++)
        if (!strcmp(s->roles[i].name, name))
            return &s->roles[i];
    return NULL;
}

float pb_style_measure(const pb_style *s)
{
    return s->page_w - s->margin_inner - s->margin_outer;
}

float pb_style_block_height(const pb_style *s)
{
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

/* Pandoc's font keys map onto roles: mainfont is the Latin body font, CJKmainfont the
 * Chinese one, and so on. */
static void apply_font_key(pb_style *s, pb_arena *arena, const pb_meta_kv *kv, const char *file)
{
    static const struct {
        const char *key, *role;
        bool cjk;
    } map[] = {{"mainfont", "body", false},     {"CJKmainfont", "body", true},
               {"sansfont", "heading", false},  {"CJKsansfont", "heading", true},
               {"monofont", "mono", false},     {"CJKmonofont", "mono", true}};
    for (size_t i = 0; i < PB_COUNT(map); i++) {
        if (strcmp(kv->key, map[i].key))
            continue;
        for (size_t r = 0; r < s->n_roles; r++) {
            pb_style_role *role = &s->roles[r];
            bool hit = !strcmp(role->name, map[i].role);
            /* emphasis and quotes follow the body's Latin font */
            if (!map[i].cjk && !strcmp(map[i].role, "body") &&
                (!strcmp(role->name, "emph") || !strcmp(role->name, "quote")))
                hit = true;
            if (!hit)
                continue;
            if (map[i].cjk) {
                role->cjk = pb_arena_strdup(arena, kv->value);
                role->cjk_file = file;
                role->cjk_line = kv->line;
                role->cjk_col = kv->col;
            } else {
                role->latin = pb_arena_strdup(arena, kv->value);
                role->latin_file = file;
                role->latin_line = kv->line;
                role->latin_col = kv->col;
            }
        }
    }
}

bool pb_style_resolve(pb_style *s, pb_arena *arena, const char *layout_path,
                      const pb_meta *meta, const char *doc_file, pb_diags *diags)
{
    (void)layout_path;
    if (!meta)
        return true;
    for (size_t i = 0; i < meta->n_fonts; i++)
        apply_font_key(s, arena, &meta->fonts[i], doc_file);
    for (size_t i = 0; i < meta->n_overrides; i++)
        pb_diag_add(diags, PB_WARNING, doc_file, meta->overrides[i].line, meta->overrides[i].col,
                    "unknown front matter key '%s' (ignored)", meta->overrides[i].key);
    return true;
}
