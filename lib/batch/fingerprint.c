/* fingerprint.c - what lets a batch resume: for each output, a record in
 * OUTDIR/.zimu/<output name>.fp of the inputs it was made from (a SHA-256
 * of zimu's version, the clip, the caption source, and every setting that
 * changes the output) and of the output itself (and its length, for the
 * page), so a rerun can tell an
 * output that is complete and up to date, an output of its own to make
 * again, and someone else's file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "digest.h"
#include "job.h"
#include "tmpfile.h"

#define RECORD_HEAD "zimu-batch-fingerprint 1\n"

char *zimu__batch_record_rel(const zimu_batch_clip *c)
{
    size_t n = strlen(c->out_rel) + 16;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, ".zimu/%s.fp", c->out_rel);
    return p;
}

static char *in_path(const zimu_batch *b, const char *rel)
{
    size_t n = strlen(b->in_dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", b->in_dir, rel);
    return p;
}

int zimu__batch_inputs_fp(const zimu_batch *b, const zimu_batch_clip *c, const zimu_job *job,
                          char hex[65])
{
    zimu_digest *d = zimu__digest_new();
    char *clip = in_path(b, c->rel);
    const char *caps = c->caps_path;
    if (!d || !clip) {
        zimu__digest_free(&d);
        free(clip);
        return ZIMU_ENOMEM;
    }
    zimu__digest_str(d, "zimu", zimu_version());
    zimu__digest_file(d, "clip", clip, 1);
    zimu__digest_int(d, "flash", c->caps_flash);
    if (caps)
        zimu__digest_file(d, "captions", caps, 0);
    else
        zimu__digest_str(d, "captions", NULL);
    /* a manifest row's text; its style, title and part are the job's */
    zimu__digest_str(d, "text", c->text);
    zimu__job_settings_digest(job, d);
    zimu__digest_hex(d, hex);
    free(clip);
    return 0;
}

int zimu__batch_output_fp(const char *path, char hex[65])
{
    zimu_digest *d = zimu__digest_new();
    if (!d)
        return ZIMU_ENOMEM;
    int r = zimu__digest_file(d, "output", path, 0);
    zimu__digest_hex(d, hex);
    return r < 0 ? ZIMU_ENOENT : 0;
}

static int read_hex(const char *s, const char *key, char out[65])
{
    size_t kl = strlen(key);
    if (strncmp(s, key, kl) || s[kl] != ' ')
        return -1;
    s += kl + 1;
    for (int i = 0; i < 64; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return -1;
        out[i] = s[i];
    }
    out[64] = 0;
    return s[64] == '\n' ? 0 : -1;
}

int zimu__batch_record_read(const zimu_batch *b, const zimu_batch_clip *c,
                            zimu_batch_record *r)
{
    memset(r, 0, sizeof *r);
    char *rel = zimu__batch_record_rel(c);
    if (!rel)
        return ZIMU_ENOMEM;
    size_t n = strlen(b->out_dir) + strlen(rel) + 2;
    char *path = malloc(n);
    if (!path) {
        free(rel);
        return ZIMU_ENOMEM;
    }
    snprintf(path, n, "%s/%s", b->out_dir, rel);
    free(rel);
    FILE *f = fopen(path, "re");
    free(path);
    if (!f)
        return 0;
    char buf[512];
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = 0;
    size_t hl = strlen(RECORD_HEAD);
    if (strncmp(buf, RECORD_HEAD, hl) || read_hex(buf + hl, "inputs", r->inputs) < 0)
        return 0; /* not ours, or damaged: as if none */
    const char *o = buf + hl + 7 + 65;
    if (!strcmp(o, "output pending\n")) {
        r->state = ZIMU__RECORD_PENDING;
    } else if (read_hex(o, "output", r->output) == 0) {
        r->state = ZIMU__RECORD_COMPLETE;
        /* written since 0.4; a record without it says nothing of it */
        long long ms;
        if (sscanf(o + 7 + 65, "duration %lld\n", &ms) == 1 && ms > 0)
            r->duration_ms = ms;
    }
    return 0;
}

int zimu__batch_record_write(zimu_batch *b, zimu_ctx *c, const zimu_batch_clip *clip,
                             const zimu_batch_record *r)
{
    char *rel = zimu__batch_record_rel(clip);
    if (!rel)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    size_t n = strlen(b->out_dir) + strlen(rel) + 2;
    char *path = malloc(n);
    if (!path) {
        free(rel);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    snprintf(path, n, "%s/%s", b->out_dir, rel);
    int ret;
    if (zimu__batch_mkdirs(b->out_dir, rel) < 0) {
        ret = zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: cannot make its folder: %s", path,
                              strerror(errno));
    } else {
        char text[256];
        int len = snprintf(text, sizeof text, RECORD_HEAD "inputs %s\noutput %s\n", r->inputs,
                           r->state == ZIMU__RECORD_PENDING ? "pending" : r->output);
        if (r->state == ZIMU__RECORD_COMPLETE && r->duration_ms > 0)
            len += snprintf(text + len, sizeof text - (size_t)len, "duration %lld\n",
                            (long long)r->duration_ms);
        ret = zimu__write_file_atomic(c, path, text, (size_t)len, 1);
    }
    free(rel);
    free(path);
    return ret;
}
