/* check_chinese.c - Simplified and Traditional Chinese: conversion with
 * OpenCC through zimu_subs, jobs, renderers and the command line (phrases,
 * not characters; mixed transcripts made consistent; word timings, ASS
 * events and override blocks; bad modes and missing OpenCC data), and the
 * face Traditional text is drawn in (Noto Sans CJK TC or HK instead of SC:
 * the style names it in the ASS written, and the full-width comma sits in
 * the middle of its cell instead of its lower left corner). */
#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chinese.h"
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

static zimu_subs *load(const char *data, const char *name)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    int r = zimu_subs_load_data(s, data, strlen(data), name);
    ck_assert_msg(r == 0, "%s: %d %s", name, r, zimu_subs_errmsg(s));
    return s;
}

static void text_is(const zimu_subs *s, int i, const char *want)
{
    const char *t = NULL;
    ck_assert_int_eq(zimu_subs_cue(s, i, NULL, NULL, &t), 0);
    ck_assert_msg(t && !strcmp(t, want), "cue %d: '%s', want '%s'", i, t ? t : "(null)", want);
}

/* One cue of text through mode. */
static void converts(const char *mode, const char *in, const char *want)
{
    char srt[512];
    snprintf(srt, sizeof srt, "1\n00:00:01,000 --> 00:00:02,000\n%s\n", in);
    zimu_subs *s = load(srt, "a.srt");
    int r = zimu_subs_set_chinese(s, mode);
    ck_assert_msg(r == 0, "%s: %d %s", mode, r, zimu_subs_errmsg(s));
    const char *t = NULL;
    zimu_subs_cue(s, 0, NULL, NULL, &t);
    ck_assert_msg(!strcmp(t, want), "%s: '%s' -> '%s', want '%s'", mode, in, t, want);
    zimu_subs_free(&s);
}

/* Phrases, not characters: 头发 is 頭髮 (发 alone would be 發), and the
 * Taiwan words of s2twp. */
START_TEST(test_phrases)
{
    converts("s2t", "头发", "頭髮");
    converts("s2t", "发展", "發展");
    converts("t2s", "頭髮", "头发");
    converts("s2twp", "软件和鼠标", "軟體和滑鼠");
    converts("s2twp", "自行车", "腳踏車");
    converts("tw2sp", "軟體和滑鼠", "软件和鼠标");
    /* s2tw changes character forms only; the words are s2twp's */
    converts("s2tw", "软件", "軟件");
    converts("s2hk", "头发", "頭髮");
    converts("hk2s", "頭髮", "头发");
    /* Latin text and punctuation are left as they are */
    converts("s2t", "Zoom 会议 ID: 123，“开始”", "Zoom 會議 ID: 123，“開始”");
}
END_TEST

/* A speech recogniser's transcript that mixes both scripts comes out all
 * Simplified (or all Traditional). */
START_TEST(test_mixed)
{
    converts("t2s", "我們今天来聊一聊獨生子女家庭的養老问题，歡迎大家",
             "我们今天来聊一聊独生子女家庭的养老问题，欢迎大家");
    converts("s2t", "我們今天来聊一聊獨生子女家庭的養老问题，歡迎大家",
             "我們今天來聊一聊獨生子女家庭的養老問題，歡迎大家");
}
END_TEST

/* The cues loaded before, loaded after, added and changed later are all
 * converted; "none" stops it for what comes next. */
