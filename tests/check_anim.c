/* check_anim.c - flash card animations and keywords (anim.c, keyword.c),
 * on frames the renderer draws: each effect changes the drawn text over
 * its time as it should (pop grows, overshoots and settles; zoom grows;
 * fade brightens; slide comes in from its side; typewriter shows one more
 * character at each step; bounce lifts characters one after another;
 * shake moves the card; spin turns it; strobe flashes; pulse beats), in,
 * loop and out work together, a card at rest is where the layout put it,
 * keywords are drawn in the highlight colour and larger, stay inside the
 * safe area and on one line, and the markers never leave zimu. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anim.h"
#include "cue.h"
#include "fonts.h"
#include "keyword.h"
#include "linebreak.h"
#include "measure.h"
#include "renderer.h"
#include "sbuf.h"
#include "style.h"
#include "write_subs.h"
#include "zimu.h"

#define W 320
#define H 568
#define T0 1000 /* cards show over [T0, T1) */
#define T1 3000
#define KEY(s) ZIMU__KEY_ON s ZIMU__KEY_OFF

/* ------------------------------------------------------------------------
 * Cards and frames.
 */

static zimu_cue_fx fx_of(int in, int out, int loop)
{
    return (zimu_cue_fx){.in = in, .out = out, .loop = loop, .beat_ms = 500};
}

/* A renderer with one card [start, end), fx (NULL: none), alignment align
 * (0: the style's); text 40 px, keywords green. */
static zimu_renderer *card_at(const char *text, const zimu_cue_fx *fx, int64_t start,
                              int64_t end, int align)
{
    zimu_cues cues = {0};
    zimu_cue *q = zimu__cues_add(&cues, start, end, text, strlen(text));
    ck_assert_ptr_nonnull(q);
    q->align = align;
    if (fx) {
        q->fx = malloc(sizeof *q->fx);
        ck_assert_ptr_nonnull(q->fx);
        *q->fx = *fx;
    }
    zimu_renderer *r = zimu_renderer_new();
    ck_assert_ptr_nonnull(r);
    zimu__renderer_take_cues(r, &cues);
    ck_assert_int_eq(zimu_renderer_set_size(r, W, H), 0);
    ck_assert_int_eq(zimu_renderer_set_style_options(r, "size=40px,highlight_color=#00FF00"), 0);
    int rc = zimu_renderer_prepare(r);
    ck_assert_msg(rc == 0, "prepare: %d %s", rc, zimu_errmsg(r));
    return r;
}

static zimu_renderer *card(const char *text, zimu_cue_fx fx)
{
    return card_at(text, &fx, T0, T1, 0);
}

typedef struct frame {
    uint8_t p[W * H * 4];
} frame;

/* The frame at t: grey level bg, with the card drawn. */
static frame *draw_on(zimu_renderer *r, int64_t t, int bg)
{
    static frame f;
    for (int i = 0; i < W * H; i++) {
        f.p[4 * i] = f.p[4 * i + 1] = f.p[4 * i + 2] = (uint8_t)bg;
        f.p[4 * i + 3] = 255;
    }
    ck_assert_int_ge(zimu_renderer_draw_rgba(r, t, f.p, W * 4), 0);
    return &f;
}

/* The same on black. */
static frame *draw(zimu_renderer *r, int64_t t)
{
    return draw_on(r, t, 0);
}


static int value(const frame *f, int x, int y)
{
    const uint8_t *q = f->p + ((size_t)y * W + x) * 4;
    int v = q[0] > q[1] ? q[0] : q[1];
    return v > q[2] ? v : q[2];
}

/* Ink: the text's fill (the outline and shadow are black, as the frame). */
#define INK 80

typedef struct box {
    int x0, y0, x1, y1; /* x1, y1 exclusive; x1 == 0: no ink */
    long n;
    int maxv;           /* the brightest pixel */
} box;

static box ink_in(const frame *f, int cx0, int cx1)
{
    box b = {W, H, 0, 0, 0, 0};
    for (int y = 0; y < H; y++)
        for (int x = cx0; x < cx1; x++) {
            int v = value(f, x, y);
            if (v > b.maxv)
                b.maxv = v;
            if (v < INK)
                continue;
            b.n++;
            if (x < b.x0) b.x0 = x;
            if (y < b.y0) b.y0 = y;
            if (x + 1 > b.x1) b.x1 = x + 1;
            if (y + 1 > b.y1) b.y1 = y + 1;
        }
    if (!b.n)
        b.x0 = b.y0 = b.x1 = b.y1 = 0;
    return b;
}

static box ink(const frame *f)
{
    return ink_in(f, 0, W);
}

/* The box of pixels of value lo..hi. */
static box where(const frame *f, int lo, int hi)
{
    box b = {W, H, 0, 0, 0, 0};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int v = value(f, x, y);
            if (v < lo || v > hi)
                continue;
            b.n++;
            if (x < b.x0) b.x0 = x;
            if (y < b.y0) b.y0 = y;
            if (x + 1 > b.x1) b.x1 = x + 1;
            if (y + 1 > b.y1) b.y1 = y + 1;
        }
    if (!b.n)
        b.x0 = b.y0 = b.x1 = b.y1 = 0;
    return b;
}

