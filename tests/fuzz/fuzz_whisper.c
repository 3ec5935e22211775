/* fuzz_whisper.c - libFuzzer target: the whisper.cpp JSON parser.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/whisper/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_whisper(&c, "fuzz.json", d, size, &l);
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_WHISPER};
    r = zimu__subs_parse(&c, "fuzz.json", d, size, &o, &l);
    check_result(&c, r, &l, 1);
    return 0;
}
