/* table.c - GFM tables as Chinese publications set them (CJK.md rules 15-16):
 * caption centred above (表N　title), three rules by default, column widths from
 * content (HTML's automatic table layout, then short columns kept unbroken and the
 * table made as short as the widths allow), cells wrapped by the body's line
 * breaking but not justified, numbers in tabular figures lined up on the decimal
 * point. Each row is one vitem, or one per line when it is taller than a page;
 * header rows are remembered so the paginator can repeat them under 续表N. */
#include "typeset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A table too wide for the measure is set smaller before its columns are squeezed,
 * but not below 六号 (7.5pt), the smallest size publications set tables in. */
#define TABLE_MIN_SIZE 7.5f

/* The column-width search (improve_widths) evaluates every cell for every move it
 * tries; beyond this many cell evaluations a table keeps the widths of the first
 * pass, so that a 10,000-row table costs no more than a short one. */
#define WIDTH_SEARCH_BUDGET 4000000.0
#define WIDTH_SEARCH_STEPS 64

typedef struct cell {
    para_build pb;
    pb_para_lines *pl;   /* the cell's lines once set (numbers: set when measured) */
    float min, max;      /* narrowest width and unbroken width of the content */
    int forced;          /* forced line breaks (<br>) in the content */
    const pb_block *src;
    bool number;         /* the whole cell is a number: tabular figures, decimal point */
    float int_w, frac_w; /* number: width before and from its decimal point */
} cell;

typedef struct table {
    ts *T;
    const pb_block *b;
    int nc;
    size_t nr, r0;    /* rows; the first row set (1 when an empty header is left out) */
    cell *cells;      /* nr * nc, row by row */
    float size, pitch, pad, vpad;
    float *cmin, *cmax, *cw; /* per column, padding included */
    float *point;     /* per column: room right of the decimal point, or -1 */
    bool *whole;      /* per column: short enough to stay unbroken (wrapping it costs) */
    bool squeezed;    /* even the narrowest widths do not fit */
    table_info *ti;
} table;

static cell *cell_at(const table *t, size_t r, int c)
{
    return &t->cells[r * (size_t)t->nc + (size_t)c];
}

static pb_align col_align(const table *t, int c)
{
    return t->b->aligns ? t->b->aligns[c] : PB_ALIGN_NONE;
}

/* ---- numbers ---- */

/* Is s a number as tables print them: an optional sign or currency, digits with
 * optional thousands commas, an optional decimal part, an optional % or ‰? Sets
 * *point to the byte offset of the decimal point, or of where it would be (after
 * the last digit). */
static bool parse_number(const char *s, size_t n, uint32_t *point)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    while (n > i && s[n - 1] == ' ')
        n--;
    static const char *const lead[] = {"+", "-", "\xe2\x88\x92" /* − */, "\xc2\xb1" /* ± */,
                                       "$", "\xc2\xa5" /* ¥ */, "\xef\xbf\xa5" /* ￥ */,
                                       "\xe2\x82\xac" /* € */, "\xc2\xa3" /* £ */};
    for (int pass = 0; pass < 2; pass++) /* a sign, then a currency, in either order */
        for (size_t k = 0; k < PB_COUNT(lead); k++) {
            size_t m = strlen(lead[k]);
            if (n - i > m && !memcmp(s + i, lead[k], m)) {
                i += m;
                break;
            }
        }
    size_t digits = 0;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') ||
                     (s[i] == ',' && digits && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9'))) {
        digits += s[i] != ',';
        i++;
    }
    if (!digits)
        return false;
    *point = (uint32_t)i;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f)
            return false;
    }
    static const char *const tail[] = {"%", "\xe2\x80\xb0" /* ‰ */, "\xef\xbc\x85" /* ％ */};
    for (size_t k = 0; k < PB_COUNT(tail); k++) {
        size_t m = strlen(tail[k]);
        if (n - i == m && !memcmp(s + i, tail[k], m)) {
            i += m;
            break;
        }
    }
    return i == n;
}

