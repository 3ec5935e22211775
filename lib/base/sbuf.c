/* sbuf.c - a growable byte string. Numbers are printed in the C form
 * (zimu__vsnprintf), whatever the locale. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sbuf.h"

static int sb_grow(zimu_sbuf *b, size_t more)
{
    if (b->oom)
        return -1;
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + more + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void zimu__sb_add(zimu_sbuf *b, const char *s, size_t n)
{
    if (sb_grow(b, n) < 0)
        return;
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void zimu__sb_addc(zimu_sbuf *b, char ch)
{
    zimu__sb_add(b, &ch, 1);
}

void zimu__sb_adds(zimu_sbuf *b, const char *s)
{
    zimu__sb_add(b, s, strlen(s));
}

void zimu__sb_printf(zimu_sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = zimu__vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        zimu__sb_add(b, tmp, (size_t)n);
        return;
    }
    if (sb_grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    zimu__vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void zimu__sb_free(zimu_sbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

char *zimu__sb_take(zimu_sbuf *b)
{
    if (!b->oom && !b->s)
        zimu__sb_add(b, "", 0);
    if (b->oom) {
        free(b->s);
        b->s = NULL;
    }
    char *s = b->s;
    memset(b, 0, sizeof *b);
    return s;
}
