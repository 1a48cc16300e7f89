/* pdf_image.c - loads PNG and JPEG files as image XObjects, once per path per
 * document. PNGs are decoded here (pdf_png.c) and written as 8-bit samples with PNG
 * predictors and an SMask for transparency; JPEGs are embedded as they are. */
#include "pdf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

/* Sum of the filtered bytes as signed values: the usual guess at which PNG filter
 * will compress a row best (libpng's heuristic, PNG spec §12.8). */
static unsigned long filter_cost(const unsigned char *f, size_t n)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += f[i] < 128 ? f[i] : 256u - f[i];
    return sum;
}

static unsigned char predict(unsigned filter, unsigned a, unsigned b, unsigned c)
{
    int p = (int)(a + b) - (int)c, pa = abs(p - (int)a), pb = abs(p - (int)b), pc = abs(p - (int)c);
    switch (filter) {
    case 1:
        return (unsigned char)a;
    case 2:
        return (unsigned char)b;
    case 3:
        return (unsigned char)((a + b) / 2);
    case 4:
        return (unsigned char)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    default:
        return 0;
    }
}

/* An image XObject of 8-bit samples. Compressed, its rows carry PNG filters
 * (/Predictor 15, PDF 32000 §7.4.4.4), which typically halves screenshots and
 * charts against plain Flate. */
static HPDF_Image raw_image(pdf_ctx *c, const unsigned char *px, uint32_t w, uint32_t h,
                            unsigned channels)
{
    HPDF_Dict img = HPDF_DictStream_New(c->doc->mmgr, c->doc->xref);
    if (!img)
        pb_fatal("out of memory (libharu image)");
    img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    HPDF_Dict_AddName(img, "Type", "XObject");
    HPDF_Dict_AddName(img, "Subtype", "Image");
    HPDF_Dict_AddName(img, "ColorSpace", channels == 1 ? "DeviceGray" : "DeviceRGB");
    HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)w);
    HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)h);
    HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
    size_t stride = (size_t)w * channels;
    if (!c->opt.compress) {
        HPDF_Stream_Write(img->stream, px, (HPDF_UINT)(stride * h));
        return img;
    }
    img->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict parms = HPDF_Dict_New(c->doc->mmgr);
    HPDF_Array parms_list = HPDF_Array_New(c->doc->mmgr);
    if (!parms || !parms_list)
        pb_fatal("out of memory (libharu image)");
    HPDF_Dict_AddNumber(parms, "Predictor", 15);
    HPDF_Dict_AddNumber(parms, "Colors", (HPDF_INT32)channels);
    HPDF_Dict_AddNumber(parms, "Columns", (HPDF_INT32)w);
    HPDF_Dict_AddNumber(parms, "BitsPerComponent", 8);
    /* libharu writes /Filter as an array, so the parameters go in a matching one */
    HPDF_Array_Add(parms_list, parms);
    HPDF_Dict_Add(img, "DecodeParms", parms_list);

    unsigned char *cand = pb_xmalloc(5 * (stride + 1));
    for (uint32_t y = 0; y < h; y++) {
        const unsigned char *row = px + y * stride, *prev = y ? row - stride : NULL;
        size_t best = 0;
        unsigned long best_cost = (unsigned long)-1;
        for (unsigned f = 0; f < 5; f++) {
            unsigned char *out = cand + f * (stride + 1);
            out[0] = (unsigned char)f;
            for (size_t i = 0; i < stride; i++) {
                unsigned a = i >= channels ? row[i - channels] : 0, b = prev ? prev[i] : 0;
                unsigned cc = prev && i >= channels ? prev[i - channels] : 0;
                out[i + 1] = (unsigned char)(row[i] - predict(f, a, b, cc));
            }
            unsigned long cost = filter_cost(out + 1, stride);
            if (cost < best_cost) {
                best_cost = cost;
                best = f;
            }
        }
        HPDF_Stream_Write(img->stream, cand + best * (stride + 1), (HPDF_UINT)(stride + 1));
    }
    free(cand);
    return img;
}

