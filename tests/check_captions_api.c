/* check_captions_api.c - captions through the public API only (zimu.h):
 * SRT, ASS and LRC with word times loaded from memory and every field of
 * every cue read back; cues added, changed and removed, with their order
 * and indexes; retiming (scale, shift, overlap merge and drop, minimum
 * duration, the cut at 0, the order of these steps) and clamping; an ASS
 * script edited and saved, read back with its header as it was and its
 * times in 10 ms steps; saving refused over an existing file without
 * overwrite and over the loaded file itself (by name, by a symlink, by a
 * hard link); and ZIMU_EINVAL for a NULL handle and an index out of
 * range. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_clip.h"
#include "zimu.h"

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

/* ---- helpers ---- */

static zimu_subs *load(const char *data, const char *name)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    int r = zimu_subs_load_data(s, data, strlen(data), name);
    ck_assert_msg(r == 0, "%s: %d %s", name, r, zimu_subs_errmsg(s));
    return s;
}

static char *slurp(const char *path)
{
    uint8_t *d;
    size_t n;
    ck_assert_msg(tu_read_file(path, &d, &n) == 0, "%s", tu_err());
    char *s = realloc(d, n + 1);
    ck_assert_ptr_nonnull(s);
    s[n] = 0;
    return s;
}

/* Cue i is [start, end) with this text. */
static void cue_is(const zimu_subs *s, int i, int64_t start, int64_t end, const char *text)
{
    int64_t a = -7, b = -7;
    const char *t = NULL;
    ck_assert_msg(zimu_subs_cue(s, i, &a, &b, &t) == 0, "cue %d: %s", i, zimu_subs_errmsg(s));
    ck_assert_msg(a == start && b == end && t && !strcmp(t, text),
                  "cue %d: %lld-%lld '%s', want %lld-%lld '%s'", i, (long long)a,
                  (long long)b, t ? t : "(null)", (long long)start, (long long)end, text);
}

/* Word k of cue i: times and the text it covers. */
static void word_is(const zimu_subs *s, int i, int k, int64_t start, int64_t end,
                    const char *text)
{
    int64_t a, b;
    size_t off, len;
    const char *t;
    ck_assert_int_eq(zimu_subs_cue(s, i, NULL, NULL, &t), 0);
    ck_assert_msg(zimu_subs_word(s, i, k, &a, &b, &off, &len) == 0, "%s",
                  zimu_subs_errmsg(s));
    ck_assert_msg(a == start && b == end, "cue %d word %d: %lld-%lld, want %lld-%lld", i, k,
                  (long long)a, (long long)b, (long long)start, (long long)end);
    ck_assert_msg(off + len <= strlen(t) && len == strlen(text) && !memcmp(t + off, text, len),
                  "cue %d word %d: '%.*s', want '%s'", i, k, (int)len, t + off, text);
}

/* ---- loading and reading ---- */

static const char SRT[] =
    "1\n00:00:05,000 --> 00:00:06,000\n{\\an8}上面\n\n"
    "2\n00:00:01,000 --> 00:00:02,500\n<i>two</i>\nlines\n\n"
    "3\n00:00:01,000 --> 00:00:03,000\nsame start {brace}\n";

