/* cardsrc.h - a generated video source: the coloured cards of a
 * stand-alone flash video (background.h), frame after frame, at a given
 * size and frame rate, as 8-bit 4:2:0 in BT.709 limited range (what every
 * other frame of zimu is in). Read through zimu_media_in (media_in.h,
 * zimu_in_opts.cards), so a burn, a preview and the encoder take it like a
 * clip. */
#ifndef ZIMU_CARDSRC_H
#define ZIMU_CARDSRC_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/frame.h>
#include <libavutil/rational.h>

#include "background.h"
#include "internal.h"

typedef struct zimu_cardsrc_opts {
    int width, height;        /* even, 16 or more */
    AVRational frame_rate;    /* frames a second (num/den, 1 to 240) */
    int64_t length_ms;        /* frames for [0, length): frame k at
                                 k * den / num seconds */
    const zimu_bg *bgs;       /* copied; where none covers a time: black */
    size_t n_bgs;
    int64_t from_ms, to_ms;   /* only the frames whose time is in
                                 [from, to) (to < 0: to the length); the
                                 first of them has pts 0 */
    int hold_last;            /* a preview: start at the frame on screen
                                 at from (the last one that starts at or
                                 before it), while there is one */
} zimu_cardsrc_opts;

typedef struct zimu_cardsrc zimu_cardsrc;

/* 0, or ZIMU_EINVAL (bad size or rate) / ZIMU_ENOMEM with the message. */
int zimu__cardsrc_open(zimu_ctx *c, zimu_cardsrc **out, const zimu_cardsrc_opts *o);
void zimu__cardsrc_free(zimu_cardsrc **s);

/* The next frame: 1 with *frame (owned by the source until the next call;
 * its pixels are shared with the source's cached background, so it is not
 * writable: a caller that draws on it puts the pixels back before the next
 * read, as with a decoder's private frame), its pts (in the time base
 * 1 / frame_rate) and *src_ms (its time on the script's timeline, floored
 * to ms); 0 at the end; or ZIMU_ENOMEM. */
int zimu__cardsrc_read(zimu_cardsrc *s, AVFrame **frame, int64_t *src_ms);

/* Frames and length of what is read (after the trim). */
int64_t zimu__cardsrc_frames(const zimu_cardsrc *s);
int64_t zimu__cardsrc_duration_ms(const zimu_cardsrc *s);

/* One background drawn into a yuv420p frame of its size (BT.709 limited
 * range); for the source's cache and for tests. */
void zimu__cardsrc_draw(AVFrame *f, const zimu_bg *bg);

#endif
