/* fuzz_txt.c - libFuzzer target: plain text timing; the first byte picks the speed and clip length.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/txt/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    double cps = size ? (data[0] % 16) : 0;        /* 0: the default */
    int64_t clip = size > 1 ? (int64_t)data[1] * 997 : 0; /* 0: none */
    r = zimu__parse_txt(&c, "fuzz.txt", d, size, cps, clip, &l);
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_TXT, .cps = cps, .clip_ms = clip};
    r = zimu__subs_parse(&c, "fuzz.txt", d, size, &o, &l);
    check_result(&c, r, &l, 1);
    return 0;
}
