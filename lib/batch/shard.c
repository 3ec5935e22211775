/* shard.c - which share of a folder's clips a batch takes (--shard K/N),
 * so that N machines split one folder on shared storage without talking
 * to each other: each clip goes to the shard its path's hash names, so a
 * clip added or removed never moves another clip to another shard. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "digest.h"

int zimu_batch_set_shard(zimu_batch *b, int k, int n)
{
    if (!b)
        return ZIMU_EINVAL;
    if (b->ctx.magic != ZIMU__MAGIC_BATCH)
        return ZIMU_EBADHANDLE;
    if (!(k == 0 && n == 0) && !(n >= 1 && n <= 1000 && k >= 1 && k <= n))
        return zimu__fail(&b->ctx, ZIMU_EINVAL,
                          "shard %d of %d: K from 1 to N, N from 1 to 1000 (0 of 0: no "
                          "shard)", k, n);
    b->shard_k = k;
    b->shard_n = n;
    return 0;
}

int zimu__batch_shard_of(const char *rel, int n)
{
    unsigned char h[32];
    zimu_digest *d = zimu__digest_new();
    if (!d)
        return 0;
    zimu__digest_add(d, rel, strlen(rel));
    char hex[65];
    zimu__digest_hex(d, hex);
    for (int i = 0; i < 8; i++) {
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo = (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0'
                                                       : hex[2 * i + 1] - 'a' + 10);
        h[i] = (unsigned char)(hi << 4 | lo);
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | h[i];
    return (int)(v % (uint64_t)n) + 1;
}

int zimu__batch_shard_keep(zimu_batch *b)
{
    if (b->shard_n <= 0)
        return 0;
    for (int i = 0; i < b->n; i++)
        if (!zimu__batch_shard_of(b->clips[i].rel, b->shard_n))
            return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    int kept = 0;
    for (int i = 0; i < b->n; i++) {
        zimu_batch_clip *c = &b->clips[i];
        if (zimu__batch_shard_of(c->rel, b->shard_n) == b->shard_k) {
            b->clips[kept++] = *c;
            continue;
        }
        zimu__batch_clip_free(c);
    }
    b->n = kept;
    return 0;
}

void zimu__batch_report_name(const zimu_batch *b, const char *base, const char *ext, char *buf,
                             size_t size)
{
    if (b->shard_n > 0)
        snprintf(buf, size, "%s.%d-of-%d.%s", base, b->shard_k, b->shard_n, ext);
    else
        snprintf(buf, size, "%s.%s", base, ext);
}
