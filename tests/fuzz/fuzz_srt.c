/* fuzz_srt.c - libFuzzer target: the SubRip parser, directly and through zimu__subs_parse.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/srt/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_srt(&c, "fuzz.srt", d, size, &l);
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_SRT};
    r = zimu__subs_parse(&c, "fuzz.srt", d, size, &o, &l);
    if (r == 0)
        check_rewrite(&l, ZIMU__SUBS_SRT);
    check_result(&c, r, &l, 1);
    return 0;
}
