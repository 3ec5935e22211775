/* check_renderer.c - the renderer through the public API (zimu.h): captions
 * drawn onto a caller's YUV and RGBA frames, "changed?" and "on screen in
 * [t0, t1)?", the layout read back as pages and lines inside the safe area,
 * the ASS it writes, and its errors. Pixel equality with a burn is checked
 * by tests/example.sh (examples/frames.c) and check_threads.c. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_clip.h"
#include "zimu.h"

#define W 360
#define H 640

static const char srt[] =
    "1\n00:00:01,000 --> 00:00:02,000\n欢迎收看\n\n"
    "2\n00:00:03,000 --> 00:00:09,000\n"
    "欢迎来到宁安街道红色直播间，今天我们来聊一聊独生子女家庭的继承问题，"
    "还有《民法典》里关于遗嘱的几条规定，请大家认真听讲。\n";

static zimu_subs *load(const char *text)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    int r = zimu_subs_load_data(s, text, strlen(text), "t.srt");
    ck_assert_msg(r == 0, "load: %d %s", r, zimu_subs_errmsg(s));
    return s;
}

static zimu_renderer *renderer(const char *text)
{
    zimu_subs *s = load(text);
    zimu_renderer *r = zimu_renderer_new();
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(zimu_renderer_set_captions(r, s), 0);
    zimu_subs_free(&s);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(zimu_renderer_set_size(r, W, H), 0);
    return r;
}

typedef struct frame {
    uint8_t *p[3];
    int stride[3];
} frame;

static void frame_grey(frame *f)
{
    int cw = W / 2, ch = H / 2;
    f->stride[0] = W + 32; /* strides wider than the picture */
    f->stride[1] = f->stride[2] = cw + 16;
    f->p[0] = malloc((size_t)f->stride[0] * H);
    f->p[1] = malloc((size_t)f->stride[1] * ch);
    f->p[2] = malloc((size_t)f->stride[2] * ch);
    ck_assert(f->p[0] && f->p[1] && f->p[2]);
    memset(f->p[0], 110, (size_t)f->stride[0] * H);
    memset(f->p[1], 128, (size_t)f->stride[1] * ch);
    memset(f->p[2], 128, (size_t)f->stride[2] * ch);
}

static void frame_free(frame *f)
{
    for (int i = 0; i < 3; i++)
        free(f->p[i]);
}

