/* util_ass.h - the Format lines of an ASS script's [V4+ Styles] and
 * [Events] sections, as string literals to splice into test scripts; a
 * libass renderer set up as zimu's. */
#ifndef TU_ASS_H
#define TU_ASS_H

#include <ass/ass.h>

/* A libass library that logs nothing (NULL when out of memory). */
ASS_Library *tu_ass_library(void);
/* A renderer of w x h frames, without hinting, with complex shaping and
 * the fonts of conf (a fontconfig file of zimu__fonts_config(); NULL: the
 * system's), Noto Sans CJK SC by default, as zimu renders (NULL when out
 * of memory). */
ASS_Renderer *tu_ass_renderer(ASS_Library *lib, int w, int h, const char *conf);

#define TU_ASS_STYLE_FORMAT                                                  \
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "     \
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, " \
    "ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "      \
    "MarginL, MarginR, MarginV, Encoding\n"
#define TU_ASS_EVENT_FORMAT                                                  \
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "   \
    "Effect, Text\n"

#endif
