/* check_style.c - caption styles and layout (style.c, assgen.c):
 * style files and overrides, their error messages; the safe-area table;
 * and, rendered by libass through the one writer as a viewer would see
 * them: every preset inside its safe area on vertical and landscape
 * frames, boxes and bars, word highlight at the right millisecond, the
 * title, the cover, stacking, max lines, and karaoke tags of a kept ASS
 * script. */
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
#include "render.h"
#include "style.h"
#include "util_paint.h"
#include "subs.h"
#include "util_ass.h"
#include "util_sentences.h"

/* ------------------------------------------------------------------------
 * Style files.
 */

static zimu_style classic(void)
{
    zimu_style st;
    ck_assert_int_eq(zimu__style_preset("classic", &st), 0);
    return st;
}

START_TEST(test_presets_api)
{
    static const char *const want[] = {"classic", "box", "news", "flash", "karaoke"};
    int n = zimu_style_count();
    ck_assert_int_ge(n, 5);
    for (size_t k = 0; k < 5; k++) {
        int found = 0;
        for (int i = 0; i < n; i++)
            if (!strcmp(zimu_style_name(i), want[k])) {
                found = 1;
                ck_assert_ptr_nonnull(zimu_style_description(i));
                ck_assert_int_gt(strlen(zimu_style_description(i)), 10);
            }
        ck_assert_msg(found, "preset %s missing", want[k]);
    }
    ck_assert_ptr_null(zimu_style_name(-1));
    ck_assert_ptr_null(zimu_style_name(n));
    ck_assert_ptr_null(zimu_style_description(n));
    for (int i = 0; i < n; i++) {
        zimu_style st;
        ck_assert_int_eq(zimu__style_preset(zimu_style_name(i), &st), 0);
        ck_assert_str_eq(st.caption.font, "Noto Sans CJK SC");
        ck_assert(st.caption.size.v > 0.02 && !st.caption.size.px);
    }
    zimu_style st;
    ck_assert_int_eq(zimu__style_preset("nosuch", &st), ZIMU_ESTYLE);
    ck_assert_int_eq(zimu__style_preset("box", &st), 0);
    ck_assert_int_eq(st.caption.box, ZIMU__BOX_ROUNDED);
    ck_assert_int_lt(st.caption.box_color.a, 255); /* translucent */
    ck_assert_int_eq(zimu__style_preset("news", &st), 0);
    ck_assert_int_eq(st.caption.box, ZIMU__BOX_BAR);
    ck_assert_int_eq(st.caption.align, 1);
    ck_assert_int_eq(zimu__style_preset("flash", &st), 0);
    ck_assert_int_eq(st.caption.align, 5);
    ck_assert(st.caption.color.r == 0xFF && st.caption.color.b < 0x40); /* yellow */
    ck_assert(st.caption.shadow.v > 0);
    ck_assert_int_eq(zimu__style_preset("karaoke", &st), 0);
    ck_assert_int_eq(st.caption.highlight, 1);
    ck_assert_int_eq(st.caption.highlight_mode, ZIMU__HL_FILL);
    st = classic();
    ck_assert_int_eq(st.caption.align, 2);
    ck_assert_int_eq(st.title.align, 8);
    ck_assert_int_eq(st.cover.align, 5);
    ck_assert(st.caption.color.r == 255 && st.caption.color.g == 255 && st.caption.color.b == 255);
    ck_assert(st.caption.outline.v > 0 && st.caption.outline_color.r < 0x20);
}
END_TEST

START_TEST(test_file_good)
{
    static const char file[] =
        "\xEF\xBB\xBF# my style\r\n"
        "base = box\r\n"
        "\r\n"
        "; another comment\r\n"
        "font = \"Noto Serif CJK SC\"\r\n"
        "size = 64px   # pixels\r\n"
        "color = #FFD700\r\n"
        "outline_color = #10203040\r\n"
        "outline = 0.004\n"
        "  bold = no\n"
        "italic=yes\n"
        "align = top-right\n"
        "box_color = none\n"
        "margin_v = 0.02\n"
        "margin_h = 30px\n"
        "highlight = on\n"
        "highlight_mode = fill\n"
        "highlight_scale = 110%\n"
        "title.size = 0.06\n"
        "title.align = 7\n"
        "cover.color = #00FF00\n"
        "spacing = 2px";
    zimu_ctx c = {0};
    zimu_style st = classic();
    int r = zimu__style_parse(&c, "my.style", file, sizeof file - 1, &st);
    ck_assert_msg(r == 0, "%d %s", r, c.errmsg);
    ck_assert_str_eq(st.caption.font, "Noto Serif CJK SC");
    ck_assert(st.caption.size.px && st.caption.size.v == 64);
    ck_assert(st.caption.color.r == 0xFF && st.caption.color.g == 0xD7 &&
              st.caption.color.b == 0 && st.caption.color.a == 255);
    ck_assert(st.caption.outline_color.r == 0x10 && st.caption.outline_color.a == 0x40);
    ck_assert(!st.caption.outline.px && fabs(st.caption.outline.v - 0.004) < 1e-12);
    ck_assert_int_eq(st.caption.bold, 0);
    ck_assert_int_eq(st.caption.italic, 1);
    ck_assert_int_eq(st.caption.align, 9);
    ck_assert_int_eq(st.caption.box, ZIMU__BOX_ROUNDED); /* from base = box */
    ck_assert_int_eq(st.caption.box_color.a, 0);
    ck_assert(fabs(st.caption.margin_v.v - 0.02) < 1e-12);
    ck_assert(st.caption.margin_h.px && st.caption.margin_h.v == 30);
    ck_assert_int_eq(st.caption.highlight, 1);
    ck_assert_int_eq(st.caption.highlight_mode, ZIMU__HL_FILL);
    ck_assert_int_eq(st.caption.highlight_scale, 110);
    ck_assert(fabs(st.title.size.v - 0.06) < 1e-12);
    ck_assert_int_eq(st.title.align, 7);
    ck_assert(st.cover.color.g == 0xFF && st.cover.color.r == 0);
    ck_assert(st.caption.spacing.px && st.caption.spacing.v == 2);
    /* the title kept what it did not set */
    ck_assert_int_eq(st.title.box, ZIMU__BOX_ROUNDED);
}
END_TEST

