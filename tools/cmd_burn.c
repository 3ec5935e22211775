/* cmd_burn.c - `zimu burn`, `zimu preview`, `zimu convert` and `zimu
 * flash`: options, progress, summary.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Argument parsing and printing only; the work is libzimu's, through
 * <zimu.h>. The commands share one option table and one job set-up, so a
 * preview frame, and the ASS file convert writes, are made with exactly
 * the settings a burn would use.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_batch.h"
#include "cmd_flash.h"

enum { CMD_BURN = 1, CMD_PREVIEW = 2, CMD_CONVERT = 4, CMD_FLASH = 8, CMD_BATCH = 16 };

enum {
    O_SUBS, O_OUTPUT, O_TIME, O_YES, O_QUIET, O_JSON, O_PROGRESS, O_NULL,
    O_SIZE, O_FIT, O_FROM, O_TO, O_FONT, O_FONTS_DIR, O_CRF, O_PRESET, O_HELP,
    O_STYLE, O_STYLE_SET, O_SAFE_AREA, O_MAX_LINES, O_HIGHLIGHT, O_TITLE, O_COVER,
    O_CHARENC, O_SHIFT, O_TIME_SCALE, O_OVERLAP, O_MIN_DURATION, O_CPS,
    O_SUB_STREAM, O_LOGO, O_LOGO_CORNER, O_LOGO_WIDTH, O_CLIP,
    O_MAX_FILE_SIZE,
    O_STRICT, O_MISSING_GLYPHS,
    O_MUSIC, O_MUSIC_REPLACE, O_LOUDNORM, O_NO_LOUDNORM, O_LUFS, O_TRUE_PEAK,
    O_FPS, O_CARD,
    O_JOBS, O_RECURSIVE, O_FORCE, O_DRY_RUN, O_MANIFEST, O_SHARD, O_MERGE_REPORTS,
    O_CHINESE,
};

struct optdef {
    const char *name; /* long name, without "--" */
    char short_name;  /* 0: none */
    int has_arg;
    int id;
    unsigned cmds; /* CMD_* that accept it */
};

#define BP (CMD_BURN | CMD_PREVIEW)
#define ALL (CMD_BURN | CMD_PREVIEW | CMD_CONVERT)
#define BF (CMD_BURN | CMD_FLASH | CMD_BATCH)
#define AF (ALL | CMD_FLASH | CMD_BATCH)
#define BB (CMD_BURN | CMD_BATCH)
static const struct optdef optdefs[] = {
    {"subs", 's', 1, O_SUBS, BP},
    {"output", 'o', 1, O_OUTPUT, AF},
    {"time", 't', 1, O_TIME, CMD_PREVIEW | CMD_FLASH},
    {"yes", 'y', 0, O_YES, AF},
    {"quiet", 'q', 0, O_QUIET, AF},
    {"json", 0, 0, O_JSON, BF},
    {"progress", 0, 0, O_PROGRESS, BF},
    {"null", 0, 0, O_NULL, CMD_BURN},
    {"size", 0, 1, O_SIZE, AF},
    {"fit", 0, 1, O_FIT, AF},
    {"from", 0, 1, O_FROM, CMD_BURN},
    {"to", 0, 1, O_TO, CMD_BURN},
    {"font", 0, 1, O_FONT, AF},
    {"fonts-dir", 0, 1, O_FONTS_DIR, AF},
    {"missing-glyphs", 0, 1, O_MISSING_GLYPHS, BP | CMD_FLASH | CMD_BATCH},
    {"crf", 0, 1, O_CRF, BF},
    {"preset", 0, 1, O_PRESET, BF},
    {"help", 'h', 0, O_HELP, AF},
    {"style", 0, 1, O_STYLE, AF},
    {"style-set", 0, 1, O_STYLE_SET, AF},
    {"safe-area", 0, 1, O_SAFE_AREA, AF},
    {"max-lines", 0, 1, O_MAX_LINES, AF},
    {"highlight", 0, 0, O_HIGHLIGHT, ALL | CMD_BATCH},
    {"title", 0, 1, O_TITLE, AF},
    {"cover", 0, 0, O_COVER, CMD_PREVIEW},
    {"charenc", 0, 1, O_CHARENC, ALL | CMD_BATCH},
    {"shift", 0, 1, O_SHIFT, ALL | CMD_BATCH},
    {"time-scale", 0, 1, O_TIME_SCALE, ALL | CMD_BATCH},
    {"overlap", 0, 1, O_OVERLAP, ALL | CMD_BATCH},
    {"min-duration", 0, 1, O_MIN_DURATION, ALL | CMD_BATCH},
    {"cps", 0, 1, O_CPS, ALL | CMD_BATCH},
    {"sub-stream", 0, 1, O_SUB_STREAM, BP},
    {"logo", 0, 1, O_LOGO, BP | CMD_BATCH},
    {"logo-corner", 0, 1, O_LOGO_CORNER, BP | CMD_BATCH},
    {"logo-width", 0, 1, O_LOGO_WIDTH, BP | CMD_BATCH},
    {"input", 'i', 1, O_CLIP, CMD_CONVERT | CMD_FLASH},
    {"max-file-size", 0, 1, O_MAX_FILE_SIZE, AF},
    {"strict", 0, 0, O_STRICT, BB},
    {"music", 0, 1, O_MUSIC, BF},
    {"music-replace", 0, 0, O_MUSIC_REPLACE, BF},
    {"loudnorm", 0, 0, O_LOUDNORM, BF},
    {"no-loudnorm", 0, 0, O_NO_LOUDNORM, BF},
    {"lufs", 0, 1, O_LUFS, BF},
    {"true-peak", 0, 1, O_TRUE_PEAK, BF},
    {"fps", 0, 1, O_FPS, CMD_FLASH},
    {"card", 0, 1, O_CARD, CMD_FLASH},
    {"jobs", 'j', 1, O_JOBS, CMD_BATCH},
    {"recursive", 'r', 0, O_RECURSIVE, CMD_BATCH},
    {"force", 0, 0, O_FORCE, CMD_BATCH},
    {"dry-run", 0, 0, O_DRY_RUN, CMD_BATCH},
    {"manifest", 0, 1, O_MANIFEST, CMD_BATCH},
    {"shard", 0, 1, O_SHARD, CMD_BATCH},
    {"merge-reports", 0, 1, O_MERGE_REPORTS, CMD_BATCH},
    {"chinese", 0, 1, O_CHINESE, AF},
};
#define N_OPTDEFS (sizeof optdefs / sizeof optdefs[0])

struct opts {
    int cmd;
    const char *cmd_name;
    const char *input, *subs, *output, *time, *size, *fit, *from, *to;
    const char *font, *fonts_dir, *crf, *preset, *missing_glyphs;
    int yes, quiet, json, progress, null_out, help;
    /* styles and layout */
    const char *style, *safe_area, *max_lines, *title;
    const char *style_set[64]; /* every --style-set, in order */
    int n_style_set, highlight, cover;
    const char *charenc, *shift, *time_scale, *overlap, *min_duration, *cps;
    const char *sub_stream, *logo, *logo_corner, *logo_width;
    const char *clip; /* convert: the video whose frame the ASS is for;
                         flash: the clip the cards go over */
    const char *max_file_size;
    const char *chinese; /* Simplified <-> Traditional conversion */
    int strict;       /* burn: damage in the input fails the run */
    /* burn, flash: sound */
    const char *music, *lufs, *true_peak;
    int music_replace, loudnorm, no_loudnorm;
    struct cli_flash_args flash; /* flash: the script and its options */
    const char *card;  /* flash: the frame where card K stands complete */
    struct cli_batch_args batch; /* batch: the folders and its options */
};

/* ------------------------------------------------------------------------
 * Help.
 */

static const char time_help[] =
    N_("TIME is seconds (90, 1.5) or [hh:]mm:ss[.ms] (01:30, 1:02:03.250).\n");

/* Caption reading and timing options, the same for burn and preview. */
static void caption_timing_help(FILE *f)
{
    fputs(_("      --charenc NAME    encoding of SUBS (GB18030, BIG5, UTF-16LE ...);\n"
            "                        default: detected\n"
            "      --shift TIME      move every caption later (negative: earlier,\n"
            "                        --shift -1.5)\n"
            "      --time-scale F    multiply caption times by F (a number or a ratio:\n"
            "                        23.976/25 for captions timed on a 23.976 fps copy\n"
            "                        shown on a 25 fps one); before --shift\n"
            "      --overlap MODE    captions whose times overlap (default keep):\n"),
          f);
    cli_help_names(f, ZIMU_NAMES_OVERLAP, 26, 1);
    fputs(_("      --min-duration TIME  show every caption at least TIME, up to the\n"
            "                        next caption's start\n"
            "      --cps N           plain-text SUBS (.txt): reading speed, characters\n"
            "                        a second (default 4)\n"
            "      --max-file-size SIZE  read at most SIZE of a caption, style or logo\n"
            "                        file (64M, 1G, bytes; default 64M)\n"),
          f);
}

