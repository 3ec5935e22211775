/* check_doctor.c - zimu_doctor and `zimu doctor`: what this machine has
 * (everything zimu needs: the Debian packages of the Makefile's DEB_PKGS
 * are installed here), and what they say when fonts are missing (a
 * fontconfig configuration with no font directory) or OpenCC's data is.
 *
 * The command runs as a subprocess: $ZIMU_BIN, or build/zimu from the
 * current directory (make test runs from the top of the tree). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include <zimu.h>

#include "chinese.h"

#define CJK_FILE "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define SERIF_FILE "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define N_ITEMS 15

static char tmp[64];
static char empty_conf[128];

static void setup(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/check_doctor.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    snprintf(empty_conf, sizeof empty_conf, "%s/empty.conf", tmp);
    FILE *f = fopen(empty_conf, "w");
    ck_assert_ptr_nonnull(f);
    /* no <dir>, no <include>: fontconfig finds no font at all */
    fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
            "<fontconfig>\n<cachedir>%s/cache</cachedir>\n</fontconfig>\n", tmp);
    fclose(f);
}

static void teardown(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    ck_assert_int_eq(system(cmd), 0);
}

/* The index of the item named key, failing the test when there is none. */
static int item(const zimu_doctor *d, const char *key)
{
    for (int i = 0; i < zimu_doctor_count(d); i++)
        if (!strcmp(zimu_doctor_text(d, i, ZIMU_DOCTOR_KEY), key))
            return i;
    ck_abort_msg("no doctor item '%s'", key);
    return -1;
}

static void assert_ok(const zimu_doctor *d, const char *key)
{
    int i = item(d, key);
    ck_assert_msg(zimu_doctor_status(d, i) == ZIMU_DOCTOR_OK, "%s: %s", key,
                  zimu_doctor_text(d, i, ZIMU_DOCTOR_FOUND));
    ck_assert_int_eq(zimu_doctor_error(d, i), 0);
    ck_assert_ptr_null(zimu_doctor_text(d, i, ZIMU_DOCTOR_FIX));
    ck_assert_ptr_null(zimu_doctor_text(d, i, ZIMU_DOCTOR_IMPACT));
}

static void assert_missing(const zimu_doctor *d, const char *key, int status, int error,
                           const char *fix)
{
    int i = item(d, key);
    ck_assert_int_eq(zimu_doctor_status(d, i), status);
    ck_assert_int_eq(zimu_doctor_error(d, i), error);
    const char *f = zimu_doctor_text(d, i, ZIMU_DOCTOR_FIX);
    ck_assert_msg(f && strstr(f, fix), "%s: fix '%s', not '%s'", key, f ? f : "(null)", fix);
    ck_assert_ptr_nonnull(zimu_doctor_text(d, i, ZIMU_DOCTOR_IMPACT));
}

