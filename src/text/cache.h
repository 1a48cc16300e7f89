/* cache.h - the paragraph cache of watch mode (src/text only). */
#ifndef PB_CACHE_H
#define PB_CACHE_H

#include "text.h"

typedef struct pb_para_cache pb_para_cache;
pb_para_cache *pb_para_cache_new(void);
void pb_para_cache_free(pb_para_cache *c);
void pb_para_cache_key(const pb_para *p, pb_buf *key);
pb_para_lines *pb_para_cache_get(pb_para_cache *c, const pb_para *p, const pb_buf *key,
                                 pb_diags *diags);
void pb_para_cache_put(pb_para_cache *c, const pb_para *p, const pb_buf *key, pb_arena *arena,
                       pb_para_lines *lines, const pb_diags *diags, size_t first_diag);
void pb_para_cache_begin(pb_para_cache *c);
void pb_para_cache_end(pb_para_cache *c);
void pb_para_cache_stats(const pb_para_cache *c, size_t *hits, size_t *misses, size_t *entries);

#endif
