/* doctor.c - what zimu needs on this machine and what it can use
 * (zimu_doctor in zimu.h), each found the way the library finds it: the
 * fonts through the configuration a font context hands libass, word breaks
 * through the same ICU iterator the line breaker uses, OpenCC through the
 * same converter cache a job opens. Nothing here is printed: the caller
 * (zimu doctor) words the report. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ass/ass.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <unicode/uversion.h>

#include "chinese.h"
#include "fonts.h"
#include "internal.h"
#include "sbuf.h"
#include "words.h"

#define MAX_ITEMS 24

typedef struct item {
    const char *key;
    int status;
    int error;
    char what[64];
    char found[512];
    const char *impact; /* static, NULL when found */
    char fix[256];      /* "" when found */
} item;

struct zimu_doctor {
    zimu_ctx ctx;
    char *fonts_dir;
    int n;
    item items[MAX_ITEMS];
};

zimu_doctor *zimu_doctor_new(void)
{
    zimu_doctor *d = calloc(1, sizeof *d);
    if (d)
        d->ctx.magic = ZIMU__MAGIC_DOCTOR;
    return d;
}

void zimu_doctor_free(zimu_doctor **pd)
{
    zimu_doctor *d = pd ? *pd : NULL;
    if (!d || d->ctx.magic != ZIMU__MAGIC_DOCTOR) /* not a live doctor: left alone */
        return;
    free(d->fonts_dir);
    d->ctx.magic = 0;
    free(d);
    *pd = NULL;
}

static int valid(const zimu_doctor *d)
{
    return d && d->ctx.magic == ZIMU__MAGIC_DOCTOR;
}

int zimu_doctor_set_fonts_dir(zimu_doctor *d, const char *dir)
{
    if (!valid(d))
        return d ? ZIMU_EBADHANDLE : ZIMU_EINVAL;
    char *copy = NULL;
    if (dir && !(copy = zimu__strdup(dir)))
        return zimu__fail(&d->ctx, ZIMU_ENOMEM, "out of memory");
    free(d->fonts_dir);
    d->fonts_dir = copy;
    return 0;
}

/* A new item: found (printf-style) says what was found or looked for.
 * what (marked N_()) is translated here; found's words by the caller. */
