/* check_flash_job.c - flash text videos end to end: zimu_job_set_flash in
 * both modes (stand-alone cards, cards over a clip), the card source's
 * colours, beat-synced cards against zimu_beats, the PNG frame and cover
 * time, cancel, script errors, and `zimu flash` as a user runs it.
 *
 * Outputs are small (270x480 or the clip's 320x568) and lossless (CRF 0)
 * where pixels are compared; each card gets its own background colour, so
 * the frame where a card starts shows in a corner pixel. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cardsrc.h"
#include "util_clip.h"
#include "zimu.h"

#define RATE 44100

static char *dir;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
}

static void teardown(void)
{
    tu_test_dir_done(dir);
    dir = NULL;
}

/* ---- helpers ---------------------------------------------------------------- */

/* Card colours, one per card (far apart, so any one pixel tells them). */
static const uint8_t palette[6][3] = {
    {220, 30, 30}, {30, 200, 40}, {40, 60, 230}, {240, 220, 20}, {200, 40, 220}, {20, 210, 220},
};
static const char *const palette_hex[6] = {"#DC1E1E", "#1EC828", "#283CE6",
                                           "#F0DC14", "#C828DC", "#14D2DC"};

/* Index of the palette colour nearest pixel (4, 4) of frame i, or -1 when
 * none is near (more than 30 away in any channel). */
static int card_at(const tu_video *v, int i)
{
    uint8_t rgb[3];
    tu_pixel_rgb(v, i, 4, 4, rgb);
    for (int k = 0; k < 6; k++) {
        int ok = 1;
        for (int c = 0; c < 3; c++)
            ok &= abs(rgb[c] - palette[k][c]) <= 30;
        if (ok)
            return k;
    }
    return -1;
}

/* A job making a lossless flash video of script text into dir/out. */
static zimu_job *flash_job(const char *script, const char *out)
{
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_flash_data(job, script, strlen(script), "script"), 0);
    if (out) {
        char *p = tu_path(dir, out);
        ck_assert_int_eq(zimu_job_set_output(job, p), 0);
        free(p);
    }
    ck_assert_int_eq(zimu_job_set_crf(job, 0), 0);
    ck_assert_int_eq(zimu_job_set_preset(job, "ultrafast"), 0);
    return job;
}

static void run_ok(zimu_job *job)
{
    int r = zimu_job_run(job);
    ck_assert_msg(r == 0, "run: %s: %s", zimu_strerror(r), zimu_job_errmsg(job));
}

/* n cards of one second each, at 0, 1, 2 ... s, card k on colour k. */
static char *timed_script(int n, const char *extra_headers)
{
    static char buf[4096];
    int len = snprintf(buf, sizeof buf, "%sin: none\nout: none\n",
                       extra_headers ? extra_headers : "");
    for (int k = 0; k < n; k++)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "卡片%d | at: %d, dur: 1, bg: %s\n",
                        k + 1, k, palette_hex[k]);
    return buf;
}

