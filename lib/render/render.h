/* render.h - libass set-up: library, fonts, renderer and the track. */
#ifndef ZIMU_RENDER_H
#define ZIMU_RENDER_H

#include <ass/ass.h>

#include "capopts.h"
#include "cue.h"
#include "internal.h"

typedef struct zimu_render_opts {
    int width, height;        /* output frame size = play size for cues */
    int pic_x, pic_y, pic_w, pic_h; /* the source picture's rectangle in the
                                       frame (the fitted picture); ASS scripts
                                       whose aspect differs are rendered into
                                       it. 0x0: the whole frame */
    const char *font;         /* default family, NULL: Noto Sans CJK SC */
    const char *fonts_dir;    /* extra font directory or NULL */
    double ass_time_scale;    /* an ASS script's event times: scaled (<= 0: */
    int64_t ass_shift_ms;     /* 1), then shifted, in ms (timing.c) */
    const zimu_capopts *cap;  /* style, safe area, title ... of generated
                                 captions (assgen.h); NULL: defaults */
    int cover;                /* 1: draw the cover (the title in the cover
                                 style), not the captions */
} zimu_render_opts;

typedef struct zimu_render zimu_render;

/* Set up libass for these cues (generated events, or the kept ASS script).
 * Cue times are on the source timeline; render with source times. */
int zimu__render_new(zimu_ctx *c, zimu_render **r, const zimu_cues *cues,
                     const zimu_render_opts *o);
/* Images for time ms; *changed as ass_render_frame reports it (0 same,
 * 1 positions changed, 2 content changed). Valid until the next call. */
ASS_Image *zimu__render_frame(zimu_render *r, int64_t ms, int *changed);
void zimu__render_free(zimu_render **r);

#endif