static const struct bad {
    const char *text, *msg;
} bad[] = {
    {"colr = #FFFFFF\n", "st.txt:1: key 'colr': unknown key"},
    {"size = 0.05\ncolor = #12345\n", "st.txt:2: key 'color': '#12345' is not a colour"},
    {"color = #GG0000", "st.txt:1: key 'color': '#GG0000' is not a colour"},
    {"size = 0.5x\n", "st.txt:1: key 'size': '0.5x' is not a fraction"},
    {"size = 2\n", "st.txt:1: key 'size': 2 of the frame is more than 0.3; for pixels write '2px'"},
    {"size = 0\n", "st.txt:1: key 'size': must be more than 0"},
    {"size = 2000px\n", "st.txt:1: key 'size': 2000px is more than 1000px"},
    {"size = 0.001\n", "st.txt:1: key 'size': 0.001 is too small"},
    {"size = -0.05\n", "st.txt:1: key 'size': '-0.05' is not a fraction"},
    {"# ok\n\nno equals here\n", "st.txt:3: 'no equals here' is not a 'key = value' line"},
    {"= 5\n", "st.txt:1: a line '= 5' has no key"},
    {"font =\n", "st.txt:1: key 'font': no value"},
    {"font = A,B\n", "st.txt:1: key 'font': a font name may not contain"},
    {"align = diagonal\n", "st.txt:1: key 'align': 'diagonal' is not bottom"},
    {"box = circle\n", "st.txt:1: key 'box': 'circle' is not one of none, rect, rounded, bar"},
    {"bold = maybe\n", "st.txt:1: key 'bold': 'maybe' is not yes or no"},
    {"size = 0.05\nbase = box\n", "st.txt:2: key 'base': must be the first key"},
    {"base = fancy\n", "st.txt:1: key 'base': 'fancy' is not a preset"},
    {"title.foo = 1\n", "st.txt:1: key 'title.foo': unknown key"},
    {"logo.size = 1\n", "st.txt:1: key 'logo.size': unknown key"},
    {"highlight_scale = 300\n", "st.txt:1: key 'highlight_scale': '300' is not a percentage"},
    {"highlight_mode = bounce\n", "st.txt:1: key 'highlight_mode': 'bounce' is not word or fill"},
    {"outline = 0.2\n", "st.txt:1: key 'outline': 0.2 of the frame is more than 0.05"},
    {"\r\n# c\r\n\r\nmargin_v = far\r\n", "st.txt:4: key 'margin_v': 'far' is not a fraction"},
    {"\r\r\rshadow = 1.5.2\n", "st.txt:4: key 'shadow': '1.5.2' is not a fraction"},
    {"font = \xC3\x28\n", "st.txt:1: key 'font': the font name is not valid UTF-8"},
    {"size = 0.05\nsize = 0.06\0\n", "st.txt:2: NUL byte"},
};

START_TEST(test_file_bad)
{
    const struct bad *b = &bad[_i];
    size_t len = strlen(b->text);
    if (strstr(b->msg, "NUL"))
        len += 2; /* the NUL and the newline after it */
    zimu_ctx c = {0};
    zimu_style st = classic();
    int r = zimu__style_parse(&c, "st.txt", b->text, len, &st);
    ck_assert_msg(r == ZIMU_ESTYLE, "'%s': returned %d", b->text, r);
    ck_assert_msg(strstr(c.errmsg, b->msg) != NULL, "'%s':\n  got  '%s'\n  want '%s'", b->text,
                  c.errmsg, b->msg);
}
END_TEST

START_TEST(test_overrides)
{
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    zimu_ctx c = {0};
    zimu_style st;
    /* defaults: classic */
    ck_assert_int_eq(zimu__style_resolve(&c, NULL, NULL, &st), 0);
    ck_assert(fabs(st.caption.size.v - 0.045) < 1e-12);
    /* a preset, --font, then overrides in order */
    cap.style = strdup("flash");
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "size", "60px"), 0);
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "color", "#FFD700"), 0);
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "title.size", "0.06"), 0);
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "size", "70px"), 0);
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "font", "Noto Serif CJK SC"), 0);
    int r = zimu__style_resolve(&c, &cap, "Noto Sans CJK SC", &st);
    ck_assert_msg(r == 0, "%s", c.errmsg);
    ck_assert(st.caption.size.px && st.caption.size.v == 70);
    ck_assert(st.caption.color.g == 0xD7);
    ck_assert(fabs(st.title.size.v - 0.06) < 1e-12);
    ck_assert_int_eq(st.caption.align, 5); /* still flash */
    ck_assert_str_eq(st.caption.font, "Noto Serif CJK SC"); /* override after --font */
    ck_assert_str_eq(st.title.font, "Noto Sans CJK SC");    /* --font */
    /* a bad override names the key */
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "outline", "-1"), 0);
    r = zimu__style_resolve(&c, &cap, NULL, &st);
    ck_assert_int_eq(r, ZIMU_ESTYLE);
    ck_assert_msg(strstr(c.errmsg, "style option: key 'outline': '-1' is not a fraction"),
                  "%s", c.errmsg);
    zimu__capopts_clear(&cap);
    /* a bad --font */
    r = zimu__style_resolve(&c, NULL, "A{B", &st);
    ck_assert_int_eq(r, ZIMU_ESTYLE);
    ck_assert_msg(strstr(c.errmsg, "font 'A{B'"), "%s", c.errmsg);

    /* a style file, and a missing one */
    char dir[] = "/tmp/check_style_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/lecture.style", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("base = news\nsize = 0.05\n\nbox_color = #AA0000\nalign = sideways\n", f);
    fclose(f);
    zimu__capopts_init(&cap);
    cap.style = strdup(path);
    r = zimu__style_resolve(&c, &cap, NULL, &st);
    ck_assert_int_eq(r, ZIMU_ESTYLE);
    char want[512];
    snprintf(want, sizeof want, "%s:5: key 'align': 'sideways'", path);
    ck_assert_msg(strstr(c.errmsg, want), "%s", c.errmsg);
    f = fopen(path, "w");
    fputs("base = news\nsize = 0.05\nbox_color = #AA0000\n", f);
    fclose(f);
    r = zimu__style_resolve(&c, &cap, NULL, &st);
    ck_assert_msg(r == 0, "%s", c.errmsg);
    ck_assert_int_eq(st.caption.box, ZIMU__BOX_BAR);
    ck_assert(st.caption.box_color.r == 0xAA && st.caption.box_color.a == 255);
    unlink(path);
    rmdir(dir);
    free(cap.style);
    cap.style = strdup("no-such.style");
    r = zimu__style_resolve(&c, &cap, NULL, &st);
    ck_assert_int_eq(r, ZIMU_ESTYLE);
    ck_assert_msg(strstr(c.errmsg, "style 'no-such.style' is neither a preset"), "%s",
                  c.errmsg);
    zimu__capopts_clear(&cap);
}
END_TEST

