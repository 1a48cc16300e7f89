/* frontmatter.c - the YAML block between --- lines at the top of a document,
 * read with libyaml into pb_meta (Pandoc's key names). Keys that are not document
 * metadata are kept as page-design overrides for the style stage to check. */
#include "doc.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static bool is_fence(const char *s, size_t n, const char *fence)
{
    size_t f = strlen(fence);
    if (n < f || memcmp(s, fence, f) != 0)
        return false;
    for (size_t i = f; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

bool pb_split_front_matter(const char *file, const char *data, size_t len, const char **fm,
                           size_t *fm_len, const char **body, size_t *body_len, int *body_line,
                           pb_diags *diags)
{
    *fm = NULL;
    *fm_len = 0;
    *body = data;
    *body_len = len;
    *body_line = 1;
    size_t off = 0;
    /* A UTF-8 byte order mark is tolerated at the very start. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        off = 3;
    const char *nl = memchr(data + off, '\n', len - off);
    size_t first_len = nl ? (size_t)(nl - (data + off)) : len - off;
    if (!is_fence(data + off, first_len, "---"))
        return true;
    if (!nl) /* a file that is only "---" is a thematic break, not a front matter */
        return true;
    size_t start = (size_t)(nl - data) + 1;
    size_t pos = start;
    int line = 2;
    while (pos < len) {
        const char *e = memchr(data + pos, '\n', len - pos);
        size_t ll = e ? (size_t)(e - (data + pos)) : len - pos;
        if (is_fence(data + pos, ll, "---") || is_fence(data + pos, ll, "...")) {
            *fm = data + start;
            *fm_len = pos - start;
            size_t after = e ? (size_t)(e - data) + 1 : len;
            *body = data + after;
            *body_len = len - after;
            *body_line = line + 1;
            return true;
        }
        pos = e ? (size_t)(e - data) + 1 : len;
        line++;
    }
    pb_diag_add(diags, PB_ERROR, file, 1, 1,
                "front matter opened here with '---' is never closed (add a line '---' after it)");
    return false;
}

/* ---- a tiny YAML node tree built from libyaml's document API ---- */

typedef struct ym {
    yaml_document_t doc;
    const char *file;
    int first_line;
    pb_arena *arena;
    pb_diags *diags;
    size_t n_keys;     /* page-design keys seen, against PB_MAX_YAML_KEYS */
    size_t bytes_left; /* text the values may still produce (see ytake) */
    bool too_many;     /* a cap was hit (reported): stop */
} ym;

static int yline(const ym *y, const yaml_node_t *n)
{
    return (int)n->start_mark.line + y->first_line;
}

static int ycol(const ym *y, const yaml_node_t *n)
{
    (void)y;
    return (int)n->start_mark.column + 1;
}

/* Every scalar is read about once, so the values produce about as much text as the
 * front matter holds; only aliases repeat text (one 1 MB scalar used at 10,000 keys
 * is 10 GB). Takes len bytes from the budget, or reports and returns false. */
static bool ytake(ym *y, const yaml_node_t *n, size_t len)
{
    if (len <= y->bytes_left) {
        y->bytes_left -= len;
        return true;
    }
    if (!y->too_many)
        pb_diag_add(y->diags, PB_ERROR, y->file, yline(y, n), ycol(y, n),
                    "the front matter's aliases repeat more text than the front matter holds");
    y->too_many = true;
    return false;
}

static const char *yscalar(ym *y, yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || !ytake(y, n, n->data.scalar.length))
        return NULL;
    return pb_arena_strndup(y->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

/* A string value: scalars as they are; sequences of scalars joined with '、'
 * (Pandoc allows lists for e.g. keywords). */
static const char *ystring(ym *y, yaml_node_t *n, const char *key)
{
    if (!n)
        return NULL;
    if (n->type == YAML_SCALAR_NODE)
        return yscalar(y, n);
    if (n->type == YAML_SEQUENCE_NODE) {
        pb_buf b;
        pb_buf_init(&b);
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            yaml_node_t *c = yaml_document_get_node(&y->doc, *it);
            if (c && c->type == YAML_SCALAR_NODE) {
                if (!ytake(y, n, c->data.scalar.length + 3)) { /* at the list: c may be an alias */
                    pb_buf_free(&b);
                    return NULL;
                }
                if (b.len)
                    pb_buf_adds(&b, "、");
                pb_buf_add(&b, c->data.scalar.value, c->data.scalar.length);
            }
        }
        const char *r = pb_arena_strndup(y->arena, b.data ? b.data : "", b.len);
        pb_buf_free(&b);
        return r;
    }
    pb_diag_add(y->diags, PB_WARNING, y->file, yline(y, n), ycol(y, n),
                "front matter key '%s' should be text; ignored", key);
    return NULL;
}

static bool ybool(ym *y, yaml_node_t *n, const char *key, bool *out)
{
    const char *s = yscalar(y, n);
    if (s) {
        if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "True")) {
            *out = true;
            return true;
        }
        if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off") || !strcmp(s, "False")) {
            *out = false;
            return true;
        }
    }
    pb_diag_add(y->diags, PB_ERROR, y->file, yline(y, n), ycol(y, n),
                "front matter key '%s' must be true or false", key);
    return false;
}

