/* substream.h - captions from a subtitle stream inside the input file.
 *
 * Text subtitle streams (mov_text in MP4, SubRip, WebVTT, ASS/SSA in
 * Matroska, and any other stream FFmpeg decodes to ASS events) become cues;
 * an ASS/SSA track is rebuilt into the script it came from (its header plus
 * one Dialogue line per event) and kept as a script, so its own styles and
 * play size hold. Picture-based streams (PGS, DVD, DVB) are refused. */
#ifndef ZIMU_SUBSTREAM_H
#define ZIMU_SUBSTREAM_H

#include "cue.h"
#include "sbuf.h"
#include "internal.h"
#include "subs.h"

typedef struct zimu_substream_src {
    const char *path;          /* the input file, or NULL with read_cb */
    zimu_read_fn read_cb;      /* caller-supplied input: needs seek_cb, */
    zimu_seek_fn seek_cb;      /* since it is read from its start; its */
    void *io_opaque;           /* position is restored afterwards */
    const char *name;          /* for messages; NULL: path or "input" */
    const char *charenc;       /* encoding of text that is not UTF-8 (iconv
                                  name); NULL: detected */
} zimu_substream_src;

/* Read subtitle stream number index (0 = the file's first subtitle stream)
 * into out (appended; out should be empty). Times are milliseconds from the
 * file's start time, the timeline frames are rendered on. Errors, each
 * naming the file: ZIMU_ESUBS (no such stream, with the count; a picture
 * stream; no decoder; a damaged packet), ZIMU_ECHARSET (text that is not
 * valid in its encoding), ZIMU_ENOENT / ZIMU_ENOTVIDEO (the file itself),
 * ZIMU_EINVAL (caller-supplied input without seek), ZIMU_ENOMEM. */
int zimu__substream_read(zimu_ctx *c, const zimu_substream_src *src, int index,
                         zimu_cues *out);

/* One event's text as FFmpeg's decoders give it (the Text field of an ASS
 * Dialogue line) appended to b as cue text: override blocks kept, \N a line
 * break, \h a no-break space, \n a space, \{ \} and braces that enclose no
 * override tag literal (fullwidth, as cue text keeps them). A block that is
 * exactly {\anN} sets *align (may be NULL) instead, as an SRT file's would. */
void zimu__substream_text(zimu_sbuf *b, const char *s, size_t n, int *align);

#endif
