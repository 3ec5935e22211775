/* fuzz_manifest.c - libFuzzer target: the batch manifest (CSV as Excel and
 * WPS save it, in any of the encodings they use), read as `zimu batch`
 * reads it (zimu__manifest_parse, the bytes of zimu__manifest_read); the
 * rows it keeps, written back as plain RFC 4180 CSV in UTF-8, read as the
 * same rows.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/manifest/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "manifest.h"
#include "sbuf.h"

/* A folder that does not exist: subs are not looked up on disk. */
#define MANIFEST_PATH "/nonexistent-zimu-fuzz/m.csv"

typedef struct manifest_seen {
    int n_bad, last_row;
} manifest_seen;

static void manifest_on_bad(void *opaque, int row, const char *msg)
{
    manifest_seen *s = opaque;
    char want[64];
    snprintf(want, sizeof want, "%s:%d: ", MANIFEST_PATH, row);
    if (row <= s->last_row || strncmp(msg, want, strlen(want)) || !msg[strlen(want)])
        abort(); /* rows in order, each message names the file and the row */
    s->last_row = row;
    s->n_bad++;
}

static void manifest_quote(zimu_sbuf *b, const char *s)
{
    zimu__sb_addc(b, '"');
    for (; s && *s; s++) {
        if (*s == '"')
            zimu__sb_addc(b, '"');
        zimu__sb_addc(b, *s);
    }
    zimu__sb_addc(b, '"');
}

static void manifest_time(zimu_sbuf *b, int64_t ms)
{
    if (ms >= 0)
        zimu__sb_printf(b, "%lld:%02d:%02d.%03d", (long long)(ms / 3600000),
                        (int)(ms / 60000 % 60), (int)(ms / 1000 % 60), (int)(ms % 1000));
}

static int manifest_str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static void manifest_check_rows(const zimu_manifest *m, const manifest_seen *seen)
{
    int last = 0;
    for (size_t i = 0; i < m->n; i++) {
        const zimu_manifest_row *w = &m->v[i];
        if (w->row <= last || w->row < 2 || !w->clip || zimu__path_problem(w->clip) ||
            (w->subs && w->text) || (w->subs && zimu__path_problem(w->subs)) ||
            (w->output && zimu__path_problem(w->output)) || w->from_ms < -1 ||
            w->to_ms < -1 || (w->from_ms >= 0 && w->to_ms >= 0 && w->from_ms >= w->to_ms))
            abort();
        last = w->row;
        const char *f[] = {w->clip, w->subs, w->text, w->style, w->title, w->output};
        for (size_t k = 0; k < 6; k++)
            if (f[k] && (!*f[k] || zimu__utf8_check(f[k], strlen(f[k])) != strlen(f[k])))
                abort();
    }
    (void)seen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zimu_ctx c = {0};
    manifest_seen seen = {0};
    zimu_manifest m;
    int r = zimu__manifest_parse(&c, MANIFEST_PATH, (const char *)data, size, manifest_on_bad,
                                 &seen, &m);
    if (r < 0) {
        if (m.n || m.v || strncmp(c.errmsg, MANIFEST_PATH, strlen(MANIFEST_PATH)) ||
            (r != ZIMU_EINVAL && r != ZIMU_ECHARSET && r != ZIMU_ENOMEM))
            abort();
        return 0;
    }
    manifest_check_rows(&m, &seen);

    /* written back, read back: the same rows */
    zimu_sbuf b = {0};
    zimu__sb_adds(&b, "clip,subs,text,style,title,from,to,output\r\n");
    for (size_t i = 0; i < m.n; i++) {
        const zimu_manifest_row *w = &m.v[i];
        const char *f[] = {w->clip, w->subs, w->text, w->style, w->title};
        for (size_t k = 0; k < 5; k++) {
            manifest_quote(&b, f[k]);
            zimu__sb_addc(&b, ',');
        }
        manifest_time(&b, w->from_ms);
        zimu__sb_addc(&b, ',');
        manifest_time(&b, w->to_ms);
        zimu__sb_addc(&b, ',');
        manifest_quote(&b, w->output);
        zimu__sb_adds(&b, "\r\n");
    }
    manifest_seen seen2 = {0};
    zimu_manifest m2;
    if (zimu__manifest_parse(&c, MANIFEST_PATH, b.s, b.len, manifest_on_bad, &seen2, &m2) < 0 ||
        seen2.n_bad || m2.n != m.n)
        abort();
    for (size_t i = 0; i < m.n; i++) {
        const zimu_manifest_row *x = &m.v[i], *y = &m2.v[i];
        if (y->row != (int)i + 2 || !manifest_str_eq(x->clip, y->clip) ||
            !manifest_str_eq(x->subs, y->subs) || !manifest_str_eq(x->text, y->text) ||
            !manifest_str_eq(x->style, y->style) || !manifest_str_eq(x->title, y->title) ||
            !manifest_str_eq(x->output, y->output) || x->from_ms != y->from_ms ||
            x->to_ms != y->to_ms)
            abort();
    }
    zimu__manifest_free(&m2);
    zimu__sb_free(&b);
    zimu__manifest_free(&m);
    return 0;
}