/* The options whose values are the library's lists. --missing-glyphs is
 * also flash's. */
void cli_missing_glyphs_help(FILE *f)
{
    char names[64], text[512];
    snprintf(text, sizeof text, _("a caption character that no font can draw (it would "
             "show as an empty box): %s (default warn)"),
             cli_names(ZIMU_NAMES_MISSING_GLYPHS, names, sizeof names));
    cli_help_opt(f, "      --missing-glyphs ACTION", text);
}

static void logo_help(FILE *f)
{
    char names[256], text[512];
    fputs(_("      --logo FILE       draw the PNG picture FILE (with its transparency)\n"
            "                        in a corner, inside the app's safe area\n"),
          f);
    snprintf(text, sizeof text, _("%s (default tr)"), cli_names(ZIMU_NAMES_CORNER, names,
                                                              sizeof names));
    cli_help_opt(f, "      --logo-corner C", text);
    fputs(_("      --logo-width F    logo width as a fraction of the frame width\n"
            "                        (default 0.15)\n"),
          f);
}

/* --chinese and its modes (the library's list). */
static void chinese_help(FILE *f)
{
    fputs(_("      --chinese MODE    convert between Simplified and Traditional Chinese\n"
            "                        (OpenCC, phrase by phrase) the captions, cards and\n"
            "                        title; Traditional text is drawn in Noto Sans CJK\n"
            "                        TC (HK after s2hk, t2hk) unless --font is given.\n"
            "                        MODE:\n"),
          f);
    cli_help_names(f, ZIMU_NAMES_CHINESE, 26, 1);
}

static void style_help(FILE *f)
{
    char names[512], text[1024];
    snprintf(text, sizeof text, _("caption style: %s ('zimu styles' describes them; default "
             "classic), or a style file"), cli_names(ZIMU_NAMES_STYLE, names, sizeof names));
    cli_help_opt(f, "      --style NAME|FILE", text);
    fputs(_("      --style-set K=V,K=V  change style keys: size=0.05 (of the frame's\n"
            "                        long side) or 60px, color=#FFD700, box=rounded,\n"
            "                        align=top, title.size=0.06 ... (may be repeated)\n"),
          f);
    snprintf(text, sizeof text, _("keep captions clear of the app's buttons: %s (default: "
             "douyin for vertical video, none for landscape video; 'zimu styles' "
             "describes them)"), cli_names(ZIMU_NAMES_SAFE_AREA, names, sizeof names));
    cli_help_opt(f, "      --safe-area APP", text);
}

void cli_burn_help(FILE *f)
{
    char names[512], text[1024];
    fputs(_("Usage: zimu burn INPUT -s SUBS -o OUTPUT [options]\n"
            "       zimu burn INPUT --sub-stream N -o OUTPUT [options]\n"
            "\n"
            "Burn the captions of SUBS (.srt, .ass, .ssa, .vtt, .lrc, whisper.cpp .json,\n"
            "plain .txt; any common encoding) into the video INPUT\n"
            "and write OUTPUT (.mp4, .mov or .mkv; H.264). INPUT is never changed, and\n"
            "OUTPUT appears only when it is complete.\n"
            "\n"
            "Options:\n"
            "  -s, --subs FILE       subtitle file (required, unless --sub-stream)\n"
            "      --sub-stream N    take the captions from INPUT's own subtitle stream\n"
            "                        N (0 = the first: mov_text in MP4, SubRip, WebVTT\n"
            "                        or ASS in MKV), instead of -s\n"
            "  -o, --output FILE     output video (required, except with --null)\n"
            "  -y, --yes             replace OUTPUT if it already exists\n"
            "      --size WxH        output size, e.g. 1080x1920 (default: input's size)\n"
            "      --fit MODE        how the picture fills --size (default auto):\n"),
          f);
    cli_help_names(f, ZIMU_NAMES_FIT, 26, 1);
    fputs(_("      --from TIME       start at TIME of the input (default: the start)\n"
            "      --to TIME         stop at TIME of the input (default: the end)\n"
            "      --font FAMILY     caption font (default: Noto Sans CJK SC; TC for\n"
            "                        Traditional Chinese)\n"
            "      --fonts-dir DIR   also use the font files in DIR\n"),
          f);
    cli_missing_glyphs_help(f);
    logo_help(f);
    style_help(f);
    fputs(_("      --max-lines N     most lines a caption shows at once (default 2);\n"
            "                        longer text is shown in parts, one after another\n"
            "      --highlight       colour each word as it is spoken (word timings of\n"
            "                        whisper.cpp JSON, enhanced LRC)\n"
            "      --title TEXT      a title at the top for the whole video\n"),
          f);
    chinese_help(f);
    caption_timing_help(f);
    fputs(_("      --crf N           quality, 0 to 51: lower is better and bigger\n"
            "                        (default 20; 0 is lossless)\n"),
          f);
    snprintf(text, sizeof text, _("encoding speed: %s (default medium); slower gives "
             "smaller files"), cli_names(ZIMU_NAMES_PRESET, names, sizeof names));
    cli_help_opt(f, "      --preset NAME", text);
    fputs(_("      --music FILE      a song (any audio file) as the soundtrack: from its\n"
            "                        start, cut to the video's length and faded out at\n"
            "                        the end, under the clip's sound and 10 dB quieter\n"
            "                        while someone speaks in it\n"
            "      --music-replace   the song instead of the clip's own sound\n"
            "      --loudnorm        bring the sound to a loudness for phones (-14 LUFS,\n"
            "                        true peak -1 dBTP); on with --music\n"
            "      --no-loudnorm     with --music: keep the levels as they are\n"
            "      --lufs N          loudness target, -40 to -5 (default -14)\n"
            "      --true-peak N     highest true peak in dBTP, -9 to 0 (default -1)\n"),
          f);
    fprintf(f,
            _("      --null            do all the work but write no file (speed test)\n"
              "      --progress        show progress even when not on a terminal\n"
              "  -q, --quiet           print nothing but errors\n"
              "      --json            print a JSON summary on standard output\n"
              "      --strict          fail (exit status 3) when the input is damaged\n"
              "                        (garbage, missing frames, cut off) instead of\n"
              "                        burning what can be decoded with a warning\n"
              "  -h, --help            show this help\n"
              "\n"
              "%s"
              "\n"
              "Examples:\n"
              "  zimu burn talk.mp4 -s talk.srt -o talk-sub.mp4\n"
              "  zimu burn lecture.mp4 -s lecture.srt -o part1.mp4 --from 12:30 --to 13:30\n"
              "  zimu burn wide.mp4 -s wide.srt -o tall.mp4 --size 1080x1920 --fit blur\n"
              "  zimu burn vlog.mp4 -s vlog.srt -o out.mp4 --music song.mp3\n"
              "\n"
              "%s"),
            _(time_help), _(cli_exit_help));
}

void cli_convert_help(FILE *f)
{
    fputs(_("Usage: zimu convert INPUT -o OUTPUT [options]\n"
            "\n"
            "Convert a caption file to SRT, WebVTT, ASS or LRC; the format is taken\n"
            "from the name of OUTPUT (.srt, .vtt, .ass, .lrc). INPUT may be any format\n"
            "'zimu burn' reads: SRT, ASS/SSA, WebVTT, LRC, whisper.cpp JSON or plain\n"
            "text (.txt, one caption per line). The text is read in its own encoding\n"
            "and written as UTF-8.\n"
            "\n"
            "  - To ASS: the script 'zimu burn' renders with the same options: the\n"
            "    style, wrapped and placed inside the app's safe area, the title, on a\n"
            "    --size frame or the frame of the video -i CLIP (with --size and --fit\n"
            "    as a burn of it uses them). Burning that script gives the same\n"
            "    picture as burning INPUT with these options.\n"
            "  - To SRT and WebVTT: italic, bold, underline and colour (from tags or\n"
            "    an ASS style) are kept as tags, WebVTT colours as classes; other ASS\n"
            "    styling and drawings are dropped.\n"
            "  - To LRC: one line per caption, word times when the input has them.\n"
            "  - ASS and LRC times have 10 ms steps: times are rounded to them.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE     file to write (required)\n"
            "  -y, --yes             replace OUTPUT if it already exists\n"
            "  -i, --input CLIP      lay the ASS out for this video's frame\n"
            "      --size WxH        frame the ASS output is laid out for (default:\n"
            "                        CLIP's size, or 1080x1920 without -i)\n"
            "      --fit MODE        how CLIP's picture fills --size (see 'zimu burn\n"
            "                        --help')\n"
            "      --font FAMILY     caption font (default: Noto Sans CJK SC; TC for\n"
            "                        Traditional Chinese)\n"
            "      --fonts-dir DIR   also use the font files in DIR\n"),
          f);
    style_help(f);
    fputs(_("      --max-lines N     most lines a caption shows at once (default 2)\n"
            "      --highlight       colour each word as it is spoken\n"
            "      --title TEXT      a title at the top for the whole video\n"),
          f);
    chinese_help(f);
    caption_timing_help(f);
    fprintf(f,
            _("  -q, --quiet           print nothing but errors\n"
              "  -h, --help            show this help\n"
              "\n"
              "%s"
              "\n"
              "Examples:\n"
              "  zimu convert talk.srt -o talk.vtt\n"
              "  zimu convert talk.srt -o talk.ass --size 720x1280 --style box\n"
              "  zimu convert lecture.srt -o lecture.ass -i lecture.mp4 --size 1080x1920 "
              "--fit blur\n"
              "  zimu convert old.srt -o fixed.srt --shift 2.5 --charenc GB18030\n"
              "\n"
              "%s"),
            _(time_help), _(cli_exit_help));
}

