/* layout.c - page-design files: YAML read with libyaml into dotted-key entries,
 * the search for a layout named by a document, and the assembly of a document's
 * design from the built-in design, the layout file and the front matter. */
#include "style_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* ---- YAML to entries ---- */

typedef struct yl {
    yaml_document_t doc;
    const char *file;
    pb_arena *arena;
    pb_diags *diags;
    pb_style_entries *out;
    size_t first; /* entries of this file start here (duplicate check) */
    bool ok;
    int depth;
    size_t n_keys; /* nodes flattened, against PB_MAX_YAML_KEYS (aliases expand) */
    size_t bytes_left; /* text the values may still produce: aliases repeat text */
} yl;

/* Nesting deeper than this is no design key (the deepest is fonts.ROLE.cjk). */
#define LAYOUT_MAX_DEPTH PB_MAX_YAML_DEPTH

static void yl_err(yl *y, const yaml_mark_t *m, const char *fmt, ...) PB_PRINTF(3, 4);
static void yl_err(yl *y, const yaml_mark_t *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pb_diag_vadd(y->diags, PB_ERROR, y->file, (int)m->line + 1, (int)m->column + 1, fmt, ap);
    va_end(ap);
    y->ok = false;
}

static void flatten(yl *y, const char *prefix, yaml_node_t *n, const yaml_mark_t *key_mark)
{
    /* a few lines of aliases to aliases name 8^8 keys: count them as expanded */
    if (prefix && ++y->n_keys > PB_MAX_YAML_KEYS) {
        if (y->n_keys == PB_MAX_YAML_KEYS + 1)
            yl_err(y, key_mark ? key_mark : &n->start_mark,
                   "the layout sets more than %d keys (counting every use of an alias); a "
                   "page design has about 150",
                   PB_MAX_YAML_KEYS);
        return;
    }
    if (++y->depth > LAYOUT_MAX_DEPTH) {
        yl_err(y, &n->start_mark, "'%s' is nested too deeply for a page design", prefix);
        goto done;
    }
    pb_style_entry e = {0};
    e.key = prefix;
    e.file = y->file;
    e.line = (int)n->start_mark.line + 1;
    e.col = (int)n->start_mark.column + 1;
    e.key_line = key_mark ? (int)key_mark->line + 1 : e.line;
    e.key_col = key_mark ? (int)key_mark->column + 1 : e.col;
    e.layer = PB_LAYER_LAYOUT;
    switch (n->type) {
    case YAML_MAPPING_NODE:
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
            yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
            if (!k || !v)
                continue;
            if (k->type != YAML_SCALAR_NODE) {
                yl_err(y, &k->start_mark, "a key must be a plain name");
                continue;
            }
            const char *ks = pb_arena_strndup(y->arena, (const char *)k->data.scalar.value,
                                              k->data.scalar.length);
            const char *full = prefix ? pb_arena_printf(y->arena, "%s.%s", prefix, ks) : ks;
            flatten(y, full, v, &k->start_mark);
        }
        break;
    case YAML_SEQUENCE_NODE: {
        if (!prefix) {
            yl_err(y, &n->start_mark, "a page design is a mapping of keys to values (key: value)");
            break;
        }
        pb_buf b;
        pb_buf_init(&b);
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            yaml_node_t *c = yaml_document_get_node(&y->doc, *it);
            if (!c)
                continue;
            if (c->type != YAML_SCALAR_NODE) {
                yl_err(y, &c->start_mark, "%s: list items must be plain values", prefix);
                break;
            }
            if (c->data.scalar.length + 1 > y->bytes_left) {
                yl_err(y, &c->start_mark, "the layout's aliases repeat more text than it holds");
                y->n_keys = PB_MAX_YAML_KEYS + 1; /* and stop */
                break;
            }
            y->bytes_left -= c->data.scalar.length + 1;
            if (it != n->data.sequence.items.start)
                pb_buf_addc(&b, PB_STYLE_LIST_SEP);
            pb_buf_add(&b, c->data.scalar.value, c->data.scalar.length);
        }
        e.value = pb_arena_strndup(y->arena, b.data ? b.data : "", b.len);
        e.is_list = true;
        pb_buf_free(&b);
        PB_PUSH(y->out->v, y->out->n, y->out->cap, e);
        break;
    }
    case YAML_SCALAR_NODE: {
        if (!prefix) {
            yl_err(y, &n->start_mark, "a page design is a mapping of keys to values (key: value)");
            break;
        }
        if (n->data.scalar.length > y->bytes_left) {
            yl_err(y, &n->start_mark, "the layout's aliases repeat more text than it holds");
            y->n_keys = PB_MAX_YAML_KEYS + 1; /* and stop */
            break;
        }
        y->bytes_left -= n->data.scalar.length;
        e.value = pb_arena_strndup(y->arena, (const char *)n->data.scalar.value,
                                   n->data.scalar.length);
        /* YAML's null (`key:` or `key: ~`) is the empty value */
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (!strcmp(e.value, "~") || !strcmp(e.value, "null")))
            e.value = "";
        for (size_t i = y->first; i < y->out->n; i++)
            if (!strcmp(y->out->v[i].key, prefix))
                pb_diag_add(y->diags, PB_WARNING, y->file, e.key_line, e.key_col,
                            "'%s' is given twice (also at line %d); the later one counts", prefix,
                            y->out->v[i].key_line);
        PB_PUSH(y->out->v, y->out->n, y->out->cap, e);
        break;
    }
    default:
        break;
    }
