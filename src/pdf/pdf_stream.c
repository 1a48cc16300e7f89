/* pdf_stream.c - the bytes of the streams we write (page contents, font programs,
 * ToUnicode maps), compressed by us rather than by libharu: in a worker thread while
 * the render goes on, in the way that suits each kind of stream, and through the cache of
 * an earlier render (--watch). Each stream is compressed on its own, so the bytes do
 * not depend on which thread did it or in what order. */
#include "pdf_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Streams shorter than this are compressed on the spot: handing them to the worker
 * costs more than deflating them. */
#define PDF_Z_INLINE_BYTES 2048

typedef struct pdf_zjob {
    HPDF_Dict dict;
    char *raw; /* owned until written */
    size_t raw_len;
    pdf_zkind kind;
    unsigned char *z; /* the compressed bytes, once done */
    size_t z_len;
    bool cache; /* keep the result in the cache, keyed by raw */
} pdf_zjob;

struct pdf_zqueue {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pdf_zjob *jobs;
    size_t n, cap;
    size_t next;     /* the first job nobody has taken */
    size_t finished; /* jobs done */
    bool closing;
    bool has_thread;
    pthread_t thread;
};

static HPDF_STATUS write_flate_filter(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

void pdf_deflate(const char *raw, size_t len, pdf_zkind kind, unsigned char **out, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    int level = kind == PDF_Z_FONT ? 1 : Z_DEFAULT_COMPRESSION;
    int strategy = Z_DEFAULT_STRATEGY;
    if (deflateInit2(&zs, level, Z_DEFLATED, 15, 8, strategy) != Z_OK)
        pb_fatal("out of memory (zlib)");
    uLong bound = deflateBound(&zs, (uLong)len);
    unsigned char *z = pb_xmalloc(bound);
    zs.next_in = (Bytef *)(uintptr_t)raw;
    zs.avail_in = (uInt)len;
    zs.next_out = z;
    zs.avail_out = (uInt)bound;
    /* deflateBound is enough for one Z_FINISH call (zlib.h) */
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        pb_fatal("zlib could not compress a stream of %zu bytes", len);
    *out = z;
    *out_len = zs.total_out;
    deflateEnd(&zs);
}

/* Takes the next job, compresses it with the lock released, stores the result.
 * Called with q->mu held; returns with it held. */
static void run_next(struct pdf_zqueue *q)
{
    size_t i = q->next++;
    const char *raw = q->jobs[i].raw;
    size_t len = q->jobs[i].raw_len;
    pdf_zkind kind = q->jobs[i].kind;
    pthread_mutex_unlock(&q->mu);
    unsigned char *z;
    size_t z_len;
    pdf_deflate(raw, len, kind, &z, &z_len);
    pthread_mutex_lock(&q->mu);
    q->jobs[i].z = z;
    q->jobs[i].z_len = z_len;
    q->finished++;
}

static void *worker(void *arg)
{
    struct pdf_zqueue *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->next == q->n && !q->closing)
            pthread_cond_wait(&q->work, &q->mu);
        if (q->next == q->n)
            break;
        run_next(q);
        pthread_cond_signal(&q->done);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static struct pdf_zqueue *queue(pdf_ctx *c)
{
    if (c->zq)
        return c->zq;
    struct pdf_zqueue *q = pb_xcalloc(1, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->done, NULL);
    /* one worker beside the render thread: two cores are the machine we aim at, and
     * with more the render thread, not compression, is what takes the time */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus > 1 && pthread_create(&q->thread, NULL, worker, q) == 0)
        q->has_thread = true;
    c->zq = q;
    return q;
}

static void put_bytes(HPDF_Dict d, const void *data, size_t len, bool deflated)
{
    if (len)
        HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
    d->filter = HPDF_STREAM_FILTER_NONE;
    /* libharu writes /Filter only for filters it applies itself; ours is added by
     * the hook it calls while writing the dictionary */
    if (deflated)
        d->write_fn = write_flate_filter;
}

void pdf_stream_set(pdf_ctx *c, HPDF_Dict d, char *raw, size_t len, pdf_zkind kind)
{
    if (!c->opt.compress || len == 0) {
        /* an empty stream stays unfiltered: no bytes are not a zlib stream */
        put_bytes(d, raw, len, false);
        free(raw);
        return;
    }
    const unsigned char *z;
    size_t z_len;
    if (c->opt.cache && pdf_cache_stream_lookup(c->opt.cache, raw, len, kind, &z, &z_len)) {
        put_bytes(d, z, z_len, true);
        free(raw);
        return;
    }
    struct pdf_zqueue *q = queue(c);
    if (!q->has_thread || len < PDF_Z_INLINE_BYTES) {
        unsigned char *zb;
        pdf_deflate(raw, len, kind, &zb, &z_len);
        pdf_stream_set_deflated(c, d, raw, len, kind, zb, z_len);
        return;
    }
    pdf_zjob job = {d, raw, len, kind, NULL, 0, c->opt.cache != NULL};
    pthread_mutex_lock(&q->mu);
    PB_PUSH(q->jobs, q->n, q->cap, job);
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
}

void pdf_stream_set_deflated(pdf_ctx *c, HPDF_Dict d, char *raw, size_t len, pdf_zkind kind,
                             unsigned char *z, size_t z_len)
{
    put_bytes(d, z, z_len, true);
    if (c->opt.cache) {
        pdf_cache_stream_put(c->opt.cache, raw, len, kind, z, z_len);
    } else {
        free(raw);
        free(z);
    }
}

bool pdf_streams_finish(pdf_ctx *c)
{
    struct pdf_zqueue *q = c->zq;
    if (!q)
        return true;
    pthread_mutex_lock(&q->mu);
    q->closing = true;
    pthread_cond_broadcast(&q->work);
    /* help with what is left instead of waiting for it */
    while (q->next < q->n) {
        run_next(q);
    }
    while (q->finished < q->n)
        pthread_cond_wait(&q->done, &q->mu);
    pthread_mutex_unlock(&q->mu);
    if (q->has_thread) {
        pthread_join(q->thread, NULL);
        q->has_thread = false;
    }
    for (size_t i = 0; i < q->n; i++) {
        pdf_zjob *j = &q->jobs[i];
        put_bytes(j->dict, j->z, j->z_len, true);
        if (j->cache) {
            pdf_cache_stream_put(c->opt.cache, j->raw, j->raw_len, j->kind, j->z, j->z_len);
            j->raw = NULL; /* the cache owns both now */
            j->z = NULL;
        }
        free(j->raw);
        free(j->z);
        j->raw = NULL;
        j->z = NULL;
    }
    q->n = q->next = q->finished = 0;
    return pdf_check(c, NULL, "cannot write a stream");
}

void pdf_streams_free(pdf_ctx *c)
{
    struct pdf_zqueue *q = c->zq;
    if (!q)
        return;
    if (q->has_thread) {
        pthread_mutex_lock(&q->mu);
        q->closing = true;
        pthread_cond_broadcast(&q->work);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->thread, NULL);
    }
    for (size_t i = 0; i < q->n; i++) {
        free(q->jobs[i].raw);
        free(q->jobs[i].z);
    }
    free(q->jobs);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->done);
    free(q);
    c->zq = NULL;
}