/* x of the glyph that shows byte `off` of the line's text, relative to the line
 * origin; the line's width when no glyph does (the point is after the end). */
static float x_at(const pb_line *ln, uint32_t off)
{
    for (size_t r = 0; r < ln->n_runs; r++) {
        const pb_run *run = &ln->runs[r];
        for (uint32_t g = 0; g < run->n; g++)
            if (run->glyphs[g].text_len && run->glyphs[g].text_off == off)
                return run->x + run->glyphs[g].x;
    }
    return ln->width;
}

/* A body cell that is a number is set once, unbroken, in tabular figures; its
 * widths either side of the decimal point line it up with its column. */
static bool set_number(table *t, cell *ce)
{
    ts *T = t->T;
    uint32_t point;
    if (!parse_number(ce->pb.text.data, ce->pb.text.len, &point))
        return false;
    for (size_t k = 0; k < ce->pb.n; k++)
        if (ce->pb.spans[k].style.footref || ce->pb.spans[k].style.link)
            return false;
    for (size_t k = 0; k < ce->pb.n; k++)
        ce->pb.spans[k].style.tnum = true;
    pb_para p = {ce->pb.text.data, (uint32_t)ce->pb.text.len, ce->pb.spans, ce->pb.n,
                 1e6f, 0, PB_LEFT, false, T->doc->file, T->st->punct_full};
    pb_para_lines *pl = pb_para_layout(T->text, &p, T->arena, T->diags);
    if (pl->n != 1)
        return false;
    ce->pl = pl;
    ce->number = true;
    ce->min = ce->max = pl->lines[0].width;
    ce->int_w = x_at(&pl->lines[0], point);
    ce->frac_w = ce->max - ce->int_w;
    return true;
}

/* ---- measuring ---- */

static void free_cells(table *t)
{
    for (size_t i = 0; i < t->nr * (size_t)t->nc; i++) {
        pb_build_free(&t->cells[i].pb);
        t->cells[i].pl = NULL;
        t->cells[i].number = false;
        t->cells[i].min = t->cells[i].max = 0;
    }
}

/* Builds every cell at t->size and finds its widths, then the columns'. */
static void measure(table *t)
{
    ts *T = t->T;
    const pb_style *S = T->st;
    for (size_t r = t->r0; r < t->nr; r++) {
        const pb_block *row = t->b->children[r];
        for (int c = 0; c < t->nc; c++) {
            cell *ce = cell_at(t, r, c);
            pb_build_init(&ce->pb);
            ce->forced = 0;
            if ((size_t)c >= row->n_children)
                continue;
            ce->src = row->children[c];
            inline_style is = {row->header ? "heading" : "body", 400, false, t->size,
                               S->text_color, false};
            pb_build_inlines(T, &ce->pb, ce->src->inlines, &is);
            if (!ce->pb.text.len)
                continue;
            for (size_t k = 0; k < ce->pb.text.len; k++)
                ce->forced += ce->pb.text.data[k] == '\n';
            if (row->header || !set_number(t, ce)) {
                pb_para p = {ce->pb.text.data, (uint32_t)ce->pb.text.len, ce->pb.spans, ce->pb.n,
                             1e6f, 0, PB_LEFT, false, T->doc->file, T->st->punct_full};
                pb_para_measure(T->text, &p, &ce->min, &ce->max, T->diags);
            }
        }
    }
    for (int c = 0; c < t->nc; c++) {
        float mn = 0, mx = 0, iw = 0, fw = 0;
        bool numbers = false;
        for (size_t r = t->r0; r < t->nr; r++) {
            const cell *ce = cell_at(t, r, c);
            mn = PB_MAX(mn, ce->min);
            mx = PB_MAX(mx, ce->max);
            if (ce->number) {
                numbers = true;
                iw = PB_MAX(iw, ce->int_w);
                fw = PB_MAX(fw, ce->frac_w);
            }
        }
        /* numbers in a right-aligned column line up on the decimal point: the column
         * holds the widest integer part and the widest fraction side by side */
        t->point[c] = -1;
        if (numbers && col_align(t, c) == PB_ALIGN_RIGHT) {
            t->point[c] = fw;
            mn = PB_MAX(mn, iw + fw);
            mx = PB_MAX(mx, iw + fw);
        }
        t->cmin[c] = mn + 2 * t->pad;
        t->cmax[c] = PB_MAX(mx, mn) + 2 * t->pad;
    }
}

