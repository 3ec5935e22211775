/* flash.h - flash text (快闪) scripts: parse a script, time its cards (by
 * given times, reading speed or the beats of the music) and turn them into
 * cues with animations and looks, plus the backgrounds of a stand-alone
 * video. The script format is documented in docs/flash.md. */
#ifndef ZIMU_FLASH_H
#define ZIMU_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include "background.h"
#include "cue.h"
#include "internal.h"

typedef struct zimu_flash_script zimu_flash_script;

/* Timing modes (the "timing" header). */
enum {
    ZIMU__FLASH_TIMES = 0,   /* each card's own time, or after the last */
    ZIMU__FLASH_READING,     /* held as long as reading it takes */
    ZIMU__FLASH_BEATS,       /* one card every N beats (N: beat_step) */
    ZIMU__FLASH_DOWNBEATS,   /* one card on each downbeat (bar start) */
};

/* What the headers say, for the job: 0 / NULL where not given. */
typedef struct zimu_flash_info {
    int width, height;       /* "size" */
    double fps;              /* "fps" */
    const char *music;       /* "music", resolved against the script's
                                folder when the script came from a file */
    const char *look;        /* "look": default look (a style preset) */
    int timing;              /* ZIMU__FLASH_* */
    int beat_step;           /* N of "timing: beats N" (1 if not given) */
    double bpm;              /* "bpm": tempo given (0: from the music) */
    double first_beat;       /* "first-beat" seconds, < 0: not given */
    int n_cards;
    int n_sections;
} zimu_flash_info;

/* Parse a script (UTF-8 bytes data[0..size), need not be NUL-terminated;
 * a UTF-8 BOM is skipped). name is used in messages ("name:LINE: ...")
 * and, when dir is not NULL, relative paths in the headers (music) are
 * resolved against dir. *out is NULL after an error. 0, or ZIMU_ESUBS
 * (message "name:LINE: what is wrong") / ZIMU_ENOMEM. */
int zimu__flash_parse(zimu_ctx *c, const char *name, const char *dir,
                      const char *data, size_t size, zimu_flash_script **out);
void zimu__flash_free(zimu_flash_script **s);

/* The headers; valid while s lives. */
const zimu_flash_info *zimu__flash_info(const zimu_flash_script *s);

/* Time the cards. beats/n_beats and downs/n_downs (seconds, ascending;
 * NULL/0 when there is no music or it has none) serve the beat modes, with
 * bpm (the music's tempo, or 0) to go on past the last beat; music_ms is
 * the music's length (0: none). In the beat modes without beats, the
 * script's "bpm" header makes the grid; with neither it is an error
 * naming the script. 0, ZIMU_ESUBS (message) or ZIMU_ENOMEM. */
int zimu__flash_schedule(zimu_ctx *c, zimu_flash_script *s, const double *beats,
                         size_t n_beats, const double *downs, size_t n_downs,
                         double bpm, int64_t music_ms);

/* After zimu__flash_schedule: the video's length in ms (the end of the last
 * card), the cards as cues (text with '\n' breaks and ZIMU__KEY_ON/OFF
 * around keywords; fx, look, align/pos set from the card's options;
 * appended to out), and the backgrounds that cover [0, length) (appended
 * to out). 0 or ZIMU_ENOMEM. */
int64_t zimu__flash_length_ms(const zimu_flash_script *s);
int zimu__flash_cues(zimu_ctx *c, const zimu_flash_script *s, zimu_cues *out);
int zimu__flash_backgrounds(zimu_ctx *c, const zimu_flash_script *s, zimu_bgs *out);

#endif
