/* fonts.c - `paiban --fonts [FILE]`: the font file (and face) each role of the page
 * design resolves to, for CJK and Latin text, regular and bold, and why; the
 * fallback chains per style; and, given a document, the fonts its text really uses
 * (fallback fonts with the characters they stand in for). One line per answer, so
 * the output greps well. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Fonts named per fallback chain: the first few are the ones that ever get used. */
#define FONTS_CHAIN_SHOWN 4
/* Characters listed per fallback font in a document. */
#define FONTS_CHARS_SHOWN 12

typedef struct role_font {
    const pb_font *font;
    char label[64]; /* "body cjk regular" */
} role_font;

typedef struct listing {
    pb_fontreg *reg;
    pb_diags *diags;
    role_font *fonts;
    size_t n_fonts, cap_fonts;
} listing;

static void print_choice(listing *L, const char *role, const char *script, const char *style,
                         const pb_font_choice *ch, const char *why_override)
{
    printf("%-8s %-5s %-8s ", role, script, style);
    if (!ch->font) {
        printf("(none): %s\n", ch->why && *ch->why ? ch->why : "not found");
        return;
    }
    printf("%s:%d (%s %s): %s\n", pb_font_path(ch->font), pb_font_index(ch->font),
           pb_font_family(ch->font), pb_font_style_name(ch->font),
           why_override ? why_override : ch->why ? ch->why : "");
    role_font rf = {ch->font, {0}};
    snprintf(rf.label, sizeof rf.label, "%s %s %s", role, script, style);
    PB_PUSH(L->fonts, L->n_fonts, L->cap_fonts, rf);
}

/* The requests ts_fontset makes for a role (src/typeset/inline.c): CJK text upright in
 * the role's CJK font, Latin text in its Latin font, or in the CJK font when the role
 * names no other. */
static void list_role(listing *L, const pb_style_role *r, unsigned weight, bool italic)
{
    const char *style = italic ? (weight >= 600 ? "bold-it" : "italic")
                               : (weight >= 600 ? "bold" : "regular");
    const char *cfile = r->cjk_file ? r->cjk_file : r->file;
    int cline = r->cjk_file ? r->cjk_line : r->line, ccol = r->cjk_file ? r->cjk_col : r->col;
    pb_font_request cjk = {r->cjk, weight, false, "zh-cn", cfile, cline, ccol};
    pb_font_choice cc = pb_fontreg_match(L->reg, &cjk, L->diags);
    if (!italic)
        print_choice(L, r->name, "cjk", style, &cc, NULL);
    if (r->latin && strcmp(r->latin, r->cjk) != 0) {
        const char *lfile = r->latin_file ? r->latin_file : r->file;
        int lline = r->latin_file ? r->latin_line : r->line;
        int lcol = r->latin_file ? r->latin_col : r->col;
        pb_font_request lat = {r->latin, weight, italic, NULL, lfile, lline, lcol};
        pb_font_choice lc = pb_fontreg_match(L->reg, &lat, L->diags);
        print_choice(L, r->name, "latin", style, &lc, NULL);
    } else if (italic) {
        pb_font_request lat = {r->cjk, weight, true, NULL, cfile, cline, ccol};
        pb_font_choice lc = pb_fontreg_match(L->reg, &lat, L->diags);
        print_choice(L, r->name, "latin", style, &lc, NULL);
    } else {
        print_choice(L, r->name, "latin", style, &cc,
                     "the role's CJK font (it names no Latin font)");
    }
}

static void list_chains(listing *L)
{
    printf("\nfallback for characters a role's fonts lack (nearest first):\n");
    /* one chain per style: kind, weight and slant decide it */
    struct {
        pb_font_kind kind;
        unsigned weight;
        bool italic;
    } seen[64];
    size_t n_seen = 0;
    for (size_t i = 0; i < L->n_fonts; i++) {
        const pb_font *f = L->fonts[i].font;
        pb_font_kind k = pb_font_kind_of(f);
        unsigned w = pb_font_weight(f) >= 600 ? 700 : 400;
        bool it = pb_font_is_italic(f);
        bool dup = false;
        for (size_t j = 0; j < n_seen && !dup; j++)
            dup = seen[j].kind == k && seen[j].weight == w && seen[j].italic == it;
        if (dup || n_seen == PB_COUNT(seen))
            continue;
        seen[n_seen].kind = k;
        seen[n_seen].weight = w;
        seen[n_seen].italic = it;
        n_seen++;
        for (int cjk = 1; cjk >= 0; cjk--) {
            pb_font *chain[FONTS_CHAIN_SHOWN];
            size_t n = pb_fontreg_fallback_chain(L->reg, f, cjk, chain, FONTS_CHAIN_SHOWN);
            printf("%-10s %-7s %-6s %-5s ", pb_font_kind_name(k), w >= 600 ? "bold" : "regular",
                   it ? "italic" : "", cjk ? "cjk" : "other");
            for (size_t c = 0; c < n; c++)
                printf("%s%s %s (%s:%d)", c ? ", " : "", pb_font_family(chain[c]),
                       pb_font_style_name(chain[c]), pb_font_path(chain[c]),
                       pb_font_index(chain[c]));
            printf("%s\n", n ? "" : "(none)");
        }
    }
}

/* ---- the fonts a document uses ---- */