START_TEST(test_later_cues)
{
    zimu_subs *s = load("1\n00:00:01,000 --> 00:00:02,000\n头发\n", "a.srt");
    ck_assert_int_eq(zimu_subs_set_chinese(s, "s2t"), 0);
    text_is(s, 0, "頭髮");
    int i = zimu_subs_add(s, 3000, 4000, "软件开发");
    ck_assert_int_ge(i, 0);
    text_is(s, i, "軟件開發");
    ck_assert_int_eq(zimu_subs_set(s, i, 3000, 4000, "鼠标"), i);
    text_is(s, i, "鼠標");
    const char *again = "1\n00:00:05,000 --> 00:00:06,000\n发展\n";
    ck_assert_int_eq(zimu_subs_load_data(s, again, strlen(again), "b.srt"), 0);
    text_is(s, 0, "發展");
    ck_assert_int_eq(zimu_subs_set_chinese(s, "none"), 0);
    i = zimu_subs_add(s, 7000, 8000, "头发");
    text_is(s, i, "头发");
    text_is(s, 0, "發展"); /* converted cues stay so */
    ck_assert_int_eq(zimu_subs_set_chinese(s, NULL), 0);
    /* set before anything is loaded */
    zimu_subs *t = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_set_chinese(t, "t2s"), 0);
    const char *tw = "1\n00:00:01,000 --> 00:00:02,000\n頭髮\n";
    ck_assert_int_eq(zimu_subs_load_data(t, tw, strlen(tw), "tw.srt"), 0);
    text_is(t, 0, "头发");
    zimu_subs_free(&t);
    zimu_subs_free(&s);
}
END_TEST

/* Override blocks are not text: a font name in {\fn...} stays. ASS events
 * are converted in the script saved too, their styles left alone. */
START_TEST(test_blocks_and_ass)
{
    zimu_subs *c = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_set_chinese(c, "s2t"), 0);
    ck_assert_int_eq(zimu_subs_add(c, 0, 1000, "{\\fn微软雅黑}头发{\\i1}发展{\\i0}"), 0);
    text_is(c, 0, "{\\fn微软雅黑}頭髮{\\i1}發展{\\i0}");
    /* a brace that no '}' closes is text */
    ck_assert_int_eq(zimu_subs_add(c, 2000, 3000, "{\\b1}头发{发展"), 1);
    text_is(c, 1, "{\\b1}頭髮{發展");
    zimu_subs_free(&c);
    const char *ass =
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 1080\nPlayResY: 1920\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
        "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
        "MarginV, Encoding\n"
        "Style: 默认,微软雅黑,60,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,"
        "100,0,0,1,2,0,2,10,10,10,1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
        "Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,默认,,0,0,0,,{\\fn黑体}头发\\N软件\n";
    zimu_subs *s = load(ass, "a.ass");
    ck_assert_int_eq(zimu_subs_set_chinese(s, "s2t"), 0);
    text_is(s, 0, "{\\fn黑体}頭髮\n軟件");
    char *out = tu_path(dir, "out.ass");
    ck_assert_int_eq(zimu_subs_save(s, out, 0), 0);
    char *text = slurp(out);
    ck_assert_msg(strstr(text, "默认,,0,0,0,,{\\fn黑体}頭髮\\N軟件"), "%s", text);
    ck_assert_msg(strstr(text, "Style: 默认,微软雅黑,60"), "%s", text);
    free(text);
    free(out);
    zimu_subs_free(&s);
}
END_TEST

/* Word k of cue 0 covers want. */
static void word_is(const zimu_subs *s, int k, const char *want)
{
    const char *t;
    size_t off, len;
    ck_assert_int_eq(zimu_subs_cue(s, 0, NULL, NULL, &t), 0);
    ck_assert_int_eq(zimu_subs_word(s, 0, k, NULL, NULL, &off, &len), 0);
    ck_assert_msg(len == strlen(want) && !memcmp(t + off, want, len),
                  "word %d: '%.*s', want '%s' (in '%s')", k, (int)len, t + off, want, t);
}

/* One enhanced LRC line (and an end line) through mode: its text, and
 * the text each word covers (NULL-ended). */
static void words_convert(const char *line, const char *mode, const char *text,
                          const char *const *words)
{
    char lrc[512];
    snprintf(lrc, sizeof lrc, "%s\n[00:04.00]end\n", line);
    zimu_subs *s = load(lrc, "w.lrc");
    int n = 0;
    while (words[n])
        n++;
    ck_assert_int_eq(zimu_subs_word_count(s, 0), n);
    ck_assert_int_eq(zimu_subs_set_chinese(s, mode), 0);
    text_is(s, 0, text);
    for (int k = 0; k < n; k++)
        word_is(s, k, words[k]);
    zimu_subs_free(&s);
}

