/* write_subs.h - cues -> the text of an SRT, WebVTT, ASS or LRC file. */
#ifndef ZIMU_WRITE_SUBS_H
#define ZIMU_WRITE_SUBS_H

#include "capopts.h"
#include "cue.h"
#include "internal.h"
#include "sbuf.h"
#include "subs.h"

typedef struct zimu_write_opts {
    int width, height;          /* play size of a plain ASS script */
    const char *font;           /* its family; NULL: Noto Sans CJK SC */
} zimu_write_opts;

/* The format a file name asks for: ZIMU__SUBS_SRT, _VTT, _ASS or _LRC by
 * its extension (.srt, .vtt, .ass, .lrc; any case), 0 for anything else. */
int zimu__write_format(const char *path);

/* Append the file text of cues in format fmt to out.
 * - SRT: numbered cues, "HH:MM:SS,mmm"; override blocks (and an ASS
 *   event's style: bold, italic, underline, strike-out, a colour other than
 *   white) go to <i> <b> <u> <s> <font color="#RRGGBB">, properly nested,
 *   \r back to the style; {\anN} (or the cue's alignment) is kept as SRT's
 *   {\anN}; every other tag is dropped, and so are drawings (\p1..\p0).
 * - WebVTT: "WEBVTT" header, a STYLE block with a ::cue(.c_rrggbb) rule
 *   for each colour WebVTT does not name, "HH:MM:SS.mmm", <i> <b> <u>
 *   tags and colours as <c.yellow> / <c.c_rrggbb> (from the same state as
 *   SRT's), & < > escaped, the cue's place as line/position/align
 *   settings, word times as inline timestamps.
 * - ASS: a loaded script as its header and its events (edited, retimed:
 *   zimu__ass_script_write); other cues as a plain script of play size
 *   o->width x o->height with one Default style, lines broken only where
 *   the cues break them (the laid-out script a burn renders is the
 *   renderer's). ASS text times have 10 ms steps: times are rounded to the
 *   nearest centisecond.
 * - LRC: "[mm:ss.xx]text" per cue (lines joined by a space, override blocks
 *   and drawings dropped), an empty "[mm:ss.xx]" line where a cue ends before the next
 *   begins, and enhanced "<mm:ss.xx>" word times when the cue has words.
 *   Times are rounded to centiseconds; cues that overlap end where the next
 *   begins (LRC has no end times).
 * Cues with nothing visible are left out. 0 or a ZIMU_E* code (message in
 * c). */
int zimu__subs_write(zimu_ctx *c, const zimu_cues *cues, int fmt,
                     const zimu_write_opts *o, zimu_sbuf *out);

/* The text of an ASS file for a libass track: header, the styles the
 * events use, every event with its millisecond times rounded to 10 ms. */
struct ass_track;
void zimu__ass_track_text(const struct ass_track *t, zimu_sbuf *b);

#include "tmpfile.h" /* zimu__write_file_atomic */

#endif
