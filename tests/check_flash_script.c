/* check_flash_script.c - the flash script layer (lib/flash): parsing a
 * complete script (headers, sections, options, keywords, full-width marks,
 * Chinese keys), the card times of every timing mode (given times, reading
 * speed, beats, downbeats, a tempo grid), the cues and backgrounds made
 * from them, the messages of bad scripts, the bounds, and the example
 * script examples/flash.txt. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash.h"

/* ------------------------------------------------------------------------
 * Fixtures.
 */

static zimu_ctx ctx;
static char warnings[4096];

static void log_cb(void *opaque, int level, const char *msg)
{
    (void)opaque;
    if (level == ZIMU_LOG_WARNING && strlen(warnings) + strlen(msg) + 2 < sizeof warnings) {
        strcat(warnings, msg);
        strcat(warnings, "\n");
    }
}

static void setup(void)
{
    memset(&ctx, 0, sizeof ctx);
    ctx.log_cb = log_cb;
    ctx.log_level = ZIMU_LOG_DEBUG;
    warnings[0] = 0;
}

static zimu_flash_script *parse(const char *text)
{
    zimu_flash_script *s = NULL;
    int r = zimu__flash_parse(&ctx, "t.txt", "/d", text, strlen(text), &s);
    ck_assert_msg(r == 0, "parse failed (%d): %s", r, ctx.errmsg);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Parse, schedule (no music) and make the cues. */
static zimu_flash_script *run(const char *text, zimu_cues *q)
{
    zimu_flash_script *s = parse(text);
    int r = zimu__flash_schedule(&ctx, s, NULL, 0, NULL, 0, 0, 0);
    ck_assert_msg(r == 0, "schedule failed (%d): %s", r, ctx.errmsg);
    memset(q, 0, sizeof *q);
    ck_assert_int_eq(zimu__flash_cues(&ctx, s, q), 0);
    return s;
}

static void check_times(const zimu_cues *q, size_t n, const int64_t *t)
{
    ck_assert_uint_eq(q->n, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(q->v[i].start_ms == t[2 * i] && q->v[i].end_ms == t[2 * i + 1],
                      "card %zu: [%lld, %lld), want [%lld, %lld)", i,
                      (long long)q->v[i].start_ms, (long long)q->v[i].end_ms,
                      (long long)t[2 * i], (long long)t[2 * i + 1]);
    }
}

#define K_ON ZIMU__KEY_ON
#define K_OFF ZIMU__KEY_OFF

/* ------------------------------------------------------------------------
 * A complete script, and its twin typed with a Chinese input method.
 */

static const char full_ascii[] =
    "\xEF\xBB\xBF# 社区快闪\r\n"
    "size: 1080x1920\r\n"
    "fps: 30\r\n"
    "music: song.mp3\r\n"
    "look: flash\r\n"
    "timing: times\r\n"
    "bpm: 128\r\n"
    "first-beat: 0.5\r\n"
    "background: #E53935, #1E88E5-#43A047 45\r\n"
    "in: pop 0.3\r\n"
    "out: fade\r\n"
    "loop: none\r\n"
    "speed: 4\r\n"
    "\r\n"
    "== 第一部分 == | background: #000000, look: box, pos: top\r\n"
    "你好，社区！\r\n"
    "每周三晚 *上直播* | in: typewriter, color: #FFD600\r\n"
    "2026\\n年度总结 | look: karaoke, outline: #123\r\n"
    "== 第二部分 ==\r\n"
    "@0:05.5 欢迎 {大家} \\*收看\\* | dur: 1.5, bg: #FFFFFF-#000000 90\r\n"
    "@7 再见 | at: 7, loop: pulse 0.5, pos: bottom\r\n";

/* The same with full-width marks, digits and spaces in options and
 * headers, and Chinese keys and values. */
static const char full_wide[] =
    "＃ 社区快闪\n"
    "尺寸：１０８０×１９２０\n"
    "帧率：３０\n"
    "音乐: song.mp3\n"
    "花字：flash\n"
    "节奏：时间\n"
    "bpm：１２８\n"
    "首拍：０.５\n"
    "背景：＃E53935，＃1E88E5-＃43A047　45\n"
    "入场：pop　０.３\n"
    "出场：fade\n"
    "循环：none\n"
    "语速：４\n"
    "\n"
    "＝＝ 第一部分 ＝＝ ｜ 背景：＃000000，花字：box，位置：上\n"
    "你好，社区！\n"
    "每周三晚 ＊上直播＊ ｜ 入场：typewriter，颜色：＃FFD600\n"
    "2026\\n年度总结 ｜ 花字：karaoke；描边：＃123\n"
    "== 第二部分 ==\n"
    "＠０:０５.５ 欢迎 {大家} \\*收看\\* ｜ 时长：1.5，背景：＃FFFFFF-＃000000 90\n"
    "＠7　再见 ｜ 时间：７，循环：pulse 0.5、位置：下\n";

static void check_full(const char *text)
{
    zimu_cues q;
    zimu_flash_script *s = run(text, &q);
    const zimu_flash_info *in = zimu__flash_info(s);
    ck_assert_int_eq(in->width, 1080);
    ck_assert_int_eq(in->height, 1920);
    ck_assert(in->fps == 30);
    ck_assert_str_eq(in->music, "/d/song.mp3");
    ck_assert_str_eq(in->look, "flash");
    ck_assert_int_eq(in->timing, ZIMU__FLASH_TIMES);
    ck_assert_int_eq(in->beat_step, 1);
    ck_assert(in->bpm == 128);
    ck_assert(in->first_beat == 0.5);
    ck_assert_int_eq(in->n_cards, 5);
    ck_assert_int_eq(in->n_sections, 2);

    const char *texts[] = {
        "你好，社区！",
        "每周三晚 " K_ON "上直播" K_OFF,
        "2026\n年度总结",
        "欢迎 \xEF\xBD\x9B大家\xEF\xBD\x9D *收看*",
        "再见",
    };
    /* times: a card without dur lasts until the next card's "@", else
     * 1.5 s */
    const int64_t t[] = {0, 1500, 1500, 3000, 3000, 5500, 5500, 7000, 7000, 8500};
    check_times(&q, 5, t);
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(q.v[i].text, texts[i]);
    ck_assert_int_eq(zimu__flash_length_ms(s), 8500);

    /* animations: header defaults, section, card */
    for (int i = 0; i < 5; i++) {
        ck_assert_ptr_nonnull(q.v[i].fx);
        ck_assert_int_eq(q.v[i].fx->in, i == 1 ? ZIMU__FX_TYPEWRITER : ZIMU__FX_POP);
        ck_assert_int_eq(q.v[i].fx->in_ms, i == 1 ? 0 : 300);
        ck_assert_int_eq(q.v[i].fx->out, ZIMU__FX_FADE);
        ck_assert_int_eq(q.v[i].fx->out_ms, 0);
        ck_assert_int_eq(q.v[i].fx->loop, i == 4 ? ZIMU__FX_PULSE : ZIMU__FX_NONE);
        ck_assert_int_eq(q.v[i].fx->loop_ms, i == 4 ? 500 : 0);
        ck_assert_int_eq(q.v[i].fx->beat_ms, 0);
    }
    /* looks: the section's and the card's own; none for the second
     * section's plain cards */
    ck_assert_str_eq(q.v[0].look, "base=box");
    ck_assert_str_eq(q.v[1].look, "base=box,color=#FFD600");
    ck_assert_str_eq(q.v[2].look, "base=karaoke,outline_color=#112233");
    ck_assert_ptr_null(q.v[3].look);
    ck_assert_ptr_null(q.v[4].look);
    /* positions: the first section's cards at the top, the last at the
     * bottom, placed by the layout (no pos) */
    const int al[] = {8, 8, 8, 0, 2};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(q.v[i].align, al[i]);
        ck_assert(q.v[i].pos_x < 0 && q.v[i].pos_y < 0);
    }

    /* backgrounds: the first section black (one span), the card's own
     * gradient, then the header list (5th card: the first colour) */
    zimu_bgs b = {0};
    ck_assert_int_eq(zimu__flash_backgrounds(&ctx, s, &b), 0);
    ck_assert_uint_eq(b.n, 3);
    ck_assert_int_eq(b.v[0].start_ms, 0);
    ck_assert_int_eq(b.v[0].end_ms, 5500);
    ck_assert_int_eq(b.v[0].kind, ZIMU__BG_SOLID);
    ck_assert(b.v[0].c1[0] == 0 && b.v[0].c1[1] == 0 && b.v[0].c1[2] == 0);
    ck_assert_int_eq(b.v[1].start_ms, 5500);
    ck_assert_int_eq(b.v[1].end_ms, 7000);
    ck_assert_int_eq(b.v[1].kind, ZIMU__BG_GRADIENT);
    ck_assert(b.v[1].c1[0] == 255 && b.v[1].c2[0] == 0 && b.v[1].angle == 90);
    ck_assert_int_eq(b.v[2].start_ms, 7000);
    ck_assert_int_eq(b.v[2].end_ms, 8500);
    ck_assert(b.v[2].c1[0] == 0xE5 && b.v[2].c1[1] == 0x39 && b.v[2].c1[2] == 0x35);
    free(b.v);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
    ck_assert_ptr_null(s);
}