/* A box of a dark or saturated colour drawn on the grey 160: pixels with
 * a channel below 100. */
static box dark(const frame *f)
{
    box b = {W, H, 0, 0, 0, 0};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *q = f->p + ((size_t)y * W + x) * 4;
            if (q[0] >= 100 && q[1] >= 100 && q[2] >= 100)
                continue;
            b.n++;
            if (x < b.x0) b.x0 = x;
            if (y < b.y0) b.y0 = y;
            if (x + 1 > b.x1) b.x1 = x + 1;
            if (y + 1 > b.y1) b.y1 = y + 1;
        }
    if (!b.n)
        b.x0 = b.y0 = b.x1 = b.y1 = 0;
    return b;
}

static int bw(box b) { return b.x1 - b.x0; }
static int bh(box b) { return b.y1 - b.y0; }

/* Runs of columns with ink (the characters of a one-line card, which
 * leave gaps between them): up to max, their count. */
static int runs(const frame *f, int *rx0, int *rx1, int max)
{
    int n = 0, in = 0;
    for (int x = 0; x <= W; x++) {
        int has = 0;
        for (int y = 0; x < W && y < H && !has; y++)
            has = value(f, x, y) >= INK;
        if (has && !in) {
            if (n < max)
                rx0[n] = x;
            in = 1;
        } else if (!has && in) {
            if (n < max)
                rx1[n] = x;
            n++;
            in = 0;
        }
    }
    return n;
}

/* ------------------------------------------------------------------------
 * Durations.
 */

