/* pdf_internal.h - shared by the files of src/pdf only: the render context, the
 * embedded-font and image tables, and the content-stream writer. Also the single
 * place that includes libharu's headers, object layer included. */
#ifndef PB_PDF_INTERNAL_H
#define PB_PDF_INTERNAL_H

#include "pdf.h"

/* libharu's headers are old C; keep our warning set from applying to them. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#endif
#include <hpdf.h>
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_page_label.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* One glyph a font shows somewhere in the document. */
typedef struct pdf_glyph {
    uint32_t gid;     /* glyph index in the original font */
    uint32_t code;    /* 2-byte character code in the PDF (a CID), known after subsetting */
    int width;        /* advance in 1/1000 em, exactly what /W (or /DW) says for code */
    const char *text; /* UTF-8 the glyph shows (borrowed from a run), NULL if none */
    uint32_t text_len;
} pdf_glyph;

/* One pb_font as embedded: the glyphs used over the whole document and its objects. */
typedef struct pdf_font {
    pb_font *font;
    uint32_t *slot; /* per original glyph id: 0 = unused, else 1 + index into glyphs */
    pdf_glyph *glyphs;
    size_t n_glyphs, cap_glyphs;
    HPDF_Dict type0; /* the Type0 font registered in page resources */
} pdf_font;

/* An image file, loaded once per document. */
typedef struct pdf_image {
    const char *path; /* borrowed from the display list */
    HPDF_Image image; /* NULL when loading failed (already reported) */
} pdf_image;

/* A named destination, resolved to a page and position. */
typedef struct pdf_dest {
    const char *name;
    size_t page;
    float x, y;              /* display-list coordinates */
    size_t order;            /* position in the document: the first of duplicates wins */
    HPDF_Destination target; /* created on first use */
} pdf_dest;

typedef struct pdf_ctx {
    HPDF_Doc doc;
    const pb_pages *pages;
    pb_pdf_options opt;
    pb_diags *diags;
    bool failed; /* an error diagnostic was added: the render fails at the end */
    /* first error libharu reported through the handler since the last check */
    HPDF_STATUS hpdf_error, hpdf_detail;

    HPDF_Page *hpages; /* one per pb_page */

    pdf_font **fonts; /* in order of first use, which fixes the object order */
    size_t n_fonts, cap_fonts;
    pdf_font *last_font; /* runs come in long stretches of one font */

    pdf_image *images;
    size_t n_images, cap_images;

    pdf_dest *dests; /* sorted by name, then order */
    size_t n_dests, cap_dests;

    struct pdf_zqueue *zq; /* streams being compressed (pdf_stream.c) */
} pdf_ctx;

/* ---- pdf.c ---- */
/* When libharu has recorded an error, turns it into an error diagnostic about
 * `what` (file is the diagnostic's file, may be NULL), clears it so later calls work
 * again, and returns false. */
bool pdf_check(pdf_ctx *c, const char *file, const char *what);
/* A PDF text string: plain for ASCII, UTF-16BE with a byte-order mark otherwise (so
 * characters above U+FFFF survive, which libharu's UTF-8 encoder cannot do). The
 * returned object is new and direct: add it to exactly one container. */
void *pdf_text_string(pdf_ctx *c, const char *utf8);

/* ---- pdf_font.c ---- */
/* Walks every run and records the glyphs each font shows (and their text). */
bool pdf_fonts_collect(pdf_ctx *c);
/* Subsets every used font and builds its PDF objects; afterwards every recorded glyph
 * has its final code and width. */
bool pdf_fonts_embed(pdf_ctx *c);
void pdf_fonts_free(pdf_ctx *c);
pdf_font *pdf_font_find(pdf_ctx *c, const pb_font *font);
static inline const pdf_glyph *pdf_font_glyph(const pdf_font *pf, uint32_t gid)
{
    return &pf->glyphs[pf->slot[gid] - 1];
}

/* ---- pdf_cff.c ---- */
/* Reads the charset of a CID-keyed CFF: cids[gid] for gid < n_glyphs. Returns false
 * when the CFF is malformed, not CID-keyed, or has fewer glyphs than n_glyphs. */
bool pdf_cff_read_cids(const unsigned char *cff, size_t len, uint32_t n_glyphs, uint32_t *cids);
/* Subsets a CID-keyed CFF to the glyphs gids[0..n) (ascending, gids[0] == 0: .notdef
 * is always kept), with every subroutine inlined; the subset's glyph k is gids[k] and
 * keeps its CID, which cids[k] receives. Appends the new CFF to out. Returns false,
 * leaving out as it was, for a font that is not CID-keyed or that it cannot read (the
 * caller then uses hb-subset). */
