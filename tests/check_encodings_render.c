/* check_encodings_render.c - the same captions saved in UTF-8 (with and
 * without BOM), UTF-16 LE/BE with BOM, GB18030 and Big5 give the very same
 * captioned frame as the UTF-8 file: the bytes are decoded, not guessed at
 * and garbled. Frames come from zimu_job_preview on one small clip. */
#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_clip.h"
#include "zimu.h"

static char *dir, *clip;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 30;
    o.audio = 0;
    clip = tu_path(dir, "in.mp4");
    ck_assert_msg(tu_make_clip(clip, &o) == 0, "%s", tu_err());
}

static void teardown(void)
{
    free(clip);
    tu_test_dir_done(dir);
    dir = NULL;
}

/* Simplified text for the GB family, traditional for Big5 (Big5 has no
 * simplified characters). Numbers, Latin and full-width punctuation too. */
static const char SIMPLIFIED[] =
    "1\r\n00:00:00,000 --> 00:00:01,000\r\n"
    "社区讲堂：《民法典》继承篇 2024\r\n没有遗嘱，怎么办？\r\n";
static const char TRADITIONAL[] =
    "1\r\n00:00:00,000 --> 00:00:01,000\r\n"
    "社區講堂：《民法典》繼承篇 2024\r\n沒有遺囑，怎麼辦？\r\n";

/* Write text converted to enc (with bom prepended) as name. */
static char *write_enc(const char *name, const char *text, const char *enc,
                       const char *bom, size_t bom_len)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    size_t in_left = strlen(text), out_size = in_left * 4 + 16, out_left = out_size;
    char *out = malloc(out_size + bom_len), *o = out + bom_len;
    memcpy(out, bom, bom_len);
    char *in = (char *)text;
    ck_assert(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
    iconv_close(cd);
    char *path = tu_path(dir, name);
    ck_assert_int_eq(tu_write_file(path, out, bom_len + out_size - out_left), 0);
    free(out);
    return path;
}

/* The preview PNG's pixels for captions from subs. */
static uint8_t *frame_of(const char *subs, const char *png, int *w, int *h)
{
    zimu_job *job = zimu_job_new();
    char *out = tu_path(dir, png);
    zimu_job_set_input(job, clip);
    zimu_job_set_subtitles(job, subs);
    int r = zimu_job_preview(job, 500, out);
    ck_assert_msg(r == 0, "%s: %s", subs, zimu_job_errmsg(job));
    zimu_job_free(&job);
    uint8_t *rgb;
    ck_assert_msg(tu_read_image_rgb(out, w, h, &rgb) == 0, "%s", tu_err());
    free(out);
    return rgb;
}

static void same_frame(const char *text, const char *enc, const char *bom,
                       size_t bom_len)
{
    char *ref = tu_path(dir, "ref.srt");
    ck_assert_int_eq(tu_write_file(ref, text, strlen(text)), 0);
    char *other = write_enc("other.srt", text, enc, bom, bom_len);
    int w1, h1, w2, h2;
    uint8_t *a = frame_of(ref, "a.png", &w1, &h1);
    uint8_t *b = frame_of(other, "b.png", &w2, &h2);
    ck_assert_int_eq(w1, w2);
    ck_assert_int_eq(h1, h2);
    ck_assert_msg(memcmp(a, b, (size_t)w1 * h1 * 3) == 0,
                  "%s: the frame differs from the UTF-8 file's", enc);
    /* and the caption is really there: the frame is not the bare clip */
    char *none = tu_path(dir, "none.srt");
    ck_assert_int_eq(tu_write_file(none, "", 0), 0);
    int w3, h3;
    uint8_t *c = frame_of(none, "c.png", &w3, &h3);
    ck_assert_msg(memcmp(a, c, (size_t)w1 * h1 * 3) != 0, "no caption drawn");
    free(a);
    free(b);
    free(c);
    free(ref);
    free(other);
    free(none);
}

START_TEST(utf8_bom) { same_frame(SIMPLIFIED, "UTF-8", "\xEF\xBB\xBF", 3); }
END_TEST
START_TEST(utf16le_bom) { same_frame(SIMPLIFIED, "UTF-16LE", "\xFF\xFE", 2); }
END_TEST
START_TEST(utf16be_bom) { same_frame(SIMPLIFIED, "UTF-16BE", "\xFE\xFF", 2); }
END_TEST
START_TEST(gb18030) { same_frame(SIMPLIFIED, "GB18030", "", 0); }
END_TEST
START_TEST(gbk) { same_frame(SIMPLIFIED, "GBK", "", 0); }
END_TEST
START_TEST(big5) { same_frame(TRADITIONAL, "BIG5", "", 0); }
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("encodings_render");
    TCase *tc = tcase_create("same frame");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, utf8_bom);
    tcase_add_test(tc, utf16le_bom);
    tcase_add_test(tc, utf16be_bom);
    tcase_add_test(tc, gb18030);
    tcase_add_test(tc, gbk);
    tcase_add_test(tc, big5);
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
