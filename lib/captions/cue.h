/* cue.h - the one thing every caption source becomes. */
#ifndef ZIMU_CUE_H
#define ZIMU_CUE_H

#include <stddef.h>
#include <stdint.h>

/* The latest time a caption parser takes: 999,999,999 hours, the most
 * WebVTT's and whisper's readers read (every other format's reader takes
 * less); the sum of two such times is far from overflowing int64. */
#define ZIMU__MAX_TIME_MS ((int64_t)999999999 * 3600000)

/* Timing of one word (or token) inside a cue's text, for word highlight.
 * off/len are byte offsets into zimu_cue.text. */
typedef struct zimu_word {
    int64_t start_ms, end_ms;
    size_t off, len;
} zimu_word;

/* What an event of an ASS/SSA script holds besides its times, so that it
 * is drawn and written back as it was: its fields as libass reads them, and
 * its Text field exactly as in the file (override blocks, \N, \h). */
typedef struct zimu_ass_event {
    char *style;      /* the Style field (trimmed), "" when empty */
    char *name;       /* the Name (actor) field */
    char *effect;     /* the Effect field */
    int margin_l, margin_r, margin_v;
    unsigned char margin_digits[3]; /* written with at least this many
                                       digits ("0000" in SSA files) */
    char *text;       /* the raw Text field */
    int64_t order;    /* place in the file (events added later: after) */
    size_t line;      /* its line in the file, for messages; 0: not known */
} zimu_ass_event;

/* Animations of a cue (a flash card), drawn by the renderer as libass
 * override tags (lib/render/anim.c). Each of in, out and loop is a
 * ZIMU__FX_* or ZIMU__FX_NONE; they combine (an in, a loop while the card
 * holds, an out). Durations in ms; 0 takes the default, which follows
 * beat_ms (the music's beat length; 0: 500 ms). */
enum {
    ZIMU__FX_NONE = 0,
    ZIMU__FX_POP,         /* scale from small, overshoot, settle */
    ZIMU__FX_ZOOM_IN,     /* scale up from small (in) / to large (out) */
    ZIMU__FX_ZOOM_OUT,    /* scale down from large (in) / to nothing (out) */
    ZIMU__FX_FADE,
    ZIMU__FX_SLIDE_LEFT,  /* comes in from (goes out to) the left */
    ZIMU__FX_SLIDE_RIGHT,
    ZIMU__FX_SLIDE_UP,    /* from (to) the top */
    ZIMU__FX_SLIDE_DOWN,  /* from (to) the bottom */
    ZIMU__FX_TYPEWRITER,  /* one more character at each step */
    ZIMU__FX_BOUNCE,      /* each character bounces, one after another */
    ZIMU__FX_SHAKE,
    ZIMU__FX_SPIN,
    ZIMU__FX_STROBE,      /* flashes on and off */
    ZIMU__FX_PULSE,       /* loop: grows and shrinks on each beat */
    ZIMU__FX_COUNT
};

typedef struct zimu_cue_fx {
    int in, out, loop;            /* ZIMU__FX_* */
    int in_ms, out_ms, loop_ms;   /* 0: default; loop_ms is the period */
    int beat_ms;                  /* beat length the defaults follow */
} zimu_cue_fx;

/* Keyword spans (flash cards: *上直播*) are marked in a cue's text by the
 * override blocks ZIMU__KEY_ON and ZIMU__KEY_OFF; libass never sees them:
 * the renderer draws the span in the look's highlight colour and scale. */
#define ZIMU__KEY_ON "{\\zimukey1}"
#define ZIMU__KEY_OFF "{\\zimukey0}"

/* One caption. text is UTF-8; '\n' is a line break the author asked for;
 * inline styling is kept as ASS override blocks ("{\i1}...{\i0}",
 * "{\c&H0000FF&}") and a literal '{' or '}' of the source text is replaced
 * by its fullwidth form. Everything else in text is shown as it is. */
typedef struct zimu_cue {
    int64_t start_ms, end_ms; /* [start, end), source timeline */
    char *text;
    char *style;      /* style name, or NULL for the default style */
    int align;        /* 0: the style's; else 1..9 as on a numeric keypad */
    double pos_x, pos_y; /* anchor as fractions of the frame, < 0 if unset */
    int layer;
    size_t line;      /* where in its file the cue is (its timing line),
                         for messages; 0: not known */
    zimu_ass_event *ass; /* an event of the script in zimu_cues.ass_header,
                            or NULL */
    zimu_word *words; /* NULL or n_words timed words, in order */
    size_t n_words;
    zimu_cue_fx *fx;  /* NULL, or the card's animations */
    char *look;       /* NULL, or style settings for this cue alone, on
                         top of the caption style: "base=NAME,key=value"
                         as zimu_job_set_style_options() takes them */
} zimu_cue;

/* A font file that came with the captions (a Matroska attachment). */
typedef struct zimu_font {
    char *name;        /* its file name */
    void *data;
    size_t size;
} zimu_font;

/* A list of cues; for an ASS/SSA script, its events (each cue's ass) and
 * its header: every line of the file but the Dialogue and Comment lines
 * (Script Info, styles, fonts, the [Events] section's Format line), so
 * that header plus events is the script. */
typedef struct zimu_cues {
    zimu_cue *v;
    size_t n, cap;
    char *ass_header;  /* non-NULL: the cues are an ASS/SSA script's events */
    size_t ass_header_len;
    size_t ass_events_at; /* where in the header the event lines go */
    zimu_font *fonts;  /* n_fonts fonts the script may ask for by name */
    size_t n_fonts;
    char *name;        /* the file they were read from, for messages; NULL:
                          not known */
    int han;           /* the script a Chinese conversion wrote them in
                          (chinese.h ZIMU__HAN_*), 0: not converted */
} zimu_cues;

/* Append a cue; text (and style) are copied. Returns the new cue or NULL
 * when out of memory. */
zimu_cue *zimu__cues_add(zimu_cues *l, int64_t start_ms, int64_t end_ms,
                         const char *text, size_t text_len);
/* Add a word timing to a cue. 0 or ZIMU_ENOMEM. */
int zimu__cue_add_word(zimu_cue *c, int64_t start_ms, int64_t end_ms,
                       size_t off, size_t len);
/* Add a font (name and data are copied). 0 or ZIMU_ENOMEM. */
int zimu__cues_add_font(zimu_cues *l, const char *name, const void *data, size_t size);
/* Give cue q an ASS event: the fields of the default style, text (cue
 * text: '\n' and override blocks) turned into ASS text. 0 or ZIMU_ENOMEM. */
int zimu__cue_make_ass(zimu_cue *q, int64_t order);
/* The raw ASS text of cue text ('\n' -> "\N"), malloc'd, or NULL. */
char *zimu__ass_text_from_cue(const char *text);
/* Where a warning about a caption points, after the file's name: ":LINE"
 * when the caption has a line (line > 0), else ": the caption at 12.345 s"
 * (at_ms >= 0; translated), else "". */
void zimu__caption_where(char *buf, size_t size, size_t line, int64_t at_ms);
/* Free what a cue holds (not the cue itself). */
void zimu__cue_free(zimu_cue *q);
/* Stable sort by start time. 0 or ZIMU_ENOMEM. */
int zimu__cues_sort(zimu_cues *l);
/* *dst = a deep copy of src. 0 or ZIMU_ENOMEM (dst then empty). */
int zimu__cues_copy(zimu_cues *dst, const zimu_cues *src);
/* Free every cue, the script and the fonts; the list is empty afterwards. */
void zimu__cues_clear(zimu_cues *l);

#endif
