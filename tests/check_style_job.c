/* check_style_job.c - styles, safe areas, title, cover and word highlight
 * through the public API and the zimu command, on small generated clips:
 * what the frames and exit codes show. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_ass.h"
#include "util_clip.h"
#include "zimu.h"

/* A 360x640 grey clip (vertical: Douyin's safe area applies), 2 s. */
#define W 360
#define H 640

static char *dir, *clip, *srt;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
    clip = tu_path(dir, "in.mp4");
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = W;
    o.height = H;
    o.frames = 60;
    o.bg = TU_BG_GREY;
    o.markers = 0;
    o.audio = TU_AUDIO_NONE;
    TU_OK(tu_make_clip(clip, &o));
    int64_t st[] = {0}, en[] = {2000};
    const char *text[] = {"各位居民朋友们大家好"};
    srt = tu_write_srt(dir, "in.srt", 1, st, en, text);
    ck_assert_ptr_nonnull(srt);
}

static void teardown(void)
{
    free(clip);
    free(srt);
    tu_test_dir_done(dir);
    dir = clip = srt = NULL;
}

typedef struct img {
    int w, h;
    uint8_t *rgb;
} img;

static img load(const char *path)
{
    img m = {0};
    TU_OK(tu_read_image_rgb(path, &m.w, &m.h, &m.rgb));
    ck_assert_int_eq(m.w, W);
    ck_assert_int_eq(m.h, H);
    return m;
}

/* Pixels of rows [y0, y1) that differ from the flat grey of the clip by
 * more than 40 in any channel (captions: white, yellow, dark outlines). */
static long marked(const img *m, int y0, int y1)
{
    const uint8_t *ref = m->rgb; /* the top-left pixel is background */
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < m->w; x++) {
            const uint8_t *p = &m->rgb[((size_t)y * m->w + x) * 3];
            n += abs(p[0] - ref[0]) > 40 || abs(p[1] - ref[1]) > 40 || abs(p[2] - ref[2]) > 40;
        }
    return n;
}

/* Pixels near rgb in rows [y0, y1): count, and their x range. */
static long near_color(const img *m, const uint8_t rgb[3], int tol, int y0, int y1, int *x0,
                       int *x1)
{
    long n = 0;
    *x0 = m->w;
    *x1 = -1;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < m->w; x++) {
            const uint8_t *p = &m->rgb[((size_t)y * m->w + x) * 3];
            if (abs(p[0] - rgb[0]) <= tol && abs(p[1] - rgb[1]) <= tol &&
                abs(p[2] - rgb[2]) <= tol) {
                n++;
                if (x < *x0)
                    *x0 = x;
                if (x > *x1)
                    *x1 = x;
            }
        }
    return n;
}

