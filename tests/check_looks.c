/* check_looks.c - flash looks (花字) and per-cue looks (style.c, layout.c,
 * assgen.c), on pixels libass renders from the one writer: each look
 * draws what it says (a yellow text in a black outline, a red block, two
 * outlines in rings, a soft halo, a shadow shifted by its offset, a
 * bubble's tail, a big first line), cues with different looks in one
 * track look different, long mixed Chinese/Latin text stays inside the
 * safe area in every look, and a bad look is a ZIMU_ESTYLE naming it. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ass/ass.h>

#include "assgen.h"
#include "capopts.h"
#include "fonts.h"
#include "style.h"
#include "util_paint.h"

static const char *const LOOKS[] = {"yellow", "redblock", "double", "glow", "offset",
                                    "bubble", "number", "neon", "tape"};
#define N_LOOKS (int)(sizeof LOOKS / sizeof *LOOKS)

/* ------------------------------------------------------------------------
 * A libass renderer and a canvas.
 */

static void quiet(int level, const char *fmt, va_list ap, void *data)
{
    (void)level;
    (void)fmt;
    (void)ap;
    (void)data;
}

typedef struct rig {
    ASS_Library *lib;
    ASS_Renderer *r;
    char *conf;
    int w, h;
    float *rgb; /* w*h*3, 0..255 */
} rig;

static void rig_init(rig *g, int w, int h)
{
    zimu_ctx c = {0};
    memset(g, 0, sizeof *g);
    ck_assert_int_eq(zimu__fonts_config(&c, NULL, &g->conf), 0);
    g->lib = ass_library_init();
    ass_set_message_cb(g->lib, quiet, NULL);
    g->r = ass_renderer_init(g->lib);
    g->w = w;
    g->h = h;
    ass_set_frame_size(g->r, w, h);
    ass_set_storage_size(g->r, w, h);
    ass_set_hinting(g->r, ASS_HINTING_NONE);
    ass_set_shaper(g->r, ASS_SHAPING_COMPLEX);
    ass_set_fonts(g->r, NULL, ZIMU__FONT_DEFAULT, ASS_FONTPROVIDER_FONTCONFIG, g->conf, 1);
    g->rgb = malloc(sizeof(float) * 3 * (size_t)w * h);
    ck_assert_ptr_nonnull(g->rgb);
}

static void rig_done(rig *g)
{
    ass_renderer_done(g->r);
    ass_library_done(g->lib);
    unlink(g->conf);
    free(g->conf);
    free(g->rgb);
}

/* The writer's track for cues, style preset (NULL: classic). */
static int try_track(rig *g, const zimu_cues *cues, const char *style, zimu_ctx *c,
                     ASS_Track **t)
{
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    if (style)
        cap.style = strdup(style);
    zimu_layout lay = {.width = g->w, .height = g->h, .fonts_conf = g->conf, .cap = &cap};
    int r = zimu__assgen_track(c, g->lib, cues, &lay, t);
    zimu__capopts_clear(&cap);
    return r;
}

static ASS_Track *make_track(rig *g, const zimu_cues *cues, const char *style)
{
    zimu_ctx c = {0};
    ASS_Track *t = NULL;
    int r = try_track(g, cues, style, &c, &t);
    ck_assert_msg(r == 0, "assgen: %d %s", r, c.errmsg);
    return t;
}

typedef tu_box box;

/* Render at ms over a flat background bg (NULL: count ink only); *ink:
 * the box of every pixel anything was drawn on. */
static void render_at(rig *g, ASS_Track *t, long long ms, const uint8_t bg[3], box *ink)
{
    size_t n = (size_t)g->w * g->h;
    for (size_t i = 0; bg && i < n; i++)
        for (int k = 0; k < 3; k++)
            g->rgb[i * 3 + k] = bg[k];
    int changed;
    tu_ass_paint(ass_render_frame(g->r, t, ms, &changed), bg ? g->rgb : NULL, g->w, g->h, ink);
}

static const float *px(const rig *g, int x, int y)
{
    return &g->rgb[((size_t)y * g->w + x) * 3];
}

static int near(const float *p, const uint8_t rgb[3], int tol)
{
    return fabsf(p[0] - rgb[0]) <= tol && fabsf(p[1] - rgb[1]) <= tol &&
           fabsf(p[2] - rgb[2]) <= tol;
}

/* Pixels within tol of rgb: their count and box. */
static long color_box(const rig *g, const uint8_t rgb[3], int tol, box *b)
{
    long n = 0;
    *b = (box){0, 0, 0, 0};
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++)
            if (near(px(g, x, y), rgb, tol)) {
                tu_box_grow(b, x, y);
                n++;
            }
    return n;
}