void cli_preview_help(FILE *f)
{
    char names[512], text[1024];
    fputs(_("Usage: zimu preview INPUT -s SUBS -t TIME -o FRAME.png [options]\n"
            "       zimu preview INPUT --sub-stream N -t TIME -o FRAME.png [options]\n"
            "\n"
            "Save the frame of INPUT at TIME, with its captions, as a PNG picture, to\n"
            "check the captions before burning a whole video. It is made exactly as\n"
            "'zimu burn' with the same options would make it.\n"
            "\n"
            "Options:\n"
            "  -s, --subs FILE       subtitle file (required, unless --sub-stream)\n"
            "      --sub-stream N    take the captions from INPUT's own subtitle stream\n"
            "                        N (0 = the first: mov_text in MP4, SubRip, WebVTT\n"
            "                        or ASS in MKV), instead of -s\n"
            "  -t, --time TIME       time of the frame in the video (required)\n"
            "  -o, --output FILE     picture to write, .png (required)\n"
            "  -y, --yes             replace FILE if it already exists\n"
            "      --size WxH        frame size, e.g. 1080x1920 (default: input's size)\n"),
          f);
    snprintf(text, sizeof text, _("%s (default auto; see 'zimu burn --help')"),
             cli_names(ZIMU_NAMES_FIT, names, sizeof names));
    cli_help_opt(f, "      --fit MODE", text);
    fputs(_("      --font FAMILY     caption font (default: Noto Sans CJK SC; TC for\n"
            "                        Traditional Chinese)\n"
            "      --fonts-dir DIR   also use the font files in DIR\n"),
          f);
    cli_missing_glyphs_help(f);
    logo_help(f);
    fputs(_("      --style, --style-set, --safe-area, --max-lines, --highlight, --title,\n"
            "      --chinese         as for 'zimu burn'\n"
            "      --cover           the cover instead: the frame at TIME with the\n"
            "                        --title drawn big in the middle and no captions\n"
            "                        (-s is not needed then)\n"),
          f);
    caption_timing_help(f);
    fprintf(f,
            _("  -q, --quiet           print nothing but errors\n"
              "  -h, --help            show this help\n"
              "\n"
              "%s"
              "\n"
              "Example:\n"
              "  zimu preview talk.mp4 -s talk.srt -t 5 -o check.png\n"
              "  zimu preview talk.mp4 --cover --title '社区讲堂' -t 3 -o cover.png\n"
              "\n"
              "%s"),
            _(time_help), _(cli_exit_help));
}

/* ------------------------------------------------------------------------
 * Parsing.
 */

static void usage_error(const struct opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void usage_error(const struct opts *o, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, _(fmt), ap);
    va_end(ap);
    cli_error("%s (see 'zimu %s --help')", buf, o->cmd_name);
}

static const struct optdef *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTDEFS; i++)
        if (strlen(optdefs[i].name) == len && !strncmp(optdefs[i].name, name, len))
            return &optdefs[i];
    return NULL;
}

static const struct optdef *find_short(char c)
{
    for (size_t i = 0; i < N_OPTDEFS; i++)
        if (optdefs[i].short_name == c)
            return &optdefs[i];
    return NULL;
}

static void store(struct opts *o, int id, const char *val)
{
    switch (id) {
    case O_SUBS: o->subs = val; break;
    case O_OUTPUT: o->output = val; break;
    case O_TIME: o->time = val; break;
    case O_YES: o->yes = 1; break;
    case O_QUIET: o->quiet = 1; break;
    case O_JSON: o->json = 1; break;
    case O_PROGRESS: o->progress = 1; break;
    case O_NULL: o->null_out = 1; break;
    case O_STRICT: o->strict = 1; break;
    case O_SIZE: o->size = val; break;
    case O_FIT: o->fit = val; break;
    case O_FROM: o->from = val; break;
    case O_TO: o->to = val; break;
    case O_FONT: o->font = val; break;
    case O_FONTS_DIR: o->fonts_dir = val; break;
    case O_MISSING_GLYPHS: o->missing_glyphs = val; break;
    case O_CRF: o->crf = val; break;
    case O_PRESET: o->preset = val; break;
    case O_HELP: o->help = 1; break;
    case O_STYLE: o->style = val; break;
    case O_STYLE_SET:
        if (o->n_style_set < (int)(sizeof o->style_set / sizeof *o->style_set))
            o->style_set[o->n_style_set] = val;
        o->n_style_set++; /* too many: refused in setup_styles */
        break;
    case O_SAFE_AREA: o->safe_area = val; break;
    case O_MAX_LINES: o->max_lines = val; break;
    case O_HIGHLIGHT: o->highlight = 1; break;
    case O_TITLE: o->title = val; break;
    case O_COVER: o->cover = 1; break;
    case O_CHARENC: o->charenc = val; break;
    case O_SHIFT: o->shift = val; break;
    case O_TIME_SCALE: o->time_scale = val; break;
    case O_OVERLAP: o->overlap = val; break;
    case O_MIN_DURATION: o->min_duration = val; break;
    case O_CPS: o->cps = val; break;
    case O_SUB_STREAM: o->sub_stream = val; break;
    case O_LOGO: o->logo = val; break;
    case O_LOGO_CORNER: o->logo_corner = val; break;
    case O_LOGO_WIDTH: o->logo_width = val; break;
    case O_CLIP: o->clip = val; break;
    case O_MAX_FILE_SIZE: o->max_file_size = val; break;
    case O_MUSIC: o->music = val; break;
    case O_MUSIC_REPLACE: o->music_replace = 1; break;
    case O_LOUDNORM: o->loudnorm = 1; break;
    case O_NO_LOUDNORM: o->no_loudnorm = 1; break;
    case O_LUFS: o->lufs = val; break;
    case O_TRUE_PEAK: o->true_peak = val; break;
    case O_FPS: o->flash.fps = val; break;
    case O_CARD: o->card = val; break;
    case O_JOBS: o->batch.jobs = val; break;
    case O_RECURSIVE: o->batch.recursive = 1; break;
    case O_FORCE: o->yes = 1; break;
    case O_DRY_RUN: o->batch.dry_run = 1; break;
    case O_MANIFEST: o->batch.manifest = val; break;
    case O_SHARD: o->batch.shard = val; break;
    case O_MERGE_REPORTS: o->batch.merge_dir = val; break;
    case O_CHINESE: o->chinese = val; break;
    }
}

/* The word after an option that needs a value is taken as the value,
 * unless it is another option: "-s -o out.mp4" is a missing value, not a
 * subtitle file named "-o". "-" and negative numbers are values. */
static int looks_like_option(const char *a)
{
    return a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9');
}

/* An option d (given as "--name" when is_long) without its value: the
 * next word, if any, looks like an option. When that word is none of ours
 * or looks like a file name ("-x.mp4"), it is most likely a file name
 * starting with '-': say how to give one. */
static void missing_value(const struct opts *o, const struct optdef *d, int is_long,
                          const char *next)
{
    char opt[40];
    if (is_long || !d->short_name)
        snprintf(opt, sizeof opt, "--%s", d->name);
    else
        snprintf(opt, sizeof opt, "-%c", d->short_name);
    int known = 0;
    if (next && !strpbrk(next, "./")) {
        if (next[1] == '-') {
            const char *eq = strchr(next + 2, '=');
            known = find_long(next + 2, eq ? (size_t)(eq - next - 2) : strlen(next + 2)) != NULL;
        } else {
            known = find_short(next[1]) != NULL;
        }
    }
    if (!next || known)
        usage_error(o, "option '%s' needs a value", opt);
    else
        usage_error(o, "option '%s' needs a value; '%s' starts with '-', so it is read as an "
                       "option: give a name that starts with '-' as ./%s (or --%s=%s; an "
                       "input file after '--')", opt, next, next, d->name, next);
}

/* "--name=value", "--name value", "-x value", "-xvalue", "-yq", "--" ends
 * the options. No abbreviations: an unknown word is an error, not a guess.
 * Returns 0, or -1 after printing the error. */
