/* fonts.c - the fontconfig configuration zimu gives libass, and a font
 * lookup that makes the same choices libass makes with it.
 *
 * Why a configuration of our own: Chinese ASS files name Windows and Mac
 * fonts (微软雅黑, 宋体, PingFang SC) that a Debian machine does not have,
 * and fontconfig's fallback for Han text is the Japanese variant of Noto
 * Sans CJK, whose glyphs differ from the Chinese ones (直, 骨, 递 ...). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "fonts.h"
#include "sbuf.h"
#include "tmpfile.h"

/* ------------------------------------------------------------------------
 * The name map.
 */

enum { EQ, CONTAINS };

/* A Noto face a name maps to. Bold goes by the face's PostScript name:
 * libass matches a CFF font (Noto CJK is one) by PostScript name only,
 * never by its full name. */
typedef struct face {
    const char *family;
    const char *bold_ps;
} face;

static const face sans = {ZIMU__FONT_SANS, "NotoSansCJKsc-Bold"};
static const face serif = {ZIMU__FONT_SERIF, "NotoSerifCJKsc-Bold"};
static const face sans_tc = {"Noto Sans CJK TC", "NotoSansCJKtc-Bold"};
static const face sans_hk = {"Noto Sans CJK HK", "NotoSansCJKhk-Bold"};
static const face serif_tc = {"Noto Serif CJK TC", "NotoSerifCJKtc-Bold"};

typedef struct name_map {
    const char *name;
    int compare;        /* EQ: the whole family name; CONTAINS: a part */
    const face *to;
    int bold;           /* the name itself means a bold face */
} name_map;

#define SANS &sans, 0
#define SANS_B &sans, 1
#define SERIF &serif, 0
#define SERIF_B &serif, 1
#define SANS_TC &sans_tc, 0
#define SANS_HK &sans_hk, 0
#define SERIF_TC &serif_tc, 0

/* Families whose weight variants are also written "<name> Bold" and so on
 * (Office and Adobe name their faces that way). */