START_TEST(test_safe_area_table)
{
    zimu_ctx c = {0};
    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, NULL, 1080, 1920, &sa), 0);
    ck_assert_str_eq(sa.name, "douyin");
    ck_assert_int_eq(zimu__safe_area(&c, NULL, 1920, 1080, &sa), 0);
    ck_assert_str_eq(sa.name, "none");
    ck_assert_int_eq(zimu__safe_area(&c, NULL, 1080, 1080, &sa), 0);
    ck_assert_str_eq(sa.name, "none");
    ck_assert_int_eq(zimu__safe_area(&c, "tiktok", 1920, 1080, &sa), 0);
    ck_assert_str_eq(sa.name, "tiktok");
    ck_assert_int_eq(zimu__safe_area(&c, "youtube", 1080, 1920, &sa), ZIMU_ESTYLE);
    ck_assert_msg(strstr(c.errmsg, "'youtube' is not one of douyin, kuaishou, tiktok, reels, "
                                    "channels, xiaohongshu, none"),
                  "%s", c.errmsg);
    /* WeChat Channels by either name, Xiaohongshu: no right column, the
     * buttons in a row at the bottom (our estimates for 1080x1920) */
    ck_assert_int_eq(zimu__safe_area(&c, "wechat", 1080, 1920, &sa), 0);
    ck_assert_str_eq(sa.name, "channels");
    ck_assert_int_eq(zimu__safe_area(&c, "channels", 1080, 1920, &sa), 0);
    ck_assert_str_eq(sa.name, "channels");
    ck_assert_msg(sa.top * 1920 >= 220 && sa.bottom * 1920 >= 500 && sa.bottom * 1920 <= 560 &&
                  sa.right * 1080 >= 60 && sa.right * 1080 <= 70, "channels");
    ck_assert_int_eq(zimu__safe_area(&c, "xiaohongshu", 1080, 1920, &sa), 0);
    ck_assert_str_eq(sa.name, "xiaohongshu");
    ck_assert_msg(sa.top * 1920 >= 220 && sa.bottom * 1920 >= 480 && sa.bottom * 1920 <= 520 &&
                  sa.right * 1080 >= 60 && sa.right * 1080 <= 70, "xiaohongshu");
    /* the apps: within the commonly cited figures for 1080x1920 */
    size_t n;
    const zimu_safe_area *t = zimu__safe_areas(&n);
    ck_assert_uint_eq(n, 7);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(t[i].name, "none")) {
            ck_assert(t[i].top > 0 && t[i].top <= 0.05 && t[i].bottom <= 0.05);
            continue;
        }
        if (!strcmp(t[i].name, "channels") || !strcmp(t[i].name, "xiaohongshu"))
            continue;
        double top = t[i].top * 1920, bottom = t[i].bottom * 1920, right = t[i].right * 1080;
        ck_assert_msg(top >= 220 && top <= 255, "%s top %.0f px", t[i].name, top);
        ck_assert_msg(bottom >= 420 && bottom <= 500, "%s bottom %.0f px", t[i].name, bottom);
        ck_assert_msg(right >= 160 && right <= 180, "%s right %.0f px", t[i].name, right);
        ck_assert(t[i].left > 0 && t[i].left < t[i].right);
    }
}
END_TEST

/* ------------------------------------------------------------------------
 * Rendering through the writer.
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
    float *rgb; /* canvas, w*h*3, 0..255 */
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

/* A track from the writer for cues with these settings. */
static ASS_Track *make_track(rig *g, const zimu_cues *cues, const zimu_capopts *cap, int mode)
{
    zimu_ctx c = {0};
    zimu_layout lay = {.width = g->w, .height = g->h, .fonts_conf = g->conf, .cap = cap,
                       .mode = mode};
    ASS_Track *t = NULL;
    int r = zimu__assgen_track(&c, g->lib, cues, &lay, &t);
    ck_assert_msg(r == 0, "assgen: %d %s", r, c.errmsg);
    return t;
}

typedef tu_box box;

/* Render at ms onto a flat background; *ink: every pixel anything visible
 * was drawn on. bg NULL: the ink only, no picture. */
static void render_at(rig *g, ASS_Track *t, long long ms, const uint8_t bg[3], box *ink)
{
    size_t n = (size_t)g->w * g->h;
    for (size_t i = 0; bg && i < n; i++)
        for (int k = 0; k < 3; k++)
            g->rgb[i * 3 + k] = bg[k];
    int changed;
    tu_ass_paint(ass_render_frame(g->r, t, ms, &changed), bg ? g->rgb : NULL, g->w, g->h, ink);
}

/* Pixels of the canvas within tol of rgb: their count and box. */
static long color_box(const rig *g, const uint8_t rgb[3], int tol, box *b)
{
    long n = 0;
    *b = (box){0, 0, 0, 0};
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++) {
            const float *p = &g->rgb[((size_t)y * g->w + x) * 3];
            if (fabsf(p[0] - rgb[0]) <= tol && fabsf(p[1] - rgb[1]) <= tol &&
                fabsf(p[2] - rgb[2]) <= tol) {
                tu_box_grow(b, x, y);
                n++;
            }
        }
    return n;
}

static box safe_rect(const char *name, int w, int h)
{
    zimu_ctx c = {0};
    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, name, w, h, &sa), 0);
    return (box){(int)floor(sa.left * w), (int)floor(sa.top * h), (int)ceil(w - sa.right * w),
                 (int)ceil(h - sa.bottom * h)};
}

static int inside(box in, box out)
{
    return in.x1 > in.x0 && in.x0 >= out.x0 && in.y0 >= out.y0 && in.x1 <= out.x1 &&
           in.y1 <= out.y1;
}

#define MAX_SENT 64
static char *sent[MAX_SENT];
static int n_sent;