/* ---- column widths ---- */

/* Lines a cell needs in a column of width w, estimated from its unbroken width. A
 * wrapped line of Chinese holds whole characters, so a line's capacity is the
 * width rounded down to whole ems (never below the widest unbreakable piece). */
static long est_lines(const table *t, const cell *ce, float w)
{
    if (!ce->pb.text.len)
        return 0;
    float avail = w - 2 * t->pad;
    long per = 1;
    if (!ce->number && ce->max > avail + 0.01f) {
        float cap = PB_MAX(floorf((avail + 0.01f) / t->size) * t->size, ce->min);
        per = cap > 0 ? PB_MAX(2, (long)ceilf((ce->max - 0.01f) / cap)) : 2;
    }
    return per * (ce->forced + 1);
}

/* The smallest widening of column c that saves a line in one of its cells, or
 * HUGE_VALF when none of them is wrapped. */
static float next_step(const table *t, int c)
{
    float best = HUGE_VALF;
    for (size_t r = t->r0; r < t->nr; r++) {
        const cell *ce = cell_at(t, r, c);
        long n = ce->pb.text.len ? est_lines(t, ce, t->cw[c]) / (ce->forced + 1) : 0;
        if (n < 2)
            continue;
        float need = n == 2 ? ce->max
                            : ceilf(ce->max / ((float)(n - 1) * t->size) - 0.001f) * t->size;
        float d = need + 2 * t->pad - t->cw[c] + 0.02f;
        if (d > 0)
            best = PB_MIN(best, d);
    }
    return best;
}

typedef struct cost {
    long height; /* the table's height in lines */
    long lines;  /* lines of all cells: fewer means fewer needlessly wrapped cells */
} cost;

/* A short label wrapped (a cell of a column that had room to stay unbroken, such
 * as 顶层设计 split in two) or a wrapped header cell (repeated on every page) costs
 * each line it gains as a line of table height: it is worth it only when it saves
 * more than that elsewhere. */
static cost table_cost(const table *t, const float *cw)
{
    cost k = {0, 0};
    for (size_t r = t->r0; r < t->nr; r++) {
        long mx = 1;
        bool header = t->b->children[r]->header;
        for (int c = 0; c < t->nc; c++) {
            const cell *ce = cell_at(t, r, c);
            long n = est_lines(t, ce, cw[c]);
            mx = PB_MAX(mx, n);
            k.lines += n;
            if ((t->whole[c] || header) && n > ce->forced + 1)
                k.height += n - (ce->forced + 1);
        }
        k.height += mx;
    }
    return k;
}

static bool cheaper(cost a, cost b)
{
    return a.height < b.height || (a.height == b.height && a.lines < b.lines);
}

/* Widens one column at the expense of another while that makes the table shorter
 * (or, at the same height, wraps fewer cells): the automatic layout shares the room
 * in proportion to content length, which leaves a cell one character short of a
 * line beside a column with room to spare. Each step tries, for every pair of
 * columns, the smallest widening that saves a line and widenings of 1 to 16 ems. */
