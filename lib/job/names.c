/* names.c - the names a command line or a settings file uses for the
 * library's choices (zimu_name()), so that help texts print the library's
 * own lists. The kinds span layers (fit modes are the media layer's, safe
 * areas and style presets the layout's), hence here, at the top. */
#include <string.h>

#include "chinese.h"
#include "internal.h"
#include "style.h"

typedef struct named {
    const char *name;
    int value;
    const char *description;
} named;

static const named fits[] = {
    {"auto", ZIMU_FIT_AUTO,
     N_("keep without a size; with one, blur when the shape changes, else pad")},
    {"keep", ZIMU_FIT_KEEP, N_("keep the input's size (after rotation); the size is ignored")},
    {"pad", ZIMU_FIT_PAD, N_("whole picture, black bars")},
    {"blur", ZIMU_FIT_BLUR, N_("whole picture over a blurred copy of itself")},
    {"crop", ZIMU_FIT_CROP, N_("fill the frame, cut the overflow")},
    {NULL, 0, NULL},
};

static const named overlaps[] = {
    {"keep", ZIMU_OVERLAP_KEEP, N_("show overlapping captions together")},
    {"merge", ZIMU_OVERLAP_MERGE, N_("join overlapping captions into one, lines stacked")},
    {"drop", ZIMU_OVERLAP_DROP, N_("end each caption where the next one starts")},
    {NULL, 0, NULL},
};

static const named corners[] = {
    {"tl", ZIMU_CORNER_TOP_LEFT, N_("top left")},
    {"tr", ZIMU_CORNER_TOP_RIGHT, N_("top right")},
    {"bl", ZIMU_CORNER_BOTTOM_LEFT, N_("bottom left")},
    {"br", ZIMU_CORNER_BOTTOM_RIGHT, N_("bottom right")},
    {NULL, 0, NULL},
};

/* The corners' long names, accepted by zimu_name_value() only. */
static const named corners_long[] = {
    {"top-left", ZIMU_CORNER_TOP_LEFT, NULL},
    {"top-right", ZIMU_CORNER_TOP_RIGHT, NULL},
    {"bottom-left", ZIMU_CORNER_BOTTOM_LEFT, NULL},
    {"bottom-right", ZIMU_CORNER_BOTTOM_RIGHT, NULL},
    {NULL, 0, NULL},
};

static const named glyph_actions[] = {
    {"warn", ZIMU_GLYPHS_WARN, N_("report each character no font can draw, and go on")},
    {"error", ZIMU_GLYPHS_ERROR, N_("fail at the first character no font can draw")},
    {NULL, 0, NULL},
};

/* libx264's presets, fastest first (its "placebo" is left out: it is not
 * worth its time). */
static const named presets[] = {
    {"ultrafast", 0, N_("fastest encoding, biggest files")},
    {"superfast", 1, N_("much faster than medium, much bigger files")},
    {"veryfast", 2, N_("faster than medium, bigger files")},
    {"faster", 3, N_("a little faster than fast")},
    {"fast", 4, N_("a little faster than medium")},
    {"medium", 5, N_("libx264's default balance of speed and size")},
    {"slow", 6, N_("slower than medium, smaller files")},
    {"slower", 7, N_("much slower, smaller files")},
    {"veryslow", 8, N_("slowest, smallest files")},
    {NULL, 0, NULL},
};

static const named *table(int kind)
{
    switch (kind) {
    case ZIMU_NAMES_FIT: return fits;
    case ZIMU_NAMES_OVERLAP: return overlaps;
    case ZIMU_NAMES_CORNER: return corners;
    case ZIMU_NAMES_PRESET: return presets;
    case ZIMU_NAMES_MISSING_GLYPHS: return glyph_actions;
    }
    return NULL;
}

/* Entry i of a static table, or NULL past its end. */
static const named *entry(const named *t, int i)
{
    for (int k = 0; t[k].name; k++)
        if (k == i)
            return &t[k];
    return NULL;
}

const char *zimu_name(int kind, int i)
{
    if (i < 0)
        return NULL;
    if (kind == ZIMU_NAMES_SAFE_AREA) {
        size_t n;
        const zimu_safe_area *sa = zimu__safe_areas(&n);
        return (size_t)i < n ? sa[i].name : NULL;
    }
    if (kind == ZIMU_NAMES_STYLE)
        return zimu_style_name(i);
    if (kind == ZIMU_NAMES_CHINESE)
        return zimu__chinese_mode_name(i + 1);
    const named *t = table(kind);
    const named *e = t ? entry(t, i) : NULL;
    return e ? e->name : NULL;
}

const char *zimu_name_description(int kind, int i)
{
    if (i < 0)
        return NULL;
    if (kind == ZIMU_NAMES_SAFE_AREA) {
        size_t n;
        const zimu_safe_area *sa = zimu__safe_areas(&n);
        return (size_t)i < n ? zimu__tr(sa[i].what) : NULL;
    }
    if (kind == ZIMU_NAMES_STYLE)
        return zimu_style_description(i);
    if (kind == ZIMU_NAMES_CHINESE)
        return zimu__chinese_mode_description(i + 1);
    const named *t = table(kind);
    const named *e = t ? entry(t, i) : NULL;
    return e ? zimu__tr(e->description) : NULL;
}

int zimu_name_value(int kind, const char *name)
{
    if (!name)
        return ZIMU_EINVAL;
    if (kind == ZIMU_NAMES_SAFE_AREA)
        name = zimu__safe_area_name(name);
    if (kind == ZIMU_NAMES_SAFE_AREA || kind == ZIMU_NAMES_STYLE || kind == ZIMU_NAMES_CHINESE) {
        const char *n;
        for (int i = 0; (n = zimu_name(kind, i)); i++)
            if (!strcmp(n, name))
                return i;
        return ZIMU_EINVAL;
    }
    const named *t = table(kind);
    if (!t)
        return ZIMU_EINVAL;
    for (int k = 0; t[k].name; k++)
        if (!strcmp(t[k].name, name))
            return t[k].value;
    if (kind == ZIMU_NAMES_CORNER)
        for (int k = 0; corners_long[k].name; k++)
            if (!strcmp(corners_long[k].name, name))
                return corners_long[k].value;
    return ZIMU_EINVAL;
}
