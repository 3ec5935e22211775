/* util_paint.c - see util_paint.h. */
#include "util_paint.h"

void tu_box_grow(tu_box *b, int x, int y)
{
    if (b->x1 <= b->x0) {
        *b = (tu_box){x, y, x + 1, y + 1};
        return;
    }
    if (x < b->x0) b->x0 = x;
    if (y < b->y0) b->y0 = y;
    if (x + 1 > b->x1) b->x1 = x + 1;
    if (y + 1 > b->y1) b->y1 = y + 1;
}

void tu_ass_paint(const ASS_Image *im, float *rgb, int w, int h, tu_box *ink)
{
    *ink = (tu_box){0, 0, 0, 0};
    for (; im; im = im->next) {
        double a = (255 - (im->color & 0xFF)) / 255.0;
        double col[3] = {im->color >> 24, (im->color >> 16) & 0xFF, (im->color >> 8) & 0xFF};
        if (a <= 0)
            continue;
        for (int y = 0; y < im->h; y++)
            for (int x = 0; x < im->w; x++) {
                int v = im->bitmap[y * im->stride + x];
                int X = im->dst_x + x, Y = im->dst_y + y;
                if (!v || X < 0 || Y < 0 || X >= w || Y >= h)
                    continue;
                tu_box_grow(ink, X, Y);
                if (!rgb)
                    continue;
                double al = a * v / 255.0;
                float *p = &rgb[((size_t)Y * w + X) * 3];
                for (int k = 0; k < 3; k++)
                    p[k] = (float)(p[k] * (1 - al) + col[k] * al);
            }
    }
}
