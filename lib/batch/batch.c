/* batch.c - the batch handle: settings and the results of its last run. */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "fontctx.h"

#define CHECK_BATCH(b)                                                        \
    do {                                                                      \
        if (!(b))                                                             \
            return ZIMU_EINVAL;                                               \
        if ((b)->ctx.magic != ZIMU__MAGIC_BATCH)                              \
            return ZIMU_EBADHANDLE;                                           \
    } while (0)

zimu_batch *zimu_batch_new(void)
{
    zimu_batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ctx.magic = ZIMU__MAGIC_BATCH;
    return b;
}

/* The jobs of the last run (batch.h: kept for zimu_batch_cancel()). */
void zimu__batch_jobs_free(zimu_batch *b)
{
    int n = atomic_exchange(&b->n_jobs_of, 0);
    for (int i = 0; i < n; i++) {
        zimu_job *j = atomic_load(&b->jobs_of[i]);
        zimu_job_free(&j);
    }
    free((void *)b->jobs_of);
    b->jobs_of = NULL;
}

void zimu_batch_free(zimu_batch **pb)
{
    zimu_batch *b = pb ? *pb : NULL;
    if (!b || b->ctx.magic != ZIMU__MAGIC_BATCH)
        return;
    zimu__batch_jobs_free(b);
    zimu__batch_clips_free(b);
    free(b->in_dir);
    free(b->out_dir);
    free(b->title);
    free(b->manifest);
    zimu__fonts_unref(&b->fonts);
    b->ctx.magic = 0;
    free(b);
    *pb = NULL;
}

/* A folder name without trailing slashes ("/" stays). */
static int set_dir(zimu_batch *b, char **dst, const char *dir, int input)
{
    if (!dir || !*dir)
        return input ? zimu__fail(&b->ctx, ZIMU_EINVAL, "input folder is empty")
                     : zimu__fail(&b->ctx, ZIMU_EINVAL, "output folder is empty");
    char *copy = strdup(dir);
    if (!copy)
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = 0;
    free(*dst);
    *dst = copy;
    return 0;
}

int zimu_batch_set_input_dir(zimu_batch *b, const char *dir)
{
    CHECK_BATCH(b);
    return set_dir(b, &b->in_dir, dir, 1);
}

int zimu_batch_set_output_dir(zimu_batch *b, const char *dir)
{
    CHECK_BATCH(b);
    return set_dir(b, &b->out_dir, dir, 0);
}

int zimu_batch_set_recursive(zimu_batch *b, int recursive)
{
    CHECK_BATCH(b);
    b->recursive = !!recursive;
    return 0;
}

int zimu_batch_set_jobs(zimu_batch *b, int jobs)
{
    CHECK_BATCH(b);
    if (jobs < 0 || jobs > 256)
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "%d clips at once: 1 to 256 (0: from the "
                          "cores)", jobs);
    b->jobs = jobs;
    return 0;
}

int zimu_batch_set_overwrite(zimu_batch *b, int overwrite)
{
    CHECK_BATCH(b);
    b->overwrite = !!overwrite;
    return 0;
}

int zimu_batch_set_dry_run(zimu_batch *b, int dry_run)
{
    CHECK_BATCH(b);
    b->dry_run = !!dry_run;
    return 0;
}

int zimu_batch_set_title(zimu_batch *b, const char *text)
{
    CHECK_BATCH(b);
    char *copy = NULL;
    if (text && !(copy = strdup(text)))
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    free(b->title);
    b->title = copy;
    return 0;
}

int zimu_batch_set_manifest(zimu_batch *b, const char *path)
{
    CHECK_BATCH(b);
    char *copy = NULL;
    if (path && !*path)
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "the manifest's name is empty");
    if (path && !(copy = strdup(path)))
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    free(b->manifest);
    b->manifest = copy;
    return 0;
}

int zimu_batch_set_fonts(zimu_batch *b, zimu_fonts *fonts)
{
    CHECK_BATCH(b);
    if (fonts && !zimu__fonts_loaded(fonts))
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "the font context is not loaded "
                                                "(zimu_fonts_load)");
    zimu__fonts_unref(&b->fonts);
    b->fonts = zimu__fonts_ref(fonts);
    return 0;
}

