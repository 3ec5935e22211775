/* libass.c - what the linked libass can do, looked at once per process. */
#include <pthread.h>
#include <stdio.h>

#include <ass/ass.h>

#include "libass.h"

/* The versions whose font sizing and shaping measure.c reproduces. */
#define MEASURED_MIN 0x01700000
#define MEASURED_END 0x01800000

int zimu__libass_wrap_choice(int version, int wrap_unicode, int *measured)
{
    int m = version >= MEASURED_MIN && version < MEASURED_END;
    if (measured)
        *measured = m;
    return !m && wrap_unicode ? ZIMU__WRAP_LIBASS_TOO : ZIMU__WRAP_OWN;
}

static zimu_libass_info info;

static void look(void)
{
    info.version = ass_library_version();
    ASS_Library *lib = ass_library_init();
    ASS_Track *t = lib ? ass_new_track(lib) : NULL;
    info.wrap_unicode = t && ass_track_set_feature(t, ASS_FEATURE_WRAP_UNICODE, 1) == 0;
    if (t)
        ass_free_track(t);
    if (lib)
        ass_library_done(lib);
    info.wrap = zimu__libass_wrap_choice(info.version, info.wrap_unicode, &info.measured);
}

const zimu_libass_info *zimu__libass_info(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, look);
    return &info;
}

void zimu__libass_describe(const zimu_libass_info *i, char *buf, size_t size)
{
    snprintf(buf, size, "libass %d.%d.%d%s: %s", (i->version >> 24) & 0xff,
             (i->version >> 16) & 0xff, (i->version >> 8) & 0xff,
             i->wrap_unicode ? zimu__tr(" with Unicode line breaking")
                             : zimu__tr(" without Unicode line breaking"),
             i->wrap == ZIMU__WRAP_LIBASS_TOO
                 ? zimu__tr("zimu breaks lines, and lets libass re-break any that come out "
                            "wider than zimu measured (zimu measures text as libass 0.17 "
                            "does)")
             : i->measured ? zimu__tr("zimu breaks lines itself, measured as this libass "
                                      "draws them")
                           : zimu__tr("zimu breaks lines itself; this libass may size text "
                                      "differently from 0.17, so lines may come out wider "
                                      "than measured"));
}