START_TEST(test_all_found)
{
    zimu_doctor *d = zimu_doctor_new();
    ck_assert_int_eq(zimu_doctor_count(d), 0);
    ck_assert_int_eq(zimu_doctor_run(d), 0);
    ck_assert_int_eq(zimu_doctor_count(d), N_ITEMS);
    static const char *const needed[] = {"font-sc", "font-tc", "font-symbols", "libass",
                                         "libavformat", "libavcodec", "libavfilter",
                                         "libswscale", "libswresample", "libavutil",
                                         "libx264", "icu-zh-words", "opencc"};
    for (size_t k = 0; k < sizeof needed / sizeof *needed; k++)
        assert_ok(d, needed[k]);
    /* the faces libass is handed, in the file fonts-noto-cjk installs */
    ck_assert_str_eq(zimu_doctor_text(d, item(d, "font-sc"), ZIMU_DOCTOR_FOUND),
                     CJK_FILE " (face 2)");
    ck_assert_str_eq(zimu_doctor_text(d, item(d, "font-tc"), ZIMU_DOCTOR_FOUND),
                     CJK_FILE " (face 3)");
    ck_assert_ptr_nonnull(strstr(zimu_doctor_text(d, item(d, "font-symbols"),
                                                  ZIMU_DOCTOR_FOUND), "Symbola: /"));
    ck_assert_str_eq(zimu_doctor_text(d, item(d, "libass"), ZIMU_DOCTOR_FOUND), "0.17.1");
    ck_assert_ptr_nonnull(strstr(zimu_doctor_text(d, item(d, "libavcodec"), ZIMU_DOCTOR_FOUND),
                                 "59."));
    ck_assert_ptr_nonnull(strstr(zimu_doctor_text(d, item(d, "icu-zh-words"),
                                                  ZIMU_DOCTOR_FOUND), "中华|人民|共和国"));
    ck_assert_ptr_nonnull(strstr(zimu_doctor_text(d, item(d, "opencc"), ZIMU_DOCTOR_FOUND),
                                 "頭髮"));
    /* Debian 12's libass has no libunibreak: reported, not needed */
    int w = item(d, "libass-wrap-unicode");
    ck_assert_int_eq(zimu_doctor_status(d, w), ZIMU_DOCTOR_OPTIONAL_MISSING);
    ck_assert_int_eq(zimu_doctor_error(d, w), 0);
    /* whichever the locale is, it is never needed */
    ck_assert_int_ne(zimu_doctor_status(d, item(d, "locale-zh_CN")), ZIMU_DOCTOR_MISSING);
    /* out of range */
    ck_assert_int_eq(zimu_doctor_status(d, N_ITEMS), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_doctor_error(d, -1), ZIMU_EINVAL);
    ck_assert_ptr_null(zimu_doctor_text(d, 0, 5));
    ck_assert_ptr_null(zimu_doctor_text(d, N_ITEMS, ZIMU_DOCTOR_KEY));
    ck_assert_ptr_null(zimu_doctor_text(NULL, 0, ZIMU_DOCTOR_KEY));
    /* a second run gives the same items, not more */
    ck_assert_int_eq(zimu_doctor_run(d), 0);
    ck_assert_int_eq(zimu_doctor_count(d), N_ITEMS);
    zimu_doctor_free(&d);
    ck_assert_ptr_null(d);
    zimu_doctor_free(&d);
    zimu_doctor_free(NULL);
}
END_TEST

START_TEST(test_no_fonts)
{
    setenv("FONTCONFIG_FILE", empty_conf, 1);
    zimu_doctor *d = zimu_doctor_new();
    ck_assert_int_eq(zimu_doctor_run(d), 3);
    assert_missing(d, "font-sc", ZIMU_DOCTOR_MISSING, ZIMU_EFONT,
                   "sudo apt-get install fonts-noto-cjk");
    assert_missing(d, "font-tc", ZIMU_DOCTOR_MISSING, ZIMU_EFONT,
                   "sudo apt-get install fonts-noto-cjk");
    assert_missing(d, "font-symbols", ZIMU_DOCTOR_MISSING, ZIMU_EFONT,
                   "sudo apt-get install fonts-symbola");
    assert_ok(d, "libass");
    assert_ok(d, "libx264");

    /* the fonts directory a burn would be given: SC and TC are found there */
    char dir[128], link[192];
    snprintf(dir, sizeof dir, "%s/fonts", tmp);
    ck_assert_int_eq(zimu_doctor_set_fonts_dir(d, dir), 0);
    ck_assert_int_eq(zimu_doctor_run(d), ZIMU_EFONT);
    ck_assert_str_eq(zimu_errfile(d), dir);
    ck_assert_ptr_nonnull(strstr(zimu_errmsg(d), dir));
    ck_assert_int_eq(zimu_doctor_count(d), 0);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    /* a face that has the characters but is another family is not found:
     * Noto Serif CJK is what fontconfig falls back to for 中 here */
    snprintf(link, sizeof link, "%s/serif.ttc", dir);
    ck_assert_int_eq(symlink(SERIF_FILE, link), 0);
    ck_assert_int_eq(zimu_doctor_run(d), 3);
    assert_missing(d, "font-sc", ZIMU_DOCTOR_MISSING, ZIMU_EFONT, "fonts-noto-cjk");
    snprintf(link, sizeof link, "%s/cjk.ttc", dir);
    ck_assert_int_eq(symlink(CJK_FILE, link), 0);
    ck_assert_int_eq(zimu_doctor_run(d), 1);
    assert_ok(d, "font-sc");
    assert_ok(d, "font-tc");
    ck_assert_ptr_nonnull(strstr(zimu_doctor_text(d, item(d, "font-sc"), ZIMU_DOCTOR_FOUND),
                                 "/cjk.ttc (face 2)"));
    assert_missing(d, "font-symbols", ZIMU_DOCTOR_MISSING, ZIMU_EFONT, "fonts-symbola");
    zimu_doctor_free(&d);
    unsetenv("FONTCONFIG_FILE"); /* for CK_FORK=no */
}
END_TEST

