/* layout.h - captions laid out on the frame, as data.
 *
 * Styles resolved to pixels for the frame; every text (a cue, or the
 * title) wrapped (linebreak.h) to the width its style leaves inside the
 * safe area, its time split over its pages, each page placed there with
 * an alignment and an anchor point, and pages shown at the same time
 * stacked as libass would stack them. What is drawn from it (the ASS
 * events of assgen.c) adds nothing to where things are. */
#ifndef ZIMU_LAYOUT_H
#define ZIMU_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "capopts.h"
#include "cue.h"
#include "fontctx.h"
#include "internal.h"
#include "style.h"

enum {
    ZIMU__LAYOUT_CAPTIONS = 0, /* the cues, and the title if one is set */
    ZIMU__LAYOUT_TITLE,        /* the title only (beside a kept ASS script) */
    ZIMU__LAYOUT_COVER,        /* the cover: the title in the cover style */
};

typedef struct zimu_pages zimu_pages;

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
    zimu_pages *pages;   /* NULL, or where zimu__assgen_track appends every
                            page laid out */
    int han_caption, han_title; /* the script of the captions and of the
                            title (chinese.h ZIMU__HAN_*): Traditional text
                            in a style with no font chosen gets the
                            Traditional face (zimu__style_han_faces) */
} zimu_layout;

/* The text styles of a layout. */
enum { ZIMU__TS_CAPTION = 0, ZIMU__TS_TITLE, ZIMU__TS_COVER, ZIMU__TS_N };

/* A text style resolved for the frame: lengths in pixels. */
typedef struct zimu_lstyle {
    const zimu_text_style *s;
    double fs, outline, shadow, spacing, pad, radius, accent, mv, mh;
    /* flash looks (0: off) */
    double outline2, glow;   /* second outline's extra width, halo width */
    double shadow_x, shadow_y; /* hard shadow offset (both 0: \shad shadow) */
    double tail;             /* bubble box: height of its tail below it */
    double first_scale;      /* first line's size / fs (1: off) */
} zimu_lstyle;

typedef struct zimu_lrect {
    double x0, y0, x1, y1;
} zimu_lrect;

/* One line of a page: its text with override blocks removed and its
 * advance box, aligned in the page's text box as libass aligns lines. */
typedef struct zimu_page_line {
    char *text;
    double x, y, w, h;
} zimu_page_line;

/* One page: a caption on screen during [start_ms, end_ms). Boxes are in
 * frame pixels. */
typedef struct zimu_page {
    int64_t start_ms, end_ms;
    double x, y, w, h;       /* the lines' advance box */
    zimu_page_line *lines;
    size_t n_lines;
    int style;               /* ZIMU__TS_* */
    long cue;                /* index in the cues laid out; -1: the title
                                (or cover) */
    char *text;              /* the wrapped page, lines separated by '\n',
                                with the word markers (zimu__mark_at) of a
                                highlighted cue in */
    int highlight;           /* 1: the cue's words are highlighted */
    int an;                  /* \an of the text ... */
    double pos_x, pos_y;     /* ... and its \pos */
    zimu_lrect vis;          /* everything drawn: the box, or the text and
                                its outline */
    int has_box;             /* a box (and accent) is drawn over vis */
    int look;                /* -1: drawn in `style`; else the cue's look,
                                an index into zimu_laid.looks */
    double wrap_w;           /* the width its lines were wrapped to (the
                                room the style leaves in the safe area) */
} zimu_page;

struct zimu_pages {
    zimu_page *v;
    size_t n, cap;
};

/* Free every page; the list is empty afterwards. NULL is a no-op. */
void zimu__pages_clear(zimu_pages *p);
/* Move every page of src to the end of dst; src is empty afterwards.
 * 0 or ZIMU_ENOMEM (then both are unchanged). */
int zimu__pages_move(zimu_pages *dst, zimu_pages *src);

/* A layout made: the styles (st, and ts resolved from it) and the pages,
 * in the order they were placed (title first, then the cues by start
 * time). */
/* A cue's look (zimu_cue.look), resolved: the caption style with the
 * look's settings on top. */
typedef struct zimu_look {
    char *spec;       /* the look as the cue gave it */
    zimu_style st;
    zimu_lstyle ts;   /* st.caption for the frame */
} zimu_look;

typedef struct zimu_laid {
    zimu_style st;
    zimu_lstyle ts[ZIMU__TS_N];
    zimu_pages pages;
    zimu_look **looks; /* the distinct looks of the cues, n_looks of them */
    size_t n_looks;
} zimu_laid;

/* Lay out the cues (and the title) as lay says. A cue with a look is
 * laid out (measured, wrapped, placed) in its look's style; each distinct
 * look is resolved once. A look is "base=NAME,key=value,..." (as
 * zimu_job_set_style_options() takes them; base, if given, first: start
 * from that preset instead of the caption style) or a bare preset name. *out is filled (zeroed
 * first; free it with zimu__laid_free, also after an error). 0, or
 * ZIMU_ESTYLE / ZIMU_EFONT / ZIMU_ENOMEM / ZIMU_EINVAL with the message
 * in c. */
int zimu__layout_run(zimu_ctx *c, const zimu_cues *cues, const zimu_layout *lay,
                     zimu_laid *out);
void zimu__laid_free(zimu_laid *l);

/* Word markers in a page's text: "{\k<BASE+i>}" before word i of the cue
 * and "{\K<BASE+i>}" after it (override blocks: no width, never split).
 * The marker at s: its length, the word and whether it ends the word; 0
 * if there is none at s. */
size_t zimu__mark_at(const char *s, long *word, int *is_end);
/* Words whose start marker is in text, in order; returns their count. */
size_t zimu__page_words(const char *text, long *out, size_t max);

#endif