done:
    y->depth--;
}

bool pb_layout_parse(pb_arena *arena, const char *file, const char *text, size_t len,
                     pb_style_entries *out, pb_diags *diags)
{
    yl y = {.file = file, .arena = arena, .diags = diags, .out = out, .first = out->n, .ok = true,
            .bytes_left = 2 * len + 4096};
    int line, col;
    if (!pb_utf8_validate(text, len, &line, &col)) {
        pb_diag_add(diags, PB_ERROR, file, line, col, "the layout file is not valid UTF-8");
        return false;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        pb_fatal("cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, &y.doc)) {
        pb_diag_yaml(diags, file, "not valid YAML", parser.problem,
                     (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
                     parser.context, (int)parser.context_mark.line + 1,
                     (int)parser.context_mark.column + 1);
        yaml_parser_delete(&parser);
        return false;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&y.doc);
    if (root) {
        if (root->type != YAML_MAPPING_NODE)
            yl_err(&y, &root->start_mark,
                   "a page design is a mapping of keys to values (key: value)");
        else
            flatten(&y, NULL, root, NULL);
    }
    yaml_document_delete(&y.doc);
    return y.ok;
}

/* ---- finding a layout ---- */

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *dir_of(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return pb_xstrdup(".");
    if (slash == path)
        return pb_xstrdup("/");
    return pb_xstrndup(path, (size_t)(slash - path));
}

/* A value with a slash or a .yaml/.yml ending is a path; anything else a name. */
static bool is_path(const char *v)
{
    size_t n = strlen(v);
    return strchr(v, '/') || (n > 5 && !strcmp(v + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(v + n - 4, ".yml"));
}

/* The folders a layout name is looked up in, in order: layout/ next to the
 * document, in the document's parent folder, in the current directory. */
static size_t layout_dirs(const char *doc_file, char *dirs[3])
{
    size_t n = 0;
    char *d = dir_of(doc_file);
    pb_buf b;
    pb_buf_init(&b);
    if (strcmp(d, ".")) {
        pb_buf_printf(&b, "%s/layout", d);
        dirs[n++] = pb_buf_detach(&b);
        pb_buf_printf(&b, "%s/../layout", d);
        dirs[n++] = pb_buf_detach(&b);
        dirs[n++] = pb_xstrdup("layout");
    } else { /* a document in the current directory: its layout/ is the current one */
        dirs[n++] = pb_xstrdup("layout");
        dirs[n++] = pb_xstrdup("../layout");
    }
    free(d);
    return n;
}

/* The layout names found in the folders, for the error message. */
static void list_names(char *const *dirs, size_t n, pb_buf *out, char ***names,
                       size_t *n_names, size_t *cap)
{
    for (size_t i = 0; i < n; i++) {
        DIR *dp = opendir(dirs[i]);
        if (!dp)
            continue;
        struct dirent *de;
        while ((de = readdir(dp))) {
            size_t l = strlen(de->d_name);
            if (l <= 5 || strcmp(de->d_name + l - 5, ".yaml"))
                continue;
            char *name = pb_xstrndup(de->d_name, l - 5);
            bool dup = false;
            for (size_t k = 0; k < *n_names && !dup; k++)
                dup = !strcmp((*names)[k], name);
            if (dup) {
                free(name);
                continue;
            }
            PB_PUSH(*names, *n_names, *cap, name);
        }
        closedir(dp);
    }
    /* sorted, so the message does not depend on the directory order */
    for (size_t i = 1; i < *n_names; i++)
        for (size_t k = i; k > 0 && strcmp((*names)[k - 1], (*names)[k]) > 0; k--) {
            char *t = (*names)[k];
            (*names)[k] = (*names)[k - 1];
            (*names)[k - 1] = t;
        }
    for (size_t i = 0; i < *n_names; i++)
        pb_buf_printf(out, "%s%s", i ? ", " : "", (*names)[i]);
}

static const pb_builtin_layout *builtin_layout(const char *name)
{
    for (const pb_builtin_layout *b = pb_builtin_layouts; b->name; b++)
        if (!strcmp(b->name, name))
            return b;
    return NULL;
}

/* Finds the layout file `value` names. from_doc: it came from the document's front
 * matter (paths are relative to the document). A name is looked up in the layout/
 * folders first (a user's own design of that name wins), then among the designs
 * built into the binary: then *builtin is set and NULL returned. Returns a malloc'd
 * path, or NULL after reporting at (file, line, col). */
static char *find_layout(const char *value, bool from_doc, const char *doc_file,
                         const char *file, int line, int col,
                         const pb_builtin_layout **builtin, pb_diags *diags)
{
    *builtin = NULL;
    if (!*value) {
        pb_diag_add(diags, PB_ERROR, file, line, col, "layout: needs a name or a file");
        return NULL;
    }
    if (is_path(value) || !from_doc) {
        char *path;
        if (value[0] != '/' && from_doc) {
            char *d = dir_of(doc_file);
            pb_buf b;
            pb_buf_init(&b);
            pb_buf_printf(&b, "%s/%s", d, value);
            path = pb_buf_detach(&b);
            free(d);
        } else {
            path = pb_xstrdup(value);
        }
        if (is_file(path))
            return path;
        free(path);
        if (is_path(value)) {
            pb_diag_add(diags, PB_ERROR, file, line, col, "cannot read layout file '%s': %s",
                        value, strerror(errno ? errno : ENOENT));
            return NULL;
        }
        /* --layout gov: a name, looked up like the front matter's */
    }
    char *dirs[3];
    size_t nd = layout_dirs(doc_file, dirs);
    char *found = NULL;
    pb_buf tried;
    pb_buf_init(&tried);
    for (size_t i = 0; i < nd && !found; i++) {
        pb_buf b;
        pb_buf_init(&b);
        pb_buf_printf(&b, "%s/%s.yaml", dirs[i], value);
        if (is_file(b.data)) {
            found = pb_buf_detach(&b);
        } else {
            pb_buf_printf(&tried, "%s%s", tried.len ? ", " : "", b.data);
            pb_buf_free(&b);
        }
    }
    if (!found)
        *builtin = builtin_layout(value);
    if (!found && !*builtin) {
        pb_buf avail;
        pb_buf_init(&avail);
        char **names = NULL;
        size_t n_names = 0, cap = 0;
        list_names(dirs, nd, &avail, &names, &n_names, &cap);
        pb_buf built;
        pb_buf_init(&built);
        for (const pb_builtin_layout *b = pb_builtin_layouts; b->name; b++) {
            pb_buf_printf(&built, "%s%s", b == pb_builtin_layouts ? "" : ", ", b->name);
            bool dup = false;
            for (size_t k = 0; k < n_names && !dup; k++)
                dup = !strcmp(names[k], b->name);
            if (!dup)
                PB_PUSH(names, n_names, cap, pb_xstrdup(b->name));
        }
        const char *near = pb_style_closest(value, (const char *const *)names, n_names);
        pb_diag_add(diags, PB_ERROR, file, line, col,
                    "layout '%s' not found%s%s%s (looked for %s); layouts there: %s; built in: %s",
                    value, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
                    tried.data, avail.len ? avail.data : "none", built.data);
        for (size_t i = 0; i < n_names; i++)
            free(names[i]);
        free(names);
        pb_buf_free(&avail);
        pb_buf_free(&built);
    }
    pb_buf_free(&tried);
    for (size_t i = 0; i < nd; i++)
        free(dirs[i]);
    return found;
}

/* ---- assembling a design ---- */

/* Pandoc's font keys map onto roles: mainfont is the Latin body font, CJKmainfont the
 * Chinese one, and so on. Applied last: the document's own choice. */
static void apply_font_key(pb_style *s, pb_arena *arena, const pb_meta_kv *kv, const char *file)
{
    static const struct {
        const char *key, *role;
        bool cjk;
    } map[] = {{"mainfont", "body", false},     {"CJKmainfont", "body", true},
               {"sansfont", "heading", false},  {"CJKsansfont", "heading", true},
               {"monofont", "mono", false},     {"CJKmonofont", "mono", true}};
    for (size_t i = 0; i < PB_COUNT(map); i++) {
        if (strcmp(kv->key, map[i].key))
            continue;
        for (size_t r = 0; r < s->n_roles; r++) {
            pb_style_role *role = &s->roles[r];
            bool hit = !strcmp(role->name, map[i].role);
            /* emphasis and quotes follow the body's Latin font */
            if (!map[i].cjk && !strcmp(map[i].role, "body") &&
                (!strcmp(role->name, "emph") || !strcmp(role->name, "quote")))
                hit = true;
            if (!hit)
                continue;
            if (map[i].cjk) {
                role->cjk = pb_arena_strdup(arena, kv->value);
                role->cjk_file = file;
                role->cjk_line = kv->line;
                role->cjk_col = kv->col;
            } else {
                role->latin = pb_arena_strdup(arena, kv->value);
                role->latin_file = file;
                role->latin_line = kv->line;
                role->latin_col = kv->col;
            }
        }
    }
}

static bool assemble(pb_style *s, pb_arena *arena, pb_style_entries *es, const pb_meta *meta,
                     const char *doc_file, pb_diags *diags)
{
    const char *df = doc_file ? pb_arena_strdup(arena, doc_file) : NULL;
    if (meta)
        for (size_t i = 0; i < meta->n_overrides; i++) {
            const pb_meta_kv *kv = &meta->overrides[i];
            pb_style_entry e = {0};
            e.key = kv->key;
            e.value = kv->value ? kv->value : "";
            e.file = df;
            e.line = kv->line;
            e.col = kv->col;
            e.key_line = kv->key_line;
            e.key_col = kv->key_col;
            e.layer = PB_LAYER_DOCUMENT;
            PB_PUSH(es->v, es->n, es->cap, e);
        }
    bool ok = pb_style_apply(s, arena, es->v, es->n, diags);
    if (meta)
        for (size_t i = 0; i < meta->n_fonts; i++)
            apply_font_key(s, arena, &meta->fonts[i], df);
    return ok;
}

bool pb_style_from_yaml(pb_style *s, pb_arena *arena, const char *file, const char *yaml,
                        size_t len, bool bare, const pb_meta *meta, const char *doc_file,
                        pb_diags *diags)
{
    pb_style_entries es = {0};
    bool ok = true;
    if (!bare)
        pb_style_builtin(&es);
    if (yaml) {
        const char *f = pb_arena_strdup(arena, file ? file : "layout");
        ok = pb_layout_parse(arena, f, yaml, len, &es, diags);
    }
    ok = assemble(s, arena, &es, meta, doc_file, diags) && ok;
    free(es.v);
    return ok;
}

bool pb_style_resolve(pb_style *s, pb_arena *arena, const char *layout_arg,
                      const pb_meta *meta, const char *doc_file, pb_diags *diags)
{
    bool ok;
    char *path = NULL, *text = NULL;
    size_t len = 0;
    const pb_builtin_layout *bi = NULL;
    if (layout_arg) {
        path = find_layout(layout_arg, false, doc_file, NULL, 0, 0, &bi, diags);
    } else if (meta && meta->layout) {
        path = find_layout(meta->layout, true, doc_file, doc_file, meta->layout_line,
                           meta->layout_col, &bi, diags);
    } else {
        return pb_style_from_yaml(s, arena, NULL, NULL, 0, false, meta, doc_file, diags);
    }
    if (bi) {
        /* no file to watch: s->layout_file stays NULL */
        pb_buf name;
        pb_buf_init(&name);
        pb_buf_printf(&name, "layout/%s.yaml (built in)", bi->name);
        ok = pb_style_from_yaml(s, arena, name.data, bi->text, bi->len, false, meta, doc_file,
                                diags);
        pb_buf_free(&name);
        return ok;
    }
    if (!path)
        goto fail;
    if (!pb_read_file(path, &text, &len)) {
        pb_diag_add(diags, PB_ERROR, layout_arg ? NULL : doc_file,
                    layout_arg ? 0 : meta->layout_line, layout_arg ? 0 : meta->layout_col,
                    "cannot read layout file '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (len > PB_MAX_INPUT_BYTES) {
        pb_diag_add(diags, PB_ERROR, path, 0, 0, "the layout file is larger than %u bytes",
                    PB_MAX_INPUT_BYTES);
        goto fail;
    }
    ok = pb_style_from_yaml(s, arena, path, text, len, false, meta, doc_file, diags);
    s->layout_file = pb_arena_strdup(arena, path);
    free(text);
    free(path);
    return ok;
fail:
    /* no layout: the document's own keys on the built-in design, so that callers that
     * go on (--fonts) still have a whole design */
    pb_style_from_yaml(s, arena, NULL, NULL, 0, false, meta, doc_file, diags);
    s->layout_file = path ? pb_arena_strdup(arena, path) : NULL;
    free(text);
    free(path);
    return false;
}