/* OpenCC's data gone (its folder empty): optional, what to install */
START_TEST(test_no_opencc)
{
    zimu__chinese_set_data_dir(tmp);
    zimu_doctor *d = zimu_doctor_new();
    ck_assert_int_eq(zimu_doctor_run(d), 0);
    assert_missing(d, "opencc", ZIMU_DOCTOR_OPTIONAL_MISSING, 0,
                   "sudo apt-get install libopencc-data");
    ck_assert_ptr_nonnull(strstr(zimu_doctor_text(d, item(d, "opencc"), ZIMU_DOCTOR_FOUND),
                                 "s2t.json"));
    zimu_doctor_free(&d);
    zimu__chinese_set_data_dir(NULL);
}
END_TEST

/* ---- the command ------------------------------------------------------- */

/* Run `zimu doctor ARGS` with FONTCONFIG_FILE=conf (NULL: as it is);
 * stdout (malloc'd) returned, exit status in *status. */
static char *doctor(const char *conf, const char *args, int *status)
{
    const char *bin = getenv("ZIMU_BIN") ? getenv("ZIMU_BIN") : "build/zimu";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s%s '%s' doctor %s 2>%s/stderr.txt",
             conf ? "FONTCONFIG_FILE=" : "", conf ? conf : "", bin, args, tmp);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap);
    while ((k = fread(buf + n, 1, cap - 1 - n, p)) > 0)
        n += k;
    buf[n] = 0;
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

/* The line of out that starts with status and holds what. */
static const char *line_with(const char *out, const char *status, const char *what)
{
    for (const char *l = out; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        size_t len = strcspn(l, "\n");
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s", (int)len, l);
        if (!strncmp(buf, status, strlen(status)) && buf[strlen(status)] == ' ' &&
            strstr(buf, what))
            return l;
    }
    return NULL;
}

START_TEST(test_cli_text)
{
    int st;
    char *out = doctor(NULL, "", &st);
    ck_assert_msg(st == 0, "exit %d: %s", st, out);
    int lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++)
        lines++;
    ck_assert_int_eq(lines, N_ITEMS);
    ck_assert_msg(line_with(out, "ok", "font Noto Sans CJK SC: " CJK_FILE " (face 2)"), "%s", out);
    ck_assert_msg(line_with(out, "ok", "font Noto Sans CJK TC: " CJK_FILE " (face 3)"), "%s", out);
    ck_assert_msg(line_with(out, "ok", "H.264 encoder: libx264"), "%s", out);
    ck_assert_msg(line_with(out, "optional-missing", "ASS_FEATURE_WRAP_UNICODE"), "%s", out);
    free(out);

    out = doctor(empty_conf, "", &st);
    ck_assert_int_eq(st, 6);
    const char *sc = line_with(out, "missing", "font Noto Sans CJK SC: not found");
    ck_assert_msg(sc, "%s", out);
    ck_assert_ptr_nonnull(strstr(sc, "install: sudo apt-get install fonts-noto-cjk\n"));
    ck_assert_msg(line_with(out, "missing", "install: sudo apt-get install fonts-symbola"),
                  "%s", out);
    ck_assert_msg(line_with(out, "ok", "libx264"), "%s", out);
    free(out);

    out = doctor(empty_conf, "--fonts-dir /nonexistent-fonts", &st);
    ck_assert_int_eq(st, 6);
    ck_assert_str_eq(out, "");
    free(out);
    out = doctor(NULL, "--frobnicate", &st);
    ck_assert_int_eq(st, 1);
    free(out);
    out = doctor(NULL, "--fonts-dir", &st);
    ck_assert_int_eq(st, 1);
    free(out);
}
END_TEST

