/* renderer.h - the renderer (zimu_renderer in zimu.h) as the job drives it:
 * the same update and blend steps the public draw calls use, split so the
 * job can make a decoder's frame drawable in the boxes first. */
#ifndef ZIMU_RENDERER_H
#define ZIMU_RENDERER_H

#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

#include "capopts.h"
#include "chinese.h"
#include "cue.h"
#include "internal.h"

/* Take the cues (moved: *cues is left empty), instead of a zimu_subs. */
void zimu__renderer_take_cues(zimu_renderer *r, zimu_cues *cues);
/* The layout settings, copied (job and renderer share zimu_capopts). */
int zimu__renderer_set_capopts(zimu_renderer *r, const zimu_capopts *cap);
/* Messages and failures of the renderer go to c (the job's). */
void zimu__renderer_set_ctx(zimu_renderer *r, zimu_ctx *c);
/* Use the job's Chinese converters (opened once per job, not per run)
 * instead of opening its own; cc must outlive the renderer. */
void zimu__renderer_share_chinese(zimu_renderer *r, zimu_chinese *cc);

/* Bring the overlay up to time t for frames in colour space cs and range.
 * Returns 1 if what is drawn changed since the last update, 0 if not, or a
 * ZIMU_E* code. */
int zimu__renderer_update(zimu_renderer *r, int64_t t, enum AVColorSpace cs,
                          enum AVColorRange range);
/* The boxes the next blend touches (luma pixels, even): i = 0 the
 * captions, 1 the logo. 1 if box i draws something, else 0. */
int zimu__renderer_box(const zimu_renderer *r, int i, int *x, int *y, int *w, int *h);
/* Blend the overlay (captions, then the logo) onto a writable yuv420p
 * frame of the renderer's size. */
void zimu__renderer_blend(const zimu_renderer *r, AVFrame *f);
/* CPU seconds spent in libass and in composing, and overlay rebuilds. */
void zimu__renderer_costs(const zimu_renderer *r, double *render_s, double *compose_s,
                          int64_t *updates);

#endif
