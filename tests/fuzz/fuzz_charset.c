/* fuzz_charset.c - libFuzzer target: encoding detection and conversion to
 * UTF-8 (lib/base/charset.c), detected as for a caption file or a
 * manifest, or forced: an input starting with the bytes 0xFF 0x00 names
 * the encoding in its third byte (as in fuzz_subs.c).
 * What is checked: the output is well-formed UTF-8 without NUL; valid
 * UTF-8 input comes out unchanged; the output, encoded again in the
 * encoding used and decoded with it forced, comes out the same; every
 * message names the file (and the manifest's messages end with its own
 * hint).
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/charset/. */
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"

#define CHARSET_HINT "; save it as UTF-8"

/* out in enc (malloc'd, *n bytes), or NULL when iconv cannot write it. */
static char *charset_encode(const char *enc, const char *u, size_t un, size_t *n)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = un * 4 + 16;
    char *out = malloc(cap), *op = out, *in = (char *)u;
    size_t ileft = un, oleft = cap;
    if (!out || iconv(cd, &in, &ileft, &op, &oleft) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &op, &oleft) == (size_t)-1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    *n = cap - oleft;
    return out;
}

static void charset_one(const char *d, size_t size, const char *enc, const char *fixed)
{
    zimu_ctx c = {0};
    char *out = NULL;
    size_t n = 0;
    const char *used = NULL;
    int r = zimu__charset_decode(&c, "fuzz.srt", d, size, enc, fixed, &out, &n, &used);
    if (r < 0) {
        size_t ml = strlen(c.errmsg), hl = fixed ? strlen(fixed) : 0;
        if (out || n || strncmp(c.errmsg, "fuzz.srt:", 9) ||
            (r != ZIMU_ECHARSET && r != ZIMU_ENOMEM) ||
            (r == ZIMU_ECHARSET && !strstr(c.errmsg, "the file mixes two encodings") &&
             ((fixed && (ml < hl || strcmp(c.errmsg + ml - hl, fixed))) ||
              (!fixed && !strstr(c.errmsg, "--charenc")))))
            abort();
        return;
    }
    if (!out || !used || out[n] != 0 || memchr(out, 0, n) || zimu__utf8_check(out, n) != n)
        abort();
    const char *bom_enc = NULL;
    size_t bom = zimu__charset_bom((const unsigned char *)d, size, &bom_enc);
    if (!enc && !bom && !strcmp(used, "UTF-8")) {
        /* well-formed UTF-8: as it was, less trailing NULs */
        size_t keep = size;
        while (keep && !d[keep - 1])
            keep--;
        if (n != keep || memcmp(out, d, n))
            abort();
    }
    if (!enc && zimu__utf8_check(d, size) == size && !memchr(d, 0, size) &&
        strcmp(used, "UTF-8"))
        abort(); /* well-formed UTF-8 without a BOM or NUL is read as UTF-8 */
    /* encoded again in the encoding used, decoded with it forced (unless
     * it starts with U+FEFF, which would be read as a BOM) */
    size_t en;
    char *again = n >= 3 && !memcmp(out, "\xEF\xBB\xBF", 3) ? NULL
                                                             : charset_encode(used, out, n, &en);
    if (again) {
        char *out2 = NULL;
        size_t n2 = 0;
        zimu_ctx c2 = {0};
        /* UTF-16 and UTF-32 as "UTF-16"/"UTF-32" got a BOM from iconv */
        if (zimu__charset_decode(&c2, "fuzz.srt", again, en, used, fixed, &out2, &n2, NULL) < 0 ||
            n2 != n || memcmp(out2, out, n))
            abort();
        free(out2);
        free(again);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const enc[] = {"GB18030", "CP950", "UTF-16LE", "UTF-16BE",
                                      "UTF-8", "GBK", "BIG5", "ISO-8859-1"};
    const char *d = (const char *)data;
    if (size >= 3 && data[0] == 0xFF && data[1] == 0x00) {
        charset_one(d + 3, size - 3, enc[data[2] % 8], NULL);
        return 0;
    }
    charset_one(d, size, NULL, NULL);          /* a caption file */
    charset_one(d, size, NULL, CHARSET_HINT);  /* a manifest */
    const char *e = zimu__charset_detect(d, size);
    if (e != zimu__charset_detect(d, size))
        abort();
    return 0;
}