/* Words of a cue: every two characters (bytes of UTF-8 sequences), timed
 * in turn over [start, end). */
static void add_words_every2(zimu_cue *cue)
{
    const char *s = cue->text;
    size_t n = strlen(s), off = 0, k = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    size_t words = (count + 1) / 2;
    int64_t d = (cue->end_ms - cue->start_ms) / (int64_t)(words ? words : 1);
    while (off < n) {
        size_t e = off, chars = 0;
        while (e < n && chars < 2) {
            e++;
            while (e < n && ((unsigned char)s[e] & 0xC0) == 0x80)
                e++;
            chars++;
        }
        ck_assert_int_eq(zimu__cue_add_word(cue, cue->start_ms + (int64_t)k * d,
                                            cue->start_ms + (int64_t)(k + 1) * d, off, e - off),
                         0);
        off = e;
        k++;
    }
}

static const struct frame {
    int w, h;
} frames[] = {{1080, 1920}, {1920, 1080}, {720, 1280}};
#define N_FRAMES (int)(sizeof frames / sizeof *frames)

/* Under the sanitizers (ZIMU_TEST_SANITIZER, tests/sanitizer/asan.sh) the
 * presets go through the frame sizes in turn, one size each, instead of
 * every preset at every size: the same code at a third of the cost (the
 * plain run checks every pair). */
static int one_size_each;

/* Every page of every sentence, in every state, with the title, stays in
 * the safe area. Loop index: preset * N_FRAMES + frame (one_size_each:
 * the preset, at frame size index % N_FRAMES). */
START_TEST(test_presets_in_safe_area)
{
    const char *preset = zimu_style_name(one_size_each ? _i : _i / N_FRAMES);
    const struct frame *fr = &frames[_i % N_FRAMES];
    n_sent = tu_load_sentences(sent, MAX_SENT, 40);
    rig g;
    rig_init(&g, fr->w, fr->h);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup(preset);
    cap.title = strdup("社区讲堂｜家庭理财第3讲：存款、保险与防骗");
    cap.highlight = 1;
    zimu_cues cues = {0};
    for (int s = 0; s < n_sent; s++) {
        zimu_cue *cue = zimu__cues_add(&cues, s * 10000, s * 10000 + 8000, sent[s],
                                       strlen(sent[s]));
        ck_assert_ptr_nonnull(cue);
        if (s % 2)
            add_words_every2(cue);
    }
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    box safe = safe_rect(NULL, fr->w, fr->h);
    const uint8_t *bg = NULL; /* ink only: faster */
    int renders = 0, pages = 0;
    for (int e = 0; e < t->n_events; e++) {
        const ASS_Event *ev = &t->events[e];
        if (ev->Layer < 2 || ev->Start < 0)
            continue; /* boxes show with their text; the title with all */
        box ink;
        render_at(&g, t, ev->Start, bg, &ink);
        renders++;
        pages += !strstr(ev->Text, "\\1c");
        ck_assert_msg(inside(ink, safe),
                      "%s %dx%d at %lld ms: ink (%d,%d)-(%d,%d) leaves the safe area "
                      "(%d,%d)-(%d,%d): %s", preset, fr->w, fr->h, ev->Start, ink.x0, ink.y0,
                      ink.x1, ink.y1, safe.x0, safe.y0, safe.x1, safe.y1, ev->Text);
        /* and the last ms of the event too (another state may follow) */
        render_at(&g, t, ev->Start + ev->Duration - 1, bg, &ink);
        ck_assert_msg(inside(ink, safe), "%s %dx%d at %lld ms: ink leaves the safe area",
                      preset, fr->w, fr->h, ev->Start + ev->Duration - 1);
    }
    ck_assert_int_ge(renders, n_sent);
    ck_assert_int_ge(pages, n_sent / 2);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    tu_free_sentences(sent, n_sent);
    n_sent = 0;
    rig_done(&g);
}
END_TEST

/* The check above can fail: without a safe area, captions on a vertical
 * frame sit where Douyin's description and buttons are. */
START_TEST(test_safe_area_matters)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.safe_area = strdup("none");
    zimu_cues cues = {0};
    const char *text = "各位居民朋友们大家好，今天我们来讲一讲家庭理财中最容易踩的三个坑。";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 5000, text, strlen(text)));
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    static const uint8_t bg[3] = {0, 0, 0};
    box ink;
    render_at(&g, t, 100, bg, &ink);
    ck_assert(ink.x1 > ink.x0);
    ck_assert(!inside(ink, safe_rect("douyin", 1080, 1920)));
    ck_assert(inside(ink, safe_rect("none", 1080, 1920)));
    ck_assert_int_gt(ink.y1, 1920 - 0.25 * 1920);
    ass_free_track(t);
    /* with douyin it moves up and stays in */
    free(cap.safe_area);
    cap.safe_area = strdup("douyin");
    t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    render_at(&g, t, 100, bg, &ink);
    ck_assert(inside(ink, safe_rect("douyin", 1080, 1920)));
    ass_free_track(t);
    /* WeChat Channels and Xiaohongshu: inside, above their taller bottom
     * zones */
    box douyin_ink = ink;
    const char *apps[] = {"channels", "wechat", "xiaohongshu"};
    for (int i = 0; i < 3; i++) {
        free(cap.safe_area);
        cap.safe_area = strdup(apps[i]);
        t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
        render_at(&g, t, 100, bg, &ink);
        box safe = safe_rect(apps[i], 1080, 1920);
        ck_assert_msg(inside(ink, safe), "%s: ink (%d,%d)-(%d,%d)", apps[i], ink.x0, ink.y0,
                      ink.x1, ink.y1);
        ck_assert_msg(ink.y1 < douyin_ink.y1, "%s: ink (%d,%d)-(%d,%d)", apps[i], ink.x0, ink.y0, ink.x1, ink.y1);
        ass_free_track(t);
    }
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* The box preset: a translucent box with rounded corners around the text. */
START_TEST(test_box_rounded)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup("box");
    zimu_cues cues = {0};
    const char *text = "大家好";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 5000, text, strlen(text)));
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    static const uint8_t white[3] = {255, 255, 255};
    box ink;
    render_at(&g, t, 100, white, &ink);
    /* box colour #000000A6 over white: 255 * (1 - 0xA6/255) = 89 */
    static const uint8_t boxed[3] = {89, 89, 89};
    box b;
    long n = color_box(&g, boxed, 3, &b);
    ck_assert_int_gt(n, 1000);
    ck_assert_msg(b.x0 >= ink.x0 - 1 && b.x1 <= ink.x1 + 1 && b.y0 >= ink.y0 - 1 &&
                      b.y1 <= ink.y1 + 1, "box (%d,%d)-(%d,%d) ink (%d,%d)-(%d,%d)", b.x0,
                  b.y0, b.x1, b.y1, ink.x0, ink.y0, ink.x1, ink.y1);
    /* rounded: the corner pixels are background, the middle of each edge
     * is box */
