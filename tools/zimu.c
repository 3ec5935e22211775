/* zimu.c - the zimu command: dispatch, help, version, exit status.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_batch.h"
#include "cmd_beats.h"
#include "cmd_doctor.h"
#include "cmd_flash.h"
#include "cmd_styles.h"

const char cli_exit_help[] =
    "Exit status:\n"
    "  0  done\n"
    "  1  wrong command line (unknown option, missing -o, bad time ...)\n"
    "  2  an input file (the video, the logo, the music) is missing or\n"
    "     unreadable\n"
    "  3  the input is not a video file (the music not an audio file),\n"
    "     or is too damaged to decode\n"
    "  4  the input has no video stream (only sound, for example); for\n"
    "     'zimu beats', no audio stream\n"
    "  5  the video codec is not supported\n"
    "  6  subtitle or flash script problem: the file is missing or cannot\n"
    "     be parsed (the message gives the line), wrong text encoding,\n"
    "     bad style, the fonts cannot be set up, or a character no font has\n"
    "     (--missing-glyphs error)\n"
    "  7  output problem: cannot be written, already exists (add -y),\n"
    "     is the input file itself, or file too large (ulimit -f)\n"
    "  8  cancelled (Ctrl-C, SIGTERM, SIGHUP, SIGPIPE); no output or\n"
    "     temporary file is left behind\n"
    "  9  other error (out of memory, FFmpeg failure, internal error)\n"
    " 10  'zimu batch': some clips failed (each is reported; the others\n"
    "     were done)\n";

int cli_exit_code(int err)
{
    switch (err) {
    case ZIMU_OK:
        return CLI_EXIT_OK;
    case ZIMU_EINVAL:
        return CLI_EXIT_USAGE;
    case ZIMU_ENOENT:
        return CLI_EXIT_NOENT;
    case ZIMU_ENOTVIDEO:
    case ZIMU_EDECODE:
        return CLI_EXIT_NOTVIDEO;
    case ZIMU_ENOVIDEO:
        return CLI_EXIT_NOVIDEO;
    case ZIMU_ECODEC:
        return CLI_EXIT_CODEC;
    case ZIMU_ESUBS:
    case ZIMU_ECHARSET:
    case ZIMU_ESTYLE:
    case ZIMU_EFONT:
    case ZIMU_EGLYPH:
        return CLI_EXIT_SUBS;
    case ZIMU_EOUTPUT:
    case ZIMU_EEXIST:
    case ZIMU_ESAME:
        return CLI_EXIT_OUTPUT;
    case ZIMU_ECANCEL:
        return CLI_EXIT_CANCEL;
    default:
        return CLI_EXIT_OTHER;
    }
}

const char *cli_names(int kind, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    const char *name;
    for (int i = 0; (name = zimu_name(kind, i)) && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", name);
    return buf;
}

/* Words of text from column col on, wrapped at column 79 to column indent. */
static void wrap(FILE *f, int col, int indent, const char *text)
{
    int first = 1;
    while (*text) {
        while (*text == ' ')
            text++;
        size_t len = strcspn(text, " ");
        if (!len)
            break;
        /* columns of the word: UTF-8 continuation bytes take none, Chinese
         * (from U+3000, lead byte E3 on) two */
        int w = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)text[i];
            w += (c & 0xC0) == 0x80 ? 0 : c >= 0xE3 && c < 0xF0 ? 2 : 1;
        }
        if (!first && col + 1 + w > 79) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', f);
            col++;
        }
        fwrite(text, 1, len, f);
        col += w;
        text += len;
        first = 0;
    }
    fputc('\n', f);
}

void cli_help_opt(FILE *f, const char *opt, const char *text)
{
    int col = (int)strlen(opt);
    fputs(opt, f);
    int pad = col <= 22 ? 24 - col : 2;
    fprintf(f, "%*s", pad, "");
    wrap(f, col + pad, 24, text);
}

void cli_help_names(FILE *f, int kind, int indent, int fold)
{
    int width = 0;
    const char *name;
    for (int i = 0; (name = zimu_name(kind, i)); i++)
        if ((int)strlen(name) > width)
            width = (int)strlen(name);
    for (int i = 0; (name = zimu_name(kind, i)); i++) {
        fprintf(f, "%*s%-*s  ", indent, "", width, name);
        const char *d = zimu_name_description(kind, i);
        if (fold)
            wrap(f, indent + width + 2, indent + width + 2, d ? d : "");
        else
            fprintf(f, "%s\n", d ? d : "");
    }
}

static char last_error[2048];

static void vmsg(int is_error, const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    /* One line, whatever a path or a library message holds. */
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        buf[--n] = 0;
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (is_error)
        memcpy(last_error, buf, n + 1);
    fflush(stdout);
    fprintf(stderr, "zimu: %s\n", buf);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(1, fmt, ap);
    va_end(ap);
}

void cli_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(0, fmt, ap);
    va_end(ap);
}

const char *cli_last_error(void)
{
    return last_error;
}