START_TEST(test_default_times)
{
    int in, out, loop;
    zimu_cue_fx fx = fx_of(ZIMU__FX_POP, ZIMU__FX_FADE, ZIMU__FX_PULSE);
    zimu__anim_times(&fx, 4000, 5, &in, &out, &loop);
    ck_assert_int_eq(in, 250);
    ck_assert_int_eq(out, 250);
    ck_assert_int_eq(loop, 500);
    fx.beat_ms = 0; /* no beat: 500 ms */
    zimu__anim_times(&fx, 4000, 5, &in, &out, &loop);
    ck_assert_int_eq(in, 250);
    ck_assert_int_eq(loop, 500);
    fx.beat_ms = 1200; /* a slow beat: in and out at most 300 ms */
    zimu__anim_times(&fx, 4000, 5, &in, &out, &loop);
    ck_assert_int_eq(in, 300);
    ck_assert_int_eq(loop, 1200);
    fx.in_ms = 100;
    fx.loop_ms = 250;
    zimu__anim_times(&fx, 4000, 5, &in, &out, &loop);
    ck_assert_int_eq(in, 100);
    ck_assert_int_eq(loop, 250);
    /* a short card: in and out share 4/5 of it */
    fx = fx_of(ZIMU__FX_POP, ZIMU__FX_FADE, 0);
    zimu__anim_times(&fx, 400, 5, &in, &out, &loop);
    ck_assert_int_eq(in + out, 320);
    ck_assert_int_eq(in, out);
    ck_assert_int_eq(loop, 0);
    /* typewriter: a step per character, at most 3/5 of the card */
    fx = fx_of(ZIMU__FX_TYPEWRITER, 0, 0);
    zimu__anim_times(&fx, 4000, 6, &in, &out, &loop);
    ck_assert_int_eq(in, 6 * 120);
    zimu__anim_times(&fx, 4000, 60, &in, &out, &loop);
    ck_assert_int_eq(in, 2400);
    ck_assert_int_eq(out, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Effects on frames.
 */

START_TEST(test_pop)
{
    zimu_renderer *r = card("弹出来的卡片", fx_of(ZIMU__FX_POP, 0, 0));
    int rest = bw(ink(draw(r, 2000)));
    ck_assert_int_gt(rest, 150);
    int w[26], peak = 0;
    for (int i = 0; i <= 25; i++) {
        w[i] = bw(ink(draw(r, T0 + 10 * i)));
        if (w[i] > w[peak])
            peak = i;
    }
    ck_assert_int_lt(w[0], rest / 5); /* from almost nothing */
    ck_assert_msg(w[peak] > rest * 1.1, "no overshoot: peak %d, rest %d", w[peak], rest);
    ck_assert_int_gt(peak, 5);
    ck_assert_int_lt(peak, 24);
    for (int i = 1; i <= peak; i++) /* grows ... */
        ck_assert_int_ge(w[i], w[i - 1] - 1);
    for (int i = peak + 1; i <= 25; i++) /* ... then settles */
        ck_assert_int_le(w[i], w[i - 1] + 1);
    ck_assert_int_le(abs(w[25] - rest), 1);
    zimu_renderer_free(&r);
}
END_TEST

/* A card as wide as the frame overshoots no further than its edges. */
START_TEST(test_pop_stays_in_frame)
{
    zimu_renderer *r = card("这行字和画面一样宽了", fx_of(ZIMU__FX_POP, 0,
                                                                   ZIMU__FX_PULSE));
    ck_assert_int_eq(zimu_renderer_set_safe_area(r, "none"), 0);
    box rest = ink(draw(r, T0 + 400));
    ck_assert_msg(bw(rest) > W * 4 / 5, "%d wide", bw(rest));
    int widest = 0;
    for (int t = T0; t < T0 + 2000; t += 10) {
        const frame *f = draw(r, t);
        for (int y = 0; y < H; y++) {
            ck_assert_int_lt(value(f, 0, y), INK);
            ck_assert_int_lt(value(f, W - 1, y), INK);
        }
        if (bw(ink(f)) > widest)
            widest = bw(ink(f));
    }
    ck_assert_int_gt(widest, bw(rest) + 4); /* it still pops */
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_zoom)
{
    zimu_renderer *r = card("放大的卡片", fx_of(ZIMU__FX_ZOOM_IN, ZIMU__FX_ZOOM_OUT, 0));
    int rest = bw(ink(draw(r, 2000)));
    int prev = 0;
    for (int i = 0; i <= 10; i++) { /* zoom-in grows, never shrinks */
        int w = bw(ink(draw(r, T0 + 25 * i)));
        ck_assert_int_ge(w, prev - 1);
        if (i == 0)
            ck_assert_int_lt(w, rest / 5);
        prev = w;
    }
    ck_assert_int_le(abs(prev - rest), 1);
    prev = rest;
    for (int i = 1; i <= 10; i++) { /* zoom-out (out) shrinks to nothing */
        int w = bw(ink(draw(r, T1 - 250 + 25 * i - 1)));
        ck_assert_int_le(w, prev + 1);
        prev = w;
    }
    ck_assert_int_lt(prev, rest / 5);
    zimu_renderer_free(&r);
    /* zoom-out as an in: from large down to the rest size */
    r = card("放大的卡片", fx_of(ZIMU__FX_ZOOM_OUT, 0, 0));
    ck_assert_int_gt(bw(ink(draw(r, T0 + 125))), rest * 1.2);
    ck_assert_int_le(abs(bw(ink(draw(r, T0 + 250))) - rest), 1);
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_fade)
{
    zimu_renderer *r = card("淡入淡出", fx_of(ZIMU__FX_FADE, ZIMU__FX_FADE, 0));
    int prev = -1;
    for (int i = 0; i <= 10; i++) {
        int v = ink(draw(r, T0 + 25 * i)).maxv;
        ck_assert_int_ge(v, prev); /* brightens */
        prev = v;
        if (i == 0)
            ck_assert_int_lt(v, 30);
        if (i == 5)
            ck_assert(v > 60 && v < 200);
    }
    ck_assert_int_eq(prev, 255);
    for (int i = 0; i <= 10; i++) {
        int v = ink(draw(r, T1 - 250 + 25 * i - (i == 10))).maxv;
        ck_assert_int_le(v, prev); /* and fades out */
        prev = v;
    }
    ck_assert_int_lt(prev, 30);
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_slide)
{
    zimu_renderer *r = card("滑进来的卡片", fx_of(ZIMU__FX_SLIDE_LEFT, ZIMU__FX_SLIDE_DOWN, 0));
    box rest = ink(draw(r, 2000));
    box b = ink(draw(r, T0));
    ck_assert_msg(b.n == 0 || b.x1 <= 2, "starts off the frame on the left");
    int prev = -W;
    for (int i = 1; i <= 10; i++) {
        b = ink(draw(r, T0 + 25 * i));
        ck_assert_int_gt(b.n, 0);
        ck_assert_int_le(abs(b.y0 - rest.y0), 1); /* moves sideways only */
        ck_assert_int_ge(b.x1, prev);              /* from the left ... */
        ck_assert_int_le(b.x1, rest.x1 + 1);       /* ... toward its place */
        prev = b.x1;
    }
    ck_assert_int_le(abs(b.x0 - rest.x0), 1);
    prev = rest.y0;
    for (int i = 1; i < 10; i++) { /* out: down, off the bottom */
        b = ink(draw(r, T1 - 250 + 25 * i));
        if (!b.n)
            break;
        ck_assert_int_le(abs(b.x0 - rest.x0), 2); /* (subpixel rows) */
        ck_assert_int_gt(b.y0, prev);
        prev = b.y0;
    }
    ck_assert_int_eq(ink(draw(r, T1 - 1)).n, 0);
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_typewriter)
{
    zimu_cue_fx fx = fx_of(ZIMU__FX_TYPEWRITER, ZIMU__FX_TYPEWRITER, 0);
    fx.in_ms = fx.out_ms = 600; /* six characters: one each 100 ms */
    zimu_renderer *r = card("一二三四五六", fx);
    int x0[8], x1[8], rx0[8], rx1[8];
    ck_assert_int_eq(runs(draw(r, 2000), rx0, rx1, 8), 6);
    for (int k = 0; k < 6; k++) {
        int n = runs(draw(r, T0 + 100 * k + 50), x0, x1, 8);
        ck_assert_msg(n == k + 1, "at step %d: %d characters", k, n);
        for (int i = 0; i < n; i++) { /* where they are at rest: no reflow */
            ck_assert_int_le(abs(x0[i] - rx0[i]), 1);
            ck_assert_int_le(abs(x1[i] - rx1[i]), 1);
        }
    }
    /* out: the last one goes first */
    for (int k = 0; k < 6; k++) {
        int n = runs(draw(r, T1 - 600 + 100 * k + 50), x0, x1, 8);
        ck_assert_msg(n == 6 - k, "out step %d: %d characters", k, n);
        if (n)
            ck_assert_int_le(abs(x0[0] - rx0[0]), 1);
    }
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_bounce)
{
    zimu_cue_fx fx = fx_of(ZIMU__FX_BOUNCE, ZIMU__FX_BOUNCE, ZIMU__FX_BOUNCE);
    fx.in_ms = fx.out_ms = 700; /* 6 characters: 84 ms apart, a jump 280 ms */
    zimu_renderer *r = card_at("一二三四五六", &fx, T0, T0 + 3500, 0);
    int rx0[8], rx1[8];
    const frame *f = draw(r, T0 + 900);
    ck_assert_int_eq(runs(f, rx0, rx1, 8), 6);
    int rest_top[6];
    for (int k = 0; k < 6; k++)
        rest_top[k] = ink_in(f, rx0[k], rx1[k]).y0;
    /* in: character k shows up lifted at 84k ms and falls */
    for (int k = 1; k < 6; k++) {
        f = draw(r, T0 + 84 * k + 15);
        box now = ink_in(f, rx0[k] - 1, rx1[k] + 1);
        ck_assert_msg(now.n && rest_top[k] - now.y0 >= 4, "character %d not lifted: %d vs %d",
                      k, now.y0, rest_top[k]);
        if (k >= 4) { /* the first has landed */
            box first = ink_in(f, rx0[0], rx1[0]);
            ck_assert_int_le(abs(first.y0 - rest_top[0]), 1);
        }
        if (k < 5) /* the ones after it are not there yet */
            ck_assert_int_eq(ink_in(f, rx0[k + 1], rx1[k + 1]).n, 0);
    }
    /* loop: a wave through the characters on each beat (1000 ms on from
     * the start: the second beat after the in) */
    int64_t beat = T0 + 1000;
    int lifted_first = -1;
    for (int k = 0; k < 6; k++) {
        int best = 0, when = -1;
        for (int t = 0; t < 250; t += 10) {
            f = draw(r, beat + t);
            int lift = rest_top[k] - ink_in(f, rx0[k], rx1[k]).y0;
            if (lift > best) {
                best = lift;
                when = t;
            }
        }
        ck_assert_msg(best >= 4, "character %d does not jump in the loop", k);
        ck_assert_int_gt(when, lifted_first); /* one after another */
        lifted_first = when;
    }
    /* out: each jumps and is gone, the first first */
    int64_t out = T0 + 3500 - 700;
    for (int k = 0; k < 6; k++) {
        f = draw(r, out + 84 * k + 290);
        for (int i = 0; i < 6; i++)
            ck_assert_msg((ink_in(f, rx0[i], rx1[i]).n > 0) == (i > k),
                          "out step %d: character %d", k, i);
    }
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_shake)
{
    zimu_renderer *r = card("抖动的卡片", fx_of(0, 0, ZIMU__FX_SHAKE));
    box rest = ink(draw(r, T1 - 1));
    int moved = 0, far = 0;
    for (int t = T0; t < T0 + 500; t += 20) {
        box b = ink(draw(r, t));
        ck_assert_int_le(abs(bw(b) - bw(rest)), 1); /* the card holds ... */
        ck_assert_int_le(abs(bh(b) - bh(rest)), 1);
        int d = abs(b.x0 - rest.x0) + abs(b.y0 - rest.y0);
        moved += d >= 1; /* ... and moves */
        if (d > far)
            far = d;
    }
    ck_assert_int_ge(moved, 10);
    ck_assert_int_le(far, 8);
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_spin)
{
    zimu_renderer *r = card("旋转的卡片", fx_of(ZIMU__FX_SPIN, 0, 0));
    box rest = ink(draw(r, 2000));
    double ra = (double)bh(rest) / bw(rest), most = 0;
    for (int t = 25; t < 225; t += 25) {
        box b = ink(draw(r, T0 + t));
        if (b.n && (double)bh(b) / bw(b) > most)
            most = (double)bh(b) / bw(b);
    }
    ck_assert_msg(ra < 0.35, "rest aspect %f", ra);
    ck_assert_msg(most > 0.6, "never turned: aspect %f", most);
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_strobe)
{
    zimu_renderer *r = card("闪烁", fx_of(0, 0, ZIMU__FX_STROBE));
    for (int k = 0; k < 4; k++) {
        ck_assert_int_gt(ink(draw(r, T0 + 500 * k + 100)).n, 100);
        ck_assert_int_eq(ink(draw(r, T0 + 500 * k + 350)).n, 0);
    }
    zimu_renderer_free(&r);
    /* as an in: flashes, then stays */
    r = card("闪烁", fx_of(ZIMU__FX_STROBE, 0, 0));
    int on = 0, off = 0;
    for (int t = T0; t < T0 + 500; t += 20)
        ink(draw(r, t)).n ? on++ : off++;
    ck_assert_int_gt(on, 5);
    ck_assert_int_gt(off, 5);
    ck_assert_int_gt(ink(draw(r, T0 + 600)).n, 100);
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_pulse)
{
    zimu_renderer *r = card("跟着节拍", fx_of(0, 0, ZIMU__FX_PULSE));
    int rest = bw(ink(draw(r, T0)));
    for (int k = 0; k < 4; k++) {
        int64_t b = T0 + 500 * k;
        int w0 = bw(ink(draw(r, b))), wp = bw(ink(draw(r, b + 125))),
            we = bw(ink(draw(r, b + 495)));
        ck_assert_int_le(abs(w0 - rest), 1);
        ck_assert_msg(wp > rest * 1.07, "beat %d: %d vs %d", k, wp, rest);
        ck_assert_int_le(abs(we - rest), 2);
    }
    zimu_renderer_free(&r);
}
END_TEST

START_TEST(test_in_loop_out)
{
    zimu_renderer *r = card("组合" KEY("效果"), fx_of(ZIMU__FX_POP, ZIMU__FX_FADE,
                                                       ZIMU__FX_PULSE));
    box rest = ink(draw(r, T0 + 400)); /* before the first beat after the in */
    ck_assert_int_lt(bw(ink(draw(r, T0 + 30))), bw(rest) / 2); /* pop in */
    ck_assert_int_gt(bw(ink(draw(r, T0 + 150))), bw(rest) * 1.1);
    ck_assert_int_le(abs(bw(ink(draw(r, T0 + 300))) - bw(rest)), 1);
    /* pulses on the beats while it holds, the keyword with it */
    int rx0[8], rx1[8];
    ck_assert_int_eq(runs(draw(r, T0 + 400), rx0, rx1, 8), 4);
    int key_rest = rx1[3] - rx0[2], plain_rest = rx1[1] - rx0[0];
    for (int64_t b = T0 + 500; b <= T0 + 1000; b += 500) {
        const frame *f = draw(r, b + 125);
        ck_assert_int_gt(bw(ink(f)), bw(rest) * 1.07);
        ck_assert_int_eq(runs(f, rx0, rx1, 8), 4);
        ck_assert_int_gt(rx1[3] - rx0[2], key_rest * 1.07);
        ck_assert_int_gt(rx1[1] - rx0[0], plain_rest * 1.07);
        /* the keyword keeps its size relative to the rest */
        double ratio = (double)(rx1[3] - rx0[2]) / (rx1[1] - rx0[0]);
        ck_assert_msg(ratio > 1.12 && ratio < 1.28, "ratio %f", ratio);
    }
    /* fades out at the end */
    int v1 = ink(draw(r, T1 - 200)).maxv, v2 = ink(draw(r, T1 - 20)).maxv;
    ck_assert_int_lt(v2, v1);
    ck_assert_int_lt(v2, 60);
    zimu_renderer_free(&r);
}
END_TEST

/* ------------------------------------------------------------------------
 * Placement, keywords, markers.
 */

/* A card at rest is where the same cue without animation is. */
START_TEST(test_rest_in_place)
{
    static const char *texts[] = {"在原来的位置", "第一行的文字比较长一些\n第二行",
                                  "第一行\n第二行有" KEY("关键") "词\n第三行"};
    static const int aligns[] = {0, 8, 7, 9, 5};
    for (size_t i = 0; i < 3; i++)
        for (size_t a = 0; a < sizeof aligns / sizeof *aligns; a++) {
            zimu_renderer *r0 = card_at(texts[i], NULL, T0, T1, aligns[a]);
            zimu_cue_fx fx = fx_of(ZIMU__FX_POP, 0, 0);
            zimu_renderer *r1 = card_at(texts[i], &fx, T0, T1, aligns[a]);
            int n = zimu_renderer_page_count(r0);
            ck_assert_int_eq(zimu_renderer_page_count(r1), n);
            for (int p = 0; p < n; p++) {
            int64_t s, e;
            int nl, pb[4];
            ck_assert_int_eq(zimu_renderer_page(r0, p, &s, &e, &nl, pb), 0);
            box b0 = ink(draw(r0, e - 20)), b1 = ink(draw(r1, e - 20)); /* at rest */
            ck_assert_int_gt(b0.n, 100);
            ck_assert_msg(abs(b0.x0 - b1.x0) <= 1 && abs(b0.x1 - b1.x1) <= 1 &&
                              abs(b0.y0 - b1.y0) <= 1 && abs(b0.y1 - b1.y1) <= 1,
                          "text %zu align %d: %d,%d-%d,%d vs %d,%d-%d,%d", i, aligns[a], b0.x0,
                          b0.y0, b0.x1, b0.y1, b1.x0, b1.y0, b1.x1, b1.y1);
            }
            zimu_renderer_free(&r0);
            zimu_renderer_free(&r1);
        }
}
END_TEST

/* The box behind the text moves, scales and fades with it, and is where
 * the still box is when the card rests. */
START_TEST(test_box_follows)
{
    static const char *const styles[] = {"box", "news"};
    for (int i = 0; i < 2; i++) {
        zimu_cue_fx fx = fx_of(ZIMU__FX_POP, ZIMU__FX_SLIDE_RIGHT, 0);
        zimu_renderer *r0 = card_at("盒子里的卡片", NULL, T0, T1, 0);
        zimu_renderer *r1 = card_at("盒子里的卡片", &fx, T0, T1, 0);
        ck_assert_int_eq(zimu_renderer_set_style(r0, styles[i]), 0);
        ck_assert_int_eq(zimu_renderer_set_style(r1, styles[i]), 0);
        ck_assert_int_eq(zimu_renderer_set_style_options(r0, "size=40px"), 0);
        ck_assert_int_eq(zimu_renderer_set_style_options(r1, "size=40px"), 0);
        box b0 = dark(draw_on(r0, 2000, 160)), b1 = dark(draw_on(r1, 2000, 160));
        ck_assert_msg(b0.n > 1000, "%s: no box", styles[i]);
        ck_assert_msg(abs(b0.x0 - b1.x0) <= 1 && abs(b0.x1 - b1.x1) <= 1 &&
                          abs(b0.y0 - b1.y0) <= 1 && abs(b0.y1 - b1.y1) <= 1,
                      "%s: box %d,%d-%d,%d vs %d,%d-%d,%d", styles[i], b0.x0, b0.y0, b0.x1,
                      b0.y1, b1.x0, b1.y0, b1.x1, b1.y1);
        box early = dark(draw_on(r1, T0 + 40, 160)), over = dark(draw_on(r1, T0 + 150, 160));
        ck_assert_int_lt(bw(early), bw(b1) / 2);
        ck_assert_int_lt(bh(early), bh(b1) / 2);
        ck_assert_int_gt(bh(over), bh(b1) * 1.1);
        /* the text stays inside its box as it grows */
        box t = where(draw_on(r1, T0 + 100, 160), 200, 255); /* white text */
        box bx = dark(draw_on(r1, T0 + 100, 160));
        ck_assert(t.x0 >= bx.x0 && t.x1 <= bx.x1 && t.y0 >= bx.y0 && t.y1 <= bx.y1);
        /* slides out to the right with it */
        box out = dark(draw_on(r1, T1 - 60, 160));
        ck_assert_int_gt(out.x0, b1.x0 + 50);
        ck_assert_int_le(abs(bh(out) - bh(b1)), 1);
        zimu_renderer_free(&r0);
        zimu_renderer_free(&r1);
    }
}
END_TEST

static int green(const frame *f, int x, int y)
{
    const uint8_t *q = f->p + ((size_t)y * W + x) * 4;
    return q[1] > 150 && q[0] < 90 && q[2] < 90;
}

START_TEST(test_keyword)
{
    zimu_renderer *r = card_at("上直播" KEY("领红包") "啦", NULL, T0, T1, 0);
    const frame *f = draw(r, 2000);
    int rx0[10], rx1[10];
    ck_assert_int_eq(runs(f, rx0, rx1, 10), 7);
    long in_key = 0, outside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (green(f, x, y))
                (x >= rx0[3] && x < rx1[5]) ? in_key++ : outside++;
    ck_assert_int_eq(outside, 0);
    for (int k = 3; k <= 5; k++) { /* every keyword character is green */
        long n = 0;
        for (int y = 0; y < H; y++)
            for (int x = rx0[k]; x < rx1[k]; x++)
                n += green(f, x, y);
        ck_assert_int_gt(n, 50);
    }
    /* and larger: 120 % of the others */
    double plain = 0, key = 0;
    for (int k = 0; k < 3; k++)
        plain += bh(ink_in(f, rx0[k], rx1[k])) / 3.0;
    for (int k = 3; k < 6; k++)
        key += bh(ink_in(f, rx0[k], rx1[k])) / 3.0;
    ck_assert_msg(key > plain * 1.12 && key < plain * 1.3, "key %f plain %f", key, plain);
    /* the layout measured it so: the page's line is as wide as the ink */
    int64_t s, e;
    int nl, pb[4];
    ck_assert_int_eq(zimu_renderer_page(r, 0, &s, &e, &nl, pb), 0);
    box all = ink(f);
    ck_assert_msg(abs(pb[2] - bw(all)) <= 4, "page %d wide, ink %d", pb[2], bw(all));
    ck_assert_int_le(abs(pb[3] - 48), 1); /* one line, keyword high */
    zimu_renderer_free(&r);
}
END_TEST

/* A long card with a large keyword: every page inside the safe area. */
START_TEST(test_keyword_safe_area)
{
    const char *text = "欢迎来到宁安街道红色直播间今天我们一起" KEY("上直播领红包") "还有"
                       "民法典里关于遗嘱的几条规定请大家认真听讲";
    zimu_cues cues = {0};
    zimu_cue *q = zimu__cues_add(&cues, T0, T1, text, strlen(text));
    q->fx = malloc(sizeof *q->fx);
    *q->fx = fx_of(ZIMU__FX_POP, ZIMU__FX_FADE, 0);
    zimu_renderer *r = zimu_renderer_new();
    zimu__renderer_take_cues(r, &cues);
    ck_assert_int_eq(zimu_renderer_set_size(r, W, H), 0);
    ck_assert_int_eq(zimu_renderer_set_style_options(r, "size=32px,highlight_scale=150"), 0);
    ck_assert_int_eq(zimu_renderer_set_max_lines(r, 3), 0);
    ck_assert_int_eq(zimu_renderer_prepare(r), 0);
    zimu_ctx c = {0};
    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, NULL, W, H, &sa), 0);
    int sx0 = (int)(sa.left * W), sx1 = W - (int)(sa.right * W);
    int n = zimu_renderer_page_count(r), found = 0;
    ck_assert_int_ge(n, 1);
    for (int i = 0; i < n; i++) {
        int64_t s, e;
        int nl, pb[4];
        ck_assert_int_eq(zimu_renderer_page(r, i, &s, &e, &nl, pb), 0);
        const frame *f = draw(r, (s + e) / 2);
        box b = ink(f);
        ck_assert_msg(b.x0 >= sx0 && b.x1 <= sx1, "page %d ink %d..%d, safe %d..%d", i, b.x0,
                      b.x1, sx0, sx1);
        ck_assert_int_ge(b.y0, (int)(sa.top * H));
        ck_assert_int_le(b.y1, H - (int)(sa.bottom * H));
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                found += green(f, x, y) || (f->p[((size_t)y * W + x) * 4] > 200 &&
                                            f->p[((size_t)y * W + x) * 4 + 2] < 80);
        /* the lines the layout reports hold the ink */
        for (int k = 0; k < nl; k++) {
            int lb[4];
            ck_assert_ptr_nonnull(zimu_renderer_line(r, i, k, lb));
            ck_assert_int_ge(lb[0], sx0);
            ck_assert_int_le(lb[0] + lb[2], sx1);
        }
    }
    ck_assert_int_gt(found, 0); /* the keyword was drawn (yellow) */
    zimu_renderer_free(&r);
}
END_TEST