/* Word timings keep their words: a phrase across words (软件 in two
 * tokens) is converted as a phrase when its length stays; one whose length
 * changes (U盘 -> 隨身碟 in s2twp) is converted word by word. */
START_TEST(test_words)
{
    words_convert("[00:01.00]<00:01.00>鼠<00:01.50>标<00:02.00>和<00:02.50>软<00:02.70>件"
                  "<00:03.00>", "s2twp", "滑鼠和軟體",
                  (const char *const[]){"滑", "鼠", "和", "軟", "體", NULL});
    /* Without words the phrase changes length; with them, each word on
     * its own, and every word still covers its text. */
    converts("s2twp", "U盘和软件", "隨身碟和軟體");
    words_convert("[00:01.00]<00:01.00>U<00:01.50>盘<00:02.00>和<00:02.50>软件<00:03.00>",
                  "s2twp", "U盤和軟體", (const char *const[]){"U", "盤", "和", "軟體", NULL});
    /* a word that grows moves the words after it */
    words_convert("[00:01.00]<00:01.00>U盘<00:02.00>和<00:02.50>软件<00:03.00>", "s2twp",
                  "隨身碟和軟體", (const char *const[]){"隨身碟", "和", "軟體", NULL});
}
END_TEST

/* An unknown mode: ZIMU_EINVAL listing the modes, the nearest suggested,
 * and nothing changed. */
START_TEST(test_bad_mode)
{
    zimu_subs *s = load("1\n00:00:01,000 --> 00:00:02,000\n头发\n", "a.srt");
    ck_assert_int_eq(zimu_subs_set_chinese(s, "s2hc"), ZIMU_EINVAL);
    const char *m = zimu_subs_errmsg(s);
    ck_assert_msg(strstr(m, "'s2hc' is not one of s2t, t2s,") && strstr(m, "hk2t") &&
                  strstr(m, "did you mean 's2hk'?"), "%s", m);
    ck_assert_int_eq(zimu_subs_set_chinese(s, "S2TW"), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_subs_errmsg(s), "did you mean 's2tw'?"), "%s",
                  zimu_subs_errmsg(s));
    ck_assert_int_eq(zimu_subs_set_chinese(s, "traditional"), ZIMU_EINVAL);
    ck_assert_msg(!strstr(zimu_subs_errmsg(s), "did you mean"), "%s", zimu_subs_errmsg(s));
    text_is(s, 0, "头发");
    ck_assert_int_eq(zimu_subs_add(s, 3000, 4000, "软件"), 1);
    text_is(s, 1, "软件");
    zimu_subs_free(&s);

    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_chinese(job, "t2sp"), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_errmsg(job), "did you mean"), "%s", zimu_errmsg(job));
    ck_assert_int_eq(zimu_job_set_chinese(job, "none"), 0);
    zimu_job_free(&job);
    zimu_renderer *r = zimu_renderer_new();
    ck_assert_int_eq(zimu_renderer_set_chinese(r, "x"), ZIMU_EINVAL);
    zimu_renderer_free(&r);
    ck_assert_int_eq(zimu_subs_set_chinese(NULL, "s2t"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_chinese((zimu_job *)r, "s2t"), ZIMU_EINVAL);

    /* the list a help text prints */
    ck_assert_str_eq(zimu_name(ZIMU_NAMES_CHINESE, 0), "s2t");
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CHINESE, "s2hk"), 6);
    ck_assert_ptr_nonnull(zimu_name_description(ZIMU_NAMES_CHINESE, 11));
    ck_assert_ptr_null(zimu_name(ZIMU_NAMES_CHINESE, 12));
}
END_TEST

/* No OpenCC data: the message names the package to install, whichever
 * handle finds it; the cues are as they were. */