static zimu_cue *add(zimu_cues *cues, int64_t start, int64_t end, const char *text,
                     const char *look)
{
    zimu_cue *q = zimu__cues_add(cues, start, end, text, strlen(text));
    ck_assert_ptr_nonnull(q);
    if (look) {
        q->look = strdup(look);
        ck_assert_ptr_nonnull(q->look);
    }
    return q;
}

static const uint8_t GRAY[3] = {128, 128, 128};
static const uint8_t DARK[3] = {20, 30, 40};

/* ------------------------------------------------------------------------
 * The presets and keys.
 */

START_TEST(test_look_presets)
{
    /* every look is a preset with a Chinese description, in the name list
     * messages give */
    char names[512] = "";
    for (int i = 0; i < zimu_style_count(); i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                 zimu_style_name(i));
    ck_assert_str_eq(names, zimu__style_preset_names());
    for (int k = 0; k < N_LOOKS; k++) {
        int found = 0;
        for (int i = 0; i < zimu_style_count(); i++)
            if (!strcmp(zimu_style_name(i), LOOKS[k])) {
                const char *d = zimu_style_description(i);
                found = 1;
                ck_assert_msg((unsigned char)d[0] >= 0xE4, "%s: %s", LOOKS[k], d);
            }
        ck_assert_msg(found, "look %s missing", LOOKS[k]);
        zimu_style st;
        ck_assert_int_eq(zimu__style_preset(LOOKS[k], &st), 0);
        ck_assert_int_eq(st.caption.align, 5);
        ck_assert_int_eq(st.cover.align, 5);
        ck_assert_int_eq(st.title.align, 8);
        ck_assert(st.title.size.v < st.caption.size.v && st.cover.size.v > st.caption.size.v);
        ck_assert(memcmp(&st.caption.highlight_color, &st.caption.color, sizeof st.caption.color));
    }
    zimu_style st;
    ck_assert_int_eq(zimu__style_preset("double", &st), 0);
    ck_assert(st.caption.outline2.v > 0 && st.caption.outline2_color.a == 255);
    ck_assert_int_eq(zimu__style_preset("glow", &st), 0);
    ck_assert(st.caption.glow.v > 0);
    ck_assert_int_eq(zimu__style_preset("offset", &st), 0);
    ck_assert(st.caption.shadow_x.v > 0 && st.caption.shadow_y.v > 0);
    ck_assert_int_eq(zimu__style_preset("bubble", &st), 0);
    ck_assert_int_eq(st.caption.box, ZIMU__BOX_BUBBLE);
    ck_assert_int_eq(zimu__style_preset("number", &st), 0);
    ck_assert_int_gt(st.caption.first_line_scale, 150);
    ck_assert_int_eq(zimu__style_preset("classic", &st), 0);
    ck_assert_int_eq(st.caption.first_line_scale, 100);
    ck_assert(st.caption.outline2.v == 0 && st.caption.glow.v == 0 &&
              st.caption.shadow_x.v == 0 && st.caption.shadow_y.v == 0);

    /* the keys */
    zimu_ctx c = {0};
    ck_assert_int_eq(zimu__style_set(&c, &st, "first_line_scale", "180%", "t"), 0);
    ck_assert_int_eq(st.caption.first_line_scale, 180);
    ck_assert_int_eq(zimu__style_set(&c, &st, "first_line_scale", "90", "t"), ZIMU_ESTYLE);
    ck_assert(strstr(c.errmsg, "100 to 300"));
    ck_assert_int_eq(zimu__style_set(&c, &st, "box", "bubble", "t"), 0);
    ck_assert_int_eq(zimu__style_set(&c, &st, "box", "cloud", "t"), ZIMU_ESTYLE);
    ck_assert(strstr(c.errmsg, "bubble"));
    ck_assert_int_eq(zimu__style_set(&c, &st, "title.outline2", "6px", "t"), 0);
    ck_assert(st.title.outline2.px && st.title.outline2.v == 6);
    ck_assert_int_eq(zimu__style_set(&c, &st, "glow_color", "#FF000080", "t"), 0);
    ck_assert_int_eq(st.caption.glow_color.a, 0x80);
    ck_assert_int_eq(zimu__style_set(&c, &st, "shadow_y", "0.2", "t"), ZIMU_ESTYLE);
}
END_TEST

/* ------------------------------------------------------------------------
 * Each look draws what it says.
 */