#define PX(x, y) (g.rgb[((size_t)(y) * g.w + (x)) * 3])
    ck_assert_float_gt(PX(b.x0, b.y0), 250);
    ck_assert_float_gt(PX(b.x1 - 1, b.y1 - 1), 250);
    ck_assert_float_lt(fabsf(PX((b.x0 + b.x1) / 2, b.y0 + 1) - 89), 4);
    ck_assert_float_lt(fabsf(PX(b.x0 + 1, (b.y0 + b.y1) / 2) - 89), 4);
    /* white text inside the box, with padding */
    static const uint8_t txt[3] = {255, 255, 255};
    box tb = {0}, all;
    (void)all;
    for (int y = b.y0; y < b.y1; y++)
        for (int x = b.x0; x < b.x1; x++) {
            const float *p = &g.rgb[((size_t)y * g.w + x) * 3];
            if (p[0] > 250 && p[1] > 250 && p[2] > 250 && x > b.x0 + 20 && x < b.x1 - 20 &&
                y > b.y0 + 10 && y < b.y1 - 10)
                tu_box_grow(&tb, x, y);
        }
    (void)txt;
    ck_assert_msg(tb.x1 - tb.x0 > 150, "text inside the box: %d px wide", tb.x1 - tb.x0);
    /* centred on the frame */
    ck_assert_int_lt(abs((b.x0 + b.x1) / 2 - 540), 3);
#undef PX
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* The news preset: a bar across the safe area with a red edge. */
START_TEST(test_news_bar)
{
    const struct frame *fr = &frames[_i];
    rig g;
    rig_init(&g, fr->w, fr->h);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup("news");
    zimu_cues cues = {0};
    const char *text = "本周六上午九点，社区活动中心举办免费义诊。";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 5000, text, strlen(text)));
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    static const uint8_t white[3] = {255, 255, 255};
    box ink;
    render_at(&g, t, 100, white, &ink);
    box safe = safe_rect(NULL, fr->w, fr->h);
    /* bar #0B3A82 at 0xE6 over white */
    double a = 0xE6 / 255.0;
    uint8_t bar[3] = {(uint8_t)lround(0x0B * a + 255 * (1 - a)),
                      (uint8_t)lround(0x3A * a + 255 * (1 - a)),
                      (uint8_t)lround(0x82 * a + 255 * (1 - a))};
    box b;
    ck_assert_int_gt(color_box(&g, bar, 3, &b), 10000);
    /* (a pixel or two inside: libass's antialiasing reaches past a drawing) */
    ck_assert_msg(abs(b.x1 - safe.x1) <= 3, "bar ends at %d, safe area at %d", b.x1, safe.x1);
    ck_assert(inside(ink, safe));
    ck_assert_int_ge(b.y1, safe.y1 - 2); /* at the bottom of the safe area */
    /* the accent, #E60012, on the bar's left edge */
    static const uint8_t red[3] = {0xE6, 0x00, 0x12};
    box rb;
    ck_assert_int_gt(color_box(&g, red, 3, &rb), 100);
    ck_assert_int_le(abs(rb.x0 - safe.x0), 2);
    ck_assert_int_lt(rb.x1, safe.x0 + 20);
    ck_assert_int_le(abs(ink.x0 - safe.x0), 2);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* A cue with words at odd milliseconds. */
static zimu_cues highlight_cues(void)
{
    zimu_cues cues = {0};
    /* 各位 | 居民 | 朋友们 | 大家好 */
    const char *text = "各位居民朋友们大家好";
    zimu_cue *cue = zimu__cues_add(&cues, 1000, 4000, text, strlen(text));
    ck_assert_ptr_nonnull(cue);
    ck_assert_int_eq(zimu__cue_add_word(cue, 1003, 1517, 0, 6), 0);
    ck_assert_int_eq(zimu__cue_add_word(cue, 1517, 2231, 6, 6), 0);
    ck_assert_int_eq(zimu__cue_add_word(cue, 2231, 2600, 12, 9), 0);
    ck_assert_int_eq(zimu__cue_add_word(cue, 3100, 3900, 21, 9), 0);
    return cues;
}

