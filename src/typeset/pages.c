/* pages.c - the display list container: pages, items, outlines and labels. */
#include "pages.h"

#include <stdlib.h>

pb_pages *pb_pages_new(void)
{
    pb_pages *p = pb_xcalloc(1, sizeof *p);
    p->arena = pb_arena_new();
    return p;
}

void pb_pages_free(pb_pages *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_pages; i++)
        free(p->pages[i]->items);
    free(p->pages);
    free(p->outlines);
    free(p->labels);
    pb_arena_free(p->arena);
    free(p);
}

pb_page *pb_pages_add(pb_pages *p, float width, float height)
{
    pb_page *pg = pb_arena_alloc(p->arena, sizeof *pg);
    pg->width = width;
    pg->height = height;
    PB_PUSH(p->pages, p->n_pages, p->cap_pages, pg);
    return pg;
}

pb_item *pb_page_add(pb_pages *p, pb_page *page, pb_item_kind kind)
{
    (void)p;
    pb_grow((void **)&page->items, &page->cap_items, page->n_items + 1, sizeof(pb_item));
    pb_item *it = &page->items[page->n_items++];
    *it = (pb_item){0};
    it->kind = kind;
    return it;
}