static zimu_job *job_for(const char *subs)
{
    zimu_job *job = tu_job(clip, subs, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    zimu_job_set_overwrite(job, 1);
    return job;
}

#define OK(call)                                                                            \
    do {                                                                                    \
        int rc_ = (call);                                                                   \
        ck_assert_msg(rc_ == 0, "%s: %d (%s) %s", #call, rc_, zimu_strerror(rc_),           \
                      zimu_job_errmsg(job));                                                \
    } while (0)

/* Douyin's zones on this frame: top 0.12, bottom 0.25. */
#define SAFE_TOP (int)(0.12 * H)
#define SAFE_BOTTOM (int)(H - 0.25 * H)

START_TEST(test_preview_title_and_caption)
{
    zimu_job *job = job_for(srt);
    char *png = tu_path(dir, "p.png");
    OK(zimu_job_set_title(job, "社区讲堂"));
    OK(zimu_job_preview(job, 500, png));
    img m = load(png);
    /* the title at the top of the safe area, the caption above its bottom;
     * nothing in the app's zones */
    ck_assert_int_gt(marked(&m, SAFE_TOP, H / 3), 200);
    ck_assert_int_gt(marked(&m, H / 2, SAFE_BOTTOM), 200);
    ck_assert_int_eq(marked(&m, 0, SAFE_TOP), 0);
    ck_assert_int_eq(marked(&m, SAFE_BOTTOM + 1, H), 0);
    free(m.rgb);
    /* no title: nothing at the top */
    OK(zimu_job_set_title(job, NULL));
    OK(zimu_job_preview(job, 500, png));
    m = load(png);
    ck_assert_int_eq(marked(&m, 0, H / 3), 0);
    ck_assert_int_gt(marked(&m, H / 2, SAFE_BOTTOM), 200);
    free(m.rgb);
    /* another app: Reels keeps more room at the bottom */
    OK(zimu_job_set_safe_area(job, "reels"));
    OK(zimu_job_preview(job, 500, png));
    m = load(png);
    ck_assert_int_eq(marked(&m, (int)(H - 0.26 * H) + 1, H), 0);
    free(m.rgb);
    OK(zimu_job_set_safe_area(job, "none"));
    OK(zimu_job_preview(job, 500, png));
    m = load(png);
    ck_assert_int_gt(marked(&m, SAFE_BOTTOM + 1, H), 100); /* lower without one */
    free(m.rgb);
    free(png);
    zimu_job_free(&job);
}
END_TEST

START_TEST(test_cover)
{
    zimu_job *job = job_for(srt);
    char *png = tu_path(dir, "cover.png");
    OK(zimu_job_set_title(job, "家庭理财"));
    OK(zimu_job_cover(job, 500, png));
    img m = load(png);
    /* the title big in the middle; no caption, no title at the top */
    long mid = marked(&m, H / 4, H * 3 / 4);
    ck_assert_int_gt(mid, 2000);
    ck_assert_int_eq(marked(&m, 0, H / 4), 0);
    ck_assert_int_eq(marked(&m, (int)(H * 0.72), H), 0);
    free(m.rgb);
    /* the preview of the same time has the caption there */
    OK(zimu_job_preview(job, 500, png));
    m = load(png);
    ck_assert_int_gt(marked(&m, (int)(H * 0.55), SAFE_BOTTOM), 200);
    free(m.rgb);
    /* without a title: the plain frame */
    OK(zimu_job_set_title(job, NULL));
    OK(zimu_job_cover(job, 500, png));
    m = load(png);
    ck_assert_int_eq(marked(&m, 0, H), 0);
    free(m.rgb);
    /* like a preview: refuses to replace a file unless told */
    zimu_job_set_overwrite(job, 0);
    ck_assert_int_eq(zimu_job_cover(job, 500, png), ZIMU_EEXIST);
    ck_assert_int_eq(zimu_job_cover(job, -1, png), ZIMU_EINVAL);
    free(png);
    zimu_job_free(&job);
}
END_TEST

START_TEST(test_style_errors)
{
    zimu_job *job = job_for(srt);
    char *png = tu_path(dir, "e.png");
    OK(zimu_job_set_style(job, "fancy"));
    ck_assert_int_eq(zimu_job_preview(job, 500, png), ZIMU_ESTYLE);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "style 'fancy' is neither a preset"), "%s",
                  zimu_job_errmsg(job));
    ck_assert(!tu_exists(png));
    char *style = tu_write_text(dir, "bad.style", "base = box\nsize = huge\n");
    ck_assert_ptr_nonnull(style);
    OK(zimu_job_set_style(job, style));
    ck_assert_int_eq(zimu_job_preview(job, 500, png), ZIMU_ESTYLE);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof want, "%s:2: key 'size': 'huge'", style);
    ck_assert_msg(strstr(zimu_job_errmsg(job), want), "%s", zimu_job_errmsg(job));
    /* a good file */
    free(style);
    style = tu_write_text(dir, "good.style", "base = box\nsize = 30px\ncolor = #FFE000\n");
    OK(zimu_job_set_style(job, style));
    OK(zimu_job_preview(job, 500, png));
    img m = load(png);
    static const uint8_t yellow[3] = {0xFF, 0xE0, 0x00};
    int x0, x1;
    ck_assert_int_gt(near_color(&m, yellow, 40, H / 2, SAFE_BOTTOM, &x0, &x1), 100);
    free(m.rgb);
    /* overrides */
    OK(zimu_job_set_style_option(job, "colr", "#FFFFFF"));
    ck_assert_int_eq(zimu_job_preview(job, 500, png), ZIMU_ESTYLE);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "style option: key 'colr': unknown key"), "%s",
                  zimu_job_errmsg(job));
    ck_assert_int_eq(zimu_job_set_style_option(job, "", "x"), ZIMU_EINVAL);
    zimu_job_free(&job);
    job = job_for(srt);
    OK(zimu_job_set_safe_area(job, "myspace"));
    ck_assert_int_eq(zimu_job_preview(job, 500, png), ZIMU_ESTYLE);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "safe area 'myspace'"), "%s",
                  zimu_job_errmsg(job));
    /* the same for a run, before any output appears */
    char *out = tu_path(dir, "out.mp4");
    OK(zimu_job_set_output(job, out));
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ESTYLE);
    ck_assert(!tu_exists(out));
    ck_assert_int_eq(zimu_job_set_max_lines(job, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_max_lines(job, 11), ZIMU_EINVAL);
    free(out);
    free(style);
    free(png);
    zimu_job_free(&job);
}
END_TEST

