/* cmd_styles.c - `zimu styles`: list the caption style presets.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_styles.h"

void cli_styles_help(FILE *f)
{
    fprintf(f,
            _("Usage: zimu styles\n"
              "\n"
              "List the caption style presets, for 'zimu burn --style NAME', the safe\n"
              "areas (--safe-area) and the fit modes (--fit). A style can also be a\n"
              "file of 'key = value' lines, and single keys can be changed with\n"
              "--style-set (see docs/styles.md and zimu(1)).\n"
              "\n"
              "Options:\n"
              "  -h, --help            show this help\n"
              "\n"
              "%s"),
            _(cli_exit_help));
}

const char *const cli_styles_options[] = {"--help", "-h", NULL};

int cli_styles(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_styles_help(stdout);
            return CLI_EXIT_OK;
        }
        cli_error("'zimu styles' takes no argument '%s' (see 'zimu styles --help')", argv[i]);
        return CLI_EXIT_USAGE;
    }
    /* The library's lists, as it names and describes them. */
    printf("%s", _("Caption styles (--style NAME):\n"));
    cli_help_names(stdout, ZIMU_NAMES_STYLE, 2, 0);
    printf("%s", _("\n"
                   "Change a key with --style-set, e.g.\n"
                   "  zimu burn in.mp4 -s in.srt -o out.mp4 --style box --style-set "
                   "color=#FFD700\n"
                   "\n"
                   "Safe areas (--safe-area APP; default douyin for vertical video, none "
                   "for\n"
                   "landscape video):\n"));
    cli_help_names(stdout, ZIMU_NAMES_SAFE_AREA, 2, 0);
    printf("%s", _("\n"
                   "Fit modes (--fit MODE), how the picture fills --size:\n"));
    cli_help_names(stdout, ZIMU_NAMES_FIT, 2, 0);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_OTHER;
    }
    return CLI_EXIT_OK;
}