START_TEST(test_highlight_word)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.highlight = 1;
    zimu_cues cues = highlight_cues();
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    /* the states start at the words' exact times */
    int seen[4] = {0};
    const long long starts[4] = {1003, 1517, 2231, 3100};
    for (int e = 0; e < t->n_events; e++)
        for (int k = 0; k < 4; k++)
            seen[k] += t->events[e].Start == starts[k];
    for (int k = 0; k < 4; k++)
        ck_assert_msg(seen[k] == 1, "no event starts at %lld ms", starts[k]);

    static const uint8_t bg[3] = {40, 40, 40};
    static const uint8_t yellow[3] = {0xFF, 0xE0, 0x00};
    box ink, y[8];
    long n;
    render_at(&g, t, 1002, bg, &ink); /* before the first word */
    ck_assert(ink.x1 > ink.x0);
    ck_assert_int_eq(color_box(&g, yellow, 8, &y[0]), 0);
    render_at(&g, t, 1003, bg, &ink);
    ck_assert_int_gt(color_box(&g, yellow, 8, &y[1]), 200);
    render_at(&g, t, 1516, bg, &ink);
    ck_assert_int_gt(color_box(&g, yellow, 8, &y[2]), 200);
    ck_assert_int_eq(y[2].x0, y[1].x0);
    render_at(&g, t, 1517, bg, &ink);
    ck_assert_int_gt(color_box(&g, yellow, 8, &y[3]), 200);
    ck_assert_msg(y[3].x0 >= y[2].x1 - 4, "word 2 (%d-%d) is not right of word 1 (%d-%d)",
                  y[3].x0, y[3].x1, y[2].x0, y[2].x1);
    /* one word only, never two: its width is about two characters */
    double fs = 0.045 * 1920, han = 0.69 * fs;
    ck_assert_msg(y[3].x1 - y[3].x0 < 2.6 * han, "highlight %d px wide", y[3].x1 - y[3].x0);
    render_at(&g, t, 2400, bg, &ink);
    ck_assert_int_gt(color_box(&g, yellow, 8, &y[4]), 200);
    ck_assert(y[4].x1 - y[4].x0 > 2.6 * han); /* three characters */
    /* the pause 2600..3100 (longer than a breath): no word */
    render_at(&g, t, 2800, bg, &ink);
    n = color_box(&g, yellow, 8, &y[5]);
    ck_assert_int_eq(n, 0);
    render_at(&g, t, 3500, bg, &ink);
    ck_assert_int_gt(color_box(&g, yellow, 8, &y[6]), 200);
    ck_assert(y[6].x0 >= y[4].x1 - 4);
    /* the cue still ends at 4000 */
    render_at(&g, t, 3999, bg, &ink);
    ck_assert(ink.x1 > ink.x0);
    render_at(&g, t, 4000, bg, &ink);
    ck_assert(ink.x1 <= ink.x0);
    ass_free_track(t);
    /* highlight off: no yellow at all, one event */
    cap.highlight = 0;
    t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    ck_assert_int_eq(t->n_events, 1);
    render_at(&g, t, 1600, bg, &ink);
    ck_assert_int_eq(color_box(&g, yellow, 8, &y[7]), 0);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* karaoke: the words so far turn cyan; the current one is bigger. */
START_TEST(test_highlight_karaoke)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup("karaoke"); /* highlights without --highlight */
    zimu_cues cues = highlight_cues();
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    static const uint8_t bg[3] = {40, 40, 40};
    static const uint8_t cyan[3] = {0x3F, 0xD8, 0xFF};
    box ink, c1, c2, c3, c4;
    render_at(&g, t, 1200, bg, &ink);
    ck_assert_int_gt(color_box(&g, cyan, 8, &c1), 200);
    render_at(&g, t, 2400, bg, &ink); /* word 3 being spoken, popped */
    ck_assert_int_gt(color_box(&g, cyan, 8, &c2), 200);
    ck_assert_int_eq(c2.x0 > c1.x0 - 20 && c2.x0 < c1.x0 + 20, 1); /* filled from the start */
    ck_assert_int_gt(c2.x1 - c2.x0, 2 * (c1.x1 - c1.x0));
    render_at(&g, t, 2800, bg, &ink); /* the pause after word 3: filled, not popped */
    ck_assert_int_gt(color_box(&g, cyan, 8, &c3), 200);
    ck_assert_msg(c2.y1 - c2.y0 >= c3.y1 - c3.y0 + 5,
                  "popped word not taller: %d vs %d px", c2.y1 - c2.y0, c3.y1 - c3.y0);
    render_at(&g, t, 3950, bg, &ink); /* all spoken */
    ck_assert_int_gt(color_box(&g, cyan, 8, &c4), 200);
    ck_assert_int_gt(c4.x1, c3.x1 + 100);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* The title: always shown, at the top of the safe area; captions at the
 * top are placed below it. */
START_TEST(test_title)
{
    const struct frame *fr = &frames[_i];
    rig g;
    rig_init(&g, fr->w, fr->h);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.title = strdup("社区讲堂｜家庭理财");
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "color", "#FFE000"), 0);
    zimu_cues cues = {0};
    const char *text = "这是一条放在上方的字幕";
    zimu_cue *cue = zimu__cues_add(&cues, 5000, 6000, text, strlen(text));
    cue->align = 8;
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    box safe = safe_rect(NULL, fr->w, fr->h);
    static const uint8_t bg[3] = {0, 0, 0};
    static const uint8_t white[3] = {255, 255, 255}, yellow[3] = {0xFF, 0xE0, 0x00};
    box ink, title, cap_box;
    const long long times[] = {0, 1000, 3600000};
    for (size_t k = 0; k < 3; k++) {
        render_at(&g, t, times[k], bg, &ink);
        ck_assert_msg(inside(ink, safe), "title outside the safe area at %lld ms", times[k]);
        ck_assert_int_lt(ink.y0, safe.y0 + 0.3 * 0.05 * (fr->w > fr->h ? fr->w : fr->h));
        ck_assert_int_lt(ink.y1, fr->h / 3);
        ck_assert_int_lt(abs((ink.x0 + ink.x1) / 2 - fr->w / 2), 40);
        ck_assert_int_gt(color_box(&g, white, 4, &title), 500);
    }
    render_at(&g, t, 5500, bg, &ink);
    ck_assert(inside(ink, safe));
    ck_assert_int_gt(color_box(&g, white, 4, &title), 500);
    ck_assert_int_gt(color_box(&g, yellow, 8, &cap_box), 500);
    ck_assert_msg(cap_box.y0 > title.y1, "caption (%d-%d) overlaps the title (%d-%d)",
                  cap_box.y0, cap_box.y1, title.y0, title.y1);
    ass_free_track(t);
    /* title only (beside an ASS script): no captions */
    t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_TITLE);
    render_at(&g, t, 5500, bg, &ink);
    ck_assert_int_eq(color_box(&g, yellow, 8, &cap_box), 0);
    ck_assert_int_gt(color_box(&g, white, 4, &title), 500);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* The cover: the title big in the middle, no captions. */