/* A 16-bit mono WAV of kicks at bpm from first (s), seconds long. */
static char *kick_wav(const char *name, double bpm, double first, double seconds)
{
    int n = (int)(seconds * RATE);
    int16_t *s = calloc((size_t)n, sizeof *s);
    ck_assert_ptr_nonnull(s);
    for (double t = first; t < seconds; t += 60.0 / bpm) {
        int i0 = (int)lround(t * RATE);
        double ph = 0;
        for (int i = 0; i < RATE / 4 && i0 + i < n; i++) {
            double u = (double)i / RATE;
            ph += 2 * M_PI * (50 + 100 * exp(-u * 30)) / RATE;
            s[i0 + i] = (int16_t)lround(26000 * sin(ph) * exp(-u * 12));
        }
    }
    char *p = tu_path(dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    uint32_t bytes = (uint32_t)n * 2;
    uint32_t hdr32[] = {36 + bytes, 16, RATE, RATE * 2};
    uint16_t pcm[] = {1, 1}, align[] = {2, 16};
    fwrite("RIFF", 1, 4, f);
    fwrite(&hdr32[0], 4, 1, f);
    fwrite("WAVEfmt ", 1, 8, f);
    fwrite(&hdr32[1], 4, 1, f);
    fwrite(pcm, 2, 2, f);
    fwrite(&hdr32[2], 4, 2, f);
    fwrite(align, 2, 2, f);
    fwrite("data", 1, 4, f);
    fwrite(&bytes, 4, 1, f);
    fwrite(s, 2, (size_t)n, f);
    fclose(f);
    free(s);
    return p;
}

/* Seconds the audio packets of a run cover. */
static double audio_seconds(const tu_audio *a)
{
    if (!a->present || !a->n)
        return 0;
    const tu_packet *l = &a->p[a->n - 1];
    return tu_pts_sec(l->pts + l->duration, a->time_base) - tu_pts_sec(a->p[0].pts, a->time_base);
}

/* The picture at png shows frame i of v. The PNG's chroma is
 * interpolated, the test's is not: only at sharp edges (the text's
 * outline) do they differ much. */
static void png_is_frame(const char *png, const tu_video *v, int i)
{
    int w, h;
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(png, &w, &h, &rgb));
    ck_assert_int_eq(w, v->width);
    ck_assert_int_eq(h, v->height);
    long bad = 0, sum = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t q[3];
            tu_pixel_rgb(v, i, x, y, q);
            for (int c = 0; c < 3; c++) {
                int d = abs(q[c] - rgb[3 * (y * w + x) + c]);
                sum += d;
                bad += d > 60;
            }
        }
    ck_assert_msg(bad < w * h / 2000 && sum < 9L * w * h / 10,
                  "frame %d: %ld values differ much from the PNG, %.2f on average", i, bad,
                  sum / (3.0 * w * h));
    free(rgb);
}

/* ---- the card source ---------------------------------------------------------- */

/* A solid background is the colour in BT.709 limited range; a gradient
 * runs from c1 at one edge to c2 at the other, along its angle. */
START_TEST(test_cardsrc_colours)
{
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = 64;
    f->height = 96;
    ck_assert_int_eq(av_frame_get_buffer(f, 0), 0);
    zimu_bg bg = {.kind = ZIMU__BG_SOLID, .c1 = {255, 255, 255}};
    zimu__cardsrc_draw(f, &bg);
    ck_assert_int_eq(f->data[0][0], 235);
    ck_assert_int_eq(f->data[1][0], 128);
    bg.c1[0] = bg.c1[1] = bg.c1[2] = 0;
    zimu__cardsrc_draw(f, &bg);
    ck_assert_int_eq(f->data[0][0], 16);
    /* pure red: Y 63, Cb 102, Cr 240 in BT.709 limited range */
    bg.c1[0] = 255;
    zimu__cardsrc_draw(f, &bg);
    ck_assert_int_eq(f->data[0][5 * f->linesize[0] + 7], 63);
    ck_assert_int_eq(f->data[1][3 * f->linesize[1] + 2], 102);
    ck_assert_int_eq(f->data[2][3 * f->linesize[2] + 2], 240);

    /* black at the top to white at the bottom (angle 0) */
    zimu_bg g = {.kind = ZIMU__BG_GRADIENT, .c1 = {0, 0, 0}, .c2 = {255, 255, 255}, .angle = 0};
    zimu__cardsrc_draw(f, &g);
    int top = f->data[0][10], bottom = f->data[0][95 * f->linesize[0] + 10];
    int mid = f->data[0][48 * f->linesize[0] + 10];
    ck_assert_int_le(top, 19);
    ck_assert_int_ge(bottom, 232);
    ck_assert_int_ge(mid, 120);
    ck_assert_int_le(mid, 131);
    /* the same across a row */
    ck_assert_int_le(abs(f->data[0][48 * f->linesize[0]] - f->data[0][48 * f->linesize[0] + 63]), 1);
    /* 90 degrees: left to right */
    g.angle = 90;
    zimu__cardsrc_draw(f, &g);
    ck_assert_int_le(f->data[0][50 * f->linesize[0]], 19);
    ck_assert_int_ge(f->data[0][50 * f->linesize[0] + 63], 232);
    ck_assert_int_le(abs(f->data[0][20] - f->data[0][90 * f->linesize[0] + 20]), 1);
    av_frame_free(&f);
}
END_TEST