START_TEST(test_full_script)
{
    check_full(full_ascii);
}
END_TEST

START_TEST(test_full_width_twin)
{
    check_full(full_wide);
}
END_TEST

/* The twin gives the very same cues and backgrounds as its ASCII form. */
START_TEST(test_twin_equal)
{
    zimu_cues a, b;
    zimu_flash_script *sa = run(full_ascii, &a), *sb = run(full_wide, &b);
    ck_assert_uint_eq(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        ck_assert_str_eq(a.v[i].text, b.v[i].text);
        ck_assert_int_eq(a.v[i].start_ms, b.v[i].start_ms);
        ck_assert_int_eq(a.v[i].end_ms, b.v[i].end_ms);
        ck_assert_mem_eq(a.v[i].fx, b.v[i].fx, sizeof *a.v[i].fx);
        ck_assert_int_eq(a.v[i].align, b.v[i].align);
        ck_assert_int_eq(!a.v[i].look, !b.v[i].look);
        if (a.v[i].look)
            ck_assert_str_eq(a.v[i].look, b.v[i].look);
    }
    zimu_bgs ba = {0}, bb = {0};
    ck_assert_int_eq(zimu__flash_backgrounds(&ctx, sa, &ba), 0);
    ck_assert_int_eq(zimu__flash_backgrounds(&ctx, sb, &bb), 0);
    ck_assert_uint_eq(ba.n, bb.n);
    ck_assert_mem_eq(ba.v, bb.v, ba.n * sizeof *ba.v);
    free(ba.v);
    free(bb.v);
    zimu__cues_clear(&a);
    zimu__cues_clear(&b);
    zimu__flash_free(&sa);
    zimu__flash_free(&sb);
}
END_TEST

