/* cnum.c - numbers in the C locale's form, whatever locale the program
 * that links libzimu chose. printf's %f/%g/%e and strtod() follow
 * LC_NUMERIC: after setlocale(LC_ALL, "de_DE.UTF-8") they write and read
 * "1,5", which breaks ASS scripts (fields are comma-separated), JSON and
 * reports. FFmpeg and x264 print and read numbers with the C library too
 * (av_strtod() is strtod(); the ebur128 filter reports "%.3f"), so calls
 * into them that carry numbers run inside a zimu__cnum scope.
 *
 * uselocale() changes the calling thread only, so none of this touches
 * the program's other threads or its global locale. */
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static locale_t c_loc;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;

static void make_c(void)
{
    c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The C locale, made once; (locale_t)0 only if out of memory then. */
static locale_t c_locale(void)
{
    pthread_once(&c_once, make_c);
    return c_loc;
}

/* Does the calling thread's locale write a decimal point other than "."? */
static int radix_not_point(void)
{
    const char *r = nl_langinfo(RADIXCHAR);
    return !(r[0] == '.' && r[1] == 0);
}

int zimu__vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    locale_t l = radix_not_point() ? c_locale() : (locale_t)0;
    locale_t old = l ? uselocale(l) : (locale_t)0;
    int n = vsnprintf(buf, size, fmt, ap);
    if (old)
        uselocale(old);
    return n;
}

int zimu__snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = zimu__vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

double zimu__strtod(const char *s, char **end)
{
    locale_t l = c_locale();
    return l ? strtod_l(s, end, l) : strtod(s, end);
}

void zimu__cnum_begin(zimu_cnum *scope)
{
    scope->old = scope->made = (locale_t)0;
    if (!radix_not_point())
        return;
    /* The thread's locale with LC_NUMERIC "C" only: messages and character
     * classes stay what the program chose (a log callback called from
     * inside FFmpeg still translates its messages). */
    locale_t dup = duplocale(uselocale((locale_t)0));
    if (!dup)
        return;
    locale_t l = newlocale(LC_NUMERIC_MASK, "C", dup);
    if (!l) {
        freelocale(dup);
        return;
    }
    scope->made = l;
    scope->old = uselocale(l);
}

void zimu__cnum_end(zimu_cnum *scope)
{
    if (!scope->made)
        return;
    uselocale(scope->old);
    freelocale(scope->made);
    scope->old = scope->made = (locale_t)0;
}