static const name_map base_names[] = {
    /* Sans (黑体 and the like) */
    {"微软雅黑", EQ, SANS}, {"Microsoft YaHei", EQ, SANS},
    {"Microsoft YaHei UI", EQ, SANS}, {"微软雅黑 UI", EQ, SANS},
    {"黑体", EQ, SANS}, {"SimHei", EQ, SANS}, {"黑体-简", EQ, SANS},
    {"Heiti SC", EQ, SANS}, {"华文黑体", EQ, SANS}, {"STHeiti", EQ, SANS},
    {"华文细黑", EQ, SANS}, {"STXihei", EQ, SANS},
    {"PingFang SC", EQ, SANS}, {"苹方", EQ, SANS}, {"苹方-简", EQ, SANS},
    {"思源黑体", EQ, SANS}, {"思源黑体 CN", EQ, SANS},
    {"Source Han Sans", EQ, SANS}, {"Source Han Sans SC", EQ, SANS},
    {"Source Han Sans CN", EQ, SANS}, {"Noto Sans SC", EQ, SANS},
    {"Noto Sans CJK", EQ, SANS}, {"Noto Sans S Chinese", EQ, SANS},
    {"等线", EQ, SANS}, {"DengXian", EQ, SANS},
    {"幼圆", EQ, SANS}, {"YouYuan", EQ, SANS},
    {"冬青黑体简体中文", EQ, SANS}, {"Hiragino Sans GB", EQ, SANS},
    {"文泉驿微米黑", EQ, SANS}, {"WenQuanYi Micro Hei", EQ, SANS},
    {"文泉驿正黑", EQ, SANS}, {"WenQuanYi Zen Hei", EQ, SANS},
    {"Arial Unicode MS", EQ, SANS},
    /* Serif (宋体, 仿宋, 楷体: Debian has no Kai face; serif is closest) */
    {"宋体", EQ, SERIF}, {"SimSun", EQ, SERIF}, {"新宋体", EQ, SERIF},
    {"NSimSun", EQ, SERIF}, {"宋体-简", EQ, SERIF}, {"Songti SC", EQ, SERIF},
    {"华文宋体", EQ, SERIF}, {"STSong", EQ, SERIF},
    {"华文中宋", EQ, SERIF}, {"STZhongsong", EQ, SERIF},
    {"思源宋体", EQ, SERIF}, {"思源宋体 CN", EQ, SERIF},
    {"Source Han Serif", EQ, SERIF}, {"Source Han Serif SC", EQ, SERIF},
    {"Source Han Serif CN", EQ, SERIF}, {"Noto Serif SC", EQ, SERIF},
    {"仿宋", EQ, SERIF}, {"FangSong", EQ, SERIF},
    {"仿宋_GB2312", EQ, SERIF}, {"FangSong_GB2312", EQ, SERIF},
    {"华文仿宋", EQ, SERIF}, {"STFangsong", EQ, SERIF},
    {"楷体", EQ, SERIF}, {"KaiTi", EQ, SERIF}, {"楷体_GB2312", EQ, SERIF},
    {"KaiTi_GB2312", EQ, SERIF}, {"华文楷体", EQ, SERIF},
    {"STKaiti", EQ, SERIF}, {"Kaiti SC", EQ, SERIF}, {"楷体-简", EQ, SERIF},
    {"隶书", EQ, SERIF}, {"LiSu", EQ, SERIF},
    {"华文隶书", EQ, SERIF}, {"STLiti", EQ, SERIF},
    /* Traditional Chinese names, to the TC/HK variants */
    {"微軟正黑體", EQ, SANS_TC}, {"Microsoft JhengHei", EQ, SANS_TC},
    {"Microsoft JhengHei UI", EQ, SANS_TC}, {"PingFang TC", EQ, SANS_TC},
    {"蘋方-繁", EQ, SANS_TC}, {"PingFang HK", EQ, SANS_HK},
    {"Source Han Sans TC", EQ, SANS_TC}, {"思源黑體", EQ, SANS_TC},
    {"新細明體", EQ, SERIF_TC}, {"PMingLiU", EQ, SERIF_TC},
    {"細明體", EQ, SERIF_TC}, {"MingLiU", EQ, SERIF_TC},
    {"標楷體", EQ, SERIF_TC}, {"DFKai-SB", EQ, SERIF_TC},
};

/* Weight words after a base name: bold ones go to the bold face, the rest
 * to the family (libass then picks the weight the style asks for). */
static const char *const bold_suffixes[] = {
    " Bold", " Heavy", " Black", " SemiBold", " Semibold", " Demibold",
    " ExtraBold", " 粗体",
};
static const char *const plain_suffixes[] = {
    " Regular", " Normal", " Medium", " Light", " ExtraLight", " Thin",
    " UI",
};

/* Foundry names with many variants: matched on a part of the name. The
 * bold ones come first (see put_name_rules). */
static const name_map part_names[] = {
    {"方正粗黑", CONTAINS, SANS_B}, {"FZCuHei", CONTAINS, SANS_B},
    {"方正大黑", CONTAINS, SANS_B}, {"FZDaHei", CONTAINS, SANS_B},
    {"方正兰亭粗黑", CONTAINS, SANS_B}, {"FZLanTingHei-B", CONTAINS, SANS_B},
    {"FZLanTingHei-DB", CONTAINS, SANS_B}, {"FZLanTingHei-H", CONTAINS, SANS_B},
    {"FZLanTingHei-EB", CONTAINS, SANS_B},
    {"方正小标宋", CONTAINS, SERIF_B}, {"FZXiaoBiaoSong", CONTAINS, SERIF_B},
    {"方正黑体", CONTAINS, SANS}, {"FZHei", CONTAINS, SANS},
    {"方正兰亭", CONTAINS, SANS}, {"FZLanTing", CONTAINS, SANS},
    {"方正书宋", CONTAINS, SERIF}, {"FZShuSong", CONTAINS, SERIF},
    {"方正宋", CONTAINS, SERIF}, {"FZSong", CONTAINS, SERIF},
    {"方正仿宋", CONTAINS, SERIF}, {"FZFangSong", CONTAINS, SERIF},
    {"方正楷体", CONTAINS, SERIF}, {"FZKai", CONTAINS, SERIF},
};

