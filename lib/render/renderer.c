/* renderer.c - captions drawn onto a caller's frames (zimu_renderer):
 * layout and libass (render.c), one cached overlay (compose.c) and the
 * logo. A burn drives the same steps (renderer.h), so a program that
 * decodes its own frames gets a burn's pixels. */
#include <stdlib.h>
#include <string.h>

#include <libavutil/pixfmt.h>

#include "assgen.h"
#include "chinese.h"
#include "compose.h"
#include "fontctx.h"
#include "glyphs.h"
#include "logo.h"
#include "render.h"
#include "renderer.h"
#include "style.h"
#include "subs.h"
#include "outcheck.h"
#include "write_subs.h"

struct zimu_renderer {
    zimu_ctx ctx;
    zimu_ctx *c;             /* where failures go: ctx, or a job's */
    zimu_fonts *fonts;       /* a reference; NULL until prepare makes one */
    zimu_cues cues;
    zimu_capopts cap;
    int width, height;
    int pic_x, pic_y, pic_w, pic_h;
    int cover;
    zimu_chinese *cc;        /* converters of the title (cap.chinese) and of
                                the script counts; made at first use */
    zimu_chinese *job_cc;    /* a job's, used instead (it outlives us) */
    /* made by prepare; dropped when a setting changes */
    int prepared;
    char *title;             /* the title converted (cap.chinese), or NULL */
    zimu_render *render;
    zimu_pages pages;
    zimu_logo *logo;
    zimu_compose *comp;
    int drawn;               /* an overlay was built since prepare */
    int drawn_rgba;          /* an RGBA draw was made since prepare */
    enum AVColorSpace cs;    /* of the frames the overlay was built for */
    enum AVColorRange range;
    double render_s, compose_s;
    int64_t updates;
};

zimu_renderer *zimu_renderer_new(void)
{
    zimu_renderer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ctx.magic = ZIMU__MAGIC_RENDERER;
    r->c = &r->ctx;
    zimu__capopts_init(&r->cap);
    return r;
}

/* Forget what prepare made: the next draw lays out again. */
static void unprepare(zimu_renderer *r)
{
    zimu__render_free(&r->render);
    zimu__pages_clear(&r->pages);
    zimu__logo_free(&r->logo);
    zimu__compose_free(&r->comp);
    free(r->title);
    r->title = NULL;
    r->prepared = 0;
    r->drawn = 0;
    r->drawn_rgba = 0;
}

void zimu_renderer_free(zimu_renderer **pr)
{
    zimu_renderer *r = pr ? *pr : NULL;
    if (!r || r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return;
    unprepare(r);
    zimu__cues_clear(&r->cues);
    zimu__capopts_clear(&r->cap);
    zimu__fonts_unref(&r->fonts);
    zimu__chinese_free(&r->cc);
    r->ctx.magic = 0;
    free(r);
    *pr = NULL;
}

int zimu_renderer_set_log(zimu_renderer *r, zimu_log_fn cb, void *opaque, int max_level)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    r->ctx.log_cb = cb;
    r->ctx.log_opaque = opaque;
    r->ctx.log_level = max_level;
    return 0;
}

int zimu_renderer_set_fonts(zimu_renderer *r, zimu_fonts *fonts)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    if (fonts && !zimu__fonts_loaded(fonts))
        return zimu__fail(r->c, ZIMU_EINVAL, "the font context is not loaded "
                                             "(zimu_fonts_load)");
    unprepare(r);
    zimu__fonts_unref(&r->fonts);
    r->fonts = zimu__fonts_ref(fonts);
    return 0;
}

void zimu__renderer_take_cues(zimu_renderer *r, zimu_cues *cues)
{
    unprepare(r);
    zimu__cues_clear(&r->cues);
    r->cues = *cues;
    memset(cues, 0, sizeof *cues);
}

int zimu_renderer_set_captions(zimu_renderer *r, const zimu_subs *subs)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    zimu_cues copy = {0};
    if (subs && ((const zimu_ctx *)subs)->magic != ZIMU__MAGIC_SUBS)
        return zimu__fail(r->c, ZIMU_EBADHANDLE, "captions: not a zimu_subs handle");
    if (subs && zimu__cues_copy(&copy, zimu__subs_cues(subs)) < 0)
        return zimu__fail(r->c, ZIMU_ENOMEM, "out of memory");
    zimu__renderer_take_cues(r, &copy);
    return 0;
}

