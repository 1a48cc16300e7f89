/* pdf_cache.c - what one render keeps for the next (--watch): the subset of each
 * font by its glyph set, and every compressed stream by its bytes. An edit of one
 * paragraph usually keeps every font's glyphs and most pages, so the next render
 * subsets and compresses almost nothing. The output is the same bytes as without
 * the cache: entries are looked up by their whole input, never by a hash alone.
 * Like the paragraph cache, an entry a render did not use is dropped after it. */
#include "pdf_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct zentry {
    uint64_t hash;
    char *raw; /* the key: the stream's bytes before compression */
    size_t raw_len;
    pdf_zkind kind;
    unsigned char *z;
    size_t z_len;
    uint32_t used;
} zentry;

typedef struct subset_entry {
    const pb_font *font;
    uint32_t *gids; /* the key, with font */
    size_t n;
    uint64_t hash;
    uint32_t *codes; /* per gid */
    char *program;
    size_t program_len;
    uint32_t used;
} subset_entry;

struct pb_pdf_cache {
    uint32_t gen;
    zentry *z; /* open addressing; raw == NULL is empty */
    size_t z_cap, z_n;
    subset_entry *subsets;
    size_t n_subsets, cap_subsets;
    pb_pdf_cache_stats stats;
};

pb_pdf_cache *pb_pdf_cache_new(void)
{
    pb_pdf_cache *c = pb_xcalloc(1, sizeof *c);
    c->z_cap = 256;
    c->z = pb_xcalloc(c->z_cap, sizeof *c->z);
    c->gen = 1;
    return c;
}

static void subset_free(subset_entry *e)
{
    free(e->gids);
    free(e->codes);
    free(e->program);
}

void pb_pdf_cache_free(pb_pdf_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->z_cap; i++) {
        free(c->z[i].raw);
        free(c->z[i].z);
    }
    free(c->z);
    for (size_t i = 0; i < c->n_subsets; i++)
        subset_free(&c->subsets[i]);
    free(c->subsets);
    free(c);
}

void pb_pdf_cache_report(const pb_pdf_cache *c, pb_pdf_cache_stats *s)
{
    *s = c->stats;
}

void pdf_cache_begin(pb_pdf_cache *c)
{
    c->gen++;
    memset(&c->stats, 0, sizeof c->stats);
}

/* ---- compressed streams ---- */

static uint64_t zhash(const char *raw, size_t len, pdf_zkind kind)
{
    return pb_hash(raw, len, PB_HASH_SEED ^ (uint64_t)kind);
}

static zentry *zfind(pb_pdf_cache *c, uint64_t h, const char *raw, size_t len, pdf_zkind kind)
{
    for (size_t i = (size_t)h & (c->z_cap - 1);; i = (i + 1) & (c->z_cap - 1)) {
        zentry *e = &c->z[i];
        if (!e->raw)
            return e;
        if (e->hash == h && e->raw_len == len && e->kind == kind && !memcmp(e->raw, raw, len))
            return e;
    }
}

/* Moves the entries to a table of cap slots, leaving out (and freeing) those this
 * render did not use when drop_unused. */
static void zrehash(pb_pdf_cache *c, size_t cap, bool drop_unused)
{
    zentry *old = c->z;
    size_t ocap = c->z_cap;
    c->z = pb_xcalloc(cap, sizeof *c->z);
    c->z_cap = cap;
    c->z_n = 0;
    for (size_t i = 0; i < ocap; i++) {
        zentry *e = &old[i];
        if (!e->raw)
            continue;
        if (drop_unused && e->used != c->gen) {
            free(e->raw);
            free(e->z);
            continue;
        }
        *zfind(c, e->hash, e->raw, e->raw_len, e->kind) = *e;
        c->z_n++;
    }
    free(old);
}

bool pdf_cache_stream_lookup(pb_pdf_cache *c, const char *raw, size_t len, pdf_zkind kind,
                             const unsigned char **z, size_t *z_len)
{
    zentry *e = zfind(c, zhash(raw, len, kind), raw, len, kind);
    if (!e->raw)
        return false;
    e->used = c->gen;
    *z = e->z;
    *z_len = e->z_len;
    c->stats.streams_reused++;
    return true;
}

void pdf_cache_stream_put(pb_pdf_cache *c, char *raw, size_t len, pdf_zkind kind, unsigned char *z,
                          size_t z_len)
{
    c->stats.streams_compressed++;
    if ((c->z_n + 1) * 2 > c->z_cap)
        zrehash(c, c->z_cap * 2, false);
    uint64_t h = zhash(raw, len, kind);
    zentry *e = zfind(c, h, raw, len, kind);
    if (e->raw) { /* the same stream twice in one render */
        e->used = c->gen;
        free(raw);
        free(z);
        return;
    }
    *e = (zentry){h, raw, len, kind, z, z_len, c->gen};
    c->z_n++;
}

/* ---- font subsets ---- */

static uint64_t subset_hash(const pb_font *font, const uint32_t *gids, size_t n)
{
    uintptr_t f = (uintptr_t)font;
    return pb_hash(gids, n * sizeof *gids, pb_hash(&f, sizeof f, PB_HASH_SEED));
}

bool pdf_cache_subset_lookup(pb_pdf_cache *c, const pb_font *font, const uint32_t *gids, size_t n,
                             const uint32_t **codes, const char **program, size_t *program_len)
{
    uint64_t h = subset_hash(font, gids, n);
    for (size_t i = 0; i < c->n_subsets; i++) {
        subset_entry *e = &c->subsets[i];
        if (e->hash == h && e->font == font && e->n == n &&
            !memcmp(e->gids, gids, n * sizeof *gids)) {
            e->used = c->gen;
            *codes = e->codes;
            *program = e->program;
            *program_len = e->program_len;
            c->stats.fonts_reused++;
            return true;
        }
    }
    return false;
}

void pdf_cache_subset_put(pb_pdf_cache *c, const pb_font *font, const uint32_t *gids, size_t n,
                          const uint32_t *codes, const char *program, size_t program_len)
{
    c->stats.fonts_subset++;
    subset_entry e = {font,
                      pb_xmalloc(n * sizeof *gids),
                      n,
                      subset_hash(font, gids, n),
                      pb_xmalloc(n * sizeof *codes),
                      pb_xmalloc(program_len ? program_len : 1),
                      program_len,
                      c->gen};
    memcpy(e.gids, gids, n * sizeof *gids);
    memcpy(e.codes, codes, n * sizeof *codes);
    memcpy(e.program, program, program_len);
    PB_PUSH(c->subsets, c->n_subsets, c->cap_subsets, e);
}

void pdf_cache_end(pb_pdf_cache *c)
{
    zrehash(c, c->z_cap, true);
    /* shrink a table a long document left behind once it has gone */
    while (c->z_cap > 256 && c->z_n * 8 < c->z_cap)
        zrehash(c, c->z_cap / 2, false);
    size_t k = 0;
    for (size_t i = 0; i < c->n_subsets; i++) {
        if (c->subsets[i].used == c->gen)
            c->subsets[k++] = c->subsets[i];
        else
            subset_free(&c->subsets[i]);
    }
    c->n_subsets = k;
}