START_TEST(test_missing_data)
{
    zimu__chinese_set_data_dir(dir); /* an empty folder */
    zimu_subs *s = load("1\n00:00:01,000 --> 00:00:02,000\n头发\n", "a.srt");
    ck_assert_int_eq(zimu_subs_set_chinese(s, "s2t"), ZIMU_ESUBS);
    const char *m = zimu_subs_errmsg(s);
    ck_assert_msg(strstr(m, "'s2t'") && strstr(m, "s2t.json") && strstr(m, "libopencc-data"),
                  "%s", m);
    text_is(s, 0, "头发");
    zimu_subs_free(&s);
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_chinese(job, "t2s"), ZIMU_ESUBS);
    ck_assert_msg(strstr(zimu_errmsg(job), "libopencc-data"), "%s", zimu_errmsg(job));
    zimu_job_free(&job);
    zimu_renderer *r = zimu_renderer_new();
    ck_assert_int_eq(zimu_renderer_set_chinese(r, "s2hk"), ZIMU_ESUBS);
    zimu_renderer_free(&r);
    zimu__chinese_set_data_dir(NULL);
}
END_TEST

/* The "Style: NAME,FONT," line of an ASS text, FONT into font. */
static void style_font(const char *ass, const char *name, char *font, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "\nStyle: %s,", name);
    const char *p = strstr(ass, key);
    ck_assert_msg(p != NULL, "no style %s in %s", name, ass);
    p += strlen(key);
    size_t n = strcspn(p, ",");
    snprintf(font, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* The ASS a job writes for srt (UTF-8, or bytes of another encoding),
 * with mode, title and font (each may be NULL). */
static char *job_ass(const char *srt, size_t len, const char *mode, const char *title,
                     const char *font)
{
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_subtitles_data(job, srt, len, "in.srt"), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 720, 1280), 0);
    if (mode)
        ck_assert_int_eq(zimu_job_set_chinese(job, mode), 0);
    if (title)
        ck_assert_int_eq(zimu_job_set_title(job, title), 0);
    if (font)
        ck_assert_int_eq(zimu_job_set_font(job, font), 0);
    char *out = tu_path(dir, "out.ass");
    zimu_job_set_overwrite(job, 1);
    int r = zimu_job_save_captions(job, out);
    ck_assert_msg(r == 0, "%d %s", r, zimu_errmsg(job));
    char *text = slurp(out);
    free(out);
    zimu_job_free(&job);
    return text;
}

static void faces_are(const char *ass, const char *caption, const char *title)
{
    char f[128];
    style_font(ass, "Caption", f, sizeof f);
    ck_assert_msg(!strcmp(f, caption), "caption face '%s', want '%s'", f, caption);
    style_font(ass, "Title", f, sizeof f);
    ck_assert_msg(!strcmp(f, title), "title face '%s', want '%s'", f, title);
    style_font(ass, "Cover", f, sizeof f);
    ck_assert_msg(!strcmp(f, title), "cover face '%s', want '%s'", f, title);
}

#define SC "Noto Sans CJK SC"
#define TC "Noto Sans CJK TC"
#define HK "Noto Sans CJK HK"

static const char simp[] = "1\n00:00:01,000 --> 00:00:03,000\n欢迎来到社区讲堂，今天我们聊聊养老\n";
static const char trad[] = "1\n00:00:01,000 --> 00:00:03,000\n歡迎來到社區講堂，今天我們聊聊養老\n";

/* A job converts its captions and its title, and the ASS it writes names
 * the face of the target script. */
START_TEST(test_job_converts)
{
    char *a = job_ass(simp, strlen(simp), "s2t", "头发护理讲座", NULL);
    ck_assert_msg(strstr(a, "歡迎來到社區講堂") && strstr(a, "今天我們聊聊養老") &&
                  strstr(a, "頭髮護理講座"), "%s", a);
    faces_are(a, TC, TC);
    free(a);
    a = job_ass(simp, strlen(simp), "s2hk", "头发", NULL);
    faces_are(a, HK, HK);
    free(a);
    a = job_ass(trad, strlen(trad), "t2s", "頭髮", NULL);
    ck_assert_msg(strstr(a, "欢迎来到社区讲堂") && strstr(a, "今天我们聊聊养老") &&
                  strstr(a, "头发"), "%s", a);
    faces_are(a, SC, SC);
    free(a);
    /* a chosen font wins over the target's face */
    a = job_ass(simp, strlen(simp), "s2t", "头发", "Noto Serif CJK SC");
    faces_are(a, "Noto Serif CJK SC", "Noto Serif CJK SC");
    free(a);

    /* to SRT: the converted text */
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_subtitles_data(job, simp, strlen(simp), "in.srt"), 0);
    ck_assert_int_eq(zimu_job_set_chinese(job, "s2twp"), 0);
    char *out = tu_path(dir, "out.srt");
    ck_assert_int_eq(zimu_job_save_captions(job, out), 0);
    char *text = slurp(out);
    /* Taiwan words: 社区 is 社群 there */
    ck_assert_msg(strstr(text, "歡迎來到社群講堂，今天我們聊聊養老"), "%s", text);
    free(text);
    free(out);
    zimu_job_free(&job);
}
END_TEST

