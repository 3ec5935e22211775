/* check_i18n.c - the library's messages follow the calling program's
 * locale: in a program that called setlocale(LC_ALL, "zh_CN.UTF-8") its
 * errors, warnings, error texts and the descriptions of its names are
 * Chinese (from the catalogue of the text domain "libzimu", which this
 * program, in build/tests/, finds in build/locale); in the C locale they
 * are the English the other suites expect. Public API only.
 *
 * Each test sets the locale it wants first (Check runs each in its own
 * process, but CK_FORK=no runs them in one). */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zimu.h"

/* A timestamp on line 6 that is not one. */
static const char BAD_SRT[] = "1\n00:00:01,000 --> 00:00:02,000\nx\n\n"
                              "2\n00:01:02,5x --> 00:01:03,000\ny\n";
/* Loose in two ways on line 2: a single-dash arrow and no hours. */
static const char LOOSE_SRT[] = "1\n00:01,000 -> 00:02,000\nx\n";

static void use_locale(const char *name)
{
    /* LANGUAGE would override a zh_CN locale's messages */
    unsetenv("LANGUAGE");
    ck_assert_msg(setlocale(LC_ALL, name) != NULL,
                  "locale %s is not available (make deps generates zh_CN.UTF-8)", name);
}

/* The error of loading BAD_SRT as sub.srt. */
static void bad_srt_error(char *msg, size_t size)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(zimu_subs_load_data(s, BAD_SRT, strlen(BAD_SRT), "sub.srt"), ZIMU_ESUBS);
    snprintf(msg, size, "%s", zimu_errmsg(s));
    zimu_subs_free(&s);
}

typedef struct {
    int n;
    int level;
    char msg[1024];
} log_seen;

static void log_cb(void *opaque, int level, const char *msg)
{
    log_seen *l = opaque;
    if (level != ZIMU_LOG_WARNING)
        return;
    l->n++;
    l->level = level;
    snprintf(l->msg, sizeof l->msg, "%s", msg);
}

/* The warning of loading LOOSE_SRT as sub.srt. */
static void loose_srt_warning(log_seen *l)
{
    memset(l, 0, sizeof *l);
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(zimu_subs_set_log(s, log_cb, l, ZIMU_LOG_WARNING), 0);
    ck_assert_int_eq(zimu_subs_load_data(s, LOOSE_SRT, strlen(LOOSE_SRT), "sub.srt"), 0);
    ck_assert_int_eq(zimu_subs_count(s), 1);
    zimu_subs_free(&s);
    ck_assert_int_eq(l->n, 1);
}

/* The description of name `name` of a kind. */
static const char *description(int kind, const char *name)
{
    int i = zimu_name_value(kind, name);
    ck_assert_int_ge(i, 0);
    if (kind == ZIMU_NAMES_FIT) { /* a constant, not an index */
        for (i = 0; zimu_name(kind, i) && strcmp(zimu_name(kind, i), name); i++)
            ;
    }
    const char *d = zimu_name_description(kind, i);
    ck_assert_ptr_nonnull(d);
    return d;
}

START_TEST(chinese_parse_error)
{
    use_locale("zh_CN.UTF-8");
    char msg[1024];
    bad_srt_error(msg, sizeof msg);
    ck_assert_str_eq(msg, "sub.srt:6: 时间“00:01:02,5x”无效");
}
END_TEST

START_TEST(chinese_strerror)
{
    use_locale("zh_CN.UTF-8");
    ck_assert_str_eq(zimu_strerror(ZIMU_ESUBS), "字幕文件无法解析");
    ck_assert_str_eq(zimu_strerror(ZIMU_EEXIST), "输出文件已存在");
    ck_assert_str_eq(zimu_strerror(-999), "未知错误");
}
END_TEST

START_TEST(chinese_warning)
{
    use_locale("zh_CN.UTF-8");
    log_seen l;
    loose_srt_warning(&l);
    /* the sentence and each of its pieces */
    ck_assert_str_eq(l.msg, "sub.srt:2: SubRip 格式不够规范（箭头不是“-->”、时间没有写小时）；"
                            "已按本意读取，之后同样的行不再提示");
}
END_TEST

