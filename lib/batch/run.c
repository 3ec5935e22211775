/* run.c - a batch's clips on worker threads: one job per clip, one font
 * context for all, the cores shared out between the clips in flight. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "batch.h"
#include "fontctx.h"
#include "job.h"
#include "tmpfile.h"

typedef struct batch_run {
    zimu_batch *b;
    zimu_fonts *fonts;
    int threads;              /* encoder threads per clip */
    atomic_int next;          /* the next clip to take */
    pthread_mutex_t lock;     /* callbacks, counters, results */
    int done, skipped, failed, running, unchanged;
    double t0;
} batch_run;

typedef struct clip_ctx {
    batch_run *R;
    int clip;
} clip_ctx;

static int on_job_progress(void *opaque, const zimu_progress *p)
{
    clip_ctx *cc = opaque;
    batch_run *R = cc->R;
    zimu_batch *b = R->b;
    int stop = 0;
    if (b->progress) {
        pthread_mutex_lock(&R->lock);
        zimu_batch_progress bp = {
            .clip = cc->clip, .job = p, .total = b->n, .done = R->done,
            .skipped = R->skipped, .failed = R->failed, .running = R->running,
            .unchanged = R->unchanged,
            .elapsed = zimu__now() - R->t0,
        };
        stop = b->progress(b->progress_opaque, &bp);
        pthread_mutex_unlock(&R->lock);
    }
    if (stop)
        zimu_batch_cancel(b);
    return stop || zimu__cancelled(&b->ctx);
}

static char *path_in(const zimu_batch *b, const char *rel)
{
    size_t n = strlen(b->in_dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", b->in_dir, rel);
    return p;
}

static void remove_record(const zimu_batch *b, const zimu_batch_clip *c)
{
    char *rel = zimu__batch_record_rel(c);
    size_t n = rel ? strlen(b->out_dir) + strlen(rel) + 2 : 0;
    char *path = rel ? malloc(n) : NULL;
    if (path) {
        snprintf(path, n, "%s/%s", b->out_dir, rel);
        unlink(path);
    }
    free(path);
    free(rel);
}

/* A manifest row whose clip is a caption file, or whose subs are a video or
 * a sound file (the columns swapped): what to say instead of the job's own
 * message ("has no video stream"), in buf; NULL when that is not it. */
static const char *swapped_columns(const zimu_batch *b, const zimu_batch_clip *c, int r,
                                   char *buf, size_t size)
{
    if (!c->row)
        return NULL;
    if (r == ZIMU_ENOVIDEO || r == ZIMU_ENOTVIDEO) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", b->in_dir, c->rel);
        if (zimu_file_kind(path) != ZIMU_FILE_CAPTIONS)
            return NULL;
        snprintf(buf, size, zimu__tr("%s is a caption file, not a video: the 'clip' column "
                                     "holds the video, the 'subs' column its captions"),
                 c->rel);
        return buf;
    }
    if ((r == ZIMU_ESUBS || r == ZIMU_ECHARSET) && c->caps_path) {
        int kind = zimu_file_kind(c->caps_path);
        if (kind == ZIMU_FILE_VIDEO)
            snprintf(buf, size, zimu__tr("%s is a video, not captions: the 'subs' column "
                                         "holds the captions, the 'clip' column the video"),
                     c->caps);
        else if (kind == ZIMU_FILE_AUDIO)
            snprintf(buf, size, zimu__tr("%s is a sound file, not captions: the 'subs' "
                                         "column holds the captions"),
                     c->caps);
        else
            return NULL;
        return buf;
    }
    return NULL;
}

/* Run the job of clip c unless its output is complete and up to date
 * (fingerprint.c). 1 when it is (nothing was done), else as
 * zimu_job_run(); in a dry run 2 when it would be made. */
