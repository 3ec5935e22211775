/* patch.c - save rectangles of a frame and put them back. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "patch.h"

typedef struct rect {
    int x, y, w, h;   /* even, clipped to the frame */
    size_t off;       /* where its bytes start in buf */
} rect;

struct zimu_patch {
    rect *r;
    int n, cap;
    uint8_t *buf;
    size_t used, size;
};

zimu_patch *zimu__patch_new(void)
{
    return calloc(1, sizeof(zimu_patch));
}

void zimu__patch_free(zimu_patch **p)
{
    if (!p || !*p)
        return;
    free((*p)->r);
    free((*p)->buf);
    free(*p);
    *p = NULL;
}

int zimu__patch_pending(const zimu_patch *p)
{
    return p && p->n > 0;
}

/* Copy the rectangle between the frame and buf, in either direction. */
static void copy(const rect *r, uint8_t *buf, AVFrame *f, int to_frame)
{
    uint8_t *b = buf + r->off;
    for (int pl = 0; pl < 3; pl++) {
        int sh = pl ? 1 : 0;
        int w = r->w >> sh, h = r->h >> sh, x = r->x >> sh, y = r->y >> sh;
        for (int j = 0; j < h; j++) {
            uint8_t *row = f->data[pl] + (ptrdiff_t)(y + j) * f->linesize[pl] + x;
            if (to_frame)
                memcpy(row, b, w);
            else
                memcpy(b, row, w);
            b += w;
        }
    }
}

int zimu__patch_save(zimu_patch *p, const AVFrame *f, int x, int y, int w, int h)
{
    /* even, inside the frame (whose chroma planes cover even sizes) */
    int x1 = x + w, y1 = y + h;
    x &= ~1;
    y &= ~1;
    x1 = (x1 + 1) & ~1;
    y1 = (y1 + 1) & ~1;
    int fw = (f->width + 1) & ~1, fh = (f->height + 1) & ~1;
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    if (x1 > fw) x1 = fw;
    if (y1 > fh) y1 = fh;
    if (x1 <= x || y1 <= y)
        return 0;
    rect r = {x, y, x1 - x, y1 - y, p->used};
    size_t need = (size_t)r.w * r.h * 3 / 2;
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 4;
        rect *nr = realloc(p->r, cap * sizeof *nr);
        if (!nr)
            return ZIMU_ENOMEM;
        p->r = nr;
        p->cap = cap;
    }
    if (p->used + need > p->size) {
        size_t size = (p->used + need) * 2;
        uint8_t *nb = realloc(p->buf, size);
        if (!nb)
            return ZIMU_ENOMEM;
        p->buf = nb;
        p->size = size;
    }
    copy(&r, p->buf, (AVFrame *)f, 0);
    p->used += need;
    p->r[p->n++] = r;
    return 0;
}

void zimu__patch_restore(zimu_patch *p, AVFrame *f)
{
    while (p->n > 0)
        copy(&p->r[--p->n], p->buf, f, 1);
    p->used = 0;
}