static void improve_widths(table *t)
{
    enum { N_TRY = 6 };
    int nc = t->nc;
    double evals = (double)(t->nr - t->r0) * nc * nc * (nc - 1) * N_TRY;
    if (nc < 2 || evals <= 0)
        return;
    double steps = PB_MIN((double)WIDTH_SEARCH_STEPS, WIDTH_SEARCH_BUDGET / evals);
    cost cur = table_cost(t, t->cw);
    for (int s = 0; s < (int)steps; s++) {
        int ba = -1, bb = -1;
        float bd = 0;
        cost best = cur;
        for (int b = 0; b < nc; b++) {
            float tries[N_TRY] = {next_step(t, b), 1, 2, 4, 8, 16};
            for (int i = 1; i < N_TRY; i++)
                tries[i] *= t->size;
            for (int i = 0; i < N_TRY; i++) {
                float d = tries[i];
                if (d == HUGE_VALF)
                    continue;
                for (int a = 0; a < nc; a++) {
                    if (a == b || t->cw[a] - d < t->cmin[a] - 0.01f)
                        continue;
                    t->cw[a] -= d;
                    t->cw[b] += d;
                    cost k = table_cost(t, t->cw);
                    t->cw[a] += d;
                    t->cw[b] -= d;
                    if (cheaper(k, best)) {
                        best = k;
                        ba = a;
                        bb = b;
                        bd = d;
                    }
                }
            }
        }
        if (ba < 0)
            break;
        t->cw[ba] -= bd;
        t->cw[bb] += bd;
        cur = best;
    }
}

static void column_widths(table *t, float width)
{
    int nc = t->nc;
    float *cmin = t->cmin, *cmax = t->cmax, *cw = t->cw;
    float smin = 0, smax = 0;
    for (int c = 0; c < nc; c++) {
        smin += cmin[c];
        smax += cmax[c];
    }
    /* HTML automatic layout (CSS 2.1 17.5.2.2): every column gets its unbroken width
     * when that fits, and spare room widens the columns in proportion to it, so the
     * table spans the measure. */
    if (smax <= width) {
        for (int c = 0; c < nc; c++)
            cw[c] = cmax[c] + (width - smax) * (smax > 0 ? cmax[c] / smax : 1.0f / (float)nc);
        return;
    }
    if (smin >= width) {
        for (int c = 0; c < nc; c++)
            cw[c] = smin > 0 ? cmin[c] * width / smin : width / (float)nc;
        t->squeezed = smin > width * 1.001f;
        return;
    }
    /* Short columns (labels such as 顶层设计) keep their unbroken width when it is
     * within their fair share of the room: HTML's proportional sharing would wrap
     * them to pay for long prose columns that wrap anyway. */
    bool *fixed = t->whole;
    for (int c = 0; c < nc; c++)
        fixed[c] = false;
    for (;;) {
        float room = width, free_min = 0;
        int n_free = 0;
        for (int c = 0; c < nc; c++) {
            if (fixed[c]) {
                room -= cmax[c];
            } else {
                n_free++;
                free_min += cmin[c];
            }
        }
        float share = n_free ? room / (float)n_free : 0;
        bool changed = false;
        for (int c = 0; c < nc; c++) {
            if (fixed[c] || cmax[c] > share || room - cmax[c] < free_min - cmin[c])
                continue;
            fixed[c] = true;
            room -= cmax[c];
            free_min -= cmin[c];
            changed = true;
        }
        if (!changed)
            break;
    }
    /* the other columns share what is left between their narrowest and unbroken
     * widths in proportion to the difference (HTML again) */
    float room = width, fmin = 0, fmax = 0;
    for (int c = 0; c < nc; c++) {
        if (fixed[c]) {
            room -= cmax[c];
        } else {
            fmin += cmin[c];
            fmax += cmax[c];
        }
    }
    for (int c = 0; c < nc; c++)
        cw[c] = fixed[c] ? cmax[c]
                : fmax > fmin ? cmin[c] + (cmax[c] - cmin[c]) * (room - fmin) / (fmax - fmin)
                              : cmin[c];
    improve_widths(t);
}

/* ---- caption ---- */

/* Builds "表{n}　{title}" (or "续表{n}"): the label and its number are one span set
 * tight (no quarter em between 表 and 1), the title keeps the body's spacing. */
