/* check_threads.c - one font context shared by renderers and jobs on
 * several threads at once (public API only): the header promises that a
 * loaded zimu_fonts is read only and may be used from any number of
 * threads, and that distinct renderers and jobs may run on distinct
 * threads. Renderers on threads must draw exactly what the same renderers
 * draw one after another; jobs on threads must all succeed.
 *
 * `make tsan` runs this suite under ThreadSanitizer. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zimu.h>

#include "util_clip.h"

enum { N_THREADS = 4, N_FRAMES = 30, W = 320, H = 568 };

/* Each worker's captions: its own text, its own style preset. Cues cover
 * part of the frames' times (0 to 1160 ms), so some frames stay grey. */
static const char *const cue_text[N_THREADS][2] = {
    {"第一个线程的字幕", "法律讲座第一讲"},
    {"第二个线程 second thread", "家庭理财小知识"},
    {"第三个线程的字幕比较长，需要换行才能放得下", "健康生活"},
    {"第四个线程", "社区办公室通知：本周六上午九点开会"},
};
static const int64_t cue_start[2] = {100, 620};
static const int64_t cue_end[2] = {500, 1000};

static int64_t frame_time(int j)
{
    return (int64_t)j * 40; /* 0, 40, ... 1160 ms */
}

static int frame_shown(int j)
{
    int64_t t = frame_time(j);
    return (t >= cue_start[0] && t < cue_end[0]) || (t >= cue_start[1] && t < cue_end[1]);
}

typedef struct worker {
    int idx;
    zimu_fonts *fonts;              /* shared context, or NULL: the renderer's own */
    zimu_renderer *r;               /* made by the caller, or NULL: made here */
    uint64_t sum[N_FRAMES];         /* FNV-1a of the three planes after drawing */
    int changed[N_FRAMES];          /* what draw returned */
    int rc;                         /* 0, or the failing call's code */
    char err[512];
} worker;

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#define WFAIL(w, code, ...)                                       \
    do {                                                          \
        (w)->rc = (code) < 0 ? (code) : ZIMU_EINVAL;              \
        snprintf((w)->err, sizeof (w)->err, __VA_ARGS__);         \
        goto out;                                                 \
    } while (0)

/* Lay out worker w's captions and draw N_FRAMES frames, each onto a fresh
 * mid-grey frame, recording a checksum of each. Runs on any thread; frees
 * the renderer when done. */
static void *render_work(void *arg)
{
    worker *w = arg;
    size_t size = (size_t)W * H * 3 / 2;
    zimu_subs *subs = zimu_subs_new();
    zimu_renderer *r = w->r ? w->r : zimu_renderer_new();
    uint8_t *buf = malloc(size);
    int e;
    w->r = NULL;
    if (!subs || !r || !buf)
        WFAIL(w, ZIMU_ENOMEM, "out of memory");
    char srt[1024], a[16], b[16], c[16], d[16];
    tu_srt_time(a, cue_start[0]);
    tu_srt_time(b, cue_end[0]);
    tu_srt_time(c, cue_start[1]);
    tu_srt_time(d, cue_end[1]);
    int n = snprintf(srt, sizeof srt, "1\n%s --> %s\n%s\n\n2\n%s --> %s\n%s\n", a, b,
                     cue_text[w->idx][0], c, d, cue_text[w->idx][1]);
    if ((e = zimu_subs_load_data(subs, srt, (size_t)n, "threads.srt")) < 0)
        WFAIL(w, e, "zimu_subs_load_data: %s", zimu_subs_errmsg(subs));
    const char *style = zimu_style_name(w->idx % zimu_style_count());
    if (w->fonts && (e = zimu_renderer_set_fonts(r, w->fonts)) < 0)
        WFAIL(w, e, "zimu_renderer_set_fonts: %s", zimu_errmsg(r));
    if ((e = zimu_renderer_set_captions(r, subs)) < 0 ||
        (e = zimu_renderer_set_size(r, W, H)) < 0 ||
        (e = zimu_renderer_set_style(r, style)) < 0 ||
        (e = zimu_renderer_prepare(r)) < 0)
        WFAIL(w, e, "renderer set-up (style %s): %s", style, zimu_errmsg(r));
    uint8_t *planes[3] = {buf, buf + W * H, buf + W * H + (W / 2) * (H / 2)};
    int strides[3] = {W, W / 2, W / 2};
    for (int j = 0; j < N_FRAMES; j++) {
        memset(buf, 128, size);
        e = zimu_renderer_draw_yuv420(r, frame_time(j), planes, strides, ZIMU_MATRIX_BT601, 0);
        if (e < 0)
            WFAIL(w, e, "draw at %lld ms: %s", (long long)frame_time(j), zimu_errmsg(r));
        w->changed[j] = e;
        w->sum[j] = fnv1a(buf, size);
    }
out:
    free(buf);
    zimu_renderer_free(&r);
    zimu_subs_free(&subs);
    return NULL;
}