/* Frames for [0, length) at the rate, pts 0, 1, 2 ..., each time's
 * background, the cached frame shared (not redrawn) within a span. */
START_TEST(test_cardsrc_frames)
{
    zimu_ctx c = {0};
    zimu_bg bgs[2] = {
        {.start_ms = 0, .end_ms = 500, .kind = ZIMU__BG_SOLID, .c1 = {255, 0, 0}},
        {.start_ms = 500, .end_ms = 1000, .kind = ZIMU__BG_GRADIENT, .c1 = {0, 0, 255},
         .c2 = {0, 255, 0}, .angle = 45},
    };
    zimu_cardsrc_opts o = {.width = 32, .height = 48, .frame_rate = {30000, 1001},
                           .length_ms = 1000, .bgs = bgs, .n_bgs = 2, .to_ms = -1};
    zimu_cardsrc *s;
    ck_assert_int_eq(zimu__cardsrc_open(&c, &s, &o), 0);
    /* frames at k * 1001 / 30 ms below 1000: k = 0 .. 29 */
    ck_assert_int_eq(zimu__cardsrc_frames(s), 30);
    AVFrame *f;
    int64_t ms;
    const uint8_t *first_data = NULL, *span2 = NULL;
    for (int k = 0; k < 30; k++) {
        ck_assert_int_eq(zimu__cardsrc_read(s, &f, &ms), 1);
        ck_assert_int_eq(f->pts, k);
        ck_assert_int_eq(ms, k * 1001 / 30);
        ck_assert_int_eq(f->colorspace, AVCOL_SPC_BT709);
        ck_assert_int_eq(f->color_range, AVCOL_RANGE_MPEG);
        ck_assert(!av_frame_is_writable(f));
        if (ms < 500) {
            ck_assert_int_eq(f->data[0][0], 63); /* red */
            if (!first_data)
                first_data = f->data[0];
            ck_assert_ptr_eq(f->data[0], first_data);
        } else {
            ck_assert_int_ne(f->data[0][0], 63);
            if (!span2)
                span2 = f->data[0];
            ck_assert_ptr_eq(f->data[0], span2);
        }
    }
    ck_assert_int_eq(zimu__cardsrc_read(s, &f, &ms), 0);
    zimu__cardsrc_free(&s);

    /* a trim: frames whose time is in [400, 600), pts from 0 */
    o.from_ms = 400;
    o.to_ms = 600;
    ck_assert_int_eq(zimu__cardsrc_open(&c, &s, &o), 0);
    ck_assert_int_eq(zimu__cardsrc_frames(s), 6); /* k = 12 .. 17 */
    ck_assert_int_eq(zimu__cardsrc_read(s, &f, &ms), 1);
    ck_assert_int_eq(f->pts, 0);
    ck_assert_int_eq(ms, 12 * 1001 / 30);
    zimu__cardsrc_free(&s);

    /* a preview past the last frame's start, while it is on screen */
    o.from_ms = 990;
    o.to_ms = -1;
    o.hold_last = 1;
    ck_assert_int_eq(zimu__cardsrc_open(&c, &s, &o), 0);
    ck_assert_int_eq(zimu__cardsrc_read(s, &f, &ms), 1);
    ck_assert_int_eq(ms, 29 * 1001 / 30);
    zimu__cardsrc_free(&s);
}
END_TEST

/* ---- stand-alone ------------------------------------------------------------- */

/* N cards give N colour spans, each starting at its card's time (within
 * the frame that starts there) and not before; the text is on screen. */