/* Luma pixels that differ from the grey, and their bounding box. */
static long changed_px(const frame *f, int box[4])
{
    long n = 0;
    int x0 = W, y0 = H, x1 = -1, y1 = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (f->p[0][(size_t)y * f->stride[0] + x] != 110) {
                n++;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
    if (box) {
        box[0] = x0;
        box[1] = y0;
        box[2] = x1 - x0 + 1;
        box[3] = y1 - y0 + 1;
    }
    return n;
}

static int draw(zimu_renderer *r, int64_t t, frame *f)
{
    return zimu_renderer_draw_yuv420(r, t, f->p, f->stride, ZIMU_MATRIX_BT709, 0);
}

START_TEST(test_draw_yuv_changed_flags)
{
    zimu_renderer *r = renderer(srt);
    frame f;
    frame_grey(&f);
    ck_assert_int_eq(draw(r, 500, &f), 0); /* nothing yet */
    ck_assert_int_eq(changed_px(&f, NULL), 0);
    ck_assert_int_eq(draw(r, 1200, &f), 1); /* caption 1 appears */
    long n1 = changed_px(&f, NULL);
    ck_assert_int_gt(n1, 200);
    frame g;
    frame_grey(&g);
    ck_assert_int_eq(draw(r, 1500, &g), 0); /* still the same caption */
    ck_assert_int_eq(changed_px(&g, NULL), n1);
    ck_assert_int_eq(memcmp(f.p[0], g.p[0], (size_t)f.stride[0] * H), 0);
    frame h;
    frame_grey(&h);
    ck_assert_int_eq(draw(r, 2500, &h), 1); /* gone */
    ck_assert_int_eq(changed_px(&h, NULL), 0);
    /* padding beyond the picture in each row is never touched */
    for (int y = 0; y < H; y++)
        for (int x = W; x < f.stride[0]; x++)
            ck_assert_int_eq(f.p[0][(size_t)y * f.stride[0] + x], 110);
    frame_free(&f);
    frame_free(&g);
    frame_free(&h);
    zimu_renderer_free(&r);
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_visible_ranges)
{
    zimu_renderer *r = renderer(srt);
    ck_assert_int_eq(zimu_renderer_visible(r, 0, 1000), 0);
    ck_assert_int_eq(zimu_renderer_visible(r, 0, 1001), 1);
    ck_assert_int_eq(zimu_renderer_visible(r, 2000, 3000), 0);
    ck_assert_int_eq(zimu_renderer_visible(r, 1999, 2000), 1);
    ck_assert_int_eq(zimu_renderer_visible(r, 9000, 20000), 0);
    ck_assert_int_eq(zimu_renderer_visible(r, 5000, 5000), 0);
    /* a title is on screen all the time */
    ck_assert_int_eq(zimu_renderer_set_title(r, "社区通知"), 0);
    ck_assert_int_eq(zimu_renderer_visible(r, 2000, 3000), 1);
    zimu_renderer_free(&r);
}
END_TEST

/* The long cue becomes pages that share its time, each of at most two
 * lines inside douyin's safe area (360x640: x 5 %..88 % of the width, y
 * 12 %..75 % of the height), and what is drawn lies where the layout says. */
START_TEST(test_pages_inside_safe_area)
{
    zimu_renderer *r = renderer(srt);
    ck_assert_int_eq(zimu_renderer_prepare(r), 0);
    int n = zimu_renderer_page_count(r);
    ck_assert_int_ge(n, 3); /* the short cue and at least two pages */
    int64_t prev_end = -1;
    for (int i = 0; i < n; i++) {
        int64_t s, e;
        int lines, box[4];
        ck_assert_int_eq(zimu_renderer_page(r, i, &s, &e, &lines, box), 0);
        ck_assert_int_lt(s, e);
        ck_assert(lines >= 1 && lines <= 2);
        ck_assert_int_ge(box[0], (int)(0.05 * W) - 1);
        ck_assert_int_le(box[0] + box[2], (int)(0.88 * W) + 1);
        ck_assert_int_ge(box[1], (int)(0.12 * H));
        ck_assert_int_le(box[1] + box[3], (int)(0.75 * H) + 1);
        if (i >= 2) /* pages of one cue follow each other */
            ck_assert_int_eq(s, prev_end);
        prev_end = e;
        for (int k = 0; k < lines; k++) {
            int lb[4];
            const char *t = zimu_renderer_line(r, i, k, lb);
            ck_assert_ptr_nonnull(t);
            ck_assert_int_gt(strlen(t), 0);
            ck_assert(lb[0] >= box[0] - 1 && lb[0] + lb[2] <= box[0] + box[2] + 1);
        }
        ck_assert_ptr_null(zimu_renderer_line(r, i, lines, NULL));
    }
    ck_assert_int_eq(zimu_renderer_page(r, n, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    /* the first page of the long cue, drawn: ink within its box plus the
     * outline */
    int64_t s, e;
    int box[4], ink[4];
    ck_assert_int_eq(zimu_renderer_page(r, 1, &s, &e, NULL, box), 0);
    frame f;
    frame_grey(&f);
    ck_assert_int_eq(draw(r, s, &f), 1);
    ck_assert_int_gt(changed_px(&f, ink), 0);
    int pad = 12;
    ck_assert_int_ge(ink[0], box[0] - pad);
    ck_assert_int_le(ink[0] + ink[2], box[0] + box[2] + pad);
    ck_assert_int_ge(ink[1], box[1] - pad);
    ck_assert_int_le(ink[1] + ink[3], box[1] + box[3] + pad);
    frame_free(&f);
    zimu_renderer_free(&r);
}
END_TEST

/* The same captions drawn onto RGBA land in the same place as on YUV. */
START_TEST(test_draw_rgba)
{
    zimu_renderer *r = renderer(srt);
    int stride = W * 4 + 8;
    uint8_t *img = malloc((size_t)stride * H);
    ck_assert_ptr_nonnull(img);
    memset(img, 40, (size_t)stride * H);
    ck_assert_int_eq(zimu_renderer_draw_rgba(r, 1500, img, stride), 1);
    int x0 = W, x1 = -1, y0 = H, y1 = -1, white = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = img + (size_t)y * stride + 4 * x;
            ck_assert_int_eq(p[3], 40); /* alpha left alone */
            if (p[0] != 40 || p[1] != 40 || p[2] != 40) {
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
            white += p[0] > 240 && p[1] > 240 && p[2] > 240;
        }
    ck_assert_int_gt(white, 100); /* the classic style's white text */
    frame f;
    frame_grey(&f);
    zimu_renderer *r2 = renderer(srt);
    ck_assert_int_eq(draw(r2, 1500, &f), 1);
    int box[4];
    changed_px(&f, box);
    ck_assert_int_le(abs(box[0] - x0), 2);
    ck_assert_int_le(abs(box[1] - y0), 2);
    ck_assert_int_le(abs(box[0] + box[2] - 1 - x1), 2);
    ck_assert_int_le(abs(box[1] + box[3] - 1 - y1), 2);
    /* the same renderer drawing YUV after RGBA draws its captions too */
    frame g;
    frame_grey(&g);
    ck_assert_int_ge(draw(r, 1500, &g), 0);
    ck_assert_int_eq(changed_px(&g, NULL), changed_px(&f, NULL));
    frame_free(&g);
    frame_free(&f);
    free(img);
    zimu_renderer_free(&r);
    zimu_renderer_free(&r2);
}
END_TEST

/* A style setting changes what is drawn at the next draw. */
START_TEST(test_settings_relayout)
{
    zimu_renderer *r = renderer(srt);
    frame a, b;
    frame_grey(&a);
    frame_grey(&b);
    ck_assert_int_eq(draw(r, 1500, &a), 1);
    ck_assert_int_eq(zimu_renderer_set_style_options(r, "align=top,size=0.06"), 0);
    ck_assert_int_eq(draw(r, 1500, &b), 1);
    int ba[4], bb[4];
    changed_px(&a, ba);
    changed_px(&b, bb);
    ck_assert_int_lt(bb[1], H / 3);     /* now at the top */
    ck_assert_int_gt(ba[1], H / 2);     /* was at the bottom */
    ck_assert_int_gt(bb[3], ba[3]);     /* and bigger */
    ck_assert_int_eq(zimu_renderer_set_style_options(r, "size"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_set_style_option(r, "colour", "#FF0000"), 0);
    ck_assert_int_eq(zimu_renderer_prepare(r), ZIMU_ESTYLE); /* unknown key */
    ck_assert(strstr(zimu_errmsg(r), "colour") != NULL);
    frame_free(&a);
    frame_free(&b);
    zimu_renderer_free(&r);
}
END_TEST

/* One font context shared by two renderers gives the pixels of a renderer
 * with its own. */
START_TEST(test_shared_fonts_same_pixels)
{
    zimu_fonts *fonts = zimu_fonts_new();
    ck_assert_ptr_nonnull(fonts);
    zimu_renderer *r0 = renderer(srt);
    ck_assert_int_eq(zimu_renderer_set_fonts(r0, fonts), ZIMU_EINVAL); /* not loaded */
    ck_assert_int_eq(zimu_fonts_load(fonts), 0);
    zimu_renderer *r1 = renderer(srt), *r2 = renderer(srt);
    ck_assert_int_eq(zimu_renderer_set_fonts(r1, fonts), 0);
    ck_assert_int_eq(zimu_renderer_set_fonts(r2, fonts), 0);
    zimu_fonts_free(&fonts); /* the renderers keep it alive */
    ck_assert_ptr_null(fonts);
    ck_assert_int_eq(zimu_renderer_set_style(r2, "box"), 0);
    frame f0, f1, f2;
    frame_grey(&f0);
    frame_grey(&f1);
    frame_grey(&f2);
    ck_assert_int_eq(draw(r0, 4000, &f0), 1);
    ck_assert_int_eq(draw(r1, 4000, &f1), 1);
    ck_assert_int_eq(draw(r2, 4000, &f2), 1);
    for (int i = 0; i < 3; i++) {
        size_t n = (size_t)f0.stride[i] * (i ? H / 2 : H);
        ck_assert_int_eq(memcmp(f0.p[i], f1.p[i], n), 0);
    }
    ck_assert_int_ne(memcmp(f0.p[0], f2.p[0], (size_t)f0.stride[0] * H), 0);
    frame_free(&f0);
    frame_free(&f1);
    frame_free(&f2);
    zimu_renderer_free(&r0);
    zimu_renderer_free(&r1);
    zimu_renderer_free(&r2);
}
END_TEST

/* What zimu_renderer_save_ass writes draws the same pixels when loaded as
 * an ASS script. */
START_TEST(test_save_ass_same_pixels)
{
    char *dir = tu_test_dir();
    ck_assert_ptr_nonnull(dir);
    char *ass = tu_path(dir, "out.ass");
    zimu_renderer *r = renderer(srt);
    ck_assert_int_eq(zimu_renderer_set_style(r, "box"), 0);
    ck_assert_int_eq(zimu_renderer_set_title(r, "宁安街道"), 0);
    ck_assert_int_eq(zimu_renderer_save_ass(r, ass, 0), 0);
    ck_assert_int_eq(zimu_renderer_save_ass(r, ass, 0), ZIMU_EEXIST);
    ck_assert_int_eq(zimu_renderer_save_ass(r, ass, 1), 0);
    zimu_subs *s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_load(s, ass), 0);
    ck_assert_int_eq(zimu_subs_is_ass(s), 1);
    zimu_renderer *r2 = zimu_renderer_new();
    ck_assert_int_eq(zimu_renderer_set_captions(r2, s), 0);
    ck_assert_int_eq(zimu_renderer_set_size(r2, W, H), 0);
    static const int64_t times[] = {500, 1500, 3000, 5000, 8990};
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        frame a, b;
        frame_grey(&a);
        frame_grey(&b);
        ck_assert_int_ge(draw(r, times[i], &a), 0);
        ck_assert_int_ge(draw(r2, times[i], &b), 0);
        ck_assert_int_gt(changed_px(&a, NULL), 0); /* the title at least */
        for (int p = 0; p < 3; p++)
            ck_assert_msg(!memcmp(a.p[p], b.p[p], (size_t)a.stride[p] * (p ? H / 2 : H)),
                          "plane %d differs at %lld ms", p, (long long)times[i]);
        frame_free(&a);
        frame_free(&b);
    }
    zimu_subs_free(&s);
    zimu_renderer_free(&r);
    zimu_renderer_free(&r2);
    free(ass);
    tu_test_dir_done(dir);
}
END_TEST

/* zimu_job_probe gives where a burn puts a 16:9 clip's picture in a 9:16
 * frame; a renderer told that rectangle places captions just below the
 * picture (the lecture layout), and the job's probe errors name the file. */
START_TEST(test_probe_and_picture)
{
    char *dir = tu_test_dir();
    ck_assert_ptr_nonnull(dir);
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 320;
    o.height = 180;
    o.frames = 5;
    o.audio = TU_AUDIO_NONE;
    char *clip = tu_path(dir, "wide.mp4");
    ck_assert_msg(tu_make_clip(clip, &o) == 0, "%s", tu_err());
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_input(job, clip), 0);
    ck_assert_int_eq(zimu_job_set_size(job, W, H), 0);
    ck_assert_int_eq(zimu_job_set_fit(job, ZIMU_FIT_BLUR), 0);
    int fw = 0, fh = 0, rect[4] = {0};
    ck_assert_msg(zimu_job_probe(job, &fw, &fh, rect) == 0, "%s", zimu_errmsg(job));
    ck_assert_int_eq(fw, W);
    ck_assert_int_eq(fh, H);
    ck_assert_int_eq(rect[0], 0);
    ck_assert_int_eq(rect[2], W);
    ck_assert(abs(rect[3] - W * 180 / 320) <= 2);
    ck_assert(abs(rect[1] - (H - rect[3]) / 2) <= 2);
    zimu_renderer *r = renderer(srt);
    ck_assert_int_eq(zimu_renderer_set_picture(r, rect[0], rect[1], rect[2], rect[3]), 0);
    int box[4];
    ck_assert_int_eq(zimu_renderer_prepare(r), 0);
    ck_assert_int_eq(zimu_renderer_page(r, 0, NULL, NULL, NULL, box), 0);
    ck_assert_int_ge(box[1], rect[1] + rect[3]);    /* below the picture */
    ck_assert_int_lt(box[1], rect[1] + rect[3] + H / 8); /* just below */
    zimu_renderer_free(&r);
    /* a missing clip: the input error, naming it */
    char *gone = tu_path(dir, "gone.mp4");
    ck_assert_int_eq(zimu_job_set_input(job, gone), 0);
    ck_assert_int_eq(zimu_job_probe(job, &fw, &fh, rect), ZIMU_ENOENT);
    ck_assert_str_eq(zimu_errfile(job), gone);
    ck_assert_int_eq(zimu_job_probe(job, NULL, &fh, rect), ZIMU_EINVAL);
    zimu_job_free(&job);
    free(gone);
    free(clip);
    tu_test_dir_done(dir);
}
END_TEST

START_TEST(test_errors)
{
    uint8_t *planes[3] = {0};
    int strides[3] = {0};
    ck_assert_int_eq(zimu_renderer_draw_yuv420(NULL, 0, planes, strides, 0, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_prepare(NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_visible(NULL, 0, 1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_page_count(NULL), ZIMU_EINVAL);
    ck_assert_ptr_null(zimu_renderer_line(NULL, 0, 0, NULL));
    zimu_renderer_free(NULL);
    zimu_fonts_free(NULL);
    ck_assert_int_eq(zimu_fonts_load(NULL), ZIMU_EINVAL);
    zimu_renderer *r = zimu_renderer_new();
    /* handles of another kind are refused, not misread */
    ck_assert_int_eq(zimu_renderer_set_captions(r, (const zimu_subs *)r), ZIMU_EBADHANDLE);
    ck_assert_int_eq(zimu_renderer_set_fonts(r, (zimu_fonts *)r), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_count((const zimu_subs *)r), ZIMU_EBADHANDLE);
    ck_assert_int_eq(zimu_renderer_prepare(r), ZIMU_EINVAL); /* no size */
    ck_assert_int_eq(zimu_renderer_set_size(r, 8, 8), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_set_size(r, W, H), 0);
    ck_assert_int_eq(zimu_renderer_set_picture(r, 0, 0, 10, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_set_max_lines(r, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_set_logo(r, "x.png", 7, 0.1), ZIMU_EINVAL);
    frame f;
    frame_grey(&f);
    ck_assert_int_eq(zimu_renderer_draw_yuv420(r, 0, f.p, f.stride, 9, 0), ZIMU_EINVAL);
    /* nothing to draw is not an error */
    ck_assert_int_eq(draw(r, 0, &f), 0);
    ck_assert_int_eq(zimu_renderer_page_count(r), 0);
    /* a logo that is not there fails the prepare, naming it */
    ck_assert_int_eq(zimu_renderer_set_logo(r, "/nonexistent/zimu-logo.png", 0, 0.1), 0);
    int e = zimu_renderer_prepare(r);
    ck_assert_int_lt(e, 0);
    ck_assert(strstr(zimu_errmsg(r), "/nonexistent/zimu-logo.png") != NULL);
    frame_free(&f);
    zimu_renderer_free(&r);
    /* a fonts directory that does not exist */
    zimu_fonts *fonts = zimu_fonts_new();
    ck_assert_int_eq(zimu_fonts_set_dir(fonts, "/nonexistent/zimu-fonts"), 0);
    ck_assert_int_eq(zimu_fonts_load(fonts), ZIMU_EFONT);
    ck_assert(strstr(zimu_errmsg(fonts), "/nonexistent/zimu-fonts") != NULL);
    zimu_fonts_free(&fonts);
}
END_TEST

/* What a caption file draws on an RGBA frame (grey 40) at t_ms: the
 * box of the pixels it changed, how many, and how many are yellow. */
typedef struct drawn {
    int x0, y0, x1, y1; /* inclusive */
    long ink, yellow, white;
} drawn;

static drawn draw_file(const char *name, const char *text, int64_t t_ms)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    int r = zimu_subs_load_data(s, text, strlen(text), name);
    ck_assert_msg(r == 0, "load %s: %s", name, zimu_subs_errmsg(s));
    zimu_renderer *rd = zimu_renderer_new();
    ck_assert_ptr_nonnull(rd);
    ck_assert_int_eq(zimu_renderer_set_captions(rd, s), 0);
    zimu_subs_free(&s);
    ck_assert_int_eq(zimu_renderer_set_size(rd, W, H), 0);
    int stride = W * 4;
    uint8_t *img = malloc((size_t)stride * H);
    ck_assert_ptr_nonnull(img);
    memset(img, 40, (size_t)stride * H);
    ck_assert_int_ge(zimu_renderer_draw_rgba(rd, t_ms, img, stride), 0);
    drawn d = {W, H, -1, -1, 0, 0, 0};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = img + (size_t)y * stride + 4 * x;
            if (p[0] == 40 && p[1] == 40 && p[2] == 40)
                continue;
            d.ink++;
            d.yellow += p[0] > 200 && p[1] > 200 && p[2] < 80;
            d.white += p[0] > 200 && p[1] > 200 && p[2] > 200;
            if (x < d.x0) d.x0 = x;
            if (x > d.x1) d.x1 = x;
            if (y < d.y0) d.y0 = y;
            if (y > d.y1) d.y1 = y;
        }
    free(img);
    zimu_renderer_free(&rd);
    return d;
}

#define SRT_CUE(text) "1\n00:00:00,000 --> 00:00:05,000\n" text "\n"

/* ASS override blocks in an SRT file are drawn as what they say, not as
 * text: colour, bold, italic; \pos places the cue (384x288 canvas). */
START_TEST(test_srt_override_tags_drawn)
{
    drawn plain = draw_file("t.srt", SRT_CUE("字幕ABC"), 1000);
    ck_assert_int_gt(plain.ink, 100);
    ck_assert_int_eq(plain.yellow, 0);
    drawn yellow = draw_file("t.srt", SRT_CUE("{\\c&H00FFFF&}字幕ABC"), 1000);
    ck_assert_int_gt(yellow.yellow, 100);
    /* the block is no text: the line is as wide as without it */
    ck_assert_int_le(abs((yellow.x1 - yellow.x0) - (plain.x1 - plain.x0)), 2);
    /* bold: more of the text's own (white) pixels */
    drawn thin = draw_file("t.srt", SRT_CUE("{\\b0}字幕ABC"), 1000);
    drawn bold = draw_file("t.srt", SRT_CUE("{\\b1}字幕ABC"), 1000);
    ck_assert_msg(bold.white > thin.white * 5 / 4, "bold %ld, thin %ld", bold.white, thin.white);
    ck_assert_int_le(bold.x1 - bold.x0, (thin.x1 - thin.x0) * 6 / 5);
    drawn italic = draw_file("t.srt", SRT_CUE("{\\b0\\i1}字幕ABC"), 1000);
    ck_assert_int_ne(italic.ink, thin.ink);
    ck_assert_int_le(italic.x1 - italic.x0, (thin.x1 - thin.x0) * 6 / 5);
    /* {\an7\pos(192,144)}: the top left at the middle of the frame */
    drawn placed = draw_file("t.srt", SRT_CUE("{\\an7\\pos(192,144)}字幕"), 1000);
    ck_assert_msg(abs(placed.x0 - W / 2) <= 6 && abs(placed.y0 - H / 2) <= 6,
                  "placed at %d,%d", placed.x0, placed.y0);
}
END_TEST

/* WebVTT line:85% without a position: the cue's top at 85% of the height,
 * centred; line:0 at the top, line:-1 at the bottom. */
START_TEST(test_vtt_line_percent_drawn)
{
    drawn l85 = draw_file("t.vtt", "WEBVTT\n\n00:00.000 --> 00:05.000 line:85%\n字幕ABC\n", 1000);
    ck_assert_msg(abs(l85.y0 - H * 85 / 100) <= 8, "top at %d, want %d", l85.y0, H * 85 / 100);
    ck_assert_int_le(abs((l85.x0 + l85.x1) / 2 - W / 2), 3);
    drawn top = draw_file("t.vtt", "WEBVTT\n\n00:00.000 --> 00:05.000 line:0\n字幕ABC\n", 1000);
    drawn bottom = draw_file("t.vtt", "WEBVTT\n\n00:00.000 --> 00:05.000 line:-1\n字幕ABC\n", 1000);
    ck_assert_int_lt(top.y1, H / 2);
    ck_assert_int_gt(bottom.y0, H / 2);
    drawn mid = draw_file("t.vtt", "WEBVTT\n\n00:00.000 --> 00:05.000 line:50%,center\n字幕ABC\n", 1000);
    ck_assert_int_le(abs((mid.y0 + mid.y1) / 2 - H / 2), 4);
}
END_TEST

static Suite *renderer_suite(void)
{
    Suite *s = suite_create("renderer");
    TCase *tc = tcase_create("renderer");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_draw_yuv_changed_flags);
    tcase_add_test(tc, test_visible_ranges);
    tcase_add_test(tc, test_pages_inside_safe_area);
    tcase_add_test(tc, test_draw_rgba);
    tcase_add_test(tc, test_settings_relayout);
    tcase_add_test(tc, test_shared_fonts_same_pixels);
    tcase_add_test(tc, test_save_ass_same_pixels);
    tcase_add_test(tc, test_probe_and_picture);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_srt_override_tags_drawn);
    tcase_add_test(tc, test_vtt_line_percent_drawn);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(renderer_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
