/* zimu.c - the zimu command: dispatch, help, version, exit status.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr */
#endif
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_batch.h"
#include "cmd_beats.h"
#include "cmd_doctor.h"
#include "cmd_flash.h"
#include "cmd_styles.h"

/* Where `make install` puts the catalogues (the Makefile passes it; the
 * tool also builds without it). */
#ifndef ZIMU_LOCALEDIR
#define ZIMU_LOCALEDIR "/usr/local/share/locale"
#endif

static int has_catalogue(const char *dir)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/zimu.mo", dir);
    return access(path, R_OK) == 0;
}

/* The catalogues beside the running program: <dir>/locale when it runs
 * from the build tree (build/zimu, build/locale), <dir>/../share/locale
 * when installed under any prefix; else where the Makefile said. */
static const char *find_localedir(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, size, "%s/locale", exe);
            if (has_catalogue(buf))
                return buf;
            snprintf(buf, size, "%s/../share/locale", exe);
            if (has_catalogue(buf))
                return buf;
        }
    }
    return ZIMU_LOCALEDIR;
}

/* The locale the environment names for messages (LC_ALL, LC_MESSAGES,
 * LANG: the first set), or "". */
static const char *messages_locale_name(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return "";
}

void cli_i18n_init(void)
{
    setlocale(LC_ALL, "");
    /* Numbers never follow the locale: "12.5" in times, sizes and JSON. */
    setlocale(LC_NUMERIC, "C");
    /* GNU gettext ignores LANGUAGE when the messages locale is "C", which
     * it also is when the environment names a locale that is not
     * installed (LANG=en_US.UTF-8 on a machine without it). zimu takes
     * LANGUAGE (LANGUAGE=zh_CN) with any UTF-8 locale, installed or not:
     * C.UTF-8, always there, lets gettext read it. With LANG=C or no
     * locale at all LANGUAGE stays ignored, as in every GNU program. */
    const char *language = getenv("LANGUAGE");
    const char *cur = setlocale(LC_MESSAGES, NULL);
    if (language && *language && cur && (!strcmp(cur, "C") || !strcmp(cur, "POSIX"))) {
        const char *name = messages_locale_name();
        if (strcasestr(name, "UTF-8") || strcasestr(name, "utf8"))
            setlocale(LC_MESSAGES, "C.UTF-8");
    }
    char buf[PATH_MAX + 32];
    bindtextdomain("zimu", find_localedir(buf, sizeof buf));
    bind_textdomain_codeset("zimu", "UTF-8");
    textdomain("zimu");
}

const char cli_exit_help[] = N_(
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
    "     were done)\n");

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

/* Columns the UTF-8 character at s takes on a terminal (East Asian wide
 * and full-width characters take two); *len is set to its bytes. */
int cli_char_columns(const unsigned char *s, int *len)
{
    unsigned cp;
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
          : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            n = 1;
    *len = n;
    if (n == 1)
        return 1; /* ASCII, or a byte that is not UTF-8: shown as one */
    cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
                   (cp >= 0x20000 && cp <= 0x3FFFD)
               ? 2
               : 1;
}

/* Columns of s when shown. */
int cli_text_columns(const char *s)
{
    int cols = 0, len;
    for (; *s; s += len)
        cols += cli_char_columns((const unsigned char *)s, &len);
    return cols;
}

/* CJK punctuation that must not begin a line (，。、；：！？）」』》…),
 * and that must not end one (（「『《). */
static int no_line_start(const char *s)
{
    static const char *const marks[] = {"，", "。", "、", "；", "：", "！", "？", "）",
                                        "」", "』", "》", "…", NULL};
    for (int i = 0; marks[i]; i++)
        if (!strncmp(s, marks[i], strlen(marks[i])))
            return 1;
    return 0;
}

static int no_line_end(const char *s, size_t len)
{
    static const char *const marks[] = {"（", "「", "『", "《", NULL};
    for (int i = 0; marks[i]; i++)
        if (len == strlen(marks[i]) && !strncmp(s, marks[i], len))
            return 1;
    return 0;
}

/* Text from column col on, wrapped at column 79 to column indent. A line
 * may break at a space (which goes) or next to a Chinese character (wide
 * characters take two columns), so Chinese text, which has no spaces,
 * wraps too. */
static void wrap(FILE *f, int col, int indent, const char *text)
{
    int first = 1, prev_wide = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    while (*text) {
        int space = 0;
        while (*text == ' ') {
            text++;
            space = 1;
        }
        if (!*text)
            break;
        /* the next unit: one wide character, or a run of narrow ones */
        int len, w = cli_char_columns((const unsigned char *)text, &len);
        int wide = w == 2;
        size_t ulen = (size_t)len;
        if (!wide) {
            int l2;
            while (text[ulen] && text[ulen] != ' ' &&
                   cli_char_columns((const unsigned char *)text + ulen, &l2) == 1) {
                ulen += (size_t)l2;
                w++;
            }
        }
        int can_break = !first && (space || wide || prev_wide) && !no_line_start(text) &&
                        !(prev && no_line_end(prev, prev_len));
        /* marks that may not start a line go with this unit: break before it
         * when they would run past the edge */
        int tail = 0, l3;
        for (const char *t = text + ulen; *t && no_line_start(t); t += l3)
            tail += cli_char_columns((const unsigned char *)t, &l3);
        if (can_break && col + space + w + tail > 79) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (space && !first) {
            fputc(' ', f);
            col++;
        }
        fwrite(text, 1, ulen, f);
        col += w;
        prev = text;
        prev_len = ulen;
        prev_wide = wide;
        text += ulen;
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
    vsnprintf(buf, sizeof buf, _(fmt), ap);
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
            _("zimu %s - burn captions into short videos\n"
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
              "%s"),
            zimu_version(), _(cli_exit_help));
}

static int version(void)
{
    /* The tool is the library's front end: its version is the library's
     * (the one it runs with, not the one it was built with). */
    printf("zimu %s", zimu_version());
    if (zimu_version_int() != ZIMU_VERSION_INT)
        printf(_(" (built with zimu.h %d.%d.%d)"), ZIMU_VERSION_MAJOR, ZIMU_VERSION_MINOR,
               ZIMU_VERSION_PATCH);
    printf("\n");
    printf(_("libzimu is LGPL-2.1-or-later. Linked with Debian's FFmpeg (which has GPL\n"
             "parts such as libx264), this program as a whole is under the GPL.\n"));
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
    cli_i18n_init();
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