START_TEST(test_cards_at_their_times)
{
    zimu_job *job = flash_job(timed_script(4, "size: 270x480\nfps: 15\n"), "o.mp4");
    run_ok(job);
    const zimu_stats *st = zimu_job_stats(job);
    ck_assert_int_eq(st->frames, 60);
    char *p = tu_path(dir, "o.mp4");
    tu_video v;
    TU_OK(tu_read_video(p, &v, 1));
    ck_assert_int_eq(v.n, 60);
    ck_assert_int_eq(v.width, 270);
    ck_assert_int_eq(v.height, 480);
    for (int i = 0; i < v.n; i++) {
        int k = card_at(&v, i);
        ck_assert_msg(k == i / 15, "frame %d (%lld ms) shows card %d's colour, not %d's", i,
                      (long long)tu_frame_ms(&v, i), k, i / 15);
    }
    /* text: the middle of the frame differs from the background while a
     * card is on */
    for (int k = 0; k < 4; k++) {
        int i = 15 * k + 7, n = 0;
        for (int y = 200; y < 280; y++)
            for (int x = 60; x < 210; x++) {
                uint8_t rgb[3];
                tu_pixel_rgb(&v, i, x, y, rgb);
                n += abs(rgb[0] - palette[k][0]) + abs(rgb[1] - palette[k][1]) +
                     abs(rgb[2] - palette[k][2]) > 90;
            }
        ck_assert_msg(n > 200, "card %d: only %d pixels of text", k + 1, n);
    }
    tu_video_free(&v);
    free(p);
    zimu_job_free(&job);
}
END_TEST

/* The asked size, frame rate, frame count and length; the job's size and
 * frame rate win over the script's; no sound without music. */
START_TEST(test_standalone_geometry)
{
    zimu_job *job = flash_job(timed_script(3, "size: 720x1280\nfps: 25\n"), "g.mp4");
    ck_assert_int_eq(zimu_job_set_size(job, 272, 480), 0);
    ck_assert_int_eq(zimu_job_set_frame_rate(job, 24, 1), 0);
    ck_assert_int_eq(zimu_job_set_frame_rate(job, 0, 1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_frame_rate(job, 241, 1), ZIMU_EINVAL);
    run_ok(job);
    char *p = tu_path(dir, "g.mp4");
    tu_video v;
    TU_OK(tu_read_video(p, &v, 0));
    ck_assert_int_eq(v.width, 272);
    ck_assert_int_eq(v.height, 480);
    ck_assert_int_eq(v.n, 72);
    for (int i = 0; i < v.n; i++)
        ck_assert_int_eq(tu_frame_ms(&v, i), i * 1000 / 24);
    tu_audio a;
    TU_OK(tu_read_audio(p, &a));
    ck_assert_int_eq(a.present, 0);
    tu_audio_free(&a);
    const zimu_stats *st = zimu_job_stats(job);
    ck_assert_int_eq(st->duration_ms, 3000);
    ck_assert_int_eq(st->width, 272);
    tu_video_free(&v);
    free(p);
    zimu_job_free(&job);

    /* the defaults: 1080x1920 at 30 fps (checked by a preview: cheap) */
    job = flash_job("只有一张\n", NULL);
    p = tu_path(dir, "d.png");
    ck_assert_int_eq(zimu_job_preview(job, 500, p), 0);
    int w, h;
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(p, &w, &h, &rgb));
    ck_assert_int_eq(w, 1080);
    ck_assert_int_eq(h, 1920);
    free(rgb);
    free(p);
    zimu_job_free(&job);
}
END_TEST

/* With music: an audio stream as long as the video. */
START_TEST(test_standalone_music)
{
    char *wav = kick_wav("k.wav", 120, 0.25, 6);
    char script[8192];
    snprintf(script, sizeof script, "size: 270x480\nfps: 15\nmusic: %s\n%s", wav,
             timed_script(3, NULL));
    zimu_job *job = flash_job(script, "m.mp4");
    run_ok(job);
    char *p = tu_path(dir, "m.mp4");
    tu_audio a;
    TU_OK(tu_read_audio(p, &a));
    ck_assert_int_eq(a.present, 1);
    double secs = audio_seconds(&a);
    ck_assert_msg(fabs(secs - 3.0) < 0.1, "audio lasts %.3f s, the video 3 s", secs);
    tu_audio_free(&a);
    free(p);
    free(wav);
    zimu_job_free(&job);
}
END_TEST

/* Cards on the beats: each card starts within one frame of a beat
 * zimu_beats finds in the music, one beat after another. */
