/* hints.c - help people fix their own mistakes: "did you mean ...?" for a
 * mistyped name, and the word lists the bash completion asks for
 * (`zimu help --names KIND`), taken from the library's and the tool's own
 * tables so that they cannot go stale.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_beats.h"
#include "cmd_doctor.h"
#include "cmd_styles.h"

const char *cli_hint(const char *word, const char *const *names, char *buf, size_t size)
{
    const char *best = zimu_nearest_name(word, names);
    if (best)
        snprintf(buf, size, _("; did you mean '%s'?"), best);
    else
        buf[0] = 0;
    return buf;
}

const char *cli_hint_name(int kind, const char *word, char *buf, size_t size)
{
    const char *names[64];
    int n = 0;
    while (n < 63 && (names[n] = zimu_name(kind, n)))
        n++;
    names[n] = NULL;
    return cli_hint(word, names, buf, size);
}

/* The options whose values are one of the library's named lists, by the
 * option's name (without "--"): the KIND of `zimu help --names KIND`. */
static const struct {
    const char *option;
    int kind;
} value_lists[] = {
    {"style", ZIMU_NAMES_STYLE},
    {"safe-area", ZIMU_NAMES_SAFE_AREA},
    {"fit", ZIMU_NAMES_FIT},
    {"preset", ZIMU_NAMES_PRESET},
    {"chinese", ZIMU_NAMES_CHINESE},
    {"missing-glyphs", ZIMU_NAMES_MISSING_GLYPHS},
    {"logo-corner", ZIMU_NAMES_CORNER},
    {"overlap", ZIMU_NAMES_OVERLAP},
};
#define N_VALUE_LISTS (sizeof value_lists / sizeof value_lists[0])

/* The options of a command, one a line; -1 if there is no such command. */
static int print_options(const char *cmd)
{
    if (cli_burn_options(stdout, cmd) == 0)
        return 0;
    const char *const *list = !strcmp(cmd, "beats") ? cli_beats_options
                              : !strcmp(cmd, "styles") ? cli_styles_options
                              : !strcmp(cmd, "doctor") ? cli_doctor_options
                              : NULL;
    if (!list) {
        int known = 0;
        for (int i = 0; cli_commands[i]; i++)
            known |= !strcmp(cli_commands[i], cmd);
        if (!known)
            return -1;
        return 0; /* a command without options (help) */
    }
    for (int i = 0; list[i]; i++)
        printf("%s\n", list[i]);
    return 0;
}

int cli_help_names_cmd(int argc, char **argv)
{
    const char *kind = argc > 2 ? argv[2] : NULL;
    if (!kind || (!strcmp(kind, "options") ? argc != 4 : argc != 3)) {
        cli_error("usage: zimu help --names commands|options COMMAND|OPTION (an option "
                  "whose values are the library's names, as style or safe-area)");
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(kind, "commands")) {
        for (int i = 0; cli_commands[i]; i++)
            printf("%s\n", cli_commands[i]);
    } else if (!strcmp(kind, "options")) {
        if (print_options(argv[3]) < 0) {
            char hint[64];
            cli_error("no command '%s'%s", argv[3], cli_hint(argv[3], cli_commands, hint,
                                                               sizeof hint));
            return CLI_EXIT_USAGE;
        }
    } else {
        const char *opt = kind[0] == '-' && kind[1] == '-' ? kind + 2 : kind;
        const char *names[N_VALUE_LISTS + 1];
        size_t i;
        for (i = 0; i < N_VALUE_LISTS && strcmp(value_lists[i].option, opt); i++)
            names[i] = value_lists[i].option;
        if (i == N_VALUE_LISTS) {
            char hint[64], list[256];
            size_t n = 0;
            names[i] = NULL;
            list[0] = 0;
            for (size_t k = 0; k < N_VALUE_LISTS && n < sizeof list; k++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "",
                                      names[k]);
            cli_error("no list of names '%s': give commands, options COMMAND, or one of "
                      "%s%s", kind, list, cli_hint(opt, names, hint, sizeof hint));
            return CLI_EXIT_USAGE;
        }
        const char *name;
        for (int k = 0; (name = zimu_name(value_lists[i].kind, k)); k++)
            printf("%s\n", name);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_OTHER;
    }
    return CLI_EXIT_OK;
}
