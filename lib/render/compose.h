/* compose.h - our compositor: libass images -> one cached overlay -> frame.
 *
 * The ASS_Image list is turned into a single premultiplied YUVA overlay
 * (4:2:0, in the frame's own matrix and range) only when libass reports a
 * change; every frame then blends just the overlay's bounding box. */
#ifndef ZIMU_COMPOSE_H
#define ZIMU_COMPOSE_H

#include <ass/ass.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

typedef struct zimu_compose zimu_compose;

zimu_compose *zimu__compose_new(void);
void zimu__compose_free(zimu_compose **c);

/* Rebuild the overlay from imgs (NULL: nothing to draw) for frames of
 * frame_w x frame_h with colour space cs (AVCOL_SPC_BT709, BT470BG,
 * SMPTE170M...; UNSPECIFIED is treated as BT.601) and range (MPEG = limited,
 * JPEG = full). Images are clipped to the frame. 0 or ZIMU_ENOMEM. */
int zimu__compose_update(zimu_compose *c, const ASS_Image *imgs,
                         int frame_w, int frame_h,
                         enum AVColorSpace cs, enum AVColorRange range);

/* Rebuild the overlay from a picture instead (a logo): w x h pixels of
 * premultiplied RGBA (8 bits each, R, G, B <= A; full-range RGB as in a PNG)
 * with rows stride bytes apart, its top-left corner at (x, y) of the frame.
 * Clipped to the frame; converted like ASS images. 0 or ZIMU_ENOMEM. */
int zimu__compose_update_image(zimu_compose *c, const uint8_t *rgba, int stride,
                               int x, int y, int w, int h, int frame_w, int frame_h,
                               enum AVColorSpace cs, enum AVColorRange range);

/* When libass reports that only positions changed (ass_render_frame's
 * change == 1): if imgs are the images of the last update, all moved by
 * the same even step and still inside the frame, move the overlay and
 * return 1; otherwise return 0 and the caller updates. */
int zimu__compose_move(zimu_compose *c, const ASS_Image *imgs, int frame_w, int frame_h);

/* Blend the current overlay onto frame (AV_PIX_FMT_YUV420P, writable, of the
 * size given to the last update). Touches only the overlay's box. */
void zimu__compose_blend(const zimu_compose *c, AVFrame *frame);

/* The box the current overlay touches (luma pixels, even); 0 if it draws
 * nothing, else 1. */
int zimu__compose_box(const zimu_compose *c, int *x, int *y, int *w, int *h);

/* 1 if the current overlay draws nothing. */
int zimu__compose_empty(const zimu_compose *c);

#endif