static int run_resumable(zimu_batch *b, zimu_job *job, zimu_batch_clip *c)
{
    zimu_batch_record rec;
    int r;
    if ((r = zimu__batch_inputs_fp(b, c, job, c->fp)) < 0 ||
        (r = zimu__batch_record_read(b, c, &rec)) < 0)
        return zimu__fail(&job->ctx, r, "out of memory");
    struct stat st;
    int exists = lstat(c->out, &st) == 0;
    int replace = b->overwrite;
    if (exists) {
        char ofp[65];
        /* ours: a record says we were making it, or it is the output the
         * record describes */
        int ours = rec.state == ZIMU__RECORD_PENDING ||
                   (rec.state == ZIMU__RECORD_COMPLETE &&
                    zimu__batch_output_fp(c->out, ofp) == 0 && !strcmp(ofp, rec.output));
        if (ours && rec.state == ZIMU__RECORD_COMPLETE && !strcmp(rec.inputs, c->fp) &&
            !b->overwrite) {
            zimu__temp_remove_stale_beside(c->out);
            c->duration_ms = rec.duration_ms;
            return 1;
        }
        if (ours)
            replace = 1;
        else if (!b->overwrite)
            return zimu__fail_file(&job->ctx, ZIMU_EEXIST, c->out,
                                   "%s: exists and was not made by this batch (no "
                                   "fingerprint of it in %s/.zimu, or it has been changed "
                                   "since); nothing was replaced (force, overwrite, "
                                   "replaces it)", c->out, b->out_dir);
    }
    if (b->dry_run)
        return 2; /* it would be made */
    zimu_job_set_overwrite(job, replace);
    rec.state = ZIMU__RECORD_PENDING;
    memcpy(rec.inputs, c->fp, sizeof rec.inputs);
    if ((r = zimu__batch_record_write(b, &job->ctx, c, &rec)) < 0)
        return r;
    r = zimu_job_run(job);
    if (r == 0) {
        if (zimu__batch_output_fp(c->out, rec.output) < 0)
            return zimu__fail_file(&job->ctx, ZIMU_EOUTPUT, c->out,
                                   "%s: cannot be read back after writing", c->out);
        rec.state = ZIMU__RECORD_COMPLETE;
        const zimu_stats *st = zimu_job_stats(job);
        rec.duration_ms = st ? st->duration_ms : 0;
        r = zimu__batch_record_write(b, &job->ctx, c, &rec);
    } else if (!exists) {
        remove_record(b, c);
    }
    return r;
}

/* Set the job of clip i up and run it. 0, 1 (its output is up to date),
 * or a ZIMU_E* code, the message in the job. */
static int run_job(batch_run *R, zimu_job *job, int i, clip_ctx *cc)
{
    zimu_batch *b = R->b;
    zimu_batch_clip *c = &b->clips[i];
    char *in = path_in(b, c->rel);
    const char *caps = c->caps_path;
    int r = !in ? ZIMU_ENOMEM : 0;
    if (!r)
        r = zimu_job_set_input(job, in);
    if (!r)
        r = zimu_job_set_output(job, c->out);
    if (!r)
        r = zimu_job_set_overwrite(job, b->overwrite);
    if (!r && R->fonts)
        r = zimu_job_set_fonts(job, R->fonts);
    if (!r && caps)
        r = c->caps_flash ? zimu_job_set_flash(job, caps) : zimu_job_set_subtitles(job, caps);
    if (!r && !caps && c->text) {
        /* inline text: plain-text captions, one a line, spread over the
         * clip (or its part) */
        r = zimu_job_set_subtitles_data(job, c->text, strlen(c->text), "text.txt");
    }
    if (!r && !caps && !c->text)
        r = zimu_job_set_title(job, b->title);
    if (!r)
        r = zimu_job_set_progress(job, on_job_progress, cc);
    zimu__job_set_threads(job, R->threads);
    free(in);
    if (r < 0)
        return r == ZIMU_ENOMEM ? zimu__fail(&job->ctx, r, "out of memory") : r;
    if (b->setup) {
        pthread_mutex_lock(&R->lock);
        r = b->setup(b->setup_opaque, job, i);
        pthread_mutex_unlock(&R->lock);
        if (r < 0) {
            if (!*zimu_errmsg(job))
                zimu__fail(&job->ctx, r, "%s: the batch's settings: %s", c->rel,
                           zimu_strerror(r));
            return r;
        }
    }
    /* a manifest row's own settings win over the batch's */
    if (c->text)
        r = zimu_job_set_charenc(job, "UTF-8"); /* the manifest's text is UTF-8 now */
    if (!r && c->style)
        r = zimu_job_set_style(job, c->style);
    if (!r && c->title)
        r = zimu_job_set_title(job, c->title);
    if (!r && (c->from_ms >= 0 || c->to_ms >= 0))
        r = zimu_job_set_trim(job, c->from_ms >= 0 ? c->from_ms : 0, c->to_ms);
    if (r < 0)
        return r;
    if (!b->dry_run && zimu__batch_mkdirs(b->out_dir, c->out_rel) < 0) {
        int e = errno;
        return zimu__fail_file(&job->ctx, ZIMU_EOUTPUT, c->out,
                               "%s: cannot make its folder inside %s: %s%s", c->out,
                               b->out_dir, strerror(e),
                               e == ELOOP || e == ENOTDIR
                                   ? zimu__tr(" (a symbolic link or a file where a folder "
                                              "should be; a batch writes only inside its "
                                              "output folder)")
                                   : "");
    }
    return run_resumable(b, job, c);
}

