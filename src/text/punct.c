/* punct.c - which part of a full-width punctuation glyph is blank (CJK.md rule 6).
 * The font says it best through its 'halt' feature (alternate half widths); where
 * the font has none, the glyph's ink box decides, in quarter ems. Either way the
 * result never reaches into the ink. Results are cached per font and glyph. */
#include "text_internal.h"

#include <stdlib.h>

typedef struct pb_ink {
    uint32_t gid;
    int16_t bl, br; /* blank left / right, font units */
} pb_ink;

static int quarter_floor(int v, int em)
{
    int q = em / 4;
    if (q <= 0 || v <= 0)
        return 0;
    return (v / q) * q;
}

void pb_punct_blanks(pb_font *f, uint32_t gid, uint32_t cp, int *bl, int *br)
{
    for (size_t i = 0; i < f->n_ink; i++) {
        if (f->ink_cache[i].gid == gid) {
            *bl = f->ink_cache[i].bl;
            *br = f->ink_cache[i].br;
            return;
        }
    }
    int em = (int)f->upem;
    int adv = pb_font_glyph_advance(f, gid);
    int xmin = 0, xmax = adv, ymin, ymax;
    bool inked = pb_font_glyph_extents(f, gid, &xmin, &xmax, &ymin, &ymax);
    int l = 0, r = 0;
    bool from_halt = false;
    static const char halt[4] = {'h', 'a', 'l', 't'};
    if (pb_font_has_feature(f, halt)) {
        hb_buffer_t *buf = hb_buffer_create();
        hb_buffer_add_codepoints(buf, &cp, 1, 0, 1);
        hb_buffer_guess_segment_properties(buf);
        hb_feature_t feat = {HB_TAG('h', 'a', 'l', 't'), 1, 0, (unsigned)-1};
        hb_shape(f->font, buf, &feat, 1);
        unsigned n;
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
        if (n == 1 && pos[0].x_advance < adv && pos[0].x_advance > 0) {
            /* The kept box is [-x_offset, -x_offset + advance) in the full glyph. */
            l = -pos[0].x_offset;
            r = adv - (l + pos[0].x_advance);
            from_halt = true;
        }
        hb_buffer_destroy(buf);
    }
    if (!from_halt && inked && adv >= em * 9 / 10) {
        l = quarter_floor(PB_MIN(xmin, adv / 2), em);
        r = quarter_floor(PB_MIN(adv - xmax, adv / 2), em);
    }
    /* never trim ink */
    if (inked) {
        if (l > xmin)
            l = PB_MAX(0, xmin);
        if (r > adv - xmax)
            r = PB_MAX(0, adv - xmax);
    }
    if (l < 0)
        l = 0;
    if (r < 0)
        r = 0;
    pb_ink e = {gid, (int16_t)l, (int16_t)r};
    PB_PUSH(f->ink_cache, f->n_ink, f->cap_ink, e);
    *bl = l;
    *br = r;
}
