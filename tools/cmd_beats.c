/* cmd_beats.c - `zimu beats FILE`: the tempo, beat times and downbeats of
 * the sound of an audio or video file, as text or one JSON object.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_beats.h"

void cli_beats_help(FILE *f)
{
    fprintf(f,
            _("Usage: zimu beats FILE [options]\n"
              "\n"
              "Find the tempo, the beats and the downbeats (bar starts) of the sound of\n"
              "an audio or video file: for cutting, or cards, on the beat. Times are in\n"
              "seconds (1 ms steps). Sound without a steady pulse (silence, noise,\n"
              "speech) gives no beats and a tempo of 0 rather than invented ones.\n"
              "\n"
              "Options:\n"));
    cli_help_opt(f, "      --json",
                 _("print one JSON object: {\"bpm\": 120.0, \"confidence\": 0.93, "
                   "\"beats\": [0.512, 1.012, ...], \"downbeats\": [...]}"));
    cli_help_opt(f, "      --bpm N", _("the tempo is known: place the beats at N BPM (30-300)"));
    cli_help_opt(f, "      --min-bpm N", _("the slowest tempo to look for (default 60)"));
    cli_help_opt(f, "      --max-bpm N", _("the fastest tempo to look for (default 180)"));
    cli_help_opt(f, "      --first-beat T",
                 _("the first beat is at T seconds: beats go through it"));
    cli_help_opt(f, "  -q, --quiet", _("text output: only the beat times, one a line"));
    cli_help_opt(f, "  -h, --help", _("show this help"));
    fprintf(f,
            _("\n"
              "Example:\n"
              "  zimu beats song.m4a --json > beats.json\n"
              "\n"
              "%s"),
            _(cli_exit_help));
}

static int number(const char *opt, const char *text, double *v)
{
    char *end;
    errno = 0;
    double d = text ? strtod(text, &end) : 0;
    if (!text || end == text || *end || errno || !isfinite(d)) {
        cli_error("%s: '%s' is not a number (see 'zimu beats --help')", opt,
                  text ? text : "");
        return -1;
    }
    *v = d;
    return 0;
}

/* Every option the loop below accepts (a test tries each). */
const char *const cli_beats_options[] = {"--help", "-h", "--json", "--quiet", "-q", "--bpm",
                                         "--min-bpm", "--max-bpm", "--first-beat", NULL};

int cli_beats(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, quiet = 0;
    double bpm = 0, min_bpm = 60, max_bpm = 180, first = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_beats_help(stdout);
            return CLI_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--bpm") || !strcmp(a, "--min-bpm") || !strcmp(a, "--max-bpm") ||
                   !strcmp(a, "--first-beat")) {
            double v;
            if (number(a, i + 1 < argc ? argv[i + 1] : NULL, &v) < 0)
                return CLI_EXIT_USAGE;
            i++;
            if (!strcmp(a, "--bpm"))
                bpm = v;
            else if (!strcmp(a, "--min-bpm"))
                min_bpm = v;
            else if (!strcmp(a, "--max-bpm"))
                max_bpm = v;
            else if (v < 0) {
                cli_error("--first-beat: %g is before the start", v);
                return CLI_EXIT_USAGE;
            } else
                first = v;
        } else if (a[0] == '-' && a[1]) {
            char hint[64];
            cli_error("unknown option '%s'%s (see 'zimu beats --help')", a,
                      a[1] == '-' ? cli_hint(a, cli_beats_options, hint, sizeof hint) : "");
            return CLI_EXIT_USAGE;
        } else if (path) {
            cli_error("one file at a time: '%s' and '%s' (see 'zimu beats --help')", path, a);
            return CLI_EXIT_USAGE;
        } else {
            path = a;
        }
    }
    if (!path) {
        cli_error("no file to analyse (see 'zimu beats --help')");
        return CLI_EXIT_USAGE;
    }
    zimu_beats *b = zimu_beats_new();
    if (!b) {
        cli_error("out of memory");
        return CLI_EXIT_OTHER;
    }
    int r = zimu_beats_set_bpm_range(b, min_bpm, max_bpm);
    if (r == 0)
        r = zimu_beats_set_bpm(b, bpm);
    if (r == 0)
        r = zimu_beats_set_first_beat(b, first);
    if (r < 0) {
        cli_error("%s", zimu_errmsg(b));
        zimu_beats_free(&b);
        return CLI_EXIT_USAGE;
    }
    r = zimu_beats_analyze(b, path);
    if (r < 0) {
        cli_error("%s", zimu_errmsg(b));
        zimu_beats_free(&b);
        return cli_exit_code(r);
    }
    int n = zimu_beats_count(b), nd = zimu_beats_downbeat_count(b);
    if (json) {
        printf("{\"bpm\": %.1f, \"confidence\": %.2f, \"beats\": [", zimu_beats_bpm(b),
               zimu_beats_confidence(b));
        for (int i = 0; i < n; i++)
            printf("%s%.3f", i ? ", " : "", zimu_beats_time(b, i));
        printf("], \"downbeats\": [");
        for (int i = 0; i < nd; i++)
            printf("%s%.3f", i ? ", " : "", zimu_beats_downbeat_time(b, i));
        printf("]}\n");
    } else if (quiet) {
        for (int i = 0; i < n; i++)
            printf("%.3f\n", zimu_beats_time(b, i));
    } else {
        if (n)
            printf(_("Tempo: %.1f BPM\n"), zimu_beats_bpm(b));
        else
            printf("%s", _("Tempo: none (no steady beat found)\n"));
        printf(_("Confidence: %.2f\n"), zimu_beats_confidence(b));
        printf(_("Beats: %d\n"), n);
        for (int i = 0; i < n; i++)
            printf("%.3f\n", zimu_beats_time(b, i));
        printf(_("Downbeats: %d\n"), nd);
        for (int i = 0; i < nd; i++)
            printf("%.3f\n", zimu_beats_downbeat_time(b, i));
    }
    zimu_beats_free(&b);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_OTHER;
    }
    return CLI_EXIT_OK;
}
