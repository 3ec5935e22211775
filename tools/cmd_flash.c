/* cmd_flash.c - `zimu flash`: help and the settings of its own.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_flash.h"

void cli_flash_help(FILE *f)
{
    char names[512], text[1024];
    fputs(_("Usage: zimu flash SCRIPT -o OUT.mp4 [options]\n"
            "       zimu flash SCRIPT -i CLIP -o OUT.mp4 [options]\n"
            "       zimu flash SCRIPT (-t TIME | --card K) -o FRAME.png [options]\n"
            "\n"
            "Make a flash text (快闪) video from SCRIPT: short phrases, one card after\n"
            "another, timed by the script, by reading speed or by the beats of its\n"
            "music, each with its animation and look. The script format is in\n"
            "docs/flash.md. Without -i the video stands alone: the cards on coloured\n"
            "or gradient backgrounds, 1080x1920 at 30 frames a second unless the\n"
            "script or --size and --fps say otherwise, as long as the cards run.\n"
            "With -i the cards go over CLIP (its size, frames and sound kept).\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE     the video (.mp4, .mov, .mkv), or a picture (.png)\n"
            "                        of one frame with -t or --card (required)\n"
            "  -i, --input CLIP      put the cards over this video\n"
            "  -y, --yes             replace FILE if it already exists\n"
            "      --music FILE      the soundtrack (any audio or video file), instead\n"
            "                        of the script's 'music:'; trimmed to the video,\n"
            "                        faded out; under CLIP's own sound, which ducks it\n"
            "      --music-replace   the music instead of CLIP's own sound\n"
            "      --no-loudnorm     leave the loudness as it is (default with music:\n"
            "                        -14 LUFS, true peak -1 dBTP, for phones)\n"
            "      --loudnorm        bring CLIP's own sound to the loudness too, when\n"
            "                        there is no music\n"
            "      --lufs N          loudness target, -40 to -5 (default -14)\n"
            "      --true-peak N     highest true peak, -9 to 0 dBTP (default -1)\n"
            "      --size WxH        stand-alone frame size (default: the script's,\n"
            "                        else 1080x1920); with -i the clip's is kept\n"
            "                        unless given\n"
            "      --fps N           stand-alone frame rate: 30, 25, 29.97, 30000/1001\n"
            "                        (default: the script's, else 30)\n"),
          f);
    snprintf(text, sizeof text, _("the cards' look: %s ('zimu styles' describes them; "
             "default: the script's 'look:', else flash), or a style file"),
             cli_names(ZIMU_NAMES_STYLE, names, sizeof names));
    cli_help_opt(f, "      --style NAME|FILE", text);
    fputs(_("      --style-set K=V,K=V  change style keys (see 'zimu burn --help')\n"
            "      --safe-area APP   keep the cards clear of the app's buttons (see\n"
            "                        'zimu burn --help')\n"
            "      --max-lines N     most lines a card shows (default 4)\n"
            "      --title TEXT      a title at the top for the whole video\n"
            "      --font FAMILY     the cards' font (default: Noto Sans CJK SC; TC for\n"
            "                        Traditional Chinese cards)\n"
            "      --chinese MODE    convert the cards and title between Simplified\n"
            "                        and Traditional Chinese: s2t, t2s, s2hk ... (see\n"
            "                        'zimu burn --help')\n"
            "      --fonts-dir DIR   also use the font files in DIR\n"),
          f);
    cli_missing_glyphs_help(f);
    fputs(_("  -t, --time TIME       with -o FRAME.png: the frame at TIME\n"
            "      --card K          with -o FRAME.png: the frame where card K (1 is\n"
            "                        the first) stands complete, its animation in\n"
            "                        over: a cover\n"
            "      --crf N           quality, 0 to 51 (default 20; 0 is lossless)\n"),
          f);
    snprintf(text, sizeof text, _("encoding speed: %s (default medium)"),
             cli_names(ZIMU_NAMES_PRESET, names, sizeof names));
    cli_help_opt(f, "      --preset NAME", text);
    fprintf(f,
            _("      --max-file-size SIZE  read at most SIZE of the script (default 64M)\n"
              "      --progress        show progress even when not on a terminal\n"
              "  -q, --quiet           print nothing but errors\n"
              "      --json            print a JSON summary on standard output\n"
              "  -h, --help            show this help\n"
              "\n"
              "TIME is seconds (90, 1.5) or [hh:]mm:ss[.ms] (01:30).\n"
              "A stand-alone video without music has no sound.\n"
              "\n"
              "Examples:\n"
              "  zimu flash year.txt -o year.mp4 --music song.m4a\n"
              "  zimu flash invite.txt -i street.mp4 -o invite.mp4\n"
              "  zimu flash year.txt --card 1 -o cover.png\n"
              "\n"
              "%s"),
            _(cli_exit_help));
}

int cli_flash_is_png(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    return dot && !strchr(dot, '/') && !strcasecmp(dot, ".png");
}

/* "30", "29.97", "30000/1001" as num/den. 0 or -1. */
static int parse_fps(const char *s, int *num, int *den)
{
    char *end;
    if (strchr(s, '/')) {
        long n = strtol(s, &end, 10);
        if (end == s || *end != '/')
            return -1;
        const char *d0 = end + 1;
        long d = strtol(d0, &end, 10);
        if (end == d0 || *end || n <= 0 || d <= 0 || n > 1000000 || d > 1000000)
            return -1;
        *num = (int)n;
        *den = (int)d;
        return 0;
    }
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v <= 0 || v > 1000)
        return -1;
    *num = (int)lround(v * 1000);
    *den = 1000;
    return 0;
}

static int failed(zimu_job *job, int rc, const char *opt, const char *value)
{
    const char *m = zimu_errmsg(job);
    if (rc == ZIMU_EINVAL) {
        cli_error("%s: %s (see 'zimu flash --help')", opt, *m ? m : value);
        return CLI_EXIT_USAGE;
    }
    cli_error("%s", *m ? m : zimu_strerror(rc));
    return cli_exit_code(rc);
}

int cli_flash_setup(zimu_job *job, const struct cli_flash_args *a)
{
    int rc;
    if ((rc = zimu_job_set_flash(job, a->script)) < 0)
        return failed(job, rc, "script", a->script);
    if (a->fps) {
        int num, den;
        if (parse_fps(a->fps, &num, &den) < 0) {
            cli_error("--fps: '%s' is not a frame rate (30, 29.97, 30000/1001) (see "
                      "'zimu flash --help')", a->fps);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_frame_rate(job, num, den)) < 0)
            return failed(job, rc, "--fps", a->fps);
    }
    return 0;
}
