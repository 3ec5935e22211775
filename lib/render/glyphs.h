/* glyphs.h - characters of the captions that no font can draw. */
#ifndef ZIMU_GLYPHS_H
#define ZIMU_GLYPHS_H

#include "capopts.h"
#include "cue.h"
#include "internal.h"

/* Check that every character the captions show (cue text outside override
 * blocks and drawings, and the title) has a glyph in a font libass would
 * draw it with: the captions' family (cap->font, else Noto Sans CJK SC),
 * else any font of the fallback order. Each character that has none is
 * reported once, at its first caption: "sub.srt: caption 3 at 0:00:04.000:
 * U+13000 (𓀀) has no glyph in any font; it would show as an empty box".
 * The cue model keeps no source lines, so the caption is named by its
 * index in cues (from 1) and its start time. With cap->missing_glyphs
 * ZIMU_GLYPHS_WARN each is a warning in c's log and 0 is returned; with
 * ZIMU_GLYPHS_ERROR the first is ZIMU_EGLYPH with that message. cover: the
 * title only (a cover shows no captions). One pass over the text, one font
 * lookup per distinct character. 0, ZIMU_EGLYPH or ZIMU_ENOMEM. */
int zimu__glyphs_check(zimu_ctx *c, zimu_fonts *fonts, const zimu_cues *cues,
                       const zimu_capopts *cap, int cover);

#endif