int zimu_renderer_set_size(zimu_renderer *r, int width, int height)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    if (width < 16 || height < 16 || width > 16384 || height > 16384)
        return zimu__fail(r->c, ZIMU_EINVAL, "frame size %dx%d is not valid", width, height);
    unprepare(r);
    r->width = width;
    r->height = height;
    return 0;
}

int zimu_renderer_set_picture(zimu_renderer *r, int x, int y, int width, int height)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    /* at most the largest frame, so that x + width cannot overflow */
    if (x < 0 || y < 0 || width < 0 || height < 0 || (!width) != (!height) || x > 16384 ||
        y > 16384 || width > 16384 || height > 16384)
        return zimu__fail(r->c, ZIMU_EINVAL, "picture %dx%d at %d,%d is not valid", width,
                          height, x, y);
    unprepare(r);
    r->pic_x = x;
    r->pic_y = y;
    r->pic_w = width;
    r->pic_h = height;
    return 0;
}

int zimu__renderer_set_capopts(zimu_renderer *r, const zimu_capopts *cap)
{
    zimu_capopts copy;
    if (zimu__capopts_copy(&copy, cap) < 0)
        return zimu__fail(r->c, ZIMU_ENOMEM, "out of memory");
    unprepare(r);
    zimu__capopts_clear(&r->cap);
    r->cap = copy;
    return 0;
}

void zimu__renderer_set_ctx(zimu_renderer *r, zimu_ctx *c)
{
    r->c = c ? c : &r->ctx;
}

void zimu__renderer_share_chinese(zimu_renderer *r, zimu_chinese *cc)
{
    r->job_cc = cc;
}

/* The converters: the job's, or the renderer's own. NULL when out of
 * memory. */
static zimu_chinese *chinese_of(zimu_renderer *r)
{
    if (r->job_cc)
        return r->job_cc;
    if (!r->cc)
        r->cc = zimu__chinese_new();
    return r->cc;
}

int zimu_renderer_set_chinese(zimu_renderer *r, const char *mode)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    int m = zimu__chinese_mode(r->c, mode);
    if (m < 0)
        return m;
    zimu_chinese *cc = m ? chinese_of(r) : NULL;
    if (m && !cc)
        return zimu__fail(r->c, ZIMU_ENOMEM, "out of memory");
    int e = m ? zimu__chinese_open(r->c, cc, m) : 0;
    if (e < 0)
        return e;
    unprepare(r);
    r->cap.chinese = m;
    return 0;
}

/* The title as drawn (converted when cap.chinese says so: kept in
 * r->title until the next unprepare), and the scripts of the captions and
 * of the title, which choose their faces (zimu__style_han_faces). A
 * chosen font is drawn whatever the script: then nothing is counted. */
static int chinese_prepare(zimu_renderer *r, zimu_capopts *cap, int *han_caption,
                           int *han_title)
{
    *han_caption = *han_title = ZIMU__HAN_UNSET;
    if (!r->cap.chinese && r->cap.font && *r->cap.font)
        return 0;
    zimu_chinese *cc = chinese_of(r);
    if (!cc)
        return zimu__fail(r->c, ZIMU_ENOMEM, "out of memory");
    if (r->cap.chinese) {
        int e = r->cap.title ? zimu__chinese_text(r->c, cc, r->cap.chinese, r->cap.title,
                                                  &r->title) : 0;
        if (e < 0)
            return e;
        cap->title = r->title;
        *han_title = zimu__chinese_target(r->cap.chinese);
    }
    if (r->cap.font && *r->cap.font)
        return 0;
    if (!*han_title)
        *han_title = zimu__chinese_text_script(r->c, cc, cap->title);
    if (!r->cover)
        *han_caption = zimu__chinese_cues_script(r->c, cc, &r->cues);
    static const char *const names[] = {"", N_("Simplified"), N_("Traditional"),
                                        N_("Hong Kong")};
    if (*han_caption > ZIMU__HAN_SC || *han_title > ZIMU__HAN_SC)
        zimu__log(r->c, ZIMU_LOG_INFO, "Chinese script: captions %s, title %s",
                  *han_caption ? zimu__tr(names[*han_caption]) : "-",
                  *han_title ? zimu__tr(names[*han_title]) : "-");
    return 0;
}

/* Each layout setter: checked by the shared capopts setter, then the
 * layout is made again at the next draw. */
#define LAYOUT_SETTER(call)                      \
    if (!r)                                      \
        return ZIMU_EINVAL;                      \
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)    \
        return ZIMU_EBADHANDLE;                  \
    zimu__clear(r->c);                  \
    int e = (call);                     \
    if (e >= 0)                         \
        unprepare(r);                   \
    return e

