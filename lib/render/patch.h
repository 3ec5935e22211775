/* patch.h - draw into a frame the decoder still holds, then undo it.
 *
 * A decoded frame that is passed through untouched is still a reference
 * picture of the decoder, so it is not writable. Copying all of it to draw
 * a caption costs more than the caption (3 MB per 1080x1920 frame). When
 * nothing else can read the frame meanwhile (no frame-threaded decoding),
 * the few rows under the caption are saved, drawn over, handed to the
 * encoder (which copies its input), and put back. */
#ifndef ZIMU_PATCH_H
#define ZIMU_PATCH_H

#include <libavutil/frame.h>

typedef struct zimu_patch zimu_patch;

zimu_patch *zimu__patch_new(void);
void zimu__patch_free(zimu_patch **p);
/* Save the rectangle (luma pixels; widened to even) of the three planes of
 * a yuv420p frame. May be called several times. 0 or ZIMU_ENOMEM. */
int zimu__patch_save(zimu_patch *p, const AVFrame *f, int x, int y, int w, int h);
/* 1 if anything is saved. */
int zimu__patch_pending(const zimu_patch *p);
/* Put every saved rectangle back, last saved first, and forget them. */
void zimu__patch_restore(zimu_patch *p, AVFrame *f);

#endif
