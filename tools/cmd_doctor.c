/* cmd_doctor.c - `zimu doctor`: one line for each thing zimu needs or can
 * use (the library's zimu_doctor checks), what was found, and the Debian
 * command that installs what is missing; or one JSON object.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_doctor.h"

void cli_doctor_help(FILE *f)
{
    fprintf(f,
            _("Usage: zimu doctor [options]\n"
              "\n"
              "Check what zimu needs on this machine and what it can use: the fonts\n"
              "(Noto Sans CJK SC and TC, an emoji and symbol font), libass and its\n"
              "features, FFmpeg's libraries and the H.264 encoder, ICU's Chinese word\n"
              "breaks, OpenCC's data and the zh_CN.UTF-8 locale. One line each: ok,\n"
              "missing (zimu needs it) or optional-missing (zimu works without it),\n"
              "what was found, and for what is missing what zimu cannot do and the\n"
              "command that installs it.\n"
              "\n"
              "Options:\n"));
    cli_help_opt(f, "      --fonts-dir DIR",
                 _("also look in DIR, as 'zimu burn --fonts-dir' does"));
    cli_help_opt(f, "      --json",
                 _("print one JSON object: {\"ok\": true, \"missing\": 0, \"items\": "
                   "[{\"key\": \"font-sc\", \"what\": ..., \"status\": \"ok\", "
                   "\"found\": ..., \"impact\": null, \"fix\": null}, ...]}"));
    cli_help_opt(f, "  -h, --help", _("show this help"));
    fprintf(f,
            _("\n"
              "Exit status: 0 when everything zimu needs is there (optional items may\n"
              "be missing); else, from the table of 'zimu help': 6 for a missing\n"
              "font (or a --fonts-dir that does not exist), 9 for a missing H.264\n"
              "encoder; 1 for a wrong command line.\n"));
}

static const char *status_name(int s)
{
    switch (s) {
    case ZIMU_DOCTOR_OK: return "ok";
    case ZIMU_DOCTOR_MISSING: return "missing";
    default: return "optional-missing";
    }
}

static void print_json(const zimu_doctor *d, int missing)
{
    static const char *const fields[] = {"key", "what", "found", "impact", "fix"};
    static const int ids[] = {ZIMU_DOCTOR_KEY, ZIMU_DOCTOR_WHAT, ZIMU_DOCTOR_FOUND,
                              ZIMU_DOCTOR_IMPACT, ZIMU_DOCTOR_FIX};
    printf("{\"ok\": %s, \"missing\": %d, \"items\": [", missing ? "false" : "true", missing);
    for (int i = 0; i < zimu_doctor_count(d); i++) {
        printf("%s\n  {", i ? "," : "");
        for (int k = 0; k < 5; k++) {
            printf("%s\"%s\": ", k ? ", " : "", fields[k]);
            cli_json_string(stdout, zimu_doctor_text(d, i, ids[k]));
            if (k == 1)
                printf(", \"status\": \"%s\"", status_name(zimu_doctor_status(d, i)));
        }
        printf("}");
    }
    printf("\n]}\n");
}

/* The status as the text output words it (the JSON keeps status_name). */
static const char *status_text(int s)
{
    switch (s) {
    case ZIMU_DOCTOR_OK: return _("ok");
    case ZIMU_DOCTOR_MISSING: return _("missing");
    default: return _("optional-missing");
    }
}

static void print_text(const zimu_doctor *d)
{
    /* the statuses in a column as wide as the widest, in columns (a
     * Chinese word takes two a character) */
    int width = 0;
    for (int s = ZIMU_DOCTOR_OK; s <= ZIMU_DOCTOR_OPTIONAL_MISSING; s++)
        if (cli_text_columns(status_text(s)) > width)
            width = cli_text_columns(status_text(s));
    for (int i = 0; i < zimu_doctor_count(d); i++) {
        const char *st = status_text(zimu_doctor_status(d, i));
        printf("%s%*s %s: %s", st, width - cli_text_columns(st), "",
               zimu_doctor_text(d, i, ZIMU_DOCTOR_WHAT), zimu_doctor_text(d, i, ZIMU_DOCTOR_FOUND));
        const char *impact = zimu_doctor_text(d, i, ZIMU_DOCTOR_IMPACT);
        const char *fix = zimu_doctor_text(d, i, ZIMU_DOCTOR_FIX);
        if (impact)
            printf(_("; without it: %s"), impact);
        if (fix)
            printf(_("; install: %s"), fix);
        printf("\n");
    }
}

/* Its options, for the completion and the "did you mean" of a typo. */
const char *const cli_doctor_options[] = {"--help", "-h", "--json", "--fonts-dir", NULL};

int cli_doctor(int argc, char **argv)
{
    int json = 0;
    const char *fonts_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_doctor_help(stdout);
            return CLI_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--fonts-dir")) {
            if (i + 1 >= argc) {
                cli_error("--fonts-dir needs a directory (see 'zimu doctor --help')");
                return CLI_EXIT_USAGE;
            }
            fonts_dir = argv[++i];
        } else {
            char hint[160];
            cli_error("'zimu doctor' takes no argument '%s'%s (see 'zimu doctor --help')", a,
                      a[0] == '-' && a[1] == '-'
                          ? cli_hint(a, cli_doctor_options, hint, sizeof hint)
                          : "");
            return CLI_EXIT_USAGE;
        }
    }
    zimu_doctor *d = zimu_doctor_new();
    if (!d) {
        cli_error("out of memory");
        return CLI_EXIT_OTHER;
    }
    int r = zimu_doctor_set_fonts_dir(d, fonts_dir);
    if (r >= 0)
        r = zimu_doctor_run(d);
    if (r < 0) {
        cli_error("%s", *zimu_errmsg(d) ? zimu_errmsg(d) : zimu_strerror(r));
        zimu_doctor_free(&d);
        return cli_exit_code(r);
    }
    if (json)
        print_json(d, r);
    else
        print_text(d);
    /* the status of the first missing item zimu needs */
    int status = CLI_EXIT_OK;
    for (int i = 0; i < zimu_doctor_count(d) && status == CLI_EXIT_OK; i++)
        if (zimu_doctor_status(d, i) == ZIMU_DOCTOR_MISSING)
            status = cli_exit_code(zimu_doctor_error(d, i));
    zimu_doctor_free(&d);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_OTHER;
    }
    if (status != CLI_EXIT_OK && !json)
        cli_error(ngettext("%d thing zimu needs is missing (see the install commands above)",
                           "%d things zimu needs are missing (see the install commands "
                           "above)", r), r);
    return status;
}
