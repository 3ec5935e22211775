/* shown.h - a bound on what is on screen at once.
 *
 * Every cue shown at a moment is laid out against every other one shown
 * then (stacking) and drawn by libass on every frame: 50,000 cues at the
 * same moment took minutes a frame. A phone screen cannot show more than a
 * few dozen readable captions anyway, so at most ZIMU_MAX_SHOWN cues (the
 * layout's pages) or ZIMU_MAX_ASS_SHOWN events of an ASS script are shown
 * at once: the earliest-starting ones (file order on equal starts); the
 * others are dropped with one warning. */
#ifndef ZIMU_SHOWN_H
#define ZIMU_SHOWN_H

#include "cue.h"
#include "internal.h"

/* Decide which cues of l are shown: keep[i] (l->n of them) is 1 for a cue
 * kept, 0 for one dropped because max cues are on screen when it starts.
 * Cues that never show (end <= start) are kept. Returns the number
 * dropped, or ZIMU_ENOMEM; when any are, one warning through c: "NAME: N
 * captions overlap others at A-B and are not shown; at most MAX are shown
 * at once" (what: "caption" or "event", made plural when needed). O(n log n). */
long zimu__cues_cap_shown(zimu_ctx *c, const zimu_cues *l, size_t max, const char *what,
                          unsigned char *keep);

#endif
