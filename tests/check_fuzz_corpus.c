/* check_fuzz_corpus.c - replay the committed fuzz corpus (tests/fuzz/corpus/
 * <fmt>/) through the fuzz targets themselves, so `make test` runs every
 * seed (and every crash reproducer added to the corpus) under the targets'
 * own checks without clang; and hold the seeds to what their names say:
 * "bad_*" seeds must fail with "file:LINE: ...", the others must parse.
 *
 * Run from the top of the tree (as `make test` does); ZIMU_FUZZ_CORPUS
 * names another corpus directory. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"
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

typedef struct {
    const char *dir;
    int (*one)(const uint8_t *, size_t);
    int format; /* forced on the named parse; 0: detect */
} target;

static const target TARGETS[] = {
    {"srt", fuzz_one_srt, ZIMU__SUBS_SRT},
    {"ass", fuzz_one_ass, ZIMU__SUBS_ASS},
    {"vtt", fuzz_one_vtt, ZIMU__SUBS_VTT},
    {"lrc", fuzz_one_lrc, ZIMU__SUBS_LRC},
    {"whisper", fuzz_one_whisper, ZIMU__SUBS_WHISPER},
    {"txt", fuzz_one_txt, ZIMU__SUBS_TXT},
    {"subs", fuzz_one_subs, ZIMU__SUBS_AUTO},
};

static const char *corpus_root(void)
{
    const char *e = getenv("ZIMU_FUZZ_CORPUS");
    return e && *e ? e : "tests/fuzz/corpus";
}

typedef void (*file_fn)(const target *t, const char *file, const char *data,
                        size_t size);

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

static void expect(const target *t, const char *file, const char *data, size_t size)
{
    size_t fl = strlen(file);
    if (fl > 4 && !strcmp(file + fl - 4, ".bin"))
        return; /* raw fuzzer input, not a file a user would have */
    zimu_ctx c = {0};
    zimu_cues l = {0};
    zimu_subs_opts o = {.format = t->format};
    int r = zimu__subs_parse(&c, file, data, size, &o, &l);
    if (!strncmp(file, "bad_", 4)) {
        ck_assert_msg(r == ZIMU_ESUBS || r == ZIMU_ECHARSET, "%s/%s: returned %d",
                      t->dir, file, r);
        /* "file:LINE: reason" */
        ck_assert_msg(!strncmp(c.errmsg, file, fl) && c.errmsg[fl] == ':' &&
                          c.errmsg[fl + 1] >= '1' && c.errmsg[fl + 1] <= '9' &&
                          strstr(c.errmsg + fl + 1, ": "),
                      "%s/%s: message '%s'", t->dir, file, c.errmsg);
    } else {
        ck_assert_msg(r == 0, "%s/%s: %d %s", t->dir, file, r, c.errmsg);
        ck_assert_msg(l.n > 0 || l.ass_header, "%s/%s: no captions", t->dir, file);
    }
    zimu__cues_clear(&l);
}

START_TEST(test_expect)
{
    each_file(&TARGETS[_i], expect);
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
