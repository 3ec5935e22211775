/* merge.c - the shards' reports (zimu-report.K-of-N.json in one output
 * folder) merged into one report of the whole folder, as one machine's
 * batch would have written it (report.c). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "batch.h"
#include "sbuf.h"

typedef struct shard_file {
    int k, n;
    char name[64];
} shard_file;

typedef struct merged {
    zimu_batch_clip c;
    int shard, pos;     /* which report, and where in it */
} merged;

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_merged(const void *pa, const void *pb)
{
    const merged *a = pa, *b = pb;
    int r = cmp_str(a->c.rel, b->c.rel);
    if (!r)
        r = cmp_str(a->c.out_rel, b->c.out_rel);
    if (!r)
        r = a->shard != b->shard ? (a->shard < b->shard ? -1 : 1) : a->pos - b->pos;
    return r;
}

static int cmp_shard(const void *pa, const void *pb)
{
    const shard_file *a = pa, *b = pb;
    return a->n != b->n ? (a->n < b->n ? -1 : 1) : a->k - b->k;
}

/* "zimu-report.K-of-N.json" with K and N written as zimu writes them. */
static int shard_name(const char *name, shard_file *f)
{
    int k, n, len = 0;
    if (sscanf(name, "zimu-report.%d-of-%d.json%n", &k, &n, &len) != 2 ||
        (size_t)len != strlen(name))
        return 0;
    snprintf(f->name, sizeof f->name, "zimu-report.%d-of-%d.json", k, n);
    if (strcmp(f->name, name))
        return 0;
    f->k = k;
    f->n = n;
    return 1;
}

static char *str_of(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return strdup(json_object_get_string(v));
}

static double num_of(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) ||
        !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
        return 0;
    return json_object_get_double(v);
}

static void clip_free(zimu_batch_clip *c)
{
    free(c->rel);
    free(c->caps);
    free(c->note);
    free(c->out_rel);
    free(c->out);
    free(c->error);
}

/* Read one shard's report into *v (growing it). 0 or an error in b. */
static int read_report(zimu_batch *b, const shard_file *f, int which, merged **v, size_t *n,
                       size_t *cap, char **in_dir)
{
    size_t pl = strlen(b->out_dir) + strlen(f->name) + 2;
    char *path = malloc(pl);
    if (!path)
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    snprintf(path, pl, "%s/%s", b->out_dir, f->name);
    json_object *root = json_object_from_file(path), *clips = NULL, *kv = NULL, *nv = NULL;
    int r = 0;
    if (!root || !json_object_object_get_ex(root, "clips", &clips) ||
        !json_object_is_type(clips, json_type_array)) {
        r = zimu__fail_file(&b->ctx, ZIMU_EINVAL, path, "%s: not a zimu batch report%s", path,
                            root ? "" : zimu__tr(" (not JSON)"));
        goto out;
    }
    if (!json_object_object_get_ex(root, "shard", &kv) ||
        !json_object_object_get_ex(root, "shards", &nv) || json_object_get_int(kv) != f->k ||
        json_object_get_int(nv) != f->n) {
        r = zimu__fail_file(&b->ctx, ZIMU_EINVAL, path,
                            "%s: its content is not the report of shard %d of %d", path, f->k,
                            f->n);
        goto out;
    }
    if (!*in_dir)
        *in_dir = str_of(root, "input_dir");
    size_t len = json_object_array_length(clips);
    for (size_t i = 0; i < len; i++) {
        json_object *e = json_object_array_get_idx(clips, i), *sv;
        const char *st = json_object_object_get_ex(e, "status", &sv)
                             ? json_object_get_string(sv) : NULL;
        int status = -1;
        for (int s = 0; st && s <= ZIMU_BATCH_UNCHANGED; s++)
            if (!strcmp(st, zimu_batch_status_name(s)))
                status = s;
        merged m = {.shard = which, .pos = (int)i};
        m.c.rel = str_of(e, "input");
        if (status < 0 || !m.c.rel) {
            free(m.c.rel);
            r = zimu__fail_file(&b->ctx, ZIMU_EINVAL, path,
                                "%s: clip %zu has no %s", path, i + 1,
                                status < 0 ? zimu__tr("status zimu knows") : "input");
            goto out;
        }
        m.c.status = status;
        m.c.code = status == ZIMU_BATCH_FAILED || status == ZIMU_BATCH_CANCELLED ? ZIMU_EBATCH
                                                                                 : 0;
        m.c.caps = str_of(e, "captions");
        m.c.out_rel = str_of(e, "output");
        m.c.error = str_of(e, "error");
        m.c.note = str_of(e, "note");
        if (!m.c.note)
            m.c.note = strdup("");
        char *fp = str_of(e, "fingerprint");
        if (fp)
            snprintf(m.c.fp, sizeof m.c.fp, "%s", fp);
        free(fp);
        m.c.duration_ms = (int64_t)llround(num_of(e, "duration") * 1000.0);
        m.c.seconds = num_of(e, "seconds");
        if (m.c.out_rel) {
            size_t ol = strlen(b->out_dir) + strlen(m.c.out_rel) + 2;
            if ((m.c.out = malloc(ol)))
                snprintf(m.c.out, ol, "%s/%s", b->out_dir, m.c.out_rel);
        }
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            merged *nv2 = realloc(*v, nc * sizeof *nv2);
            if (!nv2) {
                clip_free(&m.c);
                r = zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
                goto out;
            }
            *v = nv2;
            *cap = nc;
        }
        (*v)[(*n)++] = m;
        if (!m.c.note || (m.c.out_rel && !m.c.out)) {
            r = zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
            goto out;
        }
    }
