/* base.h - the ground floor every stage stands on: checked allocation, arenas,
 * growable buffers, UTF-8, and diagnostics with source positions.
 * Nothing here knows about Markdown, fonts or PDF. */
#ifndef PB_BASE_H
#define PB_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "limits.h"

#if defined(__GNUC__)
#define PB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PB_NORETURN __attribute__((noreturn))
#else
#define PB_PRINTF(a, b)
#define PB_NORETURN
#endif

#define PB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PB_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation: failure aborts with a message (house style rule 3) ---- */
PB_NORETURN void pb_fatal(const char *fmt, ...) PB_PRINTF(1, 2);
void *pb_xmalloc(size_t n);
void *pb_xcalloc(size_t n, size_t size);
void *pb_xrealloc(void *p, size_t n);
char *pb_xstrdup(const char *s);
char *pb_xstrndup(const char *s, size_t n);

/* Grow *p (an array of elem-sized items with capacity *cap) to hold at least need. */
void pb_grow(void **p, size_t *cap, size_t need, size_t elem);
#define PB_PUSH(arr, n, cap, val)                                                      \
    do {                                                                               \
        pb_grow((void **)&(arr), &(cap), (size_t)(n) + 1, sizeof(*(arr)));             \
        (arr)[(n)++] = (val);                                                          \
    } while (0)

/* ---- arena: per-build data (doc tree, lines, pages) freed in one step ---- */
typedef struct pb_arena pb_arena;
pb_arena *pb_arena_new(void);
/* An arena whose chunks are `chunk` bytes (for many small arenas, e.g. cache entries). */
pb_arena *pb_arena_new_sized(size_t chunk);
void pb_arena_free(pb_arena *a);
void *pb_arena_alloc(pb_arena *a, size_t n);   /* zeroed, 16-byte aligned */
char *pb_arena_strdup(pb_arena *a, const char *s);
char *pb_arena_strndup(pb_arena *a, const char *s, size_t n);
char *pb_arena_printf(pb_arena *a, const char *fmt, ...) PB_PRINTF(2, 3);
void *pb_arena_memdup(pb_arena *a, const void *p, size_t n);
size_t pb_arena_used(const pb_arena *a);

/* ---- growable byte buffer, always NUL-terminated ---- */
typedef struct pb_buf {
    char *data;
    size_t len, cap;
} pb_buf;
void pb_buf_init(pb_buf *b);
void pb_buf_free(pb_buf *b);
void pb_buf_reset(pb_buf *b);
void pb_buf_add(pb_buf *b, const void *p, size_t n);
void pb_buf_adds(pb_buf *b, const char *s);
void pb_buf_addc(pb_buf *b, char c);
void pb_buf_printf(pb_buf *b, const char *fmt, ...) PB_PRINTF(2, 3);
void pb_buf_vprintf(pb_buf *b, const char *fmt, va_list ap) PB_PRINTF(2, 0);
char *pb_buf_detach(pb_buf *b); /* caller owns the returned string; buffer is emptied */

/* Reads a whole file. Returns false and sets errno on failure (EISDIR for a folder,
 * EFBIG beyond PB_MAX_INPUT_BYTES); caller frees *data. */
bool pb_read_file(const char *path, char **data, size_t *len);
/* Whether two paths name the same existing file (device and inode). */
bool pb_same_file(const char *a, const char *b);

/* ---- UTF-8 ----
 * Index spaces: "byte offset" is into the UTF-8 string; "code point index" counts
 * decoded characters. Functions say which they take. */
#define PB_UTF8_BAD 0xFFFFFFFFu
/* Decodes one code point at s[*pos] (byte offset), advancing *pos. Returns
 * PB_UTF8_BAD on a malformed sequence (overlong, surrogate, > U+10FFFF, truncated),
 * advancing by one byte. */
uint32_t pb_utf8_next(const char *s, size_t len, size_t *pos);
/* Returns the number of bytes (1-4) that encode cp into out. */
int pb_utf8_encode(uint32_t cp, char out[4]);
/* Checks a whole buffer. On failure returns false and the 1-based line and column
 * (in code points) of the first bad byte. */
bool pb_utf8_validate(const char *s, size_t len, int *line, int *col);
size_t pb_utf8_count(const char *s, size_t len);
/* Finds the first malformed sequence: its byte offset and its 1-based line and column
 * (in code points). Returns false when the whole buffer is valid. */
bool pb_utf8_find_bad(const char *s, size_t len, size_t *off, int *line, int *col);
/* Appends why the bytes at s[off] are not UTF-8, in a few words for a diagnostic. */
void pb_utf8_why(const char *s, size_t len, size_t off, pb_buf *out);

/* ---- diagnostics: collected in the build, printed as file:line:col: severity: msg ---- */
typedef enum { PB_NOTE, PB_WARNING, PB_ERROR } pb_severity;

typedef struct pb_diag {
    pb_severity severity;
    const char *file; /* borrowed; lives as long as the diag list */
    int line, col;    /* 1-based; 0 when unknown */
    char *msg;
} pb_diag;

typedef struct pb_diags {
    pb_diag *items;
    size_t n, cap;
    size_t n_errors, n_warnings;
    char **files; /* interned file names */
    size_t n_files, cap_files;
    size_t max_kept; /* diagnostics beyond this are counted, not stored */
    size_t n_dropped;
} pb_diags;

void pb_diags_init(pb_diags *d);
void pb_diags_free(pb_diags *d);
void pb_diags_clear(pb_diags *d);
void pb_diag_add(pb_diags *d, pb_severity sev, const char *file, int line, int col,
                 const char *fmt, ...) PB_PRINTF(6, 7);
void pb_diag_vadd(pb_diags *d, pb_severity sev, const char *file, int line, int col,
                  const char *fmt, va_list ap) PB_PRINTF(6, 0);
void pb_diags_print(const pb_diags *d, FILE *out);
/* A YAML syntax error as libyaml describes it: the problem at (line, col), and the
 * construct it was reading (context, e.g. "while parsing a flow sequence") where that
 * construct opened, so that an unclosed bracket or quote is named where it was typed.
 * Lines and columns 1-based; context may be NULL. */
void pb_diag_yaml(pb_diags *d, const char *file, const char *what, const char *problem,
                  int line, int col, const char *context, int ctx_line, int ctx_col);
/* Prints only the diagnostics of at least severity min (-q shows errors only). */
void pb_diags_print_min(const pb_diags *d, FILE *out, pb_severity min);
/* Returns the first diagnostic whose message contains needle, or NULL (tests). */
const pb_diag *pb_diags_find(const pb_diags *d, const char *needle);

/* Levenshtein distance between two byte strings (for "did you mean"); strings
 * longer than 200 bytes count as the longer one's length. */
size_t pb_edit_distance(const char *a, const char *b);

/* Hash (FNV-1a 64) used for cache keys and subset tags. */
uint64_t pb_hash(const void *p, size_t n, uint64_t seed);
#define PB_HASH_SEED 0xcbf29ce484222325ULL

#endif
