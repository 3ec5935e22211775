/* check_fonts.c - the fontconfig set-up zimu gives libass (fonts.c) and the
 * widths zimu measures (measure.c), both checked against libass itself:
 * what face libass really draws with, and where it really puts glyphs. */
#include <check.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ass/ass.h>

#include "fonts.h"
#include "measure.h"
#include "util_ass.h"

/* ------------------------------------------------------------------------
 * libass helpers.
 */

typedef struct lass {
    ASS_Library *lib;
    ASS_Renderer *r;
    int w, h;
} lass;

static void quiet(int level, const char *fmt, va_list ap, void *data)
{
    (void)level;
    (void)fmt;
    (void)ap;
    (void)data;
}

static void lass_open(lass *a, const char *conf, const char *default_family,
                      int w, int h)
{
    a->lib = ass_library_init();
    ck_assert_ptr_nonnull(a->lib);
    ass_set_message_cb(a->lib, quiet, NULL);
    a->r = ass_renderer_init(a->lib);
    ck_assert_ptr_nonnull(a->r);
    a->w = w;
    a->h = h;
    ass_set_frame_size(a->r, w, h);
    ass_set_storage_size(a->r, w, h);
    ass_set_hinting(a->r, ASS_HINTING_NONE);
    ass_set_fonts(a->r, NULL, default_family, ASS_FONTPROVIDER_FONTCONFIG,
                  conf, 1);
}

static void lass_close(lass *a)
{
    ass_renderer_done(a->r);
    ass_library_done(a->lib);
}

/* A one-event script: play size = frame size, WrapStyle 2. */
static ASS_Track *make_track(lass *a, const char *font, double size, int bold,
                             int outline, int kerning, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
            "WrapStyle: 2\nScaledBorderAndShadow: yes\nKerning: %s\n\n"
            "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
            "Style: Default,%s,%g,&H00FFFFFF,&H000000FF,&H00000000,"
            "&H00000000,%d,0,0,0,100,100,0,0,1,%d,0,7,0,0,0,1\n\n"
            "[Events]\n" TU_ASS_EVENT_FORMAT
            "Dialogue: 0,0:00:00.00,0:00:10.00,Default,,0,0,0,,%s\n",
            a->w, a->h, kerning ? "yes" : "no", font, size, bold ? -1 : 0,
            outline, text);
    fclose(f);
    ASS_Track *t = ass_read_memory(a->lib, buf, len, NULL);
    free(buf);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* Render text and return the coverage canvas (w*h bytes, max of the
 * images' coverage), optionally only images of one colour (RGB). */
static unsigned char *render(lass *a, const char *font, double size, int bold,
                             const char *text, long only_rgb)
{
    ASS_Track *t = make_track(a, font, size, bold, 0, 0, text);
    unsigned char *px = calloc((size_t)a->w * a->h, 1);
    ck_assert_ptr_nonnull(px);
    int changed;
    for (ASS_Image *im = ass_render_frame(a->r, t, 1000, &changed); im;
         im = im->next) {
        if (only_rgb >= 0 && (long)(im->color >> 8) != only_rgb)
            continue;
        for (int y = 0; y < im->h; y++)
            for (int x = 0; x < im->w; x++) {
                int X = im->dst_x + x, Y = im->dst_y + y;
                unsigned char v = im->bitmap[y * im->stride + x];
                if (X >= 0 && Y >= 0 && X < a->w && Y < a->h &&
                    v > px[Y * a->w + X])
                    px[Y * a->w + X] = v;
            }
    }
    ass_free_track(t);
    return px;
}

/* Horizontal extent of the inked pixels; *x1 exclusive. 0 if none. */
static int ink_x(const lass *a, const unsigned char *px, int *x0, int *x1)
{
    *x0 = a->w;
    *x1 = -1;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++)
            if (px[y * a->w + x]) {
                if (x < *x0)
                    *x0 = x;
                if (x + 1 > *x1)
                    *x1 = x + 1;
            }
    return *x1 > *x0;
}

static long ink_count(const lass *a, const unsigned char *px)
{
    long n = 0;
    for (long i = 0; i < (long)a->w * a->h; i++)
        n += px[i] > 64;
    return n;
}