static void main_help(FILE *f)
{
    fprintf(f,
            "zimu %s - burn captions into short videos\n"
            "\n"
            "Usage:\n"
            "  zimu burn INPUT -s SUBS -o OUTPUT [options]  burn captions into a video\n"
            "  zimu preview INPUT -s SUBS -t TIME -o FRAME.png\n"
            "                                               save one captioned frame\n"
            "  zimu convert SUBS -o OUT.srt|.vtt|.ass|.lrc  convert a caption file\n"
            "  zimu styles                                  list the caption styles\n"
            "  zimu flash SCRIPT -o OUT.mp4 [-i CLIP]       a flash text (快闪) video\n"
            "  zimu beats FILE [--json]                     tempo and beat times of a song\n"
            "  zimu batch INDIR -o OUTDIR [-j N] [-r] [--manifest F] [--shard K/N]\n"
            "                                               caption a folder of clips\n"
            "  zimu doctor [--json]                         check the fonts and libraries\n"
            "  zimu help [COMMAND]                          show help\n"
            "  zimu --version                               show the version\n"
            "\n"
            "Examples:\n"
            "  zimu burn talk.mp4 -s talk.srt -o talk-sub.mp4\n"
            "  zimu burn lecture.mp4 -s lecture.srt -o clip1.mp4 \\\n"
            "       --from 12:30 --to 13:30 --size 1080x1920\n"
            "  zimu preview talk.mp4 -s talk.srt -t 5 -o check.png\n"
            "  zimu convert talk.srt -o talk.vtt --shift 1.5\n"
            "  zimu flash year.txt -o year.mp4 --music song.m4a\n"
            "  zimu beats song.m4a --json\n"
            "\n"
            "Run 'zimu burn --help', 'zimu preview --help', 'zimu convert --help' or\n"
            "'zimu flash --help' for all options.\n"
            "\n"
            "%s",
            zimu_version(), cli_exit_help);
}

static int version(void)
{
    /* The tool is the library's front end: its version is the library's
     * (the one it runs with, not the one it was built with). */
    printf("zimu %s", zimu_version());
    if (zimu_version_int() != ZIMU_VERSION_INT)
        printf(" (built with zimu.h %d.%d.%d)", ZIMU_VERSION_MAJOR, ZIMU_VERSION_MINOR,
               ZIMU_VERSION_PATCH);
    printf("\n");
    printf("libzimu is LGPL-2.1-or-later. Linked with Debian's FFmpeg (which has GPL\n"
           "parts such as libx264), this program as a whole is under the GPL.\n");
    return CLI_EXIT_OK;
}

static int help(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "--names"))
        return cli_help_names_cmd(argc, argv);
    if (argc < 2) {
        main_help(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2) {
        cli_error("'help' takes one command name (try 'zimu help')");
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "burn"))
        cli_burn_help(stdout);
    else if (!strcmp(argv[1], "preview"))
        cli_preview_help(stdout);
    else if (!strcmp(argv[1], "convert"))
        cli_convert_help(stdout);
    else if (!strcmp(argv[1], "styles"))
        cli_styles_help(stdout);
    else if (!strcmp(argv[1], "beats"))
        cli_beats_help(stdout);
    else if (!strcmp(argv[1], "flash"))
        cli_flash_help(stdout);
    else if (!strcmp(argv[1], "batch"))
        cli_batch_help(stdout);
    else if (!strcmp(argv[1], "doctor"))
        cli_doctor_help(stdout);
    else if (!strcmp(argv[1], "help"))
        main_help(stdout);
    else {
        cli_error("no help for '%s': there is no such command (try 'zimu help')", argv[1]);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Every command main() takes (the completion offers them; a test checks
 * them against 'zimu help'). */
const char *const cli_commands[] = {"burn",  "preview", "convert", "styles", "flash",
                                    "beats", "batch",   "doctor",  "help",   NULL};

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_error("no command given (try 'zimu help')");
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "burn"))
        return cli_burn(argc - 1, argv + 1);
    if (!strcmp(cmd, "preview"))
        return cli_preview(argc - 1, argv + 1);
    if (!strcmp(cmd, "convert"))
        return cli_convert(argc - 1, argv + 1);
    if (!strcmp(cmd, "styles"))
        return cli_styles(argc - 1, argv + 1);
    if (!strcmp(cmd, "beats"))
        return cli_beats(argc - 1, argv + 1);
    if (!strcmp(cmd, "flash"))
        return cli_flash(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch"))
        return cli_batch(argc - 1, argv + 1);
    if (!strcmp(cmd, "doctor"))
        return cli_doctor(argc - 1, argv + 1);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return help(argc - 1, argv + 1);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version"))
        return version();
    if (cmd[0] == '-')
        cli_error("unknown option '%s' (try 'zimu help')", cmd);
    else {
        char hint[64];
        cli_error("unknown command '%s'%s (try 'zimu help')", cmd,
                  cli_hint(cmd, cli_commands, hint, sizeof hint));
    }
    return CLI_EXIT_USAGE;
}