START_TEST(test_cover_layout)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.title = strdup("家庭理财三个坑");
    zimu_cues cues = {0};
    const char *text = "字幕";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 100000, text, strlen(text)));
    ASS_Track *cover = make_track(&g, &cues, &cap, ZIMU__LAYOUT_COVER);
    ASS_Track *normal = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    static const uint8_t bg[3] = {0, 0, 0};
    box ink, nink;
    render_at(&g, cover, 500, bg, &ink);
    /* centred in the part of the middle 3:4 (y 240..1680) above Douyin's
     * bottom zone (from y 1440) */
    int cy = (ink.y0 + ink.y1) / 2;
    ck_assert_msg(abs(cy - 840) < 40, "cover title centred at y %d", cy);
    ck_assert_int_lt(abs((ink.x0 + ink.x1) / 2 - 540), 30);
    /* inside the middle 3:4 (1080x1440) and the safe area */
    ck_assert(inside(ink, (box){0, 240, 1080, 1680}));
    ck_assert(inside(ink, safe_rect(NULL, 1080, 1920)));
    /* big: the title's glyphs are taller than the captions' */
    render_at(&g, normal, 500, bg, &nink);
    ck_assert_int_gt(ink.y1 - ink.y0, 0.07 * 1920);
    /* nothing drawn where the caption is */
    ck_assert_int_lt(ink.y1, 1400);
    ck_assert_int_gt(nink.y1, 1400);
    ass_free_track(cover);
    ass_free_track(normal);
    /* no title: an empty cover */
    free(cap.title);
    cap.title = NULL;
    cover = make_track(&g, &cues, &cap, ZIMU__LAYOUT_COVER);
    ck_assert_int_eq(cover->n_events, 0);
    ass_free_track(cover);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* max_lines: pages of at most that many lines. */
START_TEST(test_max_lines)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    zimu_cues cues = {0};
    const char *text = "各位居民朋友们大家好，今天我们来讲一讲家庭理财中最容易踩的三个坑，"
                       "第一是不要轻信保本高收益的宣传，第二是不要把钱借给不熟悉的人。";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 12000, text, strlen(text)));
    for (int ml = 1; ml <= 4; ml++) {
        cap.max_lines = ml;
        ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
        int most = 0, pages = 0;
        long long prev_end = 0;
        for (int e = 0; e < t->n_events; e++) {
            int lines = 1;
            for (const char *p = t->events[e].Text; (p = strstr(p, "\\N")); p += 2)
                lines++;
            if (lines > most)
                most = lines;
            ck_assert_int_eq(t->events[e].Start, prev_end); /* pages follow each other */
            prev_end = t->events[e].Start + t->events[e].Duration;
            pages++;
        }
        ck_assert_int_eq(prev_end, 12000);
        ck_assert_int_le(most, ml);
        if (ml == 1)
            ck_assert_int_ge(pages, 4);
        if (ml == 4)
            ck_assert_int_le(pages, 2);
        /* rendered: the ink is no taller than ml lines */
        static const uint8_t bg[3] = {0, 0, 0};
        box ink;
        render_at(&g, t, 10, bg, &ink);
        ck_assert_int_le(ink.y1 - ink.y0, ml * 0.045 * 1920 + 30);
        ck_assert(inside(ink, safe_rect(NULL, 1080, 1920)));
        ass_free_track(t);
    }
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* Letter spacing widens lines; they are wrapped so that they still fit
 * (into more pages). */
START_TEST(test_spacing)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    zimu_cues cues = {0};
    const char *text = "国家统计局今天发布数据，10月份全国居民消费价格指数同比上涨。";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 4000, text, strlen(text)));
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    int plain_events = t->n_events;
    ass_free_track(t);
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "spacing", "40px"), 0);
    t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    ck_assert_int_gt(t->n_events, plain_events);
    box safe = safe_rect(NULL, 1080, 1920);
    for (int e = 0; e < t->n_events; e++) {
        box ink;
        render_at(&g, t, t->events[e].Start, NULL, &ink);
        ck_assert_msg(inside(ink, safe), "spaced ink (%d,%d)-(%d,%d): %s", ink.x0, ink.y0,
                      ink.x1, ink.y1, t->events[e].Text);
        ck_assert_int_gt(ink.x1 - ink.x0, 400);
    }
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* Two captions at once: stacked, and their boxes do not overlap. */
START_TEST(test_stacking)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup("box");
    zimu_cues cues = {0};
    const char *a = "第一条字幕", *b = "同时出现的第二条字幕";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 4000, a, strlen(a)));
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 1000, 3000, b, strlen(b)));
    ASS_Track *t = make_track(&g, &cues, &cap, ZIMU__LAYOUT_CAPTIONS);
    static const uint8_t white[3] = {255, 255, 255};
    static const uint8_t boxed[3] = {89, 89, 89};
    box ink1, ink2, b1, b2;
    render_at(&g, t, 500, white, &ink1);
    color_box(&g, boxed, 3, &b1);
    render_at(&g, t, 2000, white, &ink2);
    color_box(&g, boxed, 3, &b2);
    /* both in the safe area; twice as tall; no doubly dark overlap */
    ck_assert(inside(ink2, safe_rect(NULL, 1080, 1920)));
    ck_assert_int_gt(b2.y1 - b2.y0, 2 * (b1.y1 - b1.y0));
    long dark = 0;
    for (size_t i = 0; i < (size_t)g.w * g.h; i++)
        dark += g.rgb[i * 3] < 70;
    ck_assert_msg(dark == 0, "%ld pixels where two boxes overlap", dark);
    /* the first stays where it was */
    ck_assert_int_eq(b2.y1, b1.y1);
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* The lecture layout: a landscape picture in a vertical frame leaves room
 * below it; one-line captions start just under the picture. */
START_TEST(test_below_picture)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.max_lines = 1;
    zimu_cues cues = {0};
    const char *text = "今天我们来讲家庭理财";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 0, 4000, text, strlen(text)));
    zimu_ctx c = {0};
    zimu_layout lay = {.width = 1080, .height = 1920, .fonts_conf = g.conf, .cap = &cap,
                       .pic_x = 0, .pic_y = 656, .pic_w = 1080, .pic_h = 608};
    ASS_Track *t = NULL;
    ck_assert_int_eq(zimu__assgen_track(&c, g.lib, &cues, &lay, &t), 0);
    static const uint8_t bg[3] = {0, 0, 0};
    box ink;
    render_at(&g, t, 100, bg, &ink);
    ck_assert_msg(ink.y0 >= 1264 && ink.y0 < 1264 + 60, "caption starts at y %d", ink.y0);
    ck_assert(inside(ink, safe_rect(NULL, 1080, 1920)));
    ass_free_track(t);
    /* two lines do not fit there: at the bottom of the safe area */
    cap.max_lines = 2;
    ck_assert_int_eq(zimu__assgen_track(&c, g.lib, &cues, &lay, &t), 0);
    render_at(&g, t, 100, bg, &ink);
    ck_assert_int_gt(ink.y1, 1440 - 20);
    ck_assert(inside(ink, safe_rect(NULL, 1080, 1920)));
    ass_free_track(t);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