static uint64_t grey_sum(void)
{
    size_t n = (size_t)W * H * 3 / 2;
    uint8_t *buf = malloc(n);
    ck_assert(buf);
    memset(buf, 128, n);
    uint64_t h = fnv1a(buf, n);
    free(buf);
    return h;
}

/* The single-threaded reference, each renderer with its own fonts; and
 * with it, that the frames are worth comparing: captions drawn during the
 * cues, nothing outside them, each worker's captions its own. */
static void reference(worker ref[N_THREADS])
{
    uint64_t grey = grey_sum();
    for (int i = 0; i < N_THREADS; i++) {
        ref[i] = (worker){.idx = i};
        render_work(&ref[i]);
        ck_assert_msg(ref[i].rc == 0, "reference renderer %d: %d (%s): %s", i, ref[i].rc,
                      zimu_strerror(ref[i].rc), ref[i].err);
        for (int j = 0; j < N_FRAMES; j++) {
            if (frame_shown(j))
                ck_assert_msg(ref[i].sum[j] != grey, "renderer %d drew nothing at %lld ms",
                              i, (long long)frame_time(j));
            else
                ck_assert_msg(ref[i].sum[j] == grey, "renderer %d drew at %lld ms, outside "
                              "the cues", i, (long long)frame_time(j));
        }
    }
    /* Different text and style: different pixels (frame 5 is 200 ms, in
     * the first cue). */
    for (int i = 0; i < N_THREADS; i++)
        for (int k = i + 1; k < N_THREADS; k++)
            ck_assert_msg(ref[i].sum[5] != ref[k].sum[5],
                          "renderers %d and %d drew the same frame", i, k);
}

static zimu_fonts *load_fonts(void)
{
    zimu_fonts *fonts = zimu_fonts_new();
    ck_assert(fonts);
    int e = zimu_fonts_load(fonts);
    ck_assert_msg(e == 0, "zimu_fonts_load: %d (%s): %s", e, zimu_strerror(e),
                  zimu_errmsg(fonts));
    return fonts;
}

static void run_threads(worker w[N_THREADS])
{
    pthread_t th[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, render_work, &w[i]), 0);
    for (int i = 0; i < N_THREADS; i++)
        ck_assert_int_eq(pthread_join(th[i], NULL), 0);
}

static void same_as_reference(const worker w[N_THREADS], const worker ref[N_THREADS])
{
    for (int i = 0; i < N_THREADS; i++) {
        ck_assert_msg(w[i].rc == 0, "thread %d: %d (%s): %s", i, w[i].rc,
                      zimu_strerror(w[i].rc), w[i].err);
        for (int j = 0; j < N_FRAMES; j++) {
            ck_assert_msg(w[i].sum[j] == ref[i].sum[j],
                          "thread %d, frame %d (%lld ms): pixels differ from the "
                          "single-threaded renderer's", i, j, (long long)frame_time(j));
            ck_assert_msg(w[i].changed[j] == ref[i].changed[j],
                          "thread %d, frame %d: draw returned %d, alone %d", i, j,
                          w[i].changed[j], ref[i].changed[j]);
        }
    }
}

/* Four renderers on four threads, one font context loaded once: every
 * frame equals the same renderer's frame drawn alone with its own fonts. */
START_TEST(test_renderers_share_fonts)
{
    worker ref[N_THREADS], w[N_THREADS];
    reference(ref);
    zimu_fonts *fonts = load_fonts();
    for (int i = 0; i < N_THREADS; i++)
        w[i] = (worker){.idx = i, .fonts = fonts};
    run_threads(w);
    zimu_fonts_free(&fonts);
    ck_assert_ptr_null(fonts);
    same_as_reference(w, ref);
}
END_TEST

/* The caller drops its reference before the threads start: the renderers'
 * references keep the context alive, and the last renderer freed (on some
 * thread) frees it. */
START_TEST(test_fonts_outlive_caller_reference)
{
    worker ref[N_THREADS], w[N_THREADS];
    reference(ref);
    zimu_fonts *fonts = load_fonts();
    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (worker){.idx = i, .r = zimu_renderer_new()};
        ck_assert(w[i].r);
        ck_assert_int_eq(zimu_renderer_set_fonts(w[i].r, fonts), 0);
    }
    zimu_fonts_free(&fonts);
    run_threads(w);
    same_as_reference(w, ref);
}
END_TEST

/* ------------------------------------------------------------------------
 * Jobs on threads.
 */

typedef struct job_worker {
    zimu_job *job;
    int rc;
} job_worker;