static char *conf_path(const char *fonts_dir)
{
    zimu_ctx c = {0};
    char *p = NULL;
    int rc = zimu__fonts_config(&c, fonts_dir, &p);
    ck_assert_msg(rc == 0, "fonts_config: %d %s", rc, c.errmsg);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void conf_done(char *p)
{
    unlink(p);
    free(p);
}

/* Characters whose Simplified Chinese and Japanese glyphs differ. */
#define HAN_TEXT "{\\an7\\pos(10,10)}直骨递"

/* ------------------------------------------------------------------------
 * The configuration file.
 */

START_TEST(test_config_file)
{
    char *p = conf_path(NULL);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    FILE *f = fopen(p, "r");
    ck_assert_ptr_nonnull(f);
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "<include ignore_missing=\"yes\">"
                                      "/etc/fonts/fonts.conf</include>"));
    ck_assert_ptr_nonnull(strstr(buf, "<string>微软雅黑</string>"));
    ck_assert_ptr_null(strstr(buf, "<dir>"));
    FcConfig *cfg = FcConfigCreate();
    ck_assert(FcConfigParseAndLoad(cfg, (const FcChar8 *)p, FcTrue));
    FcConfigDestroy(cfg);
    /* two calls, two files */
    char *q = conf_path(NULL);
    ck_assert_str_ne(p, q);
    conf_done(q);
    conf_done(p);
}
END_TEST

START_TEST(test_fonts_dir_errors)
{
    zimu_ctx c = {0};
    char *p = (char *)1;
    ck_assert_int_eq(zimu__fonts_config(&c, "/nonexistent/zimu-fonts", &p),
                     ZIMU_EFONT);
    ck_assert_ptr_null(p);
    ck_assert_ptr_nonnull(strstr(c.errmsg, "/nonexistent/zimu-fonts"));

    char tmpl[] = "/tmp/zimu-fonts-file-XXXXXX";
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(zimu__fonts_config(&c, tmpl, &p), ZIMU_EFONT);
    ck_assert_ptr_nonnull(strstr(c.errmsg, "not a directory"));
    unlink(tmpl);

    /* A directory name that is not UTF-8 cannot go into the XML file. */
    char bad[] = "/tmp/zimu-fonts-\xff\xfe-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(bad));
    ck_assert_int_eq(zimu__fonts_config(&c, bad, &p), ZIMU_EFONT);
    ck_assert_ptr_nonnull(strstr(c.errmsg, "UTF-8"));
    rmdir(bad);
}
END_TEST

/* Copy DejaVu Sans under a family name nothing else has, into a directory
 * whose name needs XML escaping; the font must be found there. */