out:
    json_object_put(root);
    free(path);
    return r;
}

/* The shard reports in the output folder, by N then K. 0 or an error. */
static int list_reports(zimu_batch *b, shard_file **out, int *count)
{
    DIR *d = opendir(b->out_dir);
    if (!d)
        return zimu__fail_file(&b->ctx, ZIMU_ENOENT, b->out_dir,
                               "%s: cannot read the folder: %s", b->out_dir, strerror(errno));
    shard_file *v = NULL;
    int n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        shard_file f;
        if (!shard_name(de->d_name, &f))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            shard_file *nv = realloc(v, (size_t)cap * sizeof *nv);
            if (!nv) {
                closedir(d);
                free(v);
                return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
            }
            v = nv;
        }
        v[n++] = f;
    }
    closedir(d);
    if (n > 1) /* v is NULL when there is none */
        qsort(v, (size_t)n, sizeof *v, cmp_shard);
    *out = v;
    *count = n;
    return 0;
}

/* The reports are of one N, each K from 1 to N there. 0 or an error. */
static int check_set(zimu_batch *b, const shard_file *f, int n)
{
    if (!n)
        return zimu__fail_file(&b->ctx, ZIMU_ENOENT, b->out_dir,
                               "%s: no shard reports (zimu-report.K-of-N.json) to merge; "
                               "run the shards (--shard K/N) into it first", b->out_dir);
    if (f[0].n != f[n - 1].n)
        return zimu__fail_file(&b->ctx, ZIMU_EINVAL, b->out_dir,
                               "%s: reports of %d shards (%s) and of %d shards (%s) are "
                               "there; remove those of the split no longer used",
                               b->out_dir, f[0].n, f[0].name, f[n - 1].n, f[n - 1].name);
    int N = f[0].n;
    for (int i = 0; i < n; i++)
        if (f[i].k < 1 || f[i].k > N)
            return zimu__fail_file(&b->ctx, ZIMU_EINVAL, b->out_dir,
                                   "%s: %s names no shard of %d", b->out_dir, f[i].name, N);
    zimu_sbuf miss = {0};
    int missing = 0, i = 0;
    for (int k = 1; k <= N; k++) {
        while (i < n && f[i].k < k)
            i++;
        if (i < n && f[i].k == k)
            continue;
        if (missing < 20)
            zimu__sb_printf(&miss, "%s%d", missing ? ", " : "", k);
        else if (missing == 20)
            zimu__sb_adds(&miss, ", ...");
        missing++;
    }
    if (missing) {
        int r = missing > 1
                    ? zimu__fail_file(&b->ctx, ZIMU_ENOENT, b->out_dir,
                                      "%s: %d of %d shards have no report: shards %s (no "
                                      "zimu-report.K-of-%d.json); run them (--shard K/%d), "
                                      "then merge again",
                                      b->out_dir, missing, N, miss.s ? miss.s : "", N, N)
                    : zimu__fail_file(&b->ctx, ZIMU_ENOENT, b->out_dir,
                                      "%s: %d of %d shards have no report: shard %s (no "
                                      "zimu-report.K-of-%d.json); run it (--shard K/%d), "
                                      "then merge again",
                                      b->out_dir, missing, N, miss.s ? miss.s : "", N, N);
        zimu__sb_free(&miss);
        return r;
    }
    return 0;
}

