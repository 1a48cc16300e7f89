/* font.c - loading one font face (FreeType + HarfBuzz over one copy of the file's
 * bytes) and reading the metrics the typesetter and the PDF stage need. A corrupt
 * or unsupported file is a diagnostic, never a crash. */
#include "text_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include FT_TRUETYPE_TABLES_H
#include FT_SFNT_NAMES_H
#include <hb-ot.h>

static FT_Library ft_lib;
static uint32_t next_serial = 1;

FT_Library pb_ft_library(void)
{
    if (!ft_lib && FT_Init_FreeType(&ft_lib))
        pb_fatal("cannot initialise FreeType");
    return ft_lib;
}

/* Reads the first byte of the CFF Top DICT and looks for the ROS operator (12 30),
 * which marks a CID-keyed font (Adobe CFF spec, Technical Note #5176, Table 9). */
static bool cff_has_ros(hb_face_t *face)
{
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(blob, &len);
    bool ros = false;
    if (!p || len < 4)
        goto done;
    size_t pos = p[2]; /* hdrSize */
    /* skip the Name INDEX */
    for (int idx = 0; idx < 2; idx++) {
        if (pos + 3 > len)
            goto done;
        unsigned count = (unsigned)p[pos] << 8 | p[pos + 1];
        if (count == 0) {
            pos += 2;
            if (idx == 1)
                goto done;
            continue;
        }
        unsigned offsize = p[pos + 2];
        if (offsize < 1 || offsize > 4)
            goto done;
        size_t offs = pos + 3;
        if (offs + (size_t)(count + 1) * offsize > len)
            goto done;
        size_t last = 0, first = 0;
        for (unsigned k = 0; k < offsize; k++) {
            first = first << 8 | p[offs + k];
            last = last << 8 | p[offs + (size_t)count * offsize + k];
        }
        size_t data = offs + (size_t)(count + 1) * offsize - 1;
        if (idx == 1) {
            /* Top DICT of the first font: [data+first, data+next) */
            size_t next = 0;
            for (unsigned k = 0; k < offsize; k++)
                next = next << 8 | p[offs + offsize + k];
            size_t s = data + first, e = data + next;
            if (e > len || s > e)
                goto done;
            /* The ROS operator, when present, is the first in the dict. Scan
             * operands then look at the first operator. */
            size_t q = s;
            while (q < e) {
                unsigned b0 = p[q];
                if (b0 == 12) {
                    ros = q + 1 < e && p[q + 1] == 30;
                    goto done;
                } else if (b0 <= 21) {
                    goto done; /* some other operator came first */
                } else if (b0 == 28) {
                    q += 3;
                } else if (b0 == 29) {
                    q += 5;
                } else if (b0 == 30) {
                    q++;
                    while (q < e && (p[q] & 0x0F) != 0x0F && (p[q] & 0xF0) != 0xF0)
                        q++;
                    q++;
                } else if (b0 >= 32 && b0 <= 246) {
                    q += 1;
                } else if (b0 >= 247 && b0 <= 254) {
                    q += 2;
                } else {
                    goto done;
                }
            }
            goto done;
        }
        pos = data + last;
    }
done:
    hb_blob_destroy(blob);
    return ros;
}

static char *sanitize_psname(const char *s)
{
    size_t n = strlen(s);
    char *r = pb_xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n && o < 63; i++) {
        unsigned char c = (unsigned char)s[i];
        r[o++] = (isalnum(c) || c == '-' || c == '_') ? (char)c : '-';
    }
    r[o] = 0;
    if (!o) {
        free(r);
        r = pb_xstrdup("Font");
    }
    return r;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#define TAG4(a, b, c, d)                                                                    \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* Checks the table directory of face `index` (OpenType spec, "Organization of an
 * OpenType font") before FreeType and HarfBuzz see the file: both tolerate a table
 * that runs past the end of a truncated file by treating it as empty, which would
 * show up much later as blank glyphs instead of an error now. Writes the problem to
 * why and returns false. */
