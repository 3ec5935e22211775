/* fmt_txt.c - plain text: one caption per line, timed by reading speed.
 *
 * Each non-blank line is one caption (its spaces trimmed). A caption's
 * reading time is its character count (spaces excluded) over cps
 * characters a second, and at least ZIMU__TXT_MIN_MS. With a clip duration
 * the captions fill the clip back to back, each taking a share of it in
 * proportion to its reading time (a warning is logged when that is faster
 * than cps); without one they follow each other at reading speed from 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"

#define ZIMU__TXT_MIN_MS 1000

typedef struct txt_line {
    size_t off, len;
    double read_ms;
} txt_line;

/* Characters (code points) that are not spaces. */
static size_t chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xC0) == 0x80 || ch == ' ' || ch == '\t')
            continue;
        /* U+3000 ideographic space, U+00A0 */
        if (ch == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x80)
            continue;
        if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
            continue;
        k++;
    }
    return k;
}

int zimu__parse_txt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, double cps, int64_t clip_ms, zimu_cues *out)
{
    if (zimu__subs_check_nul(c, name, data, size) < 0)
        return ZIMU_ECHARSET;
    if (!(cps > 0) || !isfinite(cps))
        cps = ZIMU__TXT_DEFAULT_CPS;
    if (cps > 1000)
        return zimu__fail(c, ZIMU_EINVAL, "%s: reading speed %g characters a "
                          "second is not plausible", name, cps);
    if (clip_ms < 0)
        clip_ms = 0;
    if (clip_ms > (int64_t)1000 * 3600 * 24 * 365)
        clip_ms = (int64_t)1000 * 3600 * 24 * 365; /* keeps llround in range */
    txt_line *v = NULL;
    size_t nv = 0, cap = 0;
    double total = 0;
    size_t pos = 0;
    const char *l;
    size_t n;
    while (zimu__next_line(data, size, &pos, &l, &n)) {
        size_t b = 0, e = n;
        while (b < e && (l[b] == ' ' || l[b] == '\t'))
            b++;
        while (e > b && (l[e - 1] == ' ' || l[e - 1] == '\t'))
            e--;
        size_t k = chars(l + b, e - b);
        if (!k)
            continue;
        if (nv == cap) {
            size_t nc = cap ? cap * 2 : 64;
            txt_line *nvv = realloc(v, nc * sizeof *nvv);
            if (!nvv) {
                free(v);
                return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
            }
            v = nvv;
            cap = nc;
        }
        double ms = k * 1000.0 / cps;
        if (ms < ZIMU__TXT_MIN_MS)
            ms = ZIMU__TXT_MIN_MS;
        v[nv++] = (txt_line){(size_t)(l + b - data), e - b, ms};
        total += ms;
    }
    if (clip_ms > 0 && nv && total > clip_ms)
        zimu__log(c, ZIMU_LOG_WARNING,
                  "%s: the captions need %.1f s at %g characters a second; the "
                  "clip is %.1f s, so they go faster", name, total / 1000, cps,
                  clip_ms / 1000.0);
    double scale = clip_ms > 0 && total > 0 ? clip_ms / total : 1.0;
    double cum = 0;
    int r = 0;
    zimu_sbuf b = {0};
    size_t ln = 1, at = 0; /* the line of v[i], for messages */
    for (size_t i = 0; i < nv && r == 0; i++) {
        for (; at < v[i].off; at++)
            ln += data[at] == '\n';
        if (ZIMU__CANCEL_CHECK(c, i + 1)) {
            r = zimu__fail_cancel(c);
            break;
        }
        int64_t start = (int64_t)llround(cum * scale);
        cum += v[i].read_ms;
        int64_t end = (int64_t)llround(cum * scale);
        if (end <= start)
            continue; /* a clip far too short for this many lines */
        b.len = 0;
        zimu__sb_add_text(&b, data + v[i].off, v[i].len);
        zimu_cue *q = b.oom ? NULL : zimu__cues_add(out, start, end, b.s, b.len);
        if (!q)
            r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
        else
            q->line = ln;
    }
    zimu__sb_free(&b);
    free(v);
    return r;
}