static char *renamed_font_dir(char *dir, size_t dirsz)
{
    const char *src = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    FILE *f = fopen(src, "rb");
    ck_assert_msg(f != NULL, "%s: %s", src, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(fread(b, 1, (size_t)n, f), n);
    fclose(f);
    /* "DejaVu Sans" -> "ZimuTstFont" in the name table (ASCII and
     * UTF-16BE spellings; same length, so no table moves). */
    const char *from = "DejaVu Sans", *to = "ZimuTstFont";
    size_t L = strlen(from);
    int hits = 0;
    for (long i = 0; i + (long)L * 2 <= n; i++) {
        if (!memcmp(b + i, from, L)) {
            memcpy(b + i, to, L);
            hits++;
            continue;
        }
        int u16 = 1;
        for (size_t k = 0; k < L && u16; k++)
            u16 = b[i + 2 * k] == 0 && b[i + 2 * k + 1] == (unsigned char)from[k];
        if (u16) {
            for (size_t k = 0; k < L; k++)
                b[i + 2 * k + 1] = (unsigned char)to[k];
            hits++;
        }
    }
    ck_assert_int_gt(hits, 1);
    snprintf(dir, dirsz, "/tmp/zimu fonts &<\"'>-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/zimu-test.ttf", dir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(b, 1, (size_t)n, f), n);
    fclose(f);
    free(b);
    return dir;
}

static void remove_font_dir(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/zimu-test.ttf", dir);
    unlink(path);
    rmdir(dir);
}

START_TEST(test_fonts_dir_used)
{
    char dir[256];
    renamed_font_dir(dir, sizeof dir);
    char *p = conf_path(dir);

    zimu_ctx c = {0};
    zimu_fontdb *db = NULL;
    ck_assert_int_eq(zimu__fontdb_new(&c, &db, p), 0);
    const char *path, *fam;
    int index;
    ck_assert_int_eq(zimu__fontdb_select(db, "ZimuTstFont", 0, 'A', &path,
                                         &index, &fam), 0);
    ck_assert_str_eq(fam, "ZimuTstFont");
    ck_assert_ptr_nonnull(strstr(path, dir));
    zimu__fontdb_free(&db);
    ck_assert_ptr_null(db);

    /* libass draws with it: the same pixels as DejaVu Sans, unlike the
     * default font it would fall back to without the directory. */
    lass a;
    lass_open(&a, p, ZIMU__FONT_DEFAULT, 400, 120);
    const char *t = "{\\an7\\pos(10,10)}Wag";
    unsigned char *x = render(&a, "ZimuTstFont", 60, 0, t, -1);
    unsigned char *y = render(&a, "DejaVu Sans", 60, 0, t, -1);
    unsigned char *z = render(&a, ZIMU__FONT_DEFAULT, 60, 0, t, -1);
    ck_assert(ink_count(&a, x) > 100);
    ck_assert(memcmp(x, y, (size_t)a.w * a.h) == 0);
    ck_assert(memcmp(x, z, (size_t)a.w * a.h) != 0);
    free(x);
    free(y);
    free(z);
    lass_close(&a);

    /* and without the directory the name is unknown */
    char *q = conf_path(NULL);
    ck_assert_int_eq(zimu__fontdb_new(&c, &db, q), 0);
    ck_assert_int_eq(zimu__fontdb_select(db, "ZimuTstFont", 0, 'A', &path,
                                         &index, &fam), 0);
    ck_assert_str_ne(fam, "ZimuTstFont");
    zimu__fontdb_free(&db);
    conf_done(q);
    conf_done(p);
    remove_font_dir(dir);
}
END_TEST

/* ------------------------------------------------------------------------
 * The face libass selects.
 */

typedef struct mapped {
    const char *name;
    const char *family; /* Noto face expected */
    int bold;           /* the name itself asks for bold */
} mapped;

static const mapped names[] = {
    {"微软雅黑", ZIMU__FONT_SANS, 0},
    {"Microsoft YaHei", ZIMU__FONT_SANS, 0},
    {"Microsoft YaHei UI", ZIMU__FONT_SANS, 0},
    {"黑体", ZIMU__FONT_SANS, 0},
    {"SimHei", ZIMU__FONT_SANS, 0},
    {"PingFang SC", ZIMU__FONT_SANS, 0},
    {"苹方", ZIMU__FONT_SANS, 0},
    {"STHeiti", ZIMU__FONT_SANS, 0},
    {"华文黑体", ZIMU__FONT_SANS, 0},
    {"思源黑体", ZIMU__FONT_SANS, 0},
    {"Source Han Sans SC", ZIMU__FONT_SANS, 0},
    {"方正黑体_GBK", ZIMU__FONT_SANS, 0},
    {"FZHei-B01S", ZIMU__FONT_SANS, 0},
    {"等线", ZIMU__FONT_SANS, 0},
    {"DengXian", ZIMU__FONT_SANS, 0},
    {"宋体", ZIMU__FONT_SERIF, 0},
    {"SimSun", ZIMU__FONT_SERIF, 0},
    {"新宋体", ZIMU__FONT_SERIF, 0},
    {"NSimSun", ZIMU__FONT_SERIF, 0},
    {"华文宋体", ZIMU__FONT_SERIF, 0},
    {"STSong", ZIMU__FONT_SERIF, 0},
    {"思源宋体", ZIMU__FONT_SERIF, 0},
    {"方正书宋_GBK", ZIMU__FONT_SERIF, 0},
    {"FZShuSong-Z01S", ZIMU__FONT_SERIF, 0},
    {"仿宋", ZIMU__FONT_SERIF, 0},
    {"FangSong", ZIMU__FONT_SERIF, 0},
    {"楷体", ZIMU__FONT_SERIF, 0},
    {"KaiTi", ZIMU__FONT_SERIF, 0},
    {"STKaiti", ZIMU__FONT_SERIF, 0},
    {"华文楷体", ZIMU__FONT_SERIF, 0},
    {"方正楷体_GBK", ZIMU__FONT_SERIF, 0},
    {"微软雅黑 Bold", ZIMU__FONT_SANS, 1},
    {"Microsoft YaHei Bold", ZIMU__FONT_SANS, 1},
    {"思源黑体 Heavy", ZIMU__FONT_SANS, 1},
    {"Source Han Serif SC Bold", ZIMU__FONT_SERIF, 1},
};
#define N_NAMES (sizeof names / sizeof *names)

/* The lookup zimu measures with, and fontconfig's own match. */
START_TEST(test_names_fontconfig)
{
    const mapped *mp = &names[_i];
    char *p = conf_path(NULL);
    zimu_ctx c = {0};
    zimu_fontdb *db = NULL;
    ck_assert_int_eq(zimu__fontdb_new(&c, &db, p), 0);
    for (int bold = 0; bold < 2; bold++) {
        const char *path, *fam;
        int index;
        ck_assert_int_eq(zimu__fontdb_select(db, mp->name, bold, 0x76F4,
                                             &path, &index, &fam), 0);
        ck_assert_msg(!strcmp(fam, mp->family), "%s -> %s", mp->name, fam);
        int want_bold = bold || mp->bold;
        ck_assert_msg((strstr(path, "Bold") != NULL) == want_bold,
                      "%s bold %d -> %s", mp->name, bold, path);
    }
    zimu__fontdb_free(&db);

    FcConfig *cfg = FcConfigCreate();
    ck_assert(FcConfigParseAndLoad(cfg, (const FcChar8 *)p, FcTrue));
    ck_assert(FcConfigBuildFonts(cfg));
    FcPattern *pat = FcNameParse((const FcChar8 *)"");
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)mp->name);
    FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"zh-cn");
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(cfg, pat, &res);
    ck_assert_ptr_nonnull(match);
    FcChar8 *fam;
    ck_assert(FcPatternGetString(match, FC_FAMILY, 0, &fam) == FcResultMatch);
    ck_assert_msg(!strcmp((const char *)fam, mp->family), "fontconfig: %s -> %s",
                  mp->name, fam);
    FcPatternDestroy(match);
    FcPatternDestroy(pat);
    FcConfigDestroy(cfg);
    conf_done(p);
}
END_TEST