static int parse_args(struct opts *o, int argc, char **argv)
{
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_positional || a[0] != '-' || a[1] == 0) {
            if (o->input) {
                /* TRANSLATORS: the last %s is one of "caption file",
                 * "script", "folder", "video" */
                usage_error(o, "too many arguments: '%s' (only one INPUT %s)", a,
                            o->cmd == CMD_CONVERT ? _("caption file")
                            : o->cmd == CMD_FLASH ? _("script")
                            : o->cmd == CMD_BATCH ? _("folder") : _("video"));
                return -1;
            }
            o->input = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_positional = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const struct optdef *d = find_long(name, len);
            if (!d) {
                /* the nearest of the options this command takes */
                const char *names[N_OPTDEFS + 1];
                size_t n = 0;
                for (size_t k = 0; k < N_OPTDEFS; k++)
                    if (optdefs[k].cmds & o->cmd)
                        names[n++] = optdefs[k].name;
                names[n] = NULL;
                char word[64];
                snprintf(word, sizeof word, "%.*s", (int)len, name);
                const char *best = zimu_nearest_name(word, names);
                if (best)
                    usage_error(o, "unknown option '--%.*s'; did you mean '--%s'?", (int)len,
                                name, best);
                else
                    usage_error(o, "unknown option '--%.*s'", (int)len, name);
                return -1;
            }
            if (!(d->cmds & o->cmd)) {
                usage_error(o, "option '--%s' is not used by 'zimu %s'", d->name, o->cmd_name);
                return -1;
            }
            const char *val = NULL;
            if (d->has_arg) {
                if (eq) {
                    val = eq + 1;
                } else if (i + 1 < argc && !looks_like_option(argv[i + 1])) {
                    val = argv[++i];
                } else {
                    missing_value(o, d, 1, i + 1 < argc ? argv[i + 1] : NULL);
                    return -1;
                }
            } else if (eq) {
                usage_error(o, "option '--%s' takes no value", d->name);
                return -1;
            }
            store(o, d->id, val);
            continue;
        }
        /* "-subs": a long option written with one dash */
        const struct optdef *ld = strlen(a + 1) > 1 ? find_long(a + 1, strlen(a + 1)) : NULL;
        if (ld && (ld->cmds & o->cmd)) {
            usage_error(o, "option '%s' needs two dashes: did you mean '-%s'?", a, a);
            return -1;
        }
        for (const char *p = a + 1; *p; p++) {
            const struct optdef *d = find_short(*p);
            if (!d) {
                /* "-S" for "-s": the same letter in the other case */
                char other = (char)(isupper((unsigned char)*p) ? tolower((unsigned char)*p)
                                                                : toupper((unsigned char)*p));
                const struct optdef *od = (unsigned char)*p < 0x80 ? find_short(other) : NULL;
                if ((unsigned char)*p >= 0x80) /* not a letter: quote the word */
                    usage_error(o, "unknown option '%s'", a);
                else if (od && (od->cmds & o->cmd))
                    usage_error(o, "unknown option '-%c'; did you mean '-%c'?", *p, other);
                else
                    usage_error(o, "unknown option '-%c'", *p);
                return -1;
            }
            if (!(d->cmds & o->cmd)) {
                usage_error(o, "option '-%c' is not used by 'zimu %s'", *p, o->cmd_name);
                return -1;
            }
            if (!d->has_arg) {
                store(o, d->id, NULL);
                continue;
            }
            if (p[1]) {
                store(o, d->id, p + 1);
            } else if (i + 1 < argc && !looks_like_option(argv[i + 1])) {
                store(o, d->id, argv[++i]);
            } else {
                missing_value(o, d, 0, i + 1 < argc ? argv[i + 1] : NULL);
                return -1;
            }
            break;
        }
    }
    return 0;
}

int cli_burn_options(FILE *f, const char *cmd)
{
    static const struct {
        const char *name;
        int cmd;
    } cmds[] = {{"burn", CMD_BURN}, {"preview", CMD_PREVIEW}, {"convert", CMD_CONVERT},
                {"flash", CMD_FLASH}, {"batch", CMD_BATCH}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name))
            continue;
        for (size_t k = 0; k < N_OPTDEFS; k++)
            if (optdefs[k].cmds & cmds[i].cmd)
                fprintf(f, "--%s\n", optdefs[k].name);
        for (size_t k = 0; k < N_OPTDEFS; k++)
            if ((optdefs[k].cmds & cmds[i].cmd) && optdefs[k].short_name)
                fprintf(f, "-%c\n", optdefs[k].short_name);
        return 0;
    }
    return -1;
}

static int parse_time_opt(const struct opts *o, const char *opt, const char *text,
                          int64_t *ms)
{
    if (zimu_parse_time(text, ms) < 0) {
        usage_error(o, "%s: '%s' is not a time; use seconds (90, 1.5) or "
                       "[hh:]mm:ss[.ms] (01:30)", opt, text);
        return -1;
    }
    return 0;
}

/* A whole decimal number in [lo, hi]. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!*s || !((*s >= '0' && *s <= '9') || *s == '-' || *s == '+'))
        return -1;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* A decimal number (strtod). */
static int parse_num(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------------
 * Printing: JSON, progress, log.
 */

/* A JSON string: quotes, backslashes and control characters escaped, and
 * bytes that are not UTF-8 (a file name may hold any bytes) replaced by
 * U+FFFD, so the output is always valid JSON. */
void cli_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            switch (c) {
            case '"': fputs("\\\"", f); break;
            case '\\': fputs("\\\\", f); break;
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            case '\b': fputs("\\b", f); break;
            case '\f': fputs("\\f", f); break;
            default:
                if (c < 0x20)
                    fprintf(f, "\\u%04x", c);
                else
                    fputc((int)c, f);
            }
            p++;
            continue;
        }
        /* Length and the allowed range of the second byte (RFC 3629). */
        int len = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) { len = 3; lo = 0xA0; }
        else if (c >= 0xE1 && c <= 0xEC) len = 3;
        else if (c == 0xED) { len = 3; hi = 0x9F; }
        else if (c >= 0xEE && c <= 0xEF) len = 3;
        else if (c == 0xF0) { len = 4; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else if (c == 0xF4) { len = 4; hi = 0x8F; }
        int ok = len > 0 && p[1] >= lo && p[1] <= hi;
        for (int k = 2; ok && k < len; k++)
            ok = p[k] >= 0x80 && p[k] <= 0xBF;
        if (ok) {
            fwrite(p, 1, (size_t)len, f);
            p += len;
        } else {
            fputs("\\ufffd", f);
            p++;
        }
    }
    fputc('"', f);
}

static double finite_or_zero(double v)
{
    return isfinite(v) ? v : 0.0;
}

const char *cli_clock_text(double sec, char *buf, size_t size)
{
    long s = sec > 0 && isfinite(sec) ? (long)(sec + 0.5) : 0;
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

/* The job a signal cancels (zimu_job_cancel is async-signal-safe). */
static zimu_job *volatile cancel_job;

static void on_signal(int sig)
{
    (void)sig;
    zimu_job_cancel(cancel_job);
}

/* SIGINT, SIGTERM, SIGHUP and SIGPIPE stop the job in whatever it is doing
 * (reading captions, parsing, laying out, decoding, encoding): it returns
 * ZIMU_ECANCEL and removes its temporary file (exit status 8). A second
 * SIGINT, SIGTERM or SIGHUP kills at once; SIGPIPE stays caught, so that
 * messages to a closed pipe fail instead of killing before the clean-up.
 * No SA_RESTART: a signal also ends a blocked read of a FIFO. SIGXFSZ is
 * ignored, so a write past the file size limit (ulimit -f) fails with
 * EFBIG, reported as "file too large" (exit status 7). */
void cli_catch_signals(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGXFSZ, SIG_IGN);
}

struct progress_ctx {
    int show;      /* draw progress at all */
    int tty;       /* stderr is a terminal: one line redrawn in place */
    int width;     /* length of the line on screen */
    double last;   /* elapsed time of the last line printed (pipe mode) */
};

/* Blank the progress line on a terminal, before any other message. */
static void progress_clear(struct progress_ctx *pc)
{
    if (pc->tty && pc->width > 0) {
        fprintf(stderr, "\r%*s\r", pc->width, "");
        pc->width = 0;
    }
}

/* End the progress line on a terminal, keeping it on screen. */
static void progress_end(struct progress_ctx *pc)
{
    if (pc->tty && pc->width > 0) {
        fputc('\n', stderr);
        pc->width = 0;
    }
}