static void run_clip(batch_run *R, int i)
{
    zimu_batch *b = R->b;
    zimu_batch_clip *c = &b->clips[i];
    clip_ctx cc = {R, i};
    zimu_job *job = zimu_job_new();
    /* Published before the cancel flag is read: zimu_batch_cancel() sets
     * the flag, then cancels the published jobs, so one of the two sees
     * the other. */
    atomic_store(&b->jobs_of[i], job);
    pthread_mutex_lock(&R->lock);
    R->running++;
    if (b->clip_cb)
        b->clip_cb(b->clip_opaque, i, 1);
    pthread_mutex_unlock(&R->lock);

    double t0 = zimu__now();
    int r;
    if (!job)
        r = ZIMU_ENOMEM;
    else if (zimu__cancelled(&b->ctx))
        r = zimu__fail_cancel(&job->ctx);
    else
        r = run_job(R, job, i, &cc);
    /* its length (an unchanged output's from its record) and its
     * thumbnail for the page (thumb.c): made again when the output was */
    const zimu_stats *st = r == 0 ? zimu_job_stats(job) : NULL;
    c->shown_ms = r == 0 ? zimu__job_captioned_ms(job) : -1;
    if (st)
        c->duration_ms = st->duration_ms;
    if ((r == 0 || r == 1) && !zimu__cancelled(&b->ctx))
        zimu__batch_thumb(b, c, r == 0);
    double secs = zimu__now() - t0;
    char swapped[1024];
    const char *hint = r < 0 ? swapped_columns(b, c, r, swapped, sizeof swapped) : NULL;

    pthread_mutex_lock(&R->lock);
    R->running--;
    c->seconds = secs;
    if (r == 2) {
        /* dry run: it would be made; stays pending */
    } else if (r == 1) {
        c->status = ZIMU_BATCH_UNCHANGED;
        R->unchanged++;
    } else if (r == 0) {
        c->status = ZIMU_BATCH_DONE;
        R->done++;
    } else {
        c->code = r;
        const char *m = hint ? hint : job ? zimu_errmsg(job) : "";
        if (!*m)
            m = zimu_strerror(r);
        if (c->row) {
            /* "list.csv:7: ..." */
            size_t n = strlen(b->manifest) + strlen(m) + 32;
            if ((c->error = malloc(n)))
                snprintf(c->error, n, "%s:%d: %s", b->manifest, c->row, m);
        } else {
            c->error = strdup(m);
        }
        c->status = r == ZIMU_ECANCEL ? ZIMU_BATCH_CANCELLED : ZIMU_BATCH_FAILED;
        if (r != ZIMU_ECANCEL)
            R->failed++;
    }
    if (b->clip_cb)
        b->clip_cb(b->clip_opaque, i, 0);
    pthread_mutex_unlock(&R->lock);
}

