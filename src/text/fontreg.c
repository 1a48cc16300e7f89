/* fontreg.c - the font registry: fontconfig finds files by family, style and
 * coverage; each (file, face index) is loaded once and kept for the life of the
 * registry, so --watch rebuilds never reload fonts. The files of the project's font
 * folders are added as fontconfig application fonts and matched first, so a font
 * dropped into fonts/ wins over an installed font of the same family. Requests and
 * fallback answers are cached; errors are kept with them and reported again to each
 * build at the position of its own request. */
#include "text_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Closest installed families named in a "not installed" error: enough to spot a
 * typo or the regional variants of a family, few enough to read. */
#define FONTREG_CLOSEST 3
/* Family names longer than this are not compared by edit distance (quadratic). */
#define FONTREG_MAX_NAME 200
/* Font files taken from one project folder: a fonts/ folder with more is a system
 * font folder by mistake, and scanning each costs a few milliseconds. */
#define FONTREG_MAX_DIR_FILES 1000
/* Subfolder depth scanned below a project font folder. */
#define FONTREG_MAX_DIR_DEPTH 4

typedef struct fb_entry {
    uint32_t cp;
    uint64_t key;  /* fb_key: the font asked about and the style wanted */
    pb_font *font; /* NULL: no font has it */
    bool used;
} fb_entry;

/* One family name of an installed font (every language's name is an entry). */
typedef struct fam_entry {
    char *name;     /* as installed: "文泉驿微米黑" */
    char *norm;     /* compared form (norm_family) */
    char *canon;    /* the font's first family name: "WenQuanYi Micro Hei" */
    bool localized; /* the name's language is not English */
} fam_entry;

/* A resolved request, kept so that every build (and every role asking for the same
 * font) gets the same answer without asking fontconfig again. */
typedef struct match_entry {
    char *key;
    pb_font_choice ch;
    char *error; /* reported at each request's position; NULL when fine */
} match_entry;

/* Fonts sorted by closeness to one style, for per-character fallback. */
typedef struct sort_entry {
    pb_font_kind kind;
    int fc_weight;
    bool italic, cjk;
    FcFontSet *set;
} sort_entry;

struct pb_fontreg {
    FcConfig *cfg;
    char **dirs; /* project font folders, absolute, in the order added */
    size_t n_dirs, cap_dirs;
    char **unreadable; /* files in those folders fontconfig could not read */
    size_t n_unreadable, cap_unreadable;
    pb_font **fonts;
    size_t n_fonts, cap_fonts;
    char **failed; /* "path\x1findex" of files that failed to load (fallback skips them) */
    size_t n_failed, cap_failed;
    char **strings;
    size_t n_strings, cap_strings;
    fam_entry *fams;
    size_t n_fams, cap_fams;
    bool fams_ready;
    match_entry *matches;
    size_t n_matches, cap_matches;
    sort_entry *sorts;
    size_t n_sorts, cap_sorts;
    fb_entry *fb; /* open addressing, size fb_cap (power of two) */
    size_t fb_n, fb_cap;
};

static const char *keep_string(pb_fontreg *r, char *s)
{
    PB_PUSH(r->strings, r->n_strings, r->cap_strings, s);
    return s;
}

/* ---- registry life ---- */

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

static void clear_caches(pb_fontreg *r)
{
    for (size_t i = 0; i < r->n_fams; i++) {
        free(r->fams[i].name);
        free(r->fams[i].norm);
        free(r->fams[i].canon);
    }
    r->n_fams = 0;
    r->fams_ready = false;
    for (size_t i = 0; i < r->n_matches; i++) {
        free(r->matches[i].key);
        free(r->matches[i].error);
    }
    r->n_matches = 0;
    for (size_t i = 0; i < r->n_sorts; i++)
        FcFontSetDestroy(r->sorts[i].set);
    r->n_sorts = 0;
    free(r->fb);
    r->fb = NULL;
    r->fb_n = r->fb_cap = 0;
}

void pb_fontreg_free(pb_fontreg *r)
{
    if (!r)
        return;
    clear_caches(r);
    free(r->fams);
    free(r->matches);
    free(r->sorts);
    for (size_t i = 0; i < r->n_fonts; i++)
        pb_font_free(r->fonts[i]);
    free(r->fonts);
    for (size_t i = 0; i < r->n_failed; i++)
        free(r->failed[i]);
    free(r->failed);
    for (size_t i = 0; i < r->n_strings; i++)
        free(r->strings[i]);
    free(r->strings);
    for (size_t i = 0; i < r->n_dirs; i++)
        free(r->dirs[i]);
    free(r->dirs);
    for (size_t i = 0; i < r->n_unreadable; i++)
        free(r->unreadable[i]);
    free(r->unreadable);
    FcConfigDestroy(r->cfg);
    free(r);
}

/* Font files by name; WOFF too, so that naming a web font gets the message that it
 * must be converted rather than "not installed". */
static bool has_font_ext(const char *name)
{
    static const char *const ext[] = {".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2"};
    size_t n = strlen(name);
    for (size_t i = 0; i < PB_COUNT(ext); i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcasecmp(name + n - e, ext[i]))
            return true;
    }
    return false;
}

static bool is_app_file(pb_fontreg *r, const char *file)
{
    FcFontSet *app = FcConfigGetFonts(r->cfg, FcSetApplication);
    for (int i = 0; app && i < app->nfont; i++) {
        FcChar8 *f;
        if (FcPatternGetString(app->fonts[i], FC_FILE, 0, &f) == FcResultMatch &&
            !strcmp((const char *)f, file))
            return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the font files of a project folder (and its subfolders) one by one, in name
 * order so that ties between equal fonts always go the same way. Not through
 * FcConfigAppFontAddDir: its cache is keyed on the folder's modification time, so a
 * font file replaced in place kept its old description; scanning a file directly
 * takes milliseconds. Files fontconfig cannot read are remembered, so that the build
 * can say why such a file is not used. */
static void add_dir_files(pb_fontreg *r, const char *dir, int depth, size_t *budget)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *nm = pb_xstrdup(e->d_name);
        PB_PUSH(names, n, cap, nm);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        pb_buf path;
        pb_buf_init(&path);
        pb_buf_printf(&path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path.data, &st) == 0 && *budget > 0) {
            if (S_ISDIR(st.st_mode) && depth < FONTREG_MAX_DIR_DEPTH) {
                add_dir_files(r, path.data, depth + 1, budget);
            } else if (S_ISREG(st.st_mode) && has_font_ext(names[i])) {
                (*budget)--;
                if (!FcConfigAppFontAddFile(r->cfg, (const FcChar8 *)path.data) ||
                    !is_app_file(r, path.data)) {
                    char *u = pb_xstrdup(path.data);
                    PB_PUSH(r->unreadable, r->n_unreadable, r->cap_unreadable, u);
                }
            }
        }
        pb_buf_free(&path);
        free(names[i]);
    }
    free(names);
}