/* yellow: yellow glyphs inside a thick black outline. */
START_TEST(test_yellow)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "上直播", "yellow");
    ASS_Track *t = make_track(&g, &cues, NULL);
    box ink, y, k;
    render_at(&g, t, 500, GRAY, &ink);
    static const uint8_t yel[3] = {255, 230, 0}, blk[3] = {0, 0, 0};
    long ny = color_box(&g, yel, 12, &y), nk = color_box(&g, blk, 12, &k);
    ck_assert_int_gt(ny, 1500);
    ck_assert_int_gt(nk, 1000);
    /* the outline is around the yellow, several pixels wide */
    ck_assert_msg(k.x0 <= y.x0 - 4 && k.y0 <= y.y0 - 4 && k.x1 >= y.x1 + 4 && k.y1 >= y.y1 + 4,
                  "black (%d,%d)-(%d,%d) yellow (%d,%d)-(%d,%d)", k.x0, k.y0, k.x1, k.y1, y.x0,
                  y.y0, y.x1, y.y1);
    /* centred */
    ck_assert_int_lt(abs((ink.x0 + ink.x1) / 2 - 270), 4);
    ck_assert_int_lt(abs((ink.y0 + ink.y1) / 2 - (int)(960 * (0.12 + 0.75) / 2)), 8);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* redblock: a solid red rectangle with the white text in it. */
START_TEST(test_redblock)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "上直播", "redblock");
    ASS_Track *t = make_track(&g, &cues, NULL);
    box ink, rb, wb;
    render_at(&g, t, 500, GRAY, &ink);
    static const uint8_t red[3] = {230, 0, 18}, white[3] = {255, 255, 255};
    long nr = color_box(&g, red, 6, &rb);
    long nw = color_box(&g, white, 6, &wb);
    long area = (long)(rb.x1 - rb.x0) * (rb.y1 - rb.y0);
    ck_assert_int_gt(nr, 4000);
    /* a block: what is not red in it is the text */
    ck_assert_msg(nr + nw > area * 0.9, "red %ld white %ld of %ld", nr, nw, area);
    ck_assert(wb.x0 > rb.x0 + 3 && wb.y0 > rb.y0 + 3 && wb.x1 < rb.x1 - 3 && wb.y1 < rb.y1 - 3);
    /* square corners */
    ck_assert(near(px(&g, rb.x0, rb.y0), red, 10));
    ck_assert(near(px(&g, rb.x1 - 1, rb.y1 - 1), red, 10));
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* double: the red outline in a ring of white; _i 1: without the second
 * outline (outline2 = 0) the red is outermost, which the check sees. */
START_TEST(test_double)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "上直播", "double");
    add(&cues, 3000, 5000, "上直播", "base=double,outline2=0,shadow=0");
    ASS_Track *t = make_track(&g, &cues, NULL);
    static const uint8_t red[3] = {232, 22, 43}, white[3] = {255, 255, 255};
    box ink, rb, wb;
    render_at(&g, t, 500, DARK, &ink);
    ck_assert_int_gt(color_box(&g, red, 10, &rb), 800);
    ck_assert_int_gt(color_box(&g, white, 10, &wb), 1500);
    /* white outside the red on every side, by about outline2 */
    int o2 = (int)(0.0045 * 960);
    ck_assert_msg(wb.x0 <= rb.x0 - o2 + 2 && wb.y0 <= rb.y0 - o2 + 2 && wb.x1 >= rb.x1 + o2 - 2 &&
                      wb.y1 >= rb.y1 + o2 - 2, "white (%d,%d)-(%d,%d) red (%d,%d)-(%d,%d)",
                  wb.x0, wb.y0, wb.x1, wb.y1, rb.x0, rb.y0, rb.x1, rb.y1);
    /* and red around the white glyphs: on a row through the middle, going
     * in from the left: dark, white (outer), red, white (the glyph) */
    int y = (rb.y0 + rb.y1) / 2, seq[8], n = 0;
    for (int x = 0; x < g.w && n < 8; x++) {
        int c = near(px(&g, x, y), white, 30) ? 1 : near(px(&g, x, y), red, 40) ? 2 : 0;
        if (c && (!n || seq[n - 1] != c))
            seq[n++] = c;
    }
    ck_assert_int_ge(n, 3);
    ck_assert_msg(seq[0] == 1 && seq[1] == 2 && seq[2] == 1, "%d %d %d", seq[0], seq[1], seq[2]);
    /* without the second outline: red is outermost */
    render_at(&g, t, 3500, DARK, &ink);
    ck_assert_int_gt(color_box(&g, red, 10, &rb), 800);
    color_box(&g, white, 10, &wb);
    ck_assert(rb.x0 < wb.x0 && rb.y0 < wb.y0);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* glow: a soft halo, partly transparent, fading out well past the text;
 * with glow = 0 there is none. */
