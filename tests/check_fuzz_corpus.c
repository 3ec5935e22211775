/* check_fuzz_corpus.c - replay the committed fuzz corpus (tests/fuzz/corpus/
 * <target>/) through the fuzz targets themselves, so `make test` runs every
 * seed (and every crash reproducer added to the corpus) under the targets'
 * own checks without clang; and hold the seeds to what their names say:
 * "bad_*" seeds must be refused (most with "file:LINE: ..."), the others
 * must be read (expect_* below).
 *
 * Run from the top of the tree (as `make test` does); ZIMU_FUZZ_CORPUS
 * names another corpus directory. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capopts.h"
#include "charset.h"
#include "cuetext.h"
#include "flash.h"
#include "manifest.h"
#include "parsers.h"
#include "style.h"
#include "subs.h"

/* The fuzz targets, each under its own name (their checks are shared, in
 * fuzz/fuzz_check.h). */
#define LLVMFuzzerTestOneInput fuzz_one_srt
#include "fuzz/fuzz_srt.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_ass
#include "fuzz/fuzz_ass.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_vtt
#include "fuzz/fuzz_vtt.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_lrc
#include "fuzz/fuzz_lrc.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_whisper
#include "fuzz/fuzz_whisper.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_txt
#include "fuzz/fuzz_txt.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_subs
#include "fuzz/fuzz_subs.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_flash
#include "fuzz/fuzz_flash.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_style
#include "fuzz/fuzz_style.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_manifest
#include "fuzz/fuzz_manifest.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_charset
#include "fuzz/fuzz_charset.c"
#undef LLVMFuzzerTestOneInput

typedef struct target target;
typedef void (*file_fn)(const target *t, const char *file, const char *data,
                        size_t size);

struct target {
    const char *dir;
    int (*one)(const uint8_t *, size_t);
    int format;    /* captions: forced on the named parse; 0: detect */
    file_fn check; /* what a seed's name says of it (expect_* below) */
};

static void expect_captions(const target *t, const char *file, const char *data, size_t size);
static void expect_flash(const target *t, const char *file, const char *data, size_t size);
static void expect_style(const target *t, const char *file, const char *data, size_t size);
static void expect_manifest(const target *t, const char *file, const char *data, size_t size);
static void expect_charset(const target *t, const char *file, const char *data, size_t size);

static const target TARGETS[] = {
    {"srt", fuzz_one_srt, ZIMU__SUBS_SRT, expect_captions},
    {"ass", fuzz_one_ass, ZIMU__SUBS_ASS, expect_captions},
    {"vtt", fuzz_one_vtt, ZIMU__SUBS_VTT, expect_captions},
    {"lrc", fuzz_one_lrc, ZIMU__SUBS_LRC, expect_captions},
    {"whisper", fuzz_one_whisper, ZIMU__SUBS_WHISPER, expect_captions},
    {"txt", fuzz_one_txt, ZIMU__SUBS_TXT, expect_captions},
    {"subs", fuzz_one_subs, ZIMU__SUBS_AUTO, expect_captions},
    {"flash", fuzz_one_flash, 0, expect_flash},
    {"style", fuzz_one_style, 0, expect_style},
    {"manifest", fuzz_one_manifest, 0, expect_manifest},
    {"charset", fuzz_one_charset, 0, expect_charset},
};

static const char *corpus_root(void)
{
    const char *e = getenv("ZIMU_FUZZ_CORPUS");
    return e && *e ? e : "tests/fuzz/corpus";
}

/* Call fn on every file of t's corpus directory; the count. */
static int each_file(const target *t, file_fn fn)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", corpus_root(), t->dir);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "corpus directory %s is missing (run from the top "
                  "of the tree or set ZIMU_FUZZ_CORPUS)", dir);
    /* sorted, so failures repeat in the same order */
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *x = names[j];
            names[j] = names[j - 1];
            names[j - 1] = x;
        }
    for (size_t i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        zimu_ctx c = {0};
        char *data;
        size_t size;
        ck_assert_msg(zimu__read_file(&c, path, 0, ZIMU_ESUBS, NULL, &data, &size) == 0, "%s", c.errmsg);
        /* an exact-size copy: nothing after the last byte */
        char *exact = malloc(size ? size : 1);
        memcpy(exact, data, size);
        free(data);
        fn(t, names[i], exact, size);
        free(exact);
        free(names[i]);
    }
    free(names);
    return (int)n;
}

static void replay(const target *t, const char *file, const char *data, size_t size)
{
    (void)file;
    t->one((const uint8_t *)data, size); /* aborts (a failed test) on a broken rule */
}

START_TEST(test_replay)
{
    const target *t = &TARGETS[_i];
    int n = each_file(t, replay);
    ck_assert_msg(n >= 4, "corpus %s has %d seeds, want at least 4", t->dir, n);
}
END_TEST

/* "file:LINE: reason" (line: a line number must follow), or "file: reason". */
static int names_file(const char *msg, const char *file, int line)
{
    size_t fl = strlen(file);
    if (strncmp(msg, file, fl) || msg[fl] != ':')
        return 0;
    if (!line)
        return 1;
    return msg[fl + 1] >= '1' && msg[fl + 1] <= '9' && strstr(msg + fl + 1, ": ") != NULL;
}

static int is_bad(const char *file)
{
    return !strncmp(file, "bad_", 4);
}

static int is_raw(const char *file)
{
    size_t fl = strlen(file);
    return fl > 4 && !strcmp(file + fl - 4, ".bin");
}