START_TEST(test_beat_synced)
{
    char *wav = kick_wav("beat.wav", 100, 0.3, 8);
    zimu_beats *b = zimu_beats_new();
    ck_assert_int_eq(zimu_beats_analyze(b, wav), 0);
    int nb = zimu_beats_count(b);
    ck_assert_int_ge(nb, 8);
    char script[1024];
    int len = snprintf(script, sizeof script,
                       "size: 270x480\nfps: 30\ntiming: beats\nmusic: %s\nin: none\n", wav);
    for (int k = 0; k < 5; k++)
        len += snprintf(script + len, sizeof script - (size_t)len, "拍%d | bg: %s\n", k + 1,
                        palette_hex[k]);
    zimu_job *job = flash_job(script, "b.mp4");
    run_ok(job);
    char *p = tu_path(dir, "b.mp4");
    tu_video v;
    TU_OK(tu_read_video(p, &v, 1));
    /* where each card's colour first shows */
    double start[5];
    int seen = 0;
    for (int i = 0; i < v.n && seen < 5; i++)
        if (card_at(&v, i) == seen)
            start[seen++] = tu_frame_ms(&v, i) / 1000.0;
    ck_assert_int_eq(seen, 5);
    int j0 = -1;
    for (int j = 0; j < nb; j++)
        if (fabs(zimu_beats_time(b, j) - start[1]) <= 1.0 / 30 + 0.001)
            j0 = j - 1;
    ck_assert_msg(j0 >= 0, "card 2 starts at %.3f s, on no beat", start[1]);
    for (int k = 1; k < 5; k++) {
        double beat = zimu_beats_time(b, j0 + k);
        ck_assert_msg(fabs(start[k] - beat) <= 1.0 / 30 + 0.001,
                      "card %d starts at %.3f s, its beat is at %.3f s", k + 1, start[k], beat);
    }
    /* and card 1 on the beat before (or at the start when that is 0) */
    ck_assert(start[0] <= zimu_beats_time(b, j0) + 1.0 / 30 + 0.001);
    /* the music is the soundtrack */
    tu_audio a;
    TU_OK(tu_read_audio(p, &a));
    ck_assert_int_eq(a.present, 1);
    tu_audio_free(&a);
    tu_video_free(&v);
    zimu_beats_free(&b);
    free(p);
    free(wav);
    zimu_job_free(&job);
}
END_TEST

/* ---- over a clip --------------------------------------------------------------- */

/* The clip's size, frames, timestamps and sound are kept; the cards are
 * drawn over it while they are on. */
START_TEST(test_over_clip)
{
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.bg = TU_BG_GREY;
    co.markers = 0;
    co.audio = TU_AUDIO_AAC;
    co.frames = 45;
    char *clip = tu_path(dir, "clip.mp4");
    TU_OK(tu_make_clip(clip, &co));
    zimu_job *job = flash_job("in: none\nout: none\n一二三四五 | at: 0.5, dur: 0.5\n", "c.mp4");
    ck_assert_int_eq(zimu_job_set_input(job, clip), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 0, 0), 0);
    run_ok(job);
    char *p = tu_path(dir, "c.mp4");
    tu_video in, out;
    TU_OK(tu_read_video(clip, &in, 1));
    TU_OK(tu_read_video(p, &out, 1));
    ck_assert_int_eq(out.width, 320);
    ck_assert_int_eq(out.height, 568);
    ck_assert_msg(tu_check_same_pts(&in, &out) == 0, "%s", tu_err());
    for (int i = 0; i < out.n; i++) {
        int64_t ms = tu_frame_ms(&out, i);
        long d = tu_frame_diff(&in, i, &out, i, 2, NULL);
        if (ms >= 500 && ms < 1000)
            ck_assert_msg(d > 100, "frame %d (%lld ms): no card", i, (long long)ms);
        else
            ck_assert_msg(d == 0, "frame %d (%lld ms): changed outside the card", i,
                          (long long)ms);
    }
    /* one frame of it, without making the video */
    char *png = tu_path(dir, "c.png");
    ck_assert_int_eq(zimu_job_preview(job, tu_frame_ms(&out, 20), png), 0);
    png_is_frame(png, &out, 20);
    free(png);
    tu_audio ai, ao;
    TU_OK(tu_read_audio(clip, &ai));
    TU_OK(tu_read_audio(p, &ao));
    ck_assert_msg(tu_check_same_audio(&ai, &ao) == 0, "%s", tu_err());
    tu_audio_free(&ai);
    tu_audio_free(&ao);
    tu_video_free(&in);
    tu_video_free(&out);
    free(p);
    free(clip);
    zimu_job_free(&job);
}
END_TEST

