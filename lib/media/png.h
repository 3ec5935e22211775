/* png.h - write one frame as a PNG file. */
#ifndef ZIMU_PNG_H
#define ZIMU_PNG_H

#include <libavutil/frame.h>

#include "internal.h"

/* Convert a yuv420p frame (its own matrix and range) to RGB and write it
 * to path through a temporary file in the same directory, published as
 * zimu__temp_publish does (overwrite: replace a file that appeared at path
 * meanwhile). */
int zimu__write_png(zimu_ctx *c, const AVFrame *frame, const char *path, int overwrite);

/* Only PNG is written: refuse a path ending in another extension than
 * .png (any case; no extension is allowed) with ZIMU_EINVAL naming it. */
int zimu__png_check_name(zimu_ctx *c, const char *path);

#endif
