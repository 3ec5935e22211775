/* ass_track.h - an ASS/SSA script's header and events (zimu_cues with
 * ass_header set) as text again or as a libass track. */
#ifndef ZIMU_ASS_TRACK_H
#define ZIMU_ASS_TRACK_H

#include <ass/ass.h>

#include "cue.h"
#include "internal.h"
#include "sbuf.h"

/* The Format lines of the [V4+ Styles] and [Events] sections zimu writes
 * (write_subs.c, and the generated tracks of lib/render/assgen.c): the Style and Dialogue lines follow them. */
#define ZIMU__ASS_STYLE_FORMAT                                                 \
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "       \
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, "  \
    "ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "        \
    "MarginL, MarginR, MarginV, Encoding\n"
#define ZIMU__ASS_EVENT_FORMAT                                                 \
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "     \
    "Effect, Text\n"

/* Append the script: the header with the event lines where the first one
 * was, one Dialogue line per cue in file order (cues added later after
 * them), its fields in the order of the header's [Events] Format line,
 * times rounded to 10 ms. 0, ZIMU_EINVAL (no script) or ZIMU_ENOMEM. */
int zimu__ass_script_write(zimu_ctx *c, const zimu_cues *cues, zimu_sbuf *b);

/* The cues of l in the order of their events in the file (a malloc'd
 * array of l->n pointers). 0 or ZIMU_ENOMEM. */
int zimu__ass_events_in_order(const zimu_cues *l, const zimu_cue ***out);

/* A libass track of the script: libass reads the header (play size,
 * styles, embedded fonts, the event Format), then every cue is added as an
 * event with its times in milliseconds, as they are (retimed, edited), in
 * file order: layer, style (looked up by name as libass does: leading '*'
 * dropped, "default" in any case is "Default", an unknown name is the
 * track's default style), name, margins, effect and the raw text. *out is
 * the caller's (ass_free_track). 0, or ZIMU_EINVAL (cues hold no script),
 * ZIMU_ESUBS (libass cannot read the header), ZIMU_ENOMEM. */
int zimu__ass_track_new(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                        ASS_Track **out);

/* The styles of a script, read by libass (quietly) from its header. */
typedef struct zimu_ass_styles {
    ASS_Library *lib;
    ASS_Track *track; /* NULL: no script, or libass could not read it */
} zimu_ass_styles;
/* Read the styles of cues' script (none when cues hold no script). 0 or
 * ZIMU_ENOMEM. */
int zimu__ass_styles_open(zimu_ass_styles *s, const zimu_cues *cues);
/* The style an event's Style field names, found as libass finds it (an
 * unknown name: the default style); NULL when there are no styles. Valid
 * until zimu__ass_styles_close. */
const ASS_Style *zimu__ass_styles_find(const zimu_ass_styles *s, const char *name);
void zimu__ass_styles_close(zimu_ass_styles *s);

#endif
