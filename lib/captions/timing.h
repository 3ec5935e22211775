/* timing.h - caption timing: scale, shift, overlapping cues, minimum
 * display time, clamping to the clip. Loading is in load.h. */
#ifndef ZIMU_TIMING_H
#define ZIMU_TIMING_H

#include "capopts.h"
#include "cue.h"
#include "internal.h"

typedef struct zimu_timing {
    double scale;       /* every time is multiplied by it; <= 0 or 1: none */
    int64_t shift_ms;   /* then moved by this */
    int overlap;        /* ZIMU_OVERLAP_* */
    int64_t min_ms;     /* minimum display time, 0: none */
    /* The part of the source timeline the output shows: cues are clamped
     * to [clip_from, clip_to); cues entirely outside are dropped.
     * clip_to <= clip_from: no upper bound (duration unknown). */
    int64_t clip_from, clip_to;
} zimu_timing;

/* The timing settings of o, no clamp at the end ([0, unbounded)). */
void zimu__timing_from_capopts(zimu_timing *t, const zimu_capopts *o);

/* Retime the cues of l, in this order: scale, shift, overlap (KEEP:
 * nothing; MERGE: cues that overlap are joined into one, their texts stacked as lines, identical texts once;
 * DROP: a cue ends where the next one starts, and one left with no time is
 * dropped), minimum duration (a shorter cue is lengthened up to the next
 * cue's start, never shortened), clamp. Only cues at the same place (same
 * style, alignment and position) are merged, cut or bounded by each other:
 * a sign at the top does not cut the dialogue at the bottom. Word times
 * follow their cue and stay inside it. The events of an ASS script
 * (cues with ass set) are only scaled and shifted, and kept at or after 0
 * (one that ends at or before 0 goes, one that starts before starts at
 * 0): overlap, minimum duration and the clip do not apply to them. The
 * list is sorted by start afterwards. 0 or ZIMU_ENOMEM (message in c). */
int zimu__timing_apply(zimu_ctx *c, zimu_cues *l, const zimu_timing *t);

/* Keep only [from_ms, to_ms) of every cue, an ASS script's events too
 * (to_ms < 0: no end): starts and ends are cut to it, words kept inside,
 * cues left with no time removed. The order stays. */
void zimu__timing_clamp(zimu_cues *l, int64_t from_ms, int64_t to_ms);

/* Retime cues from any source (a caption file, the input's own subtitle
 * stream) with the timing settings of o, clamped to [clip_from, clip_to). */
int zimu__captions_retime(zimu_ctx *c, const zimu_capopts *o, int64_t clip_from,
                          int64_t clip_to, zimu_cues *cues);

#endif
