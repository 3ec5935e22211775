/* fuzz_subs.c - libFuzzer target: zimu__subs_parse end to end: encoding detection and conversion, format detection, every parser. An input starting with byte 0xFF 0x00 names a forced encoding in its third byte.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/subs/. */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    static const char *const enc[] = {"GB18030", "CP950", "UTF-16LE", "UTF-16BE",
                                      "UTF-8", "GBK", "BIG5", "ISO-8859-1"};
    static const char *const names[] = {"fuzz", "fuzz.srt", "fuzz.txt", "fuzz.json",
                                        "fuzz.lrc", "fuzz.vtt", "fuzz.ass", "a.b/c"};
    zimu_subs_opts o = {0};
    const char *name = names[size % 8];
    if (size >= 3 && data[0] == 0xFF && data[1] == 0x00) {
        o.charenc = enc[data[2] % 8];
        d += 3;
        size -= 3;
    }
    r = zimu__subs_parse(&c, name, d, size, &o, &l);
    if (r < 0 && (l.n || l.v || l.ass_header))
        abort(); /* out is left empty */
    if (r < 0 && strncmp(c.errmsg, name, strlen(name)) != 0)
        abort(); /* every message names the file */
    check_result(&c, r, &l, 1);
    return 0;
}
