/* anim.h - flash card animations (cue.h: zimu_cue_fx) and keyword spans
 * (ZIMU__KEY_ON ... ZIMU__KEY_OFF) as libass override tags.
 *
 * A page of an animated cue becomes a few events cut in time: the in
 * effect over its first in_ms, the loop effect in whole periods while the
 * card holds (static between them), the out effect over its last out_ms.
 * Each event carries one effect's tags only, so effects that need the
 * event's one \move or \org combine freely. Every event of an animated
 * page is anchored at the middle of the page's text box on the side its
 * \an aligns to (\an4, \an5 or \an6), so scaling and spinning happen
 * about the text's middle; the lines land where the layout put them.
 *
 * Effects (in / loop / out) and their tags:
 *   pop        \fscx\fscy 0 -> 118 -> 100 (\t keyframes) / 100 -> 116 -> 100
 *              in the first half of each period / 100 -> 118 -> 0
 *   zoom-in    0 -> 100 / 100 -> 108 -> 100 / 100 -> 200 with \fad
 *   zoom-out   200 -> 100 with \fad / 100 -> 93 -> 100 / 100 -> 0
 *   fade       \fad(d,0) / \fade(0,160,0,...) / \fad(0,d)
 *   slide-*    three \move events, eased, from just off the frame on that
 *              side / a sway of 2 % of the frame toward it and back (two
 *              \move events) / to just off the frame on that side
 *   typewriter per character \alpha&HFF& and a step \t(t,t,\1a\3a\4a) back
 *              to the style's alphas (one more each d/n) / types again in
 *              the first half of each period / the last goes first
 *   bounce     per character \frz about an \org far to the left (a lift
 *              of 0.3 x font size), shown at its turn / a wave in the
 *              first half of each period / jumps and vanishes, in order
 *   shake      \move events between jittered points (6 % of the font
 *              size), calm at the end of an in and the start of an out
 *   spin       \org at the text's middle, \frz 360 -> 0 with scale 0 ->
 *              100 / \frz 0 -> 6 -> -6 -> 0 / \frz 0 -> -360, scale -> 0
 *   strobe     shown in steps (events in the "on" steps only): 5 steps
 *              ending shown / on the first half of each period / 6 steps
 *              ending hidden
 *   pulse      scale 100 -> 115 -> 100 / 100 -> 112 (first quarter) -> 100
 *              / 100 -> 115 -> 0
 * Overshoots (at most 120 %) are capped so the card stays in the frame.
 * Keyword spans: \1c\1a of the highlight colour and the scale tags of
 * the event times the keyword's scale; after the span the text colour and
 * the scale tags again. */
#ifndef ZIMU_ANIM_H
#define ZIMU_ANIM_H

#include <stddef.h>
#include <stdint.h>

#include "cue.h"
#include "layout.h"
#include "style.h"

/* What a page is drawn from. */
typedef struct zimu_anim_page {
    const zimu_page *pg;     /* its text (with markers), times, place */
    const zimu_cue_fx *fx;   /* NULL: no animation (keywords only) */
    int width, height;       /* the frame */
    double fs;               /* font size in pixels */
    const zimu_text_style *s; /* colours, the keyword's colour and scale */
} zimu_anim_page;

/* One event: [start, end) in ms, its ASS text (malloc'd); box: NULL, or
 * for a page with a box (pg->has_box) and animations, the override tags
 * (no braces, malloc'd) that move, scale, turn and fade the box with the
 * text over this event: a drawing of the page's box less a pixel all
 * round (vis inset by 1, as assgen.c draws it) with its top-left corner
 * at the drawing's origin, and any accent bar drawn with the same bounds
 * ("m 0 0 m w h" first), so that both are anchored as the box. */
typedef struct zimu_anim_event {
    int64_t start, end;
    char *text;
    char *box;
} zimu_anim_event;

typedef struct zimu_anim_events {
    zimu_anim_event *v;
    size_t n, cap;
} zimu_anim_events;

/* 1 if a cue is drawn through this file: it has animations or keywords. */
int zimu__anim_wanted(const zimu_cue *cue);

/* Durations an effect takes on a page of dur ms: the in, out and loop
 * period of fx made concrete (0 where there is no such effect). Defaults
 * follow the beat (fx->beat_ms, 0: 500 ms): in and out min(beat/2, 300)
 * ms; typewriter and bounce a step per character (at most 3/5 of the
 * page); strobe a beat; the loop period a beat. In and out together take
 * at most 4/5 of the page. n_chars: visible characters on the page. */
void zimu__anim_times(const zimu_cue_fx *fx, int64_t dur, size_t n_chars, int *in_ms,
                      int *out_ms, int *loop_ms);

/* Append the page's events to out (which the caller frees with
 * zimu__anim_events_free, also after an error). 0 or ZIMU_ENOMEM. */
int zimu__anim_page_events(const zimu_anim_page *a, zimu_anim_events *out);

void zimu__anim_events_free(zimu_anim_events *e);

#endif
