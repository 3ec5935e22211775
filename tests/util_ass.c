/* util_ass.c - see util_ass.h. */
#include <stdarg.h>

#include "fonts.h"
#include "util_ass.h"

static void quiet(int level, const char *fmt, va_list ap, void *data)
{
    (void)level;
    (void)fmt;
    (void)ap;
    (void)data;
}

ASS_Library *tu_ass_library(void)
{
    ASS_Library *lib = ass_library_init();
    if (lib)
        ass_set_message_cb(lib, quiet, NULL);
    return lib;
}

ASS_Renderer *tu_ass_renderer(ASS_Library *lib, int w, int h, const char *conf)
{
    ASS_Renderer *r = ass_renderer_init(lib);
    if (!r)
        return NULL;
    ass_set_frame_size(r, w, h);
    ass_set_storage_size(r, w, h);
    ass_set_hinting(r, ASS_HINTING_NONE);
    ass_set_shaper(r, ASS_SHAPING_COMPLEX);
    ass_set_fonts(r, NULL, ZIMU__FONT_DEFAULT, ASS_FONTPROVIDER_FONTCONFIG, conf, 1);
    return r;
}
