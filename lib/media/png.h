/* png.h - write one frame as a PNG file. */
#ifndef ZIMU_PNG_H
#define ZIMU_PNG_H

#include <libavutil/frame.h>

#include "internal.h"

/* Convert a yuv420p frame (its own matrix and range) to RGB and write it
 * to path through a temporary file in the same directory. */
int zimu__write_png(zimu_ctx *c, const AVFrame *frame, const char *path);

#endif