static void *worker(void *opaque)
{
    batch_run *R = opaque;
    zimu_batch *b = R->b;
    for (;;) {
        if (zimu__cancelled(&b->ctx))
            break;
        int i = atomic_fetch_add(&R->next, 1);
        if (i >= b->n)
            break;
        if (b->clips[i].status == ZIMU_BATCH_PENDING)
            run_clip(R, i);
    }
    return NULL;
}

/* Clips at once and encoder threads per clip, from the cores (zimu.h). */
static void share_cores(int cores, int want, int clips, int *jobs, int *threads)
{
    int j = want > 0 ? want : cores <= 2 ? cores : (cores / 2 > 2 ? cores / 2 : 2);
    if (j > 256)
        j = 256;
    if (j > clips)
        j = clips;
    if (j < 1)
        j = 1;
    *jobs = j;
    *threads = cores / j > 1 ? cores / j : 1;
}

int zimu_batch_run(zimu_batch *b)
{
    if (!b)
        return ZIMU_EINVAL;
    if (b->ctx.magic != ZIMU__MAGIC_BATCH)
        return ZIMU_EBADHANDLE;
    zimu__clear(&b->ctx);
    zimu__batch_jobs_free(b);
    if (zimu__cancelled(&b->ctx))
        return zimu__fail_cancel(&b->ctx);
    int r = zimu__batch_plan(b);
    if (r < 0 || (r = zimu__batch_shard_keep(b)) < 0)
        return r;
    int pending = 0, failed = 0;
    for (int i = 0; i < b->n; i++) {
        pending += b->clips[i].status == ZIMU_BATCH_PENDING;
        failed += b->clips[i].status == ZIMU_BATCH_FAILED;
    }
    share_cores(zimu__batch_cores(), b->jobs, pending, &b->run_jobs, &b->run_threads);
    if (!pending && !b->dry_run) {
        if ((r = zimu__batch_report(b)) < 0)
            return r;
        return failed ? zimu__fail(&b->ctx, ZIMU_EBATCH, "%d of %d clips failed", failed,
                                   b->n)
                      : 0;
    }

    batch_run R = {.b = b, .threads = b->run_threads, .t0 = zimu__now()};
    R.failed = failed;
    for (int i = 0; i < b->n; i++)
        R.skipped += b->clips[i].status == ZIMU_BATCH_SKIPPED;
    /* One font context for every clip (a dry run draws nothing). */
    if (b->dry_run) {
        R.fonts = NULL;
    } else if (b->fonts) {
        R.fonts = zimu__fonts_ref(b->fonts);
    } else {
        R.fonts = zimu_fonts_new();
        if (!R.fonts)
            return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
        if ((r = zimu_fonts_load(R.fonts)) < 0) {
            zimu__fail(&b->ctx, r, "%s", zimu_errmsg(R.fonts));
            zimu_fonts_free(&R.fonts);
            return r;
        }
    }
    b->jobs_of = calloc((size_t)b->n + 1, sizeof *b->jobs_of);
    if (!b->jobs_of) {
        zimu_fonts_free(&R.fonts);
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    }
    atomic_store(&b->n_jobs_of, b->n);
    pthread_mutex_init(&R.lock, NULL);
    pthread_t th[256];
    int started = 0;
    for (int k = 0; k < b->run_jobs && !b->dry_run; k++) {
        if (pthread_create(&th[k], NULL, worker, &R) != 0)
            break;
        started++;
    }
    if (!started)
        worker(&R); /* a dry run, or no thread could be made: this one does it */
    for (int k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    pthread_mutex_destroy(&R.lock);
    zimu_fonts_free(&R.fonts);
    if (b->dry_run)
        return zimu__cancelled(&b->ctx) ? zimu__fail_cancel(&b->ctx) : 0;
    /* the report, also of a cancelled batch */
    int rr = zimu__batch_report(b);
    if (zimu__cancelled(&b->ctx))
        return zimu__fail_cancel(&b->ctx);
    if (rr < 0)
        return rr;
    if (R.failed)
        return zimu__fail(&b->ctx, ZIMU_EBATCH, "%d of %d clips failed", R.failed, b->n);
    return 0;
}