START_TEST(test_srt_fields)
{
    zimu_subs *s = load(SRT, "a.srt");
    ck_assert_int_eq(zimu_subs_count(s), 3);
    ck_assert_int_eq(zimu_subs_is_ass(s), 0);
    /* sorted by start; equal starts in file order */
    cue_is(s, 0, 1000, 2500, "{\\i1}two{\\i0}\nlines");
    cue_is(s, 1, 1000, 3000, "same start ｛brace｝");
    cue_is(s, 2, 5000, 6000, "上面");
    const char *style = "x";
    int align = -1;
    double x = 0, y = 0;
    ck_assert_int_eq(zimu_subs_cue_style(s, 0, &style, &align, &x, &y), 0);
    ck_assert_ptr_null(style);
    ck_assert_int_eq(align, 0);
    ck_assert(x == -1 && y == -1);
    ck_assert_int_eq(zimu_subs_cue_style(s, 2, &style, &align, &x, &y), 0);
    ck_assert_int_eq(align, 8);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(zimu_subs_word_count(s, i), 0);
    ck_assert_int_eq(zimu_subs_word(s, 0, 0, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    /* any pointer may be NULL */
    ck_assert_int_eq(zimu_subs_cue(s, 1, NULL, NULL, NULL), 0);
    ck_assert_int_eq(zimu_subs_cue_style(s, 1, NULL, NULL, NULL, NULL), 0);
    zimu_subs_free(&s);
    ck_assert_ptr_null(s);
}
END_TEST

static const char VTT[] =
    "WEBVTT\n\n00:01.000 --> 00:02.000 line:10% position:30% align:start\n中文\n";

START_TEST(test_vtt_place)
{
    zimu_subs *s = load(VTT, "a.vtt");
    int align;
    double x, y;
    ck_assert_int_eq(zimu_subs_cue_style(s, 0, NULL, &align, &x, &y), 0);
    ck_assert_int_eq(align, 7);
    ck_assert(fabs(x - 0.3) < 1e-9 && fabs(y - 0.1) < 1e-9);
    zimu_subs_free(&s);
}
END_TEST

#define ASS_HEADER                                                                   \
    "[Script Info]\n; a comment\nScriptType: v4.00+\nPlayResX: 1080\nPlayResY: 1920\n" \
    "\n[V4+ Styles]\n"                                                               \
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "             \
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, " \
    "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "     \
    "MarginV, Encoding\n"                                                            \
    "Style: Default,Noto Sans CJK SC,80,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,"  \
    "0,0,0,0,100,100,0,0,1,3,0,2,10,10,10,1\n"                                       \
    "Style: Top,Noto Sans CJK SC,60,&H0000FFFF,&H000000FF,&H00000000,&H00000000,"    \
    "0,0,0,0,100,100,0,0,1,3,0,8,10,10,10,1\n\n"                                     \
    "[Events]\n"                                                                     \
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"

static const char ASS[] =
    ASS_HEADER
    "Dialogue: 0,0:00:04.00,0:00:06.00,Top,Ann,0,0,50,,{\\b1}标题{\\b0}\\N第二行\n"
    "Comment: 0,0:00:00.00,0:00:09.00,Default,,0,0,0,,a note\n"
    "Dialogue: 1,0:00:01.00,0:00:03.00,Default,,0,0,0,,{\\k50}今天{\\k100}天气{\\k50}很好\n"
    "Dialogue: 0,0:00:02.00,0:00:02.50,Default,,0,0,0,,overlaps\n"
    "\n[Aegisub Project Garbage]\nActive Line: 2\n";

START_TEST(test_ass_fields)
{
    zimu_subs *s = load(ASS, "a.ass");
    ck_assert_int_eq(zimu_subs_is_ass(s), 1);
    ck_assert_int_eq(zimu_subs_count(s), 3); /* events; the Comment is none */
    cue_is(s, 0, 1000, 3000, "{\\k50}今天{\\k100}天气{\\k50}很好");
    cue_is(s, 1, 2000, 2500, "overlaps");
    cue_is(s, 2, 4000, 6000, "{\\b1}标题{\\b0}\n第二行");
    const char *style = "x";
    ck_assert_int_eq(zimu_subs_cue_style(s, 0, &style, NULL, NULL, NULL), 0);
    ck_assert_ptr_null(style); /* Default */
    ck_assert_int_eq(zimu_subs_cue_style(s, 2, &style, NULL, NULL, NULL), 0);
    ck_assert_str_eq(style, "Top");
    ck_assert_int_eq(zimu_subs_word_count(s, 0), 3);
    word_is(s, 0, 0, 1000, 1500, "今天");
    word_is(s, 0, 1, 1500, 2500, "天气");
    word_is(s, 0, 2, 2500, 3000, "很好");
    ck_assert_int_eq(zimu_subs_word_count(s, 1), 0);
    zimu_subs_free(&s);
}
END_TEST

static const char LRC[] = "[ti:x]\n[00:01.00]<00:01.00>今天<00:01.50>天气<00:02.20>很好\n"
                          "[00:04.00]第二句\n";

START_TEST(test_lrc_words)
{
    zimu_subs *s = load(LRC, "a.lrc");
    ck_assert_int_eq(zimu_subs_count(s), 2);
    ck_assert_int_eq(zimu_subs_is_ass(s), 0);
    cue_is(s, 0, 1000, 4000, "今天天气很好");
    cue_is(s, 1, 4000, 9000, "第二句");
    ck_assert_int_eq(zimu_subs_word_count(s, 0), 3);
    word_is(s, 0, 0, 1000, 1500, "今天");
    word_is(s, 0, 1, 1500, 2200, "天气");
    word_is(s, 0, 2, 2200, 4000, "很好");
    ck_assert_int_eq(zimu_subs_word(s, 0, 3, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_word(s, 0, -1, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_msg(*zimu_subs_errmsg(s), "no message");
    zimu_subs_free(&s);
}
END_TEST

/* Plain text: the reading speed sets how long a line stays. */
START_TEST(test_reading_speed)
{
    const char *txt = "一二三四五六七八九十\n";
    zimu_subs *s = zimu_subs_new();
    int64_t slow_end, fast_end;
    ck_assert_int_eq(zimu_subs_set_reading_speed(s, 2), 0);
    ck_assert_int_eq(zimu_subs_load_data(s, txt, strlen(txt), "a.txt"), 0);
    ck_assert_int_eq(zimu_subs_cue(s, 0, NULL, &slow_end, NULL), 0);
    ck_assert_int_eq(zimu_subs_set_reading_speed(s, 10), 0);
    ck_assert_int_eq(zimu_subs_load_data(s, txt, strlen(txt), "a.txt"), 0);
    ck_assert_int_eq(zimu_subs_cue(s, 0, NULL, &fast_end, NULL), 0);
    ck_assert_msg(slow_end > fast_end, "2 cps: %lld, 10 cps: %lld", (long long)slow_end,
                  (long long)fast_end);
    ck_assert_int_eq(zimu_subs_set_reading_speed(s, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_reading_speed(s, -3), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_reading_speed(s, NAN), ZIMU_EINVAL);
    zimu_subs_free(&s);
}
END_TEST

typedef struct {
    int n, warnings;
    char last[256];
} logbook;

static void log_cb(void *opaque, int level, const char *msg)
{
    logbook *b = opaque;
    b->n++;
    if (level == ZIMU_LOG_WARNING)
        b->warnings++;
    snprintf(b->last, sizeof b->last, "%s", msg);
}

START_TEST(test_log)
{
    zimu_subs *s = zimu_subs_new();
    logbook b = {0};
    ck_assert_int_eq(zimu_subs_set_log(s, log_cb, &b, 9), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_log(s, log_cb, &b, ZIMU_LOG_WARNING), 0);
    const char *empty = "WEBVTT\n\n";
    ck_assert_int_eq(zimu_subs_load_data(s, empty, strlen(empty), "empty.vtt"), 0);
    ck_assert_int_eq(zimu_subs_count(s), 0);
    ck_assert_int_ge(b.warnings, 1);
    ck_assert_msg(strstr(b.last, "empty.vtt"), "%s", b.last);
    /* turned off */
    int n = b.n;
    ck_assert_int_eq(zimu_subs_set_log(s, NULL, NULL, ZIMU_LOG_DEBUG), 0);
    ck_assert_int_eq(zimu_subs_load_data(s, empty, strlen(empty), "empty.vtt"), 0);
    ck_assert_int_eq(b.n, n);
    zimu_subs_free(&s);
}
END_TEST

/* A cue in the middle of an SRT whose timing line is mangled past
 * recognition is skipped with a warning naming the file and its line; it
 * does not join the cue before as text. */
START_TEST(test_srt_broken_cue_warns)
{
    static const struct {
        const char *timing;
        int numbered;
    } cases[] = {
        /* Lines with "-->" or a full "H:MM:SS,mmm" at the start are timing
         * lines, and a bad one fails the load (check_srt.c); these were
         * taken for text. */
        {"0:00:03 - 0:00:04", 1},
        {"00:00:03 => 00:00:04", 1}, /* "->" is loose SRT, read (check_srt.c) */
        {"00:00:03 \xe2\x80\x94> 00:00:04", 1},
        {"0:00:03 - 0:00:04", 0},
        {"0:00:03 \xe2\x86\x92 0:00:04", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char srt[512], want[64];
        snprintf(srt, sizeof srt,
                 "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n%s%s\nsecond\nmore\n\n"
                 "3\n00:00:05,000 --> 00:00:06,000\nthird\n",
                 cases[k].numbered ? "2\n" : "", cases[k].timing);
        zimu_subs *s = zimu_subs_new();
        logbook b = {0};
        ck_assert_int_eq(zimu_subs_set_log(s, log_cb, &b, ZIMU_LOG_WARNING), 0);
        ck_assert_int_eq(zimu_subs_load_data(s, srt, strlen(srt), "b.srt"), 0);
        ck_assert_msg(zimu_subs_count(s) == 2, "case %zu: %d cues", k, zimu_subs_count(s));
        cue_is(s, 0, 1000, 2000, "first");
        cue_is(s, 1, 5000, 6000, "third");
        ck_assert_msg(b.warnings == 1, "case %zu: %d warnings", k, b.warnings);
        snprintf(want, sizeof want, "b.srt:%d: timing line '", cases[k].numbered ? 6 : 5);
        ck_assert_msg(strstr(b.last, want) && strstr(b.last, "skipped"), "case %zu: %s", k,
                      b.last);
        zimu_subs_free(&s);
    }
    /* Text after a blank line inside a cue is still its text, unwarned. */
    const char *ok = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n12:30 at noon\n\n"
                     "2\n00:00:05,000 --> 00:00:06,000\nthird\n";
    zimu_subs *s = zimu_subs_new();
    logbook b = {0};
    ck_assert_int_eq(zimu_subs_set_log(s, log_cb, &b, ZIMU_LOG_WARNING), 0);
    ck_assert_int_eq(zimu_subs_load_data(s, ok, strlen(ok), "ok.srt"), 0);
    ck_assert_int_eq(zimu_subs_count(s), 2);
    cue_is(s, 0, 1000, 2000, "first\n12:30 at noon");
    ck_assert_int_eq(b.warnings, 0);
    zimu_subs_free(&s);
}
END_TEST

/* ---- editing ---- */

START_TEST(test_add_set_remove)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_count(s), 0);
    ck_assert_int_eq(zimu_subs_is_ass(s), 0);
    ck_assert_int_eq(zimu_subs_add(s, 3000, 4000, "c"), 0);
    ck_assert_int_eq(zimu_subs_add(s, 1000, 2000, "a"), 0);
    ck_assert_int_eq(zimu_subs_add(s, 2000, 2500, "b"), 1);
    ck_assert_int_eq(zimu_subs_add(s, 1000, 1500, "a2"), 1); /* after the other at 1000 */
    ck_assert_int_eq(zimu_subs_add(s, 9000, 9500, "{\\i1}z{\\i0}\n两行"), 4);
    ck_assert_int_eq(zimu_subs_count(s), 5);
    cue_is(s, 0, 1000, 2000, "a");
    cue_is(s, 1, 1000, 1500, "a2");
    cue_is(s, 2, 2000, 2500, "b");
    cue_is(s, 3, 3000, 4000, "c");
    cue_is(s, 4, 9000, 9500, "{\\i1}z{\\i0}\n两行");

    /* a new start moves the cue and renumbers the others */
    ck_assert_int_eq(zimu_subs_set(s, 0, 5000, 6000, NULL), 3);
    cue_is(s, 0, 1000, 1500, "a2");
    cue_is(s, 2, 3000, 4000, "c");
    cue_is(s, 3, 5000, 6000, "a");
    /* the same start keeps the index; new text */
    ck_assert_int_eq(zimu_subs_set(s, 1, 2000, 2800, "B"), 1);
    cue_is(s, 1, 2000, 2800, "B");
    /* moved to the front */
    ck_assert_int_eq(zimu_subs_set(s, 4, 0, 100, NULL), 0);
    cue_is(s, 0, 0, 100, "{\\i1}z{\\i0}\n两行");

    ck_assert_int_eq(zimu_subs_remove(s, 0), 0);
    ck_assert_int_eq(zimu_subs_count(s), 4);
    cue_is(s, 0, 1000, 1500, "a2");
    ck_assert_int_eq(zimu_subs_remove(s, 3), 0);
    cue_is(s, 2, 3000, 4000, "c");
    ck_assert_int_eq(zimu_subs_count(s), 3);

    /* bad arguments change nothing */
    ck_assert_int_eq(zimu_subs_add(s, 2000, 2000, "x"), ZIMU_EINVAL);
    ck_assert_msg(*zimu_subs_errmsg(s), "no message");
    ck_assert_int_eq(zimu_subs_add(s, -1, 2000, "x"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_add(s, 3000, 2000, "x"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_add(s, 1000, 2000, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_add(s, 1000, 2000, "bad \xff utf-8"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set(s, 0, 500, 400, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set(s, 0, 500, 900, "\xc3"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_count(s), 3);
    cue_is(s, 0, 1000, 1500, "a2");
    /* a success clears the message */
    ck_assert_int_eq(zimu_subs_add(s, 1, 2, "ok"), 0);
    ck_assert_str_eq(zimu_subs_errmsg(s), "");
    zimu_subs_free(&s);
}
END_TEST

/* Word times go with their cue when it moves; a new text drops them. */
START_TEST(test_set_words)
{
    zimu_subs *s = load(LRC, "a.lrc");
    ck_assert_int_eq(zimu_subs_set(s, 0, 2000, 5000, NULL), 0);
    ck_assert_int_eq(zimu_subs_word_count(s, 0), 3);
    word_is(s, 0, 0, 2000, 2500, "今天");
    word_is(s, 0, 2, 3200, 5000, "很好");
    ck_assert_int_eq(zimu_subs_set(s, 0, 2000, 5000, "别的"), 0);
    ck_assert_int_eq(zimu_subs_word_count(s, 0), 0);
    zimu_subs_free(&s);
}
END_TEST

START_TEST(test_set_style)
{
    zimu_subs *s = load(SRT, "a.srt");
    ck_assert_int_eq(zimu_subs_set_style(s, 1, "Sign", 9, 0.25, 0.75), 0);
    const char *style;
    int align;
    double x, y;
    ck_assert_int_eq(zimu_subs_cue_style(s, 1, &style, &align, &x, &y), 0);
    ck_assert_str_eq(style, "Sign");
    ck_assert_int_eq(align, 9);
    ck_assert(x == 0.25 && y == 0.75);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, NULL, 0, -1, -1), 0);
    ck_assert_int_eq(zimu_subs_cue_style(s, 1, &style, &align, &x, &y), 0);
    ck_assert_ptr_null(style);
    ck_assert_int_eq(align, 0);
    ck_assert(x == -1 && y == -1);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, NULL, 10, -1, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, NULL, -1, -1, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, NULL, 0, 1.5, 0.5), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, NULL, 0, 0.5, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, "", 0, -1, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_style(s, 1, "a,b", 0, -1, -1), ZIMU_EINVAL);
    zimu_subs_free(&s);

    /* An ASS event: its style by name; its place is in its tags. */
    s = load(ASS, "a.ass");
    ck_assert_int_eq(zimu_subs_set_style(s, 1, "Top", 0, -1, -1), 0);
    ck_assert_int_eq(zimu_subs_cue_style(s, 1, &style, NULL, NULL, NULL), 0);
    ck_assert_str_eq(style, "Top");
    ck_assert_int_eq(zimu_subs_set_style(s, 1, "Top", 8, -1, -1), ZIMU_EINVAL);
    zimu_subs_free(&s);
}
END_TEST

/* ---- retiming ---- */

START_TEST(test_retime_scale_shift)
{
    zimu_subs *s = load(LRC, "a.lrc");
    /* scale first, then shift: 1000 -> 2000 -> 1500 */
    ck_assert_int_eq(zimu_subs_retime(s, 2.0, -500, ZIMU_OVERLAP_KEEP, 0), 0);
    cue_is(s, 0, 1500, 7500, "今天天气很好");
    cue_is(s, 1, 7500, 17500, "第二句");
    word_is(s, 0, 1, 2500, 3900, "天气");
    ck_assert_int_eq(zimu_subs_shift(s, 500), 0);
    cue_is(s, 0, 2000, 8000, "今天天气很好");
    word_is(s, 0, 0, 2000, 3000, "今天");
    /* before 0: a cue that ends by then goes, one that starts before
     * starts at 0 (its words too) */
    ck_assert_int_eq(zimu_subs_shift(s, -9000), 0);
    ck_assert_int_eq(zimu_subs_count(s), 1);
    cue_is(s, 0, 0, 9000, "第二句");
    ck_assert_int_eq(zimu_subs_retime(s, 0, 0, ZIMU_OVERLAP_KEEP, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_retime(s, -1, 0, ZIMU_OVERLAP_KEEP, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_retime(s, INFINITY, 0, ZIMU_OVERLAP_KEEP, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, 3, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, ZIMU_OVERLAP_KEEP, -1), ZIMU_EINVAL);
    cue_is(s, 0, 0, 9000, "第二句");
    zimu_subs_free(&s);
}
END_TEST

static zimu_subs *three(void)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_add(s, 1000, 3000, "a"), 0);
    ck_assert_int_eq(zimu_subs_add(s, 2000, 2200, "b"), 1);
    ck_assert_int_eq(zimu_subs_add(s, 6000, 6100, "c"), 2);
    return s;
}

START_TEST(test_retime_overlap)
{
    zimu_subs *s = three();
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, ZIMU_OVERLAP_MERGE, 0), 0);
    ck_assert_int_eq(zimu_subs_count(s), 2);
    cue_is(s, 0, 1000, 3000, "a\nb");
    cue_is(s, 1, 6000, 6100, "c");
    zimu_subs_free(&s);

    s = three();
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, ZIMU_OVERLAP_DROP, 0), 0);
    ck_assert_int_eq(zimu_subs_count(s), 3);
    cue_is(s, 0, 1000, 2000, "a");
    cue_is(s, 1, 2000, 2200, "b");
    zimu_subs_free(&s);

    s = three();
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, ZIMU_OVERLAP_KEEP, 0), 0);
    cue_is(s, 0, 1000, 3000, "a");
    cue_is(s, 1, 2000, 2200, "b");
    zimu_subs_free(&s);
}
END_TEST

START_TEST(test_retime_min_duration)
{
    zimu_subs *s = three();
    /* lengthened up to the next cue's start, never shortened */
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, ZIMU_OVERLAP_KEEP, 1000), 0);
    cue_is(s, 0, 1000, 3000, "a");
    cue_is(s, 1, 2000, 3000, "b");
    cue_is(s, 2, 6000, 7000, "c");
    ck_assert_int_eq(zimu_subs_retime(s, 1, 0, ZIMU_OVERLAP_KEEP, 5000), 0);
    cue_is(s, 1, 2000, 6000, "b");
    cue_is(s, 2, 6000, 11000, "c");
    zimu_subs_free(&s);
}
END_TEST