/* What libass really draws: identical to the SC face, not the JP one. */
START_TEST(test_names_libass)
{
    const mapped *mp = &names[_i];
    char *p = conf_path(NULL);
    lass a;
    lass_open(&a, p, ZIMU__FONT_DEFAULT, 360, 120);
    const char *jp = !strcmp(mp->family, ZIMU__FONT_SANS)
                         ? "Noto Sans CJK JP" : "Noto Serif CJK JP";
    for (int bold = 0; bold < 2; bold++) {
        unsigned char *got = render(&a, mp->name, 72, bold, HAN_TEXT, -1);
        unsigned char *sc = render(&a, mp->family, 72, bold || mp->bold,
                                   HAN_TEXT, -1);
        unsigned char *ja = render(&a, jp, 72, bold || mp->bold, HAN_TEXT, -1);
        unsigned char *other = render(&a, mp->family, 72, !(bold || mp->bold),
                                      HAN_TEXT, -1);
        ck_assert(ink_count(&a, got) > 200);
        ck_assert_msg(memcmp(got, sc, (size_t)a.w * a.h) == 0,
                      "%s (bold %d) is not drawn with %s", mp->name, bold,
                      mp->family);
        ck_assert_msg(memcmp(got, ja, (size_t)a.w * a.h) != 0,
                      "%s: the SC and JP glyphs should differ", mp->name);
        ck_assert_msg(memcmp(got, other, (size_t)a.w * a.h) != 0,
                      "%s (bold %d): wrong weight", mp->name, bold);
        free(got);
        free(sc);
        free(ja);
        free(other);
    }
    lass_close(&a);
    conf_done(p);
}
END_TEST

/* Han text in a font without Han, or with no default family given to
 * libass at all, still comes out in the SC face. */