static void caption_build(ts *T, para_build *pb, const char *fmt, int n, const char *title,
                          size_t tlen, const pb_textstyle *st, int line, int col)
{
    pb_textstyle tight = *st;
    tight.tight = true;
    const char *lit = fmt;
    for (const char *p = fmt;;) {
        bool num = !strncmp(p, "{n}", 3), tit = !strncmp(p, "{title}", 7);
        if (!*p || num || tit) {
            if (p > lit)
                pb_build_text(T, pb, lit, (size_t)(p - lit), tit ? st : &tight, line, col);
            if (!*p)
                break;
            if (num) {
                char d[16];
                int k = snprintf(d, sizeof d, "%d", n);
                pb_build_text(T, pb, d, (size_t)k, &tight, line, col);
                p += 3;
            } else {
                pb_build_text(T, pb, title, tlen, st, line, col);
                p += 7;
            }
            lit = p;
        } else {
            p++;
        }
    }
}

static float caption_pitch(const pb_style *S)
{
    return S->caption_size * 1.7f;
}

static void set_caption(table *t, vlist *out, float x, float width)
{
    ts *T = t->T;
    const pb_style *S = T->st;
    const pb_block *b = t->b;
    table_info *ti = t->ti;
    ti->number = ++T->n_tables;
    pb_buf title;
    pb_buf_init(&title);
    pb_inlines_text(b->inlines, &title);
    inline_style is = {"heading", 700, false, S->caption_size, S->text_color, false};
    pb_textstyle st = ts_textstyle(T, &is);
    float cp = caption_pitch(S);
    int cline = b->caption_line ? b->caption_line : b->line;

    para_build pb;
    pb_build_init(&pb);
    caption_build(T, &pb, S->table_caption, ti->number, title.data ? title.data : "", title.len, &st,
                  cline, 1);
    pb_para_lines *pl = ts_layout(T, &pb, width, 0, PB_CENTER, "caption", cline, 1);
    for (size_t i = 0; i < pl->n; i++) {
        vitem *v = vl_push(out, V_BOX, cp);
        vi_add_line(T, v, &pl->lines[i], x, ts_baseline(cp, S->caption_size));
        v->keep_next = true; /* a caption never ends a page: rule 15 */
        v->caption = true;
    }
    pb_build_free(&pb);

    /* the line for continuation pages: 续表N */
    pb_build_init(&pb);
    caption_build(T, &pb, S->table_continued, ti->number, title.data ? title.data : "", title.len,
                  &st, cline, 1);
    pb_para_lines *cpl = ts_layout(T, &pb, width, 0, PB_CENTER, "caption", cline, 1);
    memset(&ti->cont_caption, 0, sizeof ti->cont_caption);
    ti->cont_caption.kind = V_BOX;
    ti->cont_caption.h = cp * (float)(cpl->n ? cpl->n : 1);
    ti->cont_caption.keep_next = true;
    ti->cont_caption.caption = true;
    for (size_t i = 0; i < cpl->n; i++)
        vi_add_line(T, &ti->cont_caption, &cpl->lines[i], x,
                    (float)i * cp + ts_baseline(cp, S->caption_size));
    pb_build_free(&pb);
    pb_buf_free(&title);
}

/* ---- rows ---- */

static void add_rule(ts *T, vitem *v, float x, float y, float w, float width)
{
    if (width <= 0)
        return;
    pb_item *r = vi_add(T, v, PB_ITEM_RECT);
    r->u.rect.x = x;
    r->u.rect.y = y - width / 2;
    r->u.rect.w = w;
    r->u.rect.h = width;
    r->u.rect.color = T->st->rule_color;
}

/* Where a number's line starts inside its cell (relative to the content's left). */
static float number_x(const table *t, const cell *ce, int c)
{
    float avail = t->cw[c] - 2 * t->pad;
    float w = ce->max, x;
    if (t->point[c] >= 0)
        x = avail - t->point[c] - ce->int_w; /* decimal points in a line */
    else if (col_align(t, c) == PB_ALIGN_RIGHT)
        x = avail - w;
    else if (col_align(t, c) == PB_ALIGN_CENTER)
        x = (avail - w) / 2;
    else
        x = 0;
    return PB_MAX(x, 0);
}

