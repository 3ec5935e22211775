/* background.h - the coloured cards of a stand-alone flash video: for each
 * span of time a solid colour or a two-colour gradient, drawn as frames of
 * a generated video source (lib/media/cardsrc.c). */
#ifndef ZIMU_BACKGROUND_H
#define ZIMU_BACKGROUND_H

#include <stddef.h>
#include <stdint.h>

enum {
    ZIMU__BG_SOLID = 0,    /* c1 everywhere */
    ZIMU__BG_GRADIENT,     /* c1 at one edge to c2 at the other, along angle */
};

typedef struct zimu_bg {
    int64_t start_ms, end_ms;  /* [start, end) on the video's timeline */
    int kind;                  /* ZIMU__BG_* */
    uint8_t c1[3], c2[3];      /* RGB */
    int angle;                 /* gradient direction in degrees: 0 top to
                                  bottom, 90 left to right, 45 diagonal */
} zimu_bg;

typedef struct zimu_bgs {
    zimu_bg *v;
    size_t n, cap;
} zimu_bgs;

#endif
