/* load.h - the one way burns and zimu_subs load a caption file: parse it
 * with the reading settings, then retime it (timing.h). */
#ifndef ZIMU_LOAD_H
#define ZIMU_LOAD_H

#include "capopts.h"
#include "cue.h"
#include "internal.h"

/* Parse a caption file's bytes with the reading settings of o (encoding,
 * reading speed) and retime the cues with its timing settings, clamped to
 * [clip_from, clip_to) of the source timeline (clip_to 0: the end is not
 * known). The last LRC line ends at clip_to; plain text is spread over
 * [clip_from, clip_to). The events of an ASS script are retimed like any
 * cue, but only scaled and shifted (zimu__timing_apply). On failure out is
 * left empty. */
int zimu__captions_load(zimu_ctx *c, const zimu_capopts *o, const char *name,
                        const char *data, size_t size, int64_t clip_from,
                        int64_t clip_to, zimu_cues *out);

/* The same from the file at path, read up to o->max_file_size: a file that
 * is missing, unreadable or too large is ZIMU_ESUBS naming it (a caption
 * problem: ZIMU_ENOENT is for input videos), and a parse error names it
 * as the error file too (zimu_errfile). */
int zimu__captions_load_file(zimu_ctx *c, const zimu_capopts *o, const char *path,
                             int64_t clip_from, int64_t clip_to, zimu_cues *out);

#endif