void pb_fontreg_add_dir(pb_fontreg *r, const char *dir)
{
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    /* absolute, without . and .. : ./fonts and doc/../fonts are often one folder */
    FcChar8 *canon = FcStrCopyFilename((const FcChar8 *)dir);
    if (!canon)
        return;
    char *real = pb_xstrdup((const char *)canon);
    FcStrFree(canon);
    for (size_t i = 0; i < r->n_dirs; i++) {
        if (!strcmp(r->dirs[i], real)) {
            free(real);
            return;
        }
    }
    PB_PUSH(r->dirs, r->n_dirs, r->cap_dirs, real);
    size_t budget = FONTREG_MAX_DIR_FILES;
    add_dir_files(r, real, 0, &budget);
    clear_caches(r);
}

size_t pb_fontreg_count(const pb_fontreg *r)
{
    return r->n_fonts;
}

pb_font *pb_fontreg_get(const pb_fontreg *r, size_t i)
{
    return i < r->n_fonts ? r->fonts[i] : NULL;
}

static pb_font *find_loaded(pb_fontreg *r, const char *path, int index)
{
    for (size_t i = 0; i < r->n_fonts; i++)
        if (r->fonts[i]->index == index && strcmp(r->fonts[i]->path, path) == 0)
            return r->fonts[i];
    return NULL;
}

static char *failed_key(const char *path, int index)
{
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_printf(&b, "%s\x1f%d", path, index);
    return pb_buf_detach(&b);
}

pb_font *pb_fontreg_load(pb_fontreg *r, const char *path, int index, pb_diags *diags,
                         const char *file, int line, int col)
{
    pb_font *f = find_loaded(r, path, index);
    if (f)
        return f;
    f = pb_font_load(path, index, diags, file, line, col);
    if (f) {
        PB_PUSH(r->fonts, r->n_fonts, r->cap_fonts, f);
    } else {
        char *k = failed_key(path, index);
        PB_PUSH(r->failed, r->n_failed, r->cap_failed, k);
    }
    return f;
}

/* Loads without reporting, and without retrying a file that failed before: for
 * fallback, where an unusable candidate is simply skipped. */
static pb_font *load_quiet(pb_fontreg *r, const char *path, int index)
{
    pb_font *f = find_loaded(r, path, index);
    if (f)
        return f;
    char *k = failed_key(path, index);
    bool failed = false;
    for (size_t i = 0; i < r->n_failed && !failed; i++)
        failed = !strcmp(r->failed[i], k);
    free(k);
    if (failed)
        return NULL;
    pb_diags scratch;
    pb_diags_init(&scratch);
    f = pb_fontreg_load(r, path, index, &scratch, NULL, 0, 0);
    pb_diags_free(&scratch);
    return f;
}

/* ---- family names ---- */

/* Family names compare without case, spaces, hyphens or underscores, so that
 * "noto serif cjk sc", "NotoSerifCJKSC" and "Noto Serif CJK SC" are one family. */
static char *norm_family(const char *s)
{
    pb_buf b;
    pb_buf_init(&b);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        pb_buf_addc(&b, (char)(c < 0x80 ? tolower(c) : c));
    }
    if (!b.data)
        pb_buf_adds(&b, "");
    return pb_buf_detach(&b);
}

static void fams_add(pb_fontreg *r, const char *name, const char *canon, bool localized)
{
    for (size_t i = 0; i < r->n_fams; i++)
        if (!strcmp(r->fams[i].name, name))
            return;
    fam_entry e = {pb_xstrdup(name), norm_family(name), pb_xstrdup(canon), localized};
    PB_PUSH(r->fams, r->n_fams, r->cap_fams, e);
}

/* Every family name of every scalable font, application fonts first. */
static void fams_build(pb_fontreg *r)
{
    if (r->fams_ready)
        return;
    FcSetName which[2] = {FcSetApplication, FcSetSystem};
    for (int s = 0; s < 2; s++) {
        FcFontSet *fs = FcConfigGetFonts(r->cfg, which[s]);
        for (int i = 0; fs && i < fs->nfont; i++) {
            FcPattern *p = fs->fonts[i];
            FcBool scalable = FcTrue;
            FcPatternGetBool(p, FC_SCALABLE, 0, &scalable);
            FcChar8 *canon;
            if (!scalable || FcPatternGetString(p, FC_FAMILY, 0, &canon) != FcResultMatch)
                continue;
            FcChar8 *name, *lang;
            for (int k = 0; FcPatternGetString(p, FC_FAMILY, k, &name) == FcResultMatch; k++) {
                bool localized = FcPatternGetString(p, FC_FAMILYLANG, k, &lang) == FcResultMatch &&
                                 strncmp((const char *)lang, "en", 2) != 0;
                fams_add(r, (const char *)name, (const char *)canon, localized);
            }
        }
    }
    r->fams_ready = true;
}

static const fam_entry *fams_exact(pb_fontreg *r, const char *norm)
{
    fams_build(r);
    for (size_t i = 0; i < r->n_fams; i++)
        if (!strcmp(r->fams[i].norm, norm))
            return &r->fams[i];
    return NULL;
}

/* Preference among the regional faces of a family for Chinese (simplified) text. */
static int region_rank(const char *suffix)
{
    static const char *const order[] = {"sc", "cn", "hans", "gb", "tc", "tw", "hk", "hant",
                                        "twmbe", "jp", "kr", "k"};
    for (size_t i = 0; i < PB_COUNT(order); i++)
        if (!strcmp(suffix, order[i]))
            return (int)i;
    return -1;
}

