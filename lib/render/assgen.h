/* assgen.h - the one writer: a layout (layout.h) -> ASS track events for
 * libass. */
#ifndef ZIMU_ASSGEN_H
#define ZIMU_ASSGEN_H

#include <ass/ass.h>

#include "ass_track.h" /* the Format lines */
#include "cue.h"
#include "internal.h"
#include "layout.h"


/* A new track: [Script Info] with PlayResX/Y = width/height, WrapStyle 2
 * and ScaledBorderAndShadow; the styles "Caption", "Title", "Cover" and
 * "Box"; the events, created in memory with millisecond times.
 *
 * The cues (and the title) are laid out by zimu__layout_run(); every page
 * is written with its \an and \pos, after the box drawn behind it
 * (rounded or square boxes and bars are \p1 drawing events on a lower
 * layer). With word highlight, a page becomes one event per highlight
 * state, cut at the words' exact millisecond times. The pages are appended
 * to lay->pages when it is set. 0, or ZIMU_ESTYLE / ZIMU_EFONT /
 * ZIMU_ENOMEM / ZIMU_EINVAL with the message in c. */
int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out);

#endif