/* ------------------------------------------------------------------------
 * Writing the configuration.
 */



/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len;
    uint32_t cp, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2; cp = s[0] & 0x1F; min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3; cp = s[0] & 0x0F; min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4; cp = s[0] & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Character data for XML. Returns 0, or -1 when s cannot be written as XML
 * 1.0 text (invalid UTF-8, control characters). */
static int put_xml(zimu_sbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char ch = p[i];
        const char *esc = NULL;
        switch (ch) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&apos;"; break;
        }
        if (esc) {
            zimu__sb_adds(b, esc);
            i++;
            continue;
        }
        if (ch < 0x20 || ch == 0x7F)
            return -1;
        size_t len = utf8_valid_len(p + i, n - i);
        if (!len)
            return -1;
        zimu__sb_add(b, s + i, len);
        i += len;
    }
    return 0;
}

static void put_rule(zimu_sbuf *b, const char *name, int compare,
                     const face *to, int bold)
{
    zimu__sb_adds(b, "  <match target=\"pattern\">\n    <test qual=\"any\" "
             "name=\"family\" compare=\"");
    zimu__sb_adds(b, compare == CONTAINS ? "contains" : "eq");
    zimu__sb_adds(b, "\"><string>");
    put_xml(b, name); /* our own table: always valid */
    zimu__sb_adds(b, "</string></test>\n    <edit name=\"family\" mode=\"prepend\" "
             "binding=\"strong\">");
    if (bold) {
        zimu__sb_adds(b, "<string>");
        zimu__sb_adds(b, to->bold_ps);
        zimu__sb_adds(b, "</string>");
    }
    zimu__sb_adds(b, "<string>");
    zimu__sb_adds(b, to->family);
    zimu__sb_adds(b, "</string></edit>\n");
    if (bold) /* for fontconfig's own matching; libass reads names only */
        zimu__sb_adds(b, "    <edit name=\"weight\" mode=\"assign\" "
                 "binding=\"strong\"><const>bold</const></edit>\n");
    zimu__sb_adds(b, "  </match>\n");
}

static void put_name_rules(zimu_sbuf *b)
{
    char name[256];
    size_t nb = sizeof base_names / sizeof *base_names;
    for (size_t i = 0; i < nb; i++) {
        const name_map *m = &base_names[i];
        for (size_t k = 0; k < sizeof bold_suffixes / sizeof *bold_suffixes;
             k++) {
            snprintf(name, sizeof name, "%s%s", m->name, bold_suffixes[k]);
            put_rule(b, name, EQ, m->to, 1);
        }
        for (size_t k = 0;
             k < sizeof plain_suffixes / sizeof *plain_suffixes; k++) {
            snprintf(name, sizeof name, "%s%s", m->name, plain_suffixes[k]);
            put_rule(b, name, EQ, m->to, m->bold);
        }
        put_rule(b, m->name, m->compare, m->to, m->bold);
    }
    /* bold parts first, so that their names end up ahead of the family
     * that a general rule below adds */
    for (size_t i = 0; i < sizeof part_names / sizeof *part_names; i++)
        put_rule(b, part_names[i].name, part_names[i].compare,
                 part_names[i].to, part_names[i].bold);
}

/* The generic families: the Chinese faces first, whatever the locale says
 * (fontconfig would rank the JP variant first, or follow LANG), and
 * Symbola last for emoji and symbols no other outline font has. These run
 * before the system rules: a generic name still alone in a pattern is one
 * the caller asked for (libass's fallback list asks for sans-serif), while
 * the system rules append sans-serif to every pattern. */
static void put_generic_rules(zimu_sbuf *b)
{
    static const char *const generic[][2] = {
        {"sans-serif", ZIMU__FONT_SANS},
        {"serif", ZIMU__FONT_SERIF},
        {"monospace", "Noto Sans Mono CJK SC"},
    };
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++) {
        zimu__sb_adds(b, "  <match target=\"pattern\">\n    <test qual=\"any\" "
                 "name=\"family\"><string>");
        zimu__sb_adds(b, generic[i][0]);
        zimu__sb_adds(b, "</string></test>\n    <edit name=\"family\" "
                 "mode=\"prepend\" binding=\"strong\"><string>");
        zimu__sb_adds(b, generic[i][1]);
        zimu__sb_adds(b, "</string></edit>\n    <edit name=\"family\" "
                 "mode=\"append_last\" binding=\"weak\"><string>Symbola"
                 "</string></edit>\n  </match>\n");
    }
}