/* ---- one frame, cover time ---------------------------------------------------- */

/* The PNG frame at t is the video's frame at t. */
START_TEST(test_png_is_the_frame)
{
    const char *script = "size: 270x480\nfps: 15\nin: pop 0.5\n"
                         "一二三 | at: 0, dur: 1, bg: #DC1E1E\n"
                         "四五六 | at: 1, dur: 1, bg: #1EC828\n";
    zimu_job *job = flash_job(script, "v.mp4");
    run_ok(job);
    char *p = tu_path(dir, "v.mp4"), *png = tu_path(dir, "f.png");
    tu_video v;
    TU_OK(tu_read_video(p, &v, 1));
    ck_assert_int_eq(v.n, 30);
    int frames[] = {3, 14, 15, 29}; /* 14, 15: the last of card 1, the first of 2 */
    for (int f = 0; f < 4; f++) {
        int i = frames[f];
        ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
        int r = zimu_job_preview(job, tu_frame_ms(&v, i), png);
        ck_assert_msg(r == 0, "preview: %s", zimu_job_errmsg(job));
        png_is_frame(png, &v, i);
    }
    /* past the end */
    ck_assert_int_eq(zimu_job_preview(job, 2000, png), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "script: no frame at 2.000 s: the video is "
                                               "2.000 s long"), "%s", zimu_job_errmsg(job));
    tu_video_free(&v);
    free(p);
    free(png);
    zimu_job_free(&job);
}
END_TEST

/* A card stands complete when its in-animation is over. */
START_TEST(test_card_time)
{
    const char *script = "一 | at: 0, dur: 1, in: none\n"
                         "二 | at: 1, dur: 1, in: pop 0.3\n"
                         "三 | at: 2.5, dur: 2, in: fade 400ms\n";
    zimu_job *job = flash_job(script, NULL);
    ck_assert_int_eq(zimu_job_flash_card_time(job, 0), 0);
    ck_assert_int_eq(zimu_job_flash_card_time(job, 1), 1300);
    ck_assert_int_eq(zimu_job_flash_card_time(job, 2), 2900);
    ck_assert_int_eq(zimu_job_flash_card_time(job, 3), ZIMU_EINVAL);
    ck_assert_ptr_nonnull(strstr(zimu_job_errmsg(job), "card 3"));
    ck_assert_int_eq(zimu_job_flash_card_time(job, -1), ZIMU_EINVAL);
    zimu_job_free(&job);
    zimu_job *plain = zimu_job_new();
    ck_assert_int_eq(zimu_job_flash_card_time(plain, 0), ZIMU_EINVAL);
    zimu_job_free(&plain);
}
END_TEST

/* With the default durations: from the card time on, the card no longer
 * changes (its in-animation is over); shortly before, it still did. */
START_TEST(test_card_time_default)
{
    const char *script = "size: 270x480\nfps: 15\nout: none\n"
                         "一二三四五六 | at: 0, dur: 2, in: typewriter, bg: #DC1E1E\n"
                         "七 | at: 2, dur: 2, in: pop, bg: #1EC828\n";
    zimu_job *job = flash_job(script, "t.mp4");
    run_ok(job);
    char *p = tu_path(dir, "t.mp4");
    tu_video v;
    TU_OK(tu_read_video(p, &v, 1));
    for (int card = 0; card < 2; card++) {
        int64_t t = zimu_job_flash_card_time(job, card);
        ck_assert_int_gt(t, card * 2000);
        ck_assert_int_lt(t, card * 2000 + 1500);
        int i0 = 0;
        while (i0 < v.n && tu_frame_ms(&v, i0) < t)
            i0++;
        for (int i = i0 + 1; i < 30 * (card + 1); i++)
            ck_assert_msg(tu_frame_diff(&v, i0, &v, i, 0, NULL) == 0,
                          "card %d: frame %d differs from frame %d at its card time %lld ms",
                          card + 1, i, i0, (long long)t);
        ck_assert_msg(tu_frame_diff(&v, i0 - 2, &v, i0, 0, NULL) > 0,
                      "card %d: no animation before its card time", card + 1);
    }
    tu_video_free(&v);
    free(p);
    zimu_job_free(&job);
}
END_TEST

