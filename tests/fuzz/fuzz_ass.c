/* fuzz_ass.c - libFuzzer target: the ASS/SSA checker and zimu__ass_to_cues.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/ass/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_ass(&c, "fuzz.ass", d, size, &l);
    int ok = r == 0;
    check_result(&c, r, &l, 0);
    r = zimu__ass_to_cues(&c, "fuzz.ass", d, size, &l);
    if ((r == 0) != ok) /* both walk the same checks */
        abort();
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_ASS};
    r = zimu__subs_parse(&c, "fuzz.ass", d, size, &o, &l);
    if (r == 0 && (!l.ass_script || l.n))
        abort();
    check_result(&c, r, &l, 1);
    return 0;
}