static const char *system_config(void)
{
    const char *env = getenv("FONTCONFIG_FILE");
    if (env && env[0] == '/')
        return env;
    return "/etc/fonts/fonts.conf";
}

int zimu__fonts_config_text(zimu_ctx *c, const char *fonts_dir, zimu_sbuf *out)
{

    char *dir_abs = NULL;
    if (fonts_dir && *fonts_dir) {
        dir_abs = realpath(fonts_dir, NULL);
        if (!dir_abs)
            return zimu__fail_file(c, ZIMU_EFONT, fonts_dir, "fonts directory '%s': %s",
                              fonts_dir, strerror(errno));
        struct stat st;
        if (stat(dir_abs, &st) || !S_ISDIR(st.st_mode)) {
            free(dir_abs);
            return zimu__fail_file(c, ZIMU_EFONT, fonts_dir,
                                   "fonts directory '%s': not a directory",
                              fonts_dir);
        }
    }

    zimu_sbuf b = {0};
    zimu__sb_adds(&b, "<?xml version=\"1.0\"?>\n"
              "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
              "<!-- written by zimu for libass; removed after use -->\n"
              "<fontconfig>\n");
    /* Before the system rules, which expand the generic names and would
     * put their own CJK choice (by LANG) ahead of ours. */
    put_generic_rules(&b);
    zimu__sb_adds(&b, "  <include ignore_missing=\"yes\">");
    if (put_xml(&b, system_config()) < 0) {
        free(b.s);
        free(dir_abs);
        return zimu__fail(c, ZIMU_EFONT,
                          "FONTCONFIG_FILE is not a usable path");
    }
    zimu__sb_adds(&b, "</include>\n");
    if (dir_abs) {
        zimu__sb_adds(&b, "  <dir>");
        int bad = put_xml(&b, dir_abs) < 0;
        zimu__sb_adds(&b, "</dir>\n");
        if (bad) {
            free(b.s);
            int rc = zimu__fail_file(c, ZIMU_EFONT, fonts_dir,
                                "fonts directory '%s': the path is not "
                                "valid UTF-8 text", fonts_dir);
            free(dir_abs);
            return rc;
        }
    }
    free(dir_abs);
    put_name_rules(&b);
    zimu__sb_adds(&b, "</fontconfig>\n");
    if (b.oom) {
        free(b.s);
        return zimu__fail(c, ZIMU_ENOMEM, "fonts: out of memory");
    }
    *out = b;
    return 0;
}

int zimu__fonts_config(zimu_ctx *c, const char *fonts_dir, char **conf_path)
{
    if (!conf_path)
        return zimu__fail(c, ZIMU_EINVAL, "fonts: no place for the path");
    *conf_path = NULL;
    zimu_sbuf b = {0};
    int rc = zimu__fonts_config_text(c, fonts_dir, &b);
    if (rc < 0)
        return rc;
    rc = zimu__fonts_config_write(c, b.s, b.len, conf_path);
    free(b.s);
    return rc;
}