static yaml_node_t *ymap_get(ym *y, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strlen(key) == k->data.scalar.length &&
            memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
            return yaml_document_get_node(&y->doc, p->value);
    }
    return NULL;
}

static void add_author(ym *y, pb_meta *m, size_t *cap, yaml_node_t *n)
{
    pb_author a = {0};
    if (n->type == YAML_SCALAR_NODE) {
        a.name = yscalar(y, n);
    } else if (n->type == YAML_MAPPING_NODE) {
        a.name = yscalar(y, ymap_get(y, n, "name"));
        a.affiliation = ystring(y, ymap_get(y, n, "affiliation"), "affiliation");
        if (!a.name) {
            pb_diag_add(y->diags, PB_WARNING, y->file, yline(y, n), ycol(y, n),
                        "author entry has no 'name'; ignored");
            return;
        }
    } else {
        pb_diag_add(y->diags, PB_WARNING, y->file, yline(y, n), ycol(y, n),
                    "author entry should be a name or a map with 'name'; ignored");
        return;
    }
    if (!a.name || !*a.name)
        return;
    PB_PUSH(m->authors, m->n_authors, *cap, a);
}

static const char *const font_keys[] = {"mainfont",   "sansfont",    "monofont",
                                        "CJKmainfont", "CJKsansfont", "CJKmonofont"};

/* Flattens a nested mapping into dotted keys ("margin.top") for the style stage;
 * kn is the node of the (last) key, for diagnostics about the key itself. Returns
 * false when a cap was hit (depth: PB_MAX_YAML_DEPTH; keys after aliases are
 * expanded: PB_MAX_YAML_KEYS), which is reported as an error. */
static bool add_overrides(ym *y, pb_meta *m, size_t *cap, const char *prefix, yaml_node_t *kn,
                          yaml_node_t *n, int depth)
{
    if (y->too_many)
        return false;
    if (++y->n_keys > PB_MAX_YAML_KEYS) {
        pb_diag_add(y->diags, PB_ERROR, y->file, yline(y, kn ? kn : n), ycol(y, kn ? kn : n),
                    "the front matter sets more than %d keys (counting every use of an "
                    "alias); a page design has about 150",
                    PB_MAX_YAML_KEYS);
        y->too_many = true;
        return false;
    }
    if (n->type == YAML_MAPPING_NODE && depth >= PB_MAX_YAML_DEPTH) {
        pb_diag_add(y->diags, PB_ERROR, y->file, yline(y, n), ycol(y, n),
                    "'%s' is nested more than %d levels deep; no page-design key is", prefix,
                    PB_MAX_YAML_DEPTH);
        return false;
    }
    if (n->type == YAML_MAPPING_NODE) {
        bool ok = true;
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
            yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
            const char *ks = yscalar(y, k);
            if (!ks || !v)
                continue;
            if (!add_overrides(y, m, cap, pb_arena_printf(y->arena, "%s.%s", prefix, ks), k, v,
                               depth + 1))
                ok = false;
            if (y->too_many)
                break;
        }
        return ok;
    }
    pb_meta_kv kv = {prefix, ystring(y, n, prefix), yline(y, n), ycol(y, n),
                     kn ? yline(y, kn) : yline(y, n), kn ? ycol(y, kn) : ycol(y, n)};
    if (kv.value)
        PB_PUSH(m->overrides, m->n_overrides, *cap, kv);
    return true;
}