/* Marks and escapes in card text. */
START_TEST(test_card_text)
{
    zimu_cues q;
    zimu_flash_script *s = run("a \\| b \\\\ c \\# d\n"
                               "\\# 不是注释\n"
                               "\\size: 也是卡片\n"
                               "*一* 二 *三*\n"
                               "上 \\n 下 *跨\\n行*\n"
                               "@社区 大家好\n"
                               "时间：周三晚上\n"
                               "100% ＊真＊ 的 \\＊星\\＊\n", &q);
    const char *want[] = {
        "a | b \\ c # d",
        "# 不是注释",
        "size: 也是卡片",
        K_ON "一" K_OFF " 二 " K_ON "三" K_OFF,
        "上\n下 " K_ON "跨\n行" K_OFF,
        "@社区 大家好",
        "时间：周三晚上",
        "100% " K_ON "真" K_OFF " 的 ＊星＊",
    };
    ck_assert_uint_eq(q.n, 8);
    for (size_t i = 0; i < q.n; i++)
        ck_assert_str_eq(q.v[i].text, want[i]);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* Colours in the headers reach every card's look (the job's style knows
 * only the header look); music is taken as written without a folder. */
START_TEST(test_header_colours)
{
    zimu_flash_script *s = NULL;
    const char *fps = "fps: 30000/1001\n一\n";
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, fps, strlen(fps), &s), 0);
    ck_assert(zimu__flash_info(s)->fps > 29.97 && zimu__flash_info(s)->fps < 29.971);
    zimu__flash_free(&s);
    const char *text = "music: 歌 1.mp3\nlook: box\ncolor: 红色\noutline: #0000FF\n"
                       "一\n二 | look: news\n三 | color: #00FF00\n";
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, text, strlen(text), &s), 0);
    ck_assert_str_eq(zimu__flash_info(s)->music, "歌 1.mp3");
    ck_assert_int_eq(zimu__flash_schedule(&ctx, s, NULL, 0, NULL, 0, 0, 0), 0);
    zimu_cues q = {0};
    ck_assert_int_eq(zimu__flash_cues(&ctx, s, &q), 0);
    ck_assert_str_eq(q.v[0].look, "base=box,color=#E53935,outline_color=#0000FF");
    ck_assert_str_eq(q.v[1].look, "base=news,color=#E53935,outline_color=#0000FF");
    ck_assert_str_eq(q.v[2].look, "base=box,color=#00FF00,outline_color=#0000FF");
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
    /* a header after a section line is one after the first card */
    text = "== a ==\nfps: 30\n一\n";
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, text, strlen(text), &s), ZIMU_ESUBS);
    ck_assert_msg(!strncmp(ctx.errmsg, "t.txt:2: header 'fps' after the first card or section", 53),
                  "%s", ctx.errmsg);
}
END_TEST

/* ------------------------------------------------------------------------
 * Timing.
 */

/* Reading: each card after the last, max(1 s, units / speed). A CJK
 * character and a word of letters or digits are one unit each. */