const char *zimu__fonts_tmpdir(void)
{
    const char *tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

int zimu__fonts_config_write(zimu_ctx *c, const char *text, size_t len, char **conf_path)
{
    *conf_path = NULL;
    const char *tmp = zimu__fonts_tmpdir();
    /* The owner (host, process) is in the name: a run killed before it
     * could remove the file leaves one that the next font context on this
     * host removes (zimu_fonts_load). */
    char *path = zimu__temp_owned(tmp, ZIMU__FONTS_CONF_PREFIX, ZIMU__FONTS_CONF_SUFFIX);
    if (!path && errno == ENOMEM)
        return zimu__fail(c, ZIMU_ENOMEM, "fonts: out of memory");
    if (!path)
        return zimu__fail(c, ZIMU_EFONT, "fonts: cannot create a file in %s: %s", tmp,
                          strerror(errno));
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    int e = fd < 0 ? errno : 0;
    for (size_t off = 0; !e && off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            e = w < 0 ? errno : EIO;
        else
            off += (size_t)w;
    }
    if (fd >= 0 && close(fd) && !e)
        e = errno;
    if (e) {
        if (fd >= 0)
            unlink(path);
        int rc = zimu__fail(c, ZIMU_EFONT, "fonts: cannot write %s: %s", path, strerror(e));
        free(path);
        return rc;
    }
    *conf_path = path;
    return 0;
}


/* ------------------------------------------------------------------------
 * The font lookup.
 */

typedef struct font_info {
    FcPattern *pat; /* owned by the FcConfig */
    const char *path;
    int index;
    int weight, slant, width;
} font_info;

struct zimu_fontdb {
    FcConfig *config;
    font_info *fonts;
    size_t n_fonts;
    FcFontSet *fallbacks;
    FcCharSet *fallback_chars;
    int fallbacks_done;
};

/* ASCII-only case folding, as libass compares names. */
static int name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

static int fontdb_fill(zimu_ctx *c, zimu_fontdb **out, zimu_fontdb *db);

int zimu__fontdb_new_text(zimu_ctx *c, zimu_fontdb **out, const char *conf_text)
{
    *out = NULL;
    zimu_fontdb *db = calloc(1, sizeof *db);
    if (!db)
        return zimu__fail(c, ZIMU_ENOMEM, "fonts: out of memory");
    db->config = FcConfigCreate();
    if (!db->config ||
        !FcConfigParseAndLoadFromMemory(db->config, (const FcChar8 *)conf_text, FcTrue) ||
        !FcConfigBuildFonts(db->config)) {
        zimu__fontdb_free(&db);
        return zimu__fail(c, ZIMU_EFONT, "fonts: cannot load zimu's font configuration");
    }
    return fontdb_fill(c, out, db);
}

int zimu__fontdb_new(zimu_ctx *c, zimu_fontdb **out, const char *conf_path)
{
    *out = NULL;
    zimu_fontdb *db = calloc(1, sizeof *db);
    if (!db)
        return zimu__fail(c, ZIMU_ENOMEM, "fonts: out of memory");
    if (conf_path && access(conf_path, R_OK) != 0) {
        int e = errno;
        zimu__fontdb_free(&db);
        return zimu__fail(c, ZIMU_EFONT, "fonts: cannot read %s: %s",
                          conf_path, strerror(e));
    }
    if (conf_path) {
        db->config = FcConfigCreate();
        if (!db->config ||
            !FcConfigParseAndLoad(db->config, (const FcChar8 *)conf_path,
                                  FcTrue) ||
            !FcConfigBuildFonts(db->config)) {
            zimu__fontdb_free(&db);
            return zimu__fail(c, ZIMU_EFONT,
                              "fonts: cannot load the configuration %s",
                              conf_path);
        }
    } else {
        db->config = FcInitLoadConfigAndFonts();
        if (!db->config) {
            zimu__fontdb_free(&db);
            return zimu__fail(c, ZIMU_EFONT,
                              "fonts: no fontconfig configuration");
        }
    }
    return fontdb_fill(c, out, db);
}

/* The outline fonts of db's configuration, as libass sees them. */
static int fontdb_fill(zimu_ctx *c, zimu_fontdb **out, zimu_fontdb *db)
{
    FcFontSet *set = FcConfigGetFonts(db->config, FcSetSystem);
    if (set && set->nfont > 0) {
        db->fonts = calloc((size_t)set->nfont, sizeof *db->fonts);
        if (!db->fonts) {
            zimu__fontdb_free(&db);
            return zimu__fail(c, ZIMU_ENOMEM, "fonts: out of memory");
        }
    }
    for (int i = 0; set && i < set->nfont; i++) {
        FcPattern *p = set->fonts[i];
        FcBool outline;
        double weight;
        FcChar8 *path;
        font_info f = {.pat = p};
        if (FcPatternGetBool(p, FC_OUTLINE, 0, &outline) != FcResultMatch ||
            !outline)
            continue;
        if (FcPatternGetInteger(p, FC_SLANT, 0, &f.slant) != FcResultMatch ||
            FcPatternGetInteger(p, FC_WIDTH, 0, &f.width) != FcResultMatch ||
            FcPatternGetDouble(p, FC_WEIGHT, 0, &weight) != FcResultMatch ||
            FcPatternGetInteger(p, FC_INDEX, 0, &f.index) != FcResultMatch ||
            FcPatternGetString(p, FC_FILE, 0, &path) != FcResultMatch)
            continue;
        f.weight = (int)(FcWeightToOpenTypeDouble(weight) + 0.5);
        f.path = (const char *)path;
        db->fonts[db->n_fonts++] = f;
    }
    if (!db->n_fonts) {
        zimu__fontdb_free(&db);
        return zimu__fail(c, ZIMU_EFONT, "fonts: no outline fonts found");
    }
    *out = db;
    return 0;
}

void zimu__fontdb_free(zimu_fontdb **pdb)
{
    if (!pdb || !*pdb)
        return;
    zimu_fontdb *db = *pdb;
    if (db->fallbacks)
        FcFontSetDestroy(db->fallbacks);
    if (db->fallback_chars)
        FcCharSetDestroy(db->fallback_chars);
    if (db->config)
        FcConfigDestroy(db->config);
    free(db->fonts);
    free(db);
    *pdb = NULL;
}

static int has_char(const font_info *f, uint32_t code)
{
    if (!code)
        return 1;
    FcCharSet *cs;
    if (FcPatternGetCharSet(f->pat, FC_CHARSET, 0, &cs) != FcResultMatch)
        return 0;
    return FcCharSetHasChar(cs, code) == FcTrue;
}

static int matches_family(const font_info *f, const char *name)
{
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(f->pat, FC_FAMILY, i, &s) ==
                    FcResultMatch; i++)
        if (name_eq((const char *)s, name))
            return 1;
    return 0;
}