START_TEST(test_glow)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "上直播", "glow");
    add(&cues, 3000, 5000, "上直播", "base=glow,glow=0");
    ASS_Track *t = make_track(&g, &cues, NULL);
    box with, without;
    render_at(&g, t, 500, DARK, &with);
    /* the halo is orange over dark, at many strengths */
    int levels[256] = {0}, distinct = 0;
    long soft = 0;
    for (int y = with.y0; y < with.y1; y++)
        for (int x = with.x0; x < with.x1; x++) {
            const float *p = px(&g, x, y);
            if (p[0] > p[2] + 20 && p[0] < 240 && p[1] < p[0]) { /* orange, not full */
                soft++;
                if (!levels[(int)p[0]]++)
                    distinct++;
            }
        }
    ck_assert_int_gt(soft, 2000);
    ck_assert_int_gt(distinct, 60);
    render_at(&g, t, 3500, DARK, &without);
    int glow = (int)(0.012 * 960);
    ck_assert_msg(with.x0 <= without.x0 - glow / 2 && with.y1 >= without.y1 + glow / 2,
                  "with (%d,%d)-(%d,%d) without (%d,%d)-(%d,%d)", with.x0, with.y0, with.x1,
                  with.y1, without.x0, without.y0, without.x1, without.y1);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* offset: the solid shadow, shifted by shadow_x, shadow_y, no blur. */
START_TEST(test_offset)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "上直播", "base=offset,shadow_x=9px,shadow_y=15px,outline=3px");
    ASS_Track *t = make_track(&g, &cues, NULL);
    box ink, sb, ob;
    render_at(&g, t, 500, GRAY, &ink);
    static const uint8_t pink[3] = {255, 45, 120}, blk[3] = {17, 17, 17};
    ck_assert_int_gt(color_box(&g, pink, 4, &sb), 500);
    ck_assert_int_gt(color_box(&g, blk, 8, &ob), 500);
    ck_assert_msg(abs(sb.x1 - ob.x1 - 9) <= 1 && abs(sb.y1 - ob.y1 - 15) <= 1 &&
                      abs(sb.x0 - ob.x0 - 9) <= 2 && abs(sb.y0 - ob.y0 - 15) <= 2,
                  "shadow (%d,%d)-(%d,%d) outline (%d,%d)-(%d,%d)", sb.x0, sb.y0, sb.x1, sb.y1,
                  ob.x0, ob.y0, ob.x1, ob.y1);
    /* hard: libass's shadow bitmap is the text and outline's, shifted by
     * exactly (9, 15) and not blurred */
    size_t n = (size_t)g.w * g.h;
    unsigned char *shad = calloc(n, 1), *body = calloc(n, 1);
    ck_assert(shad && body);
    int changed;
    for (ASS_Image *im = ass_render_frame(g.r, t, 500, &changed); im; im = im->next)
        for (int y = 0; y < im->h; y++)
            for (int x = 0; x < im->w; x++) {
                int X = im->dst_x + x, Y = im->dst_y + y;
                unsigned char v = im->bitmap[y * im->stride + x];
                if (X < 0 || Y < 0 || X >= g.w || Y >= g.h)
                    continue;
                unsigned char *m = im->type == IMAGE_TYPE_SHADOW ? shad : body;
                if (v > m[(size_t)Y * g.w + X])
                    m[(size_t)Y * g.w + X] = v;
            }
    long on = 0, diff = 0;
    for (int y = 0; y + 15 < g.h; y++)
        for (int x = 0; x + 9 < g.w; x++) {
            int a = body[(size_t)y * g.w + x], b = shad[(size_t)(y + 15) * g.w + x + 9];
            on += b > 0;
            diff += abs(a - b);
        }
    ck_assert_int_gt(on, 2000);
    ck_assert_msg(diff < on, "shadow differs from the shifted text by %ld over %ld px", diff,
                  on);
    free(shad);
    free(body);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* bubble: a white box with a narrow tail below it, on its left. */
