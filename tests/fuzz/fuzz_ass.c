/* fuzz_ass.c - libFuzzer target: the ASS/SSA checker and reader (header and
 * events), and the script written back reading the same.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/ass/. */
#include "ass_track.h"
#include "fuzz_check.h"
#include "parsers.h"
#include "sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_ass(&c, "fuzz.ass", d, size, &l);
    if (r == 0 && !l.ass_header)
        abort();
    if (r == 0) {
        /* Written back, the script reads as the same events. */
        zimu_sbuf b = {0};
        zimu_cues again = {0};
        if (zimu__ass_script_write(&c, &l, &b) < 0 ||
            zimu__parse_ass(&c, "fuzz.ass", b.s, b.len, &again) < 0 || again.n != l.n)
            abort();
        zimu__cues_clear(&again);
        zimu__sb_free(&b);
    }
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_ASS};
    r = zimu__subs_parse(&c, "fuzz.ass", d, size, &o, &l);
    if (r == 0 && !l.ass_header)
        abort();
    check_result(&c, r, &l, 1);
    return 0;
}