static int on_progress(void *opaque, const zimu_progress *p)
{
    struct progress_ctx *pc = opaque;
    if (!pc->show || (!pc->tty && p->elapsed - pc->last < 1.0))
        return 0;
    pc->last = p->elapsed;

    char line[200], t1[32], t2[32];
    double fps = p->elapsed > 0 ? p->frames / p->elapsed : 0;
    double eta = -1;
    int n;
    if (p->frames_est > 0) {
        int64_t pct = p->frames * 100 / p->frames_est;
        n = snprintf(line, sizeof line, _("frame %lld/%lld (%d%%)"), (long long)p->frames,
                     (long long)p->frames_est, (int)(pct > 100 ? 100 : pct));
        if (fps > 0 && p->frames > 0)
            eta = (double)(p->frames_est - p->frames) / fps;
    } else {
        n = snprintf(line, sizeof line, _("frame %lld"), (long long)p->frames);
        if (p->duration_ms > 0 && p->pos_ms > 0)
            eta = p->elapsed * (double)(p->duration_ms - p->pos_ms) / (double)p->pos_ms;
    }
    n += snprintf(line + n, sizeof line - (size_t)n, _(", %.1f fps, elapsed %s"),
                  finite_or_zero(fps), cli_clock_text(p->elapsed, t1, sizeof t1));
    if (eta >= 0 && isfinite(eta))
        n += snprintf(line + n, sizeof line - (size_t)n, _(", ETA %s"),
                      cli_clock_text(eta, t2, sizeof t2));

    if (pc->tty) {
        /* in columns, not bytes: a Chinese character takes two columns
         * and three bytes */
        n = cli_text_columns(line);
        int pad = pc->width > n ? pc->width - n : 0;
        fprintf(stderr, "\r%s%*s", line, pad, "");
        pc->width = n;
    } else {
        fprintf(stderr, "zimu: %s\n", line);
    }
    fflush(stderr);
    return 0;
}

/* Warnings from the library (a font fallback, a skipped subtitle line).
 * Errors are not printed here: the failure is reported once, at the end. */
static void on_log(void *opaque, int level, const char *msg)
{
    struct progress_ctx *pc = opaque;
    if (level != ZIMU_LOG_WARNING)
        return;
    progress_clear(pc);
    cli_note("warning: %s", msg);
}

/* ------------------------------------------------------------------------
 * Running.
 */

/* A setter refused a value: a bad option value is a usage error. The
 * library's message names the value it refused. */
/* The value of val in the library's list kind, for option opt ("--fit");
 * < 0 after a usage error naming the choices. */
static int named_option(const struct opts *o, int kind, const char *opt, const char *val)
{
    int v = zimu_name_value(kind, val);
    if (v < 0) {
        char names[256], hint[64];
        usage_error(o, "%s: '%s' is not one of %s%s", opt, val,
                    cli_names(kind, names, sizeof names),
                    cli_hint_name(kind, val, hint, sizeof hint));
    }
    return v;
}

static int setter_failed(const struct opts *o, zimu_job *job, int rc, const char *what,
                         const char *value)
{
    const char *m = zimu_errmsg(job);
    if (rc == ZIMU_EINVAL) {
        if (*m)
            usage_error(o, "%s: %s", what, m);
        else
            usage_error(o, "%s '%s' is not valid", what, value);
        return CLI_EXIT_USAGE;
    }
    if (*m)
        cli_error("%s", m);
    else
        cli_error("%s '%s': %s", what, value, zimu_strerror(rc));
    return cli_exit_code(rc);
}

/* A video where captions belong, or captions where the video belongs, is
 * the likeliest cause of a failure to read either: say so, and what goes
 * where. 1 with the message in buf, else 0. */
static int swapped_files(const struct opts *o, int rc, char *buf, size_t size)
{
    int subs_failed = rc == ZIMU_ESUBS || rc == ZIMU_ECHARSET;
    int video_failed = rc == ZIMU_ENOVIDEO || rc == ZIMU_ENOTVIDEO || rc == ZIMU_EDECODE;
    /* the file read as text: captions (convert: INPUT, also in o->subs) or
     * a flash script */
    const char *text = o->cmd == CMD_FLASH ? o->flash.script : o->subs;
    int kind = subs_failed && text ? zimu_file_kind(text) : ZIMU_FILE_OTHER;
    if (kind == ZIMU_FILE_VIDEO || kind == ZIMU_FILE_AUDIO) {
        /* TRANSLATORS: the second %s of the three messages below */
        const char *what = kind == ZIMU_FILE_VIDEO ? _("a video") : _("a sound file");
        if (o->cmd == CMD_CONVERT)
            snprintf(buf, size, _("%s is %s, not captions: 'zimu convert' takes a caption "
                                  "file (a video goes after -i)"), text, what);
        else if (o->cmd == CMD_FLASH)
            snprintf(buf, size, _("%s is %s, not a flash script: give the script first (a "
                                  "clip goes after -i, music after --music)"), text, what);
        else
            snprintf(buf, size, _("%s is %s, not captions: the captions go after -s, the "
                                  "video first"), text, what);
        return 1;
    }
    if (video_failed && (o->cmd & BP) && o->input &&
        zimu_file_kind(o->input) == ZIMU_FILE_CAPTIONS) {
        snprintf(buf, size, _("%s is a caption file, not a video: give the video first and "
                              "the captions after -s"), o->input);
        return 1;
    }
    return 0;
}

/* name is given, looks like a name (not a file) and is none of kind's. */
static int unknown_name(int kind, const char *name)
{
    return name && !strpbrk(name, "./") && zimu_name_value(kind, name) < 0;
}

/* The one-line message for a failed run: the library's, except where the
 * command line has its own word for what to do (-y; the library's message
 * for an existing output names -y too). Which file it is about comes from
 * zimu_errfile(), never from the message. */
static void failure_text(const struct opts *o, zimu_job *job, int rc, char *buf, size_t size)
{
    const char *m = zimu_errmsg(job);
    const char *file = zimu_errfile(job);
    if (swapped_files(o, rc, buf, size))
        return;
    if (rc == ZIMU_ECANCEL)
        snprintf(buf, size, "%s", _("cancelled; no output file was written"));
    else if (rc == ZIMU_EEXIST && !*m)
        snprintf(buf, size, _("%s: exists; add -y to replace it"), file ? file : o->output);
    else if (rc == ZIMU_ESTYLE && *m && (unknown_name(ZIMU_NAMES_STYLE, o->style) ||
                                         unknown_name(ZIMU_NAMES_SAFE_AREA, o->safe_area)))
        /* a mistyped style or safe-area name: where the names are listed */
        snprintf(buf, size, _("%s (see 'zimu styles' for the names)"), m);
    else if (*m)
        snprintf(buf, size, "%s", m);
    else if (file)
        snprintf(buf, size, "%s: %s", file, zimu_strerror(rc));
    else
        snprintf(buf, size, "%s", zimu_strerror(rc));
}

static void json_summary(const struct opts *o, const zimu_job *job)
{
    const zimu_stats *st = zimu_job_stats(job);
    zimu_stats zero = {0};
    if (!st)
        st = &zero;
    static const char *const audio[] = {"none", "copy", "reencode"};
    double fps = st->elapsed > 0 ? (double)st->frames / st->elapsed : 0;
    double per = st->frames > 0 ? 1.0 / (double)st->frames : 0;
    FILE *f = stdout;
    fputs("{\"ok\": true, \"input\": ", f);
    cli_json_string(f, o->input);
    if (o->cmd == CMD_FLASH) {
        fputs(", \"script\": ", f);
        cli_json_string(f, o->flash.script);
    }
    fputs(", \"subtitles\": ", f);
    cli_json_string(f, o->subs);
    fputs(", \"output\": ", f);
    cli_json_string(f, o->null_out ? NULL : o->output);
    fprintf(f, ", \"frames\": %" PRId64, st->frames);
    fprintf(f, ", \"duration\": %.3f", (double)st->duration_ms / 1000.0);
    fprintf(f, ", \"size\": \"%dx%d\", \"width\": %d, \"height\": %d", st->width,
            st->height, st->width, st->height);
    fprintf(f, ", \"elapsed\": %.3f", finite_or_zero(st->elapsed));
    fprintf(f, ", \"fps\": %.2f", finite_or_zero(fps));
    fprintf(f, ", \"render_ms_total\": %.3f", finite_or_zero(st->render_ms_total));
    fprintf(f, ", \"compose_ms_total\": %.3f", finite_or_zero(st->compose_ms_total));
    fprintf(f, ", \"render_ms_per_frame\": %.4f", finite_or_zero(st->render_ms_total * per));
    fprintf(f, ", \"compose_ms_per_frame\": %.4f",
            finite_or_zero(st->compose_ms_total * per));
    fprintf(f, ", \"overlay_updates\": %" PRId64, st->overlay_updates);
    fprintf(f, ", \"audio\": \"%s\"",
            st->audio >= 0 && st->audio <= 2 ? audio[st->audio] : "unknown");
    /* Damaged time ranges of the input, in seconds from its start. */
    fputs(", \"damaged\": [", f);
    int nd = zimu_job_damage_count(job);
    for (int i = 0; i < nd; i++) {
        int64_t a, b;
        if (zimu_job_damage(job, i, &a, &b) == 0)
            fprintf(f, "%s{\"from\": %.3f, \"to\": %.3f}", i ? ", " : "", a / 1000.0,
                    b / 1000.0);
    }
    fputs("]}\n", f);
}