/* Without a conversion, the script is counted: Traditional captions get
 * TC, Simplified ones SC, each text on its own; a chosen font wins. */
START_TEST(test_detected_faces)
{
    char *a = job_ass(trad, strlen(trad), NULL, NULL, NULL);
    faces_are(a, TC, SC);
    free(a);
    a = job_ass(simp, strlen(simp), NULL, "頭髮護理講座", NULL);
    faces_are(a, SC, TC);
    free(a);
    a = job_ass(trad, strlen(trad), NULL, NULL, SC);
    faces_are(a, SC, SC);
    free(a);
    /* as many Traditional-only as Simplified-only characters: SC */
    const char *even = "1\n00:00:01,000 --> 00:00:03,000\n头發\n";
    a = job_ass(even, strlen(even), NULL, NULL, NULL);
    faces_are(a, SC, SC);
    free(a);

    /* a Big5 file */
    iconv_t cd = iconv_open("BIG5", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    char big5[512], *in = (char *)trad, *o = big5;
    size_t inn = strlen(trad), outn = sizeof big5;
    ck_assert(iconv(cd, &in, &inn, &o, &outn) != (size_t)-1);
    iconv_close(cd);
    a = job_ass(big5, (size_t)(o - big5), NULL, NULL, NULL);
    ck_assert_msg(strstr(a, "歡迎來到社區講堂"), "%s", a);
    faces_are(a, TC, SC);
    free(a);

    /* a style option's font is chosen too */
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_subtitles_data(job, trad, strlen(trad), "in.srt"), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 720, 1280), 0);
    ck_assert_int_eq(zimu_job_set_style_option(job, "font", SC), 0);
    char *out = tu_path(dir, "o.ass");
    ck_assert_int_eq(zimu_job_save_captions(job, out), 0);
    char *text = slurp(out), f[128];
    style_font(text, "Caption", f, sizeof f);
    ck_assert_str_eq(f, SC);
    free(text);
    free(out);
    zimu_job_free(&job);
}
END_TEST

/* zimu_subs_save's plain ASS script names the face too. */
START_TEST(test_subs_save_face)
{
    char *out = tu_path(dir, "s.ass"), f[128];
    const char *srts[3] = {simp, simp, trad};
    const char *modes[3] = {"s2hk", NULL, NULL};
    const char *want[3] = {HK, SC, TC};
    for (int i = 0; i < 3; i++) {
        zimu_subs *s = load(srts[i], "a.srt");
        if (modes[i])
            ck_assert_int_eq(zimu_subs_set_chinese(s, modes[i]), 0);
        ck_assert_int_eq(zimu_subs_save(s, out, 1), 0);
        char *text = slurp(out);
        style_font(text, "Default", f, sizeof f);
        ck_assert_msg(!strcmp(f, want[i]), "%d: face '%s', want '%s'", i, f, want[i]);
        free(text);
        zimu_subs_free(&s);
    }
    free(out);
}
END_TEST

/* A renderer converts its title; its captions come converted (and marked
 * Traditional) from a zimu_subs. */
