/* batch.h - a batch of clips (zimu_batch): the handle (batch.c), the plan
 * of what to do with each clip (plan.c) and the run on worker threads
 * (run.c). */
#ifndef ZIMU_BATCH_H
#define ZIMU_BATCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* One clip of a batch: what the plan made of it and how its run went. */
typedef struct zimu_batch_clip {
    char *rel;          /* path relative to the input folder */
    char *caps;         /* caption source relative to the input folder (a
                         * manifest row's: to the manifest's folder), or NULL */
    char *caps_path;    /* the caption source's path to open, or NULL */
    int caps_flash;     /* caps is a flash script (NAME.flash.txt) */
    char *note;         /* "also found, not used: ..." or "" */
    char *out_rel;      /* output name relative to the output folder */
    char *out;          /* output folder + "/" + out_rel */
    int status;         /* ZIMU_BATCH_* */
    int code;           /* ZIMU_E* of a failure, else 0 */
    char *error;        /* its message, or NULL */
    int64_t duration_ms;
    int64_t shown_ms;   /* a time its new output shows captions (-1: none) */
    double seconds;
    char fp[65];        /* the inputs' fingerprint (fingerprint.c), or "" */
    /* a manifest row's (plan.c): its row number (0: the clip comes from the
     * folder scan), inline caption text, style, title and part (-1: none) */
    int row;
    char *text, *style, *title;
    int64_t from_ms, to_ms;
} zimu_batch_clip;

struct zimu_batch {
    zimu_ctx ctx;       /* ctx.cancel: zimu_batch_cancel() */
    char *in_dir, *out_dir, *title;
    char *manifest;     /* zimu_batch_set_manifest(), or NULL: the folder scan */
    int recursive, jobs, overwrite, dry_run;
    int shard_k, shard_n;   /* zimu_batch_set_shard(): share k of n; 0, 0: all */
    zimu_fonts *fonts;
    zimu_batch_setup_fn setup;
    void *setup_opaque;
    zimu_batch_progress_fn progress;
    void *progress_opaque;
    zimu_batch_clip_fn clip_cb;
    void *clip_opaque;
    /* the plan and results of the last run */
    zimu_batch_clip *clips;
    int n;
    int run_jobs, run_threads;
    /* One job per clip while and after a run (freed at the next run or at
     * free), so that zimu_batch_cancel() never reaches a freed job. */
    zimu_job *_Atomic *jobs_of;
    atomic_int n_jobs_of;
};

/* The plan: scan the input folder, match each clip with its caption
 * source, choose its output, and mark what cannot be done (skipped: no
 * captions; failed: an output name taken twice, or an input at the output
 * name). Replaces b->clips. 0, or ZIMU_EINVAL / ZIMU_ENOENT / ZIMU_EOUTPUT
 * / ZIMU_ENOMEM with the message in b->ctx (the batch cannot start). */
int zimu__batch_plan(zimu_batch *b);

/* The cores this process may run on (its CPU affinity), at least 1. */
int zimu__batch_cores(void);

/* Make the folders of rel (a path relative to dir, its last component a
 * file name) inside dir, never through a symbolic link. 0, or -1 with
 * errno (ELOOP: a component is a symbolic link; ENOTDIR: not a folder). */
int zimu__batch_mkdirs(const char *dir, const char *rel);

void zimu__batch_clips_free(zimu_batch *b);
/* Free what one clip holds (not the clip itself). */
void zimu__batch_clip_free(zimu_batch_clip *c);
/* Free the jobs of the last run (jobs_of). */
void zimu__batch_jobs_free(zimu_batch *b);

/* Shards (shard.c). The shard (1 to n) that takes the clip whose path
 * relative to the input folder is rel: the first 8 bytes of rel's SHA-256
 * (big-endian) mod n, plus 1; 0 when out of memory. */
int zimu__batch_shard_of(const char *rel, int n);
/* Keep in b->clips only the clips of b's shard (all when none is set),
 * after the plan, so that every shard sees the same plan. 0 or
 * ZIMU_ENOMEM. */
int zimu__batch_shard_keep(zimu_batch *b);
/* The name of a report file base.ext ("zimu-report", "json"; "index",
 * "html"): "BASE.EXT", or "BASE.K-of-N.EXT" for shard K of N, so shards
 * never overwrite each other's. */
void zimu__batch_report_name(const zimu_batch *b, const char *base, const char *ext, char *buf,
                             size_t size);

/* Write OUTDIR/zimu-report.json and .csv (report.c, docs/batch.md) and
 * the page (index.html, page.c): 0,
 * or an error in b->ctx. */
int zimu__batch_report(zimu_batch *b);

/* Resume (fingerprint.c). The record of an output, in
 * OUTDIR/.zimu/<output name>.fp: the inputs' fingerprint, and the
 * output's once it is complete ("pending" while it is made). */
enum { ZIMU__RECORD_NONE, ZIMU__RECORD_PENDING, ZIMU__RECORD_COMPLETE };
typedef struct zimu_batch_record {
    int state;
    char inputs[65], output[65];
    int64_t duration_ms; /* the complete output's length (0: not known) */
} zimu_batch_record;
/* ".zimu/<out_rel>.fp", malloc'd (NULL: out of memory). */
char *zimu__batch_record_rel(const zimu_batch_clip *c);
/* The fingerprint of what clip c's output is made from: zimu's version,
 * the clip (zimu__digest_file with its time), the caption source, and
 * the job's settings (after the batch's setup). 0 or ZIMU_ENOMEM. */
int zimu__batch_inputs_fp(const zimu_batch *b, const zimu_batch_clip *c, const zimu_job *job,
                          char hex[65]);
/* The fingerprint of an output file (its size and content). 0, or
 * ZIMU_ENOENT when it cannot be read. */
int zimu__batch_output_fp(const char *path, char hex[65]);
/* The record of c's output; state NONE when there is none (or one this
 * version cannot read). 0 or ZIMU_ENOMEM. */
int zimu__batch_record_read(const zimu_batch *b, const zimu_batch_clip *c,
                            zimu_batch_record *r);
/* Write it (atomically, replacing the last). 0 or an error in ctx. */
int zimu__batch_record_write(zimu_batch *b, zimu_ctx *ctx, const zimu_batch_clip *c,
                             const zimu_batch_record *r);

/* The page (thumb.c, page.c, docs/batch.md). Thumbnails are this wide. */
#define ZIMU__THUMB_W 180
/* ".zimu/thumbs/<out_rel>.png", malloc'd (NULL: out of memory). */
char *zimu__batch_thumb_rel(const zimu_batch_clip *c);
/* Make the thumbnail of c's output (a done or unchanged clip): its frame
 * with captions nearest its middle (c->shown_ms), else the middle. fresh 0: kept when there is one
 * (the output did not change). 0 or a ZIMU_E* code; no message (a clip
 * without a thumbnail is shown without one). */
int zimu__batch_thumb(zimu_batch *b, const zimu_batch_clip *c, int fresh);
/* Write OUTDIR/index.html: a card per clip (page.c). 0 or an error in
 * b->ctx. */
int zimu__batch_page(zimu_batch *b);

#endif