/* Scale, shift, overlap, minimum duration, in this order. */
START_TEST(test_retime_order)
{
    zimu_subs *s = three();
    /* scale: a 500-1500 b 1000-1100 c 3000-3050; shift: a 100-1100
     * b 600-700 c 2600-2650; drop: a 100-600; min 1000: a stays (b starts
     * at 600), b 600-1600, c 2600-3600. */
    ck_assert_int_eq(zimu_subs_retime(s, 0.5, -400, ZIMU_OVERLAP_DROP, 1000), 0);
    ck_assert_int_eq(zimu_subs_count(s), 3);
    cue_is(s, 0, 100, 600, "a");
    cue_is(s, 1, 600, 1600, "b");
    cue_is(s, 2, 2600, 3600, "c");
    zimu_subs_free(&s);

    /* the cut at 0 comes last: lengthened first, a cue moved before 0
     * keeps what reaches past it */
    s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_add(s, 200, 900, "x"), 0);
    ck_assert_int_eq(zimu_subs_retime(s, 1, -1000, ZIMU_OVERLAP_KEEP, 1000), 0);
    ck_assert_int_eq(zimu_subs_count(s), 1);
    cue_is(s, 0, 0, 200, "x");
    zimu_subs_free(&s);
}
END_TEST

START_TEST(test_clamp)
{
    zimu_subs *s = three();
    ck_assert_int_eq(zimu_subs_clamp(s, 1500, 2100), 0);
    ck_assert_int_eq(zimu_subs_count(s), 2);
    cue_is(s, 0, 1500, 2100, "a");
    cue_is(s, 1, 2000, 2100, "b");
    zimu_subs_free(&s);
    s = three();
    ck_assert_int_eq(zimu_subs_clamp(s, 2100, -1), 0); /* no end */
    ck_assert_int_eq(zimu_subs_count(s), 3);
    cue_is(s, 0, 2100, 3000, "a");
    cue_is(s, 1, 2100, 2200, "b");
    cue_is(s, 2, 6000, 6100, "c");
    ck_assert_int_eq(zimu_subs_clamp(s, -1, 100), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_clamp(s, 500, 500), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_count(s), 3);
    zimu_subs_free(&s);
    /* words are cut with their cue */
    s = load(LRC, "a.lrc");
    ck_assert_int_eq(zimu_subs_clamp(s, 1700, 3000), 0);
    ck_assert_int_eq(zimu_subs_count(s), 1);
    word_is(s, 0, 0, 1700, 1700, "今天");
    word_is(s, 0, 1, 1700, 2200, "天气");
    word_is(s, 0, 2, 2200, 3000, "很好");
    zimu_subs_free(&s);
}
END_TEST

