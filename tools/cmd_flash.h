/* cmd_flash.h - `zimu flash`: a flash text (快闪) video from a script. The
 * command shares the option table and the run of `zimu burn`
 * (cmd_burn.c); its own settings and help are here. */
#ifndef ZIMU_CMD_FLASH_H
#define ZIMU_CMD_FLASH_H

#include <stdio.h>

#include <zimu.h>

/* What `zimu flash` has besides the options it shares with `zimu burn`
 * (music and loudness among them). */
struct cli_flash_args {
    const char *script;     /* the script (the command's INPUT) */
    const char *fps;        /* --fps N */
};

int cli_flash(int argc, char **argv);
void cli_flash_help(FILE *f);
/* 1 if path names a picture (.png, any case): one frame, not a video. */
int cli_flash_is_png(const char *path);
/* The flash settings of a job. 0, or an exit status after printing the
 * error. */
int cli_flash_setup(zimu_job *job, const struct cli_flash_args *a);

#endif
