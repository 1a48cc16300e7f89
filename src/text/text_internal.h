/* text_internal.h - shared by the files of src/text only. */
#ifndef PB_TEXT_INTERNAL_H
#define PB_TEXT_INTERNAL_H

#include "text.h"

#include <ft2build.h>
#include FT_FREETYPE_H

struct pb_font {
    uint32_t serial;
    char *path;
    int index;
    char *family, *style, *psname;
    FT_Face ft;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem, n_glyphs, weight;
    int ascender, descender, cap_height, italic_angle;
    int bbox[4];
    bool cff, cff_cid, serif, fixed, italic;
    pb_font_kind kind; /* serif / sans / mono, for fallback */
    /* ink boxes of punctuation, filled on demand (see punct.c) */
    struct pb_ink *ink_cache;
    size_t n_ink, cap_ink;
};

FT_Library pb_ft_library(void);
pb_font *pb_font_load(const char *path, int index, pb_diags *diags, const char *file, int line,
                      int col);
void pb_font_free(pb_font *f);
/* The kind a family name suggests (PB_FONT_*), or -1 when its words say nothing. */
int pb_font_kind_guess(const char *name);

/* Blank left/right part of a full-width punctuation glyph, font units (punct.c). */
void pb_punct_blanks(pb_font *f, uint32_t gid, uint32_t cp, int *bl, int *br);

#endif
