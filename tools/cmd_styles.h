/* cmd_styles.h - `zimu styles`: the caption style presets. */
#ifndef ZIMU_CMD_STYLES_H
#define ZIMU_CMD_STYLES_H

#include <stdio.h>

int cli_styles(int argc, char **argv);
void cli_styles_help(FILE *f);
/* Its options, NULL-terminated (for completion and "did you mean"). */
extern const char *const cli_styles_options[];

#endif