static bool sfnt_check(const unsigned char *p, size_t len, int index, char *why, size_t cap)
{
    if (len < 12) {
        snprintf(why, cap, "only %zu bytes long", len);
        return false;
    }
    size_t dir = 0;
    uint32_t sig = rd32(p);
    if (sig == TAG4('w', 'O', 'F', 'F') || sig == TAG4('w', 'O', 'F', '2')) {
        snprintf(why, cap, "a WOFF web font (convert it to .ttf/.otf)");
        return false;
    }
    if (sig == TAG4('t', 't', 'c', 'f')) {
        uint32_t n = rd32(p + 8);
        if (n > (len - 12) / 4) {
            snprintf(why, cap, "the collection header is truncated");
            return false;
        }
        if (index < 0 || (uint32_t)index >= n) {
            snprintf(why, cap, "no face %d (the collection holds %u)", index, n);
            return false;
        }
        dir = rd32(p + 12 + 4 * (size_t)index);
        sig = dir + 12 <= len ? rd32(p + dir) : 0;
    } else if (index != 0) {
        snprintf(why, cap, "no face %d (the file holds one font)", index);
        return false;
    }
    if (sig != 0x00010000 && sig != TAG4('O', 'T', 'T', 'O') && sig != TAG4('t', 'r', 'u', 'e')) {
        snprintf(why, cap, "not an OpenType or TrueType font");
        return false;
    }
    unsigned n_tables = (unsigned)p[dir + 4] << 8 | p[dir + 5];
    if (dir + 12 + 16 * (size_t)n_tables > len) {
        snprintf(why, cap, "the table directory is truncated");
        return false;
    }
    static const uint32_t need[] = {TAG4('c', 'm', 'a', 'p'), TAG4('h', 'e', 'a', 'd'),
                                    TAG4('h', 'h', 'e', 'a'), TAG4('h', 'm', 't', 'x'),
                                    TAG4('m', 'a', 'x', 'p')};
    unsigned found = 0;
    for (unsigned i = 0; i < n_tables; i++) {
        const unsigned char *rec = p + dir + 12 + 16 * (size_t)i;
        uint32_t tag = rd32(rec), off = rd32(rec + 8), tlen = rd32(rec + 12);
        if (off > len || tlen > len - off) {
            snprintf(why, cap, "table '%c%c%c%c' runs past the end of the file (truncated?)",
                     rec[0], rec[1], rec[2], rec[3]);
            return false;
        }
        for (unsigned k = 0; k < PB_COUNT(need); k++)
            if (tag == need[k])
                found |= 1u << k;
    }
    for (unsigned k = 0; k < PB_COUNT(need); k++) {
        if (!(found & (1u << k))) {
            snprintf(why, cap, "it lacks the required '%c%c%c%c' table", (char)(need[k] >> 24),
                     (char)(need[k] >> 16), (char)(need[k] >> 8), (char)need[k]);
            return false;
        }
    }
    return true;
}

/* ASCII lower case of s appended to out (for name tests). */
static void lower_into(pb_buf *out, const char *s)
{
    for (; s && *s; s++)
        pb_buf_addc(out, (char)tolower((unsigned char)*s));
    pb_buf_addc(out, ' ');
}

/* The family names of the name table (IDs 1 and 16) in every language, as UTF-8, so
 * that 宋体/黑体/楷体 in a Chinese name classify the font too. */