int zimu_renderer_set_style(zimu_renderer *r, const char *name_or_file)
{
    LAYOUT_SETTER(zimu__cap_set_str(r->c, &r->cap.style, name_or_file));
}

int zimu_renderer_set_style_option(zimu_renderer *r, const char *key, const char *value)
{
    LAYOUT_SETTER(zimu__cap_set_style_option(r->c, &r->cap, key, value));
}

int zimu_renderer_set_style_options(zimu_renderer *r, const char *settings)
{
    LAYOUT_SETTER(zimu__cap_set_style_options(r->c, &r->cap, settings));
}

int zimu_renderer_set_safe_area(zimu_renderer *r, const char *name)
{
    LAYOUT_SETTER(zimu__cap_set_str(r->c, &r->cap.safe_area, name));
}

int zimu_renderer_set_max_lines(zimu_renderer *r, int max_lines)
{
    LAYOUT_SETTER(zimu__cap_set_max_lines(r->c, &r->cap, max_lines));
}

int zimu_renderer_set_highlight(zimu_renderer *r, int highlight)
{
    LAYOUT_SETTER((r->cap.highlight = !!highlight, 0));
}

int zimu_renderer_set_title(zimu_renderer *r, const char *text)
{
    LAYOUT_SETTER(zimu__cap_set_str(r->c, &r->cap.title, text));
}

int zimu_renderer_set_logo(zimu_renderer *r, const char *png_path, int corner,
                           double width_fraction)
{
    LAYOUT_SETTER(zimu__cap_set_logo(r->c, &r->cap, png_path, corner, width_fraction));
}

int zimu_renderer_set_font(zimu_renderer *r, const char *family)
{
    LAYOUT_SETTER(zimu__cap_set_str(r->c, &r->cap.font, family));
}

int zimu_renderer_set_cover(zimu_renderer *r, int cover)
{
    LAYOUT_SETTER((r->cover = !!cover, 0));
}

int zimu_renderer_prepare(zimu_renderer *r)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    if (r->prepared)
        return 0;
    zimu_ctx *c = r->c;
    if (r->width < 16 || r->height < 16)
        return zimu__fail(c, ZIMU_EINVAL, "renderer: no frame size set");
    int e;
    if (!r->fonts) {
        /* A context of the renderer's own, loaded once and kept. */
        zimu_fonts *f = zimu_fonts_new();
        if (!f)
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        if ((e = zimu_fonts_load(f)) < 0) {
            zimu__fail_file(c, e, zimu_errfile(f), "%s", zimu_errmsg(f));
            zimu_fonts_free(&f);
            return e;
        }
        r->fonts = f;
    }
    /* The settings as the layout takes them: the title converted. */
    zimu_capopts cap = r->cap;
    int han_caption, han_title;
    if ((e = chinese_prepare(r, &cap, &han_caption, &han_title)) < 0)
        goto fail;
    /* every character drawn has a glyph (the title as converted) */
    if ((e = zimu__glyphs_check(c, r->fonts, &r->cues, &cap, r->cover)) < 0)
        goto fail;
    zimu_render_opts ro = {
        .width = r->width, .height = r->height,
        .pic_x = r->pic_x, .pic_y = r->pic_y, .pic_w = r->pic_w, .pic_h = r->pic_h,
        .font = r->cap.font, .fonts = r->fonts,
        .cap = &cap, .cover = r->cover, .pages = &r->pages,
        .han_caption = han_caption, .han_title = han_title,
    };
    if ((e = zimu__render_new(c, &r->render, &r->cues, &ro)) < 0)
        goto fail;
    if (!(r->comp = zimu__compose_new())) {
        e = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        goto fail;
    }
    /* The logo is decoded now so a bad file fails before any frame; it is
     * scaled at the first draw, in the frames' colour space. */
    if (r->cap.logo && (e = zimu__logo_load(c, r->cap.logo, r->cap.max_file_size, &r->logo)) < 0)
        goto fail;
    r->prepared = 1;
    return 0;
fail:
    unprepare(r);
    return e;
}

/* Scale and place the logo in the corner of the safe area. */
static int place_logo(zimu_renderer *r, enum AVColorSpace cs, enum AVColorRange range)
{
    zimu_safe_area sa;
    int e = zimu__safe_area(r->c, r->cap.safe_area, r->width, r->height, &sa);
    if (e < 0)
        return e;
    zimu_logo_place lp = {
        .frame_w = r->width, .frame_h = r->height, .corner = r->cap.logo_corner,
        .width_fraction = r->cap.logo_width,
        .top = sa.top, .bottom = sa.bottom, .left = sa.left, .right = sa.right,
    };
    return zimu__logo_prepare(r->c, r->logo, &lp, cs, range);
}