/* The wrapper keeps a keyword on one line and marks it once per page. */
START_TEST(test_keyword_wrap)
{
    zimu_ctx c = {0};
    char *conf = NULL;
    ck_assert_int_eq(zimu__fonts_config(&c, NULL, &conf), 0);
    zimu_measure *m = NULL;
    ck_assert_int_eq(zimu__measure_new(&c, &m, "Noto Sans CJK SC", 1, 40, conf), 0);
    /* 10 characters at about 40 px each: where would a 5-character line
     * break? between 5 and 6, inside the keyword (characters 4..7) */
    const char *text = "一二三" KEY("四五六七") "八九十";
    double w5 = zimu__measure_text(m, "一二三四五", strlen("一二三四五"));
    zimu_wrap_result wr = {0};
    ck_assert_int_eq(zimu__wrap(&c, m, text, strlen(text), w5 + 1, 0, &wr), 0);
    ck_assert_uint_eq(wr.n_pages, 1);
    char *nl = strchr(wr.pages[0].text, '\n');
    ck_assert_ptr_nonnull(nl);
    char *on = strstr(wr.pages[0].text, ZIMU__KEY_ON), *off = strstr(wr.pages[0].text,
                                                                     ZIMU__KEY_OFF);
    ck_assert_ptr_nonnull(on);
    ck_assert_ptr_nonnull(off);
    ck_assert_msg(!(on < nl && nl < off), "keyword split: %s", wr.pages[0].text);
    zimu__wrap_free(&wr);
    /* pages: a later page does not get the markers of a keyword before it */
    const char *two = KEY("一二") "三四\n五六七八\n九十";
    ck_assert_int_eq(zimu__wrap(&c, m, two, strlen(two), 1000, 1, &wr), 0);
    ck_assert_uint_ge(wr.n_pages, 2);
    for (size_t p = 1; p < wr.n_pages; p++)
        ck_assert_ptr_null(strstr(wr.pages[p].text, "zimukey"));
    zimu__wrap_free(&wr);
    /* a keyword that goes on to the next page is marked again there */
    const char *across = "一二" KEY("三四\n五六") "七八";
    ck_assert_int_eq(zimu__wrap(&c, m, across, strlen(across), 1000, 1, &wr), 0);
    ck_assert_uint_eq(wr.n_pages, 2);
    ck_assert_int_eq(strncmp(wr.pages[1].text, ZIMU__KEY_ON, strlen(ZIMU__KEY_ON)), 0);
    zimu__wrap_free(&wr);
    /* the keyword's scale widens its line */
    int open = 0, has = 0;
    const char *line = "一二" KEY("三四");
    double extra = zimu__key_line(m, line, strlen(line), 0, 150, &open, &has);
    double w2 = zimu__measure_text(m, "三四", strlen("三四"));
    ck_assert(has && !open);
    ck_assert_double_eq_tol(extra, w2 / 2, 0.01);
    zimu__measure_free(&m);
    unlink(conf);
    free(conf);
}
END_TEST

