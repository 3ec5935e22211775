/* loudness.h - the integrated loudness (ITU-R BS.1770, EBU R128) of
 * 48 kHz stereo float sound, measured by libavfilter's ebur128 filter:
 * the meter of `ffmpeg -af ebur128`, so the level a mix is brought to is
 * the level a check of the output file reads.
 *
 * Use: new, add the sound in pieces of any length, lufs once at the end,
 * free. */
#ifndef ZIMU_LOUDNESS_H
#define ZIMU_LOUDNESS_H

#include "internal.h"

typedef struct zimu_loudness zimu_loudness;

/* A meter for 48000 Hz stereo interleaved float. 0, or ZIMU_ENOMEM /
 * ZIMU_EFFMPEG (the filter graph could not be built) with the message in
 * c. c must outlive the meter. */
int zimu__loudness_new(zimu_ctx *c, zimu_loudness **out);
/* Measure the next n samples (2 n floats). 0 or a negative error (with
 * the message in the meter's ctx); ZIMU_EINVAL after zimu__loudness_lufs. */
int zimu__loudness_add(zimu_loudness *l, const float *x, int n);
/* The integrated loudness in LUFS of everything added (the 400 ms blocks
 * every 100 ms that fit in it, gated at -70 LUFS and 10 LU under their
 * mean); -HUGE_VAL when it is too quiet to measure: no block reached
 * -70 LUFS (silence) or shorter than one block (400 ms). Ends the
 * measurement: call once. 0 or a negative error. */
int zimu__loudness_lufs(zimu_loudness *l, double *lufs);
void zimu__loudness_free(zimu_loudness **l);

#endif
