/* thumb.c - the thumbnail of a clip's output for the batch page
 * (page.c): one captioned frame of the output (of the frames that show
 * captions, the one nearest the middle of the clip; else the middle),
 * ZIMU__THUMB_W pixels wide, as PNG under OUTDIR/.zimu/thumbs/ (the
 * output's name + ".png"). It is the library's preview of a job
 * whose input is the output file and which adds no captions, so it shows
 * what the output shows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "batch.h"
#include "media_in.h"
#include "tmpfile.h"

char *zimu__batch_thumb_rel(const zimu_batch_clip *c)
{
    const char *pre = ".zimu/thumbs/", *suf = ".png";
    size_t n = strlen(pre) + strlen(c->out_rel) + strlen(suf) + 1;
    char *rel = malloc(n);
    if (rel)
        snprintf(rel, n, "%s%s%s", pre, c->out_rel, suf);
    return rel;
}

/* The length of the file at path in ms, 0 when it cannot be read. */
static int64_t length_ms(const char *path)
{
    zimu_ctx c = {0};
    zimu_media_in *in = NULL;
    zimu_in_opts o = {.path = path, .name = path, .to_ms = -1};
    int64_t ms = 0;
    if (zimu__in_open(&c, &in, &o) >= 0)
        ms = zimu__in_duration_ms(in);
    zimu__in_free(&in);
    return ms;
}

int zimu__batch_thumb(zimu_batch *b, const zimu_batch_clip *c, int fresh)
{
    char *rel = zimu__batch_thumb_rel(c);
    size_t n = rel ? strlen(b->out_dir) + strlen(rel) + 2 : 0;
    char *path = rel ? malloc(n) : NULL;
    zimu_job *job = NULL;
    int r = ZIMU_ENOMEM;
    if (!path)
        goto done;
    snprintf(path, n, "%s/%s", b->out_dir, rel);
    struct stat st;
    r = 0;
    if (!fresh && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
        goto done; /* the output is the one it was made from */
    r = ZIMU_EOUTPUT;
    if (zimu__batch_mkdirs(b->out_dir, rel) < 0)
        goto done;
    zimu__temp_remove_stale_beside(path);
    r = ZIMU_ENOMEM;
    if (!(job = zimu_job_new()))
        goto done;
    int w, h, rect[4];
    if ((r = zimu_job_set_input(job, c->out)) < 0 ||
        (r = zimu_job_probe(job, &w, &h, rect)) < 0)
        goto done;
    int th = (int)((int64_t)ZIMU__THUMB_W * h / (w > 0 ? w : 1));
    th += th & 1;
    int64_t ms = c->duration_ms > 0 ? c->duration_ms : length_ms(c->out);
    if ((r = zimu_job_set_size(job, ZIMU__THUMB_W, th < 16 ? 16 : th)) < 0 ||
        (r = zimu_job_set_fit(job, ZIMU_FIT_PAD)) < 0 ||
        (r = zimu_job_set_overwrite(job, 1)) < 0)
        goto done;
    r = zimu_job_preview(job, c->shown_ms >= 0 ? c->shown_ms : ms > 0 ? ms / 2 : 0, path);
done:
    zimu_job_free(&job);
    free(path);
    free(rel);
    return r;
}