/* Markers never reach libass, nor a saved file. */
START_TEST(test_markers_stay_inside)
{
    const char *text = "上直播" KEY("领红包") "啦";
    zimu_cue_fx fx = fx_of(ZIMU__FX_TYPEWRITER, ZIMU__FX_FADE, ZIMU__FX_PULSE);
    zimu_renderer *r = card_at(text, &fx, T0, T1, 0);
    char path[] = "/tmp/check_anim_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(zimu_renderer_save_ass(r, path, 1), 0);
    FILE *fp = fopen(path, "rb");
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    unlink(path);
    ck_assert_ptr_null(strstr(buf, "zimukey"));
    ck_assert_ptr_nonnull(strstr(buf, "领红包"));
    zimu_renderer_free(&r);
    /* zimu convert's writers */
    zimu_cues cues = {0};
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, T0, T1, text, strlen(text)));
    static const int fmts[] = {ZIMU__SUBS_SRT, ZIMU__SUBS_VTT, ZIMU__SUBS_LRC, ZIMU__SUBS_ASS};
    for (size_t i = 0; i < 4; i++) {
        zimu_ctx c = {0};
        zimu_sbuf out = {0};
        zimu_write_opts o = {.width = W, .height = H};
        ck_assert_int_eq(zimu__subs_write(&c, &cues, fmts[i], &o, &out), 0);
        zimu__sb_addc(&out, 0);
        ck_assert_msg(!strstr(out.s, "zimukey"), "format %d: %s", fmts[i], out.s);
        ck_assert_msg(strstr(out.s, "上直播领红包啦"), "format %d: %s", fmts[i], out.s);
        zimu__sb_free(&out);
    }
    zimu__cues_clear(&cues);
}
END_TEST