bool pb_meta_parse(pb_arena *arena, const char *file, int first_line, const char *data,
                   size_t len, pb_meta *m, pb_diags *diags)
{
    ym y = {.file = file, .first_line = first_line, .arena = arena, .diags = diags,
            .bytes_left = 2 * len + 4096};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        pb_fatal("cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, &y.doc)) {
        pb_diag_yaml(diags, file, "front matter is not valid YAML", parser.problem,
                     (int)parser.problem_mark.line + first_line,
                     (int)parser.problem_mark.column + 1, parser.context,
                     (int)parser.context_mark.line + first_line,
                     (int)parser.context_mark.column + 1);
        yaml_parser_delete(&parser);
        return false;
    }
    yaml_parser_delete(&parser);

    bool ok = true;
    yaml_node_t *root = yaml_document_get_root_node(&y.doc);
    if (!root) /* empty front matter */
        goto done;
    if (root->type != YAML_MAPPING_NODE) {
        pb_diag_add(diags, PB_ERROR, file, yline(&y, root), ycol(&y, root),
                    "front matter must be a mapping of keys to values (key: value)");
        ok = false;
        goto done;
    }
    size_t cap_auth = 0, cap_fonts = 0, cap_over = 0;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *kn = yaml_document_get_node(&y.doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&y.doc, p->value);
        const char *key = yscalar(&y, kn);
        if (!key || !v)
            continue;
        if (!strcmp(key, "title")) {
            m->title = ystring(&y, v, key);
        } else if (!strcmp(key, "subtitle")) {
            m->subtitle = ystring(&y, v, key);
        } else if (!strcmp(key, "date")) {
            m->date = ystring(&y, v, key);
        } else if (!strcmp(key, "lang")) {
            m->lang = ystring(&y, v, key);
        } else if (!strcmp(key, "keywords")) {
            m->keywords = ystring(&y, v, key);
        } else if (!strcmp(key, "author") || !strcmp(key, "authors")) {
            if (v->type == YAML_SEQUENCE_NODE) {
                for (yaml_node_item_t *it = v->data.sequence.items.start;
                     it < v->data.sequence.items.top; it++) {
                    yaml_node_t *a = yaml_document_get_node(&y.doc, *it);
                    if (a)
                        add_author(&y, m, &cap_auth, a);
                }
            } else {
                add_author(&y, m, &cap_auth, v);
            }
        } else if (!strcmp(key, "abstract")) {
            const char *s = ystring(&y, v, key);
            if (s) {
                /* The abstract is Markdown; positions inside it point into the YAML
                 * block scalar (its first content line is the line after the key). */
                bool block = v->type == YAML_SCALAR_NODE &&
                             (v->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                              v->data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
                int aline = yline(&y, v) + (block ? 1 : 0);
                m->abstract = pb_markdown_parse(arena, file, s, strlen(s), aline, NULL, diags);
                if (!m->abstract) /* too big (reported) */
                    ok = false;
            }
        } else if (!strcmp(key, "toc") || !strcmp(key, "table-of-contents")) {
            bool b;
            if (ybool(&y, v, key, &b)) {
                m->toc = b;
                m->toc_set = true;
            } else {
                ok = false;
            }
        } else if (!strcmp(key, "layout")) {
            m->layout = ystring(&y, v, key);
            m->layout_line = yline(&y, v);
            m->layout_col = ycol(&y, v);
        } else {
            bool is_font = false;
            for (size_t i = 0; i < PB_COUNT(font_keys); i++)
                if (!strcmp(key, font_keys[i]))
                    is_font = true;
            if (is_font) {
                pb_meta_kv kv = {key, ystring(&y, v, key), yline(&y, v), ycol(&y, v),
                                 yline(&y, kn), ycol(&y, kn)};
                if (kv.value)
                    PB_PUSH(m->fonts, m->n_fonts, cap_fonts, kv);
            } else if (!add_overrides(&y, m, &cap_over, key, kn, v, 1)) {
                ok = false;
                if (y.too_many)
                    break;
            }
        }
    }
done:
    if (y.too_many)
        ok = false;
    yaml_document_delete(&y.doc);
    /* the arrays were grown with malloc; the doc's arena owns the final copies */
    if (m->authors) {
        pb_author *a = pb_arena_memdup(arena, m->authors, m->n_authors * sizeof *a);
        free(m->authors);
        m->authors = a;
    }
    if (m->fonts) {
        pb_meta_kv *f = pb_arena_memdup(arena, m->fonts, m->n_fonts * sizeof *f);
        free(m->fonts);
        m->fonts = f;
    }
    if (m->overrides) {
        pb_meta_kv *o = pb_arena_memdup(arena, m->overrides, m->n_overrides * sizeof *o);
        free(m->overrides);
        m->overrides = o;
    }
    return ok;
}