static void json_failure(const struct opts *o, int rc, int status, const char *msg,
                         const char *file)
{
    FILE *f = stdout;
    fputs("{\"ok\": false, \"input\": ", f);
    cli_json_string(f, o->input);
    if (o->cmd == CMD_FLASH) {
        fputs(", \"script\": ", f);
        cli_json_string(f, o->flash.script);
    }
    fputs(", \"subtitles\": ", f);
    cli_json_string(f, o->subs);
    fputs(", \"output\": ", f);
    cli_json_string(f, o->null_out ? NULL : o->output);
    fprintf(f, ", \"exit_code\": %d, \"error_code\": ", status);
    if (rc < 0)
        fprintf(f, "%d", rc);
    else
        fputs("null", f);
    fputs(", \"error\": ", f);
    cli_json_string(f, msg);
    fputs(", \"error_file\": ", f);
    cli_json_string(f, file);
    fputs("}\n", f);
}

/* Caption reading and timing options. Returns 0 or an exit status. */
static int setup_caption_timing(const struct opts *o, zimu_job *job)
{
    int rc;
    if (o->charenc) {
        if (!*o->charenc) {
            usage_error(o, "--charenc needs an encoding name (GB18030, BIG5, UTF-16LE ...)");
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_charenc(job, o->charenc)) < 0)
            return setter_failed(o, job, rc, "--charenc", o->charenc);
    }
    if (o->shift) {
        int64_t ms;
        if (zimu_parse_offset(o->shift, &ms) < 0) {
            usage_error(o, "--shift: '%s' is not a time; use seconds (2.5, -1.5) or "
                           "[-][hh:]mm:ss[.ms]", o->shift);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_shift(job, ms)) < 0)
            return setter_failed(o, job, rc, "--shift", o->shift);
    }
    if (o->time_scale) {
        double f;
        if (zimu_parse_ratio(o->time_scale, &f) < 0) {
            usage_error(o, "--time-scale: '%s' is not a positive number or ratio "
                           "(1.001, 23.976/25)", o->time_scale);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_time_scale(job, f)) < 0)
            return setter_failed(o, job, rc, "--time-scale", o->time_scale);
    }
    if (o->overlap) {
        int mode = named_option(o, ZIMU_NAMES_OVERLAP, "--overlap", o->overlap);
        if (mode < 0)
            return CLI_EXIT_USAGE;
        if ((rc = zimu_job_set_overlap(job, mode)) < 0)
            return setter_failed(o, job, rc, "--overlap", o->overlap);
    }
    if (o->min_duration) {
        int64_t ms;
        if (zimu_parse_time(o->min_duration, &ms) < 0) {
            usage_error(o, "--min-duration: '%s' is not a time; use seconds (1.2)",
                        o->min_duration);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_min_duration(job, ms)) < 0)
            return setter_failed(o, job, rc, "--min-duration", o->min_duration);
    }
    if (o->cps) {
        double v;
        /* a number, not a ratio */
        if (strchr(o->cps, '/') || zimu_parse_ratio(o->cps, &v) < 0) {
            usage_error(o, "--cps: '%s' is not a positive number of characters a second",
                        o->cps);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_reading_speed(job, v)) < 0)
            return setter_failed(o, job, rc, "--cps", o->cps);
    }
    if (o->max_file_size) {
        int64_t bytes;
        if (zimu_parse_bytes(o->max_file_size, &bytes) < 0 || bytes == 0) {
            usage_error(o, "--max-file-size: '%s' is not a size (64M, 1G, 65536)",
                        o->max_file_size);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_max_file_size(job, bytes)) < 0)
            return setter_failed(o, job, rc, "--max-file-size", o->max_file_size);
    }
    return 0;
}

/* --style, --style-set, --safe-area, --max-lines, --highlight, --title.
 * The library splits --style-set's "key=value,key=value" (a piece that is
 * not key=value is a usage error here) and checks keys and values when the
 * job runs (a bad one is a style error, exit status 6). Returns 0 or an
 * exit status. */
static int setup_styles(const struct opts *o, zimu_job *job)
{
    int rc;
    if (o->style && (rc = zimu_job_set_style(job, o->style)) < 0)
        return setter_failed(o, job, rc, "--style", o->style);
    if (o->n_style_set > (int)(sizeof o->style_set / sizeof *o->style_set)) {
        usage_error(o, "--style-set is given more than %d times",
                    (int)(sizeof o->style_set / sizeof *o->style_set));
        return CLI_EXIT_USAGE;
    }
    for (int i = 0; i < o->n_style_set; i++) {
        rc = zimu_job_set_style_options(job, o->style_set[i]);
        if (rc == ZIMU_EINVAL) {
            usage_error(o, "--style-set: %s", zimu_errmsg(job));
            return CLI_EXIT_USAGE;
        }
        if (rc < 0)
            return setter_failed(o, job, rc, "--style-set", o->style_set[i]);
    }
    if (o->safe_area && (rc = zimu_job_set_safe_area(job, o->safe_area)) < 0)
        return setter_failed(o, job, rc, "--safe-area", o->safe_area);
    if (o->max_lines) {
        long n;
        if (parse_int(o->max_lines, 1, 10, &n) < 0) {
            usage_error(o, "--max-lines: '%s' is not a whole number from 1 to 10",
                        o->max_lines);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_max_lines(job, (int)n)) < 0)
            return setter_failed(o, job, rc, "--max-lines", o->max_lines);
    }
    if (o->highlight && (rc = zimu_job_set_highlight(job, 1)) < 0)
        return setter_failed(o, job, rc, "--highlight", "");
    if (o->title && (rc = zimu_job_set_title(job, o->title)) < 0)
        return setter_failed(o, job, rc, "--title", o->title);
    if (o->chinese && (rc = zimu_job_set_chinese(job, o->chinese)) < 0)
        return setter_failed(o, job, rc, "--chinese", o->chinese);
    return 0;
}