START_TEST(test_bubble)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "每周三晚8点 上直播", "bubble");
    ASS_Track *t = make_track(&g, &cues, NULL);
    box ink, wb;
    render_at(&g, t, 500, GRAY, &ink);
    static const uint8_t white[3] = {255, 255, 255};
    ck_assert_int_gt(color_box(&g, white, 3, &wb), 5000);
    int bw = wb.x1 - wb.x0;
    /* rows of the box are mostly white; the tail's rows below it are a
     * little white in the left part */
    int last_full = -1, tail_rows = 0, tail_x0 = g.w, tail_x1 = 0;
    for (int y = wb.y1 - 1; y >= wb.y0 && last_full < 0; y--) { /* up from the bottom */
        int n = 0, x0 = g.w, x1 = 0;
        for (int x = wb.x0; x < wb.x1; x++)
            if (near(px(&g, x, y), white, 3)) {
                n++;
                if (x < x0) x0 = x;
                if (x + 1 > x1) x1 = x + 1;
            }
        if (n > bw / 2) {
            last_full = y;
        } else if (n > 0) {
            ck_assert_msg(n < bw / 4, "row %d: %d of %d px white", y, n, bw);
            tail_rows++;
            if (x0 < tail_x0) tail_x0 = x0;
            if (x1 > tail_x1) tail_x1 = x1;
        }
    }
    ck_assert_int_ge(last_full, 0);
    ck_assert_msg(tail_rows >= 6, "tail rows %d", tail_rows);
    ck_assert_int_lt(tail_x1 - tail_x0, bw / 4);
    ck_assert_int_lt(tail_x1, wb.x0 + bw / 2);
    ck_assert_int_ge(wb.y1, ink.y1 - 3); /* the tail is the lowest thing drawn */
    /* the text (dark) is in the box, above the tail */
    static const uint8_t dark[3] = {26, 26, 26};
    box tb;
    ck_assert_int_gt(color_box(&g, dark, 10, &tb), 500);
    ck_assert_msg(tb.y1 + 8 <= last_full, "text to %d, box to %d", tb.y1, last_full);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* A bubble (and a rounded box) behind an animated card is the same shape
 * as behind a still one once the animation is over: its tail and rounded
 * corners are kept, not a square box. */
START_TEST(test_bubble_animated)
{
    static const char *const looks[] = {"bubble", "base=box,box_color=#FFFFFF"};
    static const uint8_t white[3] = {255, 255, 255};
    for (int i = 0; i < 2; i++) {
        rig g;
        rig_init(&g, 540, 960);
        zimu_cues cues = {0};
        add(&cues, 0, 2000, "每周三晚8点 上直播", looks[i]);
        zimu_cue *q = add(&cues, 3000, 5000, "每周三晚8点 上直播", looks[i]);
        q->fx = calloc(1, sizeof *q->fx);
        ck_assert_ptr_nonnull(q->fx);
        q->fx->in = ZIMU__FX_SLIDE_UP;
        ASS_Track *t = make_track(&g, &cues, NULL);
        box ink, still, moved;
        render_at(&g, t, 1500, GRAY, &ink);
        long n_still = color_box(&g, white, 3, &still);
        render_at(&g, t, 4500, GRAY, &ink); /* the slide is over */
        long n_moved = color_box(&g, white, 3, &moved);
        ck_assert_msg(labs(n_moved - n_still) <= n_still / 200 &&
                          abs(moved.y1 - still.y1) <= 1 && abs(moved.x0 - still.x0) <= 1,
                      "%s: still %ld white px to y %d, animated %ld to y %d", looks[i],
                      n_still, still.y1, n_moved, moved.y1);
        ass_free_track(t);
        zimu__cues_clear(&cues);
        rig_done(&g);
    }
}
END_TEST

/* Rows with ink, as runs: their count and the first two runs' heights. */
static int ink_runs(const rig *g, const uint8_t bg[3], int *h0, int *h1)
{
    int runs = 0, in = 0, start = 0;
    *h0 = *h1 = 0;
    for (int y = 0; y <= g->h; y++) {
        int any = 0;
        for (int x = 0; y < g->h && x < g->w && !any; x++)
            any = !near(px(g, x, y), bg, 8);
        if (any && !in) {
            in = 1;
            start = y;
        } else if (!any && in) {
            in = 0;
            if (runs == 0)
                *h0 = y - start;
            else if (runs == 1)
                *h1 = y - start;
            runs++;
        }
    }
    return runs;
}