/* ------------------------------------------------------------------------
 * Through render.c: karaoke tags of a kept ASS script, and a title beside
 * it.
 */

static const char karaoke_ass[] =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 1080\nPlayResY: 1920\n\n"
    "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
    "Style: Default,Noto Sans CJK SC,120,&H000000FF,&H00FF0000,&H00000000,&H00000000,0,0,0,0,"
    "100,100,0,0,1,0,0,5,10,10,10,1\n\n"
    "[Events]\n" TU_ASS_EVENT_FORMAT
    "Dialogue: 0,0:00:00.00,0:00:05.00,Default,,0,0,0,,{\\k100}卡拉{\\k100}字幕\n";

START_TEST(test_ass_karaoke_script)
{
    zimu_ctx c = {0};
    zimu_cues cues = {0};
    ck_assert_int_eq(zimu__subs_parse(&c, "k.ass", karaoke_ass, strlen(karaoke_ass), NULL,
                                      &cues), 0);
    ck_assert_ptr_nonnull(cues.ass_header);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.highlight = 1;
    if (_i)
        cap.title = strdup("标题");
    zimu_fonts *fonts = zimu_fonts_new();
    ck_assert_int_eq(zimu_fonts_load(fonts), 0);
    zimu_render_opts o = {.width = 1080, .height = 1920, .cap = &cap, .fonts = fonts};
    zimu_render *r = NULL;
    int rc = zimu__render_new(&c, &r, &cues, &o);
    ck_assert_msg(rc == 0, "%d %s", rc, c.errmsg);
    rig g;
    rig_init(&g, 1080, 1920); /* only its canvas */
    static const uint8_t red[3] = {255, 0, 0}, blue[3] = {0, 0, 255};
    box rb, bb, tb;
    for (int pass = 0; pass < 2; pass++) {
        int changed;
        ASS_Image *im = zimu__render_frame(r, pass ? 1500 : 500, &changed);
        for (size_t i = 0; i < (size_t)g.w * g.h * 3; i++)
            g.rgb[i] = 0;
        for (; im; im = im->next) {
            double a = (255 - (im->color & 0xFF)) / 255.0;
            for (int y = 0; y < im->h; y++)
                for (int x = 0; x < im->w; x++) {
                    double al = a * im->bitmap[y * im->stride + x] / 255.0;
                    float *p = &g.rgb[((size_t)(im->dst_y + y) * g.w + im->dst_x + x) * 3];
                    p[0] = (float)(p[0] * (1 - al) + (im->color >> 24) * al);
                    p[1] = (float)(p[1] * (1 - al) + ((im->color >> 16) & 0xFF) * al);
                    p[2] = (float)(p[2] * (1 - al) + ((im->color >> 8) & 0xFF) * al);
                }
        }
        long nr = color_box(&g, red, 8, &rb), nb = color_box(&g, blue, 8, &bb);
        if (!pass) { /* first syllable sung (primary), second not yet (secondary) */
            ck_assert_int_gt(nr, 500);
            ck_assert_int_gt(nb, 500);
            ck_assert_int_lt(rb.x1, bb.x0 + 5);
        } else {
            ck_assert_int_gt(nr, 1000);
            ck_assert_int_eq(nb, 0);
        }
        static const uint8_t white[3] = {255, 255, 255};
        long nt = color_box(&g, white, 4, &tb);
        if (_i) { /* the title, white, at the top of the frame */
            ck_assert_int_gt(nt, 300);
            ck_assert(inside(tb, safe_rect(NULL, 1080, 1920)));
            ck_assert_int_lt(tb.y1, 600);
        } else {
            ck_assert_int_eq(nt, 0);
        }
    }
    zimu__render_free(&r);
    zimu_fonts_free(&fonts);
    rig_done(&g);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
}
END_TEST

/* Bad settings reach the caller as ZIMU_ESTYLE with a message. */
START_TEST(test_assgen_errors)
{
    rig g;
    rig_init(&g, 1080, 1920);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    zimu_cues cues = {0};
    zimu_ctx c = {0};
    zimu_layout lay = {.width = 1080, .height = 1920, .fonts_conf = g.conf, .cap = &cap};
    ASS_Track *t = NULL;
    cap.safe_area = strdup("myspace");
    ck_assert_int_eq(zimu__assgen_track(&c, g.lib, &cues, &lay, &t), ZIMU_ESTYLE);
    ck_assert_ptr_null(t);
    ck_assert(strstr(c.errmsg, "safe area 'myspace'"));
    free(cap.safe_area);
    cap.safe_area = NULL;
    ck_assert_int_eq(zimu__capopts_add_style_opt(&cap, "box", "oval"), 0);
    ck_assert_int_eq(zimu__assgen_track(&c, g.lib, &cues, &lay, &t), ZIMU_ESTYLE);
    ck_assert(strstr(c.errmsg, "key 'box': 'oval'"));
    zimu__capopts_clear(&cap);
    rig_done(&g);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("style");
    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_presets_api);
    tcase_add_test(tc, test_file_good);
    tcase_add_loop_test(tc, test_file_bad, 0, sizeof bad / sizeof *bad);
    tcase_add_test(tc, test_overrides);
    tcase_add_test(tc, test_safe_area_table);
    suite_add_tcase(s, tc);

    tc = tcase_create("render");
    tcase_set_timeout(tc, 300);
    one_size_each = getenv("ZIMU_TEST_SANITIZER") != NULL;
    tcase_add_loop_test(tc, test_presets_in_safe_area, 0,
                        zimu_style_count() * (one_size_each ? 1 : N_FRAMES));
    tcase_add_test(tc, test_safe_area_matters);
    tcase_add_test(tc, test_box_rounded);
    tcase_add_loop_test(tc, test_news_bar, 0, 2);
    tcase_add_test(tc, test_highlight_word);
    tcase_add_test(tc, test_highlight_karaoke);
    tcase_add_loop_test(tc, test_title, 0, N_FRAMES);
    tcase_add_test(tc, test_cover_layout);
    tcase_add_test(tc, test_max_lines);
    tcase_add_test(tc, test_spacing);
    tcase_add_test(tc, test_stacking);
    tcase_add_test(tc, test_below_picture);
    tcase_add_loop_test(tc, test_ass_karaoke_script, 0, 2);
    tcase_add_test(tc, test_assgen_errors);
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