int zimu__renderer_update(zimu_renderer *r, int64_t t, enum AVColorSpace cs,
                          enum AVColorRange range)
{
    int e = zimu_renderer_prepare(r);
    if (e < 0)
        return e;
    double t0 = zimu__cpu_now();
    int changed = 0;
    ASS_Image *img = zimu__render_frame(r->render, t, &changed);
    double t1 = zimu__cpu_now();
    r->render_s += t1 - t0;
    int fresh = !r->drawn || cs != r->cs || range != r->range;
    int out = changed != 0;
    if (!fresh && changed == 1 && zimu__compose_move(r->comp, img, r->width, r->height)) {
        r->updates++; /* the same overlay, moved */
    } else if (changed || fresh) {
        if (zimu__compose_update(r->comp, img, r->width, r->height, cs, range) < 0)
            return zimu__fail(r->c, ZIMU_ENOMEM, "out of memory");
        r->updates++;
        if (fresh && r->logo && (e = place_logo(r, cs, range)) < 0)
            return e;
        if (fresh && !r->drawn)
            out = !zimu__compose_empty(r->comp) || r->logo;
        else if (fresh)
            out = 1;
    }
    r->drawn = 1;
    r->cs = cs;
    r->range = range;
    r->compose_s += zimu__cpu_now() - t1;
    return out;
}

int zimu__renderer_box(const zimu_renderer *r, int i, int *x, int *y, int *w, int *h)
{
    if (!r->prepared)
        return 0;
    return i == 0 ? zimu__compose_box(r->comp, x, y, w, h) : zimu__logo_box(r->logo, x, y, w, h);
}

void zimu__renderer_blend(const zimu_renderer *r, AVFrame *f)
{
    if (!r->prepared)
        return;
    zimu__compose_blend(r->comp, f);
    zimu__logo_blend(r->logo, f); /* over the captions */
}

void zimu__renderer_costs(const zimu_renderer *r, double *render_s, double *compose_s,
                          int64_t *updates)
{
    *render_s = r->render_s;
    *compose_s = r->compose_s;
    *updates = r->updates;
}

static enum AVColorSpace matrix_cs(int matrix)
{
    switch (matrix) {
    case ZIMU_MATRIX_BT709: return AVCOL_SPC_BT709;
    case ZIMU_MATRIX_BT2020: return AVCOL_SPC_BT2020_NCL;
    default: return AVCOL_SPC_SMPTE170M;
    }
}

int zimu_renderer_draw_yuv420(zimu_renderer *r, int64_t t_ms, uint8_t *const planes[3],
                              const int strides[3], int matrix, int full_range)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    if (!planes || !strides || !planes[0] || !planes[1] || !planes[2] ||
        matrix < ZIMU_MATRIX_BT601 || matrix > ZIMU_MATRIX_BT2020)
        return zimu__fail(r->c, ZIMU_EINVAL, "draw: planes, strides or matrix not valid");
    /* rows narrower than the frame: the caller's planes do not hold it */
    if (strides[0] < r->width || strides[1] < (r->width + 1) / 2 ||
        strides[2] < (r->width + 1) / 2)
        return zimu__fail(r->c, ZIMU_EINVAL, "draw: strides %d %d %d are narrower than "
                          "the %d-pixel frame", strides[0], strides[1], strides[2], r->width);
    int changed = zimu__renderer_update(r, t_ms, matrix_cs(matrix),
                                        full_range ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG);
    if (changed < 0)
        return changed;
    AVFrame f; /* only what the compositor reads: planes, size, format */
    memset(&f, 0, sizeof f);
    for (int i = 0; i < 3; i++) {
        f.data[i] = planes[i];
        f.linesize[i] = strides[i];
    }
    f.width = r->width;
    f.height = r->height;
    f.format = AV_PIX_FMT_YUV420P;
    zimu__renderer_blend(r, &f);
    return changed;
}

/* libass images straight onto RGBA: colour over the pixel by coverage
 * times opacity (libass's alpha byte is inverted). */