START_TEST(test_renderer)
{
    zimu_subs *s = load(simp, "a.srt");
    ck_assert_int_eq(zimu_subs_set_chinese(s, "s2hk"), 0);
    zimu_renderer *r = zimu_renderer_new();
    ck_assert_int_eq(zimu_renderer_set_captions(r, s), 0);
    ck_assert_int_eq(zimu_renderer_set_size(r, 720, 1280), 0);
    ck_assert_int_eq(zimu_renderer_set_title(r, "头发护理"), 0);
    ck_assert_int_eq(zimu_renderer_set_chinese(r, "s2t"), 0);
    int rc = zimu_renderer_prepare(r);
    ck_assert_msg(rc == 0, "%s", zimu_errmsg(r));
    int found = 0;
    for (int i = 0; i < zimu_renderer_page_count(r); i++) {
        int box[4];
        const char *line = zimu_renderer_line(r, i, 0, box);
        found += line && !strcmp(line, "頭髮護理");
    }
    ck_assert_int_eq(found, 1);
    char *out = tu_path(dir, "r.ass");
    ck_assert_int_eq(zimu_renderer_save_ass(r, out, 0), 0);
    char *text = slurp(out);
    faces_are(text, HK, TC);
    free(text);
    free(out);
    zimu_renderer_free(&r);
    zimu_subs_free(&s);
}
END_TEST

/* Flash cards are converted with the job's captions setting. */
START_TEST(test_flash_cards)
{
    const char *script = "头发\n软件开发\n";
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_flash_data(job, script, strlen(script), "f.txt"), 0);
    ck_assert_int_eq(zimu_job_set_chinese(job, "s2t"), 0);
    char *out = tu_path(dir, "f.srt");
    int rc = zimu_job_save_captions(job, out);
    ck_assert_msg(rc == 0, "%s", zimu_errmsg(job));
    char *text = slurp(out);
    ck_assert_msg(strstr(text, "頭髮") && strstr(text, "軟件開發") && !strstr(text, "头发"),
                  "%s", text);
    free(text);
    free(out);
    zimu_job_free(&job);
}
END_TEST

/* ---- the comma, drawn ---- */

#define W 480
#define H 360

/* The centre of the ink in the last character cell of the caption's one
 * line, as fractions of that cell (x) and of the line's box (y). The
 * caption is white without outline or shadow on black, so brightness is
 * coverage. */