/* Enhanced LRC word times, highlighted word by word in the frames. */
START_TEST(test_highlight_lrc)
{
    char *lrc = tu_write_text(dir, "w.lrc",
                              "[00:00.00]<00:00.00>各位<00:00.50>居民<00:01.00>朋友们\n"
                              "[00:02.00]\n");
    ck_assert_ptr_nonnull(lrc);
    zimu_job *job = job_for(lrc);
    OK(zimu_job_set_highlight(job, 1));
    char *png = tu_path(dir, "h.png");
    static const uint8_t yellow[3] = {0xFF, 0xE0, 0x00};
    int xa0, xa1, xb0, xb1, xc0, xc1;
    OK(zimu_job_preview(job, 250, png));
    img m = load(png);
    ck_assert_int_gt(near_color(&m, yellow, 40, H / 2, SAFE_BOTTOM, &xa0, &xa1), 30);
    free(m.rgb);
    OK(zimu_job_preview(job, 750, png));
    m = load(png);
    ck_assert_int_gt(near_color(&m, yellow, 40, H / 2, SAFE_BOTTOM, &xb0, &xb1), 30);
    free(m.rgb);
    OK(zimu_job_preview(job, 1500, png));
    m = load(png);
    ck_assert_int_gt(near_color(&m, yellow, 40, H / 2, SAFE_BOTTOM, &xc0, &xc1), 30);
    free(m.rgb);
    ck_assert_msg(xa1 < xb0 + 3 && xb1 < xc0 + 3, "words at %d-%d, %d-%d, %d-%d", xa0, xa1,
                  xb0, xb1, xc0, xc1);
    /* off: no yellow */
    OK(zimu_job_set_highlight(job, 0));
    OK(zimu_job_preview(job, 750, png));
    m = load(png);
    ck_assert_int_eq(near_color(&m, yellow, 40, 0, H, &xa0, &xa1), 0);
    free(m.rgb);
    free(png);
    free(lrc);
    zimu_job_free(&job);
}
END_TEST

/* An ASS script's own karaoke tags, through the whole pipeline: libass
 * draws each syllable in the secondary colour (blue) until its time, then
 * in the primary one (red). A title is drawn beside the script. */
START_TEST(test_ass_karaoke)
{
    char *ass = tu_write_text(dir, "k.ass",
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 360\nPlayResY: 640\n\n"
        "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
        "Style: Default,Noto Sans CJK SC,60,&H000000FF,&H00FF0000,&H00000000,&H00000000,0,0,"
        "0,0,100,100,0,0,1,0,0,5,10,10,10,1\n\n"
        "[Events]\n" TU_ASS_EVENT_FORMAT
        "Dialogue: 0,0:00:00.00,0:00:02.00,Default,,0,0,0,,{\\k50}卡拉{\\k100}字幕\n");
    ck_assert_ptr_nonnull(ass);
    zimu_job *job = job_for(ass);
    OK(zimu_job_set_title(job, "标题"));
    char *png = tu_path(dir, "k.png");
    static const uint8_t red[3] = {255, 0, 0}, blue[3] = {0, 0, 255}, white[3] = {255, 255, 255};
    int r0, r1, b0, b1, w0, w1;
    OK(zimu_job_preview(job, 250, png));
    img m = load(png);
    ck_assert_int_gt(near_color(&m, red, 60, H / 3, H * 2 / 3, &r0, &r1), 200);
    ck_assert_int_gt(near_color(&m, blue, 60, H / 3, H * 2 / 3, &b0, &b1), 200);
    ck_assert_msg(r1 < b0 + 3, "sung (%d-%d) is not left of unsung (%d-%d)", r0, r1, b0, b1);
    ck_assert_int_gt(near_color(&m, white, 30, 0, H / 3, &w0, &w1), 100); /* the title */
    free(m.rgb);
    OK(zimu_job_preview(job, 1000, png));
    m = load(png);
    ck_assert_int_gt(near_color(&m, red, 60, H / 3, H * 2 / 3, &r0, &r1), 400);
    ck_assert_int_eq(near_color(&m, blue, 60, H / 3, H * 2 / 3, &b0, &b1), 0);
    free(m.rgb);
    free(png);
    free(ass);
    zimu_job_free(&job);
}
END_TEST