/* ASS events are retimed in ms, only scaled and shifted: no merge, no
 * lengthening. */
START_TEST(test_retime_ass)
{
    zimu_subs *s = load(ASS, "a.ass");
    ck_assert_int_eq(zimu_subs_retime(s, 1, 7, ZIMU_OVERLAP_MERGE, 3000), 0);
    ck_assert_int_eq(zimu_subs_count(s), 3);
    cue_is(s, 0, 1007, 3007, "{\\k50}今天{\\k100}天气{\\k50}很好");
    cue_is(s, 1, 2007, 2507, "overlaps");
    cue_is(s, 2, 4007, 6007, "{\\b1}标题{\\b0}\n第二行");
    word_is(s, 0, 1, 1507, 2507, "天气");
    ck_assert_int_eq(zimu_subs_shift(s, -2600), 0);
    ck_assert_int_eq(zimu_subs_count(s), 2);
    cue_is(s, 0, 0, 407, "{\\k50}今天{\\k100}天气{\\k50}很好");
    zimu_subs_free(&s);
}
END_TEST

/* ---- saving ---- */

/* The lines of text that are not Dialogue lines. */
static char *without_dialogue(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    ck_assert_ptr_nonnull(out);
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        if (strncmp(p, "Dialogue:", 9) != 0 && strncmp(p, "Comment:", 8) != 0) {
            memcpy(o, p, n);
            o += n;
        }
        p += n;
    }
    *o = 0;
    return out;
}