static item *add(zimu_doctor *d, const char *key, const char *what, int status,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static item *add(zimu_doctor *d, const char *key, const char *what, int status,
                 const char *fmt, ...)
{
    item *it = &d->items[d->n++];
    memset(it, 0, sizeof *it);
    it->key = key;
    it->status = status;
    snprintf(it->what, sizeof it->what, "%s", zimu__tr(what));
    va_list ap;
    va_start(ap, fmt);
    zimu__vsnprintf(it->found, sizeof it->found, fmt, ap);
    va_end(ap);
    return it;
}

/* Add to what was found. */
static void append(item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(item *it, const char *fmt, ...)
{
    size_t n = strlen(it->found);
    va_list ap;
    va_start(ap, fmt);
    zimu__vsnprintf(it->found + n, sizeof it->found - n, fmt, ap);
    va_end(ap);
}

/* Mark it missing: what zimu cannot do (marked N_(), translated here), the
 * command that installs it (never translated), and (for a required item)
 * the code a job fails with. */
static void missing(item *it, int error, const char *impact, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void missing(item *it, int error, const char *impact, const char *fmt, ...)
{
    it->error = it->status == ZIMU_DOCTOR_MISSING ? error : 0;
    it->impact = zimu__tr(impact);
    va_list ap;
    va_start(ap, fmt);
    zimu__vsnprintf(it->fix, sizeof it->fix, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------------
 * Fonts.
 */

/* Is family in db, with a glyph for code? The face libass would load for
 * it must be of that family, not a fallback. */
static int find_face(zimu_fontdb *db, const char *family, uint32_t code, const char **path,
                     int *index)
{
    const char *got = NULL;
    if (!db || zimu__fontdb_select(db, family, 0, code, path, index, &got) < 0)
        return 0;
    return got && !strcasecmp(got, family);
}

static void check_fonts(zimu_doctor *d, zimu_fontdb *db)
{
    static const char *const cjk[2][2] = {{"font-sc", "Noto Sans CJK SC"},
                                          {"font-tc", "Noto Sans CJK TC"}};
    static const char *const impact[2] = {
        N_("Chinese captions cannot be drawn in their default face"),
        N_("Traditional Chinese captions cannot be drawn in their face")};
    for (int k = 0; k < 2; k++) {
        const char *path = NULL;
        int index = 0;
        char what[64];
        snprintf(what, sizeof what, zimu__tr("font %s"), cjk[k][1]);
        if (find_face(db, cjk[k][1], 0x4E2D /* 中 */, &path, &index)) {
            add(d, cjk[k][0], what, ZIMU_DOCTOR_OK, zimu__tr("%s (face %d)"), path, index);
        } else {
            item *it = add(d, cjk[k][0], what, ZIMU_DOCTOR_MISSING, "%s",
                           zimu__tr("not found through fontconfig"));
            missing(it, ZIMU_EFONT, impact[k], "sudo apt-get install fonts-noto-cjk");
        }
    }
    /* Symbola first: libass 0.17.1 draws outline glyphs only, so colour
     * emoji come out blank, while Symbola's are drawn. */
    static const char *const sym[2] = {"Symbola", "Noto Color Emoji"};
    for (int k = 0; k < 2; k++) {
        const char *path = NULL;
        int index = 0;
        if (find_face(db, sym[k], 0x1F600 /* 😀 */, &path, &index)) {
            add(d, "font-symbols", N_("emoji and symbol font"), ZIMU_DOCTOR_OK, "%s: %s%s",
                sym[k], path,
                k ? zimu__tr(" (colour emoji: libass before 0.17.2 draws them blank)") : "");
            return;
        }
    }
    item *it = add(d, "font-symbols", N_("emoji and symbol font"), ZIMU_DOCTOR_MISSING, "%s",
                   zimu__tr("neither Symbola nor Noto Color Emoji found through fontconfig"));
    missing(it, ZIMU_EFONT, N_("emoji and symbols in captions are drawn as empty boxes"),
            "sudo apt-get install fonts-symbola");
}

/* ------------------------------------------------------------------------
 * libass and FFmpeg.
 */

static void quiet(int level, const char *fmt, va_list args, void *data)
{
}

static void check_libass(zimu_doctor *d)
{
    /* 0xMmmpp000 with the digits in BCD: 0x01701000 is 0.17.1 */
    unsigned v = (unsigned)ass_library_version();
    add(d, "libass", "libass", ZIMU_DOCTOR_OK, "%x.%x.%x", v >> 28, (v >> 20) & 0xFF,
        (v >> 12) & 0xFF);
    int wrap = -1;
    ASS_Library *lib = ass_library_init();
    if (lib) {
        ass_set_message_cb(lib, quiet, NULL);
        ASS_Track *t = ass_new_track(lib);
        if (t) {
            wrap = ass_track_set_feature(t, ASS_FEATURE_WRAP_UNICODE, 1);
            ass_free_track(t);
        }
        ass_library_done(lib);
    }
    if (wrap == 0) {
        add(d, "libass-wrap-unicode", N_("libass Unicode line breaking"), ZIMU_DOCTOR_OK, "%s",
            zimu__tr("ASS_FEATURE_WRAP_UNICODE can be enabled"));
    } else {
        item *it = add(d, "libass-wrap-unicode", N_("libass Unicode line breaking"),
                       ZIMU_DOCTOR_OPTIONAL_MISSING, "%s",
                       zimu__tr("ASS_FEATURE_WRAP_UNICODE cannot be enabled (libass built "
                                "without libunibreak)"));
        /* no Debian 12 package has it, so no command to offer */
        it->impact = zimu__tr("nothing: zimu breaks Chinese lines itself");
    }
}

/* "59.37.100", and the major version zimu was built with when it differs */
static item *version_item(zimu_doctor *d, const char *key, unsigned v, unsigned built)
{
    item *it = add(d, key, key, ZIMU_DOCTOR_OK, "%u.%u.%u", AV_VERSION_MAJOR(v),
                   AV_VERSION_MINOR(v), AV_VERSION_MICRO(v));
    if (AV_VERSION_MAJOR(v) != AV_VERSION_MAJOR(built))
        append(it, zimu__tr(" (zimu was built with %u.x)"), AV_VERSION_MAJOR(built));
    return it;
}

static void check_ffmpeg(zimu_doctor *d)
{
    /* the FFmpeg release the libraries come from, once */
    item *it = version_item(d, "libavformat", avformat_version(), LIBAVFORMAT_VERSION_INT);
    append(it, " (FFmpeg %s)", av_version_info());
    version_item(d, "libavcodec", avcodec_version(), LIBAVCODEC_VERSION_INT);
    version_item(d, "libavfilter", avfilter_version(), LIBAVFILTER_VERSION_INT);
    version_item(d, "libswscale", swscale_version(), LIBSWSCALE_VERSION_INT);
    version_item(d, "libswresample", swresample_version(), LIBSWRESAMPLE_VERSION_INT);
    version_item(d, "libavutil", avutil_version(), LIBAVUTIL_VERSION_INT);
    /* the encoder media_out.c opens */
    const AVCodec *enc = avcodec_find_encoder_by_name("libx264");
    if (enc) {
        add(d, "libx264", N_("H.264 encoder"), ZIMU_DOCTOR_OK, "libx264 (%s)",
            enc->long_name ? enc->long_name : "H.264");
    } else {
        item *it = add(d, "libx264", N_("H.264 encoder"), ZIMU_DOCTOR_MISSING, "%s",
                       zimu__tr("libavcodec has no libx264 encoder"));
        missing(it, ZIMU_EFFMPEG, N_("no video can be made: burn, flash and batch fail"),
                "sudo apt-get install libavcodec%d libx264-dev", LIBAVCODEC_VERSION_MAJOR);
    }
}

/* ------------------------------------------------------------------------
 * ICU, OpenCC, the locale.
 */

static void check_icu(zimu_doctor *d)
{
    /* 中华人民共和国成立了: words of two and three characters with the
     * dictionary, ten one-character segments without it */
    static const char *const chars[] = {"中", "华", "人", "民", "共",
                                        "和", "国", "成", "立", "了"};
    enum { N = sizeof chars / sizeof *chars };
    uint16_t text[N];
    unsigned char flags[N + 1];
    char seg[64] = "";
    size_t len = 0;
    for (int i = 0; i < N; i++) /* each one UTF-8 sequence of three bytes */
        text[i] = (uint16_t)(((chars[i][0] & 0x0F) << 12) | ((chars[i][1] & 0x3F) << 6) |
                             (chars[i][2] & 0x3F));
    int r = zimu__words(&d->ctx, text, N, flags);
    int starts = 0;
    for (int i = 0; i < N; i++) {
        if (flags[i] & ZIMU__WB_START) {
            starts++;
            if (i)
                len += (size_t)snprintf(seg + len, sizeof seg - len, "|");
        }
        len += (size_t)snprintf(seg + len, sizeof seg - len, "%s", chars[i]);
    }
    UVersionInfo uv;
    char ver[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(uv);
    u_versionToString(uv, ver);
    if (r == 0 && starts < N) {
        add(d, "icu-zh-words", N_("ICU Chinese word breaks"), ZIMU_DOCTOR_OK, "ICU %s: %s", ver,
            seg);
    } else {
        item *it = add(d, "icu-zh-words", N_("ICU Chinese word breaks"),
                       ZIMU_DOCTOR_OPTIONAL_MISSING,
                       r == 0 ? zimu__tr("ICU %s has no Chinese dictionary: %s")
                              : zimu__tr("ICU %s cannot break words%s"),
                       ver, r == 0 ? seg : "");
        missing(it, 0, N_("Chinese lines break between any two characters, not between words"),
                "sudo apt-get install libicu%d", U_ICU_VERSION_MAJOR_NUM);
    }
}

static void check_opencc(zimu_doctor *d)
{
    zimu_chinese *cc = zimu__chinese_new();
    char *out = NULL;
    int m = zimu__chinese_mode(&d->ctx, "s2t");
    int r = cc ? zimu__chinese_open(&d->ctx, cc, m) : ZIMU_ENOMEM;
    if (r == 0)
        r = zimu__chinese_text(&d->ctx, cc, m, "头发", &out);
    if (r == 0) {
        add(d, "opencc", N_("OpenCC data"), ZIMU_DOCTOR_OK, "s2t: 头发 -> %s", out);
    } else {
        item *it = add(d, "opencc", N_("OpenCC data"), ZIMU_DOCTOR_OPTIONAL_MISSING, "%s",
                       r == ZIMU_ENOMEM ? zimu__tr("out of memory") : d->ctx.errmsg);
        missing(it, 0, N_("--chinese conversions fail, and Traditional text is drawn with "
                          "the Simplified (SC) face"), "sudo apt-get install libopencc-data");
    }
    free(out);
    zimu__chinese_free(&cc);
}

static void check_locale(zimu_doctor *d)
{
    locale_t l = newlocale(LC_ALL_MASK, "zh_CN.UTF-8", (locale_t)0);
    if (l) {
        freelocale(l);
        add(d, "locale-zh_CN", N_("locale zh_CN.UTF-8"), ZIMU_DOCTOR_OK, "zh_CN.UTF-8");
        return;
    }
    item *it = add(d, "locale-zh_CN", N_("locale zh_CN.UTF-8"), ZIMU_DOCTOR_OPTIONAL_MISSING,
                   "%s", zimu__tr("newlocale(zh_CN.UTF-8) fails"));
    missing(it, 0, N_("messages in Chinese cannot be shown"),
            "sudo apt-get install locales && sudo sed -i 's/^# *zh_CN.UTF-8/zh_CN.UTF-8/' "
            "/etc/locale.gen && sudo locale-gen");
}

int zimu_doctor_run(zimu_doctor *d)
{
    if (!valid(d))
        return d ? ZIMU_EBADHANDLE : ZIMU_EINVAL;
    zimu__clear(&d->ctx);
    d->n = 0;
    zimu_sbuf conf;
    int r = zimu__fonts_config_text(&d->ctx, d->fonts_dir, &conf);
    if (r < 0)
        return r;
    /* Fonts not readable at all (a configuration fontconfig refuses) are
     * reported as missing fonts, not as a failure of the check. */
    zimu_fontdb *db = NULL;
    r = zimu__fontdb_new_text(&d->ctx, &db, conf.s);
    free(conf.s);
    if (r == ZIMU_ENOMEM)
        return r;
    check_fonts(d, db);
    zimu__fontdb_free(&db);
    check_libass(d);
    check_ffmpeg(d);
    check_icu(d);
    check_opencc(d);
    check_locale(d);
    zimu__clear(&d->ctx);
    int n = 0;
    for (int i = 0; i < d->n; i++)
        n += d->items[i].status == ZIMU_DOCTOR_MISSING;
    return n;
}

int zimu_doctor_count(const zimu_doctor *d)
{
    if (!valid(d))
        return d ? ZIMU_EBADHANDLE : ZIMU_EINVAL;
    return d->n;
}

static const item *get(const zimu_doctor *d, int i)
{
    return valid(d) && i >= 0 && i < d->n ? &d->items[i] : NULL;
}

int zimu_doctor_status(const zimu_doctor *d, int i)
{
    if (!valid(d))
        return d ? ZIMU_EBADHANDLE : ZIMU_EINVAL;
    const item *it = get(d, i);
    return it ? it->status : ZIMU_EINVAL;
}

int zimu_doctor_error(const zimu_doctor *d, int i)
{
    if (!valid(d))
        return d ? ZIMU_EBADHANDLE : ZIMU_EINVAL;
    const item *it = get(d, i);
    return it ? it->error : ZIMU_EINVAL;
}

const char *zimu_doctor_text(const zimu_doctor *d, int i, int field)
{
    const item *it = get(d, i);
    if (!it)
        return NULL;
    switch (field) {
    case ZIMU_DOCTOR_KEY: return it->key;
    case ZIMU_DOCTOR_WHAT: return it->what;
    case ZIMU_DOCTOR_FOUND: return it->found;
    case ZIMU_DOCTOR_IMPACT: return it->impact;
    case ZIMU_DOCTOR_FIX: return it->fix[0] ? it->fix : NULL;
    }
    return NULL;
}
