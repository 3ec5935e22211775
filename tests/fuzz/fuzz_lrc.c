/* fuzz_lrc.c - libFuzzer target: the LRC parser, with and without a clip duration.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/lrc/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_lrc(&c, "fuzz.lrc", d, size, 0, &l);
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_LRC, .clip_ms = 30000};
    r = zimu__subs_parse(&c, "fuzz.lrc", d, size, &o, &l);
    if (r == 0)
        check_rewrite(&l, ZIMU__SUBS_LRC);
    check_result(&c, r, &l, 1);
    return 0;
}