/* "AR PL UMing" and "Noto Serif CJK" name no installed family, but their regional
 * faces ("AR PL UMing CN", "Noto Serif CJK SC") do: the simplified Chinese one is
 * meant. */
static const fam_entry *fams_region(pb_fontreg *r, const char *norm)
{
    fams_build(r);
    size_t n = strlen(norm);
    const fam_entry *best = NULL;
    int best_rank = INT_MAX;
    for (size_t i = 0; i < r->n_fams; i++) {
        const fam_entry *e = &r->fams[i];
        if (strncmp(e->norm, norm, n) != 0 || !e->norm[n])
            continue;
        int rank = region_rank(e->norm + n);
        if (rank >= 0 && rank < best_rank) {
            best = e;
            best_rank = rank;
        }
    }
    return best;
}

/* The installed families nearest to a name that is not installed, for the error.
 * Returns true when the nearest looks like a typo of the name (a few edits away). */
static bool closest_families(pb_fontreg *r, const char *family, pb_buf *out)
{
    fams_build(r);
    char *want = norm_family(family);
    const fam_entry *best[FONTREG_CLOSEST] = {0};
    size_t bestd[FONTREG_CLOSEST];
    for (int j = 0; j < FONTREG_CLOSEST; j++)
        bestd[j] = SIZE_MAX;
    for (size_t i = 0; i < r->n_fams; i++) {
        const fam_entry *e = &r->fams[i];
        size_t d = pb_edit_distance(want, e->norm);
        /* containment is a strong hint ("Noto Serif" in "Noto Serif CJK SC") */
        if (*want && (strstr(e->norm, want) || strstr(want, e->norm)))
            d /= 2;
        /* one name per font: the English and Chinese names of one family are one hint */
        int same = -1;
        for (int j = 0; j < FONTREG_CLOSEST; j++)
            if (best[j] && !strcmp(best[j]->canon, e->canon))
                same = j;
        if (same >= 0) {
            if (d >= bestd[same])
                continue;
            for (int m = same; m + 1 < FONTREG_CLOSEST; m++) {
                best[m] = best[m + 1];
                bestd[m] = bestd[m + 1];
            }
            best[FONTREG_CLOSEST - 1] = NULL;
            bestd[FONTREG_CLOSEST - 1] = SIZE_MAX;
        }
        for (int j = 0; j < FONTREG_CLOSEST; j++) {
            if (d < bestd[j]) {
                for (int m = FONTREG_CLOSEST - 1; m > j; m--) {
                    best[m] = best[m - 1];
                    bestd[m] = bestd[m - 1];
                }
                best[j] = e;
                bestd[j] = d;
                break;
            }
        }
    }
    for (int j = 0; j < FONTREG_CLOSEST && best[j]; j++)
        pb_buf_printf(out, "%s'%s'", j ? ", " : "", best[j]->name);
    size_t len = strlen(want); /* bytes, as the distance counts them */
    free(want);
    return best[0] && bestd[0] <= (len > 6 ? len / 3 : 2);
}

/* Other names of typefaces Debian installs under one name: Adobe's Source Han fonts
 * and Google's Noto CJK fonts are the same designs, published twice. A name here
 * that is not installed itself resolves to the installed twin (compared after
 * norm_family: no spaces, lower case). */
static const struct {
    const char *name, *twin;
} family_twins[] = {
    {"思源宋体", "Noto Serif CJK SC"},         {"sourcehanserif", "Noto Serif CJK SC"},
    {"sourcehanserifsc", "Noto Serif CJK SC"}, {"sourcehanserifcn", "Noto Serif CJK SC"},
    {"notoserifsc", "Noto Serif CJK SC"},      {"思源黑体", "Noto Sans CJK SC"},
    {"sourcehansans", "Noto Sans CJK SC"},     {"sourcehansanssc", "Noto Sans CJK SC"},
    {"sourcehansanscn", "Noto Sans CJK SC"},   {"notosanssc", "Noto Sans CJK SC"},
};

static const fam_entry *fams_twin(pb_fontreg *r, const char *norm, const char **twin_of)
{
    for (size_t i = 0; i < PB_COUNT(family_twins); i++) {
        if (strcmp(norm, family_twins[i].name))
            continue;
        char *t = norm_family(family_twins[i].twin);
        const fam_entry *fam = fams_exact(r, t);
        free(t);
        if (fam)
            *twin_of = family_twins[i].twin;
        return fam;
    }
    return NULL;
}

static FcFontSet *sorted_for(pb_fontreg *r, pb_font_kind kind, unsigned weight, bool italic,
                             bool cjk);

/* Does the font fontconfig describes have Han (U+4E00 一 as the sign)? */
static bool pattern_has_han(FcPattern *p)
{
    FcCharSet *cs;
    return FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) == FcResultMatch &&
           FcCharSetHasChar(cs, 0x4E00);
}

static bool has_han(const char *s)
{
    size_t len = strlen(s), pos = 0;
    while (pos < len)
        if (pb_is_cjk_char(pb_utf8_next(s, len, &pos)))
            return true;
    return false;
}

/* For a name that is not installed but says what kind of Chinese face it wants
 * (宋体, SimSun, 黑体, Microsoft YaHei, 楷体, 仿宋): the installed families of that kind
 * that have Han, nearest first. Returns false when the name says no kind. */
static bool is_kai(const char *norm)
{
    return strstr(norm, "kai") || strstr(norm, "楷");
}