int zimu_batch_merge_reports(zimu_batch *b)
{
    if (!b)
        return ZIMU_EINVAL;
    if (b->ctx.magic != ZIMU__MAGIC_BATCH)
        return ZIMU_EBADHANDLE;
    zimu__clear(&b->ctx);
    if (!b->out_dir)
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "no output folder set");
    shard_file *files = NULL;
    int nf = 0;
    int r = list_reports(b, &files, &nf);
    if (r < 0 || (r = check_set(b, files, nf)) < 0) {
        free(files);
        return r;
    }
    merged *v = NULL;
    size_t n = 0, cap = 0;
    char *in_dir = NULL;
    for (int i = 0; i < nf && !r; i++)
        r = read_report(b, &files[i], i, &v, &n, &cap, &in_dir);
    if (!r && n > (size_t)1 << 30)
        r = zimu__fail(&b->ctx, ZIMU_EINVAL, "%s: too many clips", b->out_dir);
    if (!r) {
        if (n > 1) /* the array may be NULL when empty */
            qsort(v, n, sizeof *v, cmp_merged);
        /* one entry in two reports: the same input and output */
        for (size_t i = 1; i < n && !r; i++) {
            const merged *p = &v[i - 1], *q = &v[i];
            if (p->shard == q->shard || cmp_str(p->c.rel, q->c.rel) ||
                cmp_str(p->c.out_rel, q->c.out_rel))
                continue;
            r = zimu__fail_file(&b->ctx, ZIMU_EINVAL, b->out_dir,
                                "%s: %s (output %s) is in two shard reports, %s and %s: the "
                                "shards did not split one folder the same way (another "
                                "zimu version?); run them again", b->out_dir, q->c.rel,
                                q->c.out_rel ? q->c.out_rel : "none", files[p->shard].name,
                                files[q->shard].name);
        }
    }
    if (r) {
        for (size_t i = 0; i < n; i++)
            clip_free(&v[i].c);
        free(v);
        free(files);
        free(in_dir);
        return r;
    }
    /* the merged list is the batch's results now */
    zimu__batch_jobs_free(b);
    zimu__batch_clips_free(b);
    b->clips = malloc((n ? n : 1) * sizeof *b->clips);
    if (!b->clips) {
        for (size_t i = 0; i < n; i++)
            clip_free(&v[i].c);
        free(v);
        free(files);
        free(in_dir);
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    }
    int failed = 0, unfinished = 0;
    for (size_t i = 0; i < n; i++) {
        b->clips[i] = v[i].c;
        failed += v[i].c.status == ZIMU_BATCH_FAILED;
        unfinished += v[i].c.status == ZIMU_BATCH_CANCELLED ||
                      v[i].c.status == ZIMU_BATCH_PENDING;
    }
    b->n = (int)n;
    free(v);
    free(files);
    /* written as one batch over the whole folder would write it */
    char *own_in = b->in_dir;
    int k = b->shard_k, N = b->shard_n;
    if (!own_in)
        b->in_dir = in_dir;
    b->shard_k = b->shard_n = 0;
    r = zimu__batch_report(b);
    b->in_dir = own_in;
    b->shard_k = k;
    b->shard_n = N;
    free(in_dir);
    if (r < 0)
        return r;
    if (failed || unfinished)
        return zimu__fail(&b->ctx, ZIMU_EBATCH, "%d of %d clips failed, %d not finished "
                          "(cancelled)", failed, b->n, unfinished);
    return 0;
}