START_TEST(chinese_descriptions)
{
    use_locale("zh_CN.UTF-8");
    ck_assert_str_eq(description(ZIMU_NAMES_SAFE_AREA, "douyin"),
                     "抖音：顶部是标签栏和搜索；底部是账号、文案和标签栏；"
                     "右侧是点赞/评论/分享按钮");
    ck_assert_str_eq(description(ZIMU_NAMES_STYLE, "classic"),
                     "白字深色描边，放在安全区底部（默认）");
    ck_assert_str_eq(description(ZIMU_NAMES_FIT, "pad"), "完整画面，加黑边");
    ck_assert_str_eq(description(ZIMU_NAMES_PRESET, "veryslow"), "最慢，文件最小");
    ck_assert_str_eq(description(ZIMU_NAMES_CHINESE, "t2s"), "繁体转简体");
    /* names stay what a user types */
    ck_assert_str_eq(zimu_name(ZIMU_NAMES_SAFE_AREA, 0), "douyin");
}
END_TEST

START_TEST(english_in_c_locale)
{
    use_locale("C");
    char msg[1024];
    bad_srt_error(msg, sizeof msg);
    ck_assert_str_eq(msg, "sub.srt:6: timestamp '00:01:02,5x' is not valid");
    ck_assert_str_eq(zimu_strerror(ZIMU_ESUBS), "subtitle file cannot be parsed");
    log_seen l;
    loose_srt_warning(&l);
    ck_assert_str_eq(l.msg, "sub.srt:2: loose SubRip (an arrow that is not '-->', a time "
                            "without hours); read as meant, and such lines after it are "
                            "not reported");
    ck_assert_str_eq(description(ZIMU_NAMES_FIT, "pad"), "whole picture, black bars");
    ck_assert_str_eq(description(ZIMU_NAMES_STYLE, "classic"),
                     "white text with a dark outline, bottom of the safe area (the default)");
}
END_TEST

/* The locale is read at each message, not once: a program may switch. */
START_TEST(switch_back_and_forth)
{
    use_locale("zh_CN.UTF-8");
    ck_assert_str_eq(zimu_strerror(ZIMU_ECANCEL), "已取消");
    use_locale("C");
    ck_assert_str_eq(zimu_strerror(ZIMU_ECANCEL), "cancelled");
    use_locale("zh_CN.UTF-8");
    char msg[1024];
    bad_srt_error(msg, sizeof msg);
    ck_assert_str_eq(msg, "sub.srt:6: 时间“00:01:02,5x”无效");
}
END_TEST

/* A program that does not call setlocale() is in the C locale whatever
 * LANG says: the library never calls setlocale() itself. */
START_TEST(no_setlocale_is_english)
{
    use_locale("C"); /* as at start (the test may share its process) */
    setenv("LANG", "zh_CN.UTF-8", 1);
    setenv("LC_ALL", "zh_CN.UTF-8", 1);
    ck_assert_str_eq(zimu_strerror(ZIMU_ESUBS), "subtitle file cannot be parsed");
    char msg[1024];
    bad_srt_error(msg, sizeof msg);
    ck_assert_str_eq(msg, "sub.srt:6: timestamp '00:01:02,5x' is not valid");
    ck_assert_str_eq(setlocale(LC_MESSAGES, NULL), "C");
}
END_TEST

static Suite *i18n_suite(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = tcase_create("chinese");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, chinese_parse_error);
    tcase_add_test(tc, chinese_strerror);
    tcase_add_test(tc, chinese_warning);
    tcase_add_test(tc, chinese_descriptions);
    suite_add_tcase(s, tc);
    tc = tcase_create("english");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, english_in_c_locale);
    tcase_add_test(tc, switch_back_and_forth);
    suite_add_tcase(s, tc);
    tc = tcase_create("no setlocale");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, no_setlocale_is_english);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(i18n_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
