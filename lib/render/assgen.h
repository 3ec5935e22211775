/* assgen.h - the one writer: cues -> ASS track events for libass. */
#ifndef ZIMU_ASSGEN_H
#define ZIMU_ASSGEN_H

#include <ass/ass.h>

#include "capopts.h"
#include "cue.h"
#include "internal.h"

/* The Format lines of the [V4+ Styles] and [Events] sections zimu writes
 * (here and in write_subs.c): the Style and Dialogue lines follow them. */
#define ZIMU__ASS_STYLE_FORMAT                                                 \
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "       \
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, "  \
    "ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "        \
    "MarginL, MarginR, MarginV, Encoding\n"
#define ZIMU__ASS_EVENT_FORMAT                                                 \
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "     \
    "Effect, Text\n"

enum {
    ZIMU__LAYOUT_CAPTIONS = 0, /* the cues, and the title if one is set */
    ZIMU__LAYOUT_TITLE,        /* the title only (beside a kept ASS script) */
    ZIMU__LAYOUT_COVER,        /* the cover: the title in the cover style */
};

typedef struct zimu_layout {
    int width, height;   /* play size = output frame size, in pixels */
    const char *font;    /* family for every text style (zimu_job_set_font);
                            NULL: the style's own */
    zimu_fonts *fonts;   /* the font context text is measured with; NULL:
                            a font db of fonts_conf's own */
    const char *fonts_conf; /* fontconfig file libass uses (for measuring) */
    const zimu_capopts *cap; /* style, safe area, max lines, highlight,
                                title; NULL: the defaults */
    int mode;            /* ZIMU__LAYOUT_* */
    int pic_x, pic_y, pic_w, pic_h; /* the picture's rectangle in the frame
                            (fitted with bars or blur), 0x0: the whole
                            frame. Bottom captions of a vertical frame go
                            just below a picture that leaves room there
                            (the lecture layout), else at the bottom of the
                            safe area. */
    struct zimu_pages *pages; /* NULL, or filled with every page laid out */
} zimu_layout;

/* The layout as data: every page (one caption on screen) with its lines
 * and their boxes in frame pixels (the advance boxes of the text). */
typedef struct zimu_page_line {
    char *text;              /* the line, override blocks removed */
    double x, y, w, h;
} zimu_page_line;

typedef struct zimu_page {
    int64_t start_ms, end_ms;
    double x, y, w, h;
    zimu_page_line *lines;
    size_t n_lines;
} zimu_page;

typedef struct zimu_pages {
    zimu_page *v;
    size_t n, cap;
} zimu_pages;

void zimu__pages_clear(zimu_pages *p);

/* A new track: [Script Info] with PlayResX/Y = width/height, WrapStyle 2
 * and ScaledBorderAndShadow; the styles "Caption", "Title", "Cover" and
 * "Box"; the events, created in memory with millisecond times.
 *
 * Every caption page is wrapped (linebreak.h) to the width its style
 * leaves inside the safe area and placed there with \an and \pos; pages
 * shown at the same time are stacked as libass would stack them, so boxes
 * drawn behind the text (rounded or square boxes and bars are \p1 drawing
 * events on a lower layer) stay with their text. With word highlight, a
 * page becomes one event per highlight state, cut at the words' exact
 * millisecond times. 0, or ZIMU_ESTYLE / ZIMU_EFONT / ZIMU_ENOMEM /
 * ZIMU_EINVAL with the message in c. */
int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out);

#endif
