/* check_lrc.c - LRC lyrics: time tags, several tags a line, offset,
 * metadata, enhanced word times, where each line ends, broken files. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"
#include "subs.h"

#define MAXC 6
#define MAXW 5

typedef struct {
    int64_t start, end;
    const char *word;
} want_word;

typedef struct {
    int64_t start, end;
    const char *text;
    want_word w[MAXW];
} want_cue;

typedef struct {
    const char *what;
    const char *in;
    int64_t clip_ms;
    int n;
    want_cue cue[MAXC];
} ok_case;

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

static const ok_case OK[] = {
    {"basic, last line +5 s",
     "[00:01.00]第一句\n[00:03.50]第二句\n[00:07.25]last\n", 0,
     3, {{1000, 3500, "第一句", {{0}}}, {3500, 7250, "第二句", {{0}}}, {7250, 12250, "last", {{0}}}}},
    {"milliseconds, no fraction, colon fraction",
     "[00:01.500]a\n[00:02]b\n[00:03:25]c\n[01:00.1]d\n", 0,
     4, {{1500, 2000, "a", {{0}}}, {2000, 3250, "b", {{0}}}, {3250, 60100, "c", {{0}}}, {60100, 65100, "d", {{0}}}}},
    {"metadata ignored",
     "[ti:歌名]\n[ar:歌手]\n[al:专辑]\n[by:someone]\n[length: 03:20]\n[re:tool]\n[ve:1.0]\n[#:comment]\n[00:01.00]x\n", 0,
     1, {{1000, 6000, "x", {{0}}}}},
    {"several time tags on one line (chorus)",
     "[00:01.00]verse\n[00:02.00][00:06.00]chorus\n[00:04.00]verse 2\n[00:08.00]end\n", 0,
     5, {{1000, 2000, "verse", {{0}}}, {2000, 4000, "chorus", {{0}}}, {4000, 6000, "verse 2", {{0}}},
         {6000, 8000, "chorus", {{0}}}, {8000, 13000, "end", {{0}}}}},
    {"spaces between tags",
     "[00:01.00] [00:03.00]  both  \n", 0,
     2, {{1000, 3000, "both", {{0}}}, {3000, 8000, "both", {{0}}}}},
    {"positive offset: earlier",
     "[offset:+500]\n[00:01.00]a\n[00:02.00]b\n", 0,
     2, {{500, 1500, "a", {{0}}}, {1500, 6500, "b", {{0}}}}},
    {"negative offset, given after the lines: later",
     "[00:01.00]a\n[00:02.00]b\n[offset:-250]\n", 0,
     2, {{1250, 2250, "a", {{0}}}, {2250, 7250, "b", {{0}}}}},
    {"offset before zero clamps",
     "[offset:2000]\n[00:01.00]a\n[00:05.00]b\n", 0,
     2, {{0, 3000, "a", {{0}}}, {3000, 8000, "b", {{0}}}}},
    {"empty timed line ends the one before",
     "[00:01.00]a\n[00:02.00]\n[00:05.00]b\n", 0,
     2, {{1000, 2000, "a", {{0}}}, {5000, 10000, "b", {{0}}}}},
    {"last line ends at the clip's end",
     "[00:01.00]a\n[00:02.00]b\n", 30000,
     2, {{1000, 2000, "a", {{0}}}, {2000, 30000, "b", {{0}}}}},
    {"clip ends before the last line: +5 s",
     "[00:01.00]a\n[00:40.00]b\n", 30000,
     2, {{1000, 40000, "a", {{0}}}, {40000, 45000, "b", {{0}}}}},
    {"enhanced word times",
     "[00:01.00]<00:01.00>今天 <00:01.50>天气 <00:02.20>很好<00:03.00>\n[00:04.00]next\n", 0,
     2, {{1000, 4000, "今天 天气 很好", {{1000, 1500, "今天"}, {1500, 2200, "天气"}, {2200, 3000, "很好"}}},
         {4000, 9000, "next", {{0}}}}},
    {"enhanced words: last word runs to the line's end",
     "[00:10.00]<00:10.00>one <00:10.40>two\n[00:12.00]x\n", 0,
     2, {{10000, 12000, "one two", {{10000, 10400, "one"}, {10400, 12000, "two"}}}, {12000, 17000, "x", {{0}}}}},
    {"enhanced words shift with a repeated line and the offset",
     "[offset:100]\n[00:01.00][00:11.00]<00:01.00>la <00:01.50>la\n[00:05.00]x\n[00:15.00]y\n", 0,
     4, {{900, 4900, "la la", {{900, 1400, "la"}, {1400, 4900, "la"}}},
         {4900, 10900, "x", {{0}}},
         {10900, 14900, "la la", {{10900, 11400, "la"}, {11400, 14900, "la"}}},
         {14900, 19900, "y", {{0}}}}},
    {"word tag after trailing spaces (found by fuzzing)",
     "[00:01.00]<00:01.00>ab <00:01.50>  \n", 0,
     1, {{1000, 6000, "ab", {{1000, 1500, "ab"}}}}},
    {"spaces after an opening word tag (found by fuzzing: convert wrote them)",
     "[00:01.00]<00:01.00> 你好 <00:01.50>社区\n[00:03.00]<00:03.00>  \n", 0,
     1, {{1000, 3000, "你好 社区", {{1000, 1500, "你好"}, {1500, 3000, "社区"}}}}},
    {"braces fullwidth, brackets in text",
     "[00:01.00]{x} [chorus]\n[00:02.00][y] z\n", 0,
     2, {{1000, 2000, "\xEF\xBD\x9Bx\xEF\xBD\x9D [chorus]", {{0}}}, {2000, 7000, "[y] z", {{0}}}}},
    {"CRLF, BOM, blank lines",
     "\xEF\xBB\xBF[ar:x]\r\n\r\n[00:01.00]a\r\n\r\n[00:02.00]b\r\n", 0,
     2, {{1000, 2000, "a", {{0}}}, {2000, 7000, "b", {{0}}}}},
    {"unsorted lines sorted", "[00:05.00]b\n[00:01.00]a\n", 0,
     2, {{1000, 5000, "a", {{0}}}, {5000, 10000, "b", {{0}}}}},
    {"three-digit minutes", "[100:00.00]late\n", 0, 1, {{6000000, 6005000, "late", {{0}}}}},
};

START_TEST(test_ok)
{
    const ok_case *t = &OK[_i];
    zimu_ctx c;
    zimu_cues l;
    zimu_subs_opts o = {.clip_ms = t->clip_ms};
    int r = parse("song.lrc", t->in, strlen(t->in), &o, &c, &l);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    ck_assert_msg((int)l.n == t->n, "%s: %zu cues, want %d", t->what, l.n, t->n);
    for (int i = 0; i < t->n; i++) {
        const zimu_cue *q = &l.v[i];
        const want_cue *w = &t->cue[i];
        ck_assert_msg(q->start_ms == w->start && q->end_ms == w->end,
                      "%s: cue %d at %lld-%lld, want %lld-%lld", t->what, i,
                      (long long)q->start_ms, (long long)q->end_ms,
                      (long long)w->start, (long long)w->end);
        ck_assert_msg(!strcmp(q->text, w->text), "%s: cue %d text '%s', want '%s'",
                      t->what, i, q->text, w->text);
        size_t nw = 0;
        while (nw < MAXW && w->w[nw].word)
            nw++;
        ck_assert_msg(q->n_words == nw, "%s: cue %d has %zu words, want %zu",
                      t->what, i, q->n_words, nw);
        for (size_t k = 0; k < nw; k++) {
            const zimu_word *qw = &q->words[k];
            ck_assert_uint_le(qw->off + qw->len, strlen(q->text));
            ck_assert_msg(qw->len == strlen(w->w[k].word) &&
                              !memcmp(q->text + qw->off, w->w[k].word, qw->len),
                          "%s: cue %d word %zu '%.*s', want '%s'", t->what, i, k,
                          (int)qw->len, q->text + qw->off, w->w[k].word);
            ck_assert_msg(qw->start_ms == w->w[k].start && qw->end_ms == w->w[k].end,
                          "%s: cue %d word %zu at %lld-%lld", t->what, i, k,
                          (long long)qw->start_ms, (long long)qw->end_ms);
        }
    }
    zimu__cues_clear(&l);
}
END_TEST

typedef struct {
    const char *what, *in, *msg;
} bad_case;

static const bad_case BAD[] = {
    {"line without a tag", "[00:01.00]a\nplain words\n",
     "song.lrc:2: line does not start with a time tag '[mm:ss.xx]'"},
    {"bad seconds", "[00:01.00]a\n\n[00:7x.00]b\n",
     "song.lrc:3: time tag '[00:7x.00]' is not valid"},
    {"seconds over 59", "[00:60.00]a\n", "song.lrc:1: time tag '[00:60.00]' is not valid"},
    {"one-digit seconds", "[00:1.00]a\n", "song.lrc:1: time tag '[00:1.00]' is not valid"},
    {"unclosed tag", "[ar:x]\n[00:01.00\n", "song.lrc:2: tag '[00:01.00' has no ']'"},
    {"not a tag", "[00:01.00]a\n[hello]\n", "song.lrc:2: tag '[hello]' is not valid"},
    {"bad offset", "[offset:soon]\n[00:01.00]a\n",
     "song.lrc:1: offset 'soon' is not a number of milliseconds"},
    {"bad word time", "[00:01.00]<00:01.00>a <00:0x.50>b\n",
     "song.lrc:1: word time '<00:0x.50>' is not valid"},
    {"CR line ends", "[00:01.00]a\r[00:02.00]b\r[00:03.00]c\rd\r",
     "song.lrc:4: line does not start with a time tag '[mm:ss.xx]'"},
};

START_TEST(test_bad)
{
    const bad_case *t = &BAD[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse("song.lrc", t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == ZIMU_ESUBS, "%s: %d (%s)", t->what, r, c.errmsg);
    ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: '%s', want '%s'", t->what,
                  c.errmsg, t->msg);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(test_detect)
{
    const char *a = "[ti:x]\n[ar:y]\n[00:01.00]a\n";
    ck_assert_int_eq(zimu__subs_detect("x.txt", a, strlen(a)), ZIMU__SUBS_LRC);
    ck_assert_int_eq(zimu__subs_detect(NULL, a, strlen(a)), ZIMU__SUBS_LRC);
    const char *b = "[00:01.00]a\n[00:02.00]b\n";
    ck_assert_int_eq(zimu__subs_detect(NULL, b, strlen(b)), ZIMU__SUBS_LRC);
    /* an ASS script starts with a bracket too */
    const char *s = "[Script Info]\nScriptType: v4.00+\n";
    ck_assert_int_eq(zimu__subs_detect("x.lrc", s, strlen(s)), ZIMU__SUBS_ASS);
    /* metadata only: the name decides */
    const char *m = "[ti:x]\n";
    ck_assert_int_eq(zimu__subs_detect("x.lrc", m, strlen(m)), ZIMU__SUBS_LRC);
    ck_assert_int_eq(zimu__subs_detect("x", m, strlen(m)), ZIMU__SUBS_AUTO);
}
END_TEST

/* The last line's end: the clip's end when later, else +5 s (direct call). */
START_TEST(test_direct_last_ms)
{
    zimu_ctx c = {0};
    zimu_cues l = {0};
    const char *in = "[00:01.00]a";
    ck_assert_int_eq(zimu__parse_lrc(&c, "x", in, strlen(in), 2500, &l), 0);
    ck_assert_int_eq(l.v[0].end_ms, 2500);
    zimu__cues_clear(&l);
    ck_assert_int_eq(zimu__parse_lrc(&c, "x", in, strlen(in), 500, &l), 0);
    ck_assert_int_eq(l.v[0].end_ms, 1000 + ZIMU__LRC_LAST_MS);
    zimu__cues_clear(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lrc");
    TCase *tc = tcase_create("lrc");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, test_ok, 0, sizeof OK / sizeof OK[0]);
    tcase_add_loop_test(tc, test_bad, 0, sizeof BAD / sizeof BAD[0]);
    tcase_add_test(tc, test_detect);
    tcase_add_test(tc, test_direct_last_ms);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
