/* check_libass.c - what zimu makes of the linked libass (lib/render/libass.c):
 * the version and Unicode-wrapping feature seen on this machine, and the
 * choice of who breaks lines for other libass versions. */
#include <check.h>
#include <string.h>

#include <ass/ass.h>

#include "libass.h"

START_TEST(test_this_libass)
{
    const zimu_libass_info *i = zimu__libass_info();
    ck_assert_int_eq(i->version, ass_library_version());
    ck_assert_ptr_eq(zimu__libass_info(), i); /* looked at once */
    char line[320];
    zimu__libass_describe(i, line, sizeof line);
    char ver[32];
    snprintf(ver, sizeof ver, "libass %d.%d.%d", (i->version >> 24) & 0xff,
             (i->version >> 16) & 0xff, (i->version >> 8) & 0xff);
    ck_assert_msg(strstr(line, ver) == line, "%s", line);
    /* Debian 12: 0.17.1 without libunibreak. */
    if (i->version >= 0x01700000 && i->version < 0x01800000) {
        ck_assert_int_eq(i->measured, 1);
        ck_assert_int_eq(i->wrap, ZIMU__WRAP_OWN);
    }
}
END_TEST

START_TEST(test_choice)
{
    int m = -1;
    ck_assert_int_eq(zimu__libass_wrap_choice(0x01701000, 0, &m), ZIMU__WRAP_OWN);
    ck_assert_int_eq(m, 1);
    ck_assert_int_eq(zimu__libass_wrap_choice(0x01702000, 1, &m), ZIMU__WRAP_OWN);
    ck_assert_int_eq(m, 1);
    ck_assert_int_eq(zimu__libass_wrap_choice(0x01800000, 1, &m), ZIMU__WRAP_LIBASS_TOO);
    ck_assert_int_eq(m, 0);
    ck_assert_int_eq(zimu__libass_wrap_choice(0x01800000, 0, &m), ZIMU__WRAP_OWN);
    ck_assert_int_eq(m, 0);
    ck_assert_int_eq(zimu__libass_wrap_choice(0x01600000, 1, &m), ZIMU__WRAP_LIBASS_TOO);
    ck_assert_int_eq(m, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("libass");
    TCase *tc = tcase_create("libass");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_this_libass);
    tcase_add_test(tc, test_choice);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
