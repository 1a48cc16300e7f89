/* pdf_png.c - decodes PNG files (every colour type, bit depth and interlacing) to
 * 8-bit gray or RGB samples plus an alpha plane, with zlib. libharu's own loader
 * aborts the process on a corrupt file and writes 16-bit and interlaced images
 * wrongly, so PNGs never reach it: it gets raw samples. (PNG spec 2nd ed., W3C.) */
#include "pdf_internal.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Colour types (PNG §11.2.2, Table 11.1) */
enum { PNG_GRAY = 0, PNG_RGB = 2, PNG_PALETTE = 3, PNG_GRAY_ALPHA = 4, PNG_RGBA = 6 };

/* Adam7 passes: first column, first row, column step, row step (PNG §8.2). */
static const unsigned adam7[7][4] = {
    {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
    {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
};

typedef struct png_info {
    uint32_t w, h;
    unsigned depth, type, interlace;
    unsigned channels; /* samples per pixel in the file */
    unsigned char palette[256][3];
    unsigned n_palette;
    unsigned char palette_alpha[256];
    unsigned n_palette_alpha;
    bool has_key; /* tRNS colour key for gray or RGB */
    uint16_t key[3];
} png_info;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool valid_header(const png_info *pi)
{
    unsigned d = pi->depth;
    switch (pi->type) {
    case PNG_GRAY:
        return d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
    case PNG_PALETTE:
        return d == 1 || d == 2 || d == 4 || d == 8;
    case PNG_RGB:
    case PNG_GRAY_ALPHA:
    case PNG_RGBA:
        return d == 8 || d == 16;
    default:
        return false;
    }
}

static size_t row_bytes(const png_info *pi, uint32_t width)
{
    return ((size_t)width * pi->channels * pi->depth + 7) / 8;
}

static uint32_t pass_size(uint32_t n, unsigned first, unsigned step)
{
    return n > first ? (n - first + step - 1) / step : 0;
}

/* Size of the decompressed image data: every row of every pass with its filter byte. */
static size_t raw_size(const png_info *pi)
{
    if (!pi->interlace)
        return (size_t)pi->h * (1 + row_bytes(pi, pi->w));
    size_t total = 0;
    for (int p = 0; p < 7; p++) {
        uint32_t pw = pass_size(pi->w, adam7[p][0], adam7[p][2]);
        uint32_t ph = pass_size(pi->h, adam7[p][1], adam7[p][3]);
        if (pw && ph)
            total += (size_t)ph * (1 + row_bytes(pi, pw));
    }
    return total;
}

static unsigned paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc)
        return (unsigned)a;
    return (unsigned)(pb <= pc ? b : c);
}

/* Reverses the filter of one row in place (PNG §9.2); prev is the previous row of
 * the same pass, already unfiltered, or NULL for the first. */
static bool unfilter(unsigned char *row, const unsigned char *prev, size_t n, unsigned filter,
                     size_t bpp)
{
    for (size_t i = 0; i < n; i++) {
        unsigned a = i >= bpp ? row[i - bpp] : 0;
        unsigned b = prev ? prev[i] : 0;
        unsigned c = prev && i >= bpp ? prev[i - bpp] : 0;
        unsigned v;
        switch (filter) {
        case 0:
            v = 0;
            break;
        case 1:
            v = a;
            break;
        case 2:
            v = b;
            break;
        case 3:
            v = (a + b) / 2;
            break;
        case 4:
            v = paeth((int)a, (int)b, (int)c);
            break;
        default:
            return false;
        }
        row[i] = (unsigned char)(row[i] + v);
    }
    return true;
}

static unsigned sample(const png_info *pi, const unsigned char *row, uint32_t x, unsigned ch)
{
    size_t i = (size_t)x * pi->channels + ch;
    switch (pi->depth) {
    case 16:
        return (unsigned)row[2 * i] << 8 | row[2 * i + 1];
    case 8:
        return row[i];
    default: {
        /* 1, 2 or 4 bits, packed from the high bit (PNG §7.2); one channel only */
        size_t bit = i * pi->depth;
        return (row[bit / 8] >> (8 - pi->depth - bit % 8)) & ((1u << pi->depth) - 1);
    }
    }
}

static unsigned char to8(const png_info *pi, unsigned v)
{
    if (pi->depth == 16)
        return (unsigned char)(v >> 8);
    if (pi->depth < 8 && pi->type != PNG_PALETTE)
        return (unsigned char)(v * 255 / ((1u << pi->depth) - 1));
    return (unsigned char)v;
}

