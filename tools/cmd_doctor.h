/* cmd_doctor.h - `zimu doctor`: what zimu needs on this machine. */
#ifndef ZIMU_CMD_DOCTOR_H
#define ZIMU_CMD_DOCTOR_H

#include <stdio.h>

int cli_doctor(int argc, char **argv);
void cli_doctor_help(FILE *f);
extern const char *const cli_doctor_options[];

#endif