typedef struct used_font {
    const pb_font *font;
    uint8_t *glyph_seen; /* per glyph id */
    size_t n_glyphs;
    uint32_t chars[FONTS_CHARS_SHOWN];
    size_t n_chars, more_chars;
} used_font;

static void note_char(used_font *u, uint32_t cp)
{
    for (size_t i = 0; i < u->n_chars; i++)
        if (u->chars[i] == cp)
            return;
    if (u->n_chars < FONTS_CHARS_SHOWN)
        u->chars[u->n_chars++] = cp;
    else
        u->more_chars++;
}

static const char *role_of(const listing *L, const pb_font *f)
{
    for (size_t i = 0; i < L->n_fonts; i++)
        if (L->fonts[i].font == f)
            return L->fonts[i].label;
    return NULL;
}

static void list_used(listing *L, const pb_pages *pages, const char *input)
{
    used_font *used = NULL;
    size_t n_used = 0, cap_used = 0;
    for (size_t p = 0; p < pages->n_pages; p++) {
        const pb_page *pg = pages->pages[p];
        for (size_t i = 0; i < pg->n_items; i++) {
            if (pg->items[i].kind != PB_ITEM_RUN)
                continue;
            const pb_run *r = &pg->items[i].u.run;
            if (!r->font)
                continue;
            used_font *u = NULL;
            for (size_t k = 0; k < n_used && !u; k++)
                if (used[k].font == r->font)
                    u = &used[k];
            if (!u) {
                used_font nu = {r->font, pb_xcalloc(pb_font_num_glyphs(r->font), 1), 0, {0}, 0, 0};
                PB_PUSH(used, n_used, cap_used, nu);
                u = &used[n_used - 1];
            }
            bool fallback = role_of(L, r->font) == NULL;
            size_t tlen = r->text ? strlen(r->text) : 0;
            for (uint32_t g = 0; g < r->n; g++) {
                const pb_glyph *gl = &r->glyphs[g];
                if (gl->gid < pb_font_num_glyphs(r->font) && !u->glyph_seen[gl->gid]) {
                    u->glyph_seen[gl->gid] = 1;
                    u->n_glyphs++;
                }
                if (fallback && gl->text_len && (size_t)gl->text_off < tlen) {
                    size_t pos = gl->text_off;
                    uint32_t cp = pb_utf8_next(r->text, tlen, &pos);
                    if (cp != PB_UTF8_BAD && cp > ' ')
                        note_char(u, cp);
                }
            }
        }
    }
    printf("\nfonts used by %s (%zu page%s):\n", input, pages->n_pages, pages->n_pages == 1 ? "" : "s");
    for (size_t k = 0; k < n_used; k++) {
        used_font *u = &used[k];
        const char *role = role_of(L, u->font);
        printf("%s:%d (%s %s): %zu glyphs, %s", pb_font_path(u->font), pb_font_index(u->font),
               pb_font_family(u->font), pb_font_style_name(u->font), u->n_glyphs,
               role ? role : "fallback for");
        for (size_t c = 0; !role && c < u->n_chars; c++) {
            char enc[5] = {0};
            pb_utf8_encode(u->chars[c], enc);
            printf(" %s U+%04X", enc, u->chars[c]);
        }
        if (!role && u->more_chars)
            printf(" and %zu more", u->more_chars);
        if (pb_fontreg_is_project_font(L->reg, u->font))
            printf(" (from the project's fonts/)");
        printf("\n");
        free(u->glyph_seen);
    }
    free(used);
}

int pb_cli_fonts(const pb_cli_opts *o)
{
    pb_diags diags;
    pb_diags_init(&diags);
    pb_arena *sa = pb_arena_new();
    pb_doc *doc = o->input ? pb_doc_load(o->input, &diags) : NULL;
    pb_style style;
    pb_style_default(&style, sa);
    if (doc)
        pb_style_resolve(&style, sa, o->layout, &doc->meta, doc->file, &diags);
    else if (o->layout)
        pb_style_resolve(&style, sa, o->layout, NULL, NULL, &diags);
    pb_fontreg *reg = pb_cli_fontreg(o->input);
    listing L = {reg, &diags, NULL, 0, 0};

    printf("font folders searched before the system's:");
    for (size_t i = 0; i < pb_fontreg_dir_count(reg); i++)
        printf("%s%s", i ? ", " : " ", pb_fontreg_dir(reg, i));
    printf("%s\n\n", pb_fontreg_dir_count(reg) ? "" : " (none)");
    printf("%-8s %-5s %-8s file:face (family style): why\n", "role", "text", "style");
    for (size_t i = 0; i < style.n_roles; i++) {
        const pb_style_role *r = &style.roles[i];
        list_role(&L, r, 400, false);
        list_role(&L, r, 700, false);
        if (!strcmp(r->name, "emph"))
            list_role(&L, r, 400, true); /* emphasis slants Latin text */
    }
    list_chains(&L);

    if (doc && !diags.n_errors) {
        pb_text *text = pb_text_new(reg);
        pb_pages *pages = pb_typeset(text, doc, &style, &diags);
        if (pages)
            list_used(&L, pages, o->input);
        pb_pages_free(pages);
        pb_text_free(text);
    }
    pb_diags_print(&diags, stderr);
    int st = diags.n_errors ? 1 : 0;
    free(L.fonts);
    pb_fontreg_free(reg);
    pb_doc_free(doc);
    pb_arena_free(sa);
    pb_diags_free(&diags);
    return st;
}