/* Converts pixel x of a decoded row to the output planes at index o. */
static void put_pixel(const png_info *pi, const unsigned char *row, uint32_t x, pdf_pixels *out,
                      size_t o)
{
    unsigned char *col = out->color + o * out->channels;
    unsigned alpha = 255;
    switch (pi->type) {
    case PNG_GRAY: {
        unsigned g = sample(pi, row, x, 0);
        col[0] = to8(pi, g);
        if (pi->has_key && g == pi->key[0])
            alpha = 0;
        break;
    }
    case PNG_RGB: {
        unsigned r = sample(pi, row, x, 0), g = sample(pi, row, x, 1), b = sample(pi, row, x, 2);
        col[0] = to8(pi, r);
        col[1] = to8(pi, g);
        col[2] = to8(pi, b);
        if (pi->has_key && r == pi->key[0] && g == pi->key[1] && b == pi->key[2])
            alpha = 0;
        break;
    }
    case PNG_PALETTE: {
        unsigned idx = sample(pi, row, x, 0);
        /* an index past the palette is an error libpng tolerates as black */
        if (idx < pi->n_palette)
            memcpy(col, pi->palette[idx], 3);
        else
            memset(col, 0, 3);
        if (idx < pi->n_palette_alpha)
            alpha = pi->palette_alpha[idx];
        break;
    }
    case PNG_GRAY_ALPHA:
        col[0] = to8(pi, sample(pi, row, x, 0));
        alpha = to8(pi, sample(pi, row, x, 1));
        break;
    case PNG_RGBA:
        for (unsigned k = 0; k < 3; k++)
            col[k] = to8(pi, sample(pi, row, x, k));
        alpha = to8(pi, sample(pi, row, x, 3));
        break;
    }
    if (out->alpha)
        out->alpha[o] = (unsigned char)alpha;
}

/* Reads the chunks (PNG §5.3, §11): header, palette, transparency, image data. */
static const char *read_chunks(const unsigned char *p, size_t len, png_info *pi, pb_buf *idat)
{
    size_t pos = 8;
    bool have_header = false;
    for (;;) {
        if (len - pos < 12)
            return "the file is truncated";
        uint32_t n = be32(p + pos);
        const unsigned char *type = p + pos + 4, *data = p + pos + 8;
        if (n > len - pos - 12)
            return "the file is truncated";
        uLong crc = crc32(crc32(0, NULL, 0), type, 4);
        crc = crc32(crc, data, n);
        if (crc != be32(data + n))
            return "a chunk is corrupt (CRC mismatch)";
        pos += 12 + (size_t)n;
        if (!have_header && memcmp(type, "IHDR", 4) != 0)
            return "the file does not start with a header chunk";
        if (memcmp(type, "IHDR", 4) == 0) {
            if (n != 13 || have_header)
                return "bad header chunk";
            pi->w = be32(data);
            pi->h = be32(data + 4);
            pi->depth = data[8];
            pi->type = data[9];
            pi->interlace = data[12];
            if (data[10] != 0 || data[11] != 0 || pi->interlace > 1 || !valid_header(pi))
                return "unknown bit depth, colour type or method";
            static const unsigned channels[] = {1, 0, 3, 1, 2, 0, 4};
            pi->channels = channels[pi->type];
            have_header = true;
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (n == 0 || n % 3 || n / 3 > 256)
                return "bad palette";
            pi->n_palette = n / 3;
            memcpy(pi->palette, data, n);
        } else if (memcmp(type, "tRNS", 4) == 0) {
            if (pi->type == PNG_PALETTE) {
                pi->n_palette_alpha = PB_MIN(n, 256u);
                memcpy(pi->palette_alpha, data, pi->n_palette_alpha);
            } else if ((pi->type == PNG_GRAY && n == 2) || (pi->type == PNG_RGB && n == 6)) {
                pi->has_key = true;
                for (uint32_t k = 0; k < n / 2; k++)
                    pi->key[k] = (uint16_t)(data[2 * k] << 8 | data[2 * k + 1]);
            }
        } else if (memcmp(type, "IDAT", 4) == 0) {
            pb_buf_add(idat, data, n);
        } else if (memcmp(type, "IEND", 4) == 0) {
            break;
        } else if (!(type[0] & 0x20)) {
            /* an unknown critical chunk: we cannot know what it changes */
            return "the file has an unknown critical chunk";
        }
    }
    if (pi->type == PNG_PALETTE && pi->n_palette == 0)
        return "a palette image has no palette";
    if (idat->len == 0)
        return "the file has no image data";
    return NULL;
}

