/* cmd_beats.h - `zimu beats`: tempo and beat times of a song or clip. */
#ifndef ZIMU_CMD_BEATS_H
#define ZIMU_CMD_BEATS_H

#include <stdio.h>

int cli_beats(int argc, char **argv);
void cli_beats_help(FILE *f);
/* Its options, NULL-terminated (for completion and "did you mean"). */
extern const char *const cli_beats_options[];

#endif
