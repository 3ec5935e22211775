/* render.c - libass set-up: library, fonts, renderer and the track. */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "assgen.h"
#include "fontctx.h"
#include "libass.h"
#include "render.h"
#include "write_subs.h"
#include "ass_track.h"

struct zimu_render {
    zimu_ctx *c;
    ASS_Library *lib;
    ASS_Renderer *r;
    ASS_Track *t;
    /* The title beside a kept ASS script: its own renderer, because the
     * script may be drawn into the picture's rectangle while the title
     * belongs to the whole frame. The two image lists are joined in
     * copies (libass owns and links its own). */
    ASS_Renderer *r2;
    ASS_Track *t2;
    ASS_Image *joined;
    size_t joined_cap;
};

/* libass levels: 0 fatal .. 7 debug. Most of its level-2..4 chatter is
 * about font selection; keep errors and warnings visible. */
static void ass_msg(int level, const char *fmt, va_list va, void *data)
{
    zimu_ctx *c = data;
    int zl = level <= 1 ? ZIMU_LOG_ERROR : level <= 2 ? ZIMU_LOG_WARNING
           : level <= 4 ? ZIMU_LOG_INFO : ZIMU_LOG_DEBUG;
    /* A character no font has was reported before rendering, with its
     * caption (glyphs.c); libass says it again at every size and weight. */
    if (zl == ZIMU_LOG_WARNING && !strncmp(fmt, "fontselect: failed to find any fallback", 39))
        zl = ZIMU_LOG_DEBUG;
    if (!c || !c->log_cb || zl > c->log_level)
        return;
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "libass: ");
    zimu__vsnprintf(buf + n, sizeof buf - n, fmt, va);
    zimu__log(c, zl, "%s", buf);
}