START_TEST(test_reading)
{
    zimu_cues q;
    zimu_flash_script *s = run("timing: reading\nspeed: 4\n"
                               "你好\n"                       /* 2 -> 1 s */
                               "每周三晚上直播 hello world\n" /* 9 -> 2.25 s */
                               "2026年 *度总结*！\n"          /* 1 + 4 -> 1.25 s */
                               "短 | dur: 3\n"
                               "@20 跳到这里\n", &q);         /* 4 -> 1 s */
    const int64_t t[] = {0, 1000, 1000, 3250, 3250, 4500, 4500, 7500, 20000, 21000};
    check_times(&q, 5, t);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* Times: @ or at: sets the start, dur the length; a default length gives
 * way to the next card's time; the header dur is a default. */
START_TEST(test_times)
{
    zimu_cues q;
    zimu_flash_script *s = run("dur: 2\n"
                               "一\n"
                               "@1 二 | dur: 0.5\n"
                               "三\n"
                               "四 | at: 1:00\n"
                               "五 | dur: 250ms\n", &q);
    const int64_t t[] = {0, 1000, 1000, 1500, 1500, 3500, 60000, 62000, 62000, 62250};
    check_times(&q, 5, t);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
    /* hold is for the beat modes: a warning naming its line */
    s = run("一\n二 | hold: 2\n三 | hold: 3\n", &q);
    ck_assert_msg(!strncmp(warnings, "t.txt:2: 'hold' is ignored", 26)
                  && !strstr(warnings + 1, "t.txt:"), "once: %s", warnings);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* Beats, slightly uneven (so "exactly on the beats" shows), 16 of them. */
static double beats16[16];
static void make_beats(void)
{
    for (int k = 0; k < 16; k++)
        beats16[k] = 0.5 + 0.5 * k + (k == 7 ? 0.02 : 0) + (k == 3 ? -0.013 : 0);
}

static int64_t ms(double s)
{
    return (int64_t)(s * 1000.0 + 0.5);
}

static void schedule_beats(zimu_flash_script *s, const double *downs, size_t n_downs,
                           double bpm, zimu_cues *q)
{
    make_beats();
    int r = zimu__flash_schedule(&ctx, s, beats16, 16, downs, n_downs, bpm, 9000);
    ck_assert_msg(r == 0, "schedule: %s", ctx.errmsg);
    memset(q, 0, sizeof *q);
    ck_assert_int_eq(zimu__flash_cues(&ctx, s, q), 0);
}

/* timing: beats 2: every card on a beat, two beats each unless it holds
 * its own number; past the last beat on the tempo's grid. */
START_TEST(test_beats)
{
    zimu_flash_script *s = parse("timing: beats 2\n"
                                 "a\n"
                                 "b | hold: 1\n"
                                 "c\n"
                                 "d | hold: 4\n"
                                 "e\n"
                                 "f | hold: 0.5\n"
                                 "g | hold: 3.5\n"
                                 "h\n");
    zimu_cues q;
    schedule_beats(s, NULL, 0, 0, &q);
    /* beat index of each start: 0 2 3 5 9 11 11.5 15, end 17 */
    const double x[] = {0, 2, 3, 5, 9, 11, 11.5, 15, 17};
    ck_assert_uint_eq(q.n, 8);
    for (size_t i = 0; i < 8; i++) {
        double a = x[i], b = x[i + 1];
        /* past beat 15 (8.0 s): the median interval, 0.5 s */
        double ta = a == 11.5 ? (beats16[11] + beats16[12]) / 2 : beats16[(int)a];
        double tb = b <= 15 ? (b == 11.5 ? (beats16[11] + beats16[12]) / 2 : beats16[(int)b])
                            : beats16[15] + (b - 15) * 0.5;
        ck_assert_msg(q.v[i].start_ms == ms(ta) && q.v[i].end_ms == ms(tb),
                      "card %zu: [%lld, %lld) want [%lld, %lld)", i,
                      (long long)q.v[i].start_ms, (long long)q.v[i].end_ms,
                      (long long)ms(ta), (long long)ms(tb));
        ck_assert_int_gt(q.v[i].fx->beat_ms, 450);
        ck_assert_int_lt(q.v[i].fx->beat_ms, 550);
    }
    ck_assert_int_eq(zimu__flash_length_ms(s), ms(beats16[15] + 1.0));
    zimu__cues_clear(&q);

    /* the music's tempo (bpm argument) goes on past the last beat */
    schedule_beats(s, NULL, 0, 125, &q);
    ck_assert_int_eq(q.v[7].end_ms, ms(beats16[15] + 2 * 0.48));
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* first-beat picks the first card's beat; "@" snaps to the nearest beat;
 * timing: beats with no number holds one beat. */
START_TEST(test_beats_first_and_at)
{
    zimu_flash_script *s = parse("timing: beats\nfirst-beat: 2.03\na\nb\n@5.8 c\nd\n@7.2 e\n");
    zimu_cues q;
    schedule_beats(s, NULL, 0, 0, &q);
    /* beats16[3] = 1.987 is the first at or after 2.03 s (50 ms early
     * counts); 5.8 s is nearest beats16[11] = 6.0, 7.2 s beats16[13] */
    const int64_t t[] = {ms(beats16[3]), ms(beats16[4]), ms(beats16[4]), ms(beats16[5]),
                         ms(beats16[11]), ms(beats16[12]), ms(beats16[12]), ms(beats16[13]),
                         ms(beats16[13]), ms(beats16[14])};
    check_times(&q, 5, t);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);

    s = parse("timing: beats\na\n@1 b\n");
    make_beats();
    ck_assert_int_eq(zimu__flash_schedule(&ctx, s, beats16, 16, NULL, 0, 0, 0), 0);
    zimu__flash_free(&s);
    s = parse("timing: beats 4\na\n@1 b\n");
    ck_assert_int_eq(zimu__flash_schedule(&ctx, s, beats16, 16, NULL, 0, 0, 0), ZIMU_ESUBS);
    const char *want = "t.txt:3: the card's time 0:01.000 is before";
    ck_assert_msg(!strncmp(ctx.errmsg, want, strlen(want)), "%s", ctx.errmsg);
    zimu__flash_free(&s);
}
END_TEST

/* Downbeats: each card on a bar start, hold in bars; no downbeats in the
 * music: bars of four beats, with a warning. */
START_TEST(test_downbeats)
{
    const double downs[] = {0.5, 2.5, 4.52, 6.5};
    zimu_flash_script *s = parse("timing: downbeats\na\nb | hold: 2\nc\n");
    zimu_cues q;
    schedule_beats(s, downs, 4, 0, &q);
    const int64_t t[] = {500, 2500, 2500, 6500, 6500, 8500};
    check_times(&q, 3, t);
    ck_assert_str_eq(warnings, "");
    zimu__cues_clear(&q);

    schedule_beats(s, NULL, 0, 0, &q);
    const int64_t t4[] = {ms(beats16[0]), ms(beats16[4]), ms(beats16[4]), ms(beats16[12]),
                          ms(beats16[12]), ms(beats16[15] + 0.5)};
    check_times(&q, 3, t4);
    ck_assert_msg(strstr(warnings, "t.txt: the music shows no downbeats"), "%s", warnings);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);

    /* downbeats 2: two bars a card */
    s = parse("timing: downbeats 2\na\nb\n");
    schedule_beats(s, downs, 4, 0, &q);
    const int64_t t2[] = {500, 4520, 4520, 8500};
    check_times(&q, 2, t2);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* No music: the bpm header makes the grid, from first-beat (or 0). */
START_TEST(test_bpm_grid)
{
    zimu_cues q;
    zimu_flash_script *s = run("timing: beats\nbpm: 120\nfirst-beat: 1\na\nb | hold: 3\nc\n", &q);
    const int64_t t[] = {1000, 1500, 1500, 3000, 3000, 3500};
    check_times(&q, 3, t);
    ck_assert_int_eq(q.v[0].fx->beat_ms, 500);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
    s = run("timing: downbeats\nbpm: 150\na\nb\n", &q);
    const int64_t t2[] = {0, 1600, 1600, 3200};
    check_times(&q, 2, t2);
    ck_assert_int_eq(q.v[1].fx->beat_ms, 400);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
    /* with the music's beats, the bpm header is not used */
    s = parse("timing: beats\nbpm: 60\na\nb\n");
    schedule_beats(s, NULL, 0, 0, &q);
    ck_assert_int_eq(q.v[1].start_ms, ms(beats16[1]));
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* ------------------------------------------------------------------------
 * Backgrounds.
 */

START_TEST(test_backgrounds)
{
    zimu_cues q;
    /* a header list cycles card by card; a section's list cycles within
     * the section; a card's own wins; the same colour next to itself is
     * one span; no background: the default */
    zimu_flash_script *s = run("background: #111111, #222222\n"
                               "a\nb\nc\n"
                               "== | bg: #AAAAAA, #BBBBBB\n"
                               "d\ne\nf | bg: #FF0000\n"
                               "---\n"
                               "g\n", &q);
    zimu_bgs b = {0};
    ck_assert_int_eq(zimu__flash_backgrounds(&ctx, s, &b), 0);
    const unsigned want[] = {0x11, 0x22, 0x11, 0xAA, 0xBB, 0xFF, 0x11};
    ck_assert_uint_eq(b.n, 7);
    for (size_t i = 0; i < 7; i++) {
        ck_assert_uint_eq(b.v[i].c1[0], want[i]);
        ck_assert_int_eq(b.v[i].start_ms, i * 1500);
        ck_assert_int_eq(b.v[i].end_ms, (i + 1) * 1500);
    }
    free(b.v);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);

    /* default, and a gap in the times belongs to the card before it */
    s = run("a\n@5 b\n@9 c | bg: 红色\n", &q);
    memset(&b, 0, sizeof b);
    ck_assert_int_eq(zimu__flash_backgrounds(&ctx, s, &b), 0);
    ck_assert_uint_eq(b.n, 2);
    ck_assert_int_eq(b.v[0].start_ms, 0);
    ck_assert_int_eq(b.v[0].end_ms, 9000);
    ck_assert(b.v[0].c1[0] == 0x1E && b.v[0].c1[1] == 0x2A && b.v[0].c1[2] == 0x4A);
    ck_assert_int_eq(b.v[1].end_ms, 10500);
    ck_assert(b.v[1].c1[0] == 229 && b.v[1].c1[1] == 57);
    free(b.v);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* ------------------------------------------------------------------------
 * Errors.
 */

static const struct {
    const char *script;
    const char *msg; /* the message starts with this */
} bad[] = {
    {"size: 1080x1920\nfoo: 1\n你好\n", "t.txt:2: unknown key 'foo'"},
    {"tming: beats\n你好\n", "t.txt:1: unknown key 'tming' (did you mean 'timing'?)"},
    {"你好 | colr: red\n", "t.txt:1: unknown key 'colr' (did you mean 'color'?)"},
    {"你好\n好 | color: #GG0000\n", "t.txt:2: key 'color': '#GG0000' is not a colour"},
    {"@1:7x 你好\n", "t.txt:1: '@1:7x' is not a time"},
    {"你好 | in: popp\n", "t.txt:1: key 'in': unknown animation 'popp' (did you mean 'pop'?); "
                          "the animations: none, pop,"},
    {"你好 | in: pop 100\n", "t.txt:1: key 'in': '100' is not a duration"},
    {"\n\n你好 *上直播\n", "t.txt:3: a keyword mark '*' is not closed"},
    {"你好 ** 吗\n", "t.txt:1: an empty keyword '**'"},
    {"你好\nmusic: a.mp3\n", "t.txt:2: header 'music' after the first card"},
    {"# only a comment\n\n", "t.txt: no cards"},
    {"", "t.txt: no cards"},
    {"| in: pop\n", "t.txt:1: the card has no text (only options after '|')"},
    {"你好 | hold: 0\n", "t.txt:1: key 'hold': '0' is not a number of beats"},
    {"你好 | bg: #000, #fff\n", "t.txt:1: key 'background': a card takes one background"},
    {"== a == | at: 3\n你好\n", "t.txt:1: 'at' is for a card, not for a section"},
    {"你好 | look: nosuch\n", "t.txt:1: key 'look': 'nosuch' is not a look; the looks: classic"},
    {"你好 | pos: left\n", "t.txt:1: key 'pos': 'left' is not a position"},
    {"timing: beats 0\n你好\n", "t.txt:1: key 'timing': '0' is not a whole number of beats"},
    {"timing: fast\n你好\n", "t.txt:1: key 'timing': 'fast' is not a timing"},
    {"你好 | size: 100x100\n", "t.txt:1: 'size' is a header"},
    {"size: 10x10\n你好\n", "t.txt:1: key 'size': '10x10' is not a frame size"},
    {"fps: 0\n你好\n", "t.txt:1: key 'fps': '0' is not a frame rate"},
    {"bpm: 1000\n你好\n", "t.txt:1: key 'bpm': '1000' is not a tempo"},
    {"background: #000-#fff 400\n你好\n", "t.txt:1: key 'background': angle '400'"},
    {"background: #000 45\n你好\n", "t.txt:1: key 'background': an angle '45' needs a gradient"},
    {"你好 | in pop\n", "t.txt:1: expected 'key: value' options"},
    {"Note: 你好\n", "t.txt:1: unknown key 'Note'"},
    {"你好\n\xFF\n", "t.txt:2: the text is not UTF-8"},
    {"你好 | music: a.mp3\n", "t.txt:1: 'music' is a header"},
    {"你好 | dur: x\n", "t.txt:1: key 'dur': 'x' is not a duration"},
    {"@1 你好 | at: 2\n", "t.txt:1: the card has two start times"},
    {"in:\n你好\n", "t.txt:1: key 'in' has no value"},
};

START_TEST(test_errors)
{
    const char *text = bad[_i].script;
    zimu_flash_script *s = (zimu_flash_script *)1;
    int r = zimu__flash_parse(&ctx, "t.txt", NULL, text, strlen(text), &s);
    ck_assert_int_eq(r, ZIMU_ESUBS);
    ck_assert_ptr_null(s);
    ck_assert_msg(!strncmp(ctx.errmsg, bad[_i].msg, strlen(bad[_i].msg)),
                  "script %d: got '%s', want '%s...'", _i, ctx.errmsg, bad[_i].msg);
}
END_TEST

static const struct {
    const char *script;
    const char *msg;
} bad_times[] = {
    {"@5 a\n@3 b\n", "t.txt:2: the card starts at 0:03.000, not after the card of line 1"},
    {"@1 a\n@1 b\n", "t.txt:2: the card starts at 0:01.000, not after the card of line 1"},
    {"@1 a | dur: 3\n@2 b\n", "t.txt:2: the card starts at 0:02.000, while the card of line "
                              "1 lasts until 0:04.000"},
    {"timing: beats\n你好\n", "t.txt: timing: beats needs music with a beat or a 'bpm:' header"},
    {"timing: downbeats\n你好\n", "t.txt: timing: downbeats needs music with a beat"},
};

START_TEST(test_schedule_errors)
{
    zimu_flash_script *s = parse(bad_times[_i].script);
    int r = zimu__flash_schedule(&ctx, s, NULL, 0, NULL, 0, 0, 0);
    ck_assert_int_eq(r, ZIMU_ESUBS);
    ck_assert_msg(!strncmp(ctx.errmsg, bad_times[_i].msg, strlen(bad_times[_i].msg)),
                  "got '%s', want '%s...'", ctx.errmsg, bad_times[_i].msg);
    ck_assert_int_eq(zimu__flash_length_ms(s), 0);
    zimu__flash_free(&s);
}
END_TEST

/* At most 10000 cards, 4096 bytes a line, 1000 bytes of text a card. */
START_TEST(test_bounds)
{
    size_t n = 10001 * 4;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < 10001; i++)
        memcpy(big + 4 * i, "卡\n", 4);
    big[n] = 0;
    zimu_flash_script *s = NULL;
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, big, n - 4, &s), 0);
    ck_assert_int_eq(zimu__flash_info(s)->n_cards, 10000);
    zimu__flash_free(&s);
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, big, n, &s), ZIMU_ESUBS);
    ck_assert_str_eq(ctx.errmsg, "t.txt:10001: more than 10000 cards: split the script");
    free(big);

    char line[5000];
    memset(line, 'a', sizeof line);
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, line, 4097, &s), ZIMU_ESUBS);
    ck_assert_str_eq(ctx.errmsg, "t.txt:1: the line is longer than 4096 bytes");
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, line, 4096, &s), ZIMU_ESUBS);
    ck_assert_msg(strstr(ctx.errmsg, "t.txt:1: the card's text is longer than 1000 bytes"),
                  "%s", ctx.errmsg);
    ck_assert_int_eq(zimu__flash_parse(&ctx, "t.txt", NULL, line, 1000, &s), 0);
    zimu__flash_free(&s);
}
END_TEST

