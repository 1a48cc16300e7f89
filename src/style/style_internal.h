/* style_internal.h - shared by the files of src/style only. A page design is built
 * from entries (a dotted key, its text value and where it was written), gathered
 * in layers: the built-in design, the layout file, the front matter. Later entries
 * win; lengths in em/字 are taken against the final body size. */
#ifndef PB_STYLE_INTERNAL_H
#define PB_STYLE_INTERNAL_H

#include "style.h"

enum { PB_LAYER_BUILTIN = 0, PB_LAYER_LAYOUT = 1, PB_LAYER_DOCUMENT = 2 };

/* List items inside one value (list.bullets) are separated by this byte. */
#define PB_STYLE_LIST_SEP '\x1f'

typedef struct pb_style_entry {
    const char *key;   /* dotted: "margin.top", "h2.size", "fonts.kai.cjk" */
    const char *value; /* the scalar text */
    const char *file;  /* NULL for the built-in design */
    int line, col;     /* of the value, 1-based; 0 when unknown */
    int key_line, key_col;
    int layer;
    bool is_list; /* a YAML sequence (items joined with PB_STYLE_LIST_SEP) */
    bool is_map;  /* a mapping given where a value was expected (layout files only) */
} pb_style_entry;

typedef struct pb_style_entries {
    pb_style_entry *v;
    size_t n, cap;
} pb_style_entries;

/* The built-in design as entries (style.c). */
void pb_style_builtin(pb_style_entries *out);

/* Reads a layout file's YAML into entries of the given layer (layout.c). Strings are
 * allocated in the arena. Returns false on a YAML error or a malformed structure. */
bool pb_layout_parse(pb_arena *arena, const char *file, const char *text, size_t len,
                     pb_style_entries *out, pb_diags *diags);

/* Builds *s from entries in order (keys.c). Returns false when an entry is wrong or
 * the geometry is impossible. */
bool pb_style_apply(pb_style *s, pb_arena *arena, const pb_style_entry *e, size_t n,
                    pb_diags *diags);

/* Closest of the candidates to word by edit distance, or NULL when none is close. */
const char *pb_style_closest(const char *word, const char *const *cand, size_t n);

/* The shipped page designs, the YAML files of layout/ embedded at build time (cmake/EmbedLayouts.cmake),
 * ending with a NULL name: a layout name not found in any layout/ folder is looked
 * up here. */
typedef struct pb_builtin_layout {
    const char *name; /* "gov" for layout/gov.yaml */
    const char *text;
    size_t len;
} pb_builtin_layout;
extern const pb_builtin_layout pb_builtin_layouts[];

#endif
