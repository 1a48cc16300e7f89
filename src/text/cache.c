/* cache.c - laid-out paragraphs kept between builds, for --watch: a paragraph whose
 * text, styles, fonts and measure are unchanged is not shaped or broken again. The
 * key is everything pb_para_layout reads; its warnings are kept and replayed, moved
 * to the paragraph's new line when an edit above shifted it. An entry lives in an
 * arena of its own and is dropped after a build that did not use it. */
#include "text_internal.h"
#include "cache.h"

#include <stdlib.h>
#include <string.h>

typedef struct cached_diag {
    pb_severity severity;
    int dline, col; /* line relative to the paragraph's first span */
    char *msg;
} cached_diag;

typedef struct cache_entry {
    uint64_t hash;
    unsigned char *key;
    size_t key_len;
    pb_arena *arena;
    pb_para_lines *lines;
    cached_diag *diags;
    size_t n_diags;
    uint32_t used; /* generation of the last build that used it */
} cache_entry;

struct pb_para_cache {
    cache_entry *slots; /* open addressing; key == NULL is empty */
    size_t cap, n;
    uint32_t gen;
    size_t hits, misses;
};

pb_para_cache *pb_para_cache_new(void)
{
    pb_para_cache *c = pb_xcalloc(1, sizeof *c);
    c->cap = 256;
    c->slots = pb_xcalloc(c->cap, sizeof(cache_entry));
    c->gen = 1;
    return c;
}

static void entry_free(cache_entry *e)
{
    free(e->key);
    pb_arena_free(e->arena);
    for (size_t i = 0; i < e->n_diags; i++)
        free(e->diags[i].msg);
    free(e->diags);
    memset(e, 0, sizeof *e);
}

void pb_para_cache_free(pb_para_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].key)
            entry_free(&c->slots[i]);
    free(c->slots);
    free(c);
}

static void key_add(pb_buf *k, const void *p, size_t n)
{
    pb_buf_add(k, p, n);
}

/* Everything the layout of p depends on, as bytes. Font sets are identified by
 * their fonts' serials (the registry outlives builds; the sets do not). */
void pb_para_cache_key(const pb_para *p, pb_buf *k)
{
    key_add(k, &p->len, sizeof p->len);
    key_add(k, p->text, p->len);
    key_add(k, &p->n_spans, sizeof p->n_spans);
    key_add(k, &p->width, sizeof p->width);
    key_add(k, &p->indent, sizeof p->indent);
    int al = (int)p->align, llj = p->last_line_justify | p->full_punct << 1;
    key_add(k, &al, sizeof al);
    key_add(k, &llj, sizeof llj);
    int line0 = p->n_spans ? p->spans[0].line : 0;
    for (size_t i = 0; i < p->n_spans; i++) {
        const pb_span *s = &p->spans[i];
        const pb_textstyle *st = &s->style;
        uint32_t v[8] = {s->start,
                         s->end,
                         st->fonts && st->fonts->cjk.font ? pb_font_serial(st->fonts->cjk.font) : 0,
                         st->fonts && st->fonts->latin.font ? pb_font_serial(st->fonts->latin.font) : 0,
                         (uint32_t)(st->fonts ? (st->fonts->cjk.synth_bold | st->fonts->cjk.synth_italic << 1 |
                                                 st->fonts->latin.synth_bold << 2 |
                                                 st->fonts->latin.synth_italic << 3)
                                              : 0),
                         (uint32_t)(st->mono | st->underline << 1 | st->strike << 2 | st->url << 3 |
                                    st->tnum << 4 | st->tight << 5),
                         (uint32_t)st->link,
                         (uint32_t)st->footref};
        key_add(k, v, sizeof v);
        float f[7] = {st->size, st->rise, st->color.v[0], st->color.v[1], st->color.v[2],
                      st->color.v[3], (float)st->color.space};
        key_add(k, f, sizeof f);
        int pos[2] = {s->line - line0, s->col};
        key_add(k, pos, sizeof pos);
    }
}

static cache_entry *find(pb_para_cache *c, uint64_t h, const unsigned char *key, size_t len)
{
    for (size_t i = (size_t)h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        cache_entry *e = &c->slots[i];
        if (!e->key)
            return e;
        if (e->hash == h && e->key_len == len && !memcmp(e->key, key, len))
            return e;
    }
}

static void grow(pb_para_cache *c)
{
    size_t ncap = c->cap * 2;
    cache_entry *old = c->slots;
    size_t ocap = c->cap;
    c->slots = pb_xcalloc(ncap, sizeof(cache_entry));
    c->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].key)
            *find(c, old[i].hash, old[i].key, old[i].key_len) = old[i];
    free(old);
}

pb_para_lines *pb_para_cache_get(pb_para_cache *c, const pb_para *p, const pb_buf *key,
                                 pb_diags *diags)
{
    uint64_t h = pb_hash(key->data, key->len, PB_HASH_SEED);
    cache_entry *e = find(c, h, (const unsigned char *)key->data, key->len);
    if (!e->key) {
        c->misses++;
        return NULL;
    }
    c->hits++;
    e->used = c->gen;
    int line0 = p->n_spans ? p->spans[0].line : 0;
    for (size_t i = 0; i < e->n_diags; i++)
        pb_diag_add(diags, e->diags[i].severity, p->file, line0 + e->diags[i].dline, e->diags[i].col,
                    "%s", e->diags[i].msg);
    return e->lines;
}

void pb_para_cache_put(pb_para_cache *c, const pb_para *p, const pb_buf *key, pb_arena *arena,
                       pb_para_lines *lines, const pb_diags *diags, size_t first_diag)
{
    if ((c->n + 1) * 2 > c->cap)
        grow(c);
    uint64_t h = pb_hash(key->data, key->len, PB_HASH_SEED);
    cache_entry *e = find(c, h, (const unsigned char *)key->data, key->len);
    if (e->key) { /* already there (a paragraph repeated in one build) */
        pb_arena_free(arena);
        return;
    }
    e->hash = h;
    e->key = pb_xmalloc(key->len ? key->len : 1);
    memcpy(e->key, key->data, key->len);
    e->key_len = key->len;
    e->arena = arena;
    e->lines = lines;
    e->used = c->gen;
    int line0 = p->n_spans ? p->spans[0].line : 0;
    size_t nd = diags->n > first_diag ? diags->n - first_diag : 0;
    if (nd) {
        e->diags = pb_xcalloc(nd, sizeof(cached_diag));
        for (size_t i = 0; i < nd; i++) {
            const pb_diag *d = &diags->items[first_diag + i];
            e->diags[i] = (cached_diag){d->severity, d->line - line0, d->col, pb_xstrdup(d->msg)};
        }
        e->n_diags = nd;
    }
    c->n++;
}

void pb_para_cache_begin(pb_para_cache *c)
{
    c->gen++;
    c->hits = c->misses = 0;
}

void pb_para_cache_end(pb_para_cache *c)
{
    /* Drop what this build did not use; rebuild the table so probing stays valid. */
    cache_entry *old = c->slots;
    size_t ocap = c->cap;
    c->slots = pb_xcalloc(ocap, sizeof(cache_entry));
    c->n = 0;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key)
            continue;
        if (old[i].used != c->gen) {
            entry_free(&old[i]);
            continue;
        }
        *find(c, old[i].hash, old[i].key, old[i].key_len) = old[i];
        c->n++;
    }
    free(old);
}

void pb_para_cache_stats(const pb_para_cache *c, size_t *hits, size_t *misses, size_t *entries)
{
    *hits = c->hits;
    *misses = c->misses;
    *entries = c->n;
}