/* number: the first line drawn (and laid out) bigger than the caption. */
START_TEST(test_number)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "2026\n户家庭受益", "number");
    add(&cues, 3000, 5000, "2026\n户家庭受益", "base=number,first_line_scale=100");
    ASS_Track *t = make_track(&g, &cues, NULL);
    box ink;
    int h0, h1, p0, p1;
    render_at(&g, t, 500, DARK, &ink);
    ck_assert_int_eq(ink_runs(&g, DARK, &h0, &h1), 2);
    /* digits are shorter than Han characters, and the outline adds the
     * same to both: 2.5 times the size is about 1.8 times the ink */
    ck_assert_msg(h0 > h1 * 1.4, "first line %d px, second %d px", h0, h1);
    int big_w = ink.x1 - ink.x0;
    render_at(&g, t, 3500, DARK, &ink);
    ck_assert_int_eq(ink_runs(&g, DARK, &p0, &p1), 2);
    ck_assert_msg(p0 < p1 && h0 > p0 * 1.6 && abs(h1 - p1) <= 1,
                  "first line %d px (plain: %d), second %d px (plain: %d)", h0, p0, h1, p1);
    ck_assert_int_gt(big_w, ink.x1 - ink.x0);
    ass_free_track(t);

    /* the layout's line boxes say so too, and the page's box holds both */
    zimu_ctx c = {0};
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    zimu_layout lay = {.width = 540, .height = 960, .fonts_conf = g.conf, .cap = &cap};
    zimu_laid L;
    ck_assert_int_eq(zimu__layout_run(&c, &cues, &lay, &L), 0);
    ck_assert_uint_eq(L.pages.n, 2);
    ck_assert_uint_eq(L.n_looks, 2);
    const zimu_page *pg = &L.pages.v[0];
    ck_assert_int_eq(pg->look, 0);
    ck_assert_uint_eq(pg->n_lines, 2);
    ck_assert_str_eq(pg->lines[0].text, "2026");
    ck_assert_str_eq(pg->lines[1].text, "户家庭受益");
    ck_assert_double_eq_tol(pg->lines[0].h, pg->lines[1].h * 2.5, 0.01);
    ck_assert_double_eq_tol(pg->h, pg->lines[0].h + pg->lines[1].h, 0.01);
    ck_assert_double_eq_tol(pg->lines[1].y, pg->lines[0].y + pg->lines[0].h, 0.01);
    ck_assert_int_eq(L.pages.v[1].look, 1);
    zimu__laid_free(&L);
    zimu__capopts_clear(&cap);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* number with a flash card's animation and a keyword on its big line:
 * the line stays big (the animation's and the keyword's scales multiply
 * the look's, they do not replace it). */
START_TEST(test_number_animated)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 2000, "2026\n户家庭受益", "number");
    zimu_cue *q = add(&cues, 3000, 5000, "2026\n户家庭受益", "number");
    q->fx = calloc(1, sizeof *q->fx);
    ck_assert_ptr_nonnull(q->fx);
    q->fx->in = ZIMU__FX_POP;
    q = add(&cues, 6000, 8000, ZIMU__KEY_ON "2026" ZIMU__KEY_OFF "\n户家庭受益", "number");
    q->fx = calloc(1, sizeof *q->fx);
    ck_assert_ptr_nonnull(q->fx);
    q->fx->in = ZIMU__FX_POP;
    ASS_Track *t = make_track(&g, &cues, NULL);
    box ink;
    int h0, h1, a0, a1, k0, k1;
    render_at(&g, t, 1500, DARK, &ink);
    ck_assert_int_eq(ink_runs(&g, DARK, &h0, &h1), 2);
    render_at(&g, t, 4500, DARK, &ink); /* the pop is over */
    ck_assert_int_eq(ink_runs(&g, DARK, &a0, &a1), 2);
    ck_assert_msg(abs(a0 - h0) <= 2 && abs(a1 - h1) <= 2,
                  "animated: %d/%d px, still: %d/%d px", a0, a1, h0, h1);
    render_at(&g, t, 7500, DARK, &ink);
    ck_assert_int_eq(ink_runs(&g, DARK, &k0, &k1), 2);
    ck_assert_msg(k0 > h0 * 1.1 && abs(k1 - h1) <= 2,
                  "keyword line %d px (without: %d), second %d px (%d)", k0, h0, k1, h1);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* ------------------------------------------------------------------------
 * Per-cue looks.
 */

/* Cues with different looks in one track look different; each distinct
 * look is one ASS style; cues without one keep the caption style and
 * their events are those of a track without looks. */