/* ---- cancel, errors --------------------------------------------------------- */

static int cancel_at_10(void *opaque, const zimu_progress *p)
{
    int *calls = opaque;
    (*calls)++;
    ck_assert_int_gt(p->frames_est, 0);
    return p->frames >= 10;
}

START_TEST(test_cancel)
{
    char *sub = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    zimu_job *job = flash_job(timed_script(6, "size: 270x480\n"), NULL);
    char *p = tu_path(sub, "x.mp4");
    ck_assert_int_eq(zimu_job_set_output(job, p), 0);
    int calls = 0;
    zimu_job_set_progress(job, cancel_at_10, &calls);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ECANCEL);
    ck_assert_int_gt(calls, 0);
    ck_assert_int_eq(tu_dir_list(sub, NULL, 0), 0);
    free(p);
    free(sub);
    zimu_job_free(&job);
}
END_TEST

START_TEST(test_script_errors)
{
    zimu_job *job = zimu_job_new();
    const char *bad = "size: 270x480\n一 | at: 0\n二 | nosuchkey: 3\n";
    ck_assert_int_eq(zimu_job_set_flash_data(job, bad, strlen(bad), "bad.txt"), 0);
    char *p = tu_path(dir, "e.mp4");
    ck_assert_int_eq(zimu_job_set_output(job, p), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ESUBS);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "bad.txt:3:"), "%s", zimu_job_errmsg(job));
    ck_assert(!tu_exists(p));
    /* the same from a file: the path and line */
    char *sp = tu_write_text(dir, "s.txt", bad);
    ck_assert_int_eq(zimu_job_set_flash(job, sp), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ESUBS);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "s.txt:3:"), "%s", zimu_job_errmsg(job));
    ck_assert_str_eq(zimu_errfile(job), sp);
    /* a missing script */
    char *missing = tu_path(dir, "missing.txt");
    ck_assert_int_eq(zimu_job_set_flash(job, missing), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ESUBS);
    ck_assert_ptr_nonnull(strstr(zimu_job_errmsg(job), "missing.txt"));
    /* the script cannot be the output */
    char *sp4 = tu_write_text(dir, "s.mp4", "一\n");
    ck_assert_int_eq(zimu_job_set_flash(job, sp4), 0);
    ck_assert_int_eq(zimu_job_set_output(job, sp4), 0);
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ESAME);
    free(sp4);
    free(missing);
    free(sp);
    free(p);
    zimu_job_free(&job);
}
END_TEST

/* ---- zimu flash ---------------------------------------------------------------- */