/* The kept ASS script, with its own play size and styles. */
static int open_script(zimu_ctx *c, zimu_render *r, const zimu_cues *cues,
                       const zimu_render_opts *o)
{
    /* The header read by libass, the events (retimed when loaded) added
     * in milliseconds. */
    int e = zimu__ass_track_new(c, r->lib, cues, &r->t);
    if (e < 0)
        return e;
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
    zimu_render *r = calloc(1, sizeof *r);
    if (!r)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    r->c = c;
    r->lib = ass_library_init();
    if (!r->lib)
        goto nomem;
    ass_set_message_cb(r->lib, ass_msg, c);
    ass_set_extract_fonts(r->lib, 1);
    r->r = ass_renderer_init(r->lib);
    if (!r->r)
        goto nomem;
    ass_set_frame_size(r->r, o->width, o->height);
    ass_set_storage_size(r->r, o->width, o->height);
    ass_set_hinting(r->r, ASS_HINTING_NONE);
    ass_set_shaper(r->r, ASS_SHAPING_COMPLEX);
    /* The context's fontconfig configuration maps Chinese Windows/Mac font
     * names to Noto CJK SC and puts the SC face first for Han text; libass
     * builds its font provider from it (for every renderer: libass takes
     * a configuration only as a path), and text is measured with the
     * context's own font db. */
    const char *family = o->font && *o->font ? o->font : ZIMU__FONT_DEFAULT;
    char *conf = NULL;
    int e = zimu__fonts_conf_file(o->fonts, c, &conf);
    if (e < 0) {
        zimu__render_free(&r);
        return e;
    }
    if (zimu__fonts_dir(o->fonts))
        ass_set_fonts_dir(r->lib, zimu__fonts_dir(o->fonts));
    /* Fonts that came with the script (Matroska attachments), before
     * ass_set_fonts, which is when libass takes them in. */
    for (size_t i = 0; i < cues->n_fonts; i++)
        if (cues->fonts[i].size <= INT_MAX)
            ass_add_font(r->lib, cues->fonts[i].name, cues->fonts[i].data,
                         (int)cues->fonts[i].size);
    ass_set_fonts(r->r, NULL, family, ASS_FONTPROVIDER_FONTCONFIG, conf, 1);

    /* Generated captions take the family from their style (--font
     * replaces it there); the cover shows the title only. */
    zimu_layout lay = {.width = o->width, .height = o->height, .font = o->font,
                       .fonts = o->fonts, .cap = o->cap,
                       .pages = o->pages,
                       .han_caption = o->han_caption, .han_title = o->han_title,
                       .mode = o->cover ? ZIMU__LAYOUT_COVER : ZIMU__LAYOUT_CAPTIONS,
                       .pic_x = o->pic_x, .pic_y = o->pic_y, .pic_w = o->pic_w,
                       .pic_h = o->pic_h};
    if (cues->ass_header && !o->cover) {
        e = open_script(c, r, cues, o);
        if (e >= 0 && o->cap && o->cap->title) {
            r->r2 = ass_renderer_init(r->lib);
            if (!r->r2) {
                e = zimu__fail(c, ZIMU_ENOMEM, "cannot set up libass");
            } else {
                ass_set_frame_size(r->r2, o->width, o->height);
                ass_set_storage_size(r->r2, o->width, o->height);
                ass_set_hinting(r->r2, ASS_HINTING_NONE);
                ass_set_shaper(r->r2, ASS_SHAPING_COMPLEX);
                ass_set_fonts(r->r2, NULL, family, ASS_FONTPROVIDER_FONTCONFIG, conf, 1);
                lay.mode = ZIMU__LAYOUT_TITLE;
                e = zimu__assgen_track(c, r->lib, cues, &lay, &r->t2);
            }
        }
    } else {
        e = zimu__assgen_track(c, r->lib, cues, &lay, &r->t);
    }
    /* Generated tracks: a libass whose sizing zimu does not reproduce may
     * re-break what overflows, if it can break Unicode text (libass.h). */
    const zimu_libass_info *li = zimu__libass_info();
    char what[320];
    zimu__libass_describe(li, what, sizeof what);
    zimu__log(c, li->measured ? ZIMU_LOG_DEBUG : ZIMU_LOG_WARNING, "%s", what);
    ASS_Track *gen = cues->ass_header && !o->cover ? r->t2 : r->t;
    if (e >= 0 && gen && li->wrap == ZIMU__WRAP_LIBASS_TOO) {
        gen->WrapStyle = 0;
        ass_track_set_feature(gen, ASS_FEATURE_WRAP_UNICODE, 1);
    }
    /* libass has read the configuration: nothing is left behind. */
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
    ASS_Image *a = ass_render_frame(r->r, r->t, (long long)ms, changed);
    if (!r->r2)
        return a;
    int changed2 = 0;
    ASS_Image *b = ass_render_frame(r->r2, r->t2, (long long)ms, &changed2);
    if (changed && changed2 > *changed)
        *changed = changed2;
    size_t n = 0;
    for (ASS_Image *i = a; i; i = i->next)
        n++;
    for (ASS_Image *i = b; i; i = i->next)
        n++;
    if (n > r->joined_cap) {
        ASS_Image *v = realloc(r->joined, n * sizeof *v);
        if (!v)
            return a; /* the script's captions at least */
        r->joined = v;
        r->joined_cap = n;
    }
    size_t k = 0;
    for (ASS_Image *i = a; i; i = i->next)
        r->joined[k++] = *i;
    for (ASS_Image *i = b; i; i = i->next)
        r->joined[k++] = *i;
    for (size_t j = 0; j < n; j++)
        r->joined[j].next = j + 1 < n ? &r->joined[j + 1] : NULL;
    return n ? r->joined : NULL;
}

int zimu__render_text(const zimu_render *r, zimu_sbuf *out)
{
    if (r->t2)
        return zimu__fail(r->c, ZIMU_EINVAL, "an ASS script with a title added cannot be "
                                             "written as one ASS file");
    zimu__ass_track_text(r->t, out);
    return out->oom ? zimu__fail(r->c, ZIMU_ENOMEM, "out of memory") : 0;
}

static int track_visible(const ASS_Track *t, int64_t t0, int64_t t1)
{
    for (int i = 0; t && i < t->n_events; i++) {
        const ASS_Event *e = &t->events[i];
        if (e->Duration > 0 && e->Start < t1 && e->Start + e->Duration > t0)
            return 1;
    }
    return 0;
}

int zimu__render_visible(const zimu_render *r, int64_t t0, int64_t t1)
{
    return track_visible(r->t, t0, t1) || track_visible(r->t2, t0, t1);
}

void zimu__render_free(zimu_render **pr)
{
    zimu_render *r = pr ? *pr : NULL;
    if (!r)
        return;
    if (r->t)
        ass_free_track(r->t);
    if (r->t2)
        ass_free_track(r->t2);
    if (r->r)
        ass_renderer_done(r->r);
    if (r->r2)
        ass_renderer_done(r->r2);
    free(r->joined);
    if (r->lib)
        ass_library_done(r->lib);
    free(r);
    *pr = NULL;
}
