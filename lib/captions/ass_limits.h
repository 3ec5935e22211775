/* ass_limits.h - what an ASS event may ask of libass, clamped to what a
 * frame can show, once, where events reach libass (ass_track.c for ASS
 * scripts, lib/render/assgen.c for every other format and flash cards).
 *
 * libass draws what it is told: a glyph at \fs100000 took 45 s and 7.6 GB
 * for one 540x960 frame, \bord10000 2 GB, \fscx100000\fscy100000 5 GB.
 * Nothing larger than the frame can be seen, so, in the script's own units
 * (its PlayResY is the frame's height):
 *   \fs (and a style's Fontsize) at most the frame height;
 *   \fscx \fscy (and ScaleX, ScaleY) at most ZIMU_ASS_MAX_SCALE percent,
 *   and less where the font size would make a glyph taller than the frame;
 *   \bord \xbord \ybord \shad \xshad \yshad (Outline, Shadow) at most an
 *   eighth of the frame height;
 *   \blur (Blur) and \be at most ZIMU_ASS_MAX_BLUR and ZIMU_ASS_MAX_BE;
 *   at most ZIMU_ASS_MAX_T \t(...) in one event (the later ones dropped).
 * Tags inside \t(...) are clamped the same way. Values within the limits
 * are left exactly as written. */
#ifndef ZIMU_ASS_LIMITS_H
#define ZIMU_ASS_LIMITS_H

#include <stddef.h>

#include <ass/ass.h>

#include "internal.h"

#define ZIMU_ASS_MAX_SCALE 500 /* percent */
#define ZIMU_ASS_MAX_BLUR 20
#define ZIMU_ASS_MAX_BE 20
#define ZIMU_ASS_MAX_T 100

/* What was clamped over a track, for one warning. */
typedef struct zimu_ass_clamped {
    long events;      /* events with anything clamped */
    size_t line;      /* line of the first one in its file, 0: not known */
    int64_t at_ms;    /* its start (when the line is not known) */
    char first[96];   /* the first change: "\fs100000 to \fs960" */
} zimu_ass_clamped;

/* The play height libass uses for t (PlayResY, or what libass makes of a
 * script that gives none). */
int zimu__ass_play_height(const ASS_Track *t);

/* The Text of an event in style (an index into t's styles) with its
 * override tags clamped for t's play size, malloc'd (NULL: out of memory):
 * also no glyph taller than the frame (the style's scale bounds \fs, the
 * event's largest font size bounds \fscx and \fscy). When anything
 * changed, counts the event in k (k->line/at_ms from line and at_ms, for
 * the first). Clamp t's styles first. */
char *zimu__ass_clamp_text(const ASS_Track *t, int style, const char *text,
                           zimu_ass_clamped *k, size_t line, int64_t at_ms);

/* Clamp the styles of t in place (font size, scales, outline, shadow,
 * blur); counted in k like an event. */
void zimu__ass_clamp_styles(ASS_Track *t, zimu_ass_clamped *k);

/* The one warning when k counted anything: "NAME:LINE: override tags
 * beyond what a frame can show are clamped (\fs100000 to \fs960; N events
 * in all) ..." */
void zimu__ass_clamped_warn(zimu_ctx *c, const char *name, const zimu_ass_clamped *k);

#endif