static void expect_captions(const target *t, const char *file, const char *data, size_t size)
{
    if (is_raw(file))
        return; /* raw fuzzer input, not a file a user would have */
    zimu_ctx c = {0};
    zimu_cues l = {0};
    zimu_subs_opts o = {.format = t->format};
    int r = zimu__subs_parse(&c, file, data, size, &o, &l);
    if (is_bad(file)) {
        ck_assert_msg(r == ZIMU_ESUBS || r == ZIMU_ECHARSET, "%s/%s: returned %d",
                      t->dir, file, r);
        ck_assert_msg(names_file(c.errmsg, file, 1), "%s/%s: message '%s'", t->dir, file,
                      c.errmsg);
    } else {
        ck_assert_msg(r == 0, "%s/%s: %d %s", t->dir, file, r, c.errmsg);
        ck_assert_msg(l.n > 0 || l.ass_header, "%s/%s: no captions", t->dir, file);
    }
    zimu__cues_clear(&l);
}

/* bad_*: the script does not parse, or cannot be timed without music. */
static void expect_flash(const target *t, const char *file, const char *data, size_t size)
{
    zimu_ctx c = {0};
    zimu_flash_script *s = NULL;
    int r = zimu__flash_parse(&c, file, NULL, data, size, &s);
    int line = r < 0;
    if (r == 0)
        r = zimu__flash_schedule(&c, s, NULL, 0, NULL, 0, 0, 0);
    if (is_bad(file)) {
        ck_assert_msg(r == ZIMU_ESUBS, "%s/%s: returned %d", t->dir, file, r);
        ck_assert_msg(names_file(c.errmsg, file, line && !strstr(c.errmsg, "no cards")),
                      "%s/%s: message '%s'", t->dir, file, c.errmsg);
    } else {
        ck_assert_msg(r == 0, "%s/%s: %d %s", t->dir, file, r, c.errmsg);
        ck_assert_int_gt(zimu__flash_length_ms(s), 0);
    }
    zimu__flash_free(&s);
}

/* A style file, then NUL and a settings string. bad_*: one is refused. */
static void expect_style(const target *t, const char *file, const char *data, size_t size)
{
    zimu_ctx c = {0};
    zimu_style st;
    ck_assert_int_eq(zimu__style_preset("classic", &st), 0);
    const char *nul = memchr(data, 0, size);
    size_t fs = nul ? (size_t)(nul - data) : size;
    int r = zimu__style_parse(&c, file, data, fs, &st);
    int in_file = r < 0;
    if (r == 0 && nul) {
        char *set = strndup(nul + 1, size - fs - 1);
        zimu_capopts cap;
        zimu__capopts_init(&cap);
        r = zimu__cap_set_style_options(&c, &cap, set);
        if (r == 0)
            r = zimu__style_resolve(&c, &cap, NULL, &st);
        zimu__capopts_clear(&cap);
        free(set);
    }
    if (is_bad(file)) {
        ck_assert_msg(r == ZIMU_ESTYLE || r == ZIMU_EINVAL, "%s/%s: returned %d", t->dir,
                      file, r);
        if (in_file)
            ck_assert_msg(names_file(c.errmsg, file, 1), "%s/%s: message '%s'", t->dir,
                          file, c.errmsg);
    } else {
        ck_assert_msg(r == 0, "%s/%s: %d %s", t->dir, file, r, c.errmsg);
    }
}

static void count_bad(void *opaque, int row, const char *msg)
{
    (void)row;
    (void)msg;
    (*(int *)opaque)++;
}

/* bad_*: the read fails naming the file, or rows are reported. */
static void expect_manifest(const target *t, const char *file, const char *data, size_t size)
{
    zimu_ctx c = {0};
    zimu_manifest m;
    int n_bad = 0;
    int r = zimu__manifest_parse(&c, file, data, size, count_bad, &n_bad, &m);
    if (is_bad(file)) {
        ck_assert_msg(r < 0 || n_bad > 0, "%s/%s: read with no bad row", t->dir, file);
        if (r < 0)
            ck_assert_msg(names_file(c.errmsg, file, 0), "%s/%s: message '%s'", t->dir,
                          file, c.errmsg);
    } else {
        ck_assert_msg(r == 0 && n_bad == 0, "%s/%s: %d (%d bad rows) %s", t->dir, file, r,
                      n_bad, c.errmsg);
        ck_assert_msg(m.n > 0, "%s/%s: no rows", t->dir, file);
    }
    zimu__manifest_free(&m);
}

/* bad_*: not decoded, "file:LINE: ..."; the others decode. */
static void expect_charset(const target *t, const char *file, const char *data, size_t size)
{
    if (is_raw(file))
        return;
    zimu_ctx c = {0};
    char *u = NULL;
    size_t n;
    int r = zimu__charset_to_utf8(&c, file, data, size, NULL, &u, &n, NULL);
    if (is_bad(file)) {
        ck_assert_msg(r == ZIMU_ECHARSET, "%s/%s: returned %d", t->dir, file, r);
        ck_assert_msg(names_file(c.errmsg, file, 1), "%s/%s: message '%s'", t->dir, file,
                      c.errmsg);
    } else {
        ck_assert_msg(r == 0 && n > 0, "%s/%s: %d %s", t->dir, file, r, c.errmsg);
    }
    free(u);
}

START_TEST(test_expect)
{
    each_file(&TARGETS[_i], TARGETS[_i].check);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fuzz_corpus");
    TCase *tc = tcase_create("fuzz_corpus");
    tcase_set_timeout(tc, 60);
    int nt = (int)(sizeof TARGETS / sizeof TARGETS[0]);
    tcase_add_loop_test(tc, test_replay, 0, nt);
    tcase_add_loop_test(tc, test_expect, 0, nt);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