/* Lays out the cells of row r in their columns. Returns the row's line count. */
static size_t layout_row(table *t, size_t r)
{
    ts *T = t->T;
    const pb_block *row = t->b->children[r];
    size_t maxl = 1;
    for (int c = 0; c < t->nc; c++) {
        cell *ce = cell_at(t, r, c);
        if (!ce->pb.text.len)
            continue;
        float avail = t->cw[c] - 2 * t->pad;
        if (ce->number) {
            /* set when measured: a copy placed in the column (and listed for
             * --dump=lines in row order, as if laid out here) */
            pb_para_lines *pl = pb_arena_memdup(T->arena, ce->pl, sizeof *pl);
            pl->lines = pb_arena_memdup(T->arena, ce->pl->lines, sizeof(pb_line));
            pl->lines[0].x = number_x(t, ce, c);
            pl->lines[0].ratio = avail - pl->lines[0].x - pl->lines[0].width;
            ce->pl = pl;
            if (T->dump) {
                dumped_para d = {"cell", ce->src->line, ce->src->col, avail, pl};
                PB_PUSH(T->dumped, T->n_dumped, T->cap_dumped, d);
            }
        } else {
            pb_align al = col_align(t, c);
            pb_text_align ta = row->header             ? PB_CENTER
                               : al == PB_ALIGN_RIGHT  ? PB_RIGHT
                               : al == PB_ALIGN_CENTER ? PB_CENTER
                                                       : PB_LEFT;
            /* in a squeezed table text sticks out of its column anyway, and the
             * table has been reported as a whole: not every cell again */
            float w = t->squeezed ? PB_MAX(avail, ce->min) : avail;
            ce->pl = ts_layout(T, &ce->pb, w, 0, ta, "cell", ce->src->line, ce->src->col);
        }
        maxl = PB_MAX(maxl, ce->pl->n);
    }
    return maxl;
}

/* Appends row r as vitems: one for the whole row, or, when the row is taller than
 * max_h, one per line of the row (a band holding that line of every cell, with the
 * rules continued), so that the paginator can break inside it (rule 16). Keeps at
 * least two lines of a split row together at either end. */
static void emit_row(table *t, vlist *out, size_t r, size_t maxl, float x, float max_h)
{
    ts *T = t->T;
    const pb_style *S = T->st;
    const pb_block *row = t->b->children[r];
    table_info *ti = t->ti;
    bool first = r == t->r0, last = r + 1 == t->nr;
    float top_pad = t->vpad + (first ? ti->rule_thick : 0);
    float h = top_pad + (float)maxl * t->pitch + t->vpad;
    size_t nb = h > max_h && maxl > 1 ? maxl : 1;
    float base = ts_baseline(t->pitch, t->size);
    for (size_t k = 0; k < nb; k++) {
        size_t l0 = nb == 1 ? 0 : k, l1 = nb == 1 ? maxl : k + 1;
        float top = k == 0 ? top_pad : 0, bottom = k + 1 == nb ? t->vpad : 0;
        float bh = top + (float)(l1 - l0) * t->pitch + bottom;
        vitem *v = vl_push(out, V_BOX, bh);
        v->table = ti;
        v->header_row = row->header;
        v->row_part = nb > 1;
        float y0 = top - (float)l0 * t->pitch; /* where line 0 of the row would be */
        float cx = x;
        for (int c = 0; c < t->nc; c++) {
            const cell *ce = cell_at(t, r, c);
            if (ce->pl) {
                float lx = cx + t->pad;
                for (size_t i = l0; i < l1 && i < ce->pl->n; i++)
                    vi_add_line(T, v, &ce->pl->lines[i], lx, y0 + (float)i * t->pitch + base);
            }
            cx += t->cw[c];
        }
        if (ti->style == PB_TABLE_GRID) {
            float gx = x;
            for (int c = 0; c <= t->nc; c++) {
                pb_item *vr = vi_add(T, v, PB_ITEM_RECT);
                vr->u.rect.x = gx - S->table_rule_thin / 2;
                vr->u.rect.y = 0;
                vr->u.rect.w = S->table_rule_thin;
                vr->u.rect.h = bh;
                vr->u.rect.color = S->rule_color;
                if (c < t->nc)
                    gx += t->cw[c];
            }
        }
        if (k == 0 && first)
            add_rule(T, v, x, ti->rule_thick / 2, ti->width, ti->rule_thick);
        if (k + 1 == nb) {
            if (last)
                add_rule(T, v, x, bh - ti->rule_thick / 2, ti->width, ti->rule_thick);
            else if (row->header && !t->b->children[r + 1]->header)
                add_rule(T, v, x, bh, ti->width, ti->rule_thin);
            else if (ti->style == PB_TABLE_GRID)
                add_rule(T, v, x, bh, ti->width, S->table_rule_thin);
        }
        if (nb > 1 && (k == 0 || k + 2 == nb))
            v->keep_next = true;
    }
}

