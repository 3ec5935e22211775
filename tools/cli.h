/* cli.h - shared by the files of the zimu command-line tool (tools/).
 *
 * The tool parses arguments and prints; everything else is libzimu, used
 * only through the public header <zimu.h>.
 */
#ifndef ZIMU_CLI_H
#define ZIMU_CLI_H

#include <libintl.h>
#include <stdio.h>

/* The tool's messages are in the text domain "zimu" (po/zimu/zh_CN.po);
 * message ids stay English. N_() marks a string of a static table that is
 * translated where it is printed. cli_error, cli_note and usage_error
 * translate their format themselves (xgettext knows them as keywords, see
 * po/zimu/xgettext.args). */
#define _(s) gettext(s)
#define N_(s) (s)

/* setlocale(LC_ALL, "") with numbers kept in the C format (LC_NUMERIC "C":
 * times, sizes and JSON print and parse "12.5" in any locale), then the
 * text domain "zimu" bound to the catalogues found beside the program
 * (see zimu.c). Called first thing by main(). */
void cli_i18n_init(void);
/* Columns the UTF-8 text s takes on a terminal (CJK wide and full-width
 * characters two each). */
int cli_text_columns(const char *s);
/* Columns of the UTF-8 character at s; *len is set to its bytes. */
int cli_char_columns(const unsigned char *s, int *len);

/* Exit status, one per class of failure. Documented in `zimu help`, in
 * `zimu burn --help` and in zimu(1); keep the three and cli_exit_code()
 * in step. Never renumber: scripts test these. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 1,    /* bad command line */
    CLI_EXIT_NOENT = 2,    /* an input file (the video, the logo) is missing
                              or unreadable */
    CLI_EXIT_NOTVIDEO = 3, /* not a media file, or damaged beyond decoding */
    CLI_EXIT_NOVIDEO = 4,  /* no video stream */
    CLI_EXIT_CODEC = 5,    /* no decoder for the video codec */
    CLI_EXIT_SUBS = 6,     /* subtitles (also missing), encoding, style, fonts */
    CLI_EXIT_OUTPUT = 7,   /* output unwritable, exists, or is the input */
    CLI_EXIT_CANCEL = 8,   /* cancelled (Ctrl-C, SIGTERM) */
    CLI_EXIT_OTHER = 9,    /* anything else: memory, FFmpeg, internal */
};

/* The exit-status table as help text (ends with a newline). */
extern const char cli_exit_help[];

/* Exit status for a negative ZIMU_E* code. */
int cli_exit_code(int zimu_err);

/* Print "zimu: <message>\n" on stderr, as one line. cli_error also keeps
 * the text for cli_last_error() (the --json failure object). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The text of the last cli_error(), without "zimu: " ("" if none). */
const char *cli_last_error(void);

/* The names of a kind of the library's named values (ZIMU_NAMES_*), as
 * "a, b, c" in buf; returns buf. */
const char *cli_names(int kind, char *buf, size_t size);
/* One option of a help text: opt, then text from column 24, wrapped at
 * column 79 (text may be built at run time, from the library's lists). */
void cli_help_opt(FILE *f, const char *opt, const char *text);
/* The help line of --missing-glyphs (burn, preview, flash, batch). */
void cli_missing_glyphs_help(FILE *f);
/* s as a JSON string ("null" for NULL): quotes, backslashes and control
 * characters escaped, bytes that are not UTF-8 as U+FFFD. */
void cli_json_string(FILE *f, const char *s);
/* sec as "1:05" or "1:02:03" in buf (rounded; 0:00 for a negative or
 * non-finite time); returns buf. */
const char *cli_clock_text(double sec, char *buf, size_t size);
/* Catch SIGINT, SIGTERM, SIGHUP (once: a second one kills) and SIGPIPE with
 * on_signal, which cancels the work; ignore SIGXFSZ (see cmd_burn.c). */
void cli_catch_signals(void (*on_signal)(int));
/* The names of a kind with their descriptions, one a line, indented; fold:
 * descriptions wrapped at column 79 (else each on its name's line, as the
 * library words it, for a listing a script may search). */
void cli_help_names(FILE *f, int kind, int indent, int fold);

/* The subcommands, NULL-terminated, as main() dispatches them (zimu.c). */
extern const char *const cli_commands[];

/* "; did you mean 'x'?" in buf for the nearest of names (NULL-terminated)
 * to word, or "" when none is near (zimu_nearest_name()). Returns buf. */
const char *cli_hint(const char *word, const char *const *names, char *buf, size_t size);
/* The same for the library's names of a kind (ZIMU_NAMES_*). */
const char *cli_hint_name(int kind, const char *word, char *buf, size_t size);
/* `zimu help --names KIND ...` (argv[0] is "help", argv[1] "--names"):
 * one word a line, for the bash completion. Returns an exit status. */
int cli_help_names_cmd(int argc, char **argv);
/* The options of cmd (burn, preview, convert, flash, batch), one a line,
 * "--long" then "-x"; -1 (nothing printed) for another command. */
int cli_burn_options(FILE *f, const char *cmd);

/* Subcommands: argv[0] is the subcommand's name. Return an exit status. */
int cli_burn(int argc, char **argv);
int cli_preview(int argc, char **argv);
int cli_convert(int argc, char **argv);

/* Subcommand help, for `zimu help burn` as well as `zimu burn --help`. */
void cli_burn_help(FILE *f);
void cli_preview_help(FILE *f);
void cli_convert_help(FILE *f);

#endif