static void blend_rgba(const ASS_Image *img, uint8_t *rgba, int stride, int fw, int fh)
{
    for (; img; img = img->next) {
        unsigned a = 255u - (img->color & 0xff);
        unsigned cr = img->color >> 24, cg = (img->color >> 16) & 0xff,
                 cb = (img->color >> 8) & 0xff;
        for (int y = 0; y < img->h; y++) {
            int fy = img->dst_y + y;
            if (fy < 0 || fy >= fh)
                continue;
            const uint8_t *m = img->bitmap + (ptrdiff_t)y * img->stride;
            uint8_t *d = rgba + (ptrdiff_t)fy * stride;
            for (int x = 0; x < img->w; x++) {
                int fx = img->dst_x + x;
                if (fx < 0 || fx >= fw || !m[x])
                    continue;
                unsigned k = (m[x] * a + 127) / 255;
                uint8_t *p = d + 4 * fx;
                p[0] = (uint8_t)((p[0] * (255 - k) + cr * k + 127) / 255);
                p[1] = (uint8_t)((p[1] * (255 - k) + cg * k + 127) / 255);
                p[2] = (uint8_t)((p[2] * (255 - k) + cb * k + 127) / 255);
            }
        }
    }
}

int zimu_renderer_draw_rgba(zimu_renderer *r, int64_t t_ms, uint8_t *rgba, int stride)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    if (!rgba || stride < 4 * r->width)
        return zimu__fail(r->c, ZIMU_EINVAL, "draw: image or stride not valid");
    int e = zimu_renderer_prepare(r);
    if (e < 0)
        return e;
    int changed = 0;
    ASS_Image *img = zimu__render_frame(r->render, t_ms, &changed);
    int first = !r->drawn_rgba;
    if (first && r->logo && !r->drawn &&
        (e = place_logo(r, AVCOL_SPC_BT709, AVCOL_RANGE_JPEG)) < 0)
        return e;
    r->drawn_rgba = 1;
    blend_rgba(img, rgba, stride, r->width, r->height);
    zimu__logo_blend_rgba(r->logo, rgba, stride, r->width, r->height);
    return first ? img != NULL || r->logo : changed != 0;
}

int zimu_renderer_visible(zimu_renderer *r, int64_t t0_ms, int64_t t1_ms)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    int e = zimu_renderer_prepare(r);
    if (e < 0)
        return e;
    if (t1_ms <= t0_ms)
        return 0;
    return r->logo || zimu__render_visible(r->render, t0_ms, t1_ms);
}

int zimu_renderer_page_count(zimu_renderer *r)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    int e = zimu_renderer_prepare(r);
    return e < 0 ? e : (int)r->pages.n;
}

static int px(double v)
{
    return (int)(v < 0 ? v - 0.5 : v + 0.5);
}

static void put_box(int box[4], double x, double y, double w, double h)
{
    if (!box)
        return;
    box[0] = px(x);
    box[1] = px(y);
    box[2] = px(w);
    box[3] = px(h);
}

int zimu_renderer_page(zimu_renderer *r, int i, int64_t *start_ms, int64_t *end_ms,
                       int *n_lines, int box[4])
{
    if (!r || r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return r ? ZIMU_EBADHANDLE : ZIMU_EINVAL;
    if (i < 0 || !r->prepared || (size_t)i >= r->pages.n)
        return ZIMU_EINVAL;
    const zimu_page *p = &r->pages.v[i];
    if (start_ms)
        *start_ms = p->start_ms;
    if (end_ms)
        *end_ms = p->end_ms;
    if (n_lines)
        *n_lines = (int)p->n_lines;
    put_box(box, p->x, p->y, p->w, p->h);
    return 0;
}

const char *zimu_renderer_line(zimu_renderer *r, int i, int k, int box[4])
{
    if (!r || r->ctx.magic != ZIMU__MAGIC_RENDERER || i < 0 || k < 0 || !r->prepared ||
        (size_t)i >= r->pages.n ||
        (size_t)k >= r->pages.v[i].n_lines)
        return NULL;
    const zimu_page_line *l = &r->pages.v[i].lines[k];
    put_box(box, l->x, l->y, l->w, l->h);
    return l->text;
}

int zimu_renderer_save_ass(zimu_renderer *r, const char *path, int overwrite)
{
    if (!r)
        return ZIMU_EINVAL;
    if (r->ctx.magic != ZIMU__MAGIC_RENDERER)
        return ZIMU_EBADHANDLE;
    zimu__clear(r->c);
    if (!path || !*path)
        return zimu__fail(r->c, ZIMU_EINVAL, "output path is empty");
    int e = zimu__check_output(r->c, path, overwrite, NULL, 0);
    if (e < 0 || (e = zimu_renderer_prepare(r)) < 0)
        return e;
    zimu_sbuf b = {0};
    e = zimu__render_text(r->render, &b);
    if (e >= 0)
        e = zimu__write_file_atomic(r->c, path, b.s ? b.s : "", b.len, overwrite);
    zimu__sb_free(&b);
    return e;
}