static bool kind_suggestions(pb_fontreg *r, const char *family, pb_buf *out)
{
    char *low = norm_family(family);
    bool kai = is_kai(low);
    int k = pb_font_kind_guess(family);
    bool chinese = kai || strstr(low, "sim") || strstr(low, "yahei") || strstr(low, "song") ||
                   strstr(low, "hei") || strstr(low, "fang") || strstr(low, "ming") ||
                   has_han(family);
    free(low);
    if (!chinese)
        return false;
    if (k < 0)
        k = PB_FONT_SERIF;
    size_t n = 0;
    if (kai) { /* kaishu by name: the only sure sign */
        fams_build(r);
        for (size_t i = 0; i < r->n_fams && n < FONTREG_CLOSEST; i++) {
            const fam_entry *e = &r->fams[i];
            if (e->localized || !is_kai(e->norm))
                continue;
            bool dup = false;
            for (size_t j = 0; j < i && !dup; j++)
                dup = !r->fams[j].localized && !strcmp(r->fams[j].canon, e->canon) &&
                      is_kai(r->fams[j].norm);
            if (!dup)
                pb_buf_printf(out, "%s'%s'", n++ ? ", " : "", e->name);
        }
    }
    if (!n) {
        FcFontSet *fs = sorted_for(r, (pb_font_kind)k, 400, false, true);
        for (int i = 0; i < fs->nfont && n < FONTREG_CLOSEST; i++) {
            FcChar8 *fam;
            if (!pattern_has_han(fs->fonts[i]) ||
                FcPatternGetString(fs->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch)
                continue;
            if (out->data && strstr(out->data, (const char *)fam))
                continue;
            pb_buf_printf(out, "%s'%s'", n++ ? ", " : "", (const char *)fam);
        }
    }
    return n > 0;
}

/* ---- style words ---- */

/* Weight and slant words at the end of a name: "LXGW WenKai Light", "Noto Serif CJK SC
 * Bold", "Source Han Serif SC SemiBold Italic". Two-word forms first. */
static bool style_word(const char *w, const char *next, unsigned *weight, bool *italic,
                       int *words)
{
    static const struct {
        const char *word;
        unsigned weight;
    } one[] = {{"thin", 100},      {"hairline", 100},  {"extralight", 200}, {"ultralight", 200},
               {"light", 300},     {"semilight", 350}, {"demilight", 350},  {"normal", 400},
               {"regular", 400},   {"book", 400},      {"medium", 500},     {"semibold", 600},
               {"demibold", 600},  {"bold", 700},      {"extrabold", 800},  {"ultrabold", 800},
               {"heavy", 900},     {"black", 900}};
    char two[64];
    *words = 1;
    if (!strcasecmp(w, "italic") || !strcasecmp(w, "oblique")) {
        *italic = true;
        return true;
    }
    size_t lw = strlen(w), ln = next ? strlen(next) : 0;
    if (next && lw + ln < sizeof two) {
        memcpy(two, w, lw);
        memcpy(two + lw, next, ln + 1);
        for (size_t i = 0; i < PB_COUNT(one); i++)
            if (!strcasecmp(two, one[i].word)) {
                *weight = one[i].weight;
                *words = 2;
                return true;
            }
    }
    for (size_t i = 0; i < PB_COUNT(one); i++)
        if (!strcasecmp(w, one[i].word)) {
            *weight = one[i].weight;
            return true;
        }
    return false;
}

/* Splits trailing style words off name. Returns the base (caller frees) or NULL when
 * the name ends in no style word; *weight is 0 when no weight word was found. */
static char *split_style(const char *name, unsigned *weight, bool *italic, char **style_out)
{
    char *copy = pb_xstrdup(name);
    char *words[32];
    int n = 0;
    for (char *t = strtok(copy, " "); t && n < (int)PB_COUNT(words); t = strtok(NULL, " "))
        words[n++] = t;
    *weight = 0;
    *italic = false;
    int end = n; /* words [end, n) are style words */
    /* scan from the left so that "Semi Bold" is seen as one word */
    for (int i = 1; i < n; i++) {
        unsigned w = 0;
        bool it = false;
        int used;
        int k = i;
        bool all = true;
        unsigned acc_w = 0;
        bool acc_i = false;
        while (k < n) {
            if (!style_word(words[k], k + 1 < n ? words[k + 1] : NULL, &w, &it, &used)) {
                all = false;
                break;
            }
            if (w)
                acc_w = w;
            acc_i |= it;
            w = 0;
            it = false;
            k += used;
        }
        if (all) {
            end = i;
            *weight = acc_w;
            *italic = acc_i;
            break;
        }
    }
    char *base = NULL;
    if (end < n) {
        pb_buf b, st;
        pb_buf_init(&b);
        pb_buf_init(&st);
        for (int i = 0; i < end; i++)
            pb_buf_printf(&b, "%s%s", i ? " " : "", words[i]);
        for (int i = end; i < n; i++)
            pb_buf_printf(&st, "%s%s", i > end ? " " : "", words[i]);
        base = pb_buf_detach(&b);
        *style_out = pb_buf_detach(&st);
    }
    free(copy);
    return base;
}

/* A weight written in the name decides regular text; bold text stays at least bold
 * (so "LXGW WenKai Light" sets **strong** in LXGW WenKai Bold), and an explicit
 * lighter weight from the layout is kept. */
static unsigned effective_weight(unsigned want, unsigned named)
{
    if (!named)
        return want;
    if (want >= 600)
        return named > want ? named : want;
    if (want == 400)
        return named;
    return want;
}

static const char *weight_word(unsigned w)
{
    return w >= 600 ? "bold" : w < 400 ? "light" : "regular";
}

/* ---- matching ---- */

typedef struct match_state {
    pb_font_choice ch;
    pb_buf why;
    pb_buf error; /* empty when fine */
} match_state;

static bool looks_like_path(const char *s)
{
    if (strchr(s, '/'))
        return true;
    size_t n = strlen(s);
    const char *colon = strrchr(s, ':');
    if (colon && colon > s && strspn(colon + 1, "0123456789") == strlen(colon + 1))
        n = (size_t)(colon - s); /* "font.ttc:2" */
    static const char *const ext[] = {".ttf", ".otf", ".ttc", ".otc"};
    for (size_t i = 0; i < PB_COUNT(ext); i++)
        if (n > 4 && !strncasecmp(s + n - 4, ext[i], 4))
            return true;
    return false;
}

static bool is_generic(const char *f)
{
    return !strcasecmp(f, "serif") || !strcasecmp(f, "sans-serif") || !strcasecmp(f, "sans") ||
           !strcasecmp(f, "monospace") || !strcasecmp(f, "mono");
}

static const char *generic_name(const char *f)
{
    if (!strcasecmp(f, "sans"))
        return "sans-serif";
    if (!strcasecmp(f, "mono"))
        return "monospace";
    return f;
}

static bool pattern_has_family(FcPattern *p, const char *family)
{
    char *want = norm_family(family);
    FcChar8 *s;
    bool hit = false;
    for (int i = 0; !hit && FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch; i++) {
        char *have = norm_family((const char *)s);
        hit = !strcmp(want, have);
        free(have);
    }
    free(want);
    return hit;
}

static FcPattern *request_pattern(pb_fontreg *r, const char *family, unsigned weight,
                                  bool italic, const char *lang, const char *style)
{
    FcPattern *p = FcPatternCreate();
    if (family)
        FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(p, FC_WEIGHT, FcWeightFromOpenType((int)(weight ? weight : 400)));
    FcPatternAddInteger(p, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    if (lang)
        FcPatternAddString(p, FC_LANG, (const FcChar8 *)lang);
    if (style)
        FcPatternAddString(p, FC_STYLE, (const FcChar8 *)style);
    FcPatternAddBool(p, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(r->cfg, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    return p;
}

/* Whether a matched face gives the weight and slant asked for without synthesis. The
 * face's own weight and slant are read from the font set: in the match fontconfig's
 * 90-synthetic.conf has already replaced them by the ones asked for when it decided
 * to embolden or slant the face. */
static bool satisfies(pb_fontreg *r, FcPattern *m, unsigned weight, bool italic)
{
    FcChar8 *file;
    int index = 0;
    if (FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch)
        return false;
    FcPatternGetInteger(m, FC_INDEX, 0, &index);
    FcSetName which[2] = {FcSetApplication, FcSetSystem};
    for (int s = 0; s < 2; s++) {
        FcFontSet *fs = FcConfigGetFonts(r->cfg, which[s]);
        for (int i = 0; fs && i < fs->nfont; i++) {
            FcChar8 *f;
            int idx = 0, w = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
            if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &f) != FcResultMatch ||
                strcmp((const char *)f, (const char *)file) != 0)
                continue;
            FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &idx);
            if (idx != index)
                continue;
            FcPatternGetInteger(fs->fonts[i], FC_WEIGHT, 0, &w);
            FcPatternGetInteger(fs->fonts[i], FC_SLANT, 0, &slant);
            return !(weight >= 600 && w < FC_WEIGHT_DEMIBOLD) &&
                   !(italic && slant == FC_SLANT_ROMAN);
        }
    }
    return false;
}

/* The face of an installed family closest to the style. The project's folders come
 * first: a face there that has the family wins over an installed font of the same
 * family, unless it lacks the weight or slant asked for and the installed family has
 * it (a real bold beats a synthesized one). fontconfig's own FcFontMatch ranks both
 * sets together and would pick either. */
static FcPattern *match_family(pb_fontreg *r, const char *family, unsigned weight, bool italic,
                               const char *lang, const char *style)
{
    FcPattern *pat = request_pattern(r, family, weight, italic, lang, style);
    FcFontSet *app = FcConfigGetFonts(r->cfg, FcSetApplication);
    FcFontSet *sys = FcConfigGetFonts(r->cfg, FcSetSystem);
    FcResult res;
    FcPattern *in_app = NULL, *all = NULL;
    if (app && app->nfont > 0) {
        in_app = FcFontSetMatch(r->cfg, &app, 1, pat, &res);
        if (in_app && !pattern_has_family(in_app, family)) {
            FcPatternDestroy(in_app);
            in_app = NULL;
        }
        if (in_app && satisfies(r, in_app, weight, italic)) {
            FcPatternDestroy(pat);
            return in_app;
        }
    }
    FcFontSet *sets[2];
    int n = 0;
    if (app && app->nfont > 0)
        sets[n++] = app;
    if (sys)
        sets[n++] = sys;
    if (n)
        all = FcFontSetMatch(r->cfg, sets, n, pat, &res);
    FcPatternDestroy(pat);
    if (in_app) {
        if (all && pattern_has_family(all, family) && satisfies(r, all, weight, italic)) {
            FcPatternDestroy(in_app);
            return all;
        }
        if (all)
            FcPatternDestroy(all);
        return in_app;
    }
    return all;
}

/* fontconfig's choice for a generic family (serif, sans-serif, monospace) in a
 * language; used for generic requests and as the stand-in for a missing family. */
static FcPattern *match_generic(pb_fontreg *r, const char *generic, unsigned weight, bool italic,
                                const char *lang)
{
    FcPattern *pat = request_pattern(r, generic, weight, italic, lang, NULL);
    FcResult res;
    FcPattern *m = FcFontMatch(r->cfg, pat, &res);
    FcPatternDestroy(pat);
    return m;
}

/* Loads the face a fontconfig match names; a load failure is the request's error
 * (appended to err). */
static pb_font *load_match(pb_fontreg *r, FcPattern *m, pb_buf *err)
{
    FcChar8 *file;
    int index = 0;
    if (!m || FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch)
        return NULL;
    FcPatternGetInteger(m, FC_INDEX, 0, &index);
    pb_diags d;
    pb_diags_init(&d);
    pb_font *f = pb_fontreg_load(r, (const char *)file, index & 0xFFFF, &d, NULL, 0, 0);
    if (!f && d.n && err) {
        if (err->len)
            pb_buf_adds(err, "; ");
        pb_buf_adds(err, d.items[0].msg);
    }
    pb_diags_free(&d);
    return f;
}

static void set_synth(pb_font_choice *ch, unsigned weight, bool italic)
{
    ch->synth_bold = weight >= 600 && pb_font_weight(ch->font) < 600;
    ch->synth_italic =
        italic && !pb_font_is_italic(ch->font) && pb_font_italic_angle(ch->font) == 0;
}

static void why_synth(const pb_font_choice *ch, pb_buf *why)
{
    if (ch->synth_bold)
        pb_buf_adds(why, "; synthesized bold (the family has no bold face)");
    if (ch->synth_italic)
        pb_buf_adds(why, "; synthesized italic (the family has no italic face)");
}

static void why_origin(pb_fontreg *r, const pb_font *f, pb_buf *why)
{
    if (is_app_file(r, f->path))
        pb_buf_adds(why, "; from the project's fonts/ folder");
}

/* A stand-in so the build can go on and report every problem: fontconfig's choice of
 * the kind of font the name suggests (a "... Sans" or "...黑" name gets a sans). */
static void substitute(pb_fontreg *r, const char *name, unsigned weight, bool italic,
                       const char *lang, match_state *ms)
{
    int k = name ? pb_font_kind_guess(name) : -1;
    const char *generic = pb_font_kind_name(k < 0 ? PB_FONT_SERIF : (pb_font_kind)k);
    FcPattern *m = match_generic(r, generic, weight, italic, lang);
    ms->ch.font = load_match(r, m, NULL);
    if (m)
        FcPatternDestroy(m);
    if (ms->ch.font) {
        set_synth(&ms->ch, weight, italic);
        pb_buf_printf(&ms->why, "; substituted '%s', fontconfig's %s%s%s", ms->ch.font->family,
                      generic, lang ? " for " : "", lang ? lang : "");
    }
}

/* Path requests: "fonts/My.ttf", "/usr/share/fonts/x.ttc:2". Relative paths are
 * taken from the folder of the file that names them (the document or layout), then
 * from the current folder. A collection without ":N" gives its simplified Chinese
 * face when it has regional faces, else its first. */
static void match_path(pb_fontreg *r, const pb_font_request *req, const char *spec,
                       unsigned weight, match_state *ms)
{
    char *path = pb_xstrdup(spec);
    int index = -1;
    char *colon = strrchr(path, ':');
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        index = atoi(colon + 1);
        *colon = 0;
    }
    if (path[0] != '/' && req->file && strchr(req->file, '/')) {
        pb_buf rel;
        pb_buf_init(&rel);
        const char *slash = strrchr(req->file, '/');
        pb_buf_add(&rel, req->file, (size_t)(slash - req->file) + 1);
        pb_buf_adds(&rel, path);
        struct stat st;
        if (stat(rel.data, &st) == 0) {
            free(path);
            path = pb_buf_detach(&rel);
        }
        pb_buf_free(&rel);
    }
    FcFontSet *faces = FcFontSetCreate();
    int count = 0;
    FcFreeTypeQueryAll((const FcChar8 *)path, (unsigned)-1, NULL, &count, faces);
    if (index < 0) {
        index = 0;
        int best = INT_MAX;
        for (int i = 0; i < faces->nfont; i++) {
            FcChar8 *fam;
            int idx = 0;
            FcPatternGetInteger(faces->fonts[i], FC_INDEX, 0, &idx);
            if ((idx >> 16) ||
                FcPatternGetString(faces->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch)
                continue; /* named instances of variable fonts are not supported */
            const char *sp = strrchr((const char *)fam, ' ');
            char *suffix = norm_family(sp ? sp + 1 : "");
            int rank = region_rank(suffix);
            free(suffix);
            if (rank >= 0 && rank < best) {
                best = rank;
                index = idx;
            }
        }
    }
    FcFontSetDestroy(faces);
    pb_diags d;
    pb_diags_init(&d);
    pb_font *f = pb_fontreg_load(r, path, index, &d, NULL, 0, 0);
    if (!f && d.n)
        pb_buf_adds(&ms->error, d.items[0].msg);
    pb_diags_free(&d);
    pb_buf_printf(&ms->why, "font file %s:%d", path, index);
    free(path);
    if (!f) {
        substitute(r, NULL, weight, req->italic, req->lang, ms);
        return;
    }
    ms->ch.font = f;
    /* bold or italic of a file's family: a real face of that family that fontconfig
     * knows (installed or in fonts/), else synthesized */
    if ((weight >= 600 && f->weight < 600) || (req->italic && !f->italic)) {
        FcPattern *m = match_family(r, f->family, weight, req->italic, req->lang, NULL);
        if (m && pattern_has_family(m, f->family) && satisfies(r, m, weight, req->italic)) {
            pb_font *g = load_match(r, m, &ms->error);
            if (g) {
                ms->ch.font = g;
                pb_buf_printf(&ms->why, "; %s%s face of its family: %s:%d", weight_word(weight),
                              req->italic ? " italic" : "", g->path, g->index);
            }
        }
        if (m)
            FcPatternDestroy(m);
    }
    set_synth(&ms->ch, weight, req->italic);
}

static void match_name(pb_fontreg *r, const pb_font_request *req, const char *name,
                       match_state *ms)
{
    unsigned want = req->weight ? req->weight : 400;
    bool italic = req->italic;
    const char *lang = req->lang;
    char *family = pb_xstrdup(name);
    char *style = NULL;     /* fontconfig style name from "Family:style=..." */
    char *style_txt = NULL; /* style words split off the name */
    unsigned named_w = 0;

    /* fontconfig's pattern syntax: "LXGW WenKai:weight=300", "Foo:style=Light" */
    if (strchr(name, ':')) {
        FcPattern *np = FcNameParse((const FcChar8 *)name);
        FcChar8 *s;
        int v;
        if (np && FcPatternGetString(np, FC_FAMILY, 0, &s) == FcResultMatch) {
            free(family);
            family = pb_xstrdup((const char *)s);
            /* fontconfig's own scale stops at 215 (extrablack); a bigger number is
             * an OpenType weight (300, 700), which is what people write */
            if (FcPatternGetInteger(np, FC_WEIGHT, 0, &v) == FcResultMatch && v > 0)
                named_w = (unsigned)(v > FC_WEIGHT_EXTRABLACK ? v : FcWeightToOpenType(v));
            if (FcPatternGetInteger(np, FC_SLANT, 0, &v) == FcResultMatch && v != FC_SLANT_ROMAN)
                italic = true;
            if (FcPatternGetString(np, FC_STYLE, 0, &s) == FcResultMatch)
                style = pb_xstrdup((const char *)s);
        }
        if (np)
            FcPatternDestroy(np);
    }

    if (is_generic(family)) {
        const char *g = generic_name(family);
        FcPattern *m = match_generic(r, g, effective_weight(want, named_w), italic, lang);
        ms->ch.font = load_match(r, m, &ms->error);
        if (m)
            FcPatternDestroy(m);
        if (ms->ch.font) {
            pb_buf_printf(&ms->why, "generic family '%s': fontconfig's choice%s%s", g,
                          lang ? " for " : "", lang ? lang : "");
            set_synth(&ms->ch, effective_weight(want, named_w), italic);
        }
        goto done;
    }

    /* "Family Style" (LXGW WenKai Light) is read as the family with a style first, so
     * that bold text still finds the family's bold face; then the exact family name in
     * any language; then the regional faces of a family (AR PL UMing -> ... CN). */
    char *norm = norm_family(family);
    const fam_entry *fam = NULL;
    unsigned w = 0;
    bool it = false;
    char *base = split_style(family, &w, &it, &style_txt);
    if (base) {
        char *bn = norm_family(base);
        fam = fams_exact(r, bn);
        if (!fam)
            fam = fams_region(r, bn);
        free(bn);
        if (fam) {
            named_w = w ? w : named_w;
            italic |= it;
            pb_buf_printf(&ms->why, "style '%s' of family '%s'", style_txt, fam->name);
        }
    }
    if (!fam && (fam = fams_exact(r, norm))) {
        if (fam->localized)
            pb_buf_printf(&ms->why, "localized name '%s' of family '%s'", fam->name, fam->canon);
        else
            pb_buf_printf(&ms->why, "exact family match '%s'", fam->name);
    }
    if (!fam && (fam = fams_region(r, norm)))
        pb_buf_printf(&ms->why, "'%s' is the family '%s' (its simplified Chinese face)", family,
                      fam->name);
    const char *twin = NULL;
    if (!fam && (fam = fams_twin(r, norm, &twin)))
        pb_buf_printf(&ms->why, "'%s' is the same typeface as the installed '%s'", family, twin);
    free(norm);
    free(base);

    unsigned weight = effective_weight(want, named_w);
    if (!fam) {
        pb_buf near, kind;
        pb_buf_init(&near);
        pb_buf_init(&kind);
        /* a typo gets its nearest names; a Chinese name that says what it wants
         * (宋体, 黑体, 楷体 ...) gets the installed fonts of that kind */
        bool typo = closest_families(r, family, &near);
        bool kinds = !typo && kind_suggestions(r, family, &kind);
        pb_buf_printf(&ms->error, "font family '%s' is not installed", family);
        if (near.len && !kinds)
            pb_buf_printf(&ms->error, "; closest: %s", near.data);
        if (kinds)
            pb_buf_printf(&ms->error, "; installed Chinese fonts of that kind: %s", kind.data);
        pb_buf_free(&near);
        pb_buf_free(&kind);
        pb_buf_printf(&ms->why, "'%s' is not installed", family);
        substitute(r, family, weight, italic, lang, ms);
        goto done;
    }
    FcPattern *m = match_family(r, fam->name, weight, italic, lang, style);
    ms->ch.font = load_match(r, m, &ms->error);
    if (m)
        FcPatternDestroy(m);
    if (!ms->ch.font) {
        pb_buf_adds(&ms->why, ", but its file is not usable");
        substitute(r, family, weight, italic, lang, ms);
        goto done;
    }
    set_synth(&ms->ch, weight, italic);
    why_origin(r, ms->ch.font, &ms->why);

done:
    free(family);
    free(style);
    free(style_txt);
}

static char *match_key(const pb_font_request *req)
{
    pb_buf b;
    pb_buf_init(&b);
    pb_buf_printf(&b, "%s\x1f%u\x1f%d\x1f%s\x1f%s", req->family ? req->family : "",
                  req->weight ? req->weight : 400, req->italic, req->lang ? req->lang : "",
                  /* relative paths depend on the naming file's folder */
                  req->family && looks_like_path(req->family) && req->file ? req->file : "");
    return pb_buf_detach(&b);
}

/* A diagnostic once per build: the registry answers many identical requests (every
 * weight of every role) from its cache, and each build has its own diags. */
static void add_once(pb_diags *d, pb_severity sev, const char *file, int line, int col,
                     const char *msg)
{
    for (size_t i = 0; i < d->n; i++) {
        const pb_diag *g = &d->items[i];
        if (g->severity == sev && g->line == line && g->col == col && !strcmp(g->msg, msg) &&
            ((!g->file && !file) || (g->file && file && !strcmp(g->file, file))))
            return;
    }
    pb_diag_add(d, sev, file, line, col, "%s", msg);
}

pb_font_choice pb_fontreg_match(pb_fontreg *r, const pb_font_request *req, pb_diags *diags)
{
    for (size_t i = 0; i < r->n_unreadable; i++)
        add_once(diags, PB_WARNING, r->unreadable[i], 0, 0,
                 "not a font fontconfig can read (corrupt or unsupported); ignored");

    char *key = match_key(req);
    match_entry *e = NULL;
    for (size_t i = 0; i < r->n_matches && !e; i++)
        if (!strcmp(r->matches[i].key, key))
            e = &r->matches[i];
    if (e) {
        free(key);
    } else {
        match_state ms = {0};
        pb_buf_init(&ms.why);
        pb_buf_init(&ms.error);
        const char *name = req->family && *req->family ? req->family : "serif";
        while (*name == ' ')
            name++;
        if (looks_like_path(name))
            match_path(r, req, name, req->weight ? req->weight : 400, &ms);
        else
            match_name(r, req, name, &ms);
        if (ms.ch.font)
            why_synth(&ms.ch, &ms.why);
        else if (!ms.error.len) {
            pb_buf_printf(&ms.error, "no font found for '%s' (is fontconfig configured?)", name);
        }
        ms.ch.why = keep_string(r, pb_buf_detach(&ms.why));
        match_entry ne = {key, ms.ch, ms.error.len ? pb_buf_detach(&ms.error) : NULL};
        pb_buf_free(&ms.error);
        PB_PUSH(r->matches, r->n_matches, r->cap_matches, ne);
        e = &r->matches[r->n_matches - 1];
    }
    if (e->error)
        add_once(diags, PB_ERROR, req->file, req->line, req->col, e->error);
    return e->ch;
}

/* ---- fallback per character ---- */

/* The language whose fonts should come first for a character: Chinese for Han and
 * CJK punctuation (so a simplified Chinese face is preferred over the Japanese or
 * Korean one of the same family), none otherwise. */
static bool wants_cjk(uint32_t cp)
{
    return pb_is_cjk_char(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Every installed font, sorted by closeness to a style (kind, weight, slant) and,
 * for CJK characters, to Chinese. Sorting by the style alone and then taking the
 * first font that has the character gives the same order as sorting with the
 * character in the pattern (coverage of one character is all or nothing), but the
 * sort is done once per style instead of once per character. */
static FcFontSet *sorted_for(pb_fontreg *r, pb_font_kind kind, unsigned weight, bool italic,
                             bool cjk)
{
    int fw = FcWeightFromOpenType((int)(weight ? weight : 400));
    for (size_t i = 0; i < r->n_sorts; i++) {
        sort_entry *s = &r->sorts[i];
        if (s->kind == kind && s->fc_weight == fw && s->italic == italic && s->cjk == cjk)
            return s->set;
    }
    FcPattern *p = request_pattern(r, pb_font_kind_name(kind), weight, italic,
                                   cjk ? "zh-cn" : NULL, NULL);
    FcResult res;
    FcFontSet *fs = FcFontSort(r->cfg, p, FcFalse, NULL, &res);
    FcPatternDestroy(p);
    if (!fs)
        fs = FcFontSetCreate();
    sort_entry e = {kind, fw, italic, cjk, fs};
    PB_PUSH(r->sorts, r->n_sorts, r->cap_sorts, e);
    return fs;
}

/* The cache key of a fallback answer: the character, the font asked about and the
 * style wanted (weight in units of 100, italic). */
static uint64_t fb_key(uint32_t like, unsigned weight, bool italic)
{
    return (uint64_t)like << 8 | (uint64_t)(PB_MIN(weight, 1000u) / 100) << 1 | italic;
}

static size_t fb_slot(uint32_t cp, uint64_t key, size_t cap)
{
    uint64_t h = ((uint64_t)cp * 0x9E3779B97F4A7C15ULL) ^ (key * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h >> 17) & (cap - 1);
}

static void fb_store(pb_fontreg *r, uint32_t cp, uint64_t key, pb_font *found)
{
    if (r->fb_n + 1 > r->fb_cap / 2) {
        size_t ncap = r->fb_cap ? r->fb_cap * 2 : 64;
        fb_entry *n = pb_xcalloc(ncap, sizeof *n);
        for (size_t i = 0; i < r->fb_cap; i++) {
            fb_entry *e = &r->fb[i];
            if (!e->used)
                continue;
            size_t j = fb_slot(e->cp, e->key, ncap);
            while (n[j].used)
                j = (j + 1) & (ncap - 1);
            n[j] = *e;
        }
        free(r->fb);
        r->fb = n;
        r->fb_cap = ncap;
    }
    size_t j = fb_slot(cp, key, r->fb_cap);
    while (r->fb[j].used)
        j = (j + 1) & (r->fb_cap - 1);
    r->fb[j] = (fb_entry){cp, key, found, true};
    r->fb_n++;
}

pb_font *pb_fontreg_fallback_style(pb_fontreg *r, uint32_t cp, const pb_font *like,
                                   unsigned weight, bool italic)
{
    uint64_t key = fb_key(like ? like->serial : 0, weight, italic);
    if (r->fb_cap) {
        for (size_t i = fb_slot(cp, key, r->fb_cap);; i = (i + 1) & (r->fb_cap - 1)) {
            fb_entry *e = &r->fb[i];
            if (!e->used)
                break;
            if (e->cp == cp && e->key == key)
                return e->font;
        }
    }
    pb_font_kind kind = like ? like->kind : PB_FONT_SERIF;
    FcFontSet *fs = sorted_for(r, kind, weight, italic, wants_cjk(cp));
    pb_font *found = NULL;
    for (int i = 0; i < fs->nfont && !found; i++) {
        FcCharSet *cs;
        FcChar8 *file;
        int index = 0;
        if (FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch ||
            !FcCharSetHasChar(cs, cp) ||
            FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
            continue;
        FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
        if (index >> 16)
            continue; /* a named instance of a variable font */
        pb_font *f = load_quiet(r, (const char *)file, index);
        if (f && f != like && pb_font_glyph(f, cp))
            found = f;
    }
    fb_store(r, cp, key, found);
    return found;
}

pb_font *pb_fontreg_fallback(pb_fontreg *r, uint32_t cp, const pb_font *like)
{
    return pb_fontreg_fallback_style(r, cp, like, like ? like->weight : 400,
                                     like && like->italic);
}

/* ---- listing (paiban --fonts) ---- */

size_t pb_fontreg_fallback_chain(pb_fontreg *r, const pb_font *like, bool cjk, pb_font **out,
                                 size_t max)
{
    pb_font_kind kind = like ? like->kind : PB_FONT_SERIF;
    FcFontSet *fs = sorted_for(r, kind, like ? like->weight : 400, like && like->italic, cjk);
    size_t n = 0;
    for (int i = 0; i < fs->nfont && n < max; i++) {
        FcChar8 *file;
        int index = 0;
        FcBool scalable = FcTrue;
        FcPatternGetBool(fs->fonts[i], FC_SCALABLE, 0, &scalable);
        if (!scalable || FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
            continue;
        /* the chain for Chinese: fonts that have Han (as the fallback for a Han
         * character, which skips those without it, would find them) */
        if (cjk && !pattern_has_han(fs->fonts[i]))
            continue;
        FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
        if (index >> 16)
            continue;
        pb_font *f = load_quiet(r, (const char *)file, index);
        /* the other faces of like's family lack what like lacks */
        if (!f || f == like || (like && !strcmp(f->family, like->family)))
            continue;
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = out[k] == f || !strcmp(pb_font_family(out[k]), pb_font_family(f));
        if (!dup)
            out[n++] = f;
    }
    return n;
}

size_t pb_fontreg_dir_count(const pb_fontreg *r)
{
    return r->n_dirs;
}

const char *pb_fontreg_dir(const pb_fontreg *r, size_t i)
{
    return i < r->n_dirs ? r->dirs[i] : NULL;
}

bool pb_fontreg_is_project_font(pb_fontreg *r, const pb_font *f)
{
    return is_app_file(r, f->path);
}
