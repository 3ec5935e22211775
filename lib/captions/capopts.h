/* capopts.h - how captions are read, timed and laid out: the settings a
 * burn job and a zimu_subs handle share. */
#ifndef ZIMU_CAPOPTS_H
#define ZIMU_CAPOPTS_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

typedef struct zimu_capopts {
    /* reading */
    char *charenc;          /* NULL: detect */
    int sub_stream;         /* input's subtitle stream index, -1: off */
    double cps;             /* plain-text reading speed, <= 0: default */
    int64_t max_file_size;  /* most bytes read of a caption or style file */
    /* timing */
    int64_t shift_ms;
    double time_scale;      /* 1: none */
    int overlap;            /* ZIMU_OVERLAP_* */
    int64_t min_ms;
    /* layout */
    char *style;            /* preset name or style file; NULL: classic */
    char **style_keys, **style_values; /* overrides, in order */
    size_t n_style_opts;
    char *safe_area;        /* NULL: douyin when vertical, else none */
    int max_lines;          /* default 2 */
    int highlight;
    char *title;
    char *font;             /* family of every text style, NULL: the style's */
    int chinese;            /* Chinese conversion (chinese.h), 0: none; a
                               job converts its captions, a renderer its
                               title */
    char *logo;             /* PNG path or NULL */
    int logo_corner;
    double logo_width;
    /* checks */
    int missing_glyphs;     /* ZIMU_GLYPHS_*: a character no font has */
} zimu_capopts;

void zimu__capopts_init(zimu_capopts *o);
void zimu__capopts_clear(zimu_capopts *o);
/* Append a style override (copied). 0 or ZIMU_ENOMEM. */
int zimu__capopts_add_style_opt(zimu_capopts *o, const char *key, const char *value);
/* *dst = a copy of o (deep). 0 or ZIMU_ENOMEM (dst then empty). */
int zimu__capopts_copy(zimu_capopts *dst, const zimu_capopts *o);

/* The layout setters the job and the renderer share (zimu.h documents
 * them): check the value, keep it, or fail with the message in c. */
int zimu__cap_set_str(zimu_ctx *c, char **dst, const char *src);
int zimu__cap_set_style_option(zimu_ctx *c, zimu_capopts *o, const char *key,
                               const char *value);
/* "key=value,key=value": each pair as zimu__cap_set_style_option. */
int zimu__cap_set_style_options(zimu_ctx *c, zimu_capopts *o, const char *settings);
int zimu__cap_set_max_lines(zimu_ctx *c, zimu_capopts *o, int max_lines);
int zimu__cap_set_logo(zimu_ctx *c, zimu_capopts *o, const char *png_path,
                       int corner, double width_fraction);

#endif