static void names_into(FT_Face ft, pb_buf *out)
{
    FT_UInt n = FT_Get_Sfnt_Name_Count(ft);
    for (FT_UInt i = 0; i < n && i < 512; i++) {
        FT_SfntName nm;
        if (FT_Get_Sfnt_Name(ft, i, &nm) || (nm.name_id != 1 && nm.name_id != 16))
            continue;
        /* Windows and Unicode platforms: UTF-16BE */
        if (nm.platform_id != 3 && nm.platform_id != 0)
            continue;
        for (FT_UInt k = 0; k + 1 < nm.string_len; k += 2) {
            uint32_t u = (uint32_t)nm.string[k] << 8 | nm.string[k + 1];
            if (u >= 0xD800 && u <= 0xDFFF)
                continue;
            char enc[4];
            int m = pb_utf8_encode(u < 0x80 ? (uint32_t)tolower((int)u) : u, enc);
            pb_buf_add(out, enc, (size_t)m);
        }
        pb_buf_addc(out, ' ');
    }
}

static bool has_any(const char *hay, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(hay, words[i]))
            return true;
    return false;
}

static const char *const kind_mono[] = {"mono", "code", "courier", "consol", "等宽", "等寬"};
/* Chinese, Japanese and Korean names too: Hei/Gothic/Dotum/Gulim are sans, Song/Ming/
 * Mincho/Batang and Kai serif. */
static const char *const kind_sans[] = {"sans", "hei",  "gothic", "grotesk", "helvet", "arial",
                                        "dotum", "gulim", "黑",   "圆",      "圓",     "yahei"};
static const char *const kind_serif[] = {"serif", "song", "ming", "mincho", "batang", "kai",
                                         "fangsong", "roman", "times", "宋", "明", "楷"};

/* Words in a (lower-case) name that say what kind of font it is. Sans is tested
 * before serif because "sans serif" holds both. */
static int kind_from_words(const char *lower)
{
    if (has_any(lower, kind_mono, PB_COUNT(kind_mono)))
        return PB_FONT_MONO;
    if (has_any(lower, kind_sans, PB_COUNT(kind_sans)))
        return PB_FONT_SANS;
    if (has_any(lower, kind_serif, PB_COUNT(kind_serif)))
        return PB_FONT_SERIF;
    return -1;
}

int pb_font_kind_guess(const char *name)
{
    pb_buf b;
    pb_buf_init(&b);
    lower_into(&b, name);
    int k = kind_from_words(b.data);
    pb_buf_free(&b);
    return k;
}

/* serif, sans-serif or monospace, for choosing fallback fonts of the same kind.
 * Names decide first, because the PANOSE bytes of many CJK fonts are wrong (AR PL
 * UMing claims a monospaced sans) or zero (the URW fonts); PANOSE decides only for
 * names that say nothing. Kaishu and fangsong count as serif: their strokes are
 * closer to Song/Ming than to Hei. */
static pb_font_kind classify(FT_Face ft, const TT_OS2 *os2, const TT_Postscript *post,
                             const char *psname)
{
    pb_buf names;
    pb_buf_init(&names);
    lower_into(&names, ft->family_name);
    lower_into(&names, psname);
    names_into(ft, &names);
    int k = kind_from_words(names.data);
    pb_buf_free(&names);
    if (k >= 0)
        return (pb_font_kind)k;
    if (post && post->isFixedPitch)
        return PB_FONT_MONO;
    if (os2 && os2->version != 0xFFFF && os2->panose[0] == 2 && os2->panose[1] >= 11)
        return PB_FONT_SANS; /* PANOSE serif style 11-15: sans, flared, rounded */
    return PB_FONT_SERIF;    /* report body text is serif: the better guess */
}

