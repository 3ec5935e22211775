/* cmd_convert.c - `zimu convert`: caption file to caption file.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Argument parsing and printing only; the work is libzimu's zimu_subs.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <zimu.h>

#include "cli.h"

void cli_convert_help(FILE *f)
{
    fprintf(f,
            "Usage: zimu convert INPUT -o OUTPUT [options]\n"
            "\n"
            "Convert a caption file to SRT, WebVTT, ASS or LRC; the format is taken\n"
            "from the name of OUTPUT (.srt, .vtt, .ass, .lrc). INPUT may be any format\n"
            "'zimu burn' reads: SRT, ASS/SSA, WebVTT, LRC, whisper.cpp JSON or plain\n"
            "text (.txt, one caption per line). The text is read in its own encoding\n"
            "and written as UTF-8.\n"
            "\n"
            "  - To ASS: the captions are wrapped and styled as 'zimu burn' would show\n"
            "    them on a --size frame; an ASS INPUT is copied as it is (shifted).\n"
            "  - To SRT and WebVTT: italic, bold, underline and colour are kept as\n"
            "    tags; other ASS styling is dropped.\n"
            "  - To LRC: one line per caption, word times when the input has them.\n"
            "  - ASS and LRC times have 10 ms steps: times are rounded to them.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE     file to write (required)\n"
            "  -y, --yes             replace OUTPUT if it already exists\n"
            "      --shift SECONDS   move every caption later (or earlier, negative:\n"
            "                        --shift -1.5); captions moved before 0 are cut\n"
            "      --charenc NAME    encoding of INPUT (GB18030, BIG5, UTF-16LE ...);\n"
            "                        default: detected\n"
            "      --size WxH        frame the ASS output is laid out for\n"
            "                        (default 1080x1920)\n"
            "  -q, --quiet           print nothing but errors\n"
            "  -h, --help            show this help\n"
            "\n"
            "Examples:\n"
            "  zimu convert talk.srt -o talk.vtt\n"
            "  zimu convert talk.srt -o talk.ass --size 720x1280\n"
            "  zimu convert old.srt -o fixed.srt --shift 2.5 --charenc GB18030\n"
            "\n"
            "%s",
            cli_exit_help);
}

struct copts {
    const char *input, *output, *shift, *charenc, *size;
    int yes, quiet, help;
};

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void usage_error(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cli_error("%s (see 'zimu convert --help')", buf);
}

/* The word after an option that needs a value is its value unless it is
 * another option; "-1.5" is a value. */
static int is_option(const char *a)
{
    return a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9') && a[1] != '.';
}

static int parse_args(struct copts *o, int argc, char **argv)
{
    static const struct {
        const char *name;
        char short_name;
        int has_arg;
    } defs[] = {
        {"output", 'o', 1}, {"yes", 'y', 0}, {"shift", 0, 1}, {"charenc", 0, 1},
        {"size", 0, 1},     {"quiet", 'q', 0}, {"help", 'h', 0},
    };
    const size_t ndefs = sizeof defs / sizeof defs[0];
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || !is_option(a)) {
            if (a[0] == '-' && a[1] && !only_positional) {
                usage_error("unknown option '%s'", a);
                return -1;
            }
            if (o->input) {
                usage_error("too many arguments: '%s' (one INPUT file)", a);
                return -1;
            }
            o->input = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_positional = 1;
            continue;
        }
        size_t d = ndefs;
        const char *val = NULL, *eq = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (d = 0; d < ndefs; d++)
                if (strlen(defs[d].name) == len && !strncmp(defs[d].name, name, len))
                    break;
            if (d == ndefs) {
                usage_error("unknown option '--%.*s'", (int)len, name);
                return -1;
            }
            if (eq && !defs[d].has_arg) {
                usage_error("option '--%s' takes no value", defs[d].name);
                return -1;
            }
            val = eq ? eq + 1 : NULL;
        } else {
            if (a[2]) {
                usage_error("unknown option '%s'", a);
                return -1;
            }
            for (d = 0; d < ndefs; d++)
                if (defs[d].short_name && defs[d].short_name == a[1])
                    break;
            if (d == ndefs) {
                usage_error("unknown option '%s'", a);
                return -1;
            }
        }
        if (defs[d].has_arg && !val) {
            if (i + 1 < argc && !is_option(argv[i + 1])) {
                val = argv[++i];
            } else {
                usage_error("option '--%s' needs a value", defs[d].name);
                return -1;
            }
        }
        switch (d) {
        case 0: o->output = val; break;
        case 1: o->yes = 1; break;
        case 2: o->shift = val; break;
        case 3: o->charenc = val; break;
        case 4: o->size = val; break;
        case 5: o->quiet = 1; break;
        case 6: o->help = 1; break;
        }
    }
    return 0;
}

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : "";
}