static void comma_centre(const char *text, const char *font, double *cx, double *cy,
                         const char *png)
{
    char srt[256];
    snprintf(srt, sizeof srt, "1\n00:00:00,000 --> 00:00:02,000\n%s\n", text);
    zimu_subs *s = load(srt, "c.srt");
    zimu_renderer *r = zimu_renderer_new();
    ck_assert_int_eq(zimu_renderer_set_captions(r, s), 0);
    ck_assert_int_eq(zimu_renderer_set_size(r, W, H), 0);
    ck_assert_int_eq(zimu_renderer_set_safe_area(r, "none"), 0);
    ck_assert_int_eq(zimu_renderer_set_style_options(r, "size=80px,outline=0,shadow=0"), 0);
    if (font)
        ck_assert_int_eq(zimu_renderer_set_font(r, font), 0);
    static uint8_t rgba[W * H * 4];
    for (int i = 0; i < W * H; i++) {
        rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = 0;
        rgba[4 * i + 3] = 255;
    }
    int rc = zimu_renderer_draw_rgba(r, 1000, rgba, W * 4);
    ck_assert_msg(rc >= 0, "%s", zimu_errmsg(r));
    int box[4];
    const char *line = zimu_renderer_line(r, 0, 0, box);
    ck_assert_msg(line && !strcmp(line, text), "one line '%s'", line ? line : "(none)");
    int chars = 0;
    for (const char *p = text; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    double cell = (double)box[2] / chars, x0 = box[0] + box[2] - cell;
    double sx = 0, sy = 0, sw = 0;
    for (int y = box[1]; y < box[1] + box[3]; y++)
        for (int x = (int)x0; x < box[0] + box[2]; x++) {
            double v = rgba[((size_t)y * W + x) * 4];
            sx += v * (x + 0.5);
            sy += v * (y + 0.5);
            sw += v;
        }
    ck_assert_msg(sw > 255 * 20, "no ink in the last cell");
    *cx = (sx / sw - x0) / cell;
    *cy = (sy / sw - box[1]) / box[3];
    if (png) { /* to look at: PPM next to the test's files */
        char *path = tu_path(dir, png);
        FILE *f = fopen(path, "wb");
        fprintf(f, "P6 %d %d 255\n", W, H);
        for (int i = 0; i < W * H; i++)
            fwrite(rgba + 4 * i, 1, 3, f);
        fclose(f);
        free(path);
    }
    zimu_renderer_free(&r);
    zimu_subs_free(&s);
}

/* Traditional text is drawn in TC, where the full-width comma sits in the
 * middle of its cell; the same text forced into SC has it low and left,
 * as in mainland typography. */
START_TEST(test_comma_position)
{
    double tx, ty, sx, sy;
    comma_centre("頭髮，", NULL, &tx, &ty, "tc.ppm");
    comma_centre("頭髮，", SC, &sx, &sy, "sc.ppm");
    if (getenv("ZIMU_TEST_VERBOSE"))
        fprintf(stderr, "comma centre: TC %.3f,%.3f  SC %.3f,%.3f\n", tx, ty, sx, sy);
    ck_assert_msg(tx > 0.4 && tx < 0.6 && ty > 0.35 && ty < 0.65,
                  "TC comma centre %.3f,%.3f of its cell: not in the middle", tx, ty);
    ck_assert_msg(sx < 0.35 && sy > 0.65,
                  "SC comma centre %.3f,%.3f of its cell: not lower left", sx, sy);
    /* and a Simplified text is drawn as the SC one */
    double qx, qy;
    comma_centre("头发，", NULL, &qx, &qy, NULL);
    ck_assert_msg(qx < 0.35 && qy > 0.65, "Simplified text: comma at %.3f,%.3f", qx, qy);
}
END_TEST

/* A second of grey at path (320x568), with its options in *co. */
static void make_clip(const char *path, tu_clip_opts *co)
{
    tu_clip_defaults(co);
    co->bg = TU_BG_GREY;
    co->markers = 0;
    co->audio = TU_AUDIO_NONE;
    co->frames = 30;
    TU_OK(tu_make_clip(path, co));
}

/* A burn's frame (zimu_job_preview) of a Traditional file is the one drawn
 * with TC named, and not the SC one. */
START_TEST(test_preview_face)
{
    tu_clip_opts co;
    char *clip = tu_path(dir, "c.mp4");
    make_clip(clip, &co);
    const char *srt = "1\n00:00:00,000 --> 00:00:01,000\n歡迎來到社區講堂，\n";
    const char *fonts[3] = {NULL, TC, SC};
    uint8_t *rgb[3];
    for (int i = 0; i < 3; i++) {
        zimu_job *job = zimu_job_new();
        ck_assert_int_eq(zimu_job_set_input(job, clip), 0);
        ck_assert_int_eq(zimu_job_set_subtitles_data(job, srt, strlen(srt), "t.srt"), 0);
        if (fonts[i])
            ck_assert_int_eq(zimu_job_set_font(job, fonts[i]), 0);
        char name[32];
        snprintf(name, sizeof name, "p%d.png", i);
        char *png = tu_path(dir, name);
        int rc = zimu_job_preview(job, 500, png);
        ck_assert_msg(rc == 0, "%s", zimu_errmsg(job));
        int w, h;
        TU_OK(tu_read_image_rgb(png, &w, &h, &rgb[i]));
        ck_assert_int_eq(w, co.width);
        free(png);
        zimu_job_free(&job);
    }
    size_t n = (size_t)co.width * co.height * 3;
    ck_assert_msg(!memcmp(rgb[0], rgb[1], n), "the preview is not the TC one");
    ck_assert_msg(memcmp(rgb[0], rgb[2], n), "the TC and SC previews are the same");
    for (int i = 0; i < 3; i++)
        free(rgb[i]);
    free(clip);
}
END_TEST

static int fast(void *opaque, zimu_job *job, int clip)
{
    (void)clip;
    int r = zimu_job_set_preset(job, "ultrafast");
    return r < 0 || !opaque ? r : zimu_job_set_chinese(job, opaque);
}

/* The conversion is in a batch output's fingerprint: turning it on makes
 * the clip again. */
START_TEST(test_batch_fingerprint)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    char *clip = tu_path(in, "a.mp4");
    tu_clip_opts co;
    make_clip(clip, &co);
    free(tu_write_text(in, "a.srt", simp));
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_setup(b, fast, NULL);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_DONE);
    zimu_batch_set_dry_run(b, 1);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_UNCHANGED);
    zimu_batch_set_setup(b, fast, "s2t");
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_PENDING);
    zimu_batch_free(&b);
    free(clip);
    free(in);
    free(out);
}
END_TEST

