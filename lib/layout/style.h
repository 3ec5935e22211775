/* style.h - caption styles (presets, style files, overrides) and the safe
 * areas of the short-video apps.
 *
 * A style is three text styles: captions, the title (zimu_job_set_title)
 * and the cover (zimu_job_cover). They are set with "key = value" lines,
 * the same in a preset, a style file and an override; a key for the title
 * or the cover carries the prefix "title." or "cover." ("title.size").
 *
 * Lengths are a fraction or pixels ("60px"). A fraction is of the frame's
 * long side for sizes and thicknesses (size, outline, shadow, spacing,
 * box_padding, box_radius, accent_width, outline2, glow, shadow_x,
 * shadow_y): the height of a vertical frame,
 * the width of a landscape one, so text keeps its size on a phone screen
 * whichever way the clip is watched full screen. margin_v is a fraction of
 * the frame height and margin_h of the frame width. */
#ifndef ZIMU_STYLE_H
#define ZIMU_STYLE_H

#include <stddef.h>
#include <stdint.h>

#include "capopts.h"
#include "chinese.h"
#include "internal.h"

typedef struct zimu_color {
    uint8_t r, g, b, a; /* a: opacity, 255 = opaque */
} zimu_color;

typedef struct zimu_len {
    double v;
    int px; /* 1: v is pixels; 0: v is a fraction (see above) */
} zimu_len;

enum {
    ZIMU__BOX_NONE = 0,
    ZIMU__BOX_RECT,    /* a box around the caption, square corners */
    ZIMU__BOX_ROUNDED, /* the same, rounded corners (box_radius) */
    ZIMU__BOX_BAR,     /* a bar across the safe area (lower third) */
    ZIMU__BOX_BUBBLE,  /* a rounded box with a small tail below its left
                          part: a speech bubble */
};

enum {
    ZIMU__HL_WORD = 0, /* only the word being spoken is coloured */
    ZIMU__HL_FILL,     /* the words spoken so far are coloured */
};

#define ZIMU__FONT_MAX 128

typedef struct zimu_text_style {
    char font[ZIMU__FONT_MAX];
    int font_chosen;     /* font was set by the user (a style file or
                            option, zimu_job_set_font), not by a preset */
    int bold, italic;
    zimu_len size;
    zimu_color color, outline_color, shadow_color, box_color;
    zimu_color accent_color, highlight_color;
    zimu_len outline, shadow, spacing;
    zimu_len box_padding, box_radius, accent_width;
    zimu_len margin_v, margin_h;
    int box;             /* ZIMU__BOX_* */
    int align;           /* 1..9 as on a numeric keypad */
    int highlight;       /* word highlight on (also zimu_job_set_highlight) */
    int highlight_mode;  /* ZIMU__HL_* */
    int highlight_scale; /* percent size of the word being spoken */
    /* Flash looks (花字). Each is off at 0 (or none). */
    zimu_len outline2;   /* a second outline, this much wider than the
                            first, drawn under it (an event on a lower
                            layer with \bord outline + outline2) */
    zimu_color outline2_color;
    zimu_len glow;       /* a blurred halo this wide around the text (an
                            event on a lower layer with \bord and \blur) */
    zimu_color glow_color;
    zimu_len shadow_x, shadow_y; /* a hard shadow shifted right and down by
                            these (\xshad \yshad), in shadow_color; set:
                            they replace shadow */
    int first_line_scale; /* percent size of the first line of a text (up
                            to its first line break, or all of it if it
                            has none), measured and drawn that size: a
                            big number over a small caption. 100: off */
} zimu_text_style;

typedef struct zimu_style {
    zimu_text_style caption, title, cover;
} zimu_style;

/* A safe area: the parts of the frame, as fractions of its height (top,
 * bottom) and width (left, right), that the app covers with its own
 * buttons and text. */
typedef struct zimu_safe_area {
    const char *name;
    double top, bottom, left, right;
    const char *what; /* one line: what lies there */
} zimu_safe_area;

/* The preset named name into *st (its base keys, then its own). 0, or
 * ZIMU_ESTYLE if there is no such preset (no message). */
int zimu__style_preset(const char *name, zimu_style *st);

/* Apply a style file's lines (bytes data[0..size), UTF-8, need not be
 * NUL-terminated) on top of *st. name is used in messages:
 * "name:LINE: key 'size': reason". A key "base" (first, if present) starts
 * over from that preset. 0, ZIMU_ESTYLE or ZIMU_ENOMEM (message in c). */
int zimu__style_parse(zimu_ctx *c, const char *name, const char *data,
                      size_t size, zimu_style *st);

/* Set one key. where prefixes messages ("style.txt:3" or "style option"):
 * "where: key 'x': reason". 0 or ZIMU_ESTYLE. */
int zimu__style_set(zimu_ctx *c, zimu_style *st, const char *key,
                    const char *value, const char *where);

/* The style of a job: the preset or file cap->style (NULL: classic), then
 * font (may be NULL) as every family, then cap's overrides in order.
 * cap may be NULL (all defaults). 0, ZIMU_ESTYLE, ZIMU_ENOMEM. */
int zimu__style_resolve(zimu_ctx *c, const zimu_capopts *cap, const char *font,
                        zimu_style *st);

/* Chinese text in its own face: every text style whose font no one chose
 * (the presets' Noto Sans CJK SC) gets Noto Sans CJK TC for Traditional
 * text, HK for Hong Kong text (chinese.h ZIMU__HAN_*; SC and unset keep
 * SC). The captions' style follows han_caption; the title's and the
 * cover's (which shows the title) han_title. */
void zimu__style_han_faces(zimu_style *st, int han_caption, int han_title);

/* The safe area named name for a width x height frame; NULL name: douyin
 * when the frame is taller than wide, else none. 0, or ZIMU_ESTYLE with a
 * message naming the choices. */
int zimu__safe_area(zimu_ctx *c, const char *name, int width, int height,
                    zimu_safe_area *out);
/* The table's name for a user's name of a safe area: "wechat" is
 * "channels"; others are returned as given. */
const char *zimu__safe_area_name(const char *name);
/* The table, for documentation and tests: n entries. */
const zimu_safe_area *zimu__safe_areas(size_t *n);

/* A length in pixels: fractions of ref. */
double zimu__len_px(zimu_len l, double ref);

/* The presets' names, "classic, box, ...", for messages. */
const char *zimu__style_preset_names(void);

/* The text of preset i (the lines it applies after the base), or NULL. */
const char *zimu__style_preset_text(int i);

#endif