static const char *inflate_all(const pb_buf *idat, unsigned char *raw, size_t size)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        pb_fatal("out of memory (zlib)");
    z.next_in = (Bytef *)idat->data;
    z.avail_in = (uInt)idat->len;
    size_t done = 0;
    int rc = Z_OK;
    /* avail_out is 32-bit: feed the output in slices */
    while (done < size && rc == Z_OK) {
        z.next_out = raw + done;
        z.avail_out = (uInt)PB_MIN(size - done, (size_t)1 << 30);
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        done += before - z.avail_out;
    }
    inflateEnd(&z);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        return "the image data is corrupt";
    if (done < size)
        return "the image data is truncated";
    return NULL; /* extra data after the image is ignored, as libpng does */
}

void pdf_pixels_free(pdf_pixels *px)
{
    free(px->color);
    free(px->alpha);
    memset(px, 0, sizeof *px);
}

bool pdf_png_decode(const char *path, const unsigned char *data, size_t len, pdf_pixels *out,
                    pb_diags *diags)
{
    png_info pi;
    memset(&pi, 0, sizeof pi);
    memset(out, 0, sizeof *out);
    pb_buf idat;
    pb_buf_init(&idat);
    unsigned char *raw = NULL;
    const char *err = read_chunks(data, len, &pi, &idat);
    if (err)
        goto fail;
    if (pi.w == 0 || pi.h == 0) {
        err = "the image has no pixels";
        goto fail;
    }
    if ((uint64_t)pi.w * pi.h > PB_MAX_IMAGE_PIXELS) {
        pb_diag_add(diags, PB_ERROR, path, 0, 0,
                    "PNG image has %ux%u pixels, more than the limit of %u", pi.w, pi.h,
                    (unsigned)PB_MAX_IMAGE_PIXELS);
        goto fail_reported;
    }
    size_t size = raw_size(&pi);
    raw = pb_xmalloc(size);
    if ((err = inflate_all(&idat, raw, size)))
        goto fail;

    out->w = pi.w;
    out->h = pi.h;
    out->channels = pi.type == PNG_GRAY || pi.type == PNG_GRAY_ALPHA ? 1 : 3;
    out->color = pb_xmalloc((size_t)pi.w * pi.h * out->channels);
    bool alpha =
        pi.type == PNG_GRAY_ALPHA || pi.type == PNG_RGBA || pi.has_key || pi.n_palette_alpha > 0;
    if (alpha)
        out->alpha = pb_xmalloc((size_t)pi.w * pi.h);

    size_t bpp = PB_MAX(1u, pi.channels * pi.depth / 8); /* filter byte distance */
    unsigned char *row = raw;
    for (int p = 0; p < (pi.interlace ? 7 : 1); p++) {
        unsigned x0 = pi.interlace ? adam7[p][0] : 0, y0 = pi.interlace ? adam7[p][1] : 0;
        unsigned dx = pi.interlace ? adam7[p][2] : 1, dy = pi.interlace ? adam7[p][3] : 1;
        uint32_t pw = pass_size(pi.w, x0, dx), ph = pass_size(pi.h, y0, dy);
        if (!pw || !ph)
            continue;
        size_t rb = row_bytes(&pi, pw);
        const unsigned char *prev = NULL;
        for (uint32_t y = 0; y < ph; y++) {
            if (!unfilter(row + 1, prev, rb, row[0], bpp)) {
                err = "the image data is corrupt (unknown filter)";
                goto fail;
            }
            size_t oy = (size_t)(y0 + y * dy) * pi.w;
            for (uint32_t x = 0; x < pw; x++)
                put_pixel(&pi, row + 1, x, out, oy + x0 + (size_t)x * dx);
            prev = row + 1;
            row += 1 + rb;
        }
    }
    /* an alpha plane that is opaque everywhere would only cost bytes */
    if (out->alpha) {
        size_t n = (size_t)pi.w * pi.h, i = 0;
        while (i < n && out->alpha[i] == 255)
            i++;
        if (i == n) {
            free(out->alpha);
            out->alpha = NULL;
        }
    }
    free(raw);
    pb_buf_free(&idat);
    return true;

fail:
    pb_diag_add(diags, PB_ERROR, path, 0, 0, "cannot load image: not a valid PNG file (%s)", err);
fail_reported:
    free(raw);
    pb_buf_free(&idat);
    pdf_pixels_free(out);
    return false;
}
