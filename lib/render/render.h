/* render.h - libass set-up: library, fonts, renderer and the track. */
#ifndef ZIMU_RENDER_H
#define ZIMU_RENDER_H

#include <ass/ass.h>

#include "assgen.h"
#include "capopts.h"
#include "cue.h"
#include "internal.h"
#include "sbuf.h"

typedef struct zimu_render_opts {
    int width, height;        /* output frame size = play size for cues */
    int pic_x, pic_y, pic_w, pic_h; /* the source picture's rectangle in the
                                       frame (the fitted picture); ASS scripts
                                       whose aspect differs are rendered into
                                       it. 0x0: the whole frame */
    const char *font;         /* default family, NULL: Noto Sans CJK SC */
    zimu_fonts *fonts;        /* the font context (loaded); must outlive
                                 the zimu_render */
    const zimu_capopts *cap;  /* style, safe area, title ... of generated
                                 captions (assgen.h); NULL: defaults */
    int cover;                /* 1: draw the cover (the title in the cover
                                 style), not the captions */
    zimu_pages *pages;        /* NULL, or filled with the pages laid out */
    int han_caption, han_title; /* scripts of the captions and the title
                                 (zimu_layout) */
} zimu_render_opts;

typedef struct zimu_render zimu_render;

/* Set up libass for these cues (generated events, or the kept ASS script).
 * Cue times are on the source timeline; render with source times. */
int zimu__render_new(zimu_ctx *c, zimu_render **r, const zimu_cues *cues,
                     const zimu_render_opts *o);
/* Images for time ms; *changed as ass_render_frame reports it (0 same,
 * 1 positions changed, 2 content changed). Valid until the next call. */
ASS_Image *zimu__render_frame(zimu_render *r, int64_t ms, int *changed);
/* The ASS file text of what is drawn (play size, styles, events). 0, or
 * ZIMU_EINVAL when it is two tracks (a script and a title beside it). */
int zimu__render_text(const zimu_render *r, zimu_sbuf *out);
/* 1 if any event is on screen at some time in [t0, t1), else 0. */
int zimu__render_visible(const zimu_render *r, int64_t t0, int64_t t1);
void zimu__render_free(zimu_render **r);

#endif
