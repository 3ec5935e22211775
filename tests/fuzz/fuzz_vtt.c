/* fuzz_vtt.c - libFuzzer target: the WebVTT parser, directly and through zimu__subs_parse.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/vtt/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_vtt(&c, "fuzz.vtt", d, size, &l);
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_VTT};
    r = zimu__subs_parse(&c, "fuzz.vtt", d, size, &o, &l);
    if (r == 0)
        for (size_t i = 0; i < l.n; i++)
            if (l.v[i].align < 0 || l.v[i].align > 9 || l.v[i].pos_x > 1 || l.v[i].pos_y > 1)
                abort();
    if (r == 0)
        check_rewrite(&l, ZIMU__SUBS_VTT);
    check_result(&c, r, &l, 1);
    return 0;
}
