/* assgen.h - the one writer: cues -> ASS track events for libass. */
#ifndef ZIMU_ASSGEN_H
#define ZIMU_ASSGEN_H

#include <ass/ass.h>

#include "cue.h"
#include "internal.h"

typedef struct zimu_layout {
    int width, height;   /* play size = output frame size, in pixels */
    const char *font;    /* family of the default style */
    const char *fonts_conf; /* fontconfig file libass uses (for measuring) */
} zimu_layout;

/* A new track for the cues: [Script Info] with PlayResX/Y = width/height,
 * WrapStyle 2 and ScaledBorderAndShadow; the default style; one event per
 * cue, created in memory with millisecond times. 0 or a ZIMU_E* code
 * (message in c). */
int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out);

#endif
