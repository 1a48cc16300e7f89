/* breaks.h - ICU line-break opportunities and hyphenation (src/text only). */
#ifndef PB_BREAKS_H
#define PB_BREAKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { PB_BRK_NONE = 0, PB_BRK_SOFT = 1, PB_BRK_HARD = 2 };

typedef struct pb_breaker pb_breaker;
pb_breaker *pb_breaker_new(void);
void pb_breaker_free(pb_breaker *b);
/* at[i] (i = 0..len) says whether a line may (SOFT) or must (HARD) break before
 * byte offset i of text. */
void pb_breaker_find(pb_breaker *b, const char *text, uint32_t len, uint8_t *at);
bool pb_breaker_hyphenate(pb_breaker *b, const char *word, size_t n, uint8_t *points);

#endif
