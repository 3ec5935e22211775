/* libass.h - what the linked libass can do, and how zimu uses it.
 *
 * zimu breaks lines itself, measuring text the way libass 0.17.x sizes and
 * shapes it (lib/fonts/measure.c), because Debian 12's libass 0.17.1 is
 * built without libunibreak and breaks lines only at spaces. Another
 * libass may size text differently; if it can break Unicode text itself
 * (ASS_FEATURE_WRAP_UNICODE), zimu lets it re-break a line that comes out
 * wider than measured rather than let it run off the frame. */
#ifndef ZIMU_LIBASS_H
#define ZIMU_LIBASS_H

#include "internal.h"

enum {
    ZIMU__WRAP_OWN = 0,      /* zimu's breaks only (WrapStyle 2) */
    ZIMU__WRAP_LIBASS_TOO,   /* zimu's breaks, and libass's Unicode wrapping
                                for what still overflows (WrapStyle 0) */
};

typedef struct zimu_libass_info {
    int version;        /* ass_library_version(), 0xMMmmpp00 */
    int wrap_unicode;   /* 1 if ASS_FEATURE_WRAP_UNICODE can be enabled */
    int measured;       /* 1 if zimu's measuring reproduces this version */
    int wrap;           /* ZIMU__WRAP_* chosen */
} zimu_libass_info;

/* The linked libass, looked at once per process. */
const zimu_libass_info *zimu__libass_info(void);
/* The choice for a libass of this version and feature (pure; for tests). */
int zimu__libass_wrap_choice(int version, int wrap_unicode, int *measured);
/* One line saying what was chosen, for the log. */
void zimu__libass_describe(const zimu_libass_info *i, char *buf, size_t size);

#endif