START_TEST(test_han_fallback_sc)
{
    char *p = conf_path(NULL);
    const char *defaults[] = {ZIMU__FONT_DEFAULT, NULL};
    for (int d = 0; d < 2; d++) {
        lass a;
        lass_open(&a, p, defaults[d], 360, 120);
        unsigned char *sc = render(&a, ZIMU__FONT_SANS, 72, 0, HAN_TEXT, -1);
        unsigned char *ja = render(&a, "Noto Sans CJK JP", 72, 0, HAN_TEXT, -1);
        const char *fonts[] = {"DejaVu Sans", "Arial", "sans-serif",
                               "NoSuchFontAnywhere"};
        for (size_t i = 0; i < sizeof fonts / sizeof *fonts; i++) {
            unsigned char *got = render(&a, fonts[i], 72, 0, HAN_TEXT, -1);
            ck_assert_msg(memcmp(got, sc, (size_t)a.w * a.h) == 0,
                          "%s (default %s): Han not in the SC face", fonts[i],
                          defaults[d] ? defaults[d] : "none");
            ck_assert(memcmp(got, ja, (size_t)a.w * a.h) != 0);
            free(got);
        }
        free(sc);
        free(ja);
        lass_close(&a);
    }
    conf_done(p);
}
END_TEST

/* Emoji draw through the outline fallbacks: 😀 (DejaVu Sans or Symbola)
 * and 🔥 (only Symbola has it here). */
START_TEST(test_emoji_visible)
{
    char *p = conf_path(NULL);
    lass a;
    lass_open(&a, p, ZIMU__FONT_DEFAULT, 300, 120);
    const char *fonts[] = {ZIMU__FONT_SANS, "微软雅黑", "宋体"};
    for (size_t i = 0; i < sizeof fonts / sizeof *fonts; i++) {
        unsigned char *e1 = render(&a, fonts[i], 72, 0,
                                   "{\\an7\\pos(10,10)}😀", -1);
        unsigned char *e2 = render(&a, fonts[i], 72, 0,
                                   "{\\an7\\pos(10,10)}🔥", -1);
        unsigned char *sp = render(&a, fonts[i], 72, 0,
                                   "{\\an7\\pos(10,10)} ", -1);
        ck_assert_msg(ink_count(&a, e1) > 300, "%s: 😀 is blank", fonts[i]);
        ck_assert_msg(ink_count(&a, e2) > 300, "%s: 🔥 is blank", fonts[i]);
        ck_assert_int_eq(ink_count(&a, sp), 0);
        ck_assert(memcmp(e1, e2, (size_t)a.w * a.h) != 0);
        free(e1);
        free(e2);
        free(sp);
    }
    lass_close(&a);

    zimu_ctx c = {0};
    zimu_fontdb *db = NULL;
    ck_assert_int_eq(zimu__fontdb_new(&c, &db, p), 0);
    const char *path, *fam;
    int index;
    ck_assert_int_eq(zimu__fontdb_select(db, ZIMU__FONT_SANS, 0, 0x1F525,
                                         &path, &index, &fam), 0);
    ck_assert_str_eq(fam, "Symbola");
    zimu__fontdb_free(&db);
    conf_done(p);
}
END_TEST

/* ------------------------------------------------------------------------
 * Measuring against libass.
 */

static const char *const texts[] = {
    "中华人民共和国",
    "你好，世界！这是一个测试。",
    "Hello World, this is a test",
    "AVAVAV Type Wolf",
    "2024年3月15日，COVID-19疫情",
    "「直骨递」……——",
    "😀🔥中文",
    "iiiiiiiiiiiiiii",
    "WWWWWWWW",
    "请下载“国家反诈中心”App，开启来电预警功能",
    "OpenAI发布了GPT-4，售价$3499（约合人民币2.5万元）",
    "家庭理财：40%投资、30%开销",
};
#define N_TEXTS (sizeof texts / sizeof *texts)

typedef struct mcase {
    const char *font;
    int bold;
    double size;
} mcase;

static const mcase mcases[] = {
    {ZIMU__FONT_SANS, 0, 100}, {ZIMU__FONT_SANS, 1, 59.4},
    {ZIMU__FONT_SANS, 0, 39.6}, {"微软雅黑", 0, 64.8},
    {"宋体", 1, 48}, {"DejaVu Sans", 0, 52.5}, {"Arial", 0, 33},
};
#define N_MCASES (sizeof mcases / sizeof *mcases)

/* Where libass puts the next glyph after the text, by a marker in its own
 * colour placed after it, against the marker alone; that difference is
 * the advance width libass gives the text. */