static HPDF_Image load_png(pdf_ctx *c, const char *path, const char *data, size_t len)
{
    pdf_pixels px;
    if (!pdf_png_decode(path, (const unsigned char *)data, len, &px, c->diags))
        return NULL;
    HPDF_Image img = raw_image(c, px.color, px.w, px.h, px.channels);
    if (px.alpha) {
        HPDF_Dict_Add(img, "SMask", raw_image(c, px.alpha, px.w, px.h, 1));
        /* soft masks are PDF 1.4 (PDF 32000 §11.6.5.3) */
        if (c->doc->pdf_version < HPDF_VER_14)
            c->doc->pdf_version = HPDF_VER_14;
    }
    pdf_pixels_free(&px);
    if (!pdf_check(c, path, "cannot load image"))
        return NULL;
    return img;
}

static uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Walks the JPEG markers up to the frame header (ITU T.81 §B.2) and checks it is a
 * kind every PDF reader decodes: 8-bit Huffman baseline, extended or progressive
 * with 1, 3 or 4 components. libharu reads only the frame header, and silently
 * returns nothing on a file that ends early. */
static const char *check_jpeg(const unsigned char *p, size_t len)
{
    size_t pos = 2;
    for (;;) {
        while (pos < len && p[pos] == 0xFF && pos + 1 < len && p[pos + 1] == 0xFF)
            pos++; /* fill bytes */
        if (pos + 4 > len || p[pos] != 0xFF)
            return "the file is truncated or corrupt";
        unsigned m = p[pos + 1];
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* markers without a length */
            pos += 2;
            continue;
        }
        size_t seg = be16(p + pos + 2);
        if (seg < 2 || pos + 2 + seg > len)
            return "the file is truncated or corrupt";
        if (m == 0xDA || m == 0xD9)
            return "no frame header before the image data";
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (seg < 8)
                return "bad frame header";
            if (m > 0xC2)
                return "lossless or arithmetic-coded JPEG is not supported; save it as a "
                       "baseline JPEG";
            const unsigned char *f = p + pos + 4;
            unsigned comps = f[5];
            if (f[0] != 8)
                return "only 8-bit JPEG is supported";
            if (be16(f + 1) == 0 || be16(f + 3) == 0)
                return "the image has no pixels";
            if ((uint64_t)be16(f + 1) * be16(f + 3) > PB_MAX_IMAGE_PIXELS)
                return "the image has more pixels than the limit";
            if (comps != 1 && comps != 3 && comps != 4)
                return "unsupported number of colour components";
            return NULL;
        }
        pos += 2 + seg;
    }
}

static HPDF_Image load(pdf_ctx *c, const char *path)
{
    char *data;
    size_t len;
    if (!pb_read_file(path, &data, &len)) {
        pb_diag_add(c->diags, PB_ERROR, path, 0, 0, "cannot read image: %s", strerror(errno));
        return NULL;
    }
    HPDF_Image img = NULL;
    if (len >= 8 && memcmp(data, png_sig, 8) == 0) {
        img = load_png(c, path, data, len);
    } else if (len >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0) {
        const char *err = check_jpeg((const unsigned char *)data, len);
        if (err) {
            pb_diag_add(c->diags, PB_ERROR, path, 0, 0, "cannot load image: bad JPEG file (%s)",
                        err);
        } else {
            img = HPDF_LoadJpegImageFromMem(c->doc, (const HPDF_BYTE *)data, (HPDF_UINT)len);
            if (!pdf_check(c, path, "cannot load image (corrupt or unsupported JPEG)"))
                img = NULL;
            else if (!img)
                pb_diag_add(c->diags, PB_ERROR, path, 0, 0, "cannot load image (corrupt JPEG)");
        }
    } else {
        pb_diag_add(c->diags, PB_ERROR, path, 0, 0, "cannot load image: not a PNG or JPEG file");
    }
    free(data);
    return img;
}

HPDF_Image pdf_image_get(pdf_ctx *c, const char *path)
{
    for (size_t i = 0; i < c->n_images; i++)
        if (strcmp(c->images[i].path, path) == 0)
            return c->images[i].image;
    pdf_image im = {path, load(c, path)};
    if (!im.image)
        c->failed = true; /* load reported why */
    PB_PUSH(c->images, c->n_images, c->cap_images, im);
    return im.image;
}

void pdf_images_free(pdf_ctx *c)
{
    /* the XObjects themselves belong to the libharu document */
    free(c->images);
    c->images = NULL;
    c->n_images = c->cap_images = 0;
}