START_TEST(test_ass_round_trip)
{
    zimu_subs *s = load(ASS, "a.ass");
    /* the "overlaps" event: new text and times (not in 10 ms steps) */
    ck_assert_int_eq(zimu_subs_set(s, 1, 5234, 7678, "改过的\n{\\i1}文字{\\i0}"), 2);
    ck_assert_int_eq(zimu_subs_add(s, 8000, 9000, "新的"), 3);
    char *out = tu_path(dir, "out.ass");
    ck_assert_msg(zimu_subs_save(s, out, 0) == 0, "%s", zimu_subs_errmsg(s));
    char *text = slurp(out);
    /* the header as it was, the events where they were */
    char *want_hdr = without_dialogue(ASS), *got_hdr = without_dialogue(text);
    ck_assert_str_eq(got_hdr, want_hdr);
    ck_assert_msg(strstr(text, "Dialogue: 0,0:00:04.00,0:00:06.00,Top,Ann,0,0,50,,"
                               "{\\b1}标题{\\b0}\\N第二行\n"
                               "Dialogue: 1,0:00:01.00,0:00:03.00,Default,,0,0,0,,"
                               "{\\k50}今天{\\k100}天气{\\k50}很好\n"
                               "Dialogue: 0,0:00:05.23,0:00:07.68,Default,,0,0,0,,"
                               "改过的\\N{\\i1}文字{\\i0}\n"
                               "Dialogue: 0,0:00:08.00,0:00:09.00,Default,,0,0,0,,新的\n"
                               "\n[Aegisub Project Garbage]\n"), "%s", text);

    zimu_subs *r = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_load(r, out), 0);
    ck_assert_int_eq(zimu_subs_is_ass(r), 1);
    ck_assert_int_eq(zimu_subs_count(r), 4);
    cue_is(r, 0, 1000, 3000, "{\\k50}今天{\\k100}天气{\\k50}很好");
    cue_is(r, 1, 4000, 6000, "{\\b1}标题{\\b0}\n第二行");
    cue_is(r, 2, 5230, 7680, "改过的\n{\\i1}文字{\\i0}"); /* 10 ms steps */
    cue_is(r, 3, 8000, 9000, "新的");
    const char *style;
    ck_assert_int_eq(zimu_subs_cue_style(r, 1, &style, NULL, NULL, NULL), 0);
    ck_assert_str_eq(style, "Top");
    ck_assert_int_eq(zimu_subs_word_count(r, 0), 3);
    /* saved again unchanged: the same bytes */
    char *out2 = tu_path(dir, "out2.ass");
    ck_assert_int_eq(zimu_subs_save(r, out2, 0), 0);
    char *text2 = slurp(out2);
    ck_assert_str_eq(text2, text);
    free(text2);
    free(out2);
    zimu_subs_free(&r);
    free(want_hdr);
    free(got_hdr);
    free(text);
    free(out);
    zimu_subs_free(&s);
}
END_TEST