/* ------------------------------------------------------------------------
 * The example of docs/flash.md.
 */

START_TEST(test_example)
{
    FILE *f = fopen("examples/flash.txt", "rb");
    ck_assert_msg(f != NULL, "examples/flash.txt not found (run from the repository root)");
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    zimu_flash_script *s = NULL;
    int r = zimu__flash_parse(&ctx, "examples/flash.txt", "examples", buf, n, &s);
    ck_assert_msg(r == 0, "%s", ctx.errmsg);
    const zimu_flash_info *in = zimu__flash_info(s);
    ck_assert_int_ge(in->n_cards, 12);
    ck_assert_int_ge(in->n_sections, 2);
    ck_assert_int_eq(in->timing, ZIMU__FLASH_BEATS);
    /* on the music's beats, and without music on its bpm header */
    make_beats();
    ck_assert_int_eq(zimu__flash_schedule(&ctx, s, beats16, 16, NULL, 0, 120, 8000), 0);
    ck_assert_int_eq(zimu__flash_schedule(&ctx, s, NULL, 0, NULL, 0, 0, 0), 0);
    /* docs/flash.md: 38 beats at 120 BPM from 0.5 s */
    ck_assert_int_eq(zimu__flash_length_ms(s), 19500);
    zimu_cues q = {0};
    ck_assert_int_eq(zimu__flash_cues(&ctx, s, &q), 0);
    ck_assert_uint_eq(q.n, (size_t)in->n_cards);
    int keywords = 0;
    for (size_t i = 0; i < q.n; i++) {
        keywords += strstr(q.v[i].text, K_ON) != NULL;
        ck_assert_int_lt(q.v[i].start_ms, q.v[i].end_ms);
        if (i)
            ck_assert_int_ge(q.v[i].start_ms, q.v[i - 1].end_ms);
    }
    ck_assert_int_ge(keywords, 3);
    /* the full-width section: top, a pulsing keyword held four beats */
    for (size_t i = 0; i < q.n; i++) {
        if (!strcmp(q.v[i].text, "打开抖音"))
            ck_assert_int_eq(q.v[i].align, 8);
        if (strstr(q.v[i].text, "预约直播")) {
            ck_assert_str_eq(q.v[i].text, "点击 " K_ON "预约直播" K_OFF);
            ck_assert_int_eq(q.v[i].fx->loop, ZIMU__FX_PULSE);
            ck_assert_int_eq(q.v[i].end_ms - q.v[i].start_ms, 2000);
        }
    }
    zimu_bgs b = {0};
    ck_assert_int_eq(zimu__flash_backgrounds(&ctx, s, &b), 0);
    ck_assert_int_ge(b.n, 2);
    ck_assert_int_eq(b.v[0].start_ms, 0);
    ck_assert_int_eq(b.v[b.n - 1].end_ms, zimu__flash_length_ms(s));
    for (size_t i = 1; i < b.n; i++)
        ck_assert_int_eq(b.v[i].start_ms, b.v[i - 1].end_ms);
    free(b.v);
    zimu__cues_clear(&q);
    zimu__flash_free(&s);
}
END_TEST

