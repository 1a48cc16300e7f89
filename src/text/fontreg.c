/* fontreg.c - the font registry: fontconfig finds files by family, style and
 * coverage; each (file, face index) is loaded once and kept for the life of the
 * registry, so --watch rebuilds never reload fonts. Project font folders are added
 * as fontconfig application fonts and searched first. */
#include "text_internal.h"

#include <ctype.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct fb_entry {
    uint32_t cp;
    uint32_t like; /* serial of the font asked about */
    pb_font *font; /* NULL: no font has it */
} fb_entry;

struct pb_fontreg {
    FcConfig *cfg;
    FcFontSet *app_only; /* fonts from the project folders */
    pb_font **fonts;
    size_t n_fonts, cap_fonts;
    char **strings;
    size_t n_strings, cap_strings;
    fb_entry *fb; /* open addressing, size fb_cap (power of two) */
    size_t fb_n, fb_cap;
};

static const char *keep_string(pb_fontreg *r, char *s)
{
    PB_PUSH(r->strings, r->n_strings, r->cap_strings, s);
    return s;
}

pb_fontreg *pb_fontreg_new(const char *const *font_dirs, size_t n_dirs)
{
    pb_fontreg *r = pb_xcalloc(1, sizeof *r);
    r->cfg = FcInitLoadConfigAndFonts();
    if (!r->cfg)
        pb_fatal("cannot initialise fontconfig");
    for (size_t i = 0; i < n_dirs; i++)
        pb_fontreg_add_dir(r, font_dirs[i]);
    return r;
}

void pb_fontreg_add_dir(pb_fontreg *r, const char *dir)
{
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    FcConfigAppFontAddDir(r->cfg, (const FcChar8 *)dir);
}

void pb_fontreg_free(pb_fontreg *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_fonts; i++)
        pb_font_free(r->fonts[i]);
    free(r->fonts);
    for (size_t i = 0; i < r->n_strings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r->fb);
    FcConfigDestroy(r->cfg);
    free(r);
}

size_t pb_fontreg_count(const pb_fontreg *r)
{
    return r->n_fonts;
}

pb_font *pb_fontreg_get(const pb_fontreg *r, size_t i)
{
    return i < r->n_fonts ? r->fonts[i] : NULL;
}

pb_font *pb_fontreg_load(pb_fontreg *r, const char *path, int index, pb_diags *diags,
                         const char *file, int line, int col)
{
    for (size_t i = 0; i < r->n_fonts; i++)
        if (r->fonts[i]->index == index && strcmp(r->fonts[i]->path, path) == 0)
            return r->fonts[i];
    pb_font *f = pb_font_load(path, index, diags, file, line, col);
    if (f)
        PB_PUSH(r->fonts, r->n_fonts, r->cap_fonts, f);
    return f;
}

/* Family names compare without case, spaces, hyphens or underscores, so that
 * "noto serif cjk sc", "NotoSerifCJKSC" and "Noto Serif CJK SC" are one family. */
static void norm_family(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '-' || c == '_')
            continue;
        out[o++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[o] = 0;
}

static bool pattern_has_family(FcPattern *p, const char *family)
{
    char want[256], have[256];
    norm_family(family, want, sizeof want);
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch; i++) {
        norm_family((const char *)s, have, sizeof have);
        if (!strcmp(want, have))
            return true;
    }
    /* A full name ("Noto Serif CJK SC Bold") also names the family. */
    for (int i = 0; FcPatternGetString(p, FC_FULLNAME, i, &s) == FcResultMatch; i++) {
        norm_family((const char *)s, have, sizeof have);
        if (!strcmp(want, have))
            return true;
    }
    return false;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 200 || lb > 200)
        return la > lb ? la : lb;
    size_t prev[201], cur[201];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof(size_t));
    }
    return prev[lb];
}

