/* test_fonts.c - font lookup through fontconfig: family names (localized too), style
 * words and weights, regional faces, generic families, file paths and collection
 * faces, a project font folder before the system's, missing families, corrupt files,
 * the kind of a font, per-character fallback in a matching style, and CJK.md rule 8
 * seen in pb_para_layout's runs. Uses the fonts of .ci/packages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEJAVU_SERIF "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
#define NOTO_SERIF_TTC "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"

static pb_fontreg *reg;

static int setup(void **state)
{
    (void)state;
    reg = pb_fontreg_new(NULL, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pb_fontreg_free(reg);
    return 0;
}

static pb_font_choice match_in(pb_fontreg *r, const char *family, unsigned weight, bool italic,
                               const char *lang, pb_diags *d)
{
    pb_font_request rq = {family, weight, italic, lang, "doc.md", 3, 7};
    return pb_fontreg_match(r, &rq, d);
}

static pb_font_choice match(const char *family, unsigned weight, pb_diags *d)
{
    return match_in(reg, family, weight, false, "zh-cn", d);
}

static bool path_has(const pb_font_choice *c, const char *part)
{
    return c->font && strstr(pb_font_path(c->font), part) != NULL;
}

/* A temporary folder; removed by rmtree. */
static char *make_tmpdir(void)
{
    char *dir = pb_xstrdup("/tmp/pb-fonts-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void rmtree(char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* Writes the first `len` bytes of src (all of it when len is 0) to dst. */
static void copy_file(const char *src, const char *dst, size_t len)
{
    char *data;
    size_t n;
    assert_true(pb_read_file(src, &data, &n));
    FILE *f = fopen(dst, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len ? len : n, f), len ? len : n);
    fclose(f);
    free(data);
}

static size_t file_size(const char *path)
{
    char *data;
    size_t n;
    assert_true(pb_read_file(path, &data, &n));
    free(data);
    return n;
}

static void test_family(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("Noto Serif CJK SC", 400, &d);
    assert_int_equal(d.n_errors, 0);
    assert_non_null(c.font);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    assert_non_null(strstr(pb_font_path(c.font), "NotoSerifCJK-Regular"));
    assert_true(pb_font_is_cff(c.font));
    assert_true(pb_font_cff_is_cid(c.font));
    assert_false(c.synth_bold);
    assert_non_null(strstr(c.why, "exact family match"));
    /* the same request gives the same loaded font; case and spaces do not matter */
    pb_font_choice again = match("noto serif cjk sc", 400, &d);
    assert_ptr_equal(again.font, c.font);
    again = match("NotoSerifCJKSC", 400, &d);
    assert_ptr_equal(again.font, c.font);
    /* bold is the family's real bold face */
    pb_font_choice b = match("Noto Serif CJK SC", 700, &d);
    assert_true(path_has(&b, "NotoSerifCJK-Bold"));
    assert_false(b.synth_bold);
    assert_int_equal(d.n_errors, 0);
    pb_diags_free(&d);
}

static void test_localized_and_bold(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("文泉驿微米黑", 400, &d);
    assert_int_equal(d.n_errors, 0);
    assert_non_null(strstr(pb_font_path(c.font), "wqy-microhei"));
    assert_int_equal(pb_font_index(c.font), 0);
    assert_non_null(strstr(c.why, "localized name '文泉驿微米黑' of family 'WenQuanYi Micro Hei'"));
    c = match("霞鹜文楷", 700, &d);
    assert_int_equal(d.n_errors, 0);
    assert_non_null(strstr(pb_font_path(c.font), "LXGWWenKai-Bold"));
    assert_false(c.synth_bold);
    assert_false(pb_font_is_cff(c.font));
    /* WenQuanYi has no bold face: it is synthesized, and said so */
    c = match("WenQuanYi Micro Hei", 700, &d);
    assert_true(c.synth_bold);
    assert_non_null(strstr(c.why, "synthesized bold"));
    /* Noto Serif CJK has no italic: slanted; DejaVu Serif has one */
    c = match_in(reg, "Noto Serif CJK SC", 400, true, NULL, &d);
    assert_true(c.synth_italic);
    c = match_in(reg, "DejaVu Serif", 700, true, NULL, &d);
    assert_true(path_has(&c, "DejaVuSerif-BoldItalic"));
    assert_false(c.synth_bold);
    assert_false(c.synth_italic);
    assert_int_equal(d.n_errors, 0);
    pb_diags_free(&d);
}

/* "Family Style" names, fontconfig's ":weight=" syntax, regional faces, generics */
static void test_style_and_region(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("LXGW WenKai Light", 400, &d);
    assert_true(path_has(&c, "LXGWWenKai-Light"));
    assert_non_null(strstr(c.why, "style 'Light' of family 'LXGW WenKai'"));
    /* bold text of a light design is the family's bold, not a thickened light */
    c = match("LXGW WenKai Light", 700, &d);
    assert_true(path_has(&c, "LXGWWenKai-Bold"));
    assert_false(c.synth_bold);
    c = match("Noto Sans CJK SC Bold", 400, &d);
    assert_true(path_has(&c, "NotoSansCJK-Bold"));
    c = match("LXGW WenKai:weight=300", 400, &d);
    assert_true(path_has(&c, "LXGWWenKai-Light"));
    c = match("Noto Serif CJK SC Semi Bold", 400, &d); /* no SemiBold: the nearest, Bold */
    assert_true(path_has(&c, "NotoSerifCJK-Bold"));

    /* "AR PL UMing" is only installed as regional families: the simplified one */
    c = match("AR PL UMing", 400, &d);
    assert_true(path_has(&c, "uming.ttc"));
    assert_string_equal(pb_font_family(c.font), "AR PL UMing CN");
    assert_non_null(strstr(c.why, "'AR PL UMing' is the family 'AR PL UMing CN'"));
    c = match("Noto Serif CJK", 400, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    /* UMing has only a light face: that is the regular, bold is synthesized */
    c = match("AR PL UMing", 700, &d);
    assert_true(c.synth_bold);

    c = match("serif", 400, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    assert_non_null(strstr(c.why, "generic family 'serif'"));
    c = match("sans-serif", 400, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Sans CJK SC");
    c = match(NULL, 400, &d); /* no family: serif */
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    assert_int_equal(d.n_errors, 0);
    pb_diags_free(&d);
}

static void test_missing_family(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("Noto Serif CJK XX", 400, &d);
    assert_int_equal(d.n_errors, 1);
    const pb_diag *g = pb_diags_find(&d, "not installed");
    assert_non_null(g);
    assert_string_equal(g->file, "doc.md");
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 7);
    /* the closest installed families are named, the simplified Chinese one among them */
    assert_non_null(strstr(g->msg, "closest: "));
    assert_non_null(strstr(g->msg, "'Noto Serif CJK SC'"));
    /* the build can go on with a substitute of the same kind */
    assert_non_null(c.font);
    assert_non_null(strstr(c.why, "substituted"));
    assert_int_equal(pb_font_kind_of(c.font), PB_FONT_SERIF);
    /* the same request again (bold, italic ... of the same role) reports once per build */
    match("Noto Serif CJK XX", 400, &d);
    assert_int_equal(d.n_errors, 1);
    /* and again in the next build */
    pb_diags d2;
    pb_diags_init(&d2);
    match("Noto Serif CJK XX", 400, &d2);
    assert_int_equal(d2.n_errors, 1);
    pb_diags_free(&d2);
    /* a missing "... Sans" family is stood in for by a sans */
    c = match("Nonexistent Sans", 400, &d);
    assert_int_equal(pb_font_kind_of(c.font), PB_FONT_SANS);
    assert_non_null(pb_diags_find(&d, "'Nonexistent Sans' is not installed"));
    pb_diags_free(&d);
}

/* Names users bring from other systems: Source Han is Noto CJK under another name
 * (accepted); 宋体/SimSun/黑体/楷体 are not installed, and the error names the installed
 * Chinese fonts of that kind; a typo of an installed name gets the near names. */
static void test_family_names_from_elsewhere(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match("思源宋体", 400, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    c = match("Source Han Sans SC", 700, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Sans CJK SC");
    assert_true(pb_font_weight(c.font) >= 700);
    assert_int_equal(d.n_errors, 0);

    static const struct {
        const char *name, *first;
    } kinds[] = {{"宋体", "'Noto Serif CJK SC'"},
                 {"SimSun", "'Noto Serif CJK SC'"},
                 {"黑体", "'Noto Sans CJK SC'"},
                 {"Microsoft YaHei", "'Noto Sans CJK SC'"},
                 {"楷体", "'LXGW WenKai'"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        pb_diags_free(&d);
        pb_diags_init(&d);
        match(kinds[i].name, 400, &d);
        const pb_diag *g = pb_diags_find(&d, "installed Chinese fonts of that kind: ");
        assert_non_null(g);
        assert_non_null(strstr(g->msg, kinds[i].first));
        assert_null(strstr(g->msg, "closest"));
    }
    pb_diags_free(&d);
    pb_diags_init(&d);
    match("霞鹜文凯", 400, &d);
    const pb_diag *g = pb_diags_find(&d, "closest: '霞鹜文楷'");
    assert_non_null(g);
    assert_null(strstr(g->msg, "of that kind"));
    pb_diags_free(&d);
}

static void test_paths(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match(DEJAVU_SERIF, 400, &d);
    assert_int_equal(d.n_errors, 0);
    assert_string_equal(pb_font_family(c.font), "DejaVu Serif");
    assert_non_null(strstr(c.why, "font file"));
    /* bold of a file: its family's bold face, found by fontconfig */
    c = match(DEJAVU_SERIF, 700, &d);
    assert_true(path_has(&c, "DejaVuSerif-Bold"));
    assert_false(c.synth_bold);
    /* a collection without ":N" gives its simplified Chinese face, ":0" the first */
    c = match(NOTO_SERIF_TTC, 400, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK SC");
    c = match(NOTO_SERIF_TTC ":0", 400, &d);
    assert_string_equal(pb_font_family(c.font), "Noto Serif CJK JP");
    c = match(NOTO_SERIF_TTC ":99", 400, &d);
    assert_non_null(pb_diags_find(&d, "no face 99"));
    assert_non_null(c.font); /* substituted so the build goes on */
    pb_diags_clear(&d);

    /* a relative path is taken from the folder of the file that names it */
    char *dir = make_tmpdir();
    char sub[200], font[300], docf[300];
    snprintf(sub, sizeof sub, "%s/myfonts", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(font, sizeof font, "%s/Serif.ttf", sub);
    copy_file(DEJAVU_SERIF, font, 0);
    snprintf(docf, sizeof docf, "%s/doc.md", dir);
    pb_font_request rq = {"myfonts/Serif.ttf", 400, false, NULL, docf, 2, 11};
    c = pb_fontreg_match(reg, &rq, &d);
    assert_int_equal(d.n_errors, 0);
    assert_string_equal(pb_font_path(c.font), font);
    rmtree(dir);
    pb_diags_free(&d);
}

/* A font dropped into a project folder wins over the installed font of its family. */
static void test_project_dir(void **state)
{
    (void)state;
    char *dir = make_tmpdir();
    char font[300];
    snprintf(font, sizeof font, "%s/DejaVuSerif.ttf", dir);
    copy_file(DEJAVU_SERIF, font, 0);
    const char *dirs[] = {dir, "/nonexistent/fonts"};
    pb_fontreg *r = pb_fontreg_new(dirs, 2);
    assert_int_equal(pb_fontreg_dir_count(r), 1);
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice c = match_in(r, "DejaVu Serif", 400, false, NULL, &d);
    assert_string_equal(pb_font_path(c.font), font);
    assert_true(pb_fontreg_is_project_font(r, c.font));
    assert_non_null(strstr(c.why, "from the project's fonts/ folder"));
    /* the folder has no bold: the installed real bold beats a synthesized one */
    c = match_in(r, "DejaVu Serif", 700, false, NULL, &d);
    assert_true(path_has(&c, "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"));
    assert_false(c.synth_bold);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 0);
    pb_diags_free(&d);
    pb_fontreg_free(r);
    rmtree(dir);
}

static void test_corrupt(void **state)
{
    (void)state;
    char *dir = make_tmpdir();
    char trunc[300], junk[300], woff[300];
    snprintf(trunc, sizeof trunc, "%s/trunc.ttf", dir);
    copy_file(DEJAVU_SERIF, trunc, file_size(DEJAVU_SERIF) - 5000);
    snprintf(junk, sizeof junk, "%s/junk.otf", dir);
    FILE *f = fopen(junk, "wb");
    assert_non_null(f);
    for (int i = 0; i < 20000; i++)
        fputc((i * 7919 + 13) & 0xFF, f);
    fclose(f);
    snprintf(woff, sizeof woff, "%s/web.ttf", dir);
    f = fopen(woff, "wb");
    assert_non_null(f);
    static const char web[] = "wOFF\x00\x01\x00\x00 and then nothing a font needs";
    assert_int_equal(fwrite(web, 1, sizeof web, f), sizeof web);
    fclose(f);

    pb_diags d;
    pb_diags_init(&d);
    assert_null(pb_fontreg_load(reg, trunc, 0, &d, "doc.md", 1, 1));
    assert_non_null(pb_diags_find(&d, "runs past the end of the file (truncated?)"));
    assert_null(pb_fontreg_load(reg, junk, 0, &d, "doc.md", 1, 1));
    assert_non_null(pb_diags_find(&d, "not an OpenType or TrueType font"));
    assert_null(pb_fontreg_load(reg, woff, 0, &d, "doc.md", 1, 1));
    assert_non_null(pb_diags_find(&d, "WOFF"));
    assert_null(pb_fontreg_load(reg, "/nonexistent/font.ttf", 0, &d, "doc.md", 2, 1));
    assert_non_null(pb_diags_find(&d, "cannot read font file"));
    /* by path in a request: an error at the request, and a stand-in font */
    pb_diags_clear(&d);
    pb_font_choice c = match(trunc, 400, &d);
    assert_int_equal(d.n_errors, 1);
    assert_int_equal(d.items[0].line, 3);
    assert_non_null(c.font);
    pb_diags_free(&d);

    /* in a project folder: fontconfig ignores junk (a warning says so); a truncated
     * font it still reads is an error where its family is asked for */
    pb_fontreg *r = pb_fontreg_new((const char *const *)&dir, 1);
    pb_diags_init(&d);
    c = match_in(r, "DejaVu Serif", 400, false, NULL, &d);
    const pb_diag *g = pb_diags_find(&d, "not a font fontconfig can read");
    assert_non_null(g);
    assert_non_null(strstr(g->file, "junk.otf"));
    g = pb_diags_find(&d, "is not a usable font file");
    assert_non_null(g);
    assert_string_equal(g->file, "doc.md");
    assert_non_null(strstr(g->msg, "trunc.ttf"));
    assert_non_null(c.font);
    pb_diags_free(&d);
    pb_fontreg_free(r);
    rmtree(dir);
}

static void test_kinds(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    static const struct {
        const char *family;
        pb_font_kind kind;
    } k[] = {
        {"Noto Serif CJK SC", PB_FONT_SERIF}, {"Noto Sans CJK SC", PB_FONT_SANS},
        {"Noto Sans Mono CJK SC", PB_FONT_MONO}, {"LXGW WenKai", PB_FONT_SERIF},
        {"AR PL UMing CN", PB_FONT_SERIF},    {"WenQuanYi Micro Hei", PB_FONT_SANS},
        {"DejaVu Serif", PB_FONT_SERIF},      {"DejaVu Sans", PB_FONT_SANS},
        {"DejaVu Sans Mono", PB_FONT_MONO},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        pb_font_choice c = match(k[i].family, 400, &d);
        if (pb_font_kind_of(c.font) != k[i].kind)
            fail_msg("%s is %s", k[i].family, pb_font_kind_name(pb_font_kind_of(c.font)));
        /* .notdef draws a box in every one of them */
        assert_true(pb_font_notdef_has_ink(c.font));
    }
    assert_int_equal(d.n_errors, 0);
    pb_diags_free(&d);
}

static void test_fallback(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_font_choice dv = match("DejaVu Serif", 400, &d);
    assert_int_equal(pb_font_glyph(dv.font, 0x4E2D), 0);
    /* 中 is not in DejaVu Serif: a serif CJK font has it */
    pb_font *f = pb_fontreg_fallback(reg, 0x4E2D, dv.font);
    assert_non_null(f);
    assert_string_equal(pb_font_family(f), "Noto Serif CJK SC");
    /* 𠮷 (U+20BB7, above U+FFFF) is in neither UMing nor WenQuanYi: a serif stands in
     * for the Ming face, a sans for the Hei face */
    pb_font *uming = match("AR PL UMing", 400, &d).font;
    pb_font *wqy = match("WenQuanYi Micro Hei", 400, &d).font;
    assert_int_equal(pb_font_glyph(uming, 0x20BB7), 0);
    assert_int_equal(pb_font_glyph(wqy, 0x20BB7), 0);
    f = pb_fontreg_fallback(reg, 0x20BB7, uming);
    assert_non_null(f);
    assert_string_equal(pb_font_family(f), "Noto Serif CJK SC");
    f = pb_fontreg_fallback(reg, 0x20BB7, wqy);
    assert_non_null(f);
    assert_string_equal(pb_font_family(f), "Noto Sans CJK SC");
    /* same weight: a bold font's fallback is bold */
    pb_font *bold = match("Noto Sans CJK SC", 700, &d).font;
    pb_font *dvb = match("DejaVu Sans", 700, &d).font;
    f = pb_fontreg_fallback(reg, 0x4E2D, dvb);
    assert_ptr_equal(f, bold);
    /* a synthesized bold of UMing asks for a bold stand-in, not the regular one */
    f = pb_fontreg_fallback_style(reg, 0x20BB7, uming, 700, false);
    assert_non_null(f);
    assert_string_equal(pb_font_family(f), "Noto Serif CJK SC");
    assert_true(pb_font_weight(f) >= 700);
    /* a private-use code point no font has */
    assert_null(pb_fontreg_fallback(reg, 0x10FFFD, dv.font));
    /* cached: asking again gives the same answer */
    assert_null(pb_fontreg_fallback(reg, 0x10FFFD, dv.font));
    /* the chain --fonts shows: nearest first, never the font itself */
    pb_font *chain[4];
    size_t n = pb_fontreg_fallback_chain(reg, uming, true, chain, 4);
    assert_true(n >= 1);
    assert_string_equal(pb_font_family(chain[0]), "Noto Serif CJK SC");
    for (size_t i = 0; i < n; i++)
        assert_ptr_not_equal(chain[i], uming);
    /* the Chinese chain of a Latin font lists only fonts with Han, nearest first:
     * the font a Han character falls back to */
    n = pb_fontreg_fallback_chain(reg, dvb, true, chain, 4);
    assert_true(n >= 1);
    assert_ptr_equal(chain[0], pb_fontreg_fallback(reg, 0x4E2D, dvb));
    for (size_t i = 0; i < n; i++)
        assert_true(pb_font_glyph(chain[i], 0x4E00) != 0);
    pb_diags_free(&d);
}

/* CJK.md rule 8 in pb_para_layout's runs: “ ” ‘ ’ — … · take the CJK font between
 * Chinese characters and the Latin font between Latin words. */
static void test_shared_punct_runs(void **state)
{
    (void)state;
    pb_diags d;
    pb_diags_init(&d);
    pb_fontset fs = {match("Noto Serif CJK SC", 400, &d),
                     match_in(reg, "DejaVu Serif", 400, false, NULL, &d)};
    assert_ptr_not_equal(fs.cjk.font, fs.latin.font);
    const char *s = "中文“引号”——破折号……间隔·号。English “quotes”—dash… dot·dot.";
    pb_span sp = {0, (uint32_t)strlen(s), {0}, 1, 1};
    sp.style.fonts = &fs;
    sp.style.size = 10;
    sp.style.color = PB_BLACK;
    pb_para p = {.text = s, .len = (uint32_t)strlen(s), .spans = &sp, .n_spans = 1,
                 .width = 1000, .align = PB_LEFT, .file = "t.md"};
    pb_text *t = pb_text_new(reg);
    pb_arena *a = pb_arena_new();
    pb_para_lines *pl = pb_para_layout(t, &p, a, &d);
    assert_non_null(pl);
    assert_int_equal(pl->n, 1);
    size_t latin_part = (size_t)(strstr(s, "English") - s);
    int checked = 0;
    const pb_line *ln = &pl->lines[0];
    for (size_t r = 0; r < ln->n_runs; r++) {
        const pb_run *run = &ln->runs[r];
        for (uint32_t g = 0; g < run->n; g++) {
            const pb_glyph *gl = &run->glyphs[g];
            if (!gl->text_len)
                continue;
            const char *at = run->text + gl->text_off;
            size_t pos = 0;
            uint32_t cp = pb_utf8_next(at, gl->text_len, &pos);
            if (!(cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0x2014 ||
                  cp == 0x2026 || cp == 0xB7))
                continue;
            /* runs point into the paragraph's text: offsets are into s */
            bool latin = gl->text_off >= latin_part;
            if (run->font != (latin ? fs.latin.font : fs.cjk.font))
                fail_msg("U+%04X at byte %u is in %s", cp, gl->text_off, pb_font_family(run->font));
            checked++;
        }
    }
    assert_true(checked >= 10);
    pb_arena_free(a);
    pb_text_free(t);
    pb_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family),         cmocka_unit_test(test_localized_and_bold),
        cmocka_unit_test(test_style_and_region), cmocka_unit_test(test_missing_family),
        cmocka_unit_test(test_family_names_from_elsewhere),
        cmocka_unit_test(test_paths),          cmocka_unit_test(test_project_dir),
        cmocka_unit_test(test_corrupt),        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_fallback),       cmocka_unit_test(test_shared_punct_runs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
