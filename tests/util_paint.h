/* util_paint.h - libass's images painted onto an RGB canvas, and the box
 * of the pixels they touch, for tests that look at rendered captions. */
#ifndef TU_PAINT_H
#define TU_PAINT_H

#include <ass/ass.h>

typedef struct tu_box {
    int x0, y0, x1, y1; /* x1, y1 exclusive; empty when x1 <= x0 */
} tu_box;

/* Grow b to hold pixel (x, y). */
void tu_box_grow(tu_box *b, int x, int y);

/* Blend the images im (ass_render_frame's list) onto rgb (w*h*3 floats,
 * 0..255; NULL: paint nothing) and grow *ink (emptied first) by every
 * pixel of the canvas an image covers with a visible colour. */
void tu_ass_paint(const ASS_Image *im, float *rgb, int w, int h, tu_box *ink);

#endif