int cli_convert(int argc, char **argv)
{
    struct copts o = {0};
    if (parse_args(&o, argc, argv) < 0)
        return CLI_EXIT_USAGE;
    if (o.help) {
        cli_convert_help(stdout);
        return CLI_EXIT_OK;
    }
    if (!o.input) {
        usage_error("no input caption file given");
        return CLI_EXIT_USAGE;
    }
    if (!o.output) {
        usage_error("no output file given: add -o OUTPUT (.srt, .vtt, .ass or .lrc)");
        return CLI_EXIT_USAGE;
    }
    const char *ext = ext_of(o.output);
    if (strcasecmp(ext, ".srt") && strcasecmp(ext, ".vtt") && strcasecmp(ext, ".ass") &&
        strcasecmp(ext, ".lrc")) {
        usage_error("%s: the output name must end in .srt, .vtt, .ass or .lrc "
                    "(the format is taken from it)", o.output);
        return CLI_EXIT_USAGE;
    }
    int64_t shift = 0;
    if (o.shift && zimu_parse_offset(o.shift, &shift) < 0) {
        usage_error("--shift: '%s' is not a time; use seconds (2.5, -1.5) or "
                    "[-][hh:]mm:ss[.ms]", o.shift);
        return CLI_EXIT_USAGE;
    }
    int w = 1080, h = 1920;
    if (o.size && zimu_parse_size(o.size, &w, &h) < 0) {
        usage_error("--size: '%s' is not a size like 1080x1920 (16 to 16384)", o.size);
        return CLI_EXIT_USAGE;
    }
    if (o.charenc && !*o.charenc) {
        usage_error("--charenc needs an encoding name (GB18030, BIG5, UTF-16LE ...)");
        return CLI_EXIT_USAGE;
    }
    /* Output checks before any work: never the input, never an existing
     * file without -y. */
    struct stat si, so;
    if (stat(o.output, &so) == 0) {
        if (stat(o.input, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            cli_error("%s: output is the input file; choose another name", o.output);
            return CLI_EXIT_OUTPUT;
        }
        if (S_ISDIR(so.st_mode)) {
            cli_error("%s: is a directory", o.output);
            return CLI_EXIT_OUTPUT;
        }
        if (!o.yes) {
            cli_error("%s: exists; add -y to replace it", o.output);
            return CLI_EXIT_OUTPUT;
        }
    }

    zimu_subs *subs = zimu_subs_new();
    if (!subs) {
        cli_error("out of memory");
        return CLI_EXIT_OTHER;
    }
    int rc = zimu_subs_set_size(subs, w, h);
    if (rc >= 0 && o.charenc)
        rc = zimu_subs_set_charenc(subs, o.charenc);
    if (rc >= 0)
        rc = zimu_subs_load(subs, o.input);
    if (rc >= 0 && shift)
        rc = zimu_subs_shift(subs, shift);
    int count = rc >= 0 ? zimu_subs_count(subs) : 0;
    if (rc >= 0)
        rc = zimu_subs_save(subs, o.output, o.yes);
    int status = CLI_EXIT_OK;
    if (rc < 0) {
        const char *m = zimu_subs_errmsg(subs);
        if (m && *m)
            cli_error("%s", m);
        else
            cli_error("%s: %s", o.input, zimu_strerror(rc));
        status = cli_exit_code(rc);
    } else if (!o.quiet) {
        cli_note("wrote %s (%d caption%s)", o.output, count, count == 1 ? "" : "s");
    }
    zimu_subs_free(&subs);
    return status;
}