/* A full name or PostScript name match. As in libass, a PostScript-flavoured
 * font (CFF, Type 1: Noto CJK is one) answers to its PostScript name only
 * when the two disagree. */
static int matches_full_name(const font_info *f, const char *name)
{
    FcChar8 *s;
    int full = 0, ps = 0;
    for (int i = 0; !full && FcPatternGetString(f->pat, FC_FULLNAME, i, &s) ==
                             FcResultMatch; i++)
        full = name_eq((const char *)s, name);
    if (FcPatternGetString(f->pat, FC_POSTSCRIPT_NAME, 0, &s) ==
        FcResultMatch)
        ps = name_eq((const char *)s, name);
    if (full == ps)
        return full;
    if (FcPatternGetString(f->pat, FC_FONTFORMAT, 0, &s) == FcResultMatch &&
        (!strcmp((const char *)s, "CFF") || !strcmp((const char *)s, "Type 1") ||
         !strcmp((const char *)s, "Type 42") ||
         !strcmp((const char *)s, "CID Type 1")))
        return ps;
    return full;
}

/* The names libass tries for a family: what the configuration puts before
 * a delimiter appended to the requested name. NULL-terminated, malloc'd. */
static char **substitutions(zimu_fontdb *db, const char *family)
{
    static const char delim[] = "__zimu_delimiter";
    FcPattern *pat = FcPatternCreate();
    char **v = NULL;
    size_t n = 0;
    if (!pat)
        return NULL;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)delim);
    FcPatternAddBool(pat, FC_OUTLINE, FcTrue);
    if (FcConfigSubstitute(db->config, pat, FcMatchPattern)) {
        FcChar8 *s;
        for (int i = 0; FcPatternGetString(pat, FC_FAMILY, i, &s) ==
                        FcResultMatch; i++) {
            if (!strcmp((const char *)s, delim))
                break;
            char **nv = realloc(v, (n + 2) * sizeof *v);
            if (!nv)
                break;
            v = nv;
            if (!(v[n] = strdup((const char *)s)))
                break;
            v[++n] = NULL;
        }
    }
    FcPatternDestroy(pat);
    if (!v) {
        v = calloc(2, sizeof *v);
        if (v && !(v[0] = strdup(family))) {
            free(v);
            v = NULL;
        }
    }
    return v;
}