/* --sub-stream and --logo*. Returns 0 or an exit status. */
static int setup_sub_stream_logo(const struct opts *o, zimu_job *job)
{
    int rc;
    if (o->sub_stream) {
        long n;
        if (parse_int(o->sub_stream, 0, 99, &n) < 0) {
            usage_error(o, "--sub-stream: '%s' is not a subtitle stream number (0 is the "
                           "first)", o->sub_stream);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_subtitle_stream(job, (int)n)) < 0)
            return setter_failed(o, job, rc, "--sub-stream", o->sub_stream);
    }
    if (!o->logo) {
        if (o->logo_corner || o->logo_width) {
            usage_error(o, "%s needs --logo FILE", o->logo_corner ? "--logo-corner"
                                                                   : "--logo-width");
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
    int corner = ZIMU_CORNER_TOP_RIGHT;
    if (o->logo_corner) {
        corner = named_option(o, ZIMU_NAMES_CORNER, "--logo-corner", o->logo_corner);
        if (corner < 0)
            return CLI_EXIT_USAGE;
    }
    double width = 0;
    if (o->logo_width) {
        if (strchr(o->logo_width, '/') || zimu_parse_ratio(o->logo_width, &width) < 0 ||
            width > 1) {
            usage_error(o, "--logo-width: '%s' is not a fraction of the frame width "
                           "(more than 0, at most 1: 0.15)", o->logo_width);
            return CLI_EXIT_USAGE;
        }
    }
    if ((rc = zimu_job_set_logo(job, o->logo, corner, width)) < 0)
        return setter_failed(o, job, rc, "--logo", o->logo);
    return 0;
}

/* Settings both commands share. Returns 0 or an exit status. */
static int setup_job(const struct opts *o, zimu_job *job)
{
    int rc;
    if (o->input && (rc = zimu_job_set_input(job, o->input)) < 0)
        return setter_failed(o, job, rc, "input", o->input);
    if (o->subs && (rc = zimu_job_set_subtitles(job, o->subs)) < 0)
        return setter_failed(o, job, rc, "-s", o->subs);
    if ((rc = setup_sub_stream_logo(o, job)))
        return rc;
    if (o->size) {
        int w, h;
        if (zimu_parse_size(o->size, &w, &h) < 0) {
            usage_error(o, "--size: '%s' is not a size like 1080x1920 (16 to 16384 each)",
                        o->size);
            return CLI_EXIT_USAGE;
        }
        if ((rc = zimu_job_set_size(job, w, h)) < 0)
            return setter_failed(o, job, rc, "--size", o->size);
    }
    if (o->fit) {
        int fit = named_option(o, ZIMU_NAMES_FIT, "--fit", o->fit);
        if (fit < 0)
            return CLI_EXIT_USAGE;
        if ((rc = zimu_job_set_fit(job, fit)) < 0)
            return setter_failed(o, job, rc, "--fit", o->fit);
    }
    if (o->font && (rc = zimu_job_set_font(job, o->font)) < 0)
        return setter_failed(o, job, rc, "--font", o->font);
    if (o->fonts_dir && (rc = zimu_job_set_fonts_dir(job, o->fonts_dir)) < 0)
        return setter_failed(o, job, rc, "--fonts-dir", o->fonts_dir);
    if (o->missing_glyphs) {
        int action = named_option(o, ZIMU_NAMES_MISSING_GLYPHS, "--missing-glyphs",
                                  o->missing_glyphs);
        if (action < 0)
            return CLI_EXIT_USAGE;
        if ((rc = zimu_job_set_missing_glyphs(job, action)) < 0)
            return setter_failed(o, job, rc, "--missing-glyphs", o->missing_glyphs);
    }
    int st = setup_caption_timing(o, job);
    if (st)
        return st;
    if ((rc = setup_styles(o, job)))
        return rc;
    zimu_job_set_overwrite(job, o->yes);
    return 0;
}

/* The music and loudness options (burn, flash). 0 or an exit status. */
static int check_sound(const struct opts *o)
{
    if (o->music_replace && !o->music) {
        usage_error(o, "--music-replace needs --music FILE");
        return CLI_EXIT_USAGE;
    }
    if (o->loudnorm && o->no_loudnorm) {
        usage_error(o, "--loudnorm and --no-loudnorm: give one of them");
        return CLI_EXIT_USAGE;
    }
    double v;
    if (o->lufs && parse_num(o->lufs, &v) < 0) {
        usage_error(o, "--lufs: '%s' is not a number (-14: LUFS)", o->lufs);
        return CLI_EXIT_USAGE;
    }
    if (o->true_peak && parse_num(o->true_peak, &v) < 0) {
        usage_error(o, "--true-peak: '%s' is not a number (-1: dBTP)", o->true_peak);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* Checks that need no library call, so a wrong command line is reported
 * before anything is opened. Returns 0 or an exit status. */
static int check_args(const struct opts *o, int64_t *from, int64_t *to, int64_t *t,
                      long *crf, long *card)
{
    if (o->cmd == CMD_FLASH) {
        if (!o->flash.script) {
            usage_error(o, "no flash script given");
            return CLI_EXIT_USAGE;
        }
        if (!o->output) {
            usage_error(o, "no output file given: add -o OUTPUT (.mp4, or .png for one "
                           "frame with -t or --card)");
            return CLI_EXIT_USAGE;
        }
        int png = cli_flash_is_png(o->output);
        if (o->time && o->card) {
            usage_error(o, "-t and --card both choose the frame: give one of them");
            return CLI_EXIT_USAGE;
        }
        if (png && !o->time && !o->card) {
            usage_error(o, "a picture is one frame: add -t TIME or --card K");
            return CLI_EXIT_USAGE;
        }
        if (!png && (o->time || o->card)) {
            usage_error(o, "%s chooses one frame, written as a picture: give -o FRAME.png",
                        o->time ? "-t" : "--card");
            return CLI_EXIT_USAGE;
        }
        if (o->time && parse_time_opt(o, "-t", o->time, t) < 0)
            return CLI_EXIT_USAGE;
        if (o->card && parse_int(o->card, 1, 100000, card) < 0) {
            usage_error(o, "--card: '%s' is not a card number (1 is the first)", o->card);
            return CLI_EXIT_USAGE;
        }
        if (o->crf && parse_int(o->crf, 0, 51, crf) < 0) {
            usage_error(o, "--crf: '%s' is not a whole number from 0 to 51", o->crf);
            return CLI_EXIT_USAGE;
        }
        return check_sound(o);
    }
    if (o->cmd == CMD_BATCH && o->batch.merge_dir) {
        if (o->input || o->output || o->batch.shard) {
            usage_error(o, "--merge-reports OUTDIR takes no INDIR, -o or --shard: it merges "
                           "the shard reports in OUTDIR");
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
    if (o->cmd == CMD_BATCH) {
        int k, n;
        if (o->batch.shard && cli_batch_parse_shard(o->batch.shard, &k, &n) < 0) {
            usage_error(o, "--shard: '%s' is not K/N (whole numbers, 1 <= K <= N <= 1000: "
                           "--shard 2/4)", o->batch.shard);
            return CLI_EXIT_USAGE;
        }
        if (!o->input) {
            usage_error(o, "no input folder given");
            return CLI_EXIT_USAGE;
        }
        if (!o->output) {
            usage_error(o, "no output folder given: add -o OUTDIR");
            return CLI_EXIT_USAGE;
        }
        if (o->batch.jobs && parse_int(o->batch.jobs, 1, 256, crf) < 0) {
            usage_error(o, "-j: '%s' is not a whole number from 1 to 256", o->batch.jobs);
            return CLI_EXIT_USAGE;
        }
        if (o->crf && parse_int(o->crf, 0, 51, crf) < 0) {
            usage_error(o, "--crf: '%s' is not a whole number from 0 to 51", o->crf);
            return CLI_EXIT_USAGE;
        }
        return check_sound(o);
    }
    if (o->cmd == CMD_CONVERT) {
        if (!o->subs) {
            usage_error(o, "no input caption file given");
            return CLI_EXIT_USAGE;
        }
        if (!o->output) {
            usage_error(o, "no output file given: add -o OUTPUT (.srt, .vtt, .ass or .lrc)");
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
    if (!o->input) {
        usage_error(o, "no input video given");
        return CLI_EXIT_USAGE;
    }
    if (o->subs && o->sub_stream) {
        usage_error(o, "-s and --sub-stream both name the captions: give one of them");
        return CLI_EXIT_USAGE;
    }
    if (!o->subs && !o->cover && !o->sub_stream) {
        usage_error(o, "no subtitle file given: add -s SUBS (or --sub-stream N for "
                       "the input's own subtitles)");
        return CLI_EXIT_USAGE;
    }
    if (o->cmd == CMD_BURN) {
        if (!o->output && !o->null_out) {
            usage_error(o, "no output file given: add -o OUTPUT");
            return CLI_EXIT_USAGE;
        }
        if (o->output && o->null_out) {
            usage_error(o, "--null writes no file, so -o cannot be used with it");
            return CLI_EXIT_USAGE;
        }
    } else {
        if (!o->time) {
            usage_error(o, "no time given: add -t TIME (seconds, or mm:ss)");
            return CLI_EXIT_USAGE;
        }
        if (!o->output) {
            usage_error(o, "no picture file given: add -o FRAME.png");
            return CLI_EXIT_USAGE;
        }
    }
    if (o->time && parse_time_opt(o, "-t", o->time, t) < 0)
        return CLI_EXIT_USAGE;
    if (o->from && parse_time_opt(o, "--from", o->from, from) < 0)
        return CLI_EXIT_USAGE;
    if (o->to && parse_time_opt(o, "--to", o->to, to) < 0)
        return CLI_EXIT_USAGE;
    if (o->from && o->to && *to <= *from) {
        usage_error(o, "--to (%s) must come after --from (%s)", o->to, o->from);
        return CLI_EXIT_USAGE;
    }
    if (o->crf && parse_int(o->crf, 0, 51, crf) < 0) {
        usage_error(o, "--crf: '%s' is not a whole number from 0 to 51", o->crf);
        return CLI_EXIT_USAGE;
    }
    return check_sound(o);
}

/* Music and loudness (burn). Returns 0 or an exit status. */
static int setup_sound(const struct opts *o, zimu_job *job)
{
    int rc;
    if (o->music && (rc = zimu_job_set_music(job, o->music, o->music_replace
                                                 ? ZIMU_MUSIC_REPLACE : ZIMU_MUSIC_MIX)) < 0)
        return setter_failed(o, job, rc, "--music", o->music);
    if ((o->loudnorm || o->no_loudnorm) && (rc = zimu_job_set_loudnorm(job, o->loudnorm)) < 0)
        return setter_failed(o, job, rc, o->loudnorm ? "--loudnorm" : "--no-loudnorm", "");
    if (o->lufs || o->true_peak) {
        double lufs = -14, tp = -1;
        if (o->lufs)
            parse_num(o->lufs, &lufs);
        if (o->true_peak)
            parse_num(o->true_peak, &tp);
        if ((rc = zimu_job_set_loudness_target(job, lufs, tp)) < 0)
            return setter_failed(o, job, rc, o->lufs && !(lufs >= -40 && lufs <= -5)
                                 ? "--lufs" : "--true-peak",
                                 o->lufs && !(lufs >= -40 && lufs <= -5) ? o->lufs
                                 : o->true_peak);
    }
    return 0;
}

/* The burn settings of one clip of a batch: those of `zimu burn` (the
 * batch sets input, output and captions). 0 or an exit status. */
static int batch_job_settings(const struct opts *o, zimu_job *job)
{
    int rc, status;
    long crf = 0;
    if ((status = setup_job(o, job)))
        return status;
    if (o->strict)
        zimu_job_set_strict(job, 1);
    if (o->crf && (parse_int(o->crf, 0, 51, &crf) < 0 ||
                   (rc = zimu_job_set_crf(job, (int)crf)) < 0))
        return setter_failed(o, job, ZIMU_EINVAL, "--crf", o->crf);
    if (o->preset && (rc = zimu_job_set_preset(job, o->preset)) < 0)
        return setter_failed(o, job, rc, "--preset", o->preset);
    return setup_sound(o, job);
}

/* zimu_batch_setup_fn: the options were tried on a job before the batch
 * started, so they do not fail here. */
static int batch_setup(void *opaque, zimu_job *job, int clip)
{
    (void)clip;
    return batch_job_settings(opaque, job) ? ZIMU_EINVAL : 0;
}

static int run_batch(struct opts *o)
{
    if (o->batch.merge_dir) {
        o->batch.quiet = o->quiet;
        o->batch.json = o->json;
        return cli_batch_merge(&o->batch);
    }
    /* Try the options once, so a wrong one is a usage error before any
     * clip, not a failure of every clip. */
    zimu_job *job = zimu_job_new();
    if (!job) {
        cli_error("out of memory");
        return CLI_EXIT_OTHER;
    }
    /* INPUT is the folder; the batch sets each clip's input */
    o->batch.in_dir = o->input;
    o->input = NULL;
    const char *fonts_dir = o->fonts_dir;
    int status = batch_job_settings(o, job);
    zimu_job_free(&job);
    if (status)
        return status;
    o->fonts_dir = NULL; /* the batch's shared font context has it */
    o->batch.out_dir = o->output;
    o->batch.title = o->title;
    o->batch.fonts_dir = fonts_dir;
    o->batch.force = o->yes;
    o->batch.quiet = o->quiet;
    o->batch.json = o->json;
    o->batch.progress = o->progress;
    return cli_batch_run(&o->batch, batch_setup, o);
}

static int run_command(int cmd, int argc, char **argv)
{
    struct opts o = {.cmd = cmd, .cmd_name = argv[0]};
    if (parse_args(&o, argc, argv) < 0)
        return CLI_EXIT_USAGE;
    if (o.help) {
        if (cmd == CMD_BURN)
            cli_burn_help(stdout);
        else if (cmd == CMD_FLASH)
            cli_flash_help(stdout);
        else if (cmd == CMD_PREVIEW)
            cli_preview_help(stdout);
        else if (cmd == CMD_BATCH)
            cli_batch_help(stdout);
        else
            cli_convert_help(stdout);
        return CLI_EXIT_OK;
    }
    if (cmd == CMD_CONVERT) { /* INPUT is the captions; -i names the video */
        o.subs = o.input;
        o.input = o.clip;
    }
    if (cmd == CMD_FLASH) { /* INPUT is the script; -i names the clip */
        o.flash.script = o.input;
        o.input = o.clip;
    }
    int64_t from = 0, to = -1, t = 0;
    long crf = 0, card = 0;
    int rc = 0;
    zimu_job *job = NULL;
    struct progress_ctx pc = {0};
    int status = check_args(&o, &from, &to, &t, &crf, &card);
    if (status)
        goto out;
    if (cmd == CMD_BATCH) /* its own printing, --json and signals */
        return run_batch(&o);

    job = zimu_job_new();
    if (!job) {
        cli_error("out of memory");
        status = CLI_EXIT_OTHER;
        goto out;
    }
    pc.tty = isatty(STDERR_FILENO);
    pc.show = (cmd == CMD_BURN || (cmd == CMD_FLASH && !cli_flash_is_png(o.output))) &&
              !o.quiet && (pc.tty || o.progress);
    if (!o.quiet)
        zimu_job_set_log(job, on_log, &pc, ZIMU_LOG_WARNING);
    cancel_job = job; /* signals caught before any file is read */
    cli_catch_signals(on_signal);

    if ((status = setup_job(&o, job)))
        goto out;
    /* the music first: a script timed on its beats needs it for --card */
    if (cmd == CMD_FLASH &&
        ((status = setup_sound(&o, job)) || (status = cli_flash_setup(job, &o.flash))))
        goto out;
    if (cmd == CMD_FLASH && cli_flash_is_png(o.output)) {
        if (card > 0) { /* --card K: where it stands complete */
            int64_t ct = zimu_job_flash_card_time(job, (int)(card - 1));
            if (ct < 0) {
                rc = (int)ct;
                goto failed;
            }
            t = ct;
        }
        if ((rc = zimu_job_preview(job, t, o.output)) < 0)
            goto failed;
        if (!o.quiet)
            cli_note("wrote %s (the frame at %.3f s)", o.output, (double)t / 1000.0);
        goto out;
    }

    if (cmd == CMD_CONVERT) {
        if (!o.input && !o.size && (rc = zimu_job_set_size(job, 1080, 1920)) < 0)
            goto failed;
        if ((rc = zimu_job_save_captions(job, o.output)) < 0)
            goto failed;
        if (!o.quiet) {
            const zimu_stats *st = zimu_job_stats(job);
            int64_t n = st ? st->captions : 0;
            cli_note(ngettext("wrote %s (%lld caption)", "wrote %s (%lld captions)", n),
                     o.output, (long long)n);
        }
        goto out;
    }
    if (cmd == CMD_PREVIEW) {
        rc = o.cover ? zimu_job_cover(job, t, o.output) : zimu_job_preview(job, t, o.output);
        if (rc < 0)
            goto failed;
        if (!o.quiet && o.cover)
            cli_note("wrote %s (the cover at %.3f s)", o.output, (double)t / 1000.0);
        else if (!o.quiet)
            cli_note("wrote %s (the frame at %.3f s)", o.output, (double)t / 1000.0);
        goto out;
    }

    if (o.strict)
        zimu_job_set_strict(job, 1);
    if (o.null_out) {
        zimu_job_set_null_output(job, 1);
    } else if ((rc = zimu_job_set_output(job, o.output)) < 0) {
        status = setter_failed(&o, job, rc, "-o", o.output);
        goto out;
    }
    if ((o.from || o.to) && (rc = zimu_job_set_trim(job, from, to)) < 0) {
        status = setter_failed(&o, job, rc, o.from ? "--from" : "--to",
                               o.from ? o.from : o.to);
        goto out;
    }
    if (o.crf && (rc = zimu_job_set_crf(job, (int)crf)) < 0) {
        status = setter_failed(&o, job, rc, "--crf", o.crf);
        goto out;
    }
    if (o.preset && (rc = zimu_job_set_preset(job, o.preset)) < 0) {
        status = setter_failed(&o, job, rc, "--preset", o.preset);
        goto out;
    }
    if (cmd == CMD_BURN && (status = setup_sound(&o, job)))
        goto out;

    zimu_job_set_progress(job, on_progress, &pc);

    rc = zimu_job_run(job);
    if (rc < 0)
        goto failed;
    progress_end(&pc);
    if (o.json) {
        json_summary(&o, job);
    } else if (!o.quiet) {
        const zimu_stats *st = zimu_job_stats(job);
        if (st) {
            char len[32];
            double fps = st->elapsed > 0 ? (double)st->frames / st->elapsed : 0;
            cli_clock_text((double)st->duration_ms / 1000.0, len, sizeof len);
            if (o.null_out)
                cli_note("done, nothing written (--null): %lld frames, %dx%d, %.1f s, "
                         "%.1f fps", (long long)st->frames, st->width, st->height,
                         st->elapsed, fps);
            else
                cli_note("wrote %s (%lld frames, %s, %dx%d) in %.1f s, %.1f fps", o.output,
                         (long long)st->frames, len, st->width, st->height, st->elapsed, fps);
        }
    }
    goto out;

failed:
    progress_clear(&pc);
    {
        char msg[2048];
        failure_text(&o, job, rc, msg, sizeof msg);
        status = cli_exit_code(rc);
        cli_error("%s", msg);
    }
out:
    /* With --json, a command line that parsed gives one object, either way. */
    if (o.json && status)
        json_failure(&o, rc, status, cli_last_error(), job ? zimu_errfile(job) : NULL);
    cancel_job = NULL;
    zimu_job_free(&job);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        if (!status)
            status = CLI_EXIT_OTHER;
    }
    return status;
}

int cli_burn(int argc, char **argv)
{
    return run_command(CMD_BURN, argc, argv);
}

int cli_preview(int argc, char **argv)
{
    return run_command(CMD_PREVIEW, argc, argv);
}

int cli_convert(int argc, char **argv)
{
    return run_command(CMD_CONVERT, argc, argv);
}

int cli_flash(int argc, char **argv)
{
    return run_command(CMD_FLASH, argc, argv);
}

int cli_batch(int argc, char **argv)
{
    return run_command(CMD_BATCH, argc, argv);
}
