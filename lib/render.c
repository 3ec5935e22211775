/* render.c - libass set-up: library, fonts, renderer and the track. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "assgen.h"
#include "fonts.h"
#include "render.h"

struct zimu_render {
    zimu_ctx *c;
    ASS_Library *lib;
    ASS_Renderer *r;
    ASS_Track *t;
};

/* libass levels: 0 fatal .. 7 debug. Most of its level-2..4 chatter is
 * about font selection; keep errors and warnings visible. */
static void ass_msg(int level, const char *fmt, va_list va, void *data)
{
    zimu_ctx *c = data;
    int zl = level <= 1 ? ZIMU_LOG_ERROR : level <= 2 ? ZIMU_LOG_WARNING
           : level <= 4 ? ZIMU_LOG_INFO : ZIMU_LOG_DEBUG;
    if (!c || !c->log_cb || zl > c->log_level)
        return;
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "libass: ");
    vsnprintf(buf + n, sizeof buf - n, fmt, va);
    zimu__log(c, zl, "%s", buf);
}

/* The kept ASS script, with its own play size and styles. */
static int open_script(zimu_ctx *c, zimu_render *r, const zimu_cues *cues,
                       const zimu_render_opts *o)
{
    /* ass_read_memory wants a writable, NUL-terminated buffer. */
    char *copy = malloc(cues->ass_size + 1);
    if (!copy)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    memcpy(copy, cues->ass_script, cues->ass_size);
    copy[cues->ass_size] = 0;
    r->t = ass_read_memory(r->lib, copy, cues->ass_size, NULL);
    free(copy);
    if (!r->t)
        return zimu__fail(c, ZIMU_ESUBS, "the ASS script cannot be read by libass");
    /* A script made for another aspect (16:9 on a 9:16 output) is drawn
     * into the picture's rectangle so its lines stay on screen. */
    int pw = o->pic_w > 0 ? o->pic_w : o->width, ph = o->pic_h > 0 ? o->pic_h : o->height;
    double sa = r->t->PlayResX > 0 && r->t->PlayResY > 0
                ? (double)r->t->PlayResX / r->t->PlayResY : 4.0 / 3;
    double fa = (double)o->width / o->height;
    if ((pw != o->width || ph != o->height) && (sa / fa > 1.02 || fa / sa > 1.02)) {
        ass_set_storage_size(r->r, pw, ph);
        ass_set_margins(r->r, o->pic_y, o->height - o->pic_y - ph, o->pic_x,
                        o->width - o->pic_x - pw);
        ass_set_use_margins(r->r, 0);
    }
    return 0;
}

int zimu__render_new(zimu_ctx *c, zimu_render **pr, const zimu_cues *cues,
                     const zimu_render_opts *o)
{
    *pr = NULL;
    struct stat sb;
    if (o->fonts_dir && (stat(o->fonts_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
        return zimu__fail(c, ZIMU_EFONT, "%s: fonts directory does not exist", o->fonts_dir);
    zimu_render *r = calloc(1, sizeof *r);
    if (!r)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    r->c = c;
    r->lib = ass_library_init();
    if (!r->lib)
        goto nomem;
    ass_set_message_cb(r->lib, ass_msg, c);
    ass_set_extract_fonts(r->lib, 1);
    if (o->fonts_dir)
        ass_set_fonts_dir(r->lib, o->fonts_dir);
    r->r = ass_renderer_init(r->lib);
    if (!r->r)
        goto nomem;
    ass_set_frame_size(r->r, o->width, o->height);
    ass_set_storage_size(r->r, o->width, o->height);
    ass_set_hinting(r->r, ASS_HINTING_NONE);
    ass_set_shaper(r->r, ASS_SHAPING_COMPLEX);
    /* Our fontconfig configuration maps Chinese Windows/Mac font names to
     * Noto CJK SC and puts the SC face first for Han text. fontconfig reads
     * it here and when measuring; then the file can go. */
    const char *family = o->font && *o->font ? o->font : ZIMU__FONT_DEFAULT;
    char *conf = NULL;
    int e = zimu__fonts_config(c, o->fonts_dir, &conf);
    if (e < 0) {
        zimu__render_free(&r);
        return e;
    }
    ass_set_fonts(r->r, NULL, family, ASS_FONTPROVIDER_FONTCONFIG, conf, 1);

    if (cues->ass_script)
        e = open_script(c, r, cues, o);
    else {
        zimu_layout lay = {.width = o->width, .height = o->height, .font = family,
                           .fonts_conf = conf};
        e = zimu__assgen_track(c, r->lib, cues, &lay, &r->t);
    }
    unlink(conf);
    free(conf);
    if (e < 0) {
        zimu__render_free(&r);
        return e;
    }
    *pr = r;
    return 0;
nomem:
    zimu__render_free(&r);
    return zimu__fail(c, ZIMU_ENOMEM, "cannot set up libass");
}

ASS_Image *zimu__render_frame(zimu_render *r, int64_t ms, int *changed)
{
    return ass_render_frame(r->r, r->t, (long long)ms, changed);
}

void zimu__render_free(zimu_render **pr)
{
    zimu_render *r = pr ? *pr : NULL;
    if (!r)
        return;
    if (r->t)
        ass_free_track(r->t);
    if (r->r)
        ass_renderer_done(r->r);
    if (r->lib)
        ass_library_done(r->lib);
    free(r);
    *pr = NULL;
}