/* Other formats from an ASS script: its converted text. */
START_TEST(test_ass_to_srt)
{
    zimu_subs *s = load(ASS, "a.ass");
    ck_assert_int_eq(zimu_subs_remove(s, 0), 0);
    char *out = tu_path(dir, "o.srt");
    ck_assert_int_eq(zimu_subs_save(s, out, 0), 0);
    char *text = slurp(out);
    /* the Top style's yellow is kept for the whole cue */
    ck_assert_str_eq(text, "1\n00:00:02,000 --> 00:00:02,500\noverlaps\n\n"
                           "2\n00:00:04,000 --> 00:00:06,000\n<font color=\"#FFFF00\"><b>标题</b>\n"
                           "第二行</font>\n\n");
    free(text);
    free(out);
    zimu_subs_free(&s);
}
END_TEST

START_TEST(test_save_refuses)
{
    char *in = tu_write_text(dir, "in.srt", SRT);
    ck_assert_ptr_nonnull(in);
    zimu_subs *s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_load(s, in), 0);

    /* an existing file: refused and left alone unless overwrite */
    char *other = tu_write_text(dir, "other.srt", "keep me");
    ck_assert_int_eq(zimu_subs_save(s, other, 0), ZIMU_EEXIST);
    ck_assert_msg(strstr(zimu_subs_errmsg(s), "other.srt: exists"), "%s", zimu_subs_errmsg(s));
    char *t = slurp(other);
    ck_assert_str_eq(t, "keep me");
    free(t);
    ck_assert_int_eq(zimu_subs_save(s, other, 1), 0);
    t = slurp(other);
    ck_assert_msg(!strncmp(t, "1\n00:00:01,000 --> 00:00:02,500\n", 32), "%s", t);
    free(t);

    /* the loaded file itself, under its name, a symlink and a hard link,
     * even with overwrite */
    char *sym = tu_path(dir, "sym.srt"), *hard = tu_path(dir, "hard.srt");
    ck_assert_int_eq(symlink(in, sym), 0);
    ck_assert_int_eq(link(in, hard), 0);
    const char *same[] = {in, sym, hard};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(zimu_subs_save(s, same[i], 1), ZIMU_ESAME);
        ck_assert_msg(*zimu_subs_errmsg(s), "no message");
        ck_assert_int_eq(zimu_subs_save(s, same[i], 0), ZIMU_ESAME);
    }
    t = slurp(in);
    ck_assert_str_eq(t, SRT);
    free(t);

    /* a directory; a name with no format; no path */
    ck_assert_int_eq(zimu_subs_save(s, dir, 1), ZIMU_EINVAL); /* no extension */
    char *d = tu_path(dir, "d.srt");
    ck_assert_int_eq(mkdir(d, 0700), 0);
    ck_assert_int_eq(zimu_subs_save(s, d, 1), ZIMU_EOUTPUT);
    ck_assert_int_eq(zimu_subs_save(s, "x.doc", 1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_save(s, NULL, 1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_save(s, "", 1), ZIMU_EINVAL);

    /* loaded from memory: no file is the input */
    ck_assert_int_eq(zimu_subs_load_data(s, SRT, strlen(SRT), "in.srt"), 0);
    ck_assert_int_eq(zimu_subs_save(s, in, 0), ZIMU_EEXIST);
    ck_assert_int_eq(zimu_subs_save(s, hard, 1), 0);
    free(d);
    free(sym);
    free(hard);
    free(other);
    free(in);
    zimu_subs_free(&s);
}
END_TEST

/* ---- argument errors ---- */

START_TEST(test_null_handle)
{
    int64_t a;
    const char *t;
    ck_assert_str_eq(zimu_subs_errmsg(NULL), "");
    ck_assert_int_eq(zimu_subs_set_log(NULL, log_cb, NULL, 1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_charenc(NULL, "GBK"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_reading_speed(NULL, 4), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_load(NULL, "x.srt"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_load_data(NULL, SRT, strlen(SRT), "x.srt"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_count(NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_is_ass(NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_cue(NULL, 0, &a, &a, &t), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_cue_style(NULL, 0, &t, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_word_count(NULL, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_word(NULL, 0, 0, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_add(NULL, 0, 1, "x"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set(NULL, 0, 0, 1, "x"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_style(NULL, 0, NULL, 0, -1, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_remove(NULL, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_retime(NULL, 1, 0, 0, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_shift(NULL, 10), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_clamp(NULL, 0, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_set_size(NULL, 100, 100), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_save(NULL, "x.srt", 1), ZIMU_EINVAL);
    zimu_subs_free(NULL);
    zimu_subs *s = NULL;
    zimu_subs_free(&s);
}
END_TEST

START_TEST(test_out_of_range)
{
    zimu_subs *s = load(SRT, "a.srt");
    const int bad[] = {-1, 3, 1000000, -2147483647 - 1};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int i = bad[k];
        ck_assert_int_eq(zimu_subs_cue(s, i, NULL, NULL, NULL), ZIMU_EINVAL);
        ck_assert_msg(strstr(zimu_subs_errmsg(s), "cue"), "%s", zimu_subs_errmsg(s));
        ck_assert_int_eq(zimu_subs_cue_style(s, i, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_word_count(s, i), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_word(s, i, 0, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_set(s, i, 0, 1, "x"), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_set_style(s, i, NULL, 0, -1, -1), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_remove(s, i), ZIMU_EINVAL);
    }
    ck_assert_int_eq(zimu_subs_count(s), 3);
    cue_is(s, 2, 5000, 6000, "上面");
    zimu_subs_free(&s);
    /* nothing loaded: every index is out of range */
    s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_cue(s, 0, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_remove(s, 0), ZIMU_EINVAL);
    zimu_subs_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("captions_api");
    TCase *tc = tcase_create("read");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_srt_fields);
    tcase_add_test(tc, test_vtt_place);
    tcase_add_test(tc, test_ass_fields);
    tcase_add_test(tc, test_lrc_words);
    tcase_add_test(tc, test_reading_speed);
    tcase_add_test(tc, test_log);
    tcase_add_test(tc, test_srt_broken_cue_warns);
    suite_add_tcase(s, tc);
    tc = tcase_create("edit");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_add_set_remove);
    tcase_add_test(tc, test_set_words);
    tcase_add_test(tc, test_set_style);
    suite_add_tcase(s, tc);
    tc = tcase_create("retime");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_retime_scale_shift);
    tcase_add_test(tc, test_retime_overlap);
    tcase_add_test(tc, test_retime_min_duration);
    tcase_add_test(tc, test_retime_order);
    tcase_add_test(tc, test_clamp);
    tcase_add_test(tc, test_retime_ass);
    suite_add_tcase(s, tc);
    tc = tcase_create("save");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ass_round_trip);
    tcase_add_test(tc, test_ass_to_srt);
    tcase_add_test(tc, test_save_refuses);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_null_handle);
    tcase_add_test(tc, test_out_of_range);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
