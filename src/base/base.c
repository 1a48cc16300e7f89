/* base.c - allocation, arenas, buffers, file reading and hashing.
 * Arenas hand out zeroed memory from large chunks; one free releases a build. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void pb_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("paiban: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void *pb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        pb_fatal("out of memory (%zu bytes)", n);
    return p;
}

void *pb_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        pb_fatal("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *pb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        pb_fatal("out of memory (%zu bytes)", n);
    return q;
}

char *pb_xstrdup(const char *s)
{
    return pb_xstrndup(s, strlen(s));
}

char *pb_xstrndup(const char *s, size_t n)
{
    char *p = pb_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void pb_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    /* The first allocation holds 4 elements but at least 64 bytes: small elements
     * start with room to spare, large ones (display items of ~80 bytes, of which a
     * line holds 1-3) do not waste most of their first block. */
    size_t c = *cap ? *cap : PB_MAX((size_t)4, 64 / (elem ? elem : 1));
    while (c < need) {
        if (c > (SIZE_MAX / 2) / elem)
            pb_fatal("array too large");
        c *= 2;
    }
    *p = pb_xrealloc(*p, c * elem);
    *cap = c;
}

/* ---- arena ---- */

typedef struct pb_chunk {
    struct pb_chunk *next;
    size_t size, used;
    /* data follows, aligned to 16 */
} pb_chunk;

struct pb_arena {
    pb_chunk *head;
    size_t total;
    size_t chunk; /* default chunk size */
};

#define PB_CHUNK_HDR ((sizeof(pb_chunk) + 15) & ~(size_t)15)
#define PB_CHUNK_DEFAULT (64 * 1024)

pb_arena *pb_arena_new(void)
{
    return pb_arena_new_sized(PB_CHUNK_DEFAULT);
}

pb_arena *pb_arena_new_sized(size_t chunk)
{
    pb_arena *a = pb_xcalloc(1, sizeof(pb_arena));
    a->chunk = chunk < 256 ? 256 : chunk;
    return a;
}

void pb_arena_free(pb_arena *a)
{
    if (!a)
        return;
    pb_chunk *c = a->head;
    while (c) {
        pb_chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

void *pb_arena_alloc(pb_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    pb_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        /* Big requests get a chunk of their own, placed behind the current one so
         * the current chunk's free space is not wasted. */
        size_t size = n > a->chunk / 4 ? n : a->chunk;
        pb_chunk *nc = pb_xmalloc(PB_CHUNK_HDR + size);
        nc->size = size;
        nc->used = 0;
        if (c && size != a->chunk) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    char *p = (char *)c + PB_CHUNK_HDR + c->used;
    c->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *pb_arena_strndup(pb_arena *a, const char *s, size_t n)
{
    char *p = pb_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *pb_arena_strdup(pb_arena *a, const char *s)
{
    return s ? pb_arena_strndup(a, s, strlen(s)) : NULL;
}

void *pb_arena_memdup(pb_arena *a, const void *p, size_t n)
{
    void *q = pb_arena_alloc(a, n);
    if (n)
        memcpy(q, p, n);
    return q;
}

char *pb_arena_printf(pb_arena *a, const char *fmt, ...)
{
    pb_buf b;
    pb_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    pb_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *r = pb_arena_strndup(a, b.data, b.len);
    pb_buf_free(&b);
    return r;
}

size_t pb_arena_used(const pb_arena *a)
{
    return a->total;
}

/* ---- buffer ---- */

void pb_buf_init(pb_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void pb_buf_free(pb_buf *b)
{
    free(b->data);
    pb_buf_init(b);
}

void pb_buf_reset(pb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

static void buf_reserve(pb_buf *b, size_t extra)
{
    pb_grow((void **)&b->data, &b->cap, b->len + extra + 1, 1);
}

void pb_buf_add(pb_buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void pb_buf_adds(pb_buf *b, const char *s)
{
    pb_buf_add(b, s, strlen(s));
}

void pb_buf_addc(pb_buf *b, char c)
{
    pb_buf_add(b, &c, 1);
}

void pb_buf_vprintf(pb_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void pb_buf_printf(pb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pb_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *pb_buf_detach(pb_buf *b)
{
    char *d = b->data ? b->data : pb_xstrdup("");
    pb_buf_init(b);
    return d;
}

bool pb_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    /* fopen opens a directory; reading it then fails with EISDIR, which ferror
     * would turn into a vague "I/O error" */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return false;
    }
    pb_buf b;
    pb_buf_init(&b);
    char tmp[65536];
    size_t n;
    errno = 0;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        pb_buf_add(&b, tmp, n);
        if (b.len > PB_MAX_INPUT_BYTES) {
            fclose(f);
            pb_buf_free(&b);
            errno = EFBIG;
            return false;
        }
    }
    int read_errno = errno;
    int err = ferror(f);
    fclose(f);
    if (err) {
        pb_buf_free(&b);
        errno = read_errno ? read_errno : EIO;
        return false;
    }
    *len = b.len;
    *data = pb_buf_detach(&b);
    return true;
}

uint64_t pb_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = seed;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

bool pb_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

size_t pb_edit_distance(const char *a, const char *b)
{
    enum { MAXLEN = 200 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXLEN || lb > MAXLEN)
        return la > lb ? la : lb;
    size_t prev[MAXLEN + 1], cur[MAXLEN + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = PB_MIN(sub, PB_MIN(del, ins));
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}