/* The header rows again, for continuation pages: copies of their vitems without
 * destinations (a name must be defined once) or footnote references. */
static void copy_header(table *t, const vlist *out, size_t from)
{
    ts *T = t->T;
    for (size_t i = from; i < out->n; i++) {
        const vitem *v = &out->v[i];
        vitem *hv = vl_push(&t->ti->header, V_BOX, v->h);
        hv->table = v->table;
        hv->header_row = true;
        hv->keep_next = true;
        for (size_t k = 0; k < v->n_items; k++) {
            if (v->items[k].kind == PB_ITEM_DEST)
                continue;
            pb_item *it = vi_add(T, hv, v->items[k].kind);
            *it = v->items[k];
        }
    }
}

static bool row_empty(const table *t, size_t r)
{
    for (int c = 0; c < t->nc; c++)
        if (cell_at(t, r, c)->pb.text.len)
            return false;
    return true;
}

void pb_flow_table(ts *T, vlist *out, const pb_block *b, float x, float width)
{
    const pb_style *S = T->st;
    table t = {0};
    t.T = T;
    t.b = b;
    t.nc = b->n_cols;
    t.nr = b->n_children;
    if (t.nc <= 0 || t.nr == 0) {
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col, "empty table left out");
        return;
    }
    if (t.nc > PB_MAX_TABLE_COLUMNS) {
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                    "table has %d columns; only the first %d are set", t.nc, PB_MAX_TABLE_COLUMNS);
        t.nc = PB_MAX_TABLE_COLUMNS;
    }
    if (t.nr > PB_MAX_TABLE_ROWS) {
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                    "table has %zu rows; only the first %d are set", t.nr, PB_MAX_TABLE_ROWS);
        t.nr = PB_MAX_TABLE_ROWS;
    }
    t.cells = pb_xcalloc(t.nr * (size_t)t.nc, sizeof(cell));
    t.cmin = pb_xcalloc((size_t)t.nc, sizeof(float));
    t.cmax = pb_xcalloc((size_t)t.nc, sizeof(float));
    t.cw = pb_xcalloc((size_t)t.nc, sizeof(float));
    t.point = pb_xcalloc((size_t)t.nc, sizeof(float));
    t.whole = pb_xcalloc((size_t)t.nc, sizeof(bool));
    t.size = S->table_size;
    t.pitch = S->table_pitch;
    t.pad = S->table_pad;
    measure(&t);

    bool all_empty = true;
    for (size_t r = 0; r < t.nr && all_empty; r++)
        all_empty = row_empty(&t, r);
    if (all_empty) {
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                    "table has no text in any cell; left out");
        goto done;
    }
    /* a header row with nothing in it is left out, with its rule */
    if (t.nr > 1 && b->children[0]->header && row_empty(&t, 0))
        t.r0 = 1;

    column_widths(&t, width);
    if (t.squeezed && t.size > TABLE_MIN_SIZE) {
        /* too wide even with every cell wrapped: set the table smaller first */
        float smin = 0;
        for (int c = 0; c < t.nc; c++)
            smin += t.cmin[c];
        float k = PB_MAX(width / smin, TABLE_MIN_SIZE / t.size);
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                    "table is too wide for the measure; set at %.1fpt instead of %.1fpt",
                    t.size * k, t.size);
        free_cells(&t);
        t.size *= k;
        t.pitch *= k;
        t.pad = PB_MAX(t.pad * k, 1.0f);
        t.squeezed = false;
        measure(&t);
        column_widths(&t, width);
    }
    if (t.squeezed) {
        float smin = 0;
        for (int c = 0; c < t.nc; c++)
            smin += t.cmin[c];
        pb_diag_add(T->diags, PB_WARNING, T->doc->file, b->line, b->col,
                    "table is %.0fpt wider than the measure even with every cell wrapped; "
                    "columns are squeezed", smin - width);
    }
    t.vpad = t.pitch * 0.25f;

    table_info *ti = pb_arena_alloc(T->arena, sizeof *ti);
    t.ti = ti;
    ti->x = x;
    ti->width = width;
    ti->rule_thick = S->table_style == PB_TABLE_PLAIN ? 0 : S->table_rule_thick;
    ti->rule_thin = S->table_style == PB_TABLE_PLAIN ? 0 : S->table_rule_thin;
    ti->style = S->table_style;

    vl_space(out, S->line_pitch * 0.5f);
    size_t cap_from = out->n;
    if (b->inlines)
        set_caption(&t, out, x, width);

    /* A row may be as tall as a page holds below the caption (or 续表N) and the
     * header; a taller one is split into lines. */
    float H = pb_style_block_height(S);
    float cap_h = 0;
    for (size_t i = cap_from; i < out->n; i++)
        cap_h += out->v[i].h;
    float above = PB_MAX(cap_h, ti->cont_caption.h);
    float header_h = 0;
    size_t rows_from = out->n;
    for (size_t r = t.r0; r < t.nr; r++) {
        const pb_block *row = b->children[r];
        size_t maxl = layout_row(&t, r);
        size_t from = out->n;
        emit_row(&t, out, r, maxl, x, row->header ? H - above : H - above - header_h);
        if (row->header) {
            float h = 0;
            for (size_t i = from; i < out->n; i++)
                h += out->v[i].h;
            /* a header taller than a third of the page is not repeated: the
             * continuation pages would hold little else */
            if (h <= H / 3 && out->n - from == 1) {
                header_h += h;
                copy_header(&t, out, from);
            }
        }
        vitem *lastv = &out->v[out->n - 1];
        bool last = r + 1 == t.nr;
        if (!last && row->header)
            lastv->keep_next = true; /* a header never ends a page */
        if (!last && (r == t.r0 || b->children[r - 1]->header) && !row->header)
            lastv->keep_next = true; /* nor one row alone below it (or the top rule) */
        if (!last && r + 2 == t.nr)
            lastv->keep_next = true; /* nor is the last row alone on a new page */
        /* the cells are set: their text lives on in the arena */
        for (int c = 0; c < t.nc; c++)
            pb_build_free(&cell_at(&t, r, c)->pb);
    }
    /* a short table is never broken: a quarter of a page moves whole */
    float total = 0;
    for (size_t i = rows_from; i < out->n; i++)
        total += out->v[i].h;
    if (total <= H / 4)
        for (size_t i = rows_from; i + 1 < out->n; i++)
            out->v[i].keep_next = true;
    vl_space(out, S->line_pitch * 0.5f);

done:
    free_cells(&t);
    free(t.cells);
    free(t.cmin);
    free(t.cmax);
    free(t.cw);
    free(t.point);
    free(t.whole);
}