/* "closest installed families" for the error message: the three nearest names. */
static void closest_families(pb_fontreg *r, const char *family, pb_buf *out)
{
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)0);
    FcFontSet *fs = FcFontList(r->cfg, pat, os);
    char want[256];
    norm_family(family, want, sizeof want);
    const char *best[3] = {0};
    size_t bestd[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    for (int i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *s;
        for (int k = 0; FcPatternGetString(fs->fonts[i], FC_FAMILY, k, &s) == FcResultMatch; k++) {
            char have[256];
            norm_family((const char *)s, have, sizeof have);
            size_t d = edit_distance(want, have);
            /* containment is a strong hint ("Noto Serif" in "Noto Serif CJK SC") */
            if (strstr(have, want) || strstr(want, have))
                d = d / 2;
            bool dup = false;
            for (int j = 0; j < 3; j++)
                if (best[j] && !strcmp(best[j], (const char *)s))
                    dup = true;
            if (dup)
                continue;
            for (int j = 0; j < 3; j++) {
                if (d < bestd[j]) {
                    for (int m = 2; m > j; m--) {
                        best[m] = best[m - 1];
                        bestd[m] = bestd[m - 1];
                    }
                    best[j] = (const char *)s;
                    bestd[j] = d;
                    break;
                }
            }
        }
    }
    for (int j = 0; j < 3; j++) {
        if (!best[j])
            break;
        pb_buf_printf(out, "%s'%s'", j ? ", " : "", best[j]);
    }
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
}

static bool looks_like_path(const char *s)
{
    if (strchr(s, '/'))
        return true;
    size_t n = strlen(s);
    static const char *const ext[] = {".ttf", ".otf", ".ttc", ".otc", ".TTF", ".OTF", ".TTC"};
    for (size_t i = 0; i < PB_COUNT(ext); i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcmp(s + n - e, ext[i]))
            return true;
    }
    return false;
}

static FcPattern *request_pattern(pb_fontreg *r, const pb_font_request *req, const char *family)
{
    FcPattern *p = FcPatternCreate();
    if (family)
        FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(p, FC_WEIGHT, FcWeightFromOpenType((int)(req->weight ? req->weight : 400)));
    FcPatternAddInteger(p, FC_SLANT, req->italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    if (req->lang)
        FcPatternAddString(p, FC_LANG, (const FcChar8 *)req->lang);
    FcPatternAddBool(p, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(r->cfg, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    return p;
}

pb_font_choice pb_fontreg_match(pb_fontreg *r, const pb_font_request *req, pb_diags *diags)
{
    pb_font_choice ch = {0};
    const char *family = req->family && *req->family ? req->family : "serif";
    pb_buf why;
    pb_buf_init(&why);

    if (looks_like_path(family)) {
        /* "path/to/font.ttc:2" selects face 2 */
        char *path = pb_xstrdup(family);
        int index = 0;
        char *colon = strrchr(path, ':');
        if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
            index = atoi(colon + 1);
            *colon = 0;
        }
        ch.font = pb_fontreg_load(r, path, index, diags, req->file, req->line, req->col);
        pb_buf_printf(&why, "font file %s", path);
        free(path);
        if (ch.font) {
            ch.synth_bold = req->weight >= 600 && ch.font->weight < 600;
            ch.synth_italic = req->italic && !ch.font->italic;
            ch.why = keep_string(r, pb_buf_detach(&why));
            return ch;
        }
        pb_buf_free(&why);
        pb_font_request def = *req;
        def.family = "serif";
        def.file = NULL;
        pb_diags scratch;
        pb_diags_init(&scratch);
        ch = pb_fontreg_match(r, &def, &scratch);
        pb_diags_free(&scratch);
        return ch;
    }

    FcPattern *pat = request_pattern(r, req, family);
    FcResult res;
    FcPattern *m = FcFontMatch(r->cfg, pat, &res);
    FcPatternDestroy(pat);
    bool generic = !strcmp(family, "serif") || !strcmp(family, "sans-serif") ||
                   !strcmp(family, "sans") || !strcmp(family, "monospace");
    if (m && !generic && !pattern_has_family(m, family)) {
        pb_buf near;
        pb_buf_init(&near);
        closest_families(r, family, &near);
        pb_diag_add(diags, PB_ERROR, req->file, req->line, req->col,
                    "font family '%s' is not installed%s%s", family,
                    near.len ? "; closest: " : "", near.len ? near.data : "");
        pb_buf_free(&near);
        pb_buf_printf(&why, "'%s' not found; fontconfig substituted ", family);
    }
    FcChar8 *file = NULL;
    int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
    FcBool embolden = FcFalse;
    if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
        FcPatternGetInteger(m, FC_INDEX, 0, &index);
        FcPatternGetInteger(m, FC_WEIGHT, 0, &weight);
        FcPatternGetInteger(m, FC_SLANT, 0, &slant);
        FcPatternGetBool(m, FC_EMBOLDEN, 0, &embolden);
        ch.font = pb_fontreg_load(r, (const char *)file, index, diags, req->file, req->line,
                                  req->col);
    }
    if (!ch.font && !file) {
        pb_diag_add(diags, PB_ERROR, req->file, req->line, req->col,
                    "no font found for '%s' (is fontconfig configured?)", family);
    }
    if (ch.font) {
        int want_w = FcWeightFromOpenType((int)(req->weight ? req->weight : 400));
        ch.synth_bold = (want_w >= FC_WEIGHT_DEMIBOLD && weight < FC_WEIGHT_DEMIBOLD) || embolden;
        ch.synth_italic = req->italic && slant == FC_SLANT_ROMAN;
        pb_buf_printf(&why, "family '%s' %s%s -> %s:%d (%s %s)%s%s", family,
                      req->weight >= 600 ? "bold" : req->weight && req->weight < 400 ? "light" : "regular",
                      req->italic ? " italic" : "", ch.font->path, ch.font->index, ch.font->family,
                      ch.font->style, ch.synth_bold ? ", synthesized bold" : "",
                      ch.synth_italic ? ", synthesized italic" : "");
        ch.why = keep_string(r, pb_buf_detach(&why));
    } else {
        pb_buf_free(&why);
    }
    if (m)
        FcPatternDestroy(m);
    return ch;
}

static size_t fb_slot(uint32_t cp, uint32_t like, size_t cap)
{
    uint64_t h = ((uint64_t)cp * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)like * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h >> 17) & (cap - 1);
}