/* A cue whose fx has no effect draws as a cue without fx: the same
 * script. */
START_TEST(test_no_fx_same)
{
    zimu_cue_fx none = {.beat_ms = 500};
    char *txt[2];
    for (int i = 0; i < 2; i++) {
        zimu_renderer *r = card_at("没有动画的字幕，比较长，会分成两行显示出来吧", i ? &none : NULL,
                                   T0, T1, 0);
        char path[] = "/tmp/check_anim_XXXXXX";
        int fd = mkstemp(path);
        close(fd);
        ck_assert_int_eq(zimu_renderer_save_ass(r, path, 1), 0);
        FILE *fp = fopen(path, "rb");
        txt[i] = calloc(1, 65536);
        fread(txt[i], 1, 65535, fp);
        fclose(fp);
        unlink(path);
        zimu_renderer_free(&r);
    }
    ck_assert_str_eq(txt[0], txt[1]);
    ck_assert_ptr_nonnull(strstr(txt[0], "{\\an2\\pos("));
    free(txt[0]);
    free(txt[1]);
}
END_TEST

/* A loop on a very long card stays a bounded number of events. */
START_TEST(test_long_loop_bounded)
{
    zimu_cue_fx fx = fx_of(0, 0, ZIMU__FX_SHAKE);
    fx.loop_ms = 40;
    zimu_renderer *r = card_at("很长的一张卡片", &fx, 0, 3600 * 1000, 0);
    char path[] = "/tmp/check_anim_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(zimu_renderer_save_ass(r, path, 1), 0);
    FILE *fp = fopen(path, "rb");
    char line[4096];
    long n = 0;
    while (fgets(line, sizeof line, fp))
        n += !strncmp(line, "Dialogue:", 9);
    fclose(fp);
    unlink(path);
    ck_assert_int_gt(n, 1000); /* it shakes ... */
    ck_assert_int_lt(n, 20000); /* ... in at most 1000 periods */
    zimu_renderer_free(&r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("anim");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_default_times);
    tcase_add_test(tc, test_pop);
    tcase_add_test(tc, test_pop_stays_in_frame);
    tcase_add_test(tc, test_zoom);
    tcase_add_test(tc, test_fade);
    tcase_add_test(tc, test_slide);
    tcase_add_test(tc, test_typewriter);
    tcase_add_test(tc, test_bounce);
    tcase_add_test(tc, test_shake);
    tcase_add_test(tc, test_spin);
    tcase_add_test(tc, test_strobe);
    tcase_add_test(tc, test_pulse);
    tcase_add_test(tc, test_in_loop_out);
    tcase_add_test(tc, test_rest_in_place);
    tcase_add_test(tc, test_box_follows);
    tcase_add_test(tc, test_keyword);
    tcase_add_test(tc, test_keyword_safe_area);
    tcase_add_test(tc, test_keyword_wrap);
    tcase_add_test(tc, test_markers_stay_inside);
    tcase_add_test(tc, test_no_fx_same);
    tcase_add_test(tc, test_long_loop_bounded);
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
