/* check_txt.c - plain text: one caption per line, timed by reading speed
 * and spread over the clip. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"
#include "subs.h"

static int parse(const char *name, const char *in, size_t len,
                 const zimu_subs_opts *o, zimu_ctx *c, zimu_cues *out)
{
    char *buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memset(c, 0, sizeof *c);
    memset(out, 0, sizeof *out);
    int r = zimu__subs_parse(c, name, buf, len, o, out);
    free(buf);
    return r;
}

#define MAXC 5

typedef struct {
    const char *what, *in;
    double cps;
    int64_t clip_ms;
    int n;
    struct {
        int64_t start, end;
        const char *text;
    } cue[MAXC];
} ok_case;

static const ok_case OK[] = {
    /* 4 characters a second by default: 8 Han characters = 2 s, 4 = 1 s */
    {"reading speed, no clip", "大家好欢迎收看\n节目开始\n", 0, 0,
     2, {{0, 1750, "大家好欢迎收看"}, {1750, 2750, "节目开始"}}},
    {"spread over the clip in proportion", "一二三四五六七八\n一二三四\n", 0, 6000,
     2, {{0, 4000, "一二三四五六七八"}, {4000, 6000, "一二三四"}}},
    {"faster than reading: still fills the clip", "一二三四五六七八\n一二三四五六七八\n", 0, 2000,
     2, {{0, 1000, "一二三四五六七八"}, {1000, 2000, "一二三四五六七八"}}},
    {"configured speed", "abcdefghij\nabcde\n", 10, 0,
     2, {{0, 1000, "abcdefghij"}, {1000, 2000, "abcde"}}},
    {"short lines last at least a second", "好\n对\n", 0, 0,
     2, {{0, 1000, "好"}, {1000, 2000, "对"}}},
    {"blank lines skipped, spaces trimmed, not counted", "\n  一 二 三 四  \n\n\t\n\xE3\x80\x80\n五六七八\n", 0, 0,
     2, {{0, 1000, "一 二 三 四"}, {1000, 2000, "五六七八"}}},
    {"braces fullwidth, markup kept as text", "{a} <i>b</i>\n", 100, 0,
     1, {{0, 1000, "\xEF\xBD\x9B" "a\xEF\xBD\x9D <i>b</i>"}}},
    {"CRLF and CR", "一二三四\r\n五六七八\r九十一二", 0, 3000,
     3, {{0, 1000, "一二三四"}, {1000, 2000, "五六七八"}, {2000, 3000, "九十一二"}}},
    {"empty", "", 0, 5000, 0, {{0}}},
};

START_TEST(test_ok)
{
    const ok_case *t = &OK[_i];
    zimu_ctx c;
    zimu_cues l;
    zimu_subs_opts o = {.cps = t->cps, .clip_ms = t->clip_ms};
    int r = parse("words.txt", t->in, strlen(t->in), &o, &c, &l);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    ck_assert_msg((int)l.n == t->n, "%s: %zu cues, want %d", t->what, l.n, t->n);
    for (int i = 0; i < t->n; i++) {
        const zimu_cue *q = &l.v[i];
        ck_assert_msg(q->start_ms == t->cue[i].start && q->end_ms == t->cue[i].end,
                      "%s: cue %d at %lld-%lld, want %lld-%lld", t->what, i,
                      (long long)q->start_ms, (long long)q->end_ms,
                      (long long)t->cue[i].start, (long long)t->cue[i].end);
        ck_assert_msg(!strcmp(q->text, t->cue[i].text), "%s: cue %d '%s'", t->what, i,
                      q->text);
    }
    zimu__cues_clear(&l);
}
END_TEST

/* Many lines over a clip: back to back, no gaps, last ends at the clip's
 * end exactly, no drift. */
START_TEST(test_fill_exactly)
{
    zimu_sbuf b = {0};
    for (int i = 0; i < 37; i++)
        zimu__sb_printf(&b, "%.*s\n", (i % 7 + 1) * 4 * 3, /* 4..28 characters */ "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
    zimu_ctx c;
    zimu_cues l;
    zimu_subs_opts o = {.clip_ms = 59999};
    ck_assert_int_eq(parse("x.txt", b.s, b.len, &o, &c, &l), 0);
    ck_assert_uint_eq(l.n, 37);
    ck_assert_int_eq(l.v[0].start_ms, 0);
    for (size_t i = 1; i < l.n; i++)
        ck_assert_int_eq(l.v[i].start_ms, l.v[i - 1].end_ms);
    ck_assert_int_eq(l.v[36].end_ms, 59999);
    /* a 28-character line shows 7 times as long as a 4-character one */
    double r = (double)(l.v[6].end_ms - l.v[6].start_ms) / (l.v[7].end_ms - l.v[7].start_ms);
    ck_assert_msg(r > 6.9 && r < 7.1, "ratio %g", r);
    zimu__cues_clear(&l);
    zimu__sb_free(&b);
}
END_TEST

/* Plain text is only taken as such by its name (or a forced format). */
START_TEST(test_name)
{
    const char *in = "第一行\n第二行\n";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("clip.TXT", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 2);
    zimu__cues_clear(&l);
    ck_assert_int_eq(parse("clip", in, strlen(in), NULL, &c, &l), ZIMU_ESUBS);
    ck_assert_msg(!strncmp(c.errmsg, "clip:1: not a caption format zimu reads", 39), "%s", c.errmsg);
    zimu_subs_opts o = {.format = ZIMU__SUBS_TXT};
    ck_assert_int_eq(parse("clip", in, strlen(in), &o, &c, &l), 0);
    ck_assert_uint_eq(l.n, 2);
    zimu__cues_clear(&l);
    ck_assert_int_eq(parse("clip", "", 0, NULL, &c, &l), ZIMU_ESUBS);
    ck_assert_str_eq(c.errmsg, "clip:1: the file is empty");
}
END_TEST

START_TEST(test_bad_cps)
{
    zimu_ctx c = {0};
    zimu_cues l = {0};
    ck_assert_int_eq(zimu__parse_txt(&c, "x.txt", "a", 1, 5000, 0, &l), ZIMU_EINVAL);
    ck_assert_str_eq(c.errmsg, "x.txt: reading speed 5000 characters a second is not plausible");
    /* negative or NaN speed: the default */
    ck_assert_int_eq(zimu__parse_txt(&c, "x.txt", "一二三四五六七八", 24, -3, 0, &l), 0);
    ck_assert_int_eq(l.v[0].end_ms, 2000);
    zimu__cues_clear(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("txt");
    TCase *tc = tcase_create("txt");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, test_ok, 0, sizeof OK / sizeof OK[0]);
    tcase_add_test(tc, test_fill_exactly);
    tcase_add_test(tc, test_name);
    tcase_add_test(tc, test_bad_cps);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