static double libass_advance(lass *a, const mcase *mc, const char *text)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "{\\an7\\pos(20,20)}%s{\\c&H0000FF&}|", text);
    unsigned char *with = render(a, mc->font, mc->size, mc->bold, buf,
                                 0xFF0000);
    unsigned char *alone = render(a, mc->font, mc->size, mc->bold,
                                  "{\\an7\\pos(20,20)}{\\c&H0000FF&}|",
                                  0xFF0000);
    int w0, w1, a0, a1;
    ck_assert(ink_x(a, with, &w0, &w1));
    ck_assert(ink_x(a, alone, &a0, &a1));
    free(with);
    free(alone);
    return w0 - a0;
}

START_TEST(test_measure_advance)
{
    const mcase *mc = &mcases[_i];
    char *p = conf_path(NULL);
    lass a;
    lass_open(&a, p, ZIMU__FONT_DEFAULT, 1920, 200);
    zimu_ctx c = {0};
    zimu_measure *m = NULL;
    ck_assert_int_eq(zimu__measure_new(&c, &m, mc->font, mc->bold, mc->size,
                                       p), 0);
    double worst = 0;
    for (size_t i = 0; i < N_TEXTS; i++) {
        double got = zimu__measure_text(m, texts[i], strlen(texts[i]));
        double want = libass_advance(&a, mc, texts[i]);
        double d = fabs(got - want);
        if (d > worst)
            worst = d;
        /* libass places glyphs at whole pixels here: +-1 px of rounding */
        ck_assert_msg(d <= 1.5, "%s b%d %g '%s': measured %.2f, libass %.0f",
                      mc->font, mc->bold, mc->size, texts[i], got, want);
    }
    fprintf(stderr, "measure: %s b%d fs %g: worst advance error %.2f px\n",
            mc->font, mc->bold, mc->size, worst);
    zimu__measure_free(&m);
    ck_assert_ptr_null(m);
    lass_close(&a);
    conf_done(p);
}
END_TEST

/* The box libass inks against the measured width: they differ only by the
 * side bearings of the first and last glyph, so texts that start and end
 * with letters or Han agree within a few pixels. */
START_TEST(test_measure_bbox)
{
    static const char *const boxed[] = {
        "中华人民共和国", "Hello World this is a test",
        "2024年3月15日COVID-19疫情", "国家反诈中心App", "今天我们讲民法典里关于继承的规定",
    };
    char *p = conf_path(NULL);
    lass a;
    lass_open(&a, p, ZIMU__FONT_DEFAULT, 1920, 200);
    for (size_t k = 0; k < N_MCASES; k++) {
        const mcase *mc = &mcases[k];
        zimu_ctx c = {0};
        zimu_measure *m = NULL;
        ck_assert_int_eq(zimu__measure_new(&c, &m, mc->font, mc->bold,
                                           mc->size, p), 0);
        for (size_t i = 0; i < sizeof boxed / sizeof *boxed; i++) {
            char buf[512];
            snprintf(buf, sizeof buf, "{\\an7\\pos(20,20)}%s", boxed[i]);
            unsigned char *px = render(&a, mc->font, mc->size, mc->bold, buf,
                                       -1);
            int x0, x1;
            ck_assert(ink_x(&a, px, &x0, &x1));
            free(px);
            double got = zimu__measure_text(m, boxed[i], strlen(boxed[i]));
            double tol = fmax(0.25 * mc->size, 0.02 * got);
            ck_assert_msg(fabs(got - (x1 - x0)) <= tol,
                          "%s %g '%s': measured %.1f, inked %d", mc->font,
                          mc->size, boxed[i], got, x1 - x0);
        }
        zimu__measure_free(&m);
    }
    lass_close(&a);
    conf_done(p);
}
END_TEST

