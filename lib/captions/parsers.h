/* parsers.h - one parser per caption format, called by the dispatcher
 * (subs.c) and by nothing above the captions layer. */
#ifndef ZIMU_PARSERS_H
#define ZIMU_PARSERS_H

#include "cue.h"
#include "internal.h"

/* Default reading speed of plain text, characters per second. */
#define ZIMU__TXT_DEFAULT_CPS 4.0
/* How long the last line of an LRC file stays when nothing says. */
#define ZIMU__LRC_LAST_MS 5000

/* One parser per format. data is UTF-8 without BOM, need not be
 * NUL-terminated. Each appends to out and returns 0 or a ZIMU_E* code with
 * "name:LINE: reason" in c. */
int zimu__parse_srt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out);
/* ASS/SSA: out gets the script's header and its Dialogue events as cues
 * (replacing any cues it held; its fonts stay). */
int zimu__parse_ass(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out);
int zimu__parse_vtt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out);
/* last_ms: end of the last line when later than its start, else +5 s. */
int zimu__parse_lrc(zimu_ctx *c, const char *name, const char *data,
                    size_t size, int64_t last_ms, zimu_cues *out);
int zimu__parse_whisper(zimu_ctx *c, const char *name, const char *data,
                        size_t size, zimu_cues *out);
/* Captions spread over clip_ms (0: as long as reading needs) at cps
 * characters per second (<= 0: the default). */
int zimu__parse_txt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, double cps, int64_t clip_ms, zimu_cues *out);

#endif