/* ------------------------------------------------------------------------
 * Damaged scripts: the example and the full script with bytes changed,
 * dropped and repeated (a fixed pseudo-random sequence) parse or fail with
 * a "t.txt..." message; what parses is timed in every mode into cues that
 * follow one another and backgrounds that cover the video. */
static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

static void check_damaged(const char *src, size_t n)
{
    static const char pool[] = "*|:,@#=\\n-\n 0123456789.x#";
    static const char *wide[] = {"＊", "｜", "：", "，", "＠", "＃", "＝", "　", "１"};
    char *buf = malloc(2 * n + 64);
    memcpy(buf, src, n);
    size_t len = n;
    int edits = 1 + (int)(next_rand() % 6);
    for (int e = 0; e < edits && len > 4; e++) {
        size_t at = next_rand() % len;
        switch (next_rand() % 5) {
        case 0: buf[at] = pool[next_rand() % (sizeof pool - 1)]; break;
        case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;
        case 2: {
            const char *w = wide[next_rand() % 9];
            size_t wl = strlen(w);
            memmove(buf + at + wl, buf + at, len - at);
            memcpy(buf + at, w, wl);
            len += wl;
            break;
        }
        case 3: buf[at] = (char)(next_rand() & 0xFF); break;
        default: { /* repeat a run */
            size_t k = 1 + next_rand() % 8;
            if (at + k > len)
                k = len - at;
            memmove(buf + at + k, buf + at, len - at);
            len += k;
        }
        }
    }
    zimu_flash_script *s = NULL;
    int r = zimu__flash_parse(&ctx, "t.txt", NULL, buf, len, &s);
    if (r < 0) {
        ck_assert_int_eq(r, ZIMU_ESUBS);
        ck_assert_msg(!strncmp(ctx.errmsg, "t.txt", 5), "%s", ctx.errmsg);
        ck_assert_ptr_null(s);
    } else {
        make_beats();
        for (int m = 0; m < 3; m++) {
            const double downs[] = {0.5, 2.5, 4.5};
            r = zimu__flash_schedule(&ctx, s, m ? beats16 : NULL, m ? 16 : 0,
                                     m == 2 ? downs : NULL, m == 2 ? 3 : 0, 0, 0);
            if (r < 0) {
                ck_assert_int_eq(r, ZIMU_ESUBS);
                ck_assert_msg(!strncmp(ctx.errmsg, "t.txt", 5), "%s", ctx.errmsg);
                continue;
            }
            zimu_cues q = {0};
            zimu_bgs b = {0};
            ck_assert_int_eq(zimu__flash_cues(&ctx, s, &q), 0);
            ck_assert_int_eq(zimu__flash_backgrounds(&ctx, s, &b), 0);
            for (size_t i = 0; i < q.n; i++) {
                ck_assert_int_lt(q.v[i].start_ms, q.v[i].end_ms);
                if (i)
                    ck_assert_int_ge(q.v[i].start_ms, q.v[i - 1].end_ms);
            }
            ck_assert_int_eq(b.v[0].start_ms, 0);
            ck_assert_int_eq(b.v[b.n - 1].end_ms, zimu__flash_length_ms(s));
            free(b.v);
            zimu__cues_clear(&q);
        }
        zimu__flash_free(&s);
    }
    free(buf);
}

