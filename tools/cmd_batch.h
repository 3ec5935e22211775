/* cmd_batch.h - `zimu batch`: caption a folder of clips. The command
 * shares the option table and the job settings of `zimu burn`
 * (cmd_burn.c); the batch itself, its printing and help are here. */
#ifndef ZIMU_CMD_BATCH_H
#define ZIMU_CMD_BATCH_H

#include <stdio.h>

#include <zimu.h>

/* What `zimu batch` has besides the burn options it shares. */
struct cli_batch_args {
    const char *in_dir;     /* the command's INPUT */
    const char *out_dir;    /* -o */
    const char *jobs;       /* -j N */
    int recursive, dry_run, force;
    const char *title;      /* --title: also for clips without captions */
    const char *manifest;   /* --manifest FILE.csv: its rows are the clips */
    const char *fonts_dir;  /* --fonts-dir: the shared font context's */
    int quiet, json, progress;
    const char *shard;      /* --shard K/N */
    const char *merge_dir;  /* --merge-reports OUTDIR */
};

/* "K/N" with 1 <= K <= N <= 1000 (digits only): 0, else -1. */
int cli_batch_parse_shard(const char *s, int *k, int *n);
/* `zimu batch --merge-reports OUTDIR`: the exit status. */
int cli_batch_merge(const struct cli_batch_args *a);

int cli_batch(int argc, char **argv);
void cli_batch_help(FILE *f);
/* Run the batch; setup applies the burn options to each clip's job. The
 * exit status. */
int cli_batch_run(const struct cli_batch_args *a, zimu_batch_setup_fn setup, void *opaque);

#endif