/* ------------------------------------------------------------------------
 * The zimu command.
 */

static const char *zimu_bin(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("ZIMU_BIN");
    if (env && *env)
        return env;
    if (!realpath("build/zimu", path))
        ck_abort_msg("build/zimu not found: run from the top of the tree or set ZIMU_BIN");
    return path;
}

typedef struct result {
    int status;
    char out[8192], err[8192];
} result;

/* Run zimu with args (NULL-terminated); status, stdout and stderr. */
static void run(result *r, const char *const *args)
{
    const char *argv[48];
    int n = 0;
    argv[n++] = zimu_bin();
    for (; args[n - 1] && n < 47; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char *op = tu_path(dir, "stdout"), *ep = tu_path(dir, "stderr");
    fflush(NULL);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        int o = open(op, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    ck_assert(waitpid(pid, &st, 0) == pid);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    FILE *f = fopen(op, "r");
    size_t k = f ? fread(r->out, 1, sizeof r->out - 1, f) : 0;
    r->out[k] = 0;
    if (f)
        fclose(f);
    f = fopen(ep, "r");
    k = f ? fread(r->err, 1, sizeof r->err - 1, f) : 0;
    r->err[k] = 0;
    if (f)
        fclose(f);
    free(op);
    free(ep);
}

#define EXPECT(r, code)                                                                     \
    ck_assert_msg((r).status == (code), "exit %d, want %d; stderr: %s", (r).status, (code), \
                  (r).err)

START_TEST(test_cli_styles)
{
    result r;
    run(&r, (const char *[]){"styles", NULL});
    EXPECT(r, 0);
    for (int i = 0; i < zimu_style_count(); i++) {
        ck_assert_msg(strstr(r.out, zimu_style_name(i)), "%s missing:\n%s", zimu_style_name(i),
                      r.out);
        ck_assert(strstr(r.out, zimu_style_description(i)));
    }
    /* the library's safe areas and fit modes, as it describes them */
    const int kinds[] = {ZIMU_NAMES_SAFE_AREA, ZIMU_NAMES_FIT};
    for (int k = 0; k < 2; k++)
        for (int i = 0; zimu_name(kinds[k], i); i++) {
            ck_assert_msg(strstr(r.out, zimu_name(kinds[k], i)), "%s missing:\n%s",
                          zimu_name(kinds[k], i), r.out);
            ck_assert_msg(strstr(r.out, zimu_name_description(kinds[k], i)), "'%s' missing:\n%s",
                          zimu_name_description(kinds[k], i), r.out);
        }
    run(&r, (const char *[]){"styles", "extra", NULL});
    EXPECT(r, 1);
    run(&r, (const char *[]){"help", "styles", NULL});
    EXPECT(r, 0);
    ck_assert(strstr(r.out, "zimu styles"));
    run(&r, (const char *[]){"burn", "--help", NULL});
    EXPECT(r, 0);
    const char *opts[] = {"--style", "--style-set", "--safe-area", "--max-lines", "--highlight",
                          "--title"};
    for (size_t i = 0; i < 6; i++)
        ck_assert_msg(strstr(r.out, opts[i]), "burn --help lacks %s", opts[i]);
    run(&r, (const char *[]){"preview", "--help", NULL});
    EXPECT(r, 0);
    ck_assert(strstr(r.out, "--cover"));
}
END_TEST

START_TEST(test_cli_preview_flags)
{
    char *png = tu_path(dir, "a.png"), *plain = tu_path(dir, "plain.png");
    result r;
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", plain, "-q", NULL});
    EXPECT(r, 0);
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", png, "--style",
                             "box", "--style-set", "size=0.05,color=#FFE000",
                             "--style-set", "title.color=#FFE000", "--safe-area", "tiktok",
                             "--max-lines", "1", "--highlight", "--title", "标题", NULL});
    EXPECT(r, 0);
    img a = load(png), b = load(plain);
    static const uint8_t yellow[3] = {0xFF, 0xE0, 0x00};
    int x0, x1;
    ck_assert_int_gt(near_color(&a, yellow, 40, 0, H / 3, &x0, &x1), 50);     /* title */
    ck_assert_int_gt(near_color(&a, yellow, 40, H / 2, H, &x0, &x1), 50);     /* caption */
    ck_assert_int_eq(near_color(&b, yellow, 40, 0, H, &x0, &x1), 0);
    ck_assert_int_eq(marked(&a, (int)(H - 0.24 * H) + 1, H), 0); /* tiktok's bottom */
    free(a.rgb);
    free(b.rgb);
    /* the cover needs no captions */
    char *cov = tu_path(dir, "cover.png");
    run(&r, (const char *[]){"preview", clip, "--cover", "--title", "封面", "-t", "1", "-o",
                             cov, NULL});
    EXPECT(r, 0);
    ck_assert(strstr(r.err, "cover"));
    a = load(cov);
    ck_assert_int_gt(marked(&a, H / 4, H * 3 / 4), 1000);
    free(a.rgb);
    free(cov);
    free(png);
    free(plain);
}
END_TEST

