/* logo.h - a logo or account mark: a PNG with alpha drawn in a corner.
 *
 * Loaded once (decoded by libavcodec's PNG decoder, premultiplied), then
 * placed when the frame size is known: scaled with libswscale to a fraction
 * of the frame width, keeping its aspect, and turned into a compositor
 * overlay in the frame's own colour space; blending it costs one pass over
 * its box per frame. */
#ifndef ZIMU_LOGO_H
#define ZIMU_LOGO_H

#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

#include "internal.h"

typedef struct zimu_logo zimu_logo;

/* Read and decode the PNG at path. A missing or unreadable file, or one
 * that is not a PNG image, is ZIMU_EINVAL with a message naming it
 * ("logo.png: not a PNG image"); ZIMU_ENOMEM. */
int zimu__logo_load(zimu_ctx *c, const char *path, int64_t max, zimu_logo **out);
void zimu__logo_free(zimu_logo **l);
/* Size of the PNG as loaded. */
void zimu__logo_size(const zimu_logo *l, int *w, int *h);

/* Where the logo goes on a frame. */
typedef struct zimu_logo_place {
    int frame_w, frame_h;
    int corner;              /* ZIMU_CORNER_* */
    double width_fraction;   /* logo width / frame width, (0, 1] */
    /* The safe area (zimu__safe_area: the parts the app covers), as
     * fractions of the frame height (top, bottom) and width (left, right);
     * all 0 for none. */
    double top, bottom, left, right;
} zimu_logo_place;

/* The least distance from a frame edge, as a fraction of the frame width,
 * whatever the safe area. */
#define ZIMU__LOGO_MARGIN 0.04

/* The rectangle (x, y, w, h) the logo of src_w x src_h takes on the frame:
 * in the corner of the safe area, each edge at least ZIMU__LOGO_MARGIN of
 * the width from the frame's edge; w = width_fraction of the frame width
 * (at least 2), h keeping the aspect, both shrunk to fit the safe area if
 * needed; x and y even, rounded towards the middle of the frame. */
void zimu__logo_rect(const zimu_logo_place *p, int src_w, int src_h,
                     int *x, int *y, int *w, int *h);

/* Scale and convert for frames of this place, colour space and range.
 * 0, ZIMU_ENOMEM or ZIMU_EFFMPEG (libswscale refused). */
int zimu__logo_prepare(zimu_ctx *c, zimu_logo *l, const zimu_logo_place *p,
                       enum AVColorSpace cs, enum AVColorRange range);

/* Blend onto a writable yuv420p frame of the prepared size. */
/* The box the placed logo draws in (luma pixels, even); 0 if none. */
int zimu__logo_box(const zimu_logo *l, int *x, int *y, int *w, int *h);
void zimu__logo_blend(const zimu_logo *l, AVFrame *frame);
/* The same onto an RGBA image of fw x fh (rows stride bytes apart);
 * alpha is left as it is. */
void zimu__logo_blend_rgba(const zimu_logo *l, uint8_t *rgba, int stride, int fw, int fh);

#endif
