/* font.h - one loaded font face: FreeType face + HarfBuzz face/font + the file's
 * bytes (for subsetting) + metrics. Fonts are long-lived and shared: the registry
 * owns them and they outlive a build (so --watch reuses them). Included by text.h;
 * the PDF stage uses only the accessors below. */
#ifndef PB_FONT_H
#define PB_FONT_H

#include <hb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pb_font pb_font;

/* Identity */
const char *pb_font_path(const pb_font *f);
int pb_font_index(const pb_font *f); /* face index inside a .ttc/.otc */
const char *pb_font_family(const pb_font *f);
const char *pb_font_style_name(const pb_font *f);
const char *pb_font_postscript_name(const pb_font *f); /* never NULL; sanitised for PDF names */
uint32_t pb_font_serial(const pb_font *f); /* small stable number, unique in the registry */

/* Outlines: true for CFF ('CFF ' table), false for TrueType ('glyf'). */
bool pb_font_is_cff(const pb_font *f);
/* For CFF fonts: true when the CFF is CID-keyed (has ROS), so PDF codes are CIDs. */
bool pb_font_cff_is_cid(const pb_font *f);

/* HarfBuzz face over the whole file's face (borrowed; for hb-subset). */
hb_face_t *pb_font_hb_face(const pb_font *f);
hb_font_t *pb_font_hb_font(const pb_font *f); /* scaled to units per em */

/* Metrics in font units */
unsigned pb_font_upem(const pb_font *f);
int pb_font_ascender(const pb_font *f);  /* typographic (OS/2 or hhea), positive */
int pb_font_descender(const pb_font *f); /* negative */
int pb_font_cap_height(const pb_font *f);
void pb_font_bbox(const pb_font *f, int bbox[4]); /* xMin yMin xMax yMax */
int pb_font_italic_angle(const pb_font *f);
bool pb_font_is_fixed_pitch(const pb_font *f);
bool pb_font_is_serif(const pb_font *f);
/* The generic kind a font belongs to, for fallback in a matching style: from the
 * family names (Song/Ming/Kai/宋/楷 serif, Hei/Gothic/黑 sans, Mono/等宽 monospace),
 * else from PANOSE. */
typedef enum { PB_FONT_SERIF, PB_FONT_SANS, PB_FONT_MONO } pb_font_kind;
pb_font_kind pb_font_kind_of(const pb_font *f);
const char *pb_font_kind_name(pb_font_kind k); /* "serif", "sans-serif", "monospace" */
unsigned pb_font_weight(const pb_font *f); /* OS/2 usWeightClass, 400 regular */
bool pb_font_is_italic(const pb_font *f);
unsigned pb_font_num_glyphs(const pb_font *f);
/* Horizontal advance of a glyph in font units (hmtx). */
int pb_font_glyph_advance(const pb_font *f, uint32_t gid);
/* Ink box of a glyph in font units; false for a glyph without outline. */
bool pb_font_glyph_extents(const pb_font *f, uint32_t gid, int *x_min, int *x_max, int *y_min,
                           int *y_max);
/* Nominal glyph for a code point, 0 when the font lacks it. */
uint32_t pb_font_glyph(const pb_font *f, uint32_t cp);
bool pb_font_has_feature(const pb_font *f, const char tag[4]); /* GSUB or GPOS */
/* Whether glyph 0 (.notdef, drawn for a character no font has) has outlines, i.e.
 * shows as a visible box. */
bool pb_font_notdef_has_ink(const pb_font *f);

/* ---- the registry, looked into (paiban --fonts); the rest of its API is in text.h ---- */
typedef struct pb_fontreg pb_fontreg;
/* The fonts that per-character fallback tries for a font like `like`, nearest first
 * (one face per family): for CJK characters (cjk) or others. Fills out[0..max) with
 * fonts borrowed from the registry; returns how many. */
size_t pb_fontreg_fallback_chain(pb_fontreg *r, const pb_font *like, bool cjk, pb_font **out,
                                 size_t max);
/* pb_fontreg_fallback (text.h) with the style wanted given apart from the font: for a
 * run whose bold is synthesized from a regular face, so that the fallback font is a
 * real bold one (weight 700) rather than another regular face. */
pb_font *pb_fontreg_fallback_style(pb_fontreg *r, uint32_t cp, const pb_font *like,
                                   unsigned weight, bool italic);
/* The project font folders searched before the system's, as absolute paths. */
size_t pb_fontreg_dir_count(const pb_fontreg *r);
const char *pb_fontreg_dir(const pb_fontreg *r, size_t i);
/* Whether a font was found in one of those folders. */
bool pb_fontreg_is_project_font(pb_fontreg *r, const pb_font *f);

#endif