START_TEST(test_cli_bad_flags)
{
    char *png = tu_path(dir, "b.png");
    result r;
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", png, "--style-set",
                             "size", NULL});
    EXPECT(r, 1);
    ck_assert(strstr(r.err, "--style-set: 'size' is not key=value"));
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", png, "--style-set",
                             "colr=#FFFFFF", NULL});
    EXPECT(r, 6);
    ck_assert_msg(strstr(r.err, "key 'colr': unknown key"), "%s", r.err);
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", png, "--style",
                             "nosuch", NULL});
    EXPECT(r, 6);
    ck_assert(strstr(r.err, "'nosuch'"));
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", png, "--safe-area",
                             "youtube", NULL});
    EXPECT(r, 6);
    run(&r, (const char *[]){"preview", clip, "-s", srt, "-t", "0.5", "-o", png, "--max-lines",
                             "0", NULL});
    EXPECT(r, 1);
    ck_assert(strstr(r.err, "--max-lines"));
    run(&r, (const char *[]){"preview", clip, "-t", "0.5", "-o", png, NULL});
    EXPECT(r, 1); /* captions needed without --cover */
    char *out = tu_path(dir, "o.mp4");
    run(&r, (const char *[]){"burn", clip, "-s", srt, "-o", out, "--cover", NULL});
    EXPECT(r, 1);
    ck_assert(!tu_exists(png));
    ck_assert(!tu_exists(out));
    free(out);
    free(png);
}
END_TEST

START_TEST(test_cli_burn)
{
    char *lrc = tu_write_text(dir, "w.lrc",
                              "[00:00.00]<00:00.00>各位<00:00.50>居民<00:01.00>朋友们\n");
    char *out = tu_path(dir, "out.mp4");
    result r;
    run(&r, (const char *[]){"burn", clip, "-s", lrc, "-o", out, "--preset", "ultrafast",
                             "--crf", "0", "--style", "karaoke", "--title", "标题",
                             "--max-lines", "2", "-q", NULL});
    EXPECT(r, 0);
    tu_video v;
    TU_OK(tu_read_video(out, &v, 1));
    ck_assert_int_eq(v.n, 60);
    /* frame 45 (1.5 s, the third word): cyan karaoke fill below the middle */
    int cyan = 0;
    for (int y = H / 2; y < SAFE_BOTTOM; y++)
        for (int x = 0; x < W; x++) {
            uint8_t rgb[3];
            tu_pixel_rgb(&v, 45, x, y, rgb);
            cyan += rgb[0] < 120 && rgb[1] > 170 && rgb[2] > 200;
        }
    ck_assert_int_gt(cyan, 100);
    tu_video_free(&v);
    free(out);
    free(lrc);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("style_job");
    TCase *tc = tcase_create("api");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_preview_title_and_caption);
    tcase_add_test(tc, test_cover);
    tcase_add_test(tc, test_style_errors);
    tcase_add_test(tc, test_highlight_lrc);
    tcase_add_test(tc, test_ass_karaoke);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cli_styles);
    tcase_add_test(tc, test_cli_preview_flags);
    tcase_add_test(tc, test_cli_bad_flags);
    tcase_add_test(tc, test_cli_burn);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