pb_font *pb_font_load(const char *path, int index, pb_diags *diags, const char *file, int line,
                      int col)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob) {
        pb_diag_add(diags, PB_ERROR, file ? file : path, line, col,
                    "cannot read font file '%s'", path);
        return NULL;
    }
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    char why[128];
    if (!data || !sfnt_check((const unsigned char *)data, len, index, why, sizeof why)) {
        pb_diag_add(diags, PB_ERROR, file ? file : path, line, col,
                    "'%s' is not a usable font file: %s", path, data ? why : "empty file");
        hb_blob_destroy(blob);
        return NULL;
    }
    FT_Face ft = NULL;
    if (FT_New_Memory_Face(pb_ft_library(), (const FT_Byte *)data, (FT_Long)len, index, &ft)) {
        pb_diag_add(diags, PB_ERROR, file ? file : path, line, col,
                    "'%s' is not a usable font file (corrupt or unsupported format)", path);
        hb_blob_destroy(blob);
        return NULL;
    }
    if (!FT_IS_SFNT(ft) || !FT_IS_SCALABLE(ft)) {
        pb_diag_add(diags, PB_ERROR, file ? file : path, line, col,
                    "'%s' is not a usable font file: not an OpenType/TrueType font", path);
        FT_Done_Face(ft);
        hb_blob_destroy(blob);
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    unsigned n_glyphs = hb_face_get_glyph_count(face);
    hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    hb_blob_t *loca = hb_face_reference_table(face, HB_TAG('l', 'o', 'c', 'a'));
    bool is_cff = hb_blob_get_length(cff) > 0;
    bool is_glyf = hb_blob_get_length(glyf) > 0 && hb_blob_get_length(loca) > 0;
    hb_blob_destroy(cff);
    hb_blob_destroy(glyf);
    hb_blob_destroy(loca);
    if (n_glyphs == 0 || (!is_cff && !is_glyf)) {
        pb_diag_add(diags, PB_ERROR, file ? file : path, line, col,
                    "'%s' is not a usable font file: it has no glyph outlines paiban can "
                    "embed (need 'glyf' or 'CFF ')",
                    path);
        hb_face_destroy(face);
        FT_Done_Face(ft);
        hb_blob_destroy(blob);
        return NULL;
    }

    pb_font *f = pb_xcalloc(1, sizeof *f);
    f->serial = next_serial++;
    f->path = pb_xstrdup(path);
    f->index = index;
    f->ft = ft;
    f->blob = blob;
    f->face = face;
    f->font = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    f->n_glyphs = n_glyphs;
    f->cff = is_cff;
    f->cff_cid = is_cff && cff_has_ros(face);
    f->family = pb_xstrdup(ft->family_name ? ft->family_name : "Unknown");
    f->style = pb_xstrdup(ft->style_name ? ft->style_name : "Regular");
    const char *ps = FT_Get_Postscript_Name(ft);
    f->psname = sanitize_psname(ps ? ps : f->family);

    TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
    f->ascender = ft->ascender;
    f->descender = ft->descender;
    f->weight = 400;
    if (os2 && os2->version != 0xFFFF) {
        if (os2->sTypoAscender > 0) {
            f->ascender = os2->sTypoAscender;
            f->descender = os2->sTypoDescender;
        }
        f->cap_height = os2->version >= 2 ? os2->sCapHeight : 0;
        f->weight = os2->usWeightClass;
        f->fixed = os2->panose[0] == 2 && os2->panose[3] == 9;
    }
    if (!f->cap_height)
        f->cap_height = (int)(f->ascender * 0.8);
    if (post) {
        f->italic_angle = (int)(post->italicAngle >> 16);
        if (post->isFixedPitch)
            f->fixed = true;
    }
    f->kind = classify(ft, os2, post, f->psname);
    f->serif = f->kind == PB_FONT_SERIF;
    f->italic = (ft->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
    if (ft->style_flags & FT_STYLE_FLAG_BOLD && f->weight < 600)
        f->weight = 700;
    f->bbox[0] = (int)ft->bbox.xMin;
    f->bbox[1] = (int)ft->bbox.yMin;
    f->bbox[2] = (int)ft->bbox.xMax;
    f->bbox[3] = (int)ft->bbox.yMax;
    return f;
}

void pb_font_free(pb_font *f)
{
    if (!f)
        return;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    FT_Done_Face(f->ft);
    hb_blob_destroy(f->blob);
    free(f->path);
    free(f->family);
    free(f->style);
    free(f->psname);
    free(f->ink_cache);
    free(f);
}

const char *pb_font_path(const pb_font *f) { return f->path; }
int pb_font_index(const pb_font *f) { return f->index; }
const char *pb_font_family(const pb_font *f) { return f->family; }
const char *pb_font_style_name(const pb_font *f) { return f->style; }
const char *pb_font_postscript_name(const pb_font *f) { return f->psname; }
uint32_t pb_font_serial(const pb_font *f) { return f->serial; }
bool pb_font_is_cff(const pb_font *f) { return f->cff; }
bool pb_font_cff_is_cid(const pb_font *f) { return f->cff_cid; }
hb_face_t *pb_font_hb_face(const pb_font *f) { return f->face; }
hb_font_t *pb_font_hb_font(const pb_font *f) { return f->font; }
unsigned pb_font_upem(const pb_font *f) { return f->upem; }
int pb_font_ascender(const pb_font *f) { return f->ascender; }
int pb_font_descender(const pb_font *f) { return f->descender; }
int pb_font_cap_height(const pb_font *f) { return f->cap_height; }
int pb_font_italic_angle(const pb_font *f) { return f->italic_angle; }
bool pb_font_is_fixed_pitch(const pb_font *f) { return f->fixed; }
bool pb_font_is_serif(const pb_font *f) { return f->serif; }
pb_font_kind pb_font_kind_of(const pb_font *f) { return f->kind; }

const char *pb_font_kind_name(pb_font_kind k)
{
    return k == PB_FONT_SANS ? "sans-serif" : k == PB_FONT_MONO ? "monospace" : "serif";
}

bool pb_font_notdef_has_ink(const pb_font *f)
{
    int x0, x1, y0, y1;
    return pb_font_glyph_extents(f, 0, &x0, &x1, &y0, &y1);
}
unsigned pb_font_weight(const pb_font *f) { return f->weight; }
bool pb_font_is_italic(const pb_font *f) { return f->italic; }
unsigned pb_font_num_glyphs(const pb_font *f) { return f->n_glyphs; }

void pb_font_bbox(const pb_font *f, int bbox[4])
{
    memcpy(bbox, f->bbox, sizeof f->bbox);
}

int pb_font_glyph_advance(const pb_font *f, uint32_t gid)
{
    return (int)hb_font_get_glyph_h_advance(f->font, gid);
}

bool pb_font_glyph_extents(const pb_font *f, uint32_t gid, int *x_min, int *x_max, int *y_min,
                           int *y_max)
{
    hb_glyph_extents_t e;
    if (!hb_font_get_glyph_extents(f->font, gid, &e) || (e.width == 0 && e.height == 0))
        return false;
    *x_min = e.x_bearing;
    *x_max = e.x_bearing + e.width;
    *y_max = e.y_bearing;
    *y_min = e.y_bearing + e.height;
    return true;
}

uint32_t pb_font_glyph(const pb_font *f, uint32_t cp)
{
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(f->font, cp, &g))
        return 0;
    return g;
}

bool pb_font_has_feature(const pb_font *f, const char tag[4])
{
    hb_tag_t t = HB_TAG(tag[0], tag[1], tag[2], tag[3]);
    hb_tag_t tables[2] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
    for (int k = 0; k < 2; k++) {
        unsigned n = hb_ot_layout_table_get_feature_tags(f->face, tables[k], 0, NULL, NULL);
        hb_tag_t buf[256];
        unsigned off = 0;
        while (off < n) {
            unsigned cnt = PB_COUNT(buf);
            hb_ot_layout_table_get_feature_tags(f->face, tables[k], off, &cnt, buf);
            for (unsigned i = 0; i < cnt; i++)
                if (buf[i] == t)
                    return true;
            if (cnt == 0)
                break;
            off += cnt;
        }
    }
    return false;
}
