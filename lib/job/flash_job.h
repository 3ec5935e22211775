/* flash_job.h - a job's flash script (zimu_job_set_flash): read, parsed and
 * timed (on the beats of its music when the timing asks for them) into
 * what a run needs: the cards as cues, the backgrounds and geometry of a
 * stand-alone video, the music. */
#ifndef ZIMU_FLASH_JOB_H
#define ZIMU_FLASH_JOB_H

#include <libavutil/rational.h>

#include "background.h"
#include "cue.h"
#include "job.h"

typedef struct zimu_flash_plan {
    zimu_cues cues;       /* one per card, on the output's timeline */
    zimu_bgs bgs;         /* stand-alone backgrounds over [0, length) */
    int64_t length_ms;    /* the end of the last card */
    int width, height;    /* stand-alone frame: the job's size, else the
                             script's, else 1080x1920 */
    AVRational rate;      /* stand-alone frame rate: the job's, else the
                             script's, else 30 */
    char *music;          /* the script's "music" (resolved), or NULL */
    char *look;           /* the script's default look, or NULL */
} zimu_flash_plan;

/* 1 if the job has a flash script; standalone: and no input (cards). */
int zimu__job_has_flash(const zimu_job *job);
int zimu__job_standalone(const zimu_job *job);
/* Read, parse and time the job's script. music (NULL: the script's own
 * "music" header) is the song whose beats time the cards when the script
 * asks for beats. 0, or ZIMU_ESUBS ("script:LINE: ..."), the music's
 * errors (ZIMU_ENOENT ... naming it), ZIMU_ECANCEL, ZIMU_ENOMEM, with the
 * message in c. */
int zimu__flash_plan_make(zimu_job *job, zimu_ctx *c, const char *music, zimu_flash_plan *p);
void zimu__flash_plan_free(zimu_flash_plan *p);
/* The "music" header of the job's script, resolved against its folder
 * (malloc'd), or NULL: no script, no such header, or a script that does
 * not parse (the run reports that). */
char *zimu__flash_script_music(const zimu_job *job);

/* The caption settings of a flash run: the job's, with the default look
 * (--style, else the script's "look", else the "flash" preset) and up to
 * 4 lines a card unless the job set max lines. 0 or ZIMU_ENOMEM. */
int zimu__flash_capopts(const zimu_job *job, const zimu_flash_plan *p, zimu_capopts *out);

/* When the in-animation of cue q is over (ms on its timeline; its length
 * as the renderer draws it, anim.h), within the cue. */
int64_t zimu__flash_card_ready_ms(const zimu_cue *q);

#endif