/* --json: one object, one object per item, the same exit status */
static json_object *json_item(json_object *items, const char *key)
{
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        json_object *o = json_object_array_get_idx(items, i), *k;
        if (json_object_object_get_ex(o, "key", &k) && !strcmp(json_object_get_string(k), key))
            return o;
    }
    ck_abort_msg("no item '%s'", key);
    return NULL;
}

static const char *field(json_object *o, const char *name)
{
    json_object *v;
    ck_assert_msg(json_object_object_get_ex(o, name, &v), "no field '%s'", name);
    return json_object_get_string(v); /* NULL for null */
}

START_TEST(test_cli_json)
{
    int st;
    char *out = doctor(NULL, "--json", &st);
    ck_assert_int_eq(st, 0);
    json_object *j = json_tokener_parse(out), *v, *items;
    ck_assert_msg(j, "not JSON: %s", out);
    ck_assert(json_object_object_get_ex(j, "ok", &v) && json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(j, "items", &items));
    ck_assert_int_eq(json_object_array_length(items), N_ITEMS);
    for (size_t i = 0; i < N_ITEMS; i++) {
        json_object *o = json_object_array_get_idx(items, i);
        ck_assert(json_object_is_type(o, json_type_object));
        ck_assert_ptr_nonnull(field(o, "key"));
        ck_assert_ptr_nonnull(field(o, "what"));
        ck_assert_ptr_nonnull(field(o, "found"));
        const char *s = field(o, "status");
        ck_assert(!strcmp(s, "ok") || !strcmp(s, "optional-missing"));
    }
    json_object *sc = json_item(items, "font-sc");
    ck_assert_str_eq(field(sc, "status"), "ok");
    ck_assert_str_eq(field(sc, "found"), CJK_FILE " (face 2)");
    ck_assert_ptr_null(field(sc, "fix"));
    json_object_put(j);
    free(out);

    out = doctor(empty_conf, "--json", &st);
    ck_assert_int_eq(st, 6);
    j = json_tokener_parse(out);
    ck_assert_msg(j, "not JSON: %s", out);
    ck_assert(json_object_object_get_ex(j, "ok", &v) && !json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(j, "missing", &v) && json_object_get_int(v) == 3);
    ck_assert(json_object_object_get_ex(j, "items", &items));
    sc = json_item(items, "font-sc");
    ck_assert_str_eq(field(sc, "status"), "missing");
    ck_assert_str_eq(field(sc, "fix"), "sudo apt-get install fonts-noto-cjk");
    ck_assert_ptr_nonnull(field(sc, "impact"));
    ck_assert_str_eq(field(json_item(items, "libx264"), "status"), "ok");
    json_object_put(j);
    free(out);
}
END_TEST

static Suite *doctor_suite(void)
{
    Suite *s = suite_create("doctor");
    TCase *tc = tcase_create("doctor");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_all_found);
    tcase_add_test(tc, test_no_fonts);
    tcase_add_test(tc, test_no_opencc);
    tcase_add_test(tc, test_cli_text);
    tcase_add_test(tc, test_cli_json);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(doctor_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
