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
            "Usage: zimu styles\n"
            "\n"
            "List the caption style presets, for 'zimu burn --style NAME'. A style\n"
            "can also be a file of 'key = value' lines, and single keys can be\n"
            "changed with --style-set (see docs/styles.md and zimu(1)).\n"
            "\n"
            "Options:\n"
            "  -h, --help            show this help\n"
            "\n"
            "%s",
            cli_exit_help);
}

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
    int n = zimu_style_count();
    size_t width = 0;
    for (int i = 0; i < n; i++)
        if (strlen(zimu_style_name(i)) > width)
            width = strlen(zimu_style_name(i));
    for (int i = 0; i < n; i++)
        printf("%-*s  %s\n", (int)width, zimu_style_name(i), zimu_style_description(i));
    printf("\n"
           "Use one with --style NAME; change a key with --style-set, e.g.\n"
           "  zimu burn in.mp4 -s in.srt -o out.mp4 --style box --style-set color=#FFD700\n"
           "Safe areas (--safe-area): douyin (default for vertical video), kuaishou,\n"
           "tiktok, reels, none (default for landscape video).\n");
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_OTHER;
    }
    return CLI_EXIT_OK;
}