bool pdf_cff_subset(const unsigned char *cff, size_t len, const uint32_t *gids, size_t n,
                    pb_buf *out, uint32_t *cids);

/* ---- pdf_ttf.c ---- */
/* Subsets a TrueType-outline face to gids[0..n) (ascending), .notdef and the
 * components of composite glyphs, in ascending order of their old ids, without
 * instructions. Appends the font program to out; codes[k] receives the new id of
 * gids[k]. Returns false, out as it was, when the face is not one it can read. */
bool pdf_ttf_subset(hb_face_t *face, const uint32_t *gids, size_t n, pb_buf *out, uint32_t *codes);

/* ---- pdf_png.c ---- */
/* A decoded image: 8-bit samples, rows top to bottom. */
typedef struct pdf_pixels {
    uint32_t w, h;
    unsigned channels;    /* 1 gray, 3 RGB */
    unsigned char *color; /* w * h * channels */
    unsigned char *alpha; /* w * h, or NULL when opaque */
} pdf_pixels;
/* Decodes a PNG file's bytes. Returns false after an error diagnostic on path. */
bool pdf_png_decode(const char *path, const unsigned char *data, size_t len, pdf_pixels *out,
                    pb_diags *diags);
void pdf_pixels_free(pdf_pixels *px);

/* ---- pdf_image.c ---- */
/* The image for path, loaded on first use; NULL (after an error diagnostic, once per
 * path) when the file is missing, corrupt, or neither PNG nor JPEG. */
HPDF_Image pdf_image_get(pdf_ctx *c, const char *path);
void pdf_images_free(pdf_ctx *c);

/* ---- pdf_content.c ---- */
/* Writes the content stream of page index i (text, rules, lines, images). */
bool pdf_content_write_page(pdf_ctx *c, size_t i);
/* Appends a number with at most `decimals` fraction digits, locale-independent. */
void pdf_num(pb_buf *b, double v, int decimals);

/* ---- pdf_stream.c ---- */
/* How a stream is compressed. Page contents and CMaps are text: zlib's default
 * level makes them a third. Font programs are dense already: zlib's fastest level (1)
 * gets most of what its best does. Huffman-only coding is about 3% fewer instructions
 * for the seed report but makes its PDF 352 KB instead of 325 KB; size wins (the
 * compression runs on a second thread anyway). */
typedef enum { PDF_Z_TEXT, PDF_Z_FONT } pdf_zkind;
/* Gives stream dictionary d (ours or libharu's, not yet written) its bytes raw[0..len),
 * compressed as kind says unless compression is off; takes raw (malloc'd). The bytes are
 * in place once pdf_streams_finish has run. */
void pdf_stream_set(pdf_ctx *c, HPDF_Dict d, char *raw, size_t len, pdf_zkind kind);
/* The same for bytes compressed already (by pdf_deflate as kind): takes raw and z. */
void pdf_stream_set_deflated(pdf_ctx *c, HPDF_Dict d, char *raw, size_t len, pdf_zkind kind,
                             unsigned char *z, size_t z_len);
/* Waits for the compression still running and puts every stream's bytes in place. */
bool pdf_streams_finish(pdf_ctx *c);
void pdf_streams_free(pdf_ctx *c);
/* One zlib stream of raw (malloc'd into *out). */
void pdf_deflate(const char *raw, size_t len, pdf_zkind kind, unsigned char **out, size_t *out_len);

/* ---- pdf_cache.c ---- */
void pdf_cache_begin(pb_pdf_cache *c);
void pdf_cache_end(pb_pdf_cache *c);
/* The compressed form of raw as kind from an earlier render (borrowed), or false. */
bool pdf_cache_stream_lookup(pb_pdf_cache *c, const char *raw, size_t len, pdf_zkind kind,
                             const unsigned char **z, size_t *z_len);
/* Keeps a stream; takes raw and z (malloc'd). */
void pdf_cache_stream_put(pb_pdf_cache *c, char *raw, size_t len, pdf_zkind kind, unsigned char *z,
                          size_t z_len);
/* The subset of font with glyphs gids[0..n) (ascending) from an earlier render: the code
 * of each glyph and the font program before compression (borrowed). */
bool pdf_cache_subset_lookup(pb_pdf_cache *c, const pb_font *font, const uint32_t *gids, size_t n,
                             const uint32_t **codes, const char **program, size_t *program_len);
void pdf_cache_subset_put(pb_pdf_cache *c, const pb_font *font, const uint32_t *gids, size_t n,
                          const uint32_t *codes, const char *program, size_t program_len);

/* ---- pdf_file.c ---- */
/* Writes data to path atomically (temporary file, fsync, rename). Returns false after
 * an error diagnostic naming path and the reason. */
bool pdf_file_write_atomic(const char *path, const char *data, size_t len, pb_diags *diags);

#endif
