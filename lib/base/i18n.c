/* i18n.c - the library's message catalogue: its own text domain, libzimu,
 * so its messages follow the locale of the program that links it (the
 * program's setlocale(); the library never calls it), whatever text domain
 * the program itself uses. Message ids are the English texts. */
#include <dlfcn.h>
#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#ifndef ZIMU_LOCALEDIR
#define ZIMU_LOCALEDIR "/usr/local/share/locale"
#endif

#define DOMAIN "libzimu"

/* Does dir hold the library's Chinese catalogue? */
static int has_catalogue(const char *dir)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/" DOMAIN ".mo", dir);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* The file this code was loaded from: libzimu.so, or the program a static
 * libzimu.a was linked into (dladdr names the main program by its argv[0],
 * which may be relative to a directory it has left: /proc/self/exe then). */
static int own_file(char *out, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)&zimu__tr, &info) || !info.dli_fname || !info.dli_fname[0])
        return -1;
    char buf[PATH_MAX];
    const char *name = info.dli_fname;
    if (!strcmp(name, program_invocation_name) || !strchr(name, '/')) {
        ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n <= 0)
            return -1;
        buf[n] = 0;
        name = buf;
    }
    char *real = realpath(name, NULL);
    if (!real)
        return -1;
    int r = strlen(real) < size ? 0 : -1;
    if (!r)
        memcpy(out, real, strlen(real) + 1);
    free(real);
    return r;
}

/* Where the catalogue is: beside the library's file (build/libzimu.so:
 * build/locale), one up (a test program in build/tests/ linking libzimu.a:
 * build/locale), the installed share/locale (PREFIX/lib/libzimu.so:
 * PREFIX/share/locale), else the LOCALEDIR the library was built for. */
static void bind_once(void)
{
    static const char *const rel[] = {"/locale", "/../locale", "/../share/locale"};
    static char dir[PATH_MAX + 32];
    const char *found = ZIMU_LOCALEDIR;
    char file[PATH_MAX];
    if (!own_file(file, sizeof file)) {
        char *slash = strrchr(file, '/');
        if (slash)
            *slash = 0;
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(dir, sizeof dir, "%s%s", file, rel[i]);
            if (has_catalogue(dir)) {
                found = dir;
                break;
            }
        }
    }
    int saved = errno;
    bindtextdomain(DOMAIN, found);
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    errno = saved;
}

const char *zimu__tr(const char *msgid)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!msgid || !msgid[0])
        return msgid;
    pthread_once(&once, bind_once);
    int saved = errno;
    const char *s = dgettext(DOMAIN, msgid);
    errno = saved;
    return s;
}