static void free_strv(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static const font_info *select_family(zimu_fontdb *db, const char *family,
                                      int weight, uint32_t code)
{
    char **names = substitutions(db, family);
    if (!names)
        return NULL;
    const font_info *best = NULL;
    for (size_t k = 0; names[k] && !best; k++) {
        unsigned best_score = UINT_MAX;
        for (size_t i = 0; i < db->n_fonts; i++) {
            const font_info *f = &db->fonts[i];
            unsigned score = UINT_MAX;
            if (matches_family(f, names[k]))
                score = (unsigned)(abs(f->weight - weight) + abs(f->slant) +
                                   abs(f->width - 100));
            else if (matches_full_name(f, names[k]))
                score = 0;
            if (score < best_score) {
                if (!has_char(f, code))
                    continue;
                best_score = score;
                best = f;
            }
            if (score == 0 && best == f)
                break;
        }
    }
    free_strv(names);
    return best;
}

/* fontconfig's sans-serif order without a language, as libass builds it. */
static void load_fallbacks(zimu_fontdb *db)
{
    if (db->fallbacks_done)
        return;
    db->fallbacks_done = 1;
    FcPattern *pat = FcPatternCreate();
    if (!pat)
        return;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans-serif");
    FcPatternAddBool(pat, FC_OUTLINE, FcTrue);
    FcConfigSubstitute(db->config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcPatternDel(pat, FC_LANG);
    FcResult res;
    db->fallbacks = FcFontSort(db->config, pat, FcTrue, &db->fallback_chars,
                               &res);
    if (res != FcResultMatch && db->fallbacks) {
        FcFontSetDestroy(db->fallbacks);
        db->fallbacks = NULL;
    }
    FcPatternDestroy(pat);
}

static const char *fallback_family(zimu_fontdb *db, uint32_t code)
{
    load_fallbacks(db);
    if (!db->fallbacks || !db->fallbacks->nfont)
        return NULL;
    if (code && db->fallback_chars &&
        !FcCharSetHasChar(db->fallback_chars, code))
        return NULL;
    for (int i = 0; i < db->fallbacks->nfont; i++) {
        FcPattern *p = db->fallbacks->fonts[i];
        FcCharSet *cs;
        FcChar8 *fam;
        if (code && (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) !=
                         FcResultMatch || !FcCharSetHasChar(cs, code)))
            continue;
        if (FcPatternGetString(p, FC_FAMILY, 0, &fam) != FcResultMatch)
            return NULL;
        return (const char *)fam;
    }
    return NULL;
}

int zimu__fontdb_covers(zimu_fontdb *db, uint32_t code)
{
    load_fallbacks(db);
    return db->fallback_chars && FcCharSetHasChar(db->fallback_chars, code);
}

static const char *first_family(const font_info *f)
{
    FcChar8 *s;
    if (FcPatternGetString(f->pat, FC_FAMILY, 0, &s) != FcResultMatch)
        return "";
    return (const char *)s;
}

int zimu__fontdb_select(zimu_fontdb *db, const char *family, int bold,
                        uint32_t code, const char **path, int *index,
                        const char **family_out)
{
    int weight = bold == 0 ? 400 : bold == 1 ? 700 : bold;
    const font_info *f = NULL;
    if (family && *family)
        f = select_family(db, family, weight, code);
    if (!f)
        f = select_family(db, ZIMU__FONT_DEFAULT, weight, code);
    if (!f) {
        const char *fb = fallback_family(db, code);
        if (fb) {
            /* fb points into the sorted set; select_family copies names */
            f = select_family(db, fb, weight, code);
        }
    }
    if (!f) /* not worth a message: callers draw a box, as libass does */
        return ZIMU_EFONT;
    *path = f->path;
    *index = f->index;
    if (family_out)
        *family_out = first_family(f);
    return 0;
}
