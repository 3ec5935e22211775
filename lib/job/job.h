/* job.h - the burn job handle, shared by job.c (settings) and burn.c (run). */
#ifndef ZIMU_JOB_H
#define ZIMU_JOB_H

#include "capopts.h"
#include "internal.h"

struct zimu_job {
    zimu_ctx ctx;
    /* input */
    char *in_path, *in_name;
    zimu_read_fn in_read;
    zimu_seek_fn in_seek;
    void *in_opaque;
    /* output */
    char *out_path;
    zimu_write_fn out_write;
    void *out_opaque;
    int overwrite, null_output;
    /* captions */
    char *subs_path;
    char *subs_data;
    size_t subs_size;
    char *subs_name;
    /* a flash script instead of captions (flash_job.c) */
    char *flash_path;
    char *flash_data;
    size_t flash_size;
    char *flash_name;
    int fps_num, fps_den;   /* stand-alone frame rate, 0: the script's */
    int max_lines_set;      /* zimu_job_set_max_lines() was called */
    char *fonts_dir;
    zimu_fonts *fonts;      /* shared font context, or NULL */
    zimu_capopts cap;       /* reading, timing and layout of captions */
    struct zimu_chinese *cc; /* converters of cap.chinese, opened when set */
    /* geometry, time, encoding */
    int width, height, fit;
    int64_t from_ms, to_ms;
    int crf;
    char *preset;
    int threads;            /* encoder threads, 0: auto (zimu__job_set_threads) */
    /* sound: music (NULL: none) and loudness */
    char *music_path;
    int music_mode;         /* ZIMU_MUSIC_MIX / ZIMU_MUSIC_REPLACE */
    int loudnorm;           /* -1: with music only; 0 off; 1 on */
    double lufs, true_peak; /* the loudness target */
    /* callbacks and results */
    zimu_progress_fn progress;
    void *progress_opaque;
    zimu_stats stats;
    /* the output frames with captions nearest the middle of the last run's
     * output, before and after it (ms; -1: none) */
    int64_t shown_before_mid, shown_after_mid;
    /* damage found in the input by the last run (source times, ms) */
    int strict;             /* damage fails the run */
    int n_damage;
    int64_t damage[256][2];
};

/* The number of encoder threads of the job's runs (0: as many as libx264
 * finds useful, the default). Internal: a batch running N clips at once
 * gives each a share of the cores, so they do not oversubscribe them. */
void zimu__job_set_threads(zimu_job *job, int threads);

/* A time of the last run's output (ms) at which it shows captions: the
 * one nearest its middle, or -1 when no frame showed any (a batch's
 * thumbnail is taken there). */
int64_t zimu__job_captioned_ms(const zimu_job *job);

/* Add to d every setting of the job that changes its output, except the
 * input, the output and the captions (and the contents of the style
 * file, the logo and the music, as zimu__digest_file takes them): a
 * batch's fingerprint. A setting added to struct zimu_job that changes
 * the output must be added there too. */
struct zimu_digest;
void zimu__job_settings_digest(const zimu_job *job, struct zimu_digest *d);

/* NULL is an invalid argument; a pointer that is not a live job (another
 * kind of handle, or a job already freed) is ZIMU_EBADHANDLE. */
#define CHECK_JOB(job)                                                        \
    do {                                                                      \
        if (!(job))                                                           \
            return ZIMU_EINVAL;                                               \
        if ((job)->ctx.magic != ZIMU__MAGIC_JOB)                              \
            return ZIMU_EBADHANDLE;                                           \
    } while (0)

#endif