START_TEST(test_damaged)
{
    FILE *f = fopen("examples/flash.txt", "rb");
    ck_assert_ptr_nonnull(f);
    static char ex[65536];
    size_t n = fread(ex, 1, sizeof ex, f);
    fclose(f);
    for (int i = 0; i < 1500; i++) {
        check_damaged(ex, n);
        check_damaged(full_wide, strlen(full_wide));
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("flash_script");
    TCase *tc = tcase_create("parse");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_full_script);
    tcase_add_test(tc, test_full_width_twin);
    tcase_add_test(tc, test_twin_equal);
    tcase_add_test(tc, test_card_text);
    tcase_add_test(tc, test_header_colours);
    tcase_add_loop_test(tc, test_errors, 0, (int)(sizeof bad / sizeof *bad));
    tcase_add_test(tc, test_bounds);
    tcase_add_test(tc, test_example);
    tcase_add_test(tc, test_damaged);
    suite_add_tcase(s, tc);

    tc = tcase_create("timing");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_reading);
    tcase_add_test(tc, test_times);
    tcase_add_test(tc, test_beats);
    tcase_add_test(tc, test_beats_first_and_at);
    tcase_add_test(tc, test_downbeats);
    tcase_add_test(tc, test_bpm_grid);
    tcase_add_loop_test(tc, test_schedule_errors, 0, (int)(sizeof bad_times / sizeof *bad_times));
    tcase_add_test(tc, test_backgrounds);
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