static void *job_work(void *arg)
{
    job_worker *jw = arg;
    jw->rc = zimu_job_run(jw->job);
    return NULL;
}

/* Four burns on four threads sharing one font context (the caller's
 * reference dropped before they run): all succeed, and each output is,
 * frame for frame, the output of the same job run alone with its own
 * fonts. */
START_TEST(test_jobs_share_fonts)
{
    char *dir = tu_test_dir();
    char *in[N_THREADS], *subs[N_THREADS], *out[N_THREADS], *alone[N_THREADS];
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 30;
    o.bg = TU_BG_GREY;
    o.markers = 0;
    for (int i = 0; i < N_THREADS; i++) {
        char name[64];
        snprintf(name, sizeof name, "in%d.mp4", i);
        in[i] = tu_path(dir, name);
        TU_OK(tu_make_clip(in[i], &o));
        snprintf(name, sizeof name, "in%d.srt", i);
        const char *text[2] = {cue_text[i][0], cue_text[i][1]};
        subs[i] = tu_write_srt(dir, name, 2, cue_start, cue_end, text);
        ck_assert_msg(subs[i], "%s", tu_err());
        snprintf(name, sizeof name, "out%d.mp4", i);
        out[i] = tu_path(dir, name);
        snprintf(name, sizeof name, "alone%d.mp4", i);
        alone[i] = tu_path(dir, name);
    }

    zimu_fonts *fonts = load_fonts();
    job_worker jw[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        jw[i] = (job_worker){.job = tu_job(in[i], subs[i], out[i])};
        ck_assert_msg(jw[i].job, "%s", tu_err());
        ck_assert_int_eq(zimu_job_set_style(jw[i].job, zimu_style_name(i % zimu_style_count())), 0);
        ck_assert_int_eq(zimu_job_set_fonts(jw[i].job, fonts), 0);
    }
    zimu_fonts_free(&fonts);
    pthread_t th[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, job_work, &jw[i]), 0);
    for (int i = 0; i < N_THREADS; i++)
        ck_assert_int_eq(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < N_THREADS; i++) {
        ck_assert_msg(jw[i].rc == 0, "job %d: %d (%s): %s", i, jw[i].rc,
                      zimu_strerror(jw[i].rc), zimu_job_errmsg(jw[i].job));
        const zimu_stats *st = zimu_job_stats(jw[i].job);
        ck_assert_int_eq(st->frames, 30);
        ck_assert_msg(st->overlay_updates >= 2, "job %d: captions changed on %lld frames",
                      i, (long long)st->overlay_updates);
        zimu_job_free(&jw[i].job);
    }

    /* The same jobs one after another, each with its own fonts. */
    for (int i = 0; i < N_THREADS; i++) {
        zimu_job *job = tu_job(in[i], subs[i], alone[i]);
        ck_assert_msg(job, "%s", tu_err());
        ck_assert_int_eq(zimu_job_set_style(job, zimu_style_name(i % zimu_style_count())), 0);
        TU_RUN_OK(job);
        zimu_job_free(&job);
        tu_video a, b;
        TU_OK(tu_read_video(out[i], &a, 1));
        TU_OK(tu_read_video(alone[i], &b, 1));
        ck_assert_int_eq(a.n, 30);
        ck_assert_int_eq(b.n, 30);
        for (int k = 0; k < a.n; k++) {
            long d = tu_frame_diff(&a, k, &b, k, 0, NULL);
            ck_assert_msg(d == 0, "job %d, frame %d: %ld pixels differ from the job run "
                          "alone", i, k, d);
        }
        /* and the captions are there: some frame differs from the grey
         * source frame */
        long drawn = 0;
        uint8_t *y = malloc((size_t)o.width * o.height * 3 / 2);
        ck_assert(y);
        for (int k = 0; k < a.n; k++) {
            tu_clip_frame(&o, k, y, y + o.width * o.height,
                          y + o.width * o.height + (o.width / 2) * (o.height / 2));
            drawn += tu_frame_diff_planes(&a, k, y, y + o.width * o.height,
                                          y + o.width * o.height + (o.width / 2) * (o.height / 2),
                                          0, NULL);
        }
        free(y);
        ck_assert_msg(drawn > 0, "job %d: no caption in the output", i);
        tu_video_free(&a);
        tu_video_free(&b);
    }
    for (int i = 0; i < N_THREADS; i++) {
        free(in[i]);
        free(subs[i]);
        free(out[i]);
        free(alone[i]);
    }
    tu_test_dir_done(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("renderers");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_renderers_share_fonts);
    tcase_add_test(tc, test_fonts_outlive_caller_reference);
    suite_add_tcase(s, tc);

    tc = tcase_create("jobs");
    tcase_set_timeout(tc, 300);
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_test(tc, test_jobs_share_fonts);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