pb_font *pb_fontreg_fallback(pb_fontreg *r, uint32_t cp, const pb_font *like)
{
    uint32_t ls = like ? like->serial : 0;
    if (r->fb_cap) {
        for (size_t i = fb_slot(cp, ls, r->fb_cap);; i = (i + 1) & (r->fb_cap - 1)) {
            fb_entry *e = &r->fb[i];
            if (!e->cp && !e->like && !e->font)
                break;
            if (e->cp == cp && e->like == ls)
                return e->font;
        }
    }
    /* Ask fontconfig for fonts sorted by closeness to the style of `like`, covering cp. */
    FcPattern *p = FcPatternCreate();
    FcCharSet *cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(p, FC_CHARSET, cs);
    FcPatternAddString(p, FC_FAMILY,
                       (const FcChar8 *)(like && !like->serif && !like->fixed ? "sans-serif"
                                         : like && like->fixed                ? "monospace"
                                                                              : "serif"));
    FcPatternAddInteger(p, FC_WEIGHT, FcWeightFromOpenType((int)(like ? like->weight : 400)));
    FcPatternAddBool(p, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(r->cfg, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcFontSet *fs = FcFontSort(r->cfg, p, FcFalse, NULL, &res);
    pb_font *found = NULL;
    for (int i = 0; fs && i < fs->nfont && !found; i++) {
        FcCharSet *fcs;
        if (FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &fcs) != FcResultMatch ||
            !FcCharSetHasChar(fcs, cp))
            continue;
        FcChar8 *file;
        int index = 0;
        if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
            continue;
        FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
        pb_diags scratch;
        pb_diags_init(&scratch);
        pb_font *f = pb_fontreg_load(r, (const char *)file, index, &scratch, NULL, 0, 0);
        pb_diags_free(&scratch);
        if (f && pb_font_glyph(f, cp))
            found = f;
    }
    if (fs)
        FcFontSetDestroy(fs);
    FcCharSetDestroy(cs);
    FcPatternDestroy(p);

    if (r->fb_n + 1 > r->fb_cap / 2) {
        size_t ncap = r->fb_cap ? r->fb_cap * 2 : 64;
        fb_entry *n = pb_xcalloc(ncap, sizeof *n);
        for (size_t i = 0; i < r->fb_cap; i++) {
            fb_entry *e = &r->fb[i];
            if (!e->cp && !e->like && !e->font)
                continue;
            size_t j = fb_slot(e->cp, e->like, ncap);
            while (n[j].cp || n[j].like || n[j].font)
                j = (j + 1) & (ncap - 1);
            n[j] = *e;
        }
        free(r->fb);
        r->fb = n;
        r->fb_cap = ncap;
    }
    size_t j = fb_slot(cp, ls, r->fb_cap);
    while (r->fb[j].cp || r->fb[j].like || r->fb[j].font)
        j = (j + 1) & (r->fb_cap - 1);
    r->fb[j] = (fb_entry){cp ? cp : 0, ls, found};
    r->fb_n++;
    return found;
}