/* zimu convert --chinese on a real file; a bad mode is a usage error
 * naming the modes. */
START_TEST(test_cli)
{
    const char *srt = "1\n00:00:01,000 --> 00:00:02,500\n我們今天来聊一聊头发护理\n\n"
                      "2\n00:00:03,000 --> 00:00:04,000\n软件和鼠标\n";
    char *in = tu_write_text(dir, "in.srt", srt);
    char *out = tu_path(dir, "out.srt"), *ass = tu_path(dir, "out.ass");
    char err[4096];
    const char *a1[] = {"convert", in, "-o", out, "--chinese", "s2twp", "-q", NULL};
    int st = tu_zimu(dir, a1, err, sizeof err);
    ck_assert_msg(st == 0, "exit %d: %s", st, err);
    char *text = slurp(out);
    ck_assert_str_eq(text, "1\n00:00:01,000 --> 00:00:02,500\n我們今天來聊一聊頭髮護理\n\n"
                           "2\n00:00:03,000 --> 00:00:04,000\n軟體和滑鼠\n\n");
    free(text);
    const char *a2[] = {"convert", in, "-o", ass, "--chinese", "t2s", "-q", NULL};
    st = tu_zimu(dir, a2, err, sizeof err);
    ck_assert_msg(st == 0, "exit %d: %s", st, err);
    text = slurp(ass);
    ck_assert_msg(strstr(text, "我们今天来") && strstr(text, "头发护理") &&
                  !strstr(text, "我們"), "%s", text);
    faces_are(text, SC, SC);
    free(text);
    const char *a3[] = {"convert", in, "-o", ass, "-y", "--chinese", "s2hk", "-q", NULL};
    st = tu_zimu(dir, a3, err, sizeof err);
    ck_assert_msg(st == 0, "exit %d: %s", st, err);
    text = slurp(ass);
    faces_are(text, HK, HK);
    free(text);
    const char *a4[] = {"convert", in, "-o", ass, "-y", "--chinese", "s2wt", NULL};
    st = tu_zimu(dir, a4, err, sizeof err);
    ck_assert_int_eq(st, 1);
    ck_assert_msg(strstr(err, "--chinese: Chinese conversion 's2wt' is not one of") &&
                  strstr(err, "did you mean"), "%s", err);
    free(in);
    free(out);
    free(ass);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("chinese");
    TCase *tc = tcase_create("convert");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_phrases);
    tcase_add_test(tc, test_mixed);
    tcase_add_test(tc, test_later_cues);
    tcase_add_test(tc, test_blocks_and_ass);
    tcase_add_test(tc, test_words);
    tcase_add_test(tc, test_bad_mode);
    tcase_add_test(tc, test_missing_data);
    tcase_add_test(tc, test_job_converts);
    tcase_add_test(tc, test_flash_cards);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("faces");
    tcase_add_unchecked_fixture(tf, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tf, setup, teardown);
    tcase_set_timeout(tf, 60);
    tcase_add_test(tf, test_detected_faces);
    tcase_add_test(tf, test_renderer);
    tcase_add_test(tf, test_subs_save_face);
    tcase_add_test(tf, test_comma_position);
    tcase_add_test(tf, test_preview_face);
    tcase_add_test(tf, test_batch_fingerprint);
    suite_add_tcase(s, tf);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
