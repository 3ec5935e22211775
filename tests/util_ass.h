/* util_ass.h - the Format lines of an ASS script's [V4+ Styles] and
 * [Events] sections, as string literals to splice into test scripts. */
#ifndef TU_ASS_H
#define TU_ASS_H

#define TU_ASS_STYLE_FORMAT                                                  \
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "     \
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, " \
    "ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "      \
    "MarginL, MarginR, MarginV, Encoding\n"
#define TU_ASS_EVENT_FORMAT                                                  \
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "   \
    "Effect, Text\n"

#endif