START_TEST(test_per_cue_looks)
{
    rig g;
    rig_init(&g, 540, 960);
    zimu_cues cues = {0};
    add(&cues, 0, 1000, "上直播", "yellow");
    add(&cues, 1000, 2000, "上直播", "redblock");
    add(&cues, 2000, 3000, "上直播", NULL);
    add(&cues, 3000, 4000, "上直播", "base=yellow");
    add(&cues, 4000, 5000, "上直播", "yellow");
    add(&cues, 5000, 6000, "上直播", "color=#00FF00");
    ASS_Track *t = make_track(&g, &cues, "box");
    int looks = 0;
    for (int s = 0; s < t->n_styles; s++)
        looks += !strncmp(t->styles[s].Name, "Look", 4);
    ck_assert_int_eq(looks, 4); /* yellow, redblock, base=yellow, color=... */
    static const uint8_t yel[3] = {255, 230, 0}, red[3] = {230, 0, 18},
                         grn[3] = {0, 255, 0}, boxed[3] = {43, 43, 43};
    box ink, b;
    render_at(&g, t, 500, GRAY, &ink);
    ck_assert_int_gt(color_box(&g, yel, 12, &b), 1000);
    ck_assert_int_eq(color_box(&g, red, 6, &b), 0);
    render_at(&g, t, 1500, GRAY, &ink);
    ck_assert_int_eq(color_box(&g, yel, 12, &b), 0);
    ck_assert_int_gt(color_box(&g, red, 6, &b), 4000);
    /* no look: the job's style (box: #000000A6 over gray = 43) at the
     * bottom of the safe area */
    render_at(&g, t, 2500, GRAY, &ink);
    ck_assert_int_gt(color_box(&g, boxed, 3, &b), 1000);
    ck_assert_int_gt(ink.y1, 960 * 0.7);
    render_at(&g, t, 4500, GRAY, &ink);
    ck_assert_int_gt(color_box(&g, yel, 12, &b), 1000);
    /* a look without base: on top of the caption style (box, bottom) */
    render_at(&g, t, 5500, GRAY, &ink);
    ck_assert_int_gt(color_box(&g, grn, 12, &b), 500);
    ck_assert_int_gt(color_box(&g, boxed, 3, &b), 1000);
    ck_assert_int_gt(ink.y1, 960 * 0.7);

    /* the cue without a look: the same events as in a track with no looks */
    zimu_cues plain = {0};
    for (size_t i = 0; i < cues.n; i++)
        add(&plain, cues.v[i].start_ms, cues.v[i].end_ms, cues.v[i].text, NULL);
    ASS_Track *u = make_track(&g, &plain, "box");
    int found = 0;
    for (int e = 0; e < t->n_events; e++) {
        if (t->events[e].Start != 2000)
            continue;
        for (int f = 0; f < u->n_events; f++)
            if (u->events[f].Start == 2000 && u->events[f].Layer == t->events[e].Layer) {
                ck_assert_str_eq(t->events[e].Text, u->events[f].Text);
                ck_assert_int_eq(t->events[e].Duration, u->events[f].Duration);
                ck_assert_str_eq(t->styles[t->events[e].Style].Name,
                                 u->styles[u->events[f].Style].Name);
                found++;
            }
    }
    ck_assert_int_eq(found, 2); /* the box and the text */
    ass_free_track(u);
    ass_free_track(t);
    zimu__cues_clear(&plain);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* A look naming no preset, or with a bad key, is a ZIMU_ESTYLE naming
 * the cue, the look and what is wrong. */
START_TEST(test_bad_look)
{
    static const struct {
        const char *look, *want;
    } bad[] = {
        {"sparkle", "cue 2 look 'sparkle': 'sparkle' is not a look or preset (classic, "},
        {"base=sparkle,size=0.05", "'sparkle' is not a look or preset"},
        {"size=0.05,base=yellow", "the preset (base) must come first"},
        {"base=yellow,colr=#FFFFFF", "cue 2 look: key 'colr': unknown key"},
        {"base=yellow,color=yellow", "key 'color': 'yellow' is not a colour"},
        {"base=yellow,,size=0.05", "is not key=value or a preset name"},
    };
    rig g;
    rig_init(&g, 540, 960);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        zimu_cues cues = {0};
        add(&cues, 0, 1000, "好", "yellow");
        add(&cues, 1000, 2000, "上直播", bad[i].look);
        zimu_ctx c = {0};
        ASS_Track *t = NULL;
        ck_assert_int_eq(try_track(&g, &cues, NULL, &c, &t), ZIMU_ESTYLE);
        ck_assert_ptr_null(t);
        ck_assert_msg(strstr(c.errmsg, bad[i].want), "%s: %s", bad[i].look, c.errmsg);
        zimu__cues_clear(&cues);
    }
    /* a thousand looks are fine, one more is too many */
    zimu_cues cues = {0};
    for (int i = 0; i <= 1000; i++) {
        char look[64];
        snprintf(look, sizeof look, "base=tape,box_color=#%06X", i);
        add(&cues, i * 100, i * 100 + 90, "好", look);
    }
    zimu_ctx c = {0};
    ASS_Track *t = NULL;
    ck_assert_int_eq(try_track(&g, &cues, NULL, &c, &t), ZIMU_ESTYLE);
    ck_assert_msg(strstr(c.errmsg, "cue 1001 look 'base=tape,box_color=#0003E8': more than 1000 "
                                   "different looks"), "%s", c.errmsg);
    free(cues.v[1000].look);
    cues.v[1000].look = strdup("base=tape,box_color=#000000");
    ck_assert_int_eq(try_track(&g, &cues, NULL, &c, &t), 0);
    int looks = 0;
    for (int s = 0; s < t->n_styles; s++)
        looks += !strncmp(t->styles[s].Name, "Look", 4);
    ck_assert_int_eq(looks, 1000);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

/* ------------------------------------------------------------------------
 * Long mixed text inside the safe area, in every look.
 */

static const struct frame {
    int w, h;
} frames[] = {{540, 960}, {1080, 1920}, {960, 540}};
#define N_FRAMES (int)(sizeof frames / sizeof *frames)

/* Loop index: preset * N_FRAMES + frame; each look as the job's style and
 * as cues' looks, also at the bottom and the top left. */
START_TEST(test_in_safe_area)
{
    const char *look = zimu_style_name(_i / N_FRAMES);
    const struct frame *fr = &frames[_i % N_FRAMES];
    static const char *const texts[] = {
        "每周三晚8点 上直播 Live!",
        "每周三晚8点上直播Live！关注我们，每天分享家庭理财小知识，2026年一起变富 OK?",
        "2026\n户家庭受益，每周三晚8点 上直播 Live! 关注不迷路",
        "100%\n满意度 Customer satisfaction guaranteed for every family",
        "https://example.com/live/2026/家庭理财",
        "一\n二\n三\n四\n五",
    };
    size_t nt = sizeof texts / sizeof *texts;
    rig g;
    rig_init(&g, fr->w, fr->h);
    zimu_cues cues = {0};
    char at_bottom[64], at_top[64];
    snprintf(at_bottom, sizeof at_bottom, "base=%s,align=bottom", look);
    snprintf(at_top, sizeof at_top, "%s,align=top-left", look);
    const char *set[] = {NULL, look, at_bottom, at_top};
    for (size_t k = 0; k < nt; k++)
        for (size_t j = 0; j < 4; j++) {
            int64_t t0 = (int64_t)j * 100000 + (int64_t)k * 4000;
            add(&cues, t0, t0 + 3000, texts[k], set[j]);
        }
    ASS_Track *t = make_track(&g, &cues, look);
    zimu_ctx c = {0};
    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, NULL, fr->w, fr->h, &sa), 0);
    box safe = {(int)floor(sa.left * fr->w), (int)floor(sa.top * fr->h),
                (int)ceil(fr->w - sa.right * fr->w), (int)ceil(fr->h - sa.bottom * fr->h)};
    int renders = 0;
    for (int e = 0; e < t->n_events; e++) {
        box ink;
        render_at(&g, t, t->events[e].Start + 1, NULL, &ink);
        renders++;
        ck_assert_msg(ink.x1 > ink.x0 && ink.x0 >= safe.x0 && ink.y0 >= safe.y0 &&
                          ink.x1 <= safe.x1 && ink.y1 <= safe.y1,
                      "%s %dx%d at %lld ms: ink (%d,%d)-(%d,%d) leaves the safe area "
                      "(%d,%d)-(%d,%d): %s", look, fr->w, fr->h, t->events[e].Start + 1,
                      ink.x0, ink.y0, ink.x1, ink.y1, safe.x0, safe.y0, safe.x1, safe.y1,
                      t->events[e].Text);
    }
    ck_assert_int_ge(renders, (int)(4 * nt));
    ass_free_track(t);
    zimu__cues_clear(&cues);
    rig_done(&g);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("looks");
    TCase *tc = tcase_create("looks");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_look_presets);
    tcase_add_test(tc, test_yellow);
    tcase_add_test(tc, test_redblock);
    tcase_add_test(tc, test_double);
    tcase_add_test(tc, test_glow);
    tcase_add_test(tc, test_offset);
    tcase_add_test(tc, test_bubble);
    tcase_add_test(tc, test_number);
    tcase_add_test(tc, test_number_animated);
    tcase_add_test(tc, test_bubble_animated);
    tcase_add_test(tc, test_per_cue_looks);
    tcase_add_test(tc, test_bad_look);
    tcase_add_loop_test(tc, test_in_safe_area, 0, zimu_style_count() * N_FRAMES);
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