START_TEST(test_cli)
{
    char err[4096];
    char *script = tu_write_text(dir, "s.txt", timed_script(3, "size: 270x480\nfps: 15\n"));
    char *bad = tu_write_text(dir, "bad.txt", "一\n二 | dur: -3\n");
    char *mp4 = tu_path(dir, "o.mp4"), *png = tu_path(dir, "o.png");

    const char *help[] = {"flash", "--help", NULL};
    ck_assert_int_eq(tu_zimu(dir, help, err, sizeof err), 0);
    const char *none[] = {"flash", NULL};
    ck_assert_int_eq(tu_zimu(dir, none, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "no flash script"), "%s", err);
    const char *no_out[] = {"flash", script, NULL};
    ck_assert_int_eq(tu_zimu(dir, no_out, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "-o"), "%s", err);
    const char *t_mp4[] = {"flash", script, "-t", "1", "-o", mp4, NULL};
    ck_assert_int_eq(tu_zimu(dir, t_mp4, err, sizeof err), 1);
    ck_assert_msg(strstr(err, ".png"), "%s", err);
    const char *png_no_t[] = {"flash", script, "-o", png, NULL};
    ck_assert_int_eq(tu_zimu(dir, png_no_t, err, sizeof err), 1);
    const char *card0[] = {"flash", script, "--card", "0", "-o", png, NULL};
    ck_assert_int_eq(tu_zimu(dir, card0, err, sizeof err), 1);
    const char *fps[] = {"flash", script, "--fps", "fast", "-o", mp4, NULL};
    ck_assert_int_eq(tu_zimu(dir, fps, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "--fps"), "%s", err);
    const char *replace[] = {"flash", script, "--music-replace", "-o", mp4, NULL};
    ck_assert_int_eq(tu_zimu(dir, replace, err, sizeof err), 1);
    const char *sub[] = {"flash", script, "-s", "x.srt", "-o", mp4, NULL};
    ck_assert_int_eq(tu_zimu(dir, sub, err, sizeof err), 1);
    ck_assert(!tu_exists(mp4));

    /* a script error: exit status 6, one line naming the file and line */
    const char *badrun[] = {"flash", bad, "-o", mp4, NULL};
    ck_assert_int_eq(tu_zimu(dir, badrun, err, sizeof err), 6);
    ck_assert_msg(strstr(err, "bad.txt:2:"), "%s", err);
    ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "more than one line: %s", err);
    const char *missing[] = {"flash", "nosuch.txt", "-o", mp4, NULL};
    ck_assert_int_eq(tu_zimu(dir, missing, err, sizeof err), 6);
    ck_assert(!tu_exists(mp4));

    /* a video, then it exists: exit status 7 without -y */
    const char *ok[] = {"flash", script, "-o", mp4, "-q", "--preset", "ultrafast", NULL};
    ck_assert_int_eq(tu_zimu(dir, ok, err, sizeof err), 0);
    tu_video v;
    TU_OK(tu_read_video(mp4, &v, 0));
    ck_assert_int_eq(v.n, 45);
    ck_assert_int_eq(v.width, 270);
    tu_video_free(&v);
    ck_assert_int_eq(tu_zimu(dir, ok, err, sizeof err), 7);
    /* --size and --fps win */
    const char *sized[] = {"flash", script,    "-o",  mp4,  "-y",         "-q", "--size",
                           "180x320", "--fps", "10", "--preset", "ultrafast", NULL};
    ck_assert_int_eq(tu_zimu(dir, sized, err, sizeof err), 0);
    TU_OK(tu_read_video(mp4, &v, 0));
    ck_assert_int_eq(v.n, 30);
    ck_assert_int_eq(v.width, 180);
    tu_video_free(&v);

    /* one frame: the cover of card 2 shows card 2's colour */
    const char *cover[] = {"flash", script, "--card", "2", "-o", png, NULL};
    ck_assert_int_eq(tu_zimu(dir, cover, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "1.000 s"), "%s", err);
    int w, h;
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(png, &w, &h, &rgb));
    ck_assert_int_eq(w, 270);
    for (int c = 0; c < 3; c++)
        ck_assert_int_le(abs(rgb[3 * (4 * w + 4) + c] - palette[1][c]), 30);
    free(rgb);
    const char *no_card[] = {"flash", script, "--card", "9", "-o", png, "-y", NULL};
    ck_assert_int_eq(tu_zimu(dir, no_card, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "card"), "%s", err);
    free(script);
    free(bad);
    free(mp4);
    free(png);
}
END_TEST

static Suite *flash_job_suite(void)
{
    Suite *s = suite_create("flash_job");
    TCase *tc = tcase_create("flash_job");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cardsrc_colours);
    tcase_add_test(tc, test_cardsrc_frames);
    tcase_add_test(tc, test_cards_at_their_times);
    tcase_add_test(tc, test_standalone_geometry);
    tcase_add_test(tc, test_standalone_music);
    tcase_add_test(tc, test_beat_synced);
    tcase_add_test(tc, test_over_clip);
    tcase_add_test(tc, test_png_is_the_frame);
    tcase_add_test(tc, test_card_time);
    tcase_add_test(tc, test_card_time_default);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_script_errors);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(flash_job_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