START_TEST(test_measure_basics)
{
    char *p = conf_path(NULL);
    zimu_ctx c = {0};
    zimu_measure *m = NULL;
    ck_assert_int_eq(zimu__measure_new(&c, &m, NULL, 0, 100, p), 0);
    /* libass scales Noto CJK by usWinAscent + usWinDescent: \fs100 Han is
     * about 69 px, not 100 */
    double han = zimu__measure_text(m, "中", strlen("中"));
    ck_assert_msg(han > 68 && han < 70.5, "中 at fs100: %.2f", han);
    double seven = zimu__measure_text(m, "中华人民共和国", strlen("中华人民共和国"));
    ck_assert(fabs(seven - 7 * han) < 0.01);
    /* override blocks take no width; an unclosed brace is text */
    const char *tagged = "{\\b1}中华{\\c&H0000FF&}人民{\\fs200}";
    ck_assert(fabs(zimu__measure_text(m, tagged, strlen(tagged)) -
                   zimu__measure_text(m, "中华人民", strlen("中华人民"))) < 1e-9);
    ck_assert(zimu__measure_text(m, "{abc", 4) > 0);
    ck_assert(zimu__measure_text(m, "{abc}", 5) == 0);
    ck_assert(zimu__measure_text(m, "", 0) == 0);
    /* the length is honoured: no reading past it */
    ck_assert(fabs(zimu__measure_text(m, "中华人民", 3) - han) < 1e-9);
    /* broken UTF-8 is measured, not trusted */
    ck_assert(zimu__measure_text(m, "\xe4\xb8", 2) > 0);
    zimu__measure_free(&m);
    zimu__measure_free(&m); /* harmless */
    zimu__measure_free(NULL);

    ck_assert_int_eq(zimu__measure_new(&c, &m, NULL, 0, 0, p), ZIMU_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(zimu__measure_new(&c, &m, NULL, 0, NAN, p), ZIMU_EINVAL);
    ck_assert_int_eq(zimu__measure_new(&c, &m, NULL, 0, 50,
                                       "/nonexistent/zimu.conf"), ZIMU_EFONT);
    ck_assert_ptr_null(m);
    conf_done(p);
}
END_TEST

/* Kerning follows the script's "Kerning:" line, as in libass. */
START_TEST(test_measure_kerning)
{
    char *p = conf_path(NULL);
    lass a;
    lass_open(&a, p, ZIMU__FONT_DEFAULT, 1200, 200);
    zimu_ctx c = {0};
    zimu_measure *m = NULL;
    ck_assert_int_eq(zimu__measure_new(&c, &m, "DejaVu Sans", 0, 80, p), 0);
    const char *t = "AVAVAVAV To Wa";
    double off = zimu__measure_text(m, t, strlen(t));
    zimu__measure_set_kerning(m, 1);
    double on = zimu__measure_text(m, t, strlen(t));
    ck_assert_msg(on < off - 10, "kerning on %.1f, off %.1f", on, off);
    ASS_Track *tr = make_track(&a, "DejaVu Sans", 80, 0, 0, 1,
                               "{\\an7\\pos(20,20)}AVAVAVAV To Wa{\\c&H0000FF&}|");
    int ch, x0 = 1 << 30;
    for (ASS_Image *im = ass_render_frame(a.r, tr, 1000, &ch); im;
         im = im->next)
        if ((im->color >> 8) == 0xFF0000)
            for (int y = 0; y < im->h; y++)
                for (int x = 0; x < im->w; x++)
                    if (im->bitmap[y * im->stride + x] && im->dst_x + x < x0)
                        x0 = im->dst_x + x;
    ass_free_track(tr);
    unsigned char *alone = render(&a, "DejaVu Sans", 80, 0,
                                  "{\\an7\\pos(20,20)}{\\c&H0000FF&}|", 0xFF0000);
    int a0, a1;
    ck_assert(ink_x(&a, alone, &a0, &a1));
    free(alone);
    ck_assert_msg(fabs((x0 - a0) - on) <= 1.5, "kerned: libass %d, measured %.1f",
                  x0 - a0, on);
    zimu__measure_free(&m);
    lass_close(&a);
    conf_done(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("fonts");
    TCase *tc = tcase_create("config");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_config_file);
    tcase_add_test(tc, test_fonts_dir_errors);
    tcase_add_test(tc, test_fonts_dir_used);
    suite_add_tcase(s, tc);

    tc = tcase_create("select");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_names_fontconfig, 0, N_NAMES);
    tcase_add_loop_test(tc, test_names_libass, 0, N_NAMES);
    tcase_add_test(tc, test_han_fallback_sc);
    tcase_add_test(tc, test_emoji_visible);
    suite_add_tcase(s, tc);

    tc = tcase_create("measure");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_measure_advance, 0, N_MCASES);
    tcase_add_test(tc, test_measure_bbox);
    tcase_add_test(tc, test_measure_basics);
    tcase_add_test(tc, test_measure_kerning);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