int zimu_batch_set_setup(zimu_batch *b, zimu_batch_setup_fn setup, void *opaque)
{
    CHECK_BATCH(b);
    b->setup = setup;
    b->setup_opaque = opaque;
    return 0;
}

int zimu_batch_set_progress(zimu_batch *b, zimu_batch_progress_fn cb, void *opaque)
{
    CHECK_BATCH(b);
    b->progress = cb;
    b->progress_opaque = opaque;
    return 0;
}

int zimu_batch_set_clip_cb(zimu_batch *b, zimu_batch_clip_fn cb, void *opaque)
{
    CHECK_BATCH(b);
    b->clip_cb = cb;
    b->clip_opaque = opaque;
    return 0;
}

void zimu_batch_cancel(zimu_batch *b)
{
    /* Async-signal-safe: atomics only. The jobs stay allocated until the
     * next run or free (batch.h). */
    if (!b || b->ctx.magic != ZIMU__MAGIC_BATCH)
        return;
    atomic_store(&b->ctx.cancel, 1);
    int n = atomic_load(&b->n_jobs_of);
    for (int i = 0; i < n; i++)
        zimu_job_cancel(atomic_load(&b->jobs_of[i]));
}

static const zimu_batch_clip *clip_at(const zimu_batch *b, int i)
{
    if (!b || b->ctx.magic != ZIMU__MAGIC_BATCH || i < 0 || i >= b->n)
        return NULL;
    return &b->clips[i];
}

int zimu_batch_count(const zimu_batch *b)
{
    CHECK_BATCH(b);
    return b->n;
}

const char *zimu_batch_clip_input(const zimu_batch *b, int i)
{
    const zimu_batch_clip *c = clip_at(b, i);
    return c ? c->rel : NULL;
}

const char *zimu_batch_clip_captions(const zimu_batch *b, int i)
{
    const zimu_batch_clip *c = clip_at(b, i);
    return c ? c->caps : NULL;
}

const char *zimu_batch_clip_output(const zimu_batch *b, int i)
{
    const zimu_batch_clip *c = clip_at(b, i);
    return c ? c->out : NULL;
}

int zimu_batch_clip_status(const zimu_batch *b, int i)
{
    CHECK_BATCH(b);
    const zimu_batch_clip *c = clip_at(b, i);
    return c ? c->status : ZIMU_EINVAL;
}

int zimu_batch_clip_code(const zimu_batch *b, int i)
{
    CHECK_BATCH(b);
    const zimu_batch_clip *c = clip_at(b, i);
    return c ? c->code : ZIMU_EINVAL;
}

const char *zimu_batch_clip_error(const zimu_batch *b, int i)
{
    const zimu_batch_clip *c = clip_at(b, i);
    return c && c->error ? c->error : "";
}

const char *zimu_batch_clip_note(const zimu_batch *b, int i)
{
    const zimu_batch_clip *c = clip_at(b, i);
    return c && c->note ? c->note : "";
}

int zimu_batch_clip_times(const zimu_batch *b, int i, int64_t *duration_ms, double *seconds)
{
    CHECK_BATCH(b);
    const zimu_batch_clip *c = clip_at(b, i);
    if (!c)
        return ZIMU_EINVAL;
    if (duration_ms)
        *duration_ms = c->duration_ms;
    if (seconds)
        *seconds = c->seconds;
    return 0;
}

int zimu_batch_threads(const zimu_batch *b, int *jobs, int *encoder_threads)
{
    CHECK_BATCH(b);
    if (jobs)
        *jobs = b->run_jobs;
    if (encoder_threads)
        *encoder_threads = b->run_threads;
    return 0;
}

const char *zimu_batch_clip_fingerprint(const zimu_batch *b, int i)
{
    const zimu_batch_clip *c = clip_at(b, i);
    return c ? c->fp : "";
}

const char *zimu_batch_status_name(int status)
{
    static const char *const names[] = {"pending", "done", "skipped",
                                        "failed", "cancelled", "unchanged"};
    return status >= 0 && status <= ZIMU_BATCH_UNCHANGED ? names[status] : NULL;
}
