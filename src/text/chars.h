/* chars.h - character classes for the Chinese layout rules (src/text only). */
#ifndef PB_CHARS_H
#define PB_CHARS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    PB_PUNCT_NONE,
    PB_PUNCT_OPEN,     /* “ ‘ （ 《 「 『 【 〔 ... */
    PB_PUNCT_CLOSE,    /* ” ’ ） 》 」 』 】 〕 ... */
    PB_PUNCT_STOP,     /* 、 ， 。 ． ： ； ？ ！ */
    PB_PUNCT_MIDDLE,   /* · ・ */
    PB_PUNCT_DASH,     /* — ⸺ */
    PB_PUNCT_ELLIPSIS, /* … */
    PB_PUNCT_CONNECT,  /* ～ */
    PB_PUNCT_SPACE,    /* ideographic space U+3000 */
    PB_PUNCT_OTHER,    /* other CJK symbols and fullwidth forms */
} pb_punct_kind;

pb_punct_kind pb_punct_kind_of(uint32_t cp);
bool pb_is_shared_punct(uint32_t cp);
bool pb_no_line_start(uint32_t cp);
bool pb_no_line_end(uint32_t cp);

#endif
